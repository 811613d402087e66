//! Native engine benchmarks on the national-scale snapshot: decode, search index build, recompute
//! and audit every rating, the search page's first selection, search queries, what-if and the
//! minimal-change solver. The same operations run in the browser through `js::Bench`
//! (bench/browser/), so scripts/bench.sh can report WASM/native ratios.
//!
//! Under `cargo bench` it also writes `native-keystrokes.json` to the data folder: every prefix
//! of the fixed query list timed the way the browser harness times it (a batch of calls, divided),
//! for per-keystroke p50/p95 that criterion's per-benchmark medians do not give.

mod common;

use cqc_engine::explain::narrative::paragraphs;
use cqc_engine::explain::Explanation;
use cqc_engine::model::Snapshot;
use cqc_engine::rules::rule_set_in_force;
use cqc_engine::rules::RuleParams;
use cqc_engine::rules::{rate, rate_outcome, Evidence, RateError};
use cqc_engine::search::{select, Filters, SearchIndex};
use cqc_engine::snapshot;
use criterion::{criterion_group, Criterion};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Calls per keystroke timing batch: one search can be shorter than a timer tick in the
/// browser, so both sides time a batch and divide.
const KEYSTROKE_BATCH: u32 = 10;

type RateFn = fn(&Evidence, &RuleParams) -> Result<Explanation, RateError>;

struct Loaded {
    bytes: Vec<u8>,
    snapshot: Snapshot,
    index: SearchIndex,
}

fn load() -> Option<Loaded> {
    let bytes = common::read_data("national.bin")?;
    let snapshot = snapshot::decode(&bytes).unwrap_or_else(|e| panic!("national.bin: {e}"));
    let index = common::build_index(&snapshot);
    Some(Loaded {
        bytes,
        snapshot,
        index,
    })
}

fn bench_engine(c: &mut Criterion) {
    let Some(data) = load() else {
        return;
    };
    let params = RuleParams::default();

    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("decode", |b| {
        b.iter(|| snapshot::decode(black_box(&data.bytes)).map(|s| s.locations.len()))
    });
    group.bench_function("index", |b| {
        b.iter(|| common::build_index(black_box(&data.snapshot)).vocabulary_len())
    });
    group.bench_function("audit_all", |b| {
        b.iter(|| common::audit_all(black_box(&data.snapshot)))
    });
    // Where recompute + audit spends its time: building every location's evidence, rating it
    // with the typed trace recorded (as the location page does), the outcome alone, and the
    // narrative's words alone (written from the trace). The audit itself rates only the ratings
    // (`rate_verdict`), each combination of them once (`rules::VerdictMemo`).
    let as_of = data.snapshot.meta.data_date;
    let evidence: Vec<_> = data
        .snapshot
        .locations
        .iter()
        .map(|l| Evidence::from_location(l, rule_set_in_force(l), as_of))
        .collect();
    group.bench_function("evidence_all", |b| {
        b.iter(|| {
            data.snapshot
                .locations
                .iter()
                .map(|l| {
                    Evidence::from_location(l, rule_set_in_force(l), as_of)
                        .key_questions
                        .len()
                })
                .sum::<usize>()
        })
    });
    // Rates every location with one of the engine's entry points; counts those given an overall.
    let rate_every = |rate_with: RateFn| {
        evidence
            .iter()
            .filter_map(|e| rate_with(e, &params).ok())
            .filter(|x| x.overall.is_some())
            .count()
    };
    group.bench_function("rate_all", |b| b.iter(|| rate_every(rate)));
    // The same rules without recording the trace.
    group.bench_function("rate_outcome_all", |b| b.iter(|| rate_every(rate_outcome)));
    let explanations: Vec<_> = evidence
        .iter()
        .filter_map(|e| rate(e, &params).ok())
        .collect();
    group.bench_function("narrative_all", |b| {
        b.iter(|| {
            explanations
                .iter()
                .map(|x| paragraphs(x).len())
                .sum::<usize>()
        })
    });
    let report = cqc_engine::audit::audit(&data.snapshot, &params);
    group.bench_function("select_all", |b| {
        b.iter(|| select(&data.snapshot, &data.index, &report, &Filters::default()).len())
    });
    group.finish();

    let mut group = c.benchmark_group("search");
    group.warm_up_time(Duration::from_millis(200));
    group.measurement_time(Duration::from_secs(1));
    for query in common::queries() {
        group.bench_function(query.replace(' ', "_"), |b| {
            b.iter(|| data.index.search(black_box(&query)).len())
        });
    }
    group.finish();

    let sample = common::whatif_sample(&data.snapshot);
    let mut group = c.benchmark_group("whatif");
    group.warm_up_time(Duration::from_millis(300));
    group.measurement_time(Duration::from_secs(2));
    // Each iteration is one location of the sample, in turn, so the figure is per operation.
    let mut k = 0;
    group.bench_function("apply_rate", |b| {
        b.iter(|| {
            k = (k + 1) % sample.len();
            common::what_if(&sample[k], &params)
        })
    });
    group.bench_function("minimal_change", |b| {
        b.iter(|| {
            k = (k + 1) % sample.len();
            common::minimal(&sample[k], &params)
        })
    });
    group.finish();
}

/// Per-keystroke timings, written as JSON for scripts/bench.sh.
fn keystrokes() {
    let Some(data) = load() else {
        return;
    };
    let mut rows = Vec::new();
    for prefix in common::keystrokes() {
        // One untimed call first, as the browser harness does.
        let hits = data.index.search(&prefix).len();
        let started = Instant::now();
        for _ in 0..KEYSTROKE_BATCH {
            black_box(data.index.search(black_box(&prefix)));
        }
        let ms = started.elapsed().as_secs_f64() * 1e3 / f64::from(KEYSTROKE_BATCH);
        rows.push(serde_json::json!({ "q": prefix, "hits": hits, "ms": ms }));
    }
    // The bundled real snapshot's size per location, so the report can say how the synthetic
    // snapshot's compression compares with real data's.
    let bundled_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/snapshot.bin"
    );
    let bundled = std::fs::read(bundled_path).ok().and_then(|b| {
        snapshot::decode(&b)
            .ok()
            .map(|s| (b.len(), s.locations.len()))
    });
    let path = common::data_dir().join("native-keystrokes.json");
    let json = serde_json::json!({
        "batch": KEYSTROKE_BATCH,
        "keystrokes": rows,
        "bundled": bundled.map(|(bytes, locations)| serde_json::json!({
            "path": "public/data/snapshot.bin", "bytes": bytes, "locations": locations,
        })),
    });
    if let Err(e) = std::fs::write(&path, json.to_string()) {
        panic!("{}: {e}", path.display());
    }
    eprintln!("wrote {}", path.display());
}

criterion_group!(benches, bench_engine);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Only under `cargo bench`: test runs of the bench targets stay quick, and profiling one
    // benchmark (`--profile-time`) profiles that benchmark alone.
    let args: Vec<String> = std::env::args().collect();
    if args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--profile-time") {
        keystrokes();
    }
}
