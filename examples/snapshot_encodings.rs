//! Measures the snapshot format (v2: string table, columns, chunks) against the encodings it
//! replaced or was compared with: v1 (the whole `Snapshot` as one postcard blob) and JSON via
//! serde_json. For the bundled `public/data/snapshot.bin` and a synthetic national-scale
//! snapshot (60,000 locations, `cqc synth`'s default) it prints size raw, `gzip -9` and brotli
//! (quality 11), per location too, native encode and decode time, and for v2 the time to open
//! the header and the slowest single chunk: the longest task the browser runs while loading.
//! Last, for the first snapshot, what each field costs: the gzip bytes saved when it is emptied.
//! The figures are recorded in docs/snapshot-format.md.
//!
//! `cargo run --release --example snapshot_encodings [-- snapshot.bin ...]`

use cqc_engine::ingest::{build_snapshot, read_latest_ratings, synth};
use cqc_engine::model::{Domain, Location, Rating, RatingValue, Snapshot};
use cqc_engine::snapshot::{self, SnapshotReader};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SHROPSHIRE: &str = concat!(
    concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
    "/tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv"
);

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut snapshots: Vec<(String, Snapshot)> = Vec::new();
    let paths = if args.is_empty() {
        vec![concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/data/snapshot.bin"
        )
        .to_string()]
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

    println!("| snapshot | locations | encoding | bytes | gzip -9 bytes (B/location) | brotli bytes (B/location) | encode ms (fastest / median) | decode ms (fastest / median) |");
    println!("|---|---|---|---|---|---|---|---|");
    let mut chunk_lines = Vec::new();
    for (name, snap) in &snapshots {
        let v2_bytes = snapshot::encode(snap);
        let v1_bytes = encode_v1(snap)?;
        let json_bytes = serde_json::to_vec(snap).map_err(|e| e.to_string())?;
        // Every encoding must give back exactly what was encoded before its speed counts.
        let from_json: Snapshot = serde_json::from_slice(&json_bytes).map_err(|e| e.to_string())?;
        if &from_json != snap
            || decode_v1(&v1_bytes).as_ref() != Ok(snap)
            || snapshot::decode(&v2_bytes).as_ref() != Ok(snap)
        {
            return Err(format!("{name}: an encoding does not round-trip"));
        }
        let runs = if snap.locations.len() > 10_000 {
            7
        } else {
            100
        };
        let rows = [
            (
                "**CQCX v2 (string table, columns, chunks)**",
                &v2_bytes,
                timed(runs, || {
                    std::hint::black_box(snapshot::encode(snap));
                }),
                timed(runs, || {
                    std::hint::black_box(snapshot::decode(&v2_bytes)).ok();
                }),
            ),
            (
                "CQCX v1 (postcard)",
                &v1_bytes,
                timed(runs, || {
                    std::hint::black_box(encode_v1(snap)).ok();
                }),
                timed(runs, || {
                    std::hint::black_box(decode_v1(&v1_bytes)).ok();
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
        let per_location = |size: usize| size as f64 / snap.locations.len().max(1) as f64;
        for (encoding, bytes, encode, decode) in rows {
            let gzip = compressed_size("gzip", &["-9", "-c"], bytes)?;
            let brotli = brotli_size(bytes)?;
            println!(
                "| {name} | {} | {encoding} | {} | {gzip} ({:.1}) | {brotli} ({:.1}) | {} | {} |",
                snap.locations.len(),
                bytes.len(),
                per_location(gzip),
                per_location(brotli),
                ms(encode),
                ms(decode)
            );
        }
        chunk_lines.push(chunk_times(name, &v2_bytes, runs)?);
    }
    println!();
    println!("| snapshot | chunks | open (header + string table) ms, fastest / median | slowest chunk ms, fastest / median |");
    println!("|---|---|---|---|");
    for line in chunk_lines {
        println!("{line}");
    }
    if let Some((name, snap)) = snapshots.first() {
        field_costs(name, snap)?;
    }
    Ok(())
}

/// What dominates the compressed v2 size: each field group's share, measured as the bytes
/// saved (raw and `gzip -9`) when that field is emptied in every location and the snapshot is
/// re-encoded. Shares overlap a little (gzip's matches cross fields), so they need not add up.
fn field_costs(name: &str, snap: &Snapshot) -> Result<(), String> {
    type Blank = fn(&mut Location);
    let fields: [(&str, Blank); 13] = [
        ("ids (and so the report URLs built from them)", |l| {
            l.id.clear();
            l.report_url = l
                .report_url
                .as_ref()
                .map(|_| "https://www.cqc.org.uk/location/".into());
        }),
        ("names", |l| l.name.clear()),
        ("provider ids", |l| l.provider_id.clear()),
        ("provider names", |l| l.provider_name.clear()),
        ("brand ids and names", |l| {
            l.brand_id = None;
            l.brand_name = None;
        }),
        ("streets", |l| l.street.clear()),
        ("postcodes", |l| l.postcode.clear()),
        (
            "type, category, care home, city, local authority, region",
            |l| {
                l.location_type.clear();
                l.inspection_category.clear();
                l.care_home = false;
                l.city.clear();
                l.local_authority.clear();
                l.region.clear();
            },
        ),
        ("rating groups", |l| {
            l.ratings.iter_mut().for_each(|r| r.group.clear())
        }),
        ("rating domain, value and inherited", |l| {
            l.ratings.iter_mut().for_each(|r| {
                r.domain = Domain::Overall;
                r.value = RatingValue::Rated(Rating::Good);
                r.inherited = false;
            })
        }),
        ("rating dates", |l| {
            l.ratings.iter_mut().for_each(|r| r.published = None)
        }),
        ("rating report types", |l| {
            l.ratings.iter_mut().for_each(|r| r.report_type = None)
        }),
        ("SAF assessments", |l| l.assessments.clear()),
    ];
    let whole = snapshot::encode(snap);
    let whole_gzip = compressed_size("gzip", &["-9", "-c"], &whole)?;
    println!();
    println!(
        "What the {} bytes of `gzip -9` for {name} are spent on:",
        whole_gzip
    );
    println!();
    println!("| field(s) emptied | raw bytes saved | gzip -9 bytes saved | per location |");
    println!("|---|---|---|---|");
    for (field, blank) in fields {
        let mut without = snap.clone();
        without.locations.iter_mut().for_each(blank);
        let bytes = snapshot::encode(&without);
        let saved = whole_gzip as i64 - compressed_size("gzip", &["-9", "-c"], &bytes)? as i64;
        println!(
            "| {field} | {} | {saved} | {:.1} |",
            whole.len() as i64 - bytes.len() as i64,
            saved as f64 / snap.locations.len().max(1) as f64
        );
    }
    Ok(())
}

/// How long the incremental decoder's steps take: opening, and the chunk whose fastest run is
/// the slowest (the browser runs each step as one task).
fn chunk_times(name: &str, bytes: &[u8], runs: usize) -> Result<String, String> {
    let reader = SnapshotReader::open(bytes).map_err(|e| e.to_string())?;
    let open = timed(runs, || {
        std::hint::black_box(SnapshotReader::open(bytes)).ok();
    });
    let slowest = (0..reader.chunk_count())
        .map(|index| {
            timed(runs, || {
                std::hint::black_box(reader.decode_chunk(index)).ok();
            })
        })
        .max()
        .unwrap_or_default();
    Ok(format!(
        "| {name} | {} | {} | {} |",
        reader.chunk_count(),
        ms(open),
        ms(slowest)
    ))
}

/// The version 1 format: magic, `u32` version 1, then the whole snapshot in postcard.
fn encode_v1(snap: &Snapshot) -> Result<Vec<u8>, String> {
    let mut out = snapshot::MAGIC.to_vec();
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend(postcard::to_allocvec(snap).map_err(|e| e.to_string())?);
    Ok(out)
}

fn decode_v1(bytes: &[u8]) -> Result<Snapshot, String> {
    let body = bytes
        .get(8..)
        .filter(|_| bytes.starts_with(snapshot::MAGIC))
        .ok_or("not a v1 snapshot")?;
    postcard::from_bytes(body).map_err(|e| e.to_string())
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

/// Brotli at quality 11 with a 16 MB window: the `brotli` command if installed, else Node's
/// zlib (what a build step would use to pre-compress the file).
fn brotli_size(bytes: &[u8]) -> Result<usize, String> {
    if let Ok(size) = compressed_size("brotli", &["-q", "11", "-w", "24", "-c"], bytes) {
        return Ok(size);
    }
    let script = "const z=require('zlib');const chunks=[];process.stdin.on('data',c=>chunks.push(c));\
        process.stdin.on('end',()=>{const b=Buffer.concat(chunks);process.stdout.write(z.brotliCompressSync(b,\
        {params:{[z.constants.BROTLI_PARAM_QUALITY]:11,[z.constants.BROTLI_PARAM_LGWIN]:24,\
        [z.constants.BROTLI_PARAM_SIZE_HINT]:b.length}}))});";
    compressed_size("node", &["-e", script], bytes)
}

/// The size of `program args` run over `bytes` on stdin, as `program args < file | wc -c`.
fn compressed_size(program: &str, args: &[&str], bytes: &[u8]) -> Result<usize, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("no stdin")?;
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child
        .wait_with_output()
        .map_err(|e| format!("{program}: {e}"))?;
    writer
        .join()
        .map_err(|_| format!("{program}: writer panicked"))?
        .map_err(|e| format!("{program}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{program} failed"));
    }
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
