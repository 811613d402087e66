//! The `cqc` binary end to end on CQC's real data: the Shropshire Latest ratings extract as
//! CSV, ODS and XLSX, the Oldham and single API responses, the audit in its three formats,
//! the exit codes, `synth`, and that no registered manager's name reaches a snapshot.

use cqc_engine::model::{Domain, KeyQuestion, Location, Rating, RatingValue, Snapshot};
use std::path::PathBuf;

const CSV: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv";
const ODS: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods";
const XLSX: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.xlsx";
const OLDHAM: &str = "tests/fixtures/cqc/oldham_api";
const API: &str = "tests/fixtures/cqc/api";

mod common;
use common::{cqc, decode, root, Run};

fn scratch(name: &str) -> PathBuf {
    common::scratch("cli_ingest", name)
}

/// `cqc ingest <inputs> -o <scratch>/<name>.bin`, expecting exit code 0.
fn ingest(inputs: &[&str], name: &str) -> (Run, PathBuf, Snapshot) {
    let output = scratch(&format!("{name}.bin"));
    let mut args: Vec<&std::ffi::OsStr> = vec!["ingest".as_ref()];
    args.extend(inputs.iter().map(|i| std::ffi::OsStr::new(*i)));
    args.extend(["-o".as_ref(), output.as_os_str()]);
    let run = cqc(&args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let snapshot = decode(&output);
    (run, output, snapshot)
}

fn location<'a>(snapshot: &'a Snapshot, id: &str) -> &'a Location {
    snapshot
        .locations
        .iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the snapshot"))
}

fn date(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn published(loc: &Location, domain: Domain) -> (Option<RatingValue>, Option<chrono::NaiveDate>) {
    let rating = loc.published(domain);
    (rating.map(|r| r.value), rating.and_then(|r| r.published))
}

const SAFE: Domain = Domain::KeyQuestion(KeyQuestion::Safe);
const CARING: Domain = Domain::KeyQuestion(KeyQuestion::Caring);
const RESPONSIVE: Domain = Domain::KeyQuestion(KeyQuestion::Responsive);

#[test]
fn csv_ingest_keeps_every_row_and_the_known_ratings() {
    let (run, _, snapshot) = ingest(&[CSV], "csv");
    assert!(
        run.stdout.contains(
            "latest_ratings_shropshire_2025-10.csv: 2022 rows read = 2022 accepted + 0 reported"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("(249 locations,"), "{}", run.stdout);
    assert!(
        run.stdout.contains("data date 2025-09-22"),
        "{}",
        run.stdout
    );
    assert_eq!(snapshot.locations.len(), 249);
    let ratings: usize = snapshot.locations.iter().map(|l| l.ratings.len()).sum();
    assert_eq!(ratings, 2022);
    let meta = &snapshot.meta;
    assert_eq!(
        (meta.rows_read, meta.rows_accepted, meta.rows_reported),
        (2022, 2022, 0)
    );
    assert_eq!(meta.data_date, date("2025-09-22"));
    assert_eq!(
        meta.sources,
        ["latest_ratings_shropshire_2025-10.csv: CQC Latest ratings"]
    );

    let albrighton = location(&snapshot, "1-556658867");
    assert_eq!(albrighton.name, "Albrighton Medical Practice");
    assert_eq!(albrighton.provider_id, "1-199767458");
    assert_eq!(albrighton.location_type, "Primary Medical Services");
    let outstanding = Some(RatingValue::Rated(Rating::Outstanding));
    assert_eq!(
        published(albrighton, Domain::Overall),
        (outstanding, date("2016-02-25"))
    );
    assert_eq!(
        published(albrighton, SAFE),
        (Some(RatingValue::Rated(Rating::Good)), date("2016-02-25"))
    );
    // A GP practice: the six population groups are rated as well.
    assert_eq!(albrighton.service_groups().len(), 6);
    assert_eq!(albrighton.ratings.len(), 12);

    // Cleobury Mortimer's overall (2022) rests on key questions rated in 2016 and 2022.
    let cleobury = location(&snapshot, "1-1517912926");
    assert_eq!(cleobury.name, "Cleobury Mortimer Medical Centre");
    let good = Some(RatingValue::Rated(Rating::Good));
    assert_eq!(
        published(cleobury, Domain::Overall),
        (good, date("2022-09-07"))
    );
    assert_eq!(published(cleobury, SAFE), (good, date("2022-09-07")));
    assert_eq!(published(cleobury, CARING), (good, date("2016-06-01")));
    assert_eq!(published(cleobury, RESPONSIVE), (good, date("2016-06-01")));
}

#[test]
fn ods_and_xlsx_with_cqc_headers_give_the_same_snapshot_as_the_csv() {
    let (_, _, from_csv) = ingest(&[CSV], "same_csv");
    for (path, file) in [
        (ODS, "latest_ratings_shropshire_2025-10.ods"),
        (XLSX, "latest_ratings_shropshire_2025-10.xlsx"),
    ] {
        let (run, _, snapshot) = ingest(&[path], file);
        // The header is on row 8, below notes; 2,022 rows follow it.
        let counts = format!("{file}: 2022 rows read = 2022 accepted + 0 reported");
        assert!(run.stdout.contains(&counts), "{}", run.stdout);
        assert_eq!(snapshot.locations.len(), 249);
        // Same locations, identities and ratings (dates come from date cells here).
        assert_eq!(snapshot.locations, from_csv.locations, "{file}");
        assert_eq!(snapshot.meta.data_date, from_csv.meta.data_date);
        assert_eq!(
            snapshot.meta.sources,
            [format!("{file}: CQC Latest ratings")]
        );
    }
}

#[test]
fn api_folders_give_saf_scores() {
    let (run, _, snapshot) = ingest(&[OLDHAM, API], "api");
    assert!(
        run.stdout
            .contains("CQC API location responses: 462 rows read = 462 accepted + 0 reported"),
        "{}",
        run.stdout
    );
    assert_eq!(snapshot.locations.len(), 462);
    // api/ holds the providers of its locations too; each names one.
    assert_eq!(
        snapshot.meta.sources,
        [
            "462 CQC API location responses",
            "5 CQC API provider responses"
        ]
    );
    let scored: Vec<&str> = snapshot
        .locations
        .iter()
        .filter(|l| {
            l.assessments
                .iter()
                .any(|a| a.key_questions.iter().any(|k| k.percentage.is_some()))
        })
        .map(|l| l.id.as_str())
        .collect();
    assert!(scored.contains(&"1-5312102242") && scored.contains(&"1-5203053560"));

    let franklin = location(&snapshot, "1-5312102242");
    assert_eq!(franklin.name, "Franklin House Limited");
    let assessment = franklin.assessments.first().expect("an assessment");
    assert_eq!(assessment.service_group, "Care Homes");
    assert_eq!(assessment.rating, Some(RatingValue::Rated(Rating::Good)));
    assert_eq!(assessment.assessment_date, date("2024-04-17"));
    // Published when CQC published the assessment (`assessmentPlanPublishedDateTime`), not on
    // the date of its commentary (2024-07-11).
    assert_eq!(assessment.published, date("2024-08-08"));
    let percentages: Vec<(KeyQuestion, Option<u8>)> = assessment
        .key_questions
        .iter()
        .map(|k| (k.key_question, k.percentage))
        .collect();
    assert_eq!(
        percentages,
        [
            (KeyQuestion::Safe, Some(75)),
            (KeyQuestion::Effective, Some(75)),
            (KeyQuestion::Caring, Some(70)),
            (KeyQuestion::Responsive, Some(75)),
            (KeyQuestion::WellLed, Some(75)),
        ]
    );
    // Caring's 70 % comes from quality statement 17, scored 2 and assessed.
    let caring = assessment
        .key_questions
        .iter()
        .find(|k| k.key_question == KeyQuestion::Caring)
        .expect("Caring");
    let qs17 = caring.statements.iter().find(|s| s.id == 17).expect("QS17");
    assert_eq!((qs17.score, qs17.assessed), (Some(2), true));
    assert_eq!(caring.statements.len(), 5);

    let treetops = location(&snapshot, "1-5203053560");
    assert_eq!(treetops.name, "Treetops Nursing Home");
    let assessment = treetops.assessments.first().expect("an assessment");
    assert_eq!(assessment.published, date("2024-09-17"));
    assert!(assessment
        .key_questions
        .iter()
        .all(|k| k.percentage == Some(75) && k.rating == Some(RatingValue::Rated(Rating::Good))));
}

#[test]
fn audit_in_text_csv_and_json_agree() {
    let (_, snapshot_path, snapshot) = ingest(&[CSV, OLDHAM, API], "audit");
    assert_eq!(snapshot.locations.len(), 249 + 462);
    let path = snapshot_path.as_os_str();
    let text = cqc(&["audit".as_ref(), path]);
    let csv_run = cqc(&["audit".as_ref(), path, "--format".as_ref(), "csv".as_ref()]);
    let json_run = cqc(&["audit".as_ref(), path, "--format".as_ref(), "json".as_ref()]);
    for run in [&text, &csv_run, &json_run] {
        assert_eq!(run.code, 0, "{}", run.stderr);
    }

    // JSON: the whole report.
    let json: serde_json::Value =
        serde_json::from_str(&json_run.stdout).unwrap_or_else(|e| panic!("json: {e}"));
    let agree = json["overall"]["agree"].as_u64().expect("agree");
    let compared = json["overall"]["compared"].as_u64().expect("compared");
    let locations = json["locations"].as_array().expect("locations");
    assert_eq!(locations.len(), 711);
    // Shropshire's 228 comparable overall ratings all agree; of Oldham's 198 from
    // `currentRatings`, one diverges; the three Oldham assessments published Good (Franklin
    // House, Treetops Nursing Home, Oldham Family Practice) are published ratings too, and agree.
    assert_eq!((agree, compared), (428, 429));

    // Text: the same agreement rate, and the divergence with its class.
    let rate =
        format!("Published overall rating reproduced by the rules: {agree} of {compared} (99.8 %)");
    assert!(text.stdout.contains(&rate), "{}", text.stdout);
    assert!(text.stdout.contains(
        "1-139948467 Ashbourne House Care Home — published Good, rules give Requires improvement (professional judgement)"
    ), "{}", text.stdout);
    let judgement_line = text
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("professional judgement"))
        .expect("class line");
    assert!(
        judgement_line.trim_end().ends_with(" 1"),
        "{judgement_line}"
    );

    // CSV: one line per location, the same counts and the same classified divergence.
    let mut reader = csv::Reader::from_reader(csv_run.stdout.as_bytes());
    let headers = reader.headers().expect("header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id_at, agreement_at, class_at) = (
        column("location_id"),
        column("agreement"),
        column("divergence_class"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 711);
    let count = |value: &str| rows.iter().filter(|r| &r[agreement_at] == value).count() as u64;
    assert_eq!(count("agrees"), agree);
    assert_eq!(count("agrees") + count("diverges"), compared);
    let diverging: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| &r[agreement_at] == "diverges")
        .map(|r| (r.get(id_at).unwrap_or(""), r.get(class_at).unwrap_or("")))
        .collect();
    assert_eq!(diverging, [("1-139948467", "professional judgement")]);
    let in_json = locations
        .iter()
        .find(|l| l["location_id"] == "1-139948467")
        .expect("in json");
    assert_eq!(in_json["agreement"]["Diverges"], "ProfessionalJudgement");
}

#[test]
fn exit_codes_tell_ok_data_errors_and_unusable_input_apart() {
    // 0: clean input.
    let (run, snapshot_path, _) = ingest(&[CSV], "exit0");
    assert_eq!(run.code, 0);

    // 1: rows reported; the snapshot is still written with the rest.
    let bad = "tests/fixtures/bad/unknown_rating.csv";
    let output = scratch("exit1.bin");
    let run = cqc(&[
        "ingest".as_ref(),
        bad.as_ref(),
        "-o".as_ref(),
        output.as_os_str(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(decode(&output).locations.len(), 1);
    let audit = cqc(&["audit".as_ref(), bad.as_ref()]);
    assert_eq!(audit.code, 1);
    assert!(audit
        .stderr
        .contains("1 input rows were reported at ingest"));

    // 2: a file that does not exist, an unusable file, a corrupt snapshot.
    let missing = cqc(&[
        "ingest".as_ref(),
        "tests/fixtures/cqc/no_such_file.csv".as_ref(),
        "-o".as_ref(),
        scratch("exit2.bin").as_os_str(),
    ]);
    assert_eq!(missing.code, 2);
    assert!(missing
        .stderr
        .contains("cannot read tests/fixtures/cqc/no_such_file.csv"));
    let empty = cqc(&["audit".as_ref(), "tests/fixtures/bad/empty.csv".as_ref()]);
    assert_eq!(empty.code, 2);
    assert!(empty.stderr.contains("empty.csv: the file is empty"));
    let bytes = std::fs::read(&snapshot_path).expect("snapshot");
    let truncated = scratch("truncated.bin");
    std::fs::write(&truncated, bytes.get(..1000).unwrap_or(&bytes)).expect("write");
    let corrupt = cqc(&["audit".as_ref(), truncated.as_os_str()]);
    assert_eq!(corrupt.code, 2);
    assert!(
        corrupt
            .stderr
            .contains("the snapshot is truncated or corrupt"),
        "{}",
        corrupt.stderr
    );
}

/// FNV-1a 64, as `tests/fixtures/cqc/manager_name_hashes.txt` was made: the fixture holds
/// hashes of real managers' names, never the names.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn manager_name_hashes() -> std::collections::HashSet<u64> {
    let text = std::fs::read_to_string(root().join("tests/fixtures/cqc/manager_name_hashes.txt"))
        .expect("hash fixture");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| u64::from_str_radix(l.trim(), 16).expect("hex hash"))
        .collect()
}

/// Every run of two to four words in `text`, lower-cased, as the hash fixture spells names.
fn word_runs(text: &str) -> Vec<String> {
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    let mut runs = Vec::new();
    for n in 2..=4 {
        for window in words.windows(n) {
            runs.push(window.join(" "));
        }
    }
    runs
}

#[test]
fn no_registered_manager_name_reaches_the_bundled_snapshot() {
    // The 174 managers named only in the contacts of CQC's raw Oldham responses (the bundled
    // copies had the contacts removed before they were committed) are absent from every
    // string the site shows: no run of words in any field hashes to one of their names.
    let hashes = manager_name_hashes();
    assert_eq!(hashes.len(), 174);
    // The published FNV-1a 64 test vector, so the hashes are compared like for like.
    assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    let bytes = std::fs::read(root().join("public/data/snapshot.bin")).expect("bundled snapshot");
    let snapshot = cqc_engine::snapshot::decode(&bytes).expect("decodes");
    let json = serde_json::to_value(&snapshot).expect("serialises");
    let mut strings = Vec::new();
    collect_strings(&json, &mut strings);
    assert!(strings.len() > 10_000, "every field is looked at");
    for text in &strings {
        for run in word_runs(text) {
            assert!(
                !hashes.contains(&fnv1a(&run)),
                "a registered manager's name is in the bundled snapshot"
            );
        }
    }
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

#[test]
fn contacts_in_an_api_response_are_never_read() {
    // A real Oldham response with a contacts block put back, naming an invented manager:
    // ingest must not carry the name anywhere into the snapshot.
    let path = root().join("tests/fixtures/cqc/oldham_api/location_1-5312102242.json");
    let mut json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("fixture")).expect("json");
    let contact = serde_json::json!([{
        "personTitle": "Ms",
        "personGivenName": "Zelphina",
        "personFamilyName": "Quixwortle",
        "personRoles": ["Registered Manager"]
    }]);
    let activities = json["regulatedActivities"]
        .as_array_mut()
        .expect("the response lists regulated activities");
    assert!(!activities.is_empty());
    for activity in activities {
        activity["contacts"] = contact.clone();
    }
    let dir = scratch("contacts");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let file = dir.join("location_1-5312102242.json");
    std::fs::write(&file, serde_json::to_vec(&json).expect("json")).expect("write");
    let file_text = file.to_string_lossy().into_owned();
    let (run, output, snapshot) = ingest(&[file_text.as_str()], "contacts");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(snapshot.locations.len(), 1);
    let bytes = std::fs::read(&output).expect("snapshot");
    for name in ["Zelphina", "Quixwortle"] {
        assert!(!bytes.windows(name.len()).any(|w| w == name.as_bytes()));
    }
}

#[test]
fn synth_is_deterministic_labelled_and_ingests_without_a_reported_row() {
    let first = scratch("synth/a/national.csv");
    let again = scratch("synth/b/national.csv");
    let other_seed = scratch("synth/c/national.csv");
    for (path, seed) in [(&first, "1"), (&again, "1"), (&other_seed, "2")] {
        let run = cqc(&[
            "synth".as_ref(),
            "--locations".as_ref(),
            "3000".as_ref(),
            "--seed".as_ref(),
            seed.as_ref(),
            "-o".as_ref(),
            path.as_os_str(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.contains("synthetic: 3000 locations"),
            "{}",
            run.stdout
        );
    }
    let bytes = std::fs::read(&first).expect("synthetic file");
    assert_eq!(bytes, std::fs::read(&again).expect("again"));
    assert_ne!(bytes, std::fs::read(&other_seed).expect("other seed"));
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.starts_with("\"SYNTHETIC BENCHMARK DATA, NOT CQC RATINGS"));
    let rows = text.lines().count() as u64 - 2; // the note and the header

    let path = first.to_string_lossy().into_owned();
    let (run, _, snapshot) = ingest(&[path.as_str()], "synth");
    let counts = format!("national.csv: {rows} rows read = {rows} accepted + 0 reported");
    assert!(run.stdout.contains(&counts), "{}", run.stdout);
    assert_eq!(snapshot.locations.len(), 3000);
    assert!(snapshot
        .locations
        .iter()
        .all(|l| l.id.starts_with("SYNTH-1-")));
    // Resampled, not invented: every synthetic location's ratings are a real location's, the
    // same groups, domains and values, published within the generator's spread of its dates.
    let (_, _, real) = ingest(&[CSV], "synth_real");
    let shape = |l: &cqc_engine::model::Location| {
        l.ratings
            .iter()
            .map(|r| (r.group.clone(), r.domain, r.value, r.inherited))
            .collect::<Vec<_>>()
    };
    let real_shapes: Vec<_> = real.locations.iter().map(shape).collect();
    assert!(snapshot
        .locations
        .iter()
        .all(|l| real_shapes.contains(&shape(l))));
}
