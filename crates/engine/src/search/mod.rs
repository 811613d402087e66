//! Instant, typo-tolerant search over every location's name, postcode, town, local authority,
//! provider, brand and id. Built once per snapshot; a query touches only the vocabulary words
//! that can match, so a keystroke stays well under a millisecond at national scale.
//!
//! Matching, per query word: the same word (best), a word it begins (the user is still
//! typing), or, for words of four letters or more (and no digits: a postcode or an id one edit
//! away is another place), a word one edit away (two for eight or more) that shares its first
//! three letters, where an edit is a letter inserted, deleted,
//! changed or two letters swapped. Every
//! query word must match; results are ordered by how well they matched, then by name.

mod filter;
mod shard;

pub use filter::{rating_counts, select, unknown_facts, AgeBand, Filters, Sort};
pub use shard::{ranges_for, shard_needs, PrefixShard, SearchShard, ShardError, ShardNeed};

use crate::model::{Location, Snapshot};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// The letters a fuzzy match shares with the query word, from the start. Terms short enough
/// to share fewer (`allowed_edits` gives them no typo) match only exactly or as a prefix.
pub const FUZZY_SHARED_LETTERS: usize = 3;

/// How a query word matched a vocabulary word; higher is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Fuzzy = 1,
    Prefix = 2,
    Exact = 3,
}

/// A group of locations a query term matches, all in the same way.
struct Postings<'a> {
    /// Ascending.
    list: &'a [u32],
    kind: MatchKind,
    /// Whether the list holds places in name order (`SearchIndex::rank`) rather than
    /// locations.
    in_name_order: bool,
}

/// A query's running count, per place in name order: the summed match quality over terms,
/// how many terms matched, and the best match of the current term (0: none yet). Flat arrays
/// rather than a sorted list of (location, match) pairs: a one-letter term touches most of the
/// country. In name order so that putting many hits in order is a walk through the arrays,
/// not a sort. Read through slices in the loops: at the size-optimised level the page is built
/// with, a vector's index and push are calls.
struct Tally {
    score: Vec<u16>,
    matched: Vec<u8>,
    best: Vec<u8>,
    /// The places the current term matched so far: the first `touched`.
    touched_places: Vec<u32>,
    touched: usize,
}

impl Tally {
    fn new(n: usize) -> Tally {
        Tally {
            score: vec![0; n],
            matched: vec![0; n],
            best: vec![0; n],
            touched_places: vec![0; n],
            touched: 0,
        }
    }

    /// Records a match of `kind` of term `term_number` at `places`, for those that matched
    /// every earlier term (only they can still qualify).
    fn mark(&mut self, places: impl Iterator<Item = usize>, kind: u8, term_number: usize) {
        let (matched, best) = (&self.matched[..], &mut self.best[..]);
        let touched_places = &mut self.touched_places[..];
        let mut touched = self.touched;
        for r in places {
            if usize::from(matched[r]) != term_number {
                continue;
            }
            // A place is touched once per term (its best is then no longer 0), so there are
            // never more than the arrays hold.
            if best[r] == 0 {
                touched_places[touched] = r as u32;
                touched += 1;
            }
            if best[r] < kind {
                best[r] = kind;
            }
        }
        self.touched = touched;
    }

    /// Adds the current term's best matches to the places it matched.
    fn end_term(&mut self) {
        let (score, matched) = (&mut self.score[..], &mut self.matched[..]);
        let best = &mut self.best[..];
        for &r in &self.touched_places[..self.touched] {
            let r = r as usize;
            score[r] += u16::from(best[r]);
            matched[r] += 1;
            best[r] = 0;
        }
    }
}

/// The inverted index: a sorted vocabulary, and for each word the locations that contain it.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    words: Vec<String>,
    /// The locations containing each word, ascending, all words' lists end to end in
    /// vocabulary order: word `w`'s are `postings[starts[w]..starts[w + 1]]`. One array, so the
    /// thousands of words a short prefix matches are one contiguous read, not a pointer chase
    /// per word.
    postings: Vec<u32>,
    starts: Vec<u32>,
    /// Per location, its place in name order (lower-cased, accents folded; then index): the
    /// final tie-break, compared as a number rather than as text.
    rank: Vec<u32>,
    /// The locations in name order (the inverse of `rank`).
    by_name: Vec<u32>,
    /// Per prefix of one or two letters, the places in name order (`rank`) of the locations
    /// with that word, and of those with a longer word beginning with it, ascending
    /// ([`ShortLists`], or the prefix shards, whose locations are numbered in name order).
    /// Such a term matches nothing else (too short for a typo), so these answer it.
    short: HashMap<String, (Vec<u32>, Vec<u32>)>,
}

/// FNV-1a, eight bytes at a time where there are eight: the vocabulary map hashes a million
/// short words while indexing, and std's SipHash (a defence against adversarial keys, which
/// CQC's data is not) made it a third of the build.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const PRIME: u64 = 0x0100_0000_01b3;
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            h = (h ^ u64::from_le_bytes(eight)).wrapping_mul(PRIME);
            // A multiplication carries only upwards: fold the high bits back into the low ones
            // a map's buckets are chosen by.
            h ^= h >> 29;
        }
        for b in words.remainder() {
            h = (h ^ u64::from(*b)).wrapping_mul(PRIME);
        }
        self.0 = h;
    }
}

/// The text a location is found by, field by field: what the index holds, and what the
/// benchmarks give the peer search libraries. `compact_postcode` is the postcode without its
/// space ("SY11AA"), passed in so a caller indexing thousands of locations can reuse a buffer.
pub fn searchable_fields<'a>(location: &'a Location, compact_postcode: &'a str) -> [&'a str; 9] {
    [
        location.name.as_str(),
        location.postcode.as_str(),
        compact_postcode,
        location.city.as_str(),
        location.local_authority.as_str(),
        location.provider_name.as_str(),
        location.brand_name.as_deref().unwrap_or(""),
        location.id.as_str(),
        location.provider_id.as_str(),
    ]
}

/// Builds a [`SearchIndex`] a slice of locations at a time, so a browser can yield between
/// slices instead of freezing for the whole national build.
#[derive(Default)]
pub struct IndexBuilder {
    /// Words get numbers as first seen.
    ids: HashMap<String, u32, BuildHasherDefault<Fnv>>,
    /// Every (word, location) occurrence, in the order found: locations are added in order,
    /// so each word's locations come ascending. One array rather than a list per word: at
    /// national scale that was 150,000 small vectors growing one push at a time.
    occurrences: Vec<(u32, u32)>,
    /// Per word, the last location it was found in, so a word repeated within one location
    /// (a town that is also in the name) is recorded once.
    last_location: Vec<u32>,
    /// Every location's name, folded for sorting, in order: also how many have been added.
    names: Vec<String>,
    buffer: String,
    compact_postcode: String,
}

/// Words and (word, location) occurrences per location, with room to spare: 3.7 and 18.5 on
/// the national benchmark data, 5.2 and 13 on the bundled real data (whose 711 locations share
/// fewer words). [`IndexBuilder::for_locations`] makes room for this many up front.
const WORDS_PER_LOCATION: usize = 5;
const OCCURRENCES_PER_LOCATION: usize = 24;

impl IndexBuilder {
    /// A builder with room for about `locations` locations' words, so that it does not grow
    /// as they are added: the word table's last doubling, rehashing some 100,000 words, was one
    /// 11-15 ms step natively among hundreds of a fraction of a millisecond. Room is all this
    /// changes; more locations than said are indexed the same.
    pub fn for_locations(locations: usize) -> IndexBuilder {
        let mut builder = IndexBuilder::default();
        let words = locations.saturating_mul(WORDS_PER_LOCATION);
        builder.ids.reserve(words);
        builder.last_location.reserve(words);
        builder
            .occurrences
            .reserve(locations.saturating_mul(OCCURRENCES_PER_LOCATION));
        builder.names.reserve(locations);
        builder
    }

    /// Indexes the next `locations` (they follow those already added, in snapshot order).
    pub fn add(&mut self, locations: &[Location]) {
        let IndexBuilder {
            ids,
            occurrences,
            last_location,
            names,
            buffer,
            compact_postcode,
        } = self;
        let first = names.len() as u32;
        names.extend(locations.iter().map(|l| normalise(&l.name)));
        let mut add = |word: &str, i: u32| {
            let id = match ids.get(word) {
                Some(&id) => id,
                None => {
                    let id = last_location.len() as u32;
                    ids.insert(word.to_string(), id);
                    last_location.push(u32::MAX);
                    id
                }
            };
            let last = &mut last_location[id as usize];
            if *last != i {
                *last = i;
                occurrences.push((id, i));
            }
        };
        for (i, location) in (first..).zip(locations) {
            compact_postcode.clear();
            compact_postcode.extend(location.postcode.chars().filter(|c| *c != ' '));
            let fields = searchable_fields(location, compact_postcode);
            for field in fields {
                for_each_word(field, buffer, |word| add(word, i));
            }
            // An id is typed whole ("1-556658867"), so it is also a word of its own.
            buffer.clear();
            buffer.extend(location.id.chars().flat_map(fold));
            add(buffer, i);
        }
    }

    /// The finished index, once every location has been added in order.
    pub fn finish(self) -> SearchIndex {
        self.sort_words().finish()
    }

    /// The first half of finishing: the vocabulary sorted, each word's locations laid out.
    /// It and [`SortedWords::finish`] are two steps each, so that a browser can yield between
    /// the four, each tens of milliseconds at national scale.
    pub fn sort_words(self) -> SortedWords {
        self.sort_vocabulary().lay_out_postings()
    }

    /// The first half of [`Self::sort_words`]: the vocabulary in order.
    pub fn sort_vocabulary(self) -> SortedVocabulary {
        let mut sort = self.start_sorting_vocabulary();
        while !sort.sort_next() {}
        sort.finish()
    }

    /// [`Self::sort_vocabulary`] a part at a time: `sort_next` until it is done, then
    /// `finish`, so a browser can yield between the parts (the whole sort took tens of
    /// milliseconds for a national vocabulary).
    pub fn start_sorting_vocabulary(self) -> VocabularySort {
        let IndexBuilder {
            ids,
            occurrences,
            names,
            ..
        } = self;
        VocabularySort {
            unplaced: ids.into_iter(),
            parts: vec![Vec::new(); 1 << PART_KEY_BITS],
            sorted: 0,
            occurrences,
            names,
        }
    }
}

/// Words handed to their parts by one call of [`VocabularySort::sort_next`] (a fraction of a
/// millisecond's work).
const WORDS_PLACED_AT_ONCE: usize = 5_000;

/// The vocabulary is sorted in parts by the leading bits of each word's first bytes: the
/// first byte and half the second. By the first byte alone, the largest part ("s") took 12 ms
/// natively and three times that on a page's thread.
const PART_KEY_BITS: u32 = 12;

/// The vocabulary being sorted, a part at a time: see
/// [`IndexBuilder::start_sorting_vocabulary`].
pub struct VocabularySort {
    /// The words not yet in their part.
    unplaced: std::collections::hash_map::IntoIter<String, u32>,
    /// The words by their key's leading bits ([`PART_KEY_BITS`]), each with its key and
    /// number: the parts sorted one by one, in order, are the vocabulary sorted. Those before
    /// `sorted` are in order.
    parts: Vec<Vec<(u64, String, u32)>>,
    sorted: usize,
    occurrences: Vec<(u32, u32)>,
    names: Vec<String>,
}

impl VocabularySort {
    /// Hands the next words to their parts or, once all are placed, sorts the next part with
    /// any words. True once every part is sorted.
    pub fn sort_next(&mut self) -> bool {
        let mut placed = 0;
        for (word, id) in self.unplaced.by_ref() {
            let key = leading_bytes(&word);
            self.parts[(key >> (64 - PART_KEY_BITS)) as usize].push((key, word, id));
            placed += 1;
            if placed == WORDS_PLACED_AT_ONCE {
                return false;
            }
        }
        while let Some(part) = self.parts.get_mut(self.sorted) {
            self.sorted += 1;
            if !part.is_empty() {
                sort_part(part);
                break;
            }
        }
        self.sorted == self.parts.len()
    }

    /// The sorted vocabulary. Parts not yet sorted (if `sort_next` was not called until done)
    /// are sorted now.
    pub fn finish(mut self) -> SortedVocabulary {
        while !self.sort_next() {}
        let (mut words, mut ids) = (Vec::new(), Vec::new());
        for (_, word, id) in self.parts.into_iter().flatten() {
            words.push(word);
            ids.push(id);
        }
        SortedVocabulary {
            words,
            ids,
            occurrences: self.occurrences,
            names: self.names,
        }
    }
}

/// The vocabulary sorted, each word's locations not yet laid out: see
/// [`IndexBuilder::sort_vocabulary`].
pub struct SortedVocabulary {
    words: Vec<String>,
    /// Each sorted word's number in the builder (its `occurrences`).
    ids: Vec<u32>,
    occurrences: Vec<(u32, u32)>,
    names: Vec<String>,
}

impl SortedVocabulary {
    /// The second half of [`IndexBuilder::sort_words`]: each word's locations laid out.
    pub fn lay_out_postings(self) -> SortedWords {
        let mut laying_out = self.start_laying_out_postings();
        while !laying_out.lay_out_next(usize::MAX) {}
        laying_out.finish()
    }

    /// [`SortedVocabulary::lay_out_postings`] a part at a time (`PostingsLayout::lay_out_next`):
    /// a national index has a few million occurrences, laid out in one go in 20 ms natively
    /// and more than 50 in a page.
    pub fn start_laying_out_postings(self) -> PostingsLayout {
        let SortedVocabulary {
            words,
            ids,
            occurrences,
            names,
        } = self;
        // A counting sort of the occurrences by the word's place in the vocabulary; stable, so
        // each word's locations stay ascending.
        let mut place = vec![0u32; words.len()];
        for (position, &id) in ids.iter().enumerate() {
            place[id as usize] = position as u32;
        }
        let starts = vec![0u32; words.len() + 1];
        PostingsLayout {
            postings: vec![0u32; occurrences.len()],
            next: Vec::new(),
            counted: 0,
            placed: 0,
            words,
            place,
            occurrences,
            starts,
            names,
        }
    }
}

/// Occurrences a page counts or places per call of [`PostingsLayout::lay_out_next`]: a few
/// milliseconds' work.
pub const OCCURRENCES_AT_ONCE: usize = 400_000;

/// Each word's locations being laid out: the occurrences counted per word, then each placed in
/// its word's run, a part at a time.
pub struct PostingsLayout {
    words: Vec<String>,
    /// Each builder word's place in the sorted vocabulary.
    place: Vec<u32>,
    occurrences: Vec<(u32, u32)>,
    /// Where each word's run of `postings` starts (its counts, until every occurrence is
    /// counted).
    starts: Vec<u32>,
    /// Per word, where its next location goes (made from `starts` once all are counted).
    next: Vec<u32>,
    postings: Vec<u32>,
    counted: usize,
    placed: usize,
    names: Vec<String>,
}

impl PostingsLayout {
    /// Counts or places up to `at_most` more occurrences; true once every one is placed.
    pub fn lay_out_next(&mut self, at_most: usize) -> bool {
        let total = self.occurrences.len();
        if self.counted < total {
            let end = total.min(self.counted.saturating_add(at_most));
            for &(id, _) in &self.occurrences[self.counted..end] {
                self.starts[self.place[id as usize] as usize + 1] += 1;
            }
            self.counted = end;
            if self.counted < total {
                return false;
            }
        }
        if self.next.is_empty() {
            for w in 1..self.starts.len() {
                self.starts[w] += self.starts[w - 1];
            }
            self.next = self.starts.clone();
            if total > 0 {
                return false;
            }
        }
        let end = total.min(self.placed.saturating_add(at_most));
        for &(id, location) in &self.occurrences[self.placed..end] {
            let slot = &mut self.next[self.place[id as usize] as usize];
            self.postings[*slot as usize] = location;
            *slot += 1;
        }
        self.placed = end;
        self.placed == total
    }

    /// The laid-out words (placing whatever is left).
    pub fn finish(mut self) -> SortedWords {
        while !self.lay_out_next(usize::MAX) {}
        SortedWords {
            words: self.words,
            postings: self.postings,
            starts: self.starts,
            names: self.names,
        }
    }
}

/// Postings a page reads per call of [`ShortLists::make_next`]: a few milliseconds' work (the
/// one-letter prefixes begin words holding several postings of every location).
pub const POSTINGS_READ_AT_ONCE: usize = 100_000;

/// The lists of `SearchIndex::short` for an index built from locations, a few prefixes at a
/// time: per prefix of one or two letters, the places in name order of the locations with that
/// word and of those with a longer word beginning with it, ascending, as the prefix shards hold
/// them (`shard`). A term that short matches nothing else, and read this way it visits each
/// location once rather than once per word it begins (a one-letter term begins words holding
/// several postings of every location in the country: that made it the slowest keystroke),
/// already in the order its hits are listed. Each prefix's words are one run of the sorted
/// vocabulary, so its postings are one run of `postings`.
pub struct ShortLists {
    /// The index being finished; its `short` filled as prefixes are made.
    index: SearchIndex,
    /// Per prefix not yet made: a word beginning with it, the prefix's length in bytes, and
    /// the run of words beginning with it.
    runs: std::vec::IntoIter<(usize, usize, Range<usize>)>,
    /// A bit per place in name order, left cleared between prefixes.
    scratch: Vec<u64>,
}

impl ShortLists {
    fn start(index: SearchIndex) -> ShortLists {
        // The runs of words per prefix, found in one walk remembering the current run of each
        // prefix length.
        let mut runs: Vec<(usize, usize, Range<usize>)> = Vec::new();
        let mut open = [usize::MAX; FUZZY_SHARED_LETTERS - 1];
        let words = &index.words;
        for (w, word) in words.iter().enumerate() {
            for (length, (at, c)) in word
                .char_indices()
                .take(FUZZY_SHARED_LETTERS - 1)
                .enumerate()
            {
                let end = at + c.len_utf8();
                match runs.get_mut(open[length]) {
                    Some((first, len, run)) if words[*first][..*len] == word[..end] => {
                        run.end = w + 1
                    }
                    _ => {
                        open[length] = runs.len();
                        runs.push((w, end, w..w + 1));
                    }
                }
            }
        }
        let scratch = vec![0u64; index.rank.len().div_ceil(64)];
        ShortLists {
            index,
            runs: runs.into_iter(),
            scratch,
        }
    }

    /// Makes the lists of the next prefixes, until about `postings` postings have been read
    /// (a page gives [`POSTINGS_READ_AT_ONCE`]). True once every prefix's lists are made.
    pub fn make_next(&mut self, postings_at_once: usize) -> bool {
        let SearchIndex {
            words,
            postings,
            starts,
            rank,
            short,
            ..
        } = &mut self.index;
        let mut read = 0;
        for (first, len, run) in self.runs.by_ref() {
            let prefix = &words[first][..len];
            let mut places_of = |words: Range<usize>| {
                let run = &postings[starts[words.start] as usize..starts[words.end] as usize];
                read += run.len();
                places_in_name_order(run, rank, &mut self.scratch)
            };
            // The prefix itself, if it is a word, sorts first among the words beginning with it.
            let is_word = words[run.start] == prefix;
            let longer = run.start + usize::from(is_word)..run.end;
            let exact = places_of(run.start..run.start + usize::from(is_word));
            let lists = (exact, places_of(longer));
            short.insert(prefix.to_string(), lists);
            if read >= postings_at_once {
                return false;
            }
        }
        true
    }

    /// The finished index. Prefixes not yet made (if `make_next` was not called until done)
    /// are made now.
    pub fn finish(mut self) -> SearchIndex {
        while !self.make_next(usize::MAX) {}
        self.index
    }
}

/// The places in name order of `locations` (which may repeat), ascending, without repeats.
/// Many are marked in `scratch`, a bit per place (left cleared), and read back in order; a
/// few are sorted, rather than walk every place's bit.
fn places_in_name_order(locations: &[u32], rank: &[u32], scratch: &mut [u64]) -> Vec<u32> {
    if locations.len() * 16 < rank.len() {
        let mut places: Vec<u32> = locations.iter().map(|&l| rank[l as usize]).collect();
        places.sort_unstable();
        places.dedup();
        return places;
    }
    for &location in locations {
        let r = rank[location as usize];
        scratch[r as usize / 64] |= 1 << (r % 64);
    }
    let count = scratch.iter().map(|b| b.count_ones() as usize).sum();
    let mut places_list = vec![0u32; count];
    let places = &mut places_list[..];
    let mut at = 0;
    for (word, bits) in (0u32..).zip(scratch.iter_mut()) {
        let mut marked = std::mem::take(bits);
        while marked != 0 {
            places[at] = word * 64 + marked.trailing_zeros();
            at += 1;
            marked &= marked - 1;
        }
    }
    places_list
}

/// The bytes of a word in one sorting key: a `u64`'s.
const KEY_BYTES: usize = 8;

/// A word's first eight bytes as a big-endian number (zero-padded): ordering these numbers
/// orders the words by those bytes, as byte-wise string comparison does.
fn leading_bytes(word: &str) -> u64 {
    leading_bytes_of(word.as_bytes())
}

fn leading_bytes_of(bytes: &[u8]) -> u64 {
    let mut key = [0u8; KEY_BYTES];
    let n = bytes.len().min(KEY_BYTES);
    key[..n].copy_from_slice(&bytes[..n]);
    u64::from_be_bytes(key)
}

/// Sorts one part of the vocabulary by its words: by numbers made of eight of each word's
/// bytes at a time, which settle almost every comparison without reading the text. Words that
/// tie on their first eight bytes are sorted by the next eight, and so on: ids such as
/// `SYNTH-1-…` put 60,000 words with the same first eight bytes in one part, and compared as
/// text that part's sort was a 30 ms step on a page's thread.
fn sort_part(part: &mut [(u64, String, u32)]) {
    sort_by_bytes_from(part, 0);
}

/// Sorts `words`, which all have the same first `from` bytes, by the rest of their bytes.
fn sort_by_bytes_from(words: &mut [(u64, String, u32)], from: usize) {
    if from > 0 {
        for (key, word, _) in words.iter_mut() {
            *key = leading_bytes_of(word.as_bytes().get(from..).unwrap_or_default());
        }
    }
    words.sort_unstable_by_key(|(key, _, _)| *key);
    let next = from + KEY_BYTES;
    for tied in words.chunk_by_mut(|a, b| a.0 == b.0) {
        if tied.len() < 2 {
            continue;
        }
        // Words that end within these bytes differ only in how many zero bytes pad them (or
        // not at all): their text settles it.
        if tied.iter().all(|(_, word, _)| word.len() <= next) {
            tied.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
        } else {
            sort_by_bytes_from(tied, next);
        }
    }
}

/// An index whose words are finished and whose name order is not: see
/// [`IndexBuilder::sort_words`].
pub struct SortedWords {
    words: Vec<String>,
    postings: Vec<u32>,
    starts: Vec<u32>,
    names: Vec<String>,
}

impl SortedWords {
    /// The finished index: the locations put in name order.
    pub fn finish(self) -> SearchIndex {
        self.rank_names().finish()
    }

    /// The first half of [`Self::finish`]: the locations put in name order.
    pub fn rank_names(self) -> RankedWords {
        let SortedWords {
            words,
            postings,
            starts,
            names,
        } = self;
        // Sorted by each name's first eight bytes as a number first, which settles most
        // comparisons without reaching the text (as the vocabulary is sorted).
        let mut keyed: Vec<(u64, u32)> = (0u32..)
            .zip(&names)
            .map(|(location, name)| (leading_bytes(name), location))
            .collect();
        keyed.sort_unstable_by(|&(key_a, a), &(key_b, b)| {
            key_a
                .cmp(&key_b)
                .then_with(|| names[a as usize].cmp(&names[b as usize]))
                .then(a.cmp(&b))
        });
        let by_name: Vec<u32> = keyed.into_iter().map(|(_, location)| location).collect();
        let mut rank = vec![0u32; names.len()];
        for (position, &location) in by_name.iter().enumerate() {
            rank[location as usize] = position as u32;
        }
        RankedWords {
            words,
            postings,
            starts,
            rank,
            by_name,
        }
    }
}

/// An index whose locations are in name order, without its short-prefix lists yet: see
/// [`SortedWords::rank_names`].
pub struct RankedWords {
    words: Vec<String>,
    postings: Vec<u32>,
    starts: Vec<u32>,
    rank: Vec<u32>,
    by_name: Vec<u32>,
}

impl RankedWords {
    /// The second half of [`SortedWords::finish`]: the short-prefix lists made.
    pub fn finish(self) -> SearchIndex {
        self.start_short_lists().finish()
    }

    /// [`Self::finish`] a few prefixes at a time: `make_next` until it is done, then
    /// `finish`, so a browser can yield between them (all at once took 17 ms natively for a
    /// national index, three times that on a page's thread).
    pub fn start_short_lists(self) -> ShortLists {
        let RankedWords {
            words,
            postings,
            starts,
            rank,
            by_name,
        } = self;
        ShortLists::start(SearchIndex {
            words,
            postings,
            starts,
            rank,
            by_name,
            short: HashMap::new(),
        })
    }
}

impl SearchIndex {
    pub fn new(snapshot: &Snapshot) -> SearchIndex {
        Self::from_locations(&snapshot.locations)
    }

    pub fn from_locations(locations: &[Location]) -> SearchIndex {
        let mut builder = IndexBuilder::for_locations(locations.len());
        builder.add(locations);
        builder.finish()
    }

    /// Number of distinct words indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.words.len()
    }

    /// Indices of the locations matching every word of `query`, best first. An empty query
    /// matches nothing: the caller decides what "no query" shows.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let mut terms = words_of(query);
        // Match counts are bytes; nobody types 255 words.
        terms.truncate(usize::from(u8::MAX));
        if let [term] = terms.as_slice() {
            if let Some((exact, longer)) = self.short.get(term) {
                return self.short_term_alone(exact, longer);
            }
        }
        if terms.is_empty() {
            return Vec::new();
        }
        let n = self.rank.len();
        let mut tally = Tally::new(n);
        for (term_number, term) in terms.iter().enumerate() {
            tally.touched = 0;
            for group in self.term_postings(term) {
                let kind = group.kind as u8;
                if group.in_name_order {
                    tally.mark(group.list.iter().map(|&r| r as usize), kind, term_number);
                } else {
                    let rank = &self.rank[..];
                    let places = group.list.iter().map(|&l| rank[l as usize] as usize);
                    tally.mark(places, kind, term_number);
                }
            }
            tally.end_term();
        }
        // The last term's matches are exactly the locations that matched every term: put in
        // order by a counting sort on score (best first) and, within a score, name order,
        // read from a bit per place. A walk through the bits (a word of 64 places at a time)
        // rather than a test of every place, or a sort of the hits: these were most of a
        // keystroke with thousands of hits.
        let touched_places = &tally.touched_places[..tally.touched];
        if touched_places.is_empty() {
            return Vec::new();
        }
        let score = &tally.score[..];
        let mut bits_of = vec![0u64; n.div_ceil(64)];
        let bits = &mut bits_of[..];
        let top = touched_places
            .iter()
            .map(|&r| usize::from(score[r as usize]))
            .max()
            .unwrap_or(0);
        let mut next_of = vec![0usize; top + 1];
        let next = &mut next_of[..];
        for &r in touched_places {
            bits[r as usize / 64] |= 1 << (r % 64);
            next[usize::from(score[r as usize])] += 1;
        }
        let mut placed = 0;
        for slot in next.iter_mut().rev() {
            let count = *slot;
            *slot = placed;
            placed += count;
        }
        let by_name = &self.by_name[..];
        let mut hits_list = vec![0u32; touched_places.len()];
        let hits = &mut hits_list[..];
        for (word, &places) in bits.iter().enumerate() {
            let mut places = places;
            while places != 0 {
                let r = word * 64 + places.trailing_zeros() as usize;
                places &= places - 1;
                let slot = &mut next[usize::from(score[r])];
                hits[*slot] = by_name[r];
                *slot += 1;
            }
        }
        hits_list
    }

    /// A query of one short term, from its lists of places (ascending): those with the word
    /// itself (an exact match, first), then the others with a longer word beginning with it,
    /// each in name order. No table per location: the lists are already in the order listed.
    fn short_term_alone(&self, exact: &[u32], longer: &[u32]) -> Vec<u32> {
        let by_name = &self.by_name[..];
        let mut hits = Vec::with_capacity(exact.len() + longer.len());
        hits.extend(exact.iter().map(|&r| by_name[r as usize]));
        // A place in both lists is listed once, as exact: step through `exact` alongside.
        let mut also_exact = exact.iter().copied().peekable();
        hits.extend(longer.iter().filter_map(|&r| {
            while also_exact.next_if(|&e| e < r).is_some() {}
            if also_exact.next_if_eq(&r).is_some() {
                None
            } else {
                Some(by_name[r as usize])
            }
        }));
        hits
    }

    /// Whether every word of `query` is a word of the index or begins one: if so, no result
    /// rests on a typo, and there is no correction to offer.
    pub fn matches_without_typos(&self, query: &str) -> bool {
        words_of(query).iter().all(|term| {
            self.term_postings(term)
                .iter()
                .any(|group| group.kind != MatchKind::Fuzzy && !group.list.is_empty())
        })
    }

    /// The locations containing each group of words `term` matches, with how (a location may
    /// be in several groups; the best match counts).
    fn term_postings<'a>(&'a self, term: &str) -> Vec<Postings<'a>> {
        if let Some((exact, longer)) = self.short.get(term) {
            let group = |list: &'a [u32], kind| Postings {
                list,
                kind,
                in_name_order: true,
            };
            return vec![
                group(exact, MatchKind::Exact),
                group(longer, MatchKind::Prefix),
            ];
        }
        self.matching_words(term)
            .into_iter()
            .map(|(words, kind)| {
                let run = self.starts[words.start] as usize..self.starts[words.end] as usize;
                Postings {
                    list: &self.postings[run],
                    kind,
                    in_name_order: false,
                }
            })
            .collect()
    }

    /// The vocabulary words `term` matches, with how, as runs of the sorted vocabulary.
    fn matching_words(&self, term: &str) -> Vec<(Range<usize>, MatchKind)> {
        let mut out = Vec::new();
        // Words beginning with `term` form one contiguous run of the sorted vocabulary, and
        // `term` itself, if it is a word, comes first in it.
        let start = self.words.partition_point(|w| w.as_str() < term);
        let end = start + self.words[start..].partition_point(|w| w.starts_with(term));
        let mut prefixed = start..end;
        if self.words.get(start).is_some_and(|w| w == term) {
            out.push((start..start + 1, MatchKind::Exact));
            prefixed.start += 1;
        }
        if !prefixed.is_empty() {
            out.push((prefixed, MatchKind::Prefix));
        }
        let allowed = allowed_edits(term);
        if allowed == 0 {
            return out;
        }
        // Fuzzy matches share the term's first three letters: one contiguous run of the
        // vocabulary again, and the part of the index a browser fetches for a word is the
        // shard of its first three letters (`shard`). A typo that early is rare.
        let first = &term[..term
            .char_indices()
            .nth(FUZZY_SHARED_LETTERS)
            .map_or(term.len(), |(at, _)| at)];
        let run_start = self.words.partition_point(|w| w.as_str() < first);
        let run_end = run_start + self.words[run_start..].partition_point(|w| w.starts_with(first));
        let mut fuzzy = Vec::new();
        self.fuzzy_words(term, allowed, run_start..run_end, &mut fuzzy);
        // Words beginning with `term` matched better above.
        for run in fuzzy {
            for part in [run.start..run.end.min(start), run.start.max(end)..run.end] {
                if !part.is_empty() {
                    out.push((part, MatchKind::Fuzzy));
                }
            }
        }
        out
    }

    /// The runs of words of `range` (sorted) within `limit` edits of `term`, or of which a
    /// prefix is (words beginning with `term` included).
    ///
    /// The sorted vocabulary is walked as a trie: a word reuses the distance rows of the
    /// letters it shares with the previous one, and once a prefix decides the answer (the
    /// whole term is within reach, or no extension can come within reach) every word sharing
    /// that prefix gets the same answer and is skipped with one binary search. Same answers as
    /// `within_edits` word by word, without computing a row per letter of every word.
    fn fuzzy_words(
        &self,
        term: &str,
        limit: usize,
        range: Range<usize>,
        out: &mut Vec<Range<usize>>,
    ) {
        let t: Vec<char> = term.chars().collect();
        let m = t.len();
        // rows[d][j]: optimal-string-alignment distance between t[..j] and the first d letters
        // of the current path through the trie.
        let mut rows: Vec<Vec<usize>> = vec![(0..=m).collect()];
        let mut path: Vec<char> = Vec::new();
        let mut prefix = String::new();
        let mut i = range.start;
        while i < range.end {
            let word = self.words[i].as_str();
            let common = path
                .iter()
                .zip(word.chars())
                .take_while(|(a, b)| **a == *b)
                .count();
            path.truncate(common);
            rows.truncate(common + 1);
            let mut decided = None;
            for c in word.chars().skip(common) {
                let d = path.len() + 1;
                let mut row = vec![0usize; m + 1];
                row[0] = d;
                for j in 1..=m {
                    let previous = &rows[d - 1];
                    let cost = usize::from(t[j - 1] != c);
                    let mut v = (previous[j] + 1)
                        .min(row[j - 1] + 1)
                        .min(previous[j - 1] + cost);
                    if d > 1 && j > 1 && t[j - 1] == path[d - 2] && t[j - 2] == c {
                        v = v.min(rows[d - 2][j - 2] + 1);
                    }
                    row[j] = v;
                }
                path.push(c);
                let reach = row[m];
                let floor = row.iter().copied().min().unwrap_or(usize::MAX);
                rows.push(row);
                if reach <= limit {
                    decided = Some(true);
                    break;
                }
                if floor > limit {
                    decided = Some(false);
                    break;
                }
            }
            let Some(matches) = decided else {
                // The whole word was read without reaching the term: no match, but its rows
                // serve the words that extend it.
                i += 1;
                continue;
            };
            prefix.clear();
            prefix.extend(path.iter());
            let end = i + self.words[i..range.end].partition_point(|w| w.starts_with(&prefix));
            if matches {
                out.push(i..end);
            }
            i = end;
        }
    }
}

pub(crate) fn allowed_edits(term: &str) -> usize {
    // A postcode or an id one edit away is another place, not a typo for this one.
    if term.chars().any(|c| c.is_numeric()) {
        return 0;
    }
    match term.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Whether `term` is within `limit` edits of `word` or of a prefix of it (the user may not
/// have finished typing), counting a swap of neighbouring letters as one edit. The reference
/// `SearchIndex::fuzzy_words` is tested against.
#[cfg(test)]
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

/// One character lower-cased with the common accented letters folded, so "Clwyd" and "clwyd",
/// "Café" and "cafe" meet.
fn fold(c: char) -> impl Iterator<Item = char> {
    c.to_lowercase().map(|c| match c {
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
}

/// A name as search folds it: the name order the index ranks by (and the data layout stores
/// locations in) compares these.
pub fn normalise(text: &str) -> String {
    // Most of CQC's text is ASCII, where folding is plain lower-casing: a third of the index
    // build went on Unicode case mapping before this shortcut.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.chars().flat_map(fold).collect()
}

/// The words of a field or query: runs of letters and digits; apostrophes vanish so
/// "St John's" gives "st" and "johns".
fn words_of(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for_each_word(text, &mut String::new(), |w| words.push(w.to_string()));
    words
}

/// `words_of` without allocating a string per word: each word is lent to `f` from `buffer`.
fn for_each_word(text: &str, buffer: &mut String, mut f: impl FnMut(&str)) {
    buffer.clear();
    let mut take = |c: char, buffer: &mut String| {
        if c == '\'' {
            return;
        }
        if c.is_alphanumeric() {
            buffer.push(c);
        } else if !buffer.is_empty() {
            f(buffer);
            buffer.clear();
        }
    };
    // ASCII folds to its lower case (see `normalise`), byte by byte.
    if text.is_ascii() {
        for byte in text.bytes() {
            take(char::from(byte.to_ascii_lowercase()), buffer);
        }
    } else {
        for c in text.chars() {
            for folded in fold(c) {
                take(folded, buffer);
            }
        }
    }
    if !buffer.is_empty() {
        f(buffer);
        buffer.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sort_part` as the vocabulary is keyed, against a plain sort of the words.
    fn sorted_as_a_part(words: &[String]) -> Vec<String> {
        let mut part: Vec<(u64, String, u32)> = words
            .iter()
            .enumerate()
            .map(|(i, w)| (leading_bytes(w), w.clone(), i as u32))
            .collect();
        sort_part(&mut part);
        part.into_iter().map(|(_, w, _)| w).collect()
    }

    #[test]
    fn a_part_of_words_sharing_a_long_prefix_sorts_as_the_words_do() {
        // Ids with the same first eight and sixteen bytes, words ending on a key's edge or
        // within it, a two-byte letter across an edge, and a word of another prefix.
        let words: Vec<String> = [
            "synth-1-212712864",
            "synth-1-2127",
            "synth-1-9",
            "synth-1-",
            "synth-1-10",
            "synth-1-1",
            "synth-1-10\u{e9}",
            "synth-1-10\u{e8}a",
            "synth-1-10\u{e9}b",
            "synth-1-12345678",
            "synth-1-123456789",
            "synth-1-12345678a",
            "synth-1-1234567\u{e9}",
            "sp1",
            "s",
        ]
        .map(String::from)
        .to_vec();
        let mut expected = words.clone();
        expected.sort_unstable();
        assert_eq!(sorted_as_a_part(&words), expected);
    }

    proptest::proptest! {
        #[test]
        fn any_part_sorts_as_its_words_do(
            tails in proptest::collection::hash_set("[0-9a-c\u{e9}]{0,20}", 0..60),
            prefix in "(synth-1-|s|sy|synth-1-2127128)",
        ) {
            let words: Vec<String> = tails.into_iter().map(|t| format!("{prefix}{t}")).collect();
            let mut expected = words.clone();
            expected.sort_unstable();
            proptest::prop_assert_eq!(sorted_as_a_part(&words), expected);
        }
    }

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

    /// Every location's words and folded name, as `brute_force` reads them.
    struct Tokenised {
        words: Vec<Vec<String>>,
        names: Vec<String>,
    }

    fn tokenise(locations: &[Location]) -> Tokenised {
        let words = locations
            .iter()
            .map(|l| {
                let compact = l.postcode.replace(' ', "");
                let mut words: Vec<String> = searchable_fields(l, &compact)
                    .iter()
                    .flat_map(|f| words_of(f))
                    .collect();
                words.push(normalise(&l.id));
                words
            })
            .collect();
        let names = locations.iter().map(|l| normalise(&l.name)).collect();
        Tokenised { words, names }
    }

    /// The matching rules applied word by word to every location, with no index: the oracle
    /// the index's answers (and their order) must equal.
    fn brute_force(locations: &Tokenised, query: &str) -> Vec<u32> {
        let terms: Vec<String> = words_of(query).into_iter().take(255).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        let kind = |term: &str, word: &str| {
            let first: String = term.chars().take(FUZZY_SHARED_LETTERS).collect();
            if word == term {
                Some(MatchKind::Exact)
            } else if word.starts_with(term) {
                Some(MatchKind::Prefix)
            } else if allowed_edits(term) > 0
                && word.starts_with(first.as_str())
                && within_edits(term, word, allowed_edits(term))
            {
                Some(MatchKind::Fuzzy)
            } else {
                None
            }
        };
        let mut hits: Vec<(u16, &str, u32)> = Vec::new();
        for (i, (words, name)) in locations.words.iter().zip(&locations.names).enumerate() {
            let mut score = 0u16;
            let all = terms.iter().all(|t| {
                let best = words.iter().filter_map(|w| kind(t, w)).max();
                score += best.map_or(0, |k| k as u16);
                best.is_some()
            });
            if all {
                hits.push((score, name, i as u32));
            }
        }
        hits.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)).then(a.2.cmp(&b.2)));
        hits.into_iter().map(|(_, _, i)| i).collect()
    }

    #[test]
    fn the_index_answers_as_the_rules_applied_to_every_location() {
        let bytes = std::fs::read(concat!(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
            "/public/data/snapshot.bin"
        ))
        .unwrap_or_default();
        let Ok(snapshot) = crate::snapshot::decode(&bytes) else {
            panic!("the bundled snapshot decodes");
        };
        let index = SearchIndex::new(&snapshot);
        let tokenised = tokenise(&snapshot.locations);
        let queries = [
            "oldham",
            "oldahm",
            "shrewsbury",
            "shrewsbry",
            "shrwesbury",
            "SY3 8DN",
            "sy38dn",
            "care home",
            "beech house",
            "beech huose",
            "telford",
            "ludlow",
            "oswestyr",
            "market drayton",
            "st johns",
            "St John's",
            "albrighton medical",
            "1-556658867",
            "dental",
            "home care",
            "café",
            "zzqqxxjj",
            "  --  ",
            "o o o",
            "b",
            "surgery",
        ];
        for query in queries {
            let mut typed = String::new();
            for c in query.chars() {
                typed.push(c);
                assert_eq!(
                    index.search(&typed),
                    brute_force(&tokenised, &typed),
                    "query {typed:?}"
                );
            }
        }
    }

    /// Every keystroke of the benchmark's queries (bench/queries.json), on the bundled data
    /// and on a set three times its size made from it, where most names are shared by three
    /// locations (ties broken by index), the locations are not in name order (so a location's
    /// number and its place in name order differ) and a one-letter term matches most of the
    /// set: the index answers as the rules do.
    #[test]
    fn every_benchmark_keystroke_is_answered_as_the_rules_answer_it() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/data/snapshot.bin"
        ))
        .unwrap_or_default();
        let Ok(snapshot) = crate::snapshot::decode(&bytes) else {
            panic!("the bundled snapshot decodes");
        };
        let mut tripled = Vec::new();
        for (copy, town) in ["", "Shrewsbury", "Oldham"].iter().enumerate() {
            tripled.extend(snapshot.locations.iter().map(|l| Location {
                id: format!("{}{copy}", l.id),
                city: if town.is_empty() {
                    l.city.clone()
                } else {
                    town.to_string()
                },
                postcode: format!("SY{copy} {}", l.postcode),
                ..l.clone()
            }));
        }
        let queries: serde_json::Value =
            serde_json::from_str(include_str!("../../../../bench/queries.json"))
                .unwrap_or_default();
        let queries: Vec<&str> = queries["queries"]
            .as_array()
            .map(|a| a.iter().filter_map(|q| q.as_str()).collect())
            .unwrap_or_default();
        assert!(queries.len() >= 20, "{} benchmark queries", queries.len());
        for locations in [&snapshot.locations, &tripled] {
            let index = SearchIndex::from_locations(locations);
            let tokenised = tokenise(locations);
            let mut most_of_the_set = 0;
            for query in &queries {
                let mut typed = String::new();
                for c in query.chars() {
                    typed.push(c);
                    let found = index.search(&typed);
                    most_of_the_set += usize::from(found.len() * 8 >= locations.len());
                    assert_eq!(found, brute_force(&tokenised, &typed), "query {typed:?}");
                }
            }
            assert!(most_of_the_set > 5, "{most_of_the_set} broad keystrokes");
        }
    }

    #[test]
    fn the_trie_walk_finds_what_word_by_word_distances_find() {
        let words = [
            "oldham",
            "oldhams",
            "olden",
            "oldbury",
            "ol",
            "oxford",
            "shrewsbury",
            "shrews",
            "shrewsberry",
            "synth",
            "synthetic",
            "sy3",
            "sy38dn",
            "beech",
            "beeches",
            "bech",
        ];
        let mut sorted: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        sorted.sort();
        let index = SearchIndex {
            words: sorted.clone(),
            ..SearchIndex::default()
        };
        for term in [
            "oldahm",
            "oldhma",
            "olhdam",
            "shrewsbry",
            "shrwsbury",
            "beehc",
            "synthetci",
            "oxfrod",
        ] {
            for limit in 1..=2 {
                let mut found = Vec::new();
                index.fuzzy_words(term, limit, 0..sorted.len(), &mut found);
                let found: Vec<&str> = found
                    .into_iter()
                    .flatten()
                    .map(|i| sorted[i].as_str())
                    .collect();
                let expected: Vec<&str> = sorted
                    .iter()
                    .filter(|w| within_edits(term, w, limit))
                    .map(String::as_str)
                    .collect();
                assert_eq!(found, expected, "{term} within {limit}");
            }
        }
    }
}
