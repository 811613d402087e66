//! What the native benches share: where the national-scale data lives, the fixed query list
//! (bench/queries.json, also read by the browser harness), and the workload operations. The
//! operations are the ones `js::Bench` runs in the browser, call for call, so the WASM/native
//! ratios in docs/benchmarks.md compare the same work.

#![allow(dead_code)] // Each bench binary uses a different part of this module.

use cqc_engine::audit::audit;
use cqc_engine::model::{Domain, KeyQuestion, Rating, Snapshot};
use cqc_engine::rules::rule_set_in_force;
use cqc_engine::rules::{rate, Evidence, RuleParams};
use cqc_engine::search::SearchIndex;
use cqc_engine::whatif::{apply, minimal_change, Edit};
use std::path::PathBuf;

/// How many locations the what-if and minimal-change benches cycle through (the browser
/// harness uses the same count and the same choice).
pub const WHATIF_SAMPLE: usize = 200;

/// The folder of generated national-scale data (target/bench unless CQC_BENCH_DIR says).
pub fn data_dir() -> PathBuf {
    std::env::var_os("CQC_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench"))
        })
}

/// A generated file's bytes. Missing data skips the bench with a note rather than failing, so
/// `cargo test --all-targets` works on a fresh clone; scripts/bench.sh generates it first.
pub fn read_data(name: &str) -> Option<Vec<u8>> {
    let path = data_dir().join(name);
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            eprintln!(
                "skipped: {}: {e} (scripts/bench.sh generates the national-scale data)",
                path.display()
            );
            None
        }
    }
}

/// The fixed query list.
pub fn queries() -> Vec<String> {
    let text = include_str!("../../bench/queries.json");
    let value: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    value["queries"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|q| q.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Every prefix of every query, as typed one character at a time.
pub fn keystrokes() -> Vec<String> {
    let mut out = Vec::new();
    for query in queries() {
        let mut typed = String::new();
        for c in query.chars() {
            typed.push(c);
            out.push(typed.clone());
        }
    }
    out
}

/// The evidence of the what-if sample: every n-th location with a rated overall, spread over
/// the whole snapshot, as the location page builds it.
pub fn whatif_sample(snapshot: &Snapshot) -> Vec<Evidence> {
    let rated: Vec<usize> = snapshot
        .locations
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.published(Domain::Overall)
                .and_then(|p| p.value.rated())
                .is_some()
        })
        .map(|(i, _)| i)
        .collect();
    let step = (rated.len() / WHATIF_SAMPLE).max(1);
    rated
        .iter()
        .step_by(step)
        .take(WHATIF_SAMPLE)
        .map(|&i| {
            let l = &snapshot.locations[i];
            Evidence::from_location(l, rule_set_in_force(l), snapshot.meta.data_date)
        })
        .collect()
}

/// The what-if edit measured: Safe set to Good, as a provider would try first.
pub fn whatif_edit() -> Edit {
    Edit::KqRating {
        key_question: KeyQuestion::Safe,
        rating: Some(Rating::Good),
    }
}

/// Apply the edit and re-rate: one what-if.
pub fn what_if(evidence: &Evidence, params: &RuleParams) -> Option<Rating> {
    rate(&apply(evidence, &[whatif_edit()]), params)
        .ok()
        .and_then(|e| e.overall)
}

/// The smallest change to Good (or to Outstanding when already Good or better).
pub fn minimal(evidence: &Evidence, params: &RuleParams) -> usize {
    let now = rate(evidence, params).ok().and_then(|e| e.overall);
    let target = if now.is_some_and(|r| r >= Rating::Good) {
        Rating::Outstanding
    } else {
        Rating::Good
    };
    minimal_change(evidence, params, target)
        .map(|s| s.len())
        .unwrap_or(0)
}

/// Recompute and audit every rating: what the app does once per snapshot.
pub fn audit_all(snapshot: &Snapshot) -> u32 {
    audit(snapshot, &RuleParams::default()).overall.agree
}

/// Build the search index: also done once per snapshot.
pub fn build_index(snapshot: &Snapshot) -> SearchIndex {
    SearchIndex::new(snapshot)
}
