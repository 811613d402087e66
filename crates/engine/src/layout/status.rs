//! The `status` column: per location, in the layout's order, its overall rating and whether its
//! registration is closed, one byte each. What a list needs to count its results by rating and
//! to leave closed registrations out, for every match of a query, before any row is fetched.

use super::LayoutError;
use crate::model::{Domain, Location, Rating};

/// One location's byte: bits 0–2 the overall rating's score (0 when not rated, 1 Inadequate to
/// 4 Outstanding), bit 3 set when the registration is closed or dormant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocationStatus(u8);

const CLOSED: u8 = 0b1000;
const SCORE: u8 = 0b0111;

impl LocationStatus {
    pub fn of(location: &Location) -> LocationStatus {
        let score = location
            .published(Domain::Overall)
            .and_then(|p| p.value.rated())
            .map_or(0, |r| r.score());
        LocationStatus(score | if location.is_current() { 0 } else { CLOSED })
    }

    /// The overall rating, if rated.
    pub fn overall(self) -> Option<Rating> {
        Rating::ALL
            .iter()
            .copied()
            .find(|r| r.score() == self.0 & SCORE)
    }

    /// Whether the registration is still current (as `Location::is_current`).
    pub fn is_current(self) -> bool {
        self.0 & CLOSED == 0
    }
}

/// Every location's status, in the layout's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusColumn(Vec<LocationStatus>);

/// Identifies the column's file and its version.
const TAG: &[u8; 4] = b"CQS1";

impl StatusColumn {
    pub fn of(locations: &[Location]) -> StatusColumn {
        StatusColumn(locations.iter().map(LocationStatus::of).collect())
    }

    pub fn get(&self, number: usize) -> Option<LocationStatus> {
        self.0.get(number).copied()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The counts by overall rating (Outstanding first, as `search::rating_counts` gives them)
    /// and the number not rated, over `numbers`.
    pub fn rating_counts(&self, numbers: &[usize]) -> ([u32; 4], u32) {
        let mut counts = [0u32; 4];
        let mut unrated = 0;
        for status in numbers.iter().filter_map(|&n| self.get(n)) {
            match status.overall() {
                Some(r) => counts[(4 - r.score()) as usize] += 1,
                None => unrated += 1,
            }
        }
        (counts, unrated)
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + self.0.len());
        out.extend_from_slice(TAG);
        out.extend_from_slice(&(self.0.len() as u32).to_le_bytes());
        out.extend(self.0.iter().map(|s| s.0));
        out
    }

    /// Decodes the column of `location_count` locations; any other length or byte is an error.
    pub fn decode(bytes: &[u8], location_count: usize) -> Result<StatusColumn, LayoutError> {
        let bad = |why: String| LayoutError::File {
            file: "status".into(),
            why,
        };
        if bytes.len() < 8 || &bytes[..4] != TAG {
            return Err(bad(
                "not a status column (it does not start with \"CQS1\")".into()
            ));
        }
        let count = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        let values = &bytes[8..];
        if count != location_count || values.len() != count {
            return Err(bad(format!(
                "it holds {} locations and says {count}; the manifest says {location_count}",
                values.len()
            )));
        }
        if let Some(at) = values
            .iter()
            .position(|&b| b & !(CLOSED | SCORE) != 0 || b & SCORE > 4)
        {
            return Err(bad(format!("byte {} is not a status", at + 8)));
        }
        Ok(StatusColumn(
            values.iter().map(|&b| LocationStatus(b)).collect(),
        ))
    }
}
