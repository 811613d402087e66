//! `cqc show` and `cqc diff` on real data: Franklin House from the bundled snapshot (its 2019
//! Good, its 2021 "Inspected but not rated", its 2024 assessment with CQC's words and dates,
//! its clock), as text and as JSON; a diff of two Latest ratings files made from real
//! Shropshire rows; an unknown id.

mod common;
use common::{cqc, Run};
use std::ffi::OsStr;
use std::path::PathBuf;

const SNAPSHOT: &str = "public/data/snapshot.bin";
const FRANKLIN: &str = "1-5312102242";

fn run(args: &[&str]) -> Run {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    cqc(&args)
}

#[test]
fn show_prints_franklin_house_story() {
    let out = run(&["show", SNAPSHOT, FRANKLIN, "--today", "2026-12-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = &out.stdout;
    for expected in [
        "(1-5312102242)",
        "Predecessor: 1-122386733",
        // Ages to the stated date, with the data's date beside.
        "Overall                  Good                   published 8 Aug 2024, 2.3 years old on 2026-12-01 (data of 2025-09-22) [Assessment]",
        "18 Jan 2019  Good                     earlier rating (CQC API), first rating",
        "5 Mar 2021   Inspected but not rated  earlier rating (CQC API)",
        "8 Aug 2024   Good                     assessment, unchanged from Good",
        "report: https://www.cqc.org.uk/reports/ca34d8e3-c719-4845-a6a6-0143f1fc8aec",
        "Rated Good since 18 Jan 2019.",
        "The assessment (assessment AP3134, 11 Jul 2024): CQC wrote:",
        "    Date of assessment 15 May to 17 May 2024.",
        "Caring (assessment AP3134, 20 Jun 2024): CQC wrote:",
        "Last inspected or assessed 17 Apr 2024 (the assessment date), 2.6 years ago on 1 Dec 2026. Within the proposed routine cycle of 3–5 years (provisional): 2.4 years (868 days) left.",
        "The data is of 2025-09-22: an inspection published after that is not in it.",
        "Overall: published Good, the rules give Good: they agree.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The timeline is in date order.
    let at = |needle: &str| text.find(needle).unwrap_or(usize::MAX);
    assert!(at("18 Jan 2019  Good") < at("5 Mar 2021   Inspected"));
    assert!(at("5 Mar 2021   Inspected") < at("8 Aug 2024   Good"));
}

#[test]
fn show_tells_a_provider_how_far_past_its_target_it_is() {
    // Beech House: Requires improvement since 17 Apr 2025 (user journeys), a care home, so
    // the former 12-month target applies; the Latest ratings file gives no inspection date,
    // so the clock runs from the publication and says so.
    let out = run(&["show", SNAPSHOT, "1-134399874", "--today", "2026-12-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for expected in [
        "Rated Requires improvement since 17 Apr 2025.",
        "Inspections in a row rated Requires improvement or worse, ending with the latest: 1",
        "Last inspected or assessed 17 Apr 2025 (the current rating's publication date; the inspection itself was earlier), 1.6 years ago on 1 Dec 2026. Past the 12-month target for Requires improvement by 0.6 years (228 days).",
        "Expectation: CQC's former adult social care targets, as reported by the BBC",
    ] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in:\n{}", out.stdout);
    }
}

#[test]
fn show_marks_a_closed_registration_and_links_both_ways() {
    let out = run(&["show", SNAPSHOT, "1-280584830", "--today", "2026-12-01"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for expected in [
        "Registration: Deregistered, registered 21 Sep 2011, deregistered 18 Jun 2018",
        "Predecessor: 1-123173965 Treetops Nursing Home (New Provider)",
        "Successor: 1-5203053560 Treetops Nursing Home (New Provider)",
        "Published ratings (Deregistered: the last CQC published; ages on 2026-12-01, data of 2025-09-22):",
        "Deregistered: CQC no longer inspects it, so there is no re-inspection clock.",
    ] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in:\n{}", out.stdout);
    }
}

#[test]
fn show_as_json_has_the_same_story() {
    let out = run(&[
        "show",
        SNAPSHOT,
        FRANKLIN,
        "--today",
        "2026-12-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    assert_eq!(json["id"], FRANKLIN);
    assert_eq!(json["today"], "2026-12-01");
    assert_eq!(json["data_date"], "2025-09-22");
    let entries = json["timeline"]["entries"].as_array().expect("entries");
    let seen: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e["date"].to_string(), e["overall"].to_string()))
        .collect();
    assert_eq!(
        seen,
        [
            ("\"2019-01-18\"".into(), r#"{"Rated":"Good"}"#.into()),
            (
                "\"2021-03-05\"".into(),
                r#"{"Unrated":"InspectedButNotRated"}"#.into()
            ),
            ("\"2024-08-08\"".into(), r#"{"Rated":"Good"}"#.into()),
        ]
    );
    let commentary = json["commentary"].as_array().expect("commentary");
    let assessment = commentary
        .iter()
        .find(|c| c["scope"] == "The assessment")
        .expect("the assessment's text");
    assert_eq!(assessment["attribution"], "CQC");
    assert_eq!(assessment["date"], "2024-07-11");
    assert!(assessment["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("Date of assessment 15 May to 17 May 2024.")));
    assert_eq!(json["clock"]["last_seen"]["date"], "2024-04-17");
    assert_eq!(json["clock"]["last_seen"]["basis"], "AssessmentDate");
    assert_eq!(json["clock"]["standing"]["Within"]["days_left"], 868);
    assert_eq!(json["clock"]["expectation"]["provisional"], true);
    assert_eq!(json["recomputation"]["audit"]["agreement"], "Agrees");
    let overall = &json["ratings"][0];
    assert_eq!(overall["domain"], "Overall");
    assert_eq!(overall["value"], "Good");
    assert_eq!(overall["age_years"], 2.3);
}

#[test]
fn an_unknown_id_exits_1_and_names_the_nearest() {
    let out = run(&["show", SNAPSHOT, "1-531210224", "--today", "2026-12-01"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("error: no location 1-531210224 in public/data/snapshot.bin"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("closest ids: 1-5312102242"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_today_that_is_not_a_date_is_refused() {
    let out = run(&["show", SNAPSHOT, FRANKLIN, "--today", "01/12/2026"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("expected a date as YYYY-MM-DD"),
        "{}",
        out.stderr
    );
}

/// Two Latest ratings files from the real Shropshire extract: the file as published, and a
/// "next month" with Wishing Well Home Care's Safe down to Requires improvement, Severn Valley
/// Home Care Offices gone, and a new location with The Uplands at Oxon's rows.
fn two_months() -> (PathBuf, PathBuf) {
    let source = common::root().join("tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv");
    let bytes = std::fs::read(&source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().expect("header").clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (id, name, domain, rating) = (
        column("location_id"),
        column("location_name"),
        column("domain"),
        column("latest_rating"),
    );
    let set = |row: &csv::StringRecord, col: usize, value: &str| -> csv::StringRecord {
        row.iter()
            .enumerate()
            .map(|(i, cell)| if i == col { value } else { cell })
            .collect()
    };
    let old = common::scratch("cli_story", "old.csv");
    let new = common::scratch("cli_story", "new.csv");
    std::fs::write(&old, &bytes).expect("old month written");
    let mut writer = csv::Writer::from_path(&new).expect("new month opened");
    writer.write_record(&header).expect("header");
    for row in reader.records() {
        let row = row.expect("a row");
        match &row[id] {
            "1-10160536681" if &row[domain] == "Safe" => {
                writer
                    .write_record(&set(&row, rating, "Requires improvement"))
                    .expect("row");
            }
            "1-10256887172" => {}
            "1-108934369" => {
                writer.write_record(&row).expect("row");
                let copy = set(&set(&row, id, "1-999000001"), name, "Uplands Annexe");
                writer.write_record(&copy).expect("row");
            }
            _ => writer.write_record(&row).expect("row"),
        }
    }
    writer.flush().expect("new month written");
    (old, new)
}

#[test]
fn diff_of_two_real_months_lists_each_change() {
    let (old, new) = two_months();
    let (old, new) = (old.to_string_lossy(), new.to_string_lossy());
    let out = run(&["diff", &old, &new]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        out.stdout.lines().collect::<Vec<_>>(),
        [
            "1 new location, 1 location gone, 1 rating down",
            "rating down 1-10160536681 (Wishing Well Home Care): Safe Good → Requires improvement (published 24 Aug 2019, was 24 Aug 2019)",
            "location gone 1-10256887172 (Severn Valley Home Care Offices)",
            "new location 1-999000001 (Uplands Annexe)",
        ]
    );

    let csv_out = run(&["diff", &old, &new, "--format", "csv"]);
    assert_eq!(csv_out.code, 0, "{}", csv_out.stderr);
    assert_eq!(
        csv_out.stdout.lines().collect::<Vec<_>>(),
        [
            "change,location_id,location_name,domain,old_value,new_value,old_date,new_date",
            "rating-down,1-10160536681,Wishing Well Home Care,Safe,Good,Requires improvement,2019-08-24,2019-08-24",
            "location-gone,1-10256887172,Severn Valley Home Care Offices,,,,,",
            "new-location,1-999000001,Uplands Annexe,,,,,",
        ]
    );

    let json_out = run(&["diff", &old, &new, "--format", "json"]);
    assert_eq!(json_out.code, 0, "{}", json_out.stderr);
    let json: serde_json::Value = serde_json::from_str(&json_out.stdout).expect("JSON");
    assert_eq!(
        json["counts"],
        serde_json::json!([["NewLocation", 1], ["LocationGone", 1], ["RatingDown", 1]])
    );
    assert_eq!(json["changes"][0]["location_id"], "1-10160536681");

    // A month against itself, and a snapshot against itself: nothing changed.
    let same = run(&["diff", &old, &old]);
    assert_eq!(same.stdout, "no changes\n");
    let bundled = run(&["diff", SNAPSHOT, SNAPSHOT]);
    assert_eq!(bundled.stdout, "no changes\n");
}
