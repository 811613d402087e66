//! `cqc audit` reports each level of the ratings on its own, in its three formats, on the
//! bundled real data: the Oldham key questions with CQC's published statement scores, the
//! Oldham assessments' overall ratings, and the Shropshire hospitals' and practices' services.

mod common;
use common::cqc;

const BUNDLED: &str = "public/data/snapshot.bin";

fn audit(format: &[&str]) -> String {
    let mut args = vec!["audit", BUNDLED];
    args.extend_from_slice(format);
    let os: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    let run = cqc(&os);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
}

#[test]
fn json_has_a_levels_object_with_each_level_compared() {
    let json: serde_json::Value =
        serde_json::from_str(&audit(&["--format", "json"])).expect("the audit is JSON");
    let levels = &json["levels"];
    let count = |level: &str, field: &str| levels[level][field].as_u64().unwrap_or(u64::MAX);
    for level in [
        "statement_scores_to_percentage",
        "percentage_to_key_question_rating",
    ] {
        assert_eq!(count(level, "compared"), 15, "{level}");
        assert_eq!(count(level, "agree"), 15, "{level}");
    }
    assert!(count("services_to_key_questions", "compared") >= 100);
    let overall = &levels["key_questions_to_overall"];
    let scored = overall["by_basis"]
        .as_array()
        .and_then(|b| {
            b.iter()
                .find(|b| b["basis"] == "statement scores published by CQC")
        })
        .expect("the overall level counts ratings with real scores apart");
    assert_eq!(
        (scored["compared"].as_u64(), scored["agree"].as_u64()),
        (Some(3), Some(3))
    );
    // Every divergence names its location and its class.
    for level in levels.as_object().expect("levels is an object").values() {
        for d in level["divergences"].as_array().expect("divergences") {
            assert!(
                d["location_id"].is_string() && d["class"].is_string(),
                "{d}"
            );
        }
    }
}

#[test]
fn text_and_csv_report_the_same_levels() {
    let text = audit(&[]);
    assert!(
        text.contains("statement scores → key-question percentage          15 of    15 (100.0 %)"),
        "{text}"
    );
    assert!(
        text.contains("principles only (no statement scores)"),
        "{text}"
    );
    let csv = audit(&["--format", "csv", "--table", "levels"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV row")).collect();
    let summary = rows
        .iter()
        .find(|r| &r[0] == "key-question percentage → key-question rating" && &r[1] == "summary")
        .expect("a summary row per level");
    assert_eq!((&summary[2], &summary[3]), ("15", "15"));
    let divergences = rows.iter().filter(|r| &r[1] == "divergence").count();
    assert!(divergences >= 1 && rows.iter().all(|r| r.len() == 11));
}
