//! The JS API's deserialize-then-rate path, natively: JSON bytes → the types `rate`, `whatIf`
//! and `minimalChange` take from JavaScript (serde, as serde-wasm-bindgen does) → the engine.
//! Never a panic, only typed errors; every explanation is self-consistent (see
//! `check_explanation`); every minimal-change solution really reaches its target.
#![no_main]

use cqc_engine::model::RatingValue;
use cqc_engine::rules::{rate, Evidence, RuleParams};
use cqc_engine::whatif::{apply, minimal_change, Edit};
use cqc_explorer_fuzz::check_explanation;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

/// One call's arguments, as a page would pass them: `params` null or absent means the
/// defaults, as in `js::params`.
#[derive(Deserialize)]
struct Input {
    evidence: Evidence,
    #[serde(default)]
    params: Option<RuleParams>,
    #[serde(default)]
    edits: Option<Vec<Edit>>,
    #[serde(default)]
    target: Option<String>,
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Input>(data) else {
        return;
    };
    let params = input.params.unwrap_or_default();
    let evidence = input.evidence;

    // rate / explain
    if let Ok(explanation) = rate(&evidence, &params) {
        check_explanation(&explanation, evidence.breach);
    }

    // whatIf
    if let Some(edits) = &input.edits {
        let edited = apply(&evidence, edits);
        if let Ok(explanation) = rate(&edited, &params) {
            check_explanation(&explanation, edited.breach);
        }
    }

    // minimalChange: the same target parsing as the JS API.
    if let Some(target) = input.target.as_deref() {
        let Some(target) = RatingValue::parse(target).and_then(|v| v.rated()) else {
            return;
        };
        let Ok(current) = rate(&evidence, &params) else {
            assert!(minimal_change(&evidence, &params, target).is_err());
            return;
        };
        let solutions = minimal_change(&evidence, &params, target)
            .expect("evidence rate accepts is accepted by minimal_change");
        let Some(now) = current.overall else {
            return;
        };
        for solution in solutions {
            let reached = if target > now {
                solution.result >= target
            } else {
                solution.result <= target
            };
            assert!(
                reached,
                "solution {:?} gives {:?}, not {:?} (from {:?})",
                solution.edits, solution.result, target, now
            );
            assert!(!solution.edits.is_empty(), "a change needs an edit");
            assert_eq!(solution.edits.len(), solution.descriptions.len());
        }
    }
});
