//! The `cards` files: what a search result's line shows (name, town, postcode, type, overall
//! rating and its date, registration), [`CARDS_PER_FILE`] locations a file in the layout's
//! order. A page of results is scattered over the country's name order, so its lines come
//! from files small enough that fetching one per result costs a kilobyte or so, not a rows
//! file's fifteen.
//!
//! The files' names carry one hash of all the cards files together (`cards-<n>.<hash>.bin`),
//! so the manifest lists one hash, not a thousand; each file says which number it starts at
//! and how many it holds, and is checked against both.

use super::{content_hash, LayoutError};
use crate::audit::sector_of;
use crate::model::{Date, Domain, Location, RatingValue, Registration};
use serde::{Deserialize, Serialize};

/// Locations per cards file: a file is about a kilobyte once compressed.
pub const CARDS_PER_FILE: usize = 32;

/// One result line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub id: String,
    pub name: String,
    pub city: String,
    pub postcode: String,
    /// `audit::sector_of`.
    pub sector: String,
    pub overall: Option<RatingValue>,
    pub published: Option<Date>,
    pub registration: Registration,
}

impl Card {
    pub fn of(location: &Location) -> Card {
        let overall = location.published(Domain::Overall);
        Card {
            id: location.id.clone(),
            name: location.name.clone(),
            city: location.city.clone(),
            postcode: location.postcode.clone(),
            sector: sector_of(location).to_string(),
            overall: overall.map(|p| p.value),
            published: overall.and_then(|p| p.published),
            registration: location.detail.registration.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct CardsFile {
    /// The number of the file's first location.
    first: u32,
    cards: Vec<Card>,
}

/// The cards files of `locations` (in the layout's order), and the hash their names carry.
pub fn cards_files(locations: &[Location]) -> (Vec<Vec<u8>>, String) {
    let files: Vec<Vec<u8>> = locations
        .chunks(CARDS_PER_FILE)
        .enumerate()
        .map(|(n, chunk)| {
            let file = CardsFile {
                first: (n * CARDS_PER_FILE) as u32,
                cards: chunk.iter().map(Card::of).collect(),
            };
            // Strings, numbers and enums: serialising cannot fail.
            postcard::to_stdvec(&file).unwrap_or_default()
        })
        .collect();
    let hash = content_hash(&files.concat());
    (files, hash)
}

/// The name of cards file `n`.
pub fn cards_name(n: usize, hash: &str) -> String {
    format!("cards-{n}.{hash}.bin")
}

/// Decodes cards file `n` of a layout of `location_count` locations.
pub fn decode_cards(
    bytes: &[u8],
    n: usize,
    location_count: usize,
) -> Result<Vec<Card>, LayoutError> {
    let bad = |why: String| LayoutError::File {
        file: format!("cards-{n}"),
        why,
    };
    let file: CardsFile =
        postcard::from_bytes(bytes).map_err(|e| bad(format!("not a cards file: {e}")))?;
    let first = n * CARDS_PER_FILE;
    let expected = location_count.saturating_sub(first).min(CARDS_PER_FILE);
    if file.first as usize != first || file.cards.len() != expected {
        return Err(bad(format!(
            "it holds {} locations from number {}; this layout puts {expected} from {first} there",
            file.cards.len(),
            file.first
        )));
    }
    Ok(file.cards)
}
