//! The browser benchmark's handle on the engine (bench/browser/run.mjs): a decoded snapshot, its
//! search index and audit, with one method per measured operation, so the page times the engine
//! alone. Built only by `scripts/bench.sh`; it is not part of the public JavaScript API.

use cqc_engine::model::Rating;
use cqc_engine::rules::{rate as rate_evidence, Evidence, RuleParams};
use cqc_engine::whatif::{apply, minimal_change, Edit};
use wasm_bindgen::prelude::*;

fn into_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Benchmark handle for bench/browser/: a decoded snapshot, its search index and audit, with one
/// method per measured operation, so the page times the engine alone. The operations are the
/// ones benches/common/mod.rs runs natively, call for call (keep the two in step), so the
/// WASM/native ratios in docs/benchmarks.md compare the same work.
#[wasm_bindgen]
pub struct Bench {
    snapshot: cqc_engine::model::Snapshot,
    index: cqc_engine::search::SearchIndex,
    report: Option<cqc_engine::audit::AuditReport>,
    sample: Vec<Evidence>,
}

#[wasm_bindgen]
impl Bench {
    /// Decodes a snapshot (the bytes of data/snapshot.bin).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Bench, JsError> {
        Ok(Bench {
            snapshot: cqc_engine::snapshot::decode(bytes).map_err(into_error)?,
            index: cqc_engine::search::SearchIndex::default(),
            report: None,
            sample: Vec::new(),
        })
    }

    #[wasm_bindgen(js_name = locationCount)]
    pub fn location_count(&self) -> u32 {
        self.snapshot.locations.len() as u32
    }

    /// Builds the search index; returns the vocabulary size.
    #[wasm_bindgen(js_name = buildIndex)]
    pub fn build_index(&mut self) -> u32 {
        self.index = cqc_engine::search::SearchIndex::new(&self.snapshot);
        self.index.vocabulary_len() as u32
    }

    /// Recomputes and audits every rating; returns how many agree with the published one.
    #[wasm_bindgen(js_name = auditAll)]
    pub fn audit_all(&mut self) -> u32 {
        let report = cqc_engine::audit::audit(&self.snapshot, &RuleParams::default());
        let agree = report.overall.agree;
        self.report = Some(report);
        agree
    }

    /// The search page's first selection (no filters, by name); needs `auditAll` first.
    #[wasm_bindgen(js_name = selectAll)]
    pub fn select_all(&self) -> u32 {
        self.report.as_ref().map_or(0, |report| {
            cqc_engine::search::select(
                &self.snapshot,
                &self.index,
                report,
                &cqc_engine::search::Filters::default(),
            )
            .len() as u32
        })
    }

    /// The matching locations' indices, best first; needs `buildIndex` first.
    pub fn search(&self, query: &str) -> Vec<u32> {
        self.index.search(query)
    }

    /// The text each location is found by, for the peer search libraries: the fields
    /// `SearchIndex` indexes, in its order, one string per location in snapshot order.
    #[wasm_bindgen(js_name = searchDocuments)]
    pub fn search_documents(&self) -> Vec<String> {
        self.snapshot
            .locations
            .iter()
            .map(|l| {
                let compact_postcode = l.postcode.replace(' ', "");
                cqc_engine::search::searchable_fields(l, &compact_postcode).join(" ")
            })
            .collect()
    }

    /// Picks the what-if sample: up to `size` locations with a rated overall, spread evenly
    /// over the snapshot, as evidence the location page would build. Returns its size.
    #[wasm_bindgen(js_name = prepareWhatIf)]
    pub fn prepare_what_if(&mut self, size: u32) -> u32 {
        use cqc_engine::model::Domain;
        let rated: Vec<usize> = (0..self.snapshot.locations.len())
            .filter(|&i| {
                self.snapshot.locations[i]
                    .published(Domain::Overall)
                    .and_then(|p| p.value.rated())
                    .is_some()
            })
            .collect();
        let step = (rated.len() / size.max(1) as usize).max(1);
        self.sample = rated
            .iter()
            .step_by(step)
            .take(size as usize)
            .map(|&i| {
                let l = &self.snapshot.locations[i];
                Evidence::from_location(
                    l,
                    cqc_engine::rules::rule_set_in_force(l),
                    self.snapshot.meta.data_date,
                )
            })
            .collect();
        self.sample.len() as u32
    }

    /// One what-if on sample location `k`: Safe set to Good, re-rated. Returns the overall
    /// (1–4) or 0 when none.
    #[wasm_bindgen(js_name = whatIf)]
    pub fn what_if(&self, k: u32) -> u8 {
        let Some(evidence) = self.sample.get(k as usize) else {
            return 0;
        };
        let edit = Edit::KqRating {
            key_question: cqc_engine::model::KeyQuestion::Safe,
            rating: Some(Rating::Good),
        };
        rate_evidence(&apply(evidence, &[edit]), &RuleParams::default())
            .ok()
            .and_then(|e| e.overall)
            .map_or(0, |r| r as u8)
    }

    /// The minimal-change solver on sample location `k`: to Good, or to Outstanding when
    /// already Good or better. Returns the number of tied cheapest solutions.
    #[wasm_bindgen(js_name = minimalChange)]
    pub fn minimal_change(&self, k: u32) -> u32 {
        let Some(evidence) = self.sample.get(k as usize) else {
            return 0;
        };
        let params = RuleParams::default();
        let now = rate_evidence(evidence, &params)
            .ok()
            .and_then(|e| e.overall);
        let target = if now.is_some_and(|r| r >= Rating::Good) {
            Rating::Outstanding
        } else {
            Rating::Good
        };
        minimal_change(evidence, &params, target).map_or(0, |s| s.len() as u32)
    }
}
