//! The JavaScript API called from JavaScript values in a real browser (headless Chromium via
//! wasm-bindgen-test): Beech House's published ratings, rated, edited and solved, and the typed
//! errors bad input gets.
#![cfg(target_arch = "wasm32")]

use cqc_ratings::{explain, minimal_change_js, rate, rule_sets, what_if};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON is valid")
}

fn get(value: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(value.clone(), |v, key| {
        js_sys::Reflect::get(&v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    })
}

fn kq(name: &str, rating: &str, date: &str) -> String {
    format!(
        r#"{{"key_question":"{name}","rating":{{"value":{{"Rated":"{rating}"}},"published":"{date}","inherited":false}}}}"#
    )
}

/// Safe and Well-led requires improvement, the rest good: overall requires improvement.
fn two_requires_improvement() -> JsValue {
    js(&format!(
        r#"{{"rule_set":"G1Kloe","as_of":"2025-09-22","key_questions":[{},{},{},{},{}]}}"#,
        kq("Safe", "RequiresImprovement", "2023-05-10"),
        kq("Effective", "Good", "2019-06-01"),
        kq("Caring", "Good", "2019-06-01"),
        kq("Responsive", "Good", "2019-06-01"),
        kq("WellLed", "RequiresImprovement", "2023-05-10"),
    ))
}

#[wasm_bindgen_test]
fn rate_returns_the_rating_its_trace_and_narrative() {
    let result = rate(two_requires_improvement(), None).expect("rates");
    assert_eq!(
        get(&result, &["overall"]),
        JsValue::from_str("RequiresImprovement")
    );
    let steps = js_sys::Array::from(&get(&result, &["steps"]));
    assert!(steps.length() > 0);
    let narrative = js_sys::Array::from(&get(&result, &["narrative"]));
    let text: String = narrative.iter().filter_map(|p| p.as_string()).collect();
    assert!(text.contains("2019"), "{text}");
    let same = explain(two_requires_improvement(), Some(JsValue::NULL)).expect("explains");
    assert_eq!(
        get(&same, &["overall"]),
        JsValue::from_str("RequiresImprovement")
    );
}

#[wasm_bindgen_test]
fn what_if_raising_safe_to_good_makes_the_overall_good() {
    let edits = js(r#"[{"KqRating":{"key_question":"Safe","rating":"Good"}}]"#);
    let result = what_if(two_requires_improvement(), edits, None).expect("rates");
    assert_eq!(get(&result, &["overall"]), JsValue::from_str("Good"));
}

#[wasm_bindgen_test]
fn minimal_change_to_good_is_one_key_question_either_way() {
    let result = minimal_change_js(two_requires_improvement(), "Good", None).expect("solves");
    let solutions = js_sys::Array::from(&result);
    assert_eq!(solutions.length(), 2, "Safe or Well-led");
    for solution in solutions.iter() {
        assert_eq!(get(&solution, &["changes"]).as_f64(), Some(1.0));
        assert_eq!(get(&solution, &["result"]), JsValue::from_str("Good"));
    }
}

#[wasm_bindgen_test]
fn rule_sets_lists_every_generation_and_flags_provisional_rules() {
    let catalogue = rule_sets().expect("catalogue");
    assert_eq!(
        js_sys::Array::from(&get(&catalogue, &["rule_sets"])).length(),
        4
    );
    let rules = js_sys::Array::from(&get(&catalogue, &["rules"]));
    assert!(rules.length() > 10);
    let statuses: Vec<String> = rules
        .iter()
        .filter_map(|r| get(&r, &["status"]).as_string())
        .collect();
    assert!(statuses.iter().any(|s| s == "Confirmed"));
    assert!(statuses.iter().any(|s| s != "Confirmed"), "{statuses:?}");
}

#[wasm_bindgen_test]
fn bad_input_gets_a_typed_error_not_a_panic() {
    let error = rate(js(r#"{"rule_set":"G9"}"#), None).expect_err("rejected");
    let message = JsValue::from(error);
    let text = get(&message, &["message"]).as_string().unwrap_or_default();
    assert!(text.contains("G9") || text.contains("variant"), "{text}");
    let error =
        minimal_change_js(two_requires_improvement(), "Brilliant", None).expect_err("not a rating");
    let text = get(&JsValue::from(error), &["message"])
        .as_string()
        .unwrap_or_default();
    assert!(text.contains("Brilliant"), "{text}");
}

#[wasm_bindgen_test]
fn a_fatal_error_shows_a_readable_banner_with_its_details_as_text() {
    cqc_explorer::app::show_fatal_error("panicked at <b>src/x.rs</b>: index out of bounds");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("a document");
    let banner = document
        .query_selector(".panic-banner")
        .ok()
        .flatten()
        .expect("the banner is in the page");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.starts_with("Something went wrong in the explorer and it stopped."));
    assert!(
        text.contains("<b>src/x.rs</b>"),
        "details shown as text: {text}"
    );
    assert!(
        banner.query_selector("b").ok().flatten().is_none(),
        "never parsed as HTML"
    );
}
