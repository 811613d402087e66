//! Synthetic national-scale benchmark data: a Latest ratings CSV whose ratings are resampled
//! from the real rows of a small Latest ratings extract (by default Shropshire's), and whose
//! text is new for every location: names, streets, postcodes and ids drawn from the real
//! data's distributions (a word-level Markov chain over the real names and streets, the real
//! postcode areas, dates spread around the real ones), so that it compresses as real national
//! text does rather than as 240 locations repeated 250 times. CQC's national file is not
//! available offline, and benchmarks need its scale and its entropy, not its exact content.
//! The output is deterministic: the same source, count and seed always give the same bytes.

use super::columns::normalise;
use std::collections::HashMap;
use std::io::Write;

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 1;

/// The number of locations generated when none is given: about the size of CQC's register.
pub const DEFAULT_LOCATIONS: u32 = 60_000;

/// CQC's own Latest ratings columns, in CQC's order. Columns a source extract added of its own
/// (geography, deprivation) are not carried into the synthetic file, which imitates CQC's.
const CQC_COLUMNS: [&str; 28] = [
    "Location ID",
    "Location ODS Code",
    "Location Name",
    "Care Home?",
    "Location Type",
    "Location Primary Inspection Category",
    "Location Street Address",
    "Location Address Line 2",
    "Location City",
    "Location Post Code",
    "Location Local Authority",
    "Location Region",
    "Location NHS Region",
    "Location ONSPD CCG Code",
    "Location ONSPD CCG",
    "Location Commissioning CCG Code",
    "Location Commissioning CCG Name",
    "Service / Population Group",
    "Domain",
    "Latest Rating",
    "Publication Date",
    "Report Type",
    "Inherited Rating (Y/N)",
    "URL",
    "Provider ID",
    "Provider Name",
    "Brand ID",
    "Brand Name",
];

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthOptions {
    pub locations: u32,
    pub seed: u64,
}

impl Default for SynthOptions {
    fn default() -> Self {
        SynthOptions {
            locations: DEFAULT_LOCATIONS,
            seed: DEFAULT_SEED,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthSummary {
    pub locations: u32,
    pub providers: u32,
    /// Data rows written (the note row and the header not counted).
    pub rows: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("the source extract has no \"{0}\" column in its first row")]
    MissingColumn(&'static str),
    #[error("the source extract has no rows to resample")]
    NoRows,
    #[error("the source extract cannot be read: {0}")]
    Source(String),
    #[error("cannot write the synthetic file: {0}")]
    Write(String),
}

/// splitmix64: tiny, fast and fully specified, so the output never depends on a crate's
/// version of a random number generator.
#[derive(Debug, Clone)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0), by multiply-shift rather than `%` so small ranges are
    /// not biased towards their low end.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// A word-level Markov chain (order 1) over real texts: each text is a walk from the start
/// through words that followed each other in some real text, so names look like names, reuse
/// the real vocabulary as often as real names do, and are mostly new combinations.
struct WordChain {
    /// For each word (and the start, `""`), the words that followed it, with repeats, and
    /// `""` for "the text ended here".
    next: HashMap<String, Vec<String>>,
}

impl WordChain {
    fn from_texts<'a>(texts: impl Iterator<Item = &'a str>) -> WordChain {
        let mut next: HashMap<String, Vec<String>> = HashMap::new();
        for text in texts {
            let mut previous = String::new();
            for word in text.split_whitespace() {
                next.entry(previous).or_default().push(word.to_string());
                previous = word.to_string();
            }
            if !previous.is_empty() {
                next.entry(previous).or_default().push(String::new());
            }
        }
        WordChain { next }
    }

    /// One walk, at most `MAX_WORDS` long; empty if the chain has no texts.
    fn walk(&self, rng: &mut SplitMix64) -> String {
        const MAX_WORDS: usize = 6;
        let mut words: Vec<&str> = Vec::new();
        let mut at = "";
        while words.len() < MAX_WORDS {
            let Some(choices) = self.next.get(at).filter(|c| !c.is_empty()) else {
                break;
            };
            let word = choices[rng.below(choices.len())].as_str();
            if word.is_empty() {
                break;
            }
            words.push(word);
            at = word;
        }
        words.join(" ")
    }
}

/// Letters CQC's postcodes use in the inward code's last two places (the Royal Mail excludes
/// C, I, K, M, O and V there).
const INWARD_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// Text for one synthetic location, new each time, from the source's distributions.
struct TextSource {
    names: WordChain,
    streets: WordChain,
    providers: WordChain,
    /// Postcode areas with their districts as in the source ("SY", "3"), with repeats.
    outward: Vec<(String, String)>,
    used_names: std::collections::HashSet<String>,
    used_ids: std::collections::HashSet<u64>,
}

impl TextSource {
    /// A name no earlier location has: a walk of the chain, with a real street word added (as
    /// real duplicates are told apart by place) until it is new.
    fn unique_name(&mut self, rng: &mut SplitMix64) -> String {
        let mut name = self.names.walk(rng);
        for _ in 0..8 {
            if !name.is_empty() && self.used_names.insert(name.clone()) {
                return name;
            }
            let place = self.streets.walk(rng);
            let place = place.split_whitespace().next().unwrap_or("New").to_string();
            name = format!("{place} {}", self.names.walk(rng));
        }
        // Astronomically rare: a number makes it unique.
        let name = format!("{name} {}", self.used_names.len());
        self.used_names.insert(name.clone());
        name
    }

    /// A street with a house number as often as real addresses have one.
    fn street(&self, rng: &mut SplitMix64) -> String {
        let street = self.streets.walk(rng);
        if rng.below(2) == 0 {
            format!("{} {street}", 1 + rng.below(240))
        } else {
            street
        }
    }

    fn postcode(&self, rng: &mut SplitMix64) -> String {
        let (area, district) = match self.outward.get(rng.below(self.outward.len().max(1))) {
            Some((area, district)) => (area.clone(), district.clone()),
            None => ("SY".to_string(), "1".to_string()),
        };
        let letter = |rng: &mut SplitMix64| INWARD_LETTERS[rng.below(INWARD_LETTERS.len())] as char;
        format!(
            "{area}{district} {}{}{}",
            rng.below(10),
            letter(rng),
            letter(rng)
        )
    }

    /// A number of 9 or 10 digits, as CQC's ids carry after "1-", never given before.
    fn unique_number(&mut self, rng: &mut SplitMix64) -> u64 {
        loop {
            let digits = if rng.below(3) == 0 {
                1_000_000_000
            } else {
                100_000_000
            };
            let number = digits + rng.next_u64() % (9 * digits);
            if self.used_ids.insert(number) {
                return number;
            }
        }
    }
}

/// How far each synthetic location's publication dates move from its source location's, at
/// most, in days: national dates spread over every working day of a decade, Shropshire's over
/// a few hundred of them.
const DATE_SPREAD_DAYS: i64 = 120;

/// One source location: its rows, each already cut to `CQC_COLUMNS` order.
struct SourceLocation {
    provider_id: String,
    rows: Vec<Vec<String>>,
}

/// Where the columns the generator rewrites sit in `CQC_COLUMNS`.
struct Rekeyed {
    location_id: usize,
    ods_code: usize,
    location_name: usize,
    street: usize,
    address_line_2: usize,
    postcode: usize,
    published: usize,
    url: usize,
    provider_id: usize,
    provider_name: usize,
    brand_name: usize,
}

fn cell(row: &[String], index: usize) -> &str {
    row.get(index).map(String::as_str).unwrap_or("")
}

fn position(header: &str) -> usize {
    CQC_COLUMNS.iter().position(|c| *c == header).unwrap_or(0)
}

/// The first line of every synthetic file: a note row above the header (ingest searches for
/// the header below notes, as in CQC's own files), so nobody mistakes the file for CQC's.
pub fn note_line(options: &SynthOptions, source_name: &str) -> String {
    format!(
        "SYNTHETIC BENCHMARK DATA, NOT CQC RATINGS: made by `cqc synth --locations {} --seed {}` by resampling the ratings of {source_name} under invented ids (SYNTH-...), names, addresses and dates. Contains public sector information licensed under the Open Government Licence v3.0.",
        options.locations, options.seed
    )
}

/// Writes a synthetic Latest ratings CSV to `out`: a note row, CQC's header (in the source's
/// spelling), then `options.locations` locations, each a copy of a randomly chosen source
/// location's rows under a new id.
pub fn synthesise(
    source_name: &str,
    source_csv: &[u8],
    options: &SynthOptions,
    out: impl Write,
) -> Result<SynthSummary, SynthError> {
    let (header, sources) = read_source(source_csv)?;
    if sources.is_empty() {
        return Err(SynthError::NoRows);
    }
    let at = Rekeyed {
        location_id: position("Location ID"),
        ods_code: position("Location ODS Code"),
        location_name: position("Location Name"),
        street: position("Location Street Address"),
        address_line_2: position("Location Address Line 2"),
        postcode: position("Location Post Code"),
        published: position("Publication Date"),
        url: position("URL"),
        provider_id: position("Provider ID"),
        provider_name: position("Provider Name"),
        brand_name: position("Brand Name"),
    };
    let write_error = |e: csv::Error| SynthError::Write(e.to_string());
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(out);
    writer
        .write_record([note_line(options, source_name)])
        .map_err(write_error)?;
    writer.write_record(&header).map_err(write_error)?;

    let mut rng = SplitMix64(options.seed);
    let seed = options.seed;
    let mut text = text_source(&sources, &at);
    // Locations of one source provider drawn into the same batch (one batch per pass over the
    // source's size) share a synthetic provider, so providers keep several locations each.
    let mut providers: HashMap<(usize, &str), (u64, String)> = HashMap::new();
    let mut rows = 0u64;
    let latest = sources
        .iter()
        .flat_map(|s| &s.rows)
        .filter_map(|row| parse_day(cell(row, at.published)))
        .max();
    for number in 1..=options.locations {
        let Some(source) = sources.get(rng.below(sources.len())) else {
            continue;
        };
        let batch = (number as usize - 1) / sources.len();
        let location_id = format!("SYNTH-{seed}-{}", text.unique_number(&mut rng));
        let (provider_number, provider_name) =
            match providers.get(&(batch, source.provider_id.as_str())) {
                Some(known) => known.clone(),
                None => {
                    let made = (text.unique_number(&mut rng), text.providers.walk(&mut rng));
                    providers.insert((batch, source.provider_id.as_str()), made.clone());
                    made
                }
            };
        let provider_id = format!("SYNTH-{seed}-P{provider_number}");
        let name = text.unique_name(&mut rng);
        let street = text.street(&mut rng);
        let postcode = text.postcode(&mut rng);
        let shift = rng.below(2 * DATE_SPREAD_DAYS as usize + 1) as i64 - DATE_SPREAD_DAYS;
        for source_row in &source.rows {
            let mut row = source_row.clone();
            let mut set = |index: usize, value: String| {
                if let Some(cell) = row.get_mut(index) {
                    *cell = value;
                }
            };
            set(at.location_id, location_id.clone());
            // Real ODS codes and report links would point at the real location.
            set(at.ods_code, String::new());
            set(at.url, String::new());
            set(at.location_name, name.clone());
            set(at.street, street.clone());
            set(at.address_line_2, String::new());
            set(at.postcode, postcode.clone());
            set(
                at.published,
                shifted_date(cell(source_row, at.published), shift, latest),
            );
            set(at.provider_id, provider_id.clone());
            set(at.provider_name, provider_name.clone());
            let brand = cell(source_row, at.brand_name);
            if !brand.is_empty() && brand != "-" {
                set(at.brand_name, format!("{brand} (synthetic)"));
            }
            writer.write_record(&row).map_err(write_error)?;
            rows += 1;
        }
    }
    writer
        .flush()
        .map_err(|e| SynthError::Write(e.to_string()))?;
    Ok(SynthSummary {
        locations: options.locations,
        providers: providers.len() as u32,
        rows,
    })
}

/// The chains and postcode areas of the source's text.
fn text_source(sources: &[SourceLocation], at: &Rekeyed) -> TextSource {
    let first_rows = || sources.iter().filter_map(|s| s.rows.first());
    let outward = first_rows()
        .filter_map(|row| {
            let outward = cell(row, at.postcode)
                .split_whitespace()
                .next()?
                .to_string();
            let split = outward.find(|c: char| c.is_ascii_digit())?;
            let (area, district) = outward.split_at(split);
            Some((area.to_string(), district.to_string()))
        })
        .collect();
    TextSource {
        names: WordChain::from_texts(first_rows().map(|r| cell(r, at.location_name))),
        streets: WordChain::from_texts(first_rows().map(|r| {
            // The street without its house number: numbers are drawn apart.
            let street = cell(r, at.street);
            street.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '-')
        })),
        providers: WordChain::from_texts(first_rows().map(|r| cell(r, at.provider_name))),
        outward,
        used_names: Default::default(),
        used_ids: Default::default(),
    }
}

fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y").ok()
}

/// A `DD/MM/YYYY` date moved by `days`, never past `latest` (the source's newest date: a
/// synthetic rating published after the data's date would be refused); anything else is kept.
fn shifted_date(text: &str, days: i64, latest: Option<chrono::NaiveDate>) -> String {
    match parse_day(text) {
        Some(date) => {
            let moved = date + chrono::Duration::days(days);
            let moved = latest.map_or(moved, |latest| moved.min(latest));
            moved.format("%d/%m/%Y").to_string()
        }
        None => text.to_string(),
    }
}

/// The source's header cut to CQC's columns, and its locations in first-seen order.
fn read_source(source_csv: &[u8]) -> Result<(Vec<String>, Vec<SourceLocation>), SynthError> {
    let source_csv = source_csv
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(source_csv);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(source_csv);
    let mut records = reader.records();
    let first = records
        .next()
        .ok_or(SynthError::NoRows)?
        .map_err(|e| SynthError::Source(e.to_string()))?;
    let normalised: Vec<String> = first.iter().map(normalise).collect();
    // For each CQC column, where it sits in the source (absent optional columns stay empty).
    let mut source_positions: Vec<Option<usize>> = Vec::with_capacity(CQC_COLUMNS.len());
    let mut header = Vec::with_capacity(CQC_COLUMNS.len());
    for column in CQC_COLUMNS {
        let wanted = normalise(column);
        let found = normalised.iter().position(|n| *n == wanted);
        header.push(
            found
                .and_then(|p| first.get(p))
                .unwrap_or(column)
                .to_string(),
        );
        source_positions.push(found);
    }
    for required in [
        "Location ID",
        "Location Name",
        "Provider ID",
        "Provider Name",
    ] {
        if source_positions
            .get(position(required))
            .copied()
            .flatten()
            .is_none()
        {
            return Err(SynthError::MissingColumn(required));
        }
    }
    let source_position = |column: &str| {
        source_positions
            .get(position(column))
            .copied()
            .flatten()
            .unwrap_or(0)
    };
    let location_at = source_position("Location ID");
    let provider_at = source_position("Provider ID");
    let mut locations: Vec<SourceLocation> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for record in records {
        let record = record.map_err(|e| SynthError::Source(e.to_string()))?;
        let id = record.get(location_at).unwrap_or("").trim();
        if id.is_empty() {
            continue;
        }
        let row: Vec<String> = source_positions
            .iter()
            .map(|p| p.and_then(|p| record.get(p)).unwrap_or("").to_string())
            .collect();
        let slot = *index.entry(id.to_string()).or_insert_with(|| {
            locations.push(SourceLocation {
                provider_id: record.get(provider_at).unwrap_or("").trim().to_string(),
                rows: Vec::new(),
            });
            locations.len() - 1
        });
        if let Some(location) = locations.get_mut(slot) {
            location.rows.push(row);
        }
    }
    Ok((header, locations))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // The first outputs of splitmix64 seeded with 0 (Vigna's reference implementation).
        let mut rng = SplitMix64(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    fn shropshire() -> Vec<u8> {
        let path = concat!(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
            "/tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv"
        );
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn generate(locations: u32, seed: u64) -> (Vec<u8>, SynthSummary) {
        let mut out = Vec::new();
        let options = SynthOptions { locations, seed };
        let summary = synthesise("shropshire.csv", &shropshire(), &options, &mut out)
            .unwrap_or_else(|e| panic!("synthesise: {e}"));
        (out, summary)
    }

    #[test]
    fn same_seed_same_bytes_other_seed_other_bytes() {
        let (first, _) = generate(500, 42);
        let (again, _) = generate(500, 42);
        let (other, _) = generate(500, 43);
        assert_eq!(first, again);
        assert_ne!(first, other);
    }

    #[test]
    fn ingest_accepts_every_synthetic_row_under_the_note() {
        let (bytes, summary) = generate(1_000, DEFAULT_SEED);
        let text = String::from_utf8(bytes.clone()).unwrap_or_default();
        assert!(text.starts_with("\"SYNTHETIC BENCHMARK DATA, NOT CQC RATINGS"));
        let ingested = super::super::read_latest_ratings("synthetic.csv", &bytes)
            .unwrap_or_else(|e| panic!("ingest: {e}"));
        assert_eq!(ingested.locations.len(), 1_000);
        assert_eq!(summary.locations, 1_000);
        // Shropshire locations carry 6 to 47 rows each.
        assert!((6_000..=47_000).contains(&summary.rows));
        assert_eq!(ingested.report.rows_read(), summary.rows);
        assert_eq!(ingested.report.rows_accepted(), summary.rows);
        assert!(ingested.report.issues.is_empty());
        assert!(ingested.report.reconciles());
        let first = &ingested.locations[0];
        assert!(first.id.starts_with("SYNTH-1-"));
        assert!(first.provider_id.starts_with("SYNTH-1-P"));
        assert_eq!(first.report_url, None);
        // Every location's name, id and postcode is its own, as in CQC's register.
        let distinct = |f: fn(&crate::model::Location) -> &str| {
            ingested
                .locations
                .iter()
                .map(f)
                .collect::<std::collections::HashSet<_>>()
                .len()
        };
        assert_eq!(distinct(|l| &l.id), 1_000);
        assert_eq!(distinct(|l| &l.name), 1_000);
        assert!(distinct(|l| &l.postcode) > 990);
        assert!(distinct(|l| &l.street) > 500, "{}", distinct(|l| &l.street));
        assert!(ingested
            .locations
            .iter()
            .all(|l| l.id.starts_with("SYNTH-1-") && l.local_authority == "Shropshire"));
        // Far fewer providers than locations: providers keep several locations each.
        assert!(summary.providers < 1_000 && summary.providers > 100);
    }

    #[test]
    fn a_source_without_location_ids_is_refused() {
        let mut out = Vec::new();
        let result = synthesise(
            "x.csv",
            b"name,rating\nA,Good\n",
            &SynthOptions::default(),
            &mut out,
        );
        assert!(matches!(
            result,
            Err(SynthError::MissingColumn("Location ID"))
        ));
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64(7);
        assert!((0..10_000).all(|_| rng.below(249) < 249));
    }
}
