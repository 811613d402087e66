//! Evidence age: how much of a result rests on evidence from each year (spec §4.7, §8.3).

use crate::model::Date;
use chrono::Datelike;
use serde::Serialize;

/// One piece of evidence and its share of the result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedDate {
    pub date: Option<Date>,
    /// Share of the result, 0–1; all shares of a result add up to 1.
    pub weight: f64,
    /// Entered in a what-if: new evidence, not dated.
    pub scenario: bool,
}

/// The share of a result resting on evidence from one year (or undated, or a scenario edit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeSlice {
    pub label: String,
    pub year: Option<i32>,
    pub share: f64,
    pub scenario: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct EvidenceAge {
    pub as_of: Option<Date>,
    /// Oldest first; undated and scenario slices last.
    pub slices: Vec<AgeSlice>,
    pub oldest: Option<Date>,
    pub newest: Option<Date>,
    /// Days between the oldest and newest dated input.
    pub span_days: Option<i64>,
    /// Mean age in years of the dated evidence, weighted by its share, at `as_of`.
    pub mean_age_years: Option<f64>,
}

pub fn evidence_age(pieces: &[WeightedDate], as_of: Option<Date>) -> EvidenceAge {
    let total: f64 = pieces.iter().map(|p| p.weight).sum();
    if total <= 0.0 {
        return EvidenceAge {
            as_of,
            ..EvidenceAge::default()
        };
    }
    let mut years: Vec<(i32, f64)> = Vec::new();
    let mut undated = 0.0;
    let mut scenario = 0.0;
    for p in pieces {
        let share = p.weight / total;
        if p.scenario {
            scenario += share;
        } else if let Some(d) = p.date {
            match years.iter_mut().find(|(y, _)| *y == d.year()) {
                Some((_, s)) => *s += share,
                None => years.push((d.year(), share)),
            }
        } else {
            undated += share;
        }
    }
    years.sort_by_key(|(y, _)| *y);
    let mut slices: Vec<AgeSlice> = years
        .into_iter()
        .map(|(year, share)| AgeSlice {
            label: year.to_string(),
            year: Some(year),
            share,
            scenario: false,
        })
        .collect();
    if undated > 0.0 {
        slices.push(AgeSlice {
            label: "date not published".into(),
            year: None,
            share: undated,
            scenario: false,
        });
    }
    if scenario > 0.0 {
        slices.push(AgeSlice {
            label: "your scenario".into(),
            year: None,
            share: scenario,
            scenario: true,
        });
    }
    let dated: Vec<&WeightedDate> = pieces
        .iter()
        .filter(|p| !p.scenario && p.date.is_some())
        .collect();
    let oldest = dated.iter().filter_map(|p| p.date).min();
    let newest = dated.iter().filter_map(|p| p.date).max();
    let span_days = oldest.zip(newest).map(|(o, n)| (n - o).num_days());
    let dated_weight: f64 = dated.iter().map(|p| p.weight).sum();
    let mean_age_years = match as_of {
        Some(at) if dated_weight > 0.0 => Some(
            dated
                .iter()
                .filter_map(|p| {
                    p.date
                        .map(|d| (at - d).num_days() as f64 / 365.25 * p.weight)
                })
                .sum::<f64>()
                / dated_weight,
        ),
        _ => None,
    };
    EvidenceAge {
        as_of,
        slices,
        oldest,
        newest,
        span_days,
        mean_age_years,
    }
}
