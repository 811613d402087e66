//! The JavaScript API: the engine for any web page or notebook, as its own small package
//! (`cqc_ratings.js`, `cqc_ratings_bg.wasm`, `cqc_ratings.d.ts`; `scripts/build-js-api.sh` builds
//! it into the site's `/js/`). A thin boundary: JavaScript values are read into the API's own
//! types (`types.rs`), converted to the engine's (`convert.rs`), and the engine's results
//! converted back; the logic lives in the engine.
//!
//! ```js
//! import init, { rate, whatIf, minimalChange, ruleSets } from "/js/cqc_ratings.js";
//! await init();
//! const explanation = rate(evidence);                  // Evidence → Explanation
//! const edited = whatIf(evidence, [{ Breach: true }]); // Evidence, Edit[] → Explanation
//! const options = minimalChange(evidence, "Good");     // Evidence, target → Solution[]
//! ```

mod convert;
pub mod types;

use cqc_engine::rules::RuleParams;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Every failure becomes a JS `Error` whose message says what was wrong with the input.
fn into_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Reads the argument `name`; a value of the wrong shape is an error naming the argument.
fn from_js<T: DeserializeOwned>(value: JsValue, name: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|error| {
        // Its text is a JS Error's String(), "Error: …": the JsError made here says "Error" once.
        let text = error.to_string();
        into_error(format!(
            "{name}: {}",
            text.strip_prefix("Error: ").unwrap_or(&text)
        ))
    })
}

/// Plain JSON-like values: `null` for absent, arrays and plain objects, never a `Map`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(into_error)
}

fn evidence(value: JsValue) -> Result<cqc_engine::rules::Evidence, JsError> {
    Ok(from_js::<types::Evidence>(value, "evidence")?.into())
}

/// The parameters passed, or the defaults when there are none (left out, `undefined`, `null`).
fn params(value: Option<JsValue>) -> Result<RuleParams, JsError> {
    match value {
        Some(value) if !value.is_undefined() && !value.is_null() => {
            Ok(from_js::<types::RuleParams>(value, "rule_params")?.into())
        }
        _ => Ok(RuleParams::default()),
    }
}

fn explanation_to_js(explanation: cqc_engine::explain::Explanation) -> Result<JsValue, JsError> {
    to_js(&types::Explanation::from(explanation))
}

/// Rates evidence: the rating at every level, the rules that fired, the evidence's age and a
/// plain-English narrative.
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn rate(
    #[wasm_bindgen(unchecked_param_type = "Evidence")] evidence: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RuleParams | null")] rule_params: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    let evidence = self::evidence(evidence)?;
    let rated = cqc_engine::rules::rate(&evidence, &params(rule_params)?).map_err(into_error)?;
    explanation_to_js(rated)
}

/// Same as `rate`: the explanation is the result.
#[wasm_bindgen(unchecked_return_type = "Explanation")]
pub fn explain(
    #[wasm_bindgen(unchecked_param_type = "Evidence")] evidence: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RuleParams | null")] rule_params: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    rate(evidence, rule_params)
}

/// Applies the edits to the evidence, in order, and rates the result.
#[wasm_bindgen(js_name = whatIf, unchecked_return_type = "Explanation")]
pub fn what_if(
    #[wasm_bindgen(unchecked_param_type = "Evidence")] evidence: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Edit[]")] edits: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "RuleParams | null")] rule_params: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    let evidence = self::evidence(evidence)?;
    let edits: Vec<cqc_engine::whatif::Edit> = from_js::<Vec<types::Edit>>(edits, "edits")?
        .into_iter()
        .map(Into::into)
        .collect();
    let edited = cqc_engine::whatif::apply(&evidence, &edits);
    let rated = cqc_engine::rules::rate(&edited, &params(rule_params)?).map_err(into_error)?;
    explanation_to_js(rated)
}

/// The cheapest sets of edits that take the overall rating to `target` ("Good",
/// "Requires improvement", …, in any of CQC's spellings), tied ones all returned.
#[wasm_bindgen(js_name = minimalChange, unchecked_return_type = "Solution[]")]
pub fn minimal_change_js(
    #[wasm_bindgen(unchecked_param_type = "Evidence")] evidence: JsValue,
    target: &str,
    #[wasm_bindgen(unchecked_optional_param_type = "RuleParams | null")] rule_params: Option<
        JsValue,
    >,
) -> Result<JsValue, JsError> {
    let evidence = self::evidence(evidence)?;
    let target = cqc_engine::model::RatingValue::parse(target)
        .and_then(|value| value.rated())
        .ok_or_else(|| {
            into_error(format!(
                "{target:?} is not a rating (Outstanding, Good, Requires improvement, Inadequate)"
            ))
        })?;
    let solutions = cqc_engine::whatif::minimal_change(&evidence, &params(rule_params)?, target)
        .map_err(into_error)?;
    let solutions: Vec<types::Solution> = solutions.into_iter().map(Into::into).collect();
    to_js(&solutions)
}

/// Every rule set, rule and default parameter, as the methodology page shows them.
#[wasm_bindgen(js_name = ruleSets, unchecked_return_type = "Catalogue")]
pub fn rule_sets() -> Result<JsValue, JsError> {
    to_js(&convert::catalogue())
}
