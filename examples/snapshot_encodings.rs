//! Measures the snapshot's encoding against the alternative considered (JSON via serde_json):
//! size raw and gzipped (`gzip -9 -c | wc -c`), and native encode/decode time, for the bundled
//! `public/data/snapshot.bin` and for a synthetic national-scale snapshot (60,000 locations,
//! `cqc synth`'s default). The figures are recorded in docs/snapshot-format.md.
//!
//! `cargo run --release --example snapshot_encodings [-- snapshot.bin ...]`

use cqc_explorer::ingest::{build_snapshot, read_latest_ratings, synth};
use cqc_explorer::model::Snapshot;
use cqc_explorer::snapshot;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SHROPSHIRE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv"
);

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut snapshots: Vec<(String, Snapshot)> = Vec::new();
    let paths = if args.is_empty() {
        vec![concat!(env!("CARGO_MANIFEST_DIR"), "/public/data/snapshot.bin").to_string()]
    } else {
        args
    };
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
        let snap = snapshot::decode(&bytes).map_err(|e| format!("{path}: {e}"))?;
        snapshots.push((path, snap));
    }
    snapshots.push((
        "synthetic national (cqc synth, 60,000 locations)".into(),
        national()?,
    ));

    println!("| snapshot | locations | ratings | encoding | bytes | gzip -9 bytes | encode ms (fastest / median) | decode ms (fastest / median) |");
    println!("|---|---|---|---|---|---|---|---|");
    for (name, snap) in &snapshots {
        let ratings: usize = snap.locations.iter().map(|l| l.ratings.len()).sum();
        let postcard_bytes = snapshot::encode(snap);
        let json_bytes = serde_json::to_vec(snap).map_err(|e| e.to_string())?;
        // Both encodings must give back exactly what was encoded before their speed counts.
        let from_json: Snapshot = serde_json::from_slice(&json_bytes).map_err(|e| e.to_string())?;
        let from_postcard = snapshot::decode(&postcard_bytes).map_err(|e| e.to_string())?;
        if &from_json != snap || &from_postcard != snap {
            return Err(format!("{name}: an encoding does not round-trip"));
        }
        let runs = if snap.locations.len() > 10_000 {
            7
        } else {
            100
        };
        let rows = [
            (
                "postcard (CQCX v1)",
                &postcard_bytes,
                timed(runs, || {
                    std::hint::black_box(snapshot::encode(snap));
                }),
                timed(runs, || {
                    std::hint::black_box(snapshot::decode(&postcard_bytes)).ok();
                }),
            ),
            (
                "JSON (serde_json)",
                &json_bytes,
                timed(runs, || {
                    std::hint::black_box(serde_json::to_vec(snap)).ok();
                }),
                timed(runs, || {
                    let decoded: Result<Snapshot, _> = serde_json::from_slice(&json_bytes);
                    std::hint::black_box(decoded).ok();
                }),
            ),
        ];
        for (encoding, bytes, encode, decode) in rows {
            println!(
                "| {name} | {} | {ratings} | {encoding} | {} | {} | {} | {} |",
                snap.locations.len(),
                bytes.len(),
                gzip_size(bytes)?,
                ms(encode),
                ms(decode)
            );
        }
    }
    Ok(())
}

/// `cqc synth --locations 60000` ingested, in memory.
fn national() -> Result<Snapshot, String> {
    let source = std::fs::read(SHROPSHIRE).map_err(|e| format!("{SHROPSHIRE}: {e}"))?;
    let mut csv = Vec::new();
    synth::synthesise(
        "latest_ratings_shropshire_2025-10.csv",
        &source,
        &synth::SynthOptions::default(),
        &mut csv,
    )
    .map_err(|e| e.to_string())?;
    let part = read_latest_ratings("national.csv", &csv).map_err(|e| e.to_string())?;
    Ok(build_snapshot(vec![part], vec!["national.csv: CQC Latest ratings".into()]).0)
}

/// The size `gzip -9 -c | wc -c` reports.
fn gzip_size(bytes: &[u8]) -> Result<usize, String> {
    let mut child = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("gzip: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("gzip: no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().map_err(|e| format!("gzip: {e}"))?;
    writer
        .join()
        .map_err(|_| "gzip: writer panicked".to_string())?
        .map_err(|e| format!("gzip: {e}"))?;
    Ok(output.stdout.len())
}

/// The fastest and the median of `runs` timings: on a shared machine the fastest run is the
/// one least disturbed by other work.
fn timed(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let fastest = times.first().copied().unwrap_or_default();
    (
        fastest,
        times.get(times.len() / 2).copied().unwrap_or_default(),
    )
}

fn ms((fastest, median): (Duration, Duration)) -> String {
    format!(
        "{:.1} / {:.1}",
        fastest.as_secs_f64() * 1000.0,
        median.as_secs_f64() * 1000.0
    )
}
