//! Round trip on CQC's real data: Latest ratings CSV → snapshot → export (CQC's columns) →
//! ingest again gives the same snapshot, apart from the source file's name; for the whole
//! Shropshire extract, for any subset of its rows (proptest), and for the ratings part of the
//! Oldham API responses.

use cqc_engine::ingest::{
    build_snapshot, read_api_location, read_latest_ratings, write_latest_ratings,
};
use cqc_engine::model::Snapshot;
use proptest::prelude::*;
use std::sync::OnceLock;

const SHROPSHIRE: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv";

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/{path}", concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Ingests one Latest ratings file into a snapshot, as `cqc ingest` does.
fn ingest(name: &str, bytes: &[u8]) -> Snapshot {
    let part = read_latest_ratings(name, bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(part.report.issues.is_empty(), "{:?}", part.report.issues);
    build_snapshot(vec![part], vec![format!("{name}: CQC Latest ratings")]).0
}

fn export(snapshot: &Snapshot) -> Vec<u8> {
    let mut out = Vec::new();
    let summary = write_latest_ratings(snapshot, &mut out).unwrap_or_else(|e| panic!("{e}"));
    let rows: usize = snapshot.locations.iter().map(|l| l.ratings.len()).sum();
    assert_eq!(summary.rows, rows as u64);
    out
}

/// Equal apart from where the data came from.
fn assert_same_data(again: &Snapshot, original: &Snapshot) {
    assert_eq!(again.locations, original.locations);
    let mut meta = again.meta.clone();
    meta.sources.clone_from(&original.meta.sources);
    assert_eq!(meta, original.meta);
}

#[test]
fn the_shropshire_extract_survives_export_and_reingest() {
    let original = ingest("shropshire.csv", &fixture(SHROPSHIRE));
    assert_eq!(original.locations.len(), 249);
    assert_eq!(original.meta.rows_accepted, 2022);
    let exported = export(&original);
    let again = ingest("export.csv", &exported);
    assert_same_data(&again, &original);
    assert_eq!(again.meta.sources, ["export.csv: CQC Latest ratings"]);
    // The export is a fixed point: exporting the re-ingested snapshot gives the same bytes.
    assert_eq!(export(&again), exported);
    let header = exported.split(|b| *b == b'\n').next().unwrap_or_default();
    assert!(header.starts_with(b"Location ID,Location Name,Care Home?,"));
}

#[test]
fn api_ratings_survive_export_and_reingest() {
    let dir = format!(
        "{}/tests/fixtures/cqc/oldham_api",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    );
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    let mut part = cqc_engine::ingest::Ingested::default();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.to_string_lossy();
        part.locations
            .push(read_api_location(&name, &bytes).unwrap_or_else(|e| panic!("{e}")));
    }
    let (from_api, _) = build_snapshot(vec![part], vec!["api".into()]);
    let again = ingest("export.csv", &export(&from_api));
    // The Latest ratings file holds published ratings only: the API's locations without one
    // have no row there, and an assessment's scores are not in it (its ratings are), nor is
    // anything of a location's detail (registration, history, commentary, facts).
    let expected: Vec<_> = from_api
        .locations
        .iter()
        .filter(|l| !l.ratings.is_empty())
        .cloned()
        .map(|mut l| {
            l.assessments.clear();
            l.detail = Default::default();
            l
        })
        .collect();
    // SOURCES.md: 313 of the 451 Oldham locations have `currentRatings`, and 3 more a rated
    // assessment whose ratings are published ratings like them (the fourth, a dentist's,
    // publishes "Regulations met" and no rating).
    assert_eq!(expected.len(), 313 + 3);
    assert_eq!(again.locations, expected);
}

/// The extract's header line and data lines, read once.
fn shropshire_lines() -> &'static (String, Vec<String>) {
    static LINES: OnceLock<(String, Vec<String>)> = OnceLock::new();
    LINES.get_or_init(|| {
        let text = String::from_utf8(fixture(SHROPSHIRE)).unwrap_or_default();
        let mut lines = text.lines().map(str::to_string);
        let header = lines.next().unwrap_or_default();
        // No field of this extract spans lines, so a line is a row.
        (header, lines.collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_subset_of_real_rows_survives_export_and_reingest(
        picked in proptest::sample::subsequence((0..2022usize).collect::<Vec<_>>(), 1..=300)
    ) {
        let (header, lines) = shropshire_lines();
        prop_assert_eq!(lines.len(), 2022);
        let mut csv = format!("{header}\n");
        for i in &picked {
            csv.push_str(&lines[*i]);
            csv.push('\n');
        }
        let original = ingest("subset.csv", csv.as_bytes());
        prop_assert_eq!(original.meta.rows_accepted, picked.len() as u64);
        let again = ingest("export.csv", &export(&original));
        assert_same_data(&again, &original);
    }
}
