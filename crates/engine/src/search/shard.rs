//! The search index cut into shards by the first letter of each word, so a browser fetches
//! only the shards a query's words begin with. Every way a query word matches a vocabulary
//! word (the same word, a word it begins, a word an edit or two away) keeps the first letter
//! (see `SearchIndex::matching_words`), so an index put together from the shards a query needs
//! answers it exactly as the whole index does.
//!
//! The shards number locations by their place in name order (the data layout stores them in
//! that order), so the index's final tie-break, name order, is the location number itself and
//! no table of ranks has to be fetched.

use super::{words_of, SearchIndex};
use serde::{Deserialize, Serialize};

/// The words of the index that begin with one letter, and the locations containing each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchShard {
    /// The first letter (as folded for search) of every word here.
    pub key: String,
    /// The words, sorted.
    pub words: Vec<String>,
    /// Per word, how many locations contain it.
    pub counts: Vec<u32>,
    /// Each word's locations, ascending, as gaps from the one before (the first from 0): small
    /// numbers, one or two bytes each.
    pub gaps: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("the search shard is not readable: {0}")]
    Unreadable(String),
    #[error("the search shard is inconsistent: {0}")]
    Inconsistent(String),
}

/// The shard key of a word: its first character (words are already folded).
pub fn shard_key(word: &str) -> Option<&str> {
    word.chars().next().map(|c| &word[..c.len_utf8()])
}

/// The shard keys `query`'s words need, sorted, without repeats.
pub fn shard_keys_for(query: &str) -> Vec<String> {
    let mut keys: Vec<String> = words_of(query)
        .iter()
        .filter_map(|w| shard_key(w).map(str::to_string))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

impl SearchShard {
    pub fn encode(&self) -> Vec<u8> {
        // A shard is plain vectors of strings and numbers: serialising it cannot fail.
        postcard::to_stdvec(self).unwrap_or_default()
    }

    /// Decodes a shard, checking that its counts and gaps agree and that its locations are
    /// below `location_count`, so a damaged shard is an error, never wrong results.
    pub fn decode(bytes: &[u8], location_count: usize) -> Result<SearchShard, ShardError> {
        let shard: SearchShard =
            postcard::from_bytes(bytes).map_err(|e| ShardError::Unreadable(e.to_string()))?;
        if shard.words.len() != shard.counts.len() {
            return Err(ShardError::Inconsistent(format!(
                "{} words but {} counts",
                shard.words.len(),
                shard.counts.len()
            )));
        }
        let total: u64 = shard.counts.iter().map(|&c| u64::from(c)).sum();
        if total != shard.gaps.len() as u64 {
            return Err(ShardError::Inconsistent(format!(
                "the counts add up to {total} locations but {} are listed",
                shard.gaps.len()
            )));
        }
        if let Some(w) = shard.words.windows(2).position(|w| w[0] >= w[1]) {
            return Err(ShardError::Inconsistent(format!(
                "word {} is not after the one before it",
                w + 1
            )));
        }
        if let Some(word) = shard
            .words
            .iter()
            .find(|w| shard_key(w) != Some(&shard.key))
        {
            return Err(ShardError::Inconsistent(format!(
                "the word {word:?} does not begin with the shard's letter {:?}",
                shard.key
            )));
        }
        let mut at = 0usize;
        for &count in &shard.counts {
            let mut location = 0u64;
            for (i, &gap) in shard.gaps[at..at + count as usize].iter().enumerate() {
                if i > 0 && gap == 0 {
                    return Err(ShardError::Inconsistent(
                        "a location is listed twice".into(),
                    ));
                }
                location += u64::from(gap);
                if location >= location_count as u64 {
                    return Err(ShardError::Inconsistent(format!(
                        "location {location} is beyond the {location_count} in the data"
                    )));
                }
            }
            at += count as usize;
        }
        Ok(shard)
    }
}

impl SearchIndex {
    /// The index's shards, in key order: together they hold every word of the index. Only
    /// meaningful for an index whose locations are numbered in name order.
    pub fn shards(&self) -> Vec<SearchShard> {
        let mut shards: Vec<SearchShard> = Vec::new();
        for (w, word) in self.words.iter().enumerate() {
            let Some(key) = shard_key(word) else { continue };
            if shards.last().is_none_or(|s| s.key != key) {
                shards.push(SearchShard {
                    key: key.to_string(),
                    words: Vec::new(),
                    counts: Vec::new(),
                    gaps: Vec::new(),
                });
            }
            let Some(shard) = shards.last_mut() else {
                continue;
            };
            let postings = &self.postings[self.starts[w] as usize..self.starts[w + 1] as usize];
            shard.words.push(word.clone());
            shard.counts.push(postings.len() as u32);
            let mut previous = 0;
            shard.gaps.extend(postings.iter().map(|&l| {
                let gap = l - previous;
                previous = l;
                gap
            }));
        }
        shards
    }

    /// The index made of `shards` (each decoded, in any order) over `location_count` locations
    /// numbered in name order. Answers every query whose words' shards are all here exactly as
    /// the whole index does.
    pub fn from_shards<'a>(
        location_count: usize,
        shards: impl IntoIterator<Item = &'a SearchShard>,
    ) -> SearchIndex {
        let mut shards: Vec<&SearchShard> = shards.into_iter().collect();
        // Words are compared byte by byte, and a shard's key is its words' first letter: in
        // key order the shards' words are in vocabulary order.
        shards.sort_by(|a, b| a.key.cmp(&b.key));
        shards.dedup_by(|a, b| a.key == b.key);
        let mut words = Vec::new();
        let mut postings = Vec::new();
        let mut starts = vec![0u32];
        for shard in shards {
            let mut at = 0usize;
            for (word, &count) in shard.words.iter().zip(&shard.counts) {
                let mut location = 0u32;
                for &gap in &shard.gaps[at..at + count as usize] {
                    location += gap;
                    postings.push(location);
                }
                at += count as usize;
                words.push(word.clone());
                starts.push(postings.len() as u32);
            }
        }
        let identity: Vec<u32> = (0..location_count as u32).collect();
        SearchIndex {
            words,
            postings,
            starts,
            rank: identity.clone(),
            by_name: identity,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn named(name: &str, city: &str) -> Location {
        Location {
            id: format!("1-{}", name.len() * 7 + city.len()),
            name: name.into(),
            city: city.into(),
            ..Location::default()
        }
    }

    fn in_name_order() -> Vec<Location> {
        let mut locations = vec![
            named("Beech House", "Shrewsbury"),
            named("Ash Court", "Oldham"),
            named("Sunrise Care", "Shifnal"),
            named("Oakwood", "Oswestry"),
            named("Shrewsbury Lodge", "Ludlow"),
            named("Café Rose", "Oldham"),
        ];
        locations.sort_by_key(|l| super::super::normalise(&l.name));
        locations
    }

    #[test]
    fn shards_answer_as_the_whole_index_does() {
        let locations = in_name_order();
        let whole = SearchIndex::from_locations(&locations);
        let shards = whole.shards();
        let decoded: Vec<SearchShard> = shards
            .iter()
            .map(|s| SearchShard::decode(&s.encode(), locations.len()).expect("decodes"))
            .collect();
        assert_eq!(decoded, shards);
        for query in [
            "shr",
            "oldham",
            "oldam",
            "cafe",
            "sunrise shifnal",
            "s",
            "zz",
            "ash old",
        ] {
            let keys = shard_keys_for(query);
            let needed: Vec<&SearchShard> =
                decoded.iter().filter(|s| keys.contains(&s.key)).collect();
            let partial = SearchIndex::from_shards(locations.len(), needed);
            assert_eq!(
                partial.search(query),
                whole.search(query),
                "query {query:?}"
            );
        }
        // "oldam" is one edit from "oldham": the fuzzy match comes from the "o" shard alone.
        assert!(!whole.search("oldam").is_empty());
    }

    #[test]
    fn a_damaged_shard_is_an_error() {
        let locations = in_name_order();
        let shard = SearchIndex::from_locations(&locations).shards().remove(0);
        let bytes = shard.encode();
        assert!(
            SearchShard::decode(&bytes, 1).is_err(),
            "a location beyond the data"
        );
        assert!(SearchShard::decode(&bytes[..bytes.len() / 2], locations.len()).is_err());
        let mut wrong_key = shard.clone();
        wrong_key.key = "q".into();
        assert!(SearchShard::decode(&wrong_key.encode(), locations.len()).is_err());
        let mut short = shard;
        short.gaps.pop();
        assert!(SearchShard::decode(&short.encode(), locations.len()).is_err());
    }
}
