//! Instant, typo-tolerant search over every location's name, postcode, town, local authority,
//! provider, brand and id. Built once per snapshot; a query touches only the vocabulary words
//! that can match, so a keystroke stays well under a millisecond at national scale.
//!
//! Matching, per query word: the same word (best), a word it begins (the user is still
//! typing), or, for words of four letters or more, a word one edit away (two for eight or
//! more), where an edit is a letter inserted, deleted, changed or two letters swapped. Every
//! query word must match; results are ordered by how well they matched, then by name.

mod filter;

pub use filter::{rating_counts, select, years_between, AgeBand, Filters, Sort};

use crate::model::{Location, Snapshot};

/// How a query word matched a vocabulary word; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Fuzzy = 1,
    Prefix = 2,
    Exact = 3,
}

/// The inverted index: a sorted vocabulary, and for each word the locations that contain it.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    words: Vec<String>,
    postings: Vec<Vec<u32>>,
    /// Lower-cased names, for the final tie-break.
    names: Vec<String>,
}

impl SearchIndex {
    pub fn new(snapshot: &Snapshot) -> SearchIndex {
        Self::from_locations(&snapshot.locations)
    }

    pub fn from_locations(locations: &[Location]) -> SearchIndex {
        let mut pairs: Vec<(String, u32)> = Vec::new();
        for (i, location) in locations.iter().enumerate() {
            let i = i as u32;
            let compact_postcode = location.postcode.replace(' ', "");
            let fields = [
                location.name.as_str(),
                location.postcode.as_str(),
                compact_postcode.as_str(),
                location.city.as_str(),
                location.local_authority.as_str(),
                location.provider_name.as_str(),
                location.brand_name.as_deref().unwrap_or(""),
                location.id.as_str(),
                location.provider_id.as_str(),
            ];
            for field in fields {
                for word in words_of(field) {
                    pairs.push((word, i));
                }
            }
            // An id is typed whole ("1-556658867"), so it is also a word of its own.
            pairs.push((normalise(&location.id), i));
        }
        pairs.sort_unstable();
        pairs.dedup();
        let mut words: Vec<String> = Vec::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        for (word, i) in pairs {
            if words.last() != Some(&word) {
                words.push(word);
                postings.push(Vec::new());
            }
            if let Some(list) = postings.last_mut() {
                list.push(i);
            }
        }
        SearchIndex {
            words,
            postings,
            names: locations.iter().map(|l| normalise(&l.name)).collect(),
        }
    }

    /// Number of distinct words indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.words.len()
    }

    /// Indices of the locations matching every word of `query`, best first. An empty query
    /// matches nothing: the caller decides what "no query" shows.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let terms = words_of(query);
        if terms.is_empty() {
            return Vec::new();
        }
        // Per location: the summed match quality over terms, and how many terms matched.
        let mut score = vec![0u16; self.names.len()];
        let mut matched = vec![0u8; self.names.len()];
        for (term_number, term) in terms.iter().enumerate() {
            let mut best: Vec<(u32, MatchKind)> = Vec::new();
            for (word, kind) in self.matching_words(term) {
                for &location in &self.postings[word] {
                    // Only locations that matched every earlier term can still qualify.
                    if matched[location as usize] as usize == term_number {
                        best.push((location, kind));
                    }
                }
            }
            best.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            best.dedup_by_key(|(location, _)| *location);
            for (location, kind) in best {
                score[location as usize] += kind as u16;
                matched[location as usize] += 1;
            }
        }
        let wanted = terms.len().min(u8::MAX as usize) as u8;
        let mut hits: Vec<u32> = (0..self.names.len() as u32)
            .filter(|&i| matched[i as usize] == wanted)
            .collect();
        hits.sort_by(|&a, &b| {
            score[b as usize]
                .cmp(&score[a as usize])
                .then_with(|| self.names[a as usize].cmp(&self.names[b as usize]))
                .then(a.cmp(&b))
        });
        hits
    }

    /// The vocabulary words `term` matches, with how.
    fn matching_words(&self, term: &str) -> Vec<(usize, MatchKind)> {
        let mut out = Vec::new();
        // Words beginning with `term` form one contiguous run of the sorted vocabulary.
        let start = self.words.partition_point(|w| w.as_str() < term);
        for (offset, word) in self.words[start..].iter().enumerate() {
            if !word.starts_with(term) {
                break;
            }
            let kind = if word.len() == term.len() {
                MatchKind::Exact
            } else {
                MatchKind::Prefix
            };
            out.push((start + offset, kind));
        }
        let allowed = allowed_edits(term);
        if allowed == 0 {
            return out;
        }
        // A typo in the first letter is rare and searching for it would scan the whole
        // vocabulary, so fuzzy matches share the first letter: one contiguous run again.
        let first = &term[..term.chars().next().map_or(0, char::len_utf8)];
        let run_start = self.words.partition_point(|w| w.as_str() < first);
        for (offset, word) in self.words[run_start..].iter().enumerate() {
            if !word.starts_with(first) {
                break;
            }
            if word.starts_with(term) {
                continue;
            }
            if within_edits(term, word, allowed) {
                out.push((run_start + offset, MatchKind::Fuzzy));
            }
        }
        out
    }
}

fn allowed_edits(term: &str) -> usize {
    match term.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Whether `term` is within `limit` edits of `word` or of a prefix of it (the user may not
/// have finished typing), counting a swap of neighbouring letters as one edit.
fn within_edits(term: &str, word: &str, limit: usize) -> bool {
    let a: Vec<char> = term.chars().collect();
    let b: Vec<char> = word.chars().collect();
    if b.len() + limit < a.len() {
        return false;
    }
    // Optimal-string-alignment distance, three rows; the answer is the best distance from
    // the whole of `term` to any prefix of `word`.
    let width = b.len() + 1;
    let mut before: Vec<usize> = vec![0; width];
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current: Vec<usize> = vec![0; width];
    for i in 1..=a.len() {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return false;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous.iter().any(|&d| d <= limit)
}

/// Lower-cased, with the common accented letters folded, so "Clwyd" and "clwyd", "Café" and
/// "cafe" meet.
fn normalise(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ŵ' => 'w',
            'ŷ' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            '’' => '\'',
            other => other,
        })
        .collect()
}

/// The words of a field or query: runs of letters and digits; apostrophes vanish so
/// "St John's" gives "st" and "johns".
fn words_of(text: &str) -> Vec<String> {
    normalise(text)
        .replace('\'', "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_swaps_once_and_allow_an_unfinished_word() {
        assert!(within_edits("oldahm", "oldham", 1));
        assert!(within_edits("shrewsbry", "shrewsbury", 1));
        assert!(within_edits("shrewsbry", "shrewsbury", 2));
        assert!(within_edits("shrws", "shrewsbury", 1));
        assert!(!within_edits("ludlow", "ledbury", 1));
        assert!(!within_edits("oldhamxx", "oldham", 1));
    }

    #[test]
    fn words_fold_case_accents_and_apostrophes() {
        assert_eq!(
            words_of("St John's CAFÉ, SY1 1AA"),
            ["st", "johns", "cafe", "sy1", "1aa"]
        );
        assert!(words_of("  -- ").is_empty());
    }

    #[test]
    fn short_words_are_matched_exactly_or_as_prefixes_only() {
        assert_eq!(allowed_edits("sy1"), 0);
        assert_eq!(allowed_edits("ludl"), 1);
        assert_eq!(allowed_edits("shrewsbry"), 2);
    }
}
