//! The data layout the site serves: the data cut into files so that a page fetches only what
//! it shows. A small manifest (`manifest.json`: the data's date and sources, counts, the
//! filters' choices, and the name of every other file) is the one file every visit fetches;
//! then, each when first needed:
//!
//! - `status` — one byte per location (overall rating, closed or not): the counts and the
//!   closed split of any list;
//! - `search-<n>` and `prefix-<letter>` — the search index in shards (`search::shard`): runs of
//!   words by their first three letters, and the answers for one- and two-letter words;
//! - `cards-<n>` — a search result's line, [`CARDS_PER_FILE`] locations a file;
//! - `rows-<n>` — the list's rows, [`ROWS_PER_FILE`] locations a file in name order, with
//!   what country-wide pages read (ratings, statement scores, dates, registration, facts) and
//!   without the history and CQC's commentary;
//! - `loc-<n>` — every location whole (history, reports, CQC's commentary), in buckets chosen
//!   by a hash of the location's id, so a location page finds its file from the id alone.
//!
//! Locations are numbered in name order (the search index's final tie-break), so a search
//! result's number is also where its row is. `rows` and `loc` files are snapshots
//! (`crate::snapshot`), checksummed chunk by chunk. Every name but the manifest's carries a
//! hash of the file's bytes, so a host may let browsers keep them forever. docs/data-layout.md
//! gives the byte layout and the measurements behind each choice.

mod cards;
mod read;
mod status;
mod write;

pub use cards::{cards_name, decode_cards, Card, CARDS_PER_FILE};
pub use read::{
    assemble, check_hash, decode_locations, read_layout, read_manifest, LayoutError, WholeBuilder,
};
pub use status::{LocationStatus, StatusColumn};
pub use write::Written;

use crate::model::{Location, Snapshot, SnapshotMeta};
use crate::search::{normalise, ranges_for, shard_needs, SearchIndex, ShardNeed};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The manifest's file name: the one name without a hash, fetched afresh on every visit.
pub const MANIFEST: &str = "manifest.json";

/// The version of this layout; a manifest of another is refused with its version.
pub const LAYOUT_VERSION: u32 = 1;

/// Rows per `rows` file. A page of 25 results in name order falls in one or two files; at
/// national scale a file is about 9 kB compressed (docs/data-layout.md).
pub const ROWS_PER_FILE: usize = 256;

/// The raw size a `loc` bucket aims at: about 10 kB once compressed on the real data, so a
/// location page's one data file stays well under 30 kB even for a bucket of heavy reports.
pub const BUCKET_TARGET_BYTES: usize = 40_000;

/// The size a range shard of the search index aims at, as written: about 10 kB compressed, so
/// a word's first keystroke fetches that much (docs/data-layout.md).
pub const SHARD_TARGET_BYTES: usize = 24_000;

/// Hex digits of the content hash in a file's name: 48 bits, so two versions of a file share
/// a name by chance about once in 10^14.
const HASH_DIGITS: usize = 12;

/// What every visit fetches first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub layout_version: u32,
    pub meta: SnapshotMeta,
    pub location_count: usize,
    /// Locations whose registration is still current (not closed, not dormant).
    pub current_count: usize,
    pub rows_per_file: usize,
    /// The `rows` files in order: file `n` holds locations `n × rows_per_file` onwards.
    pub rows: Vec<String>,
    /// The `loc` buckets: a location's is `buckets[bucket_of(id, buckets.len())]`.
    pub buckets: Vec<String>,
    /// The range shards of the search index, in order, each with its first word.
    pub shards: Vec<RangeShardFile>,
    /// The prefix shards of the search index, by first letter.
    pub prefixes: BTreeMap<String, String>,
    /// Cards files: `cards_files` of them, named by `cards_name` with this hash.
    pub cards_hash: String,
    pub cards_files: usize,
    /// The `status` column.
    pub status: String,
    /// The choices the search page's filters offer.
    pub vocabulary: Vocabulary,
}

/// A range shard's file and its first word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeShardFile {
    pub first: String,
    pub file: String,
}

/// The distinct values of the fields the search page filters by, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Vocabulary {
    pub sectors: Vec<String>,
    pub regions: Vec<String>,
    pub local_authorities: Vec<String>,
    pub specialisms: Vec<String>,
}

impl Manifest {
    /// The `rows` file holding location `number`, and its place in that file.
    pub fn row_file(&self, number: usize) -> Option<(&str, usize)> {
        let per_file = self.rows_per_file.max(1);
        if number >= self.location_count {
            return None;
        }
        self.rows
            .get(number / per_file)
            .map(|name| (name.as_str(), number % per_file))
    }

    /// The `loc` bucket holding the location with this id (if it is in the data).
    pub fn bucket_file(&self, id: &str) -> Option<&str> {
        self.buckets
            .get(bucket_of(id, self.buckets.len()))
            .map(String::as_str)
    }

    /// Reads a manifest, refusing another layout version.
    pub fn from_json(text: &str) -> Result<Manifest, LayoutError> {
        #[derive(Deserialize)]
        struct Version {
            layout_version: u32,
        }
        let version: Version = serde_json::from_str(text)
            .map_err(|e| LayoutError::Manifest(format!("not a data manifest: {e}")))?;
        if version.layout_version != LAYOUT_VERSION {
            return Err(LayoutError::Manifest(format!(
                "data layout version {} is not supported (this build reads version {LAYOUT_VERSION}); rebuild it with `cqc ingest`",
                version.layout_version
            )));
        }
        let manifest: Manifest = serde_json::from_str(text)
            .map_err(|e| LayoutError::Manifest(format!("not a data manifest: {e}")))?;
        let per_file = manifest.rows_per_file.max(1);
        if manifest.rows.len() != manifest.location_count.div_ceil(per_file) {
            return Err(LayoutError::Manifest(format!(
                "{} rows files for {} locations at {per_file} a file",
                manifest.rows.len(),
                manifest.location_count
            )));
        }
        if manifest.buckets.is_empty() && manifest.location_count > 0 {
            return Err(LayoutError::Manifest("no location buckets".into()));
        }
        Ok(manifest)
    }

    pub fn to_json(&self) -> String {
        // Strings, numbers and maps with string keys: serialising cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Every file the manifest names, each once.
    pub fn files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .rows
            .iter()
            .chain(&self.buckets)
            .chain(self.shards.iter().map(|s| &s.file))
            .chain(self.prefixes.values())
            .cloned()
            .collect();
        files.extend((0..self.cards_files).map(|n| cards_name(n, &self.cards_hash)));
        files.push(self.status.clone());
        files
    }

    /// The search shards `query` needs, each once: the need and its file (a need no shard
    /// answers, a letter no word begins with, has none).
    pub fn shard_files(&self, query: &str) -> Vec<(ShardNeed, String)> {
        let mut files: Vec<(ShardNeed, String)> = Vec::new();
        for need in shard_needs(query) {
            let file = match &need {
                ShardNeed::Prefix(letter) => self.prefixes.get(letter).cloned(),
                ShardNeed::Range(prefix) => {
                    let firsts: Vec<&str> = self.shards.iter().map(|s| s.first.as_str()).collect();
                    for shard in &self.shards[ranges_for(&firsts, prefix)] {
                        if !files.iter().any(|(_, f)| *f == shard.file) {
                            files.push((need.clone(), shard.file.clone()));
                        }
                    }
                    None
                }
            };
            if let Some(file) = file {
                if !files.iter().any(|(_, f)| *f == file) {
                    files.push((need, file));
                }
            }
        }
        files
    }

    /// The cards file holding location `number`, its place in the file, and the file's number.
    pub fn card_file(&self, number: usize) -> Option<(String, usize, usize)> {
        (number < self.location_count).then(|| {
            let n = number / CARDS_PER_FILE;
            (cards_name(n, &self.cards_hash), number % CARDS_PER_FILE, n)
        })
    }
}

/// The bucket of a location id among `buckets`: FNV-1a of the id's bytes, so any reader (the
/// page, the CLI, a script) finds a location's file without a table of ids.
pub fn bucket_of(id: &str, buckets: usize) -> usize {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    (hash % buckets.max(1) as u64) as usize
}

/// The hash a file's name carries: the first `HASH_DIGITS` (12) hex digits of its xxh3.
pub fn content_hash(bytes: &[u8]) -> String {
    let hex = format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes));
    hex[..HASH_DIGITS].to_string()
}

/// A file's name from its kind, its place and its bytes: `rows-3.0123456789ab.bin`.
fn file_name(kind: &str, bytes: &[u8]) -> String {
    format!("{kind}.{}.bin", content_hash(bytes))
}

/// The hash part of a layout file's name, if it has one.
pub fn hash_in_name(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".bin")?;
    let (_, hash) = stem.rsplit_once('.')?;
    (hash.len() == HASH_DIGITS && hash.bytes().all(|b| b.is_ascii_hexdigit())).then_some(hash)
}

/// A location as the list and country-wide pages read it: everything but its earlier
/// ratings, its older reports and CQC's commentary, which only its own page shows.
pub fn row_of(location: &Location) -> Location {
    let mut row = location.clone();
    row.detail.history = Vec::new();
    row.detail.commentary = Vec::new();
    // The newest report dates the re-inspection clock; the older ones are the location page's.
    row.detail.reports.truncate(1);
    row
}

/// The order the layout stores locations in: the search index's name order (the folded name,
/// then the original order).
pub fn name_order(locations: &[Location]) -> Vec<usize> {
    let names: Vec<String> = locations.iter().map(|l| normalise(&l.name)).collect();
    let mut order: Vec<usize> = (0..locations.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]).then(a.cmp(&b)));
    order
}

/// The layout's files, built from a snapshot: the manifest and every file it names.
pub struct Layout {
    pub manifest: Manifest,
    /// Every file but the manifest, by name.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Layout {
    /// Splits `snapshot` into the layout's files.
    pub fn build(snapshot: &Snapshot) -> Layout {
        let order = name_order(&snapshot.locations);
        let ordered: Vec<Location> = order
            .iter()
            .map(|&i| snapshot.locations[i].clone())
            .collect();
        let mut files = BTreeMap::new();
        let mut add = |kind: String, bytes: Vec<u8>| {
            let name = file_name(&kind, &bytes);
            files.insert(name.clone(), bytes);
            name
        };
        let part = |locations: Vec<Location>| {
            crate::snapshot::encode(&Snapshot {
                meta: SnapshotMeta::default(),
                locations,
            })
        };

        let rows: Vec<String> = ordered
            .chunks(ROWS_PER_FILE)
            .enumerate()
            .map(|(n, chunk)| {
                add(
                    format!("rows-{n}"),
                    part(chunk.iter().map(row_of).collect()),
                )
            })
            .collect();

        let whole_bytes = crate::snapshot::encode(&Snapshot {
            meta: SnapshotMeta::default(),
            locations: ordered.clone(),
        })
        .len();
        let bucket_count = whole_bytes.div_ceil(BUCKET_TARGET_BYTES).max(1);
        let mut bucketed: Vec<Vec<Location>> = vec![Vec::new(); bucket_count];
        for location in &ordered {
            bucketed[bucket_of(&location.id, bucket_count)].push(location.clone());
        }
        let buckets: Vec<String> = bucketed
            .into_iter()
            .enumerate()
            .map(|(n, locations)| add(format!("loc-{n}"), part(locations)))
            .collect();

        let (ranges, prefix_shards) =
            SearchIndex::from_locations(&ordered).shards(SHARD_TARGET_BYTES);
        let shards: Vec<RangeShardFile> = ranges
            .into_iter()
            .enumerate()
            .map(|(n, shard)| RangeShardFile {
                file: add(format!("search-{n}"), shard.encode()),
                first: shard.first,
            })
            .collect();
        let prefixes: BTreeMap<String, String> = prefix_shards
            .into_iter()
            .map(|shard| {
                // The letter as hex code point: file names stay ASCII whatever the letter.
                let code = shard.letter.chars().next().map_or(0, u32::from);
                let name = add(format!("prefix-{code:x}"), shard.encode());
                (shard.letter, name)
            })
            .collect();
        let (cards, cards_hash) = cards::cards_files(&ordered);
        let cards_count = cards.len();

        let status_column = StatusColumn::of(&ordered);
        let status = add("status".into(), status_column.encode());
        for (n, bytes) in cards.into_iter().enumerate() {
            files.insert(cards_name(n, &cards_hash), bytes);
        }

        let ordered_snapshot = Snapshot {
            meta: snapshot.meta.clone(),
            locations: ordered,
        };
        let manifest = Manifest {
            rows,
            buckets,
            shards,
            prefixes,
            cards_hash,
            cards_files: cards_count,
            status,
            ..Manifest::of_whole(&ordered_snapshot)
        };
        Layout { manifest, files }
    }
}

impl Manifest {
    /// The manifest of data held whole (a dropped file): its counts and choices, naming no
    /// files, since nothing is fetched.
    pub fn of_whole(snapshot: &Snapshot) -> Manifest {
        Manifest::of_whole_with(snapshot, Vocabulary::of(snapshot))
    }

    /// [`Manifest::of_whole`] with the snapshot's vocabulary already worked out (a
    /// [`VocabularyBuilder`]'s, a run at a time).
    pub fn of_whole_with(snapshot: &Snapshot, vocabulary: Vocabulary) -> Manifest {
        Manifest {
            layout_version: LAYOUT_VERSION,
            meta: snapshot.meta.clone(),
            location_count: snapshot.locations.len(),
            current_count: snapshot.locations.iter().filter(|l| l.is_current()).count(),
            rows_per_file: ROWS_PER_FILE,
            rows: Vec::new(),
            buckets: Vec::new(),
            shards: Vec::new(),
            prefixes: BTreeMap::new(),
            cards_hash: String::new(),
            cards_files: 0,
            status: String::new(),
            vocabulary,
        }
    }
}

impl Vocabulary {
    pub fn of(snapshot: &Snapshot) -> Vocabulary {
        let mut builder = VocabularyBuilder::default();
        builder.add(&snapshot.locations);
        builder.finish()
    }
}

/// [`Vocabulary::of`] a run of locations at a time: the page works out a dropped national
/// file's vocabulary between other tasks (in one go it took 25 ms natively, twice that on the
/// page's thread). Values are borrowed until the few distinct ones are known: a copy of every
/// location's value took over 50 ms.
#[derive(Default)]
pub struct VocabularyBuilder<'a> {
    /// Each location's sector is worked out once per (category, type) pair.
    sector_of: crate::audit::Sectors<'a>,
    sectors: BTreeSet<&'static str>,
    regions: BTreeSet<&'a str>,
    local_authorities: BTreeSet<&'a str>,
    specialisms: BTreeSet<&'a str>,
}

impl<'a> VocabularyBuilder<'a> {
    pub fn add(&mut self, run: &'a [Location]) {
        for location in run {
            self.sectors.insert(self.sector_of.of(location));
            if !location.region.is_empty() {
                self.regions.insert(&location.region);
            }
            if !location.local_authority.is_empty() {
                self.local_authorities.insert(&location.local_authority);
            }
            self.specialisms
                .extend(location.detail.facts.specialisms.iter().map(String::as_str));
        }
    }

    pub fn finish(self) -> Vocabulary {
        let owned = |values: BTreeSet<&str>| values.into_iter().map(str::to_string).collect();
        Vocabulary {
            sectors: owned(self.sectors),
            regions: owned(self.regions),
            local_authorities: owned(self.local_authorities),
            specialisms: owned(self.specialisms),
        }
    }
}

#[cfg(test)]
mod tests;
