//! Synthetic national-scale benchmark data: a Latest ratings CSV made by resampling the real
//! rows of a small Latest ratings extract (by default Shropshire's) under invented ids and
//! names. CQC's national file is not available offline, and benchmarks need its scale, not its
//! exact content. The output is deterministic: the same source, count and seed always give the
//! same bytes, so benchmark runs compare like with like.

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
        "SYNTHETIC BENCHMARK DATA, NOT CQC RATINGS: made by `cqc synth --locations {} --seed {}` by resampling the real rows of {source_name} under invented ids (SYNTH-...) and names. Contains public sector information licensed under the Open Government Licence v3.0.",
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
    // Locations of one source provider drawn into the same batch (one batch per pass over the
    // source's size) share a synthetic provider, so providers keep several locations each.
    let mut providers: HashMap<(usize, &str), u32> = HashMap::new();
    let mut rows = 0u64;
    for number in 1..=options.locations {
        let Some(source) = sources.get(rng.below(sources.len())) else {
            continue;
        };
        let batch = (number as usize - 1) / sources.len();
        let next_provider = providers.len() as u32 + 1;
        let provider_number = *providers
            .entry((batch, source.provider_id.as_str()))
            .or_insert(next_provider);
        let location_id = format!("SYNTH-{seed}-{number:06}");
        let provider_id = format!("SYNTH-{seed}-P{provider_number:06}");
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
            set(
                at.location_name,
                format!(
                    "{} (synthetic {number:06})",
                    cell(source_row, at.location_name)
                ),
            );
            set(at.provider_id, provider_id.clone());
            set(
                at.provider_name,
                format!(
                    "{} (synthetic P{provider_number:06})",
                    cell(source_row, at.provider_name)
                ),
            );
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
        assert_eq!(first.id, "SYNTH-1-000001");
        assert!(first.name.ends_with("(synthetic 000001)"));
        assert!(first.provider_id.starts_with("SYNTH-1-P"));
        assert!(first.provider_name.contains("(synthetic P"));
        assert_eq!(first.report_url, None);
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
