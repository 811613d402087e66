//! The JavaScript API: the engine for any web page or notebook, through wasm-bindgen and
//! serde-wasm-bindgen. One thin layer; the logic lives in the engine modules.
//!
//! ```js
//! import init, { rate, whatIf, minimalChange, ruleSets } from "./cqc_explorer.js";
//! const explanation = rate(evidence);            // Evidence → Explanation
//! const edited = whatIf(evidence, edits);        // Evidence, Edit[] → Explanation
//! const options = minimalChange(evidence, "Good");
//! ```

use crate::model::Rating;
use crate::rules::{rate as rate_evidence, Evidence, RuleParams};
use crate::whatif::{apply, minimal_change, Edit};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
export type RuleSetId = "G1Kloe" | "G2SafEvidenceCategories" | "G3SafQualityStatements" | "G4Draft2026";
export type Rating = "Inadequate" | "RequiresImprovement" | "Good" | "Outstanding";
export interface Evidence { rule_set: RuleSetId; key_questions: KqEvidence[]; breach?: boolean; as_of?: string | null }
export interface KqEvidence { key_question: "Safe" | "Effective" | "Caring" | "Responsive" | "WellLed"; rating?: { value: { Rated: Rating } | { Unrated: string }; published?: string | null; inherited: boolean } | null; statements?: { id: number; score?: number | null; source: any }[] }
"#;

/// Turns any error into a JS `Error` with a readable message.
fn into_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(into_error)
}

fn params(value: JsValue) -> Result<RuleParams, JsError> {
    if value.is_undefined() || value.is_null() {
        Ok(RuleParams::default())
    } else {
        serde_wasm_bindgen::from_value(value).map_err(into_error)
    }
}

/// Rates evidence: returns the explanation (rating, trace, evidence age, narrative).
#[wasm_bindgen]
pub fn rate(evidence: JsValue, rule_params: JsValue) -> Result<JsValue, JsError> {
    let evidence: Evidence = serde_wasm_bindgen::from_value(evidence).map_err(into_error)?;
    to_js(&rate_evidence(&evidence, &params(rule_params)?).map_err(into_error)?)
}

/// Same as `rate`: the explanation is the result.
#[wasm_bindgen]
pub fn explain(evidence: JsValue, rule_params: JsValue) -> Result<JsValue, JsError> {
    rate(evidence, rule_params)
}

/// Applies edits to the evidence and rates the result.
#[wasm_bindgen(js_name = whatIf)]
pub fn what_if(
    evidence: JsValue,
    edits: JsValue,
    rule_params: JsValue,
) -> Result<JsValue, JsError> {
    let evidence: Evidence = serde_wasm_bindgen::from_value(evidence).map_err(into_error)?;
    let edits: Vec<Edit> = serde_wasm_bindgen::from_value(edits).map_err(into_error)?;
    let edited = apply(&evidence, &edits);
    to_js(&rate_evidence(&edited, &params(rule_params)?).map_err(into_error)?)
}

/// The cheapest edits that take the overall rating to `target` ("Good", "Outstanding", …).
#[wasm_bindgen(js_name = minimalChange)]
pub fn minimal_change_js(
    evidence: JsValue,
    target: &str,
    rule_params: JsValue,
) -> Result<JsValue, JsError> {
    let evidence: Evidence = serde_wasm_bindgen::from_value(evidence).map_err(into_error)?;
    let target = crate::model::RatingValue::parse(target)
        .and_then(|v| v.rated())
        .ok_or_else(|| {
            JsError::new(&format!(
                "{target:?} is not a rating (Outstanding, Good, Requires improvement, Inadequate)"
            ))
        })?;
    to_js(&minimal_change(&evidence, &params(rule_params)?, target).map_err(into_error)?)
}

/// Every rule set, rule and default parameter, as the methodology page shows them.
#[wasm_bindgen(js_name = ruleSets)]
pub fn rule_sets() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    struct Catalogue {
        rule_sets: &'static [crate::rules::RuleSetInfo],
        rules: &'static [crate::rules::Rule],
        params: RuleParams,
        ratings: [Rating; 4],
    }
    to_js(&Catalogue {
        rule_sets: crate::rules::RULE_SETS,
        rules: crate::rules::RULES,
        params: RuleParams::default(),
        ratings: Rating::ALL,
    })
}

/// Benchmark handle for bench/browser/: a decoded snapshot, its search index and audit, with one
/// method per measured operation, so the page times the engine alone. The operations are the
/// ones benches/common/mod.rs runs natively, call for call (keep the two in step), so the
/// WASM/native ratios in docs/benchmarks.md compare the same work.
#[wasm_bindgen]
pub struct Bench {
    snapshot: crate::model::Snapshot,
    index: crate::search::SearchIndex,
    report: Option<crate::audit::AuditReport>,
    sample: Vec<Evidence>,
}

#[wasm_bindgen]
impl Bench {
    /// Decodes a snapshot (the bytes of data/snapshot.bin).
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<Bench, JsError> {
        Ok(Bench {
            snapshot: crate::snapshot::decode(bytes).map_err(into_error)?,
            index: crate::search::SearchIndex::default(),
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
        self.index = crate::search::SearchIndex::new(&self.snapshot);
        self.index.vocabulary_len() as u32
    }

    /// Recomputes and audits every rating; returns how many agree with the published one.
    #[wasm_bindgen(js_name = auditAll)]
    pub fn audit_all(&mut self) -> u32 {
        let report = crate::audit::audit(&self.snapshot, &RuleParams::default());
        let agree = report.overall.agree;
        self.report = Some(report);
        agree
    }

    /// The search page's first selection (no filters, by name); needs `auditAll` first.
    #[wasm_bindgen(js_name = selectAll)]
    pub fn select_all(&self) -> u32 {
        self.report.as_ref().map_or(0, |report| {
            crate::search::select(
                &self.snapshot,
                &self.index,
                report,
                &crate::search::Filters::default(),
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
                crate::search::searchable_fields(l, &compact_postcode).join(" ")
            })
            .collect()
    }

    /// Picks the what-if sample: up to `size` locations with a rated overall, spread evenly
    /// over the snapshot, as evidence the location page would build. Returns its size.
    #[wasm_bindgen(js_name = prepareWhatIf)]
    pub fn prepare_what_if(&mut self, size: u32) -> u32 {
        use crate::model::Domain;
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
                    crate::audit::rule_set_for(l),
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
            key_question: crate::model::KeyQuestion::Safe,
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
