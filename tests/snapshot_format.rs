//! The snapshot format on real-sized data: the bundled snapshot and, when it has been generated
//! (scripts/bench.sh, or `cqc ingest target/bench/national.csv -o target/bench/national.bin`),
//! the 60,000-location national one. Each must re-encode to the same bytes, and its chunks,
//! decoded one at a time as the app does, must add up to the one-shot decode.

use cqc_engine::snapshot::{decode, encode, SnapshotError, SnapshotReader};
use std::path::PathBuf;

fn check(name: &str, bytes: &[u8]) {
    let snapshot = decode(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(encode(&snapshot) == bytes, "{name}: encode(decode(x)) != x");
    let reader = SnapshotReader::open(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(reader.meta(), &snapshot.meta);
    assert_eq!(reader.location_count(), snapshot.locations.len());
    let mut at = 0;
    for index in 0..reader.chunk_count() {
        let chunk = reader
            .decode_chunk(index)
            .unwrap_or_else(|e| panic!("{name}: chunk {index}: {e}"));
        assert!(
            chunk[..] == snapshot.locations[at..at + chunk.len()],
            "{name}: chunk {index} differs from the one-shot decode"
        );
        at += chunk.len();
    }
    assert_eq!(
        at,
        snapshot.locations.len(),
        "{name}: chunks cover every location"
    );
}

#[test]
fn bundled_snapshot_round_trips_bytewise_and_by_chunk() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/snapshot.bin"
    );
    let bytes = std::fs::read(path).expect("the bundled snapshot is present");
    check("public/data/snapshot.bin", &bytes);
}

#[test]
fn national_snapshot_round_trips_bytewise_and_by_chunk() {
    let dir = std::env::var_os("CQC_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench"))
        });
    let path = dir.join("national.bin");
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipped: {} not generated", path.display());
        return;
    };
    // Generated data outlives format changes; an older file is a reason to regenerate it, not
    // a failure of this build.
    if let Err(SnapshotError::WrongVersion { found, .. }) = decode(&bytes) {
        eprintln!(
            "skipped: {} is format version {found}; regenerate it",
            path.display()
        );
        return;
    }
    check("national.bin", &bytes);
}
