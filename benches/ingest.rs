//! Native ingest at national scale: CQC's Latest ratings as CSV and as ODS (made from the same
//! synthetic CSV by LibreOffice), read and merged into a snapshot exactly as `cqc ingest` does.
//! scripts/bench.sh generates the files; without them this bench says so and measures nothing.

mod common;

use cqc_engine::ingest::{build_snapshot, read_latest_ratings};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn ingest(file: &str, bytes: &[u8]) -> usize {
    let Ok(part) = read_latest_ratings(file, bytes) else {
        panic!("{file} did not ingest");
    };
    let (snapshot, _report) = build_snapshot(vec![part], vec![file.to_string()]);
    snapshot.locations.len()
}

fn bench_ingest(c: &mut Criterion) {
    let mut group = c.benchmark_group("ingest");
    // A national file takes seconds to read: ten single runs give a stable median.
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    for (id, name) in [("csv", "national.csv"), ("ods", "national.ods")] {
        let Some(bytes) = common::read_data(name) else {
            continue;
        };
        group.bench_function(id, |b| b.iter(|| ingest(name, black_box(&bytes))));
    }
    group.finish();
}

criterion_group!(benches, bench_ingest);
criterion_main!(benches);
