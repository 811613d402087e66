//! The search index cut into shards a browser fetches as the user types. *Range shards* hold
//! runs of the sorted vocabulary, cut where a shard has grown past a size. A query word of
//! three letters or more matches the words it begins (one run of the vocabulary) and, when it
//! may hold a typo, words sharing its first three letters (`FUZZY_SHARED_LETTERS`: another
//! run), so it needs the shards those runs overlap. A word of one or two letters is too short for a typo and
//! matches only itself and the words it begins: a *prefix shard* per first letter holds, for
//! every one- and two-letter prefix, the locations with that word and those with a longer one
//! beginning with it. An index put together from the shards a query needs answers it exactly
//! as the whole index does.
//!
//! Locations are numbered by their place in name order (the data layout stores them in that
//! order), so the index's final tie-break is the number itself and no table of ranks is
//! fetched.

use super::{words_of, SearchIndex, FUZZY_SHARED_LETTERS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The words of the index from `first` up to the next range shard's `first`, with the
/// locations containing each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchShard {
    pub first: String,
    /// The words, sorted.
    pub words: Vec<String>,
    /// Per word, how many locations contain it.
    pub counts: Vec<u32>,
    /// Each word's locations, ascending, as gaps from the one before (the first from 0): small
    /// numbers, one or two bytes each.
    pub gaps: Vec<u32>,
}

/// For one first letter, every prefix of one or two letters beginning with it: the locations
/// with exactly that word, and those with a longer word beginning with it, both as gaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrefixShard {
    pub letter: String,
    pub prefixes: Vec<String>,
    pub exact: Vec<Vec<u32>>,
    pub longer: Vec<Vec<u32>>,
}

/// A part of the index a query word needs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum ShardNeed {
    /// The prefix shard of this first letter.
    Prefix(String),
    /// The range shards holding every word that begins with this.
    Range(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("the search shard is not readable: {0}")]
    Unreadable(String),
    #[error("the search shard is inconsistent: {0}")]
    Inconsistent(String),
}

/// A word's first three letters (the whole word if shorter): what a fuzzy match shares.
fn fuzzy_key(word: &str) -> &str {
    &word[..word
        .char_indices()
        .nth(FUZZY_SHARED_LETTERS)
        .map_or(word.len(), |(at, _)| at)]
}

fn first_letter(word: &str) -> &str {
    &word[..word.chars().next().map_or(0, char::len_utf8)]
}

/// The parts of the index `query`'s words need, sorted, without repeats.
pub fn shard_needs(query: &str) -> Vec<ShardNeed> {
    let mut needs: Vec<ShardNeed> = Vec::new();
    for w in words_of(query) {
        if w.chars().count() < FUZZY_SHARED_LETTERS {
            needs.push(ShardNeed::Prefix(first_letter(&w).to_string()));
            continue;
        }
        if super::allowed_edits(&w) > 0 {
            needs.push(ShardNeed::Range(fuzzy_key(&w).to_string()));
        }
        needs.push(ShardNeed::Range(w));
    }
    needs.sort_unstable();
    needs.dedup();
    needs
}

/// Checks that gaps give ascending locations below `limit`, none repeated. Only checked, not
/// kept: `SearchIndex::from_shards` reads the gaps again when it puts an index together, and
/// a cold search's shard holds some hundred thousand of them.
fn check_gaps(gaps: &[u32], limit: usize) -> Result<(), ShardError> {
    let mut location = 0u64;
    for (i, &gap) in gaps.iter().enumerate() {
        if i > 0 && gap == 0 {
            return Err(ShardError::Inconsistent(
                "a location is listed twice".into(),
            ));
        }
        location += u64::from(gap);
        if location >= limit as u64 {
            return Err(ShardError::Inconsistent(format!(
                "location {location} is beyond the {limit} in the data"
            )));
        }
    }
    Ok(())
}

fn to_gaps(locations: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    locations
        .iter()
        .map(|&l| {
            let gap = l - previous;
            previous = l;
            gap
        })
        .collect()
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    // Plain vectors of strings and numbers: serialising cannot fail.
    postcard::to_stdvec(value).unwrap_or_default()
}

impl SearchShard {
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    /// Decodes a range shard, checking its counts, its order, its keys and that its locations
    /// are below `location_count`: a damaged shard is an error, never wrong results.
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
        if shard.words.first().is_some_and(|w| *w != shard.first) {
            return Err(ShardError::Inconsistent(format!(
                "the shard's first word is not {:?}",
                shard.first
            )));
        }
        let mut at = 0usize;
        for &count in &shard.counts {
            check_gaps(&shard.gaps[at..at + count as usize], location_count)?;
            at += count as usize;
        }
        Ok(shard)
    }
}

impl PrefixShard {
    pub fn encode(&self) -> Vec<u8> {
        encode(self)
    }

    /// Decodes a prefix shard, checked as `SearchShard::decode` checks a range shard.
    pub fn decode(bytes: &[u8], location_count: usize) -> Result<PrefixShard, ShardError> {
        let shard: PrefixShard =
            postcard::from_bytes(bytes).map_err(|e| ShardError::Unreadable(e.to_string()))?;
        let n = shard.prefixes.len();
        if shard.exact.len() != n || shard.longer.len() != n {
            return Err(ShardError::Inconsistent(format!(
                "{n} prefixes but {} and {} lists",
                shard.exact.len(),
                shard.longer.len()
            )));
        }
        if let Some(p) = shard
            .prefixes
            .iter()
            .find(|p| first_letter(p) != shard.letter || p.chars().count() >= FUZZY_SHARED_LETTERS)
        {
            return Err(ShardError::Inconsistent(format!(
                "{p:?} is not a short prefix beginning with {:?}",
                shard.letter
            )));
        }
        for list in shard.exact.iter().chain(&shard.longer) {
            check_gaps(list, location_count)?;
        }
        Ok(shard)
    }
}

impl SearchIndex {
    /// The index's shards: range shards of about `bytes_per_shard` (words and gaps counted as
    /// written), in order, and a prefix shard per first letter. Only meaningful for an index
    /// whose locations are numbered in name order.
    pub fn shards(&self, bytes_per_shard: usize) -> (Vec<SearchShard>, Vec<PrefixShard>) {
        let mut ranges: Vec<SearchShard> = Vec::new();
        let mut size = 0usize;
        let mut short: BTreeMap<String, (Vec<u32>, Vec<u32>)> = BTreeMap::new();
        for (w, word) in self.words.iter().enumerate() {
            let postings = &self.postings[self.starts[w] as usize..self.starts[w + 1] as usize];
            let length = word.chars().count();
            // The word answers each of its one- and two-letter prefixes.
            for (n, (at, c)) in word
                .char_indices()
                .take(FUZZY_SHARED_LETTERS - 1)
                .enumerate()
            {
                let prefix = &word[..at + c.len_utf8()];
                let (exact, longer) = short.entry(prefix.to_string()).or_default();
                if n + 1 == length {
                    exact.extend_from_slice(postings);
                } else {
                    longer.extend_from_slice(postings);
                }
            }
            if length < FUZZY_SHARED_LETTERS {
                continue;
            }
            if ranges.is_empty() || size >= bytes_per_shard {
                ranges.push(SearchShard {
                    first: word.clone(),
                    words: Vec::new(),
                    counts: Vec::new(),
                    gaps: Vec::new(),
                });
                size = 0;
            }
            let Some(shard) = ranges.last_mut() else {
                continue;
            };
            shard.words.push(word.clone());
            shard.counts.push(postings.len() as u32);
            shard.gaps.extend(to_gaps(postings));
            size += word.len() + 2 * postings.len();
        }
        let mut prefixes: Vec<PrefixShard> = Vec::new();
        for (prefix, (mut exact, mut longer)) in short {
            exact.sort_unstable();
            exact.dedup();
            longer.sort_unstable();
            longer.dedup();
            let letter = first_letter(&prefix).to_string();
            if prefixes.last().is_none_or(|p| p.letter != letter) {
                prefixes.push(PrefixShard {
                    letter: letter.clone(),
                    prefixes: Vec::new(),
                    exact: Vec::new(),
                    longer: Vec::new(),
                });
            }
            let Some(shard) = prefixes.last_mut() else {
                continue;
            };
            shard.prefixes.push(prefix);
            shard.exact.push(to_gaps(&exact));
            shard.longer.push(to_gaps(&longer));
        }
        (ranges, prefixes)
    }

    /// The index made of decoded shards over `location_count` locations numbered in name
    /// order. Answers every query whose words' shards (`shard_needs`) are all here exactly as
    /// the whole index does.
    pub fn from_shards<'a>(
        location_count: usize,
        ranges: impl IntoIterator<Item = &'a SearchShard>,
        prefixes: impl IntoIterator<Item = &'a PrefixShard>,
    ) -> SearchIndex {
        let mut ranges: Vec<&SearchShard> = ranges.into_iter().collect();
        ranges.sort_by(|a, b| a.first.cmp(&b.first));
        ranges.dedup_by(|a, b| a.first == b.first);
        let mut words = Vec::new();
        let mut postings = Vec::new();
        let mut starts = vec![0u32];
        for shard in ranges {
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
        let mut short = std::collections::HashMap::new();
        for shard in prefixes {
            for ((prefix, exact), longer) in
                shard.prefixes.iter().zip(&shard.exact).zip(&shard.longer)
            {
                let ungap = |gaps: &[u32]| {
                    let mut location = 0u32;
                    gaps.iter()
                        .map(|&g| {
                            location += g;
                            location
                        })
                        .collect::<Vec<u32>>()
                };
                short.insert(prefix.clone(), (ungap(exact), ungap(longer)));
            }
        }
        let identity: Vec<u32> = (0..location_count as u32).collect();
        SearchIndex {
            words,
            postings,
            starts,
            rank: identity.clone(),
            by_name: identity,
            short,
        }
    }
}

/// The range shards holding the words that begin with `prefix`, given every shard's first
/// word in order: from the last shard beginning at or before `prefix` up to the last that
/// begins with it.
pub fn ranges_for(firsts: &[&str], prefix: &str) -> std::ops::Range<usize> {
    let start = firsts.partition_point(|f| *f <= prefix).saturating_sub(1);
    let end = firsts.partition_point(|f| *f <= prefix || f.starts_with(prefix));
    start
        ..end
            .max(start + usize::from(!firsts.is_empty()))
            .min(firsts.len())
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
            named("S & B Care", "Old Swan"),
        ];
        locations.sort_by_key(|l| super::super::normalise(&l.name));
        locations
    }

    fn partial_for(
        query: &str,
        ranges: &[SearchShard],
        prefixes: &[PrefixShard],
        n: usize,
    ) -> SearchIndex {
        let firsts: Vec<&str> = ranges.iter().map(|s| s.first.as_str()).collect();
        let mut needed_ranges = Vec::new();
        let mut needed_prefixes = Vec::new();
        for need in shard_needs(query) {
            match need {
                ShardNeed::Range(prefix) => {
                    needed_ranges.extend(ranges[ranges_for(&firsts, &prefix)].iter())
                }
                ShardNeed::Prefix(letter) => {
                    needed_prefixes.extend(prefixes.iter().filter(|p| p.letter == letter))
                }
            }
        }
        SearchIndex::from_shards(n, needed_ranges, needed_prefixes)
    }

    #[test]
    fn shards_answer_as_the_whole_index_does() {
        let locations = in_name_order();
        let whole = SearchIndex::from_locations(&locations);
        // Tiny shards, so that most keys are shards of their own.
        let (ranges, prefixes) = whole.shards(8);
        assert!(ranges.len() > 5, "{} range shards", ranges.len());
        let ranges: Vec<SearchShard> = ranges
            .iter()
            .map(|s| SearchShard::decode(&s.encode(), locations.len()).expect("decodes"))
            .collect();
        let prefixes: Vec<PrefixShard> = prefixes
            .iter()
            .map(|s| PrefixShard::decode(&s.encode(), locations.len()).expect("decodes"))
            .collect();
        for query in [
            "shr",
            "oldham",
            "oldam",
            "cafe",
            "sunrise shifnal",
            "s",
            "sh",
            "zz",
            "ash old",
            "o",
            "b care",
        ] {
            let partial = partial_for(query, &ranges, &prefixes, locations.len());
            assert_eq!(
                partial.search(query),
                whole.search(query),
                "query {query:?}"
            );
        }
        // "oldam" is one edit from "oldham" and shares "old": found from one range shard.
        assert!(!whole.search("oldam").is_empty());
    }

    #[test]
    fn a_damaged_shard_is_an_error() {
        let locations = in_name_order();
        let (ranges, prefixes) = SearchIndex::from_locations(&locations).shards(8);
        let shard = ranges[0].clone();
        let bytes = shard.encode();
        assert!(
            SearchShard::decode(&bytes, 1).is_err(),
            "a location beyond the data"
        );
        assert!(SearchShard::decode(&bytes[..bytes.len() / 2], locations.len()).is_err());
        let mut wrong_key = shard.clone();
        wrong_key.first = "zzzz".into();
        assert!(SearchShard::decode(&wrong_key.encode(), locations.len()).is_err());
        let mut short = shard;
        short.gaps.pop();
        assert!(SearchShard::decode(&short.encode(), locations.len()).is_err());
        let mut prefix = prefixes[0].clone();
        prefix.prefixes[0] = "qqq".into();
        assert!(PrefixShard::decode(&prefix.encode(), locations.len()).is_err());
    }
}
