//! The JavaScript API: the engine for any web page or notebook, through wasm-bindgen and
//! serde-wasm-bindgen. One thin layer; the logic lives in the engine modules.
//!
//! ```js
//! import init, { rate, whatIf, minimalChange, ruleSets } from "./cqc_explorer.js";
//! const explanation = rate(evidence);            // Evidence → Explanation
//! const edited = whatIf(evidence, edits);        // Evidence, Edit[] → Explanation
//! const options = minimalChange(evidence, "Good");
//! ```

use cqc_engine::explain::Narrated;
use cqc_engine::model::Rating;
use cqc_engine::rules::{rate as rate_evidence, Evidence, RuleParams};
use cqc_engine::whatif::{apply, minimal_change, Edit};
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
    let explanation = rate_evidence(&evidence, &params(rule_params)?).map_err(into_error)?;
    to_js(&Narrated::of(&explanation))
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
    let explanation = rate_evidence(&edited, &params(rule_params)?).map_err(into_error)?;
    to_js(&Narrated::of(&explanation))
}

/// The cheapest edits that take the overall rating to `target` ("Good", "Outstanding", …).
#[wasm_bindgen(js_name = minimalChange)]
pub fn minimal_change_js(
    evidence: JsValue,
    target: &str,
    rule_params: JsValue,
) -> Result<JsValue, JsError> {
    let evidence: Evidence = serde_wasm_bindgen::from_value(evidence).map_err(into_error)?;
    let target = cqc_engine::model::RatingValue::parse(target)
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
        rule_sets: &'static [cqc_engine::rules::RuleSetInfo],
        rules: Vec<cqc_engine::rules::RuleText>,
        params: RuleParams,
        ratings: [Rating; 4],
    }
    to_js(&Catalogue {
        rule_sets: cqc_engine::rules::RULE_SETS,
        rules: cqc_engine::rules::rule_texts(&RuleParams::default()),
        params: RuleParams::default(),
        ratings: Rating::ALL,
    })
}
