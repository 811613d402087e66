//! Property: CQC's real Latest ratings file, a little damaged (a quote inserted at the start of
//! a field, a byte flipped, the file cut short, rows duplicated across two files), is accepted
//! or reported row by row through the built `cqc`: the exit code says which (0 all accepted,
//! 1 some reported, 2 unusable and nothing written), rows read = accepted + reported for every
//! file and in the snapshot, the snapshot holds exactly the accepted rows, and no accepted row
//! differs from the real file's, apart from the location whose row the damage touched.
//!
//! Each case ingests a slice of 20 to 120 real rows, so the whole property takes seconds.

use cqc_engine::ingest::read_latest_ratings;
use cqc_engine::model::{Location, Snapshot};
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod common;
use common::root;

const SHROPSHIRE: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv";

/// The real file as its header line and its data lines (each with its CRLF).
fn real_lines() -> (Vec<u8>, Vec<Vec<u8>>) {
    let bytes = std::fs::read(root().join(SHROPSHIRE)).unwrap_or_else(|e| panic!("{e}"));
    let mut lines = bytes.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec);
    let header = lines.next().unwrap_or_default();
    (header, lines.collect())
}

fn slice(start: usize, len: usize) -> Vec<u8> {
    let (header, lines) = real_lines();
    let start = start.min(lines.len() - 1);
    let end = (start + len).min(lines.len());
    let mut out = header;
    for line in &lines[start..end] {
        out.extend_from_slice(line);
    }
    out
}

/// The first field of every line that overlaps bytes `from..to`: the locations damage there
/// can change.
fn ids_of_lines_around(bytes: &[u8], from: usize, to: usize) -> HashSet<String> {
    let mut ids = HashSet::new();
    let mut line_start = 0;
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let line_end = line_start + line.len();
        if line_end > from && line_start <= to {
            let first = line.split(|&b| b == b',').next().unwrap_or_default();
            ids.insert(
                String::from_utf8_lossy(first)
                    .trim_matches('"')
                    .trim()
                    .to_string(),
            );
        }
        line_start = line_end;
    }
    ids
}

#[derive(Debug, Clone)]
enum Damage {
    /// A `"` inserted at the start of the n-th field (counted over the whole slice).
    QuoteAtField(usize),
    /// The byte at this position (modulo the length, past the header) xor this mask.
    FlipByte(usize, u8),
    /// The file cut at this position (modulo the length).
    Truncate(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        any::<usize>().prop_map(Damage::QuoteAtField),
        (any::<usize>(), 1u8..=255).prop_map(|(at, mask)| Damage::FlipByte(at, mask)),
        any::<usize>().prop_map(Damage::Truncate),
    ]
}

/// The damaged bytes and the IDs of the locations whose rows the damage touched.
fn apply(original: &[u8], damage: &Damage) -> (Vec<u8>, HashSet<String>) {
    let header_len = original
        .iter()
        .position(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let body = original.len() - header_len;
    let mut bytes = original.to_vec();
    let at = match *damage {
        Damage::QuoteAtField(n) => {
            let starts: Vec<usize> = (header_len..original.len())
                .filter(|&i| original[i - 1] == b',' || original[i - 1] == b'\n')
                .collect();
            let at = starts[n % starts.len()];
            bytes.insert(at, b'"');
            at
        }
        Damage::FlipByte(n, mask) => {
            let at = header_len + n % body;
            bytes[at] ^= mask;
            at
        }
        Damage::Truncate(n) => {
            let at = header_len + n % body;
            bytes.truncate(at);
            at
        }
    };
    let mut touched = ids_of_lines_around(original, at.saturating_sub(1), at + 1);
    touched.extend(ids_of_lines_around(&bytes, at.saturating_sub(1), at + 1));
    (bytes, touched)
}

/// Locations by ID as the engine reads the undamaged bytes.
fn read_real(name: &str, bytes: &[u8]) -> HashMap<String, Location> {
    let ingested = read_latest_ratings(name, bytes).unwrap_or_else(|e| panic!("{e}"));
    ingested
        .locations
        .into_iter()
        .map(|l| (l.id.clone(), l))
        .collect()
}

/// One `cqc ingest` of `files` (name, bytes), checked for what every run must satisfy.
fn ingest_checked(case: &str, files: &[(&str, &[u8])]) -> (i32, Option<Snapshot>) {
    let mut args: Vec<std::ffi::OsString> = vec!["ingest".into()];
    for (name, bytes) in files {
        let path = common::scratch(&format!("mutations_{case}"), name);
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{e}"));
        args.push(path.into_os_string());
    }
    let output = common::scratch(&format!("mutations_{case}"), "out.bin");
    args.extend(["-o".into(), output.clone().into_os_string()]);
    let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
    let run = common::cqc(&refs);
    let context = format!("stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    match run.code {
        2 => {
            assert!(run.stderr.starts_with("error: "), "{context}");
            assert!(!output.exists(), "nothing is written for unusable input");
            return (2, None);
        }
        0 | 1 => {}
        other => panic!("exit code {other} (a crash?)\n{context}"),
    }
    let snapshot = common::decode(&output);
    let meta = &snapshot.meta;
    assert_eq!(
        meta.rows_read,
        meta.rows_accepted + meta.rows_reported,
        "{context}"
    );
    let in_snapshot: usize = snapshot.locations.iter().map(|l| l.ratings.len()).sum();
    assert_eq!(
        in_snapshot as u64, meta.rows_accepted,
        "accepted = in the snapshot\n{context}"
    );
    assert_eq!(run.code == 0, meta.rows_reported == 0, "{context}");
    for line in run.stdout.lines().filter(|l| l.contains(" rows read = ")) {
        let numbers: Vec<u64> = line
            .rsplit(": ")
            .next()
            .unwrap_or_default()
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        assert!(
            matches!(numbers.as_slice(), [read, accepted, reported] if read == &(accepted + reported)),
            "{line}"
        );
    }
    assert!(!run.stdout.contains("do not reconcile"), "{context}");
    (run.code, Some(snapshot))
}

/// Every location not touched is the real file's, field for field.
fn assert_untouched_unchanged(
    snapshot: &Snapshot,
    real: &HashMap<String, Location>,
    touched: &HashSet<String>,
) {
    for location in &snapshot.locations {
        if touched.contains(&location.id) {
            continue;
        }
        let Some(original) = real.get(&location.id) else {
            panic!("{} is not in the real file", location.id);
        };
        assert_eq!(
            (&location.name, &location.provider_id, &location.postcode),
            (&original.name, &original.provider_id, &original.postcode)
        );
        for rating in &location.ratings {
            assert!(
                original.ratings.contains(rating),
                "{}: {rating:?} is not a rating of the real file",
                location.id
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn damaged_real_rows_are_accepted_or_reported(
        start in 0usize..2000,
        len in 20usize..120,
        damage in damage(),
    ) {
        let original = slice(start, len);
        let real = read_real("slice.csv", &original);
        let (damaged, touched) = apply(&original, &damage);
        let (_, snapshot) = ingest_checked("damaged", &[("damaged.csv", &damaged)]);
        if let Some(snapshot) = snapshot {
            assert_untouched_unchanged(&snapshot, &real, &touched);
        }
    }

    #[test]
    fn rows_duplicated_across_files_are_counted_once(
        start in 0usize..1900,
        len in 20usize..120,
        shift in 0usize..100,
    ) {
        let first = slice(start, len);
        let second = slice(start + shift, len);
        let mut real = read_real("first.csv", &first);
        let second_real = read_real("second.csv", &second);
        let overlap = second_real.keys().any(|id| real.contains_key(id));
        for (id, location) in second_real {
            real.entry(id).or_insert(location);
        }
        let (code, snapshot) = ingest_checked(
            "duplicated",
            &[("first.csv", &first), ("second.csv", &second)],
        );
        prop_assert_eq!(code, if overlap { 1 } else { 0 });
        let snapshot = snapshot.unwrap_or_default();
        // Every location of either file, with the first file's rows where both have it.
        prop_assert_eq!(snapshot.locations.len(), real.len());
        for location in &snapshot.locations {
            let expected = real.get(&location.id).map(|l| &l.ratings);
            prop_assert_eq!(Some(&location.ratings), expected);
        }
    }
}

#[test]
fn the_real_file_itself_is_all_accepted() {
    let bytes = std::fs::read(root().join(SHROPSHIRE)).unwrap_or_else(|e| panic!("{e}"));
    let name = Path::new(SHROPSHIRE)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let (code, snapshot) = ingest_checked("whole", &[(name, &bytes)]);
    assert_eq!(code, 0);
    let snapshot = snapshot.unwrap_or_default();
    assert_eq!(
        (snapshot.meta.rows_read, snapshot.meta.rows_accepted),
        (2022, 2022)
    );
    assert_untouched_unchanged(&snapshot, &read_real(name, &bytes), &HashSet::new());
}
