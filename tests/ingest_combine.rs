//! Files of several kinds into one snapshot, on CQC's real data: provider responses name the
//! locations they run (never a person's name), and a national history of overall ratings adds
//! earlier ratings to the locations in the data; every record is accepted or reported, with
//! its row, and the counts reconcile after each join.

use cqc_engine::ingest::IngestReport;
use cqc_engine::ingest::{read_file, Combiner};
use cqc_engine::model::{Date, HistorySource, Rating, RatingValue, Snapshot};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/cqc"
    ))
    .to_path_buf()
}

fn add_file(combiner: &mut Combiner, path: &Path) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let content = read_file(&name, &bytes, None).unwrap_or_else(|e| panic!("{e}"));
    combiner.add(&name, content);
}

fn add_folder(combiner: &mut Combiner, folder: &str) {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures().join(folder))
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    for path in paths {
        add_file(combiner, &path);
    }
}

fn bundled_inputs(history: &[u8]) -> (Snapshot, IngestReport) {
    let mut combiner = Combiner::default();
    add_file(
        &mut combiner,
        &fixtures().join("latest_ratings_shropshire_2025-10.csv"),
    );
    add_folder(&mut combiner, "oldham_api");
    add_folder(&mut combiner, "oldham_providers");
    let content = read_file("history.csv", history, None).expect("a history file");
    combiner.add("history.csv", content);
    combiner.finish()
}

fn real_history() -> Vec<u8> {
    std::fs::read(fixtures().join("rating_history_non_care_homes.csv")).expect("history fixture")
}

#[test]
fn provider_responses_name_organisations_and_never_people() {
    let (snapshot, report) = bundled_inputs(&real_history());
    assert!(report.reconciles());
    let run_by = |provider: &str| {
        snapshot
            .locations
            .iter()
            .filter(|l| l.provider_id == provider)
            .collect::<Vec<_>>()
    };
    // An organisation: its locations (API responses carry only the id) get its name.
    let ordinary = run_by("1-101644866");
    assert!(!ordinary.is_empty());
    assert!(ordinary
        .iter()
        .all(|l| l.provider_name == "Ordinary Lifestyles"));
    // An individual's and a partnership's names are people's: not used, even as redacted.
    for person in ["1-101633224", "1-101630228"] {
        let locations = run_by(person);
        assert!(
            !locations.is_empty(),
            "{person} runs a location in the data"
        );
        assert!(
            locations.iter().all(|l| l.provider_name.is_empty()),
            "{person}"
        );
    }
    let providers = report
        .files
        .iter()
        .find(|f| f.file == "CQC API provider responses")
        .expect("the providers' accounting");
    assert_eq!(providers.rows_read, 20);
    assert_eq!(providers.rows_accepted + providers.rows_reported, 20);
}

#[test]
fn the_history_file_adds_earlier_ratings_and_reports_the_rest_by_row() {
    let (snapshot, report) = bundled_inputs(&real_history());
    assert!(report.reconciles());
    let file = report
        .files
        .iter()
        .find(|f| f.file == "history.csv")
        .expect("the history's accounting");
    // 275 rows: 235 for locations in the bundled data, 40 for locations elsewhere.
    assert_eq!(file.rows_read, 275);
    let elsewhere: Vec<_> = report
        .issues
        .iter()
        .filter(|i| i.file == "history.csv")
        .collect();
    assert!(elsewhere
        .iter()
        .all(|i| i.row.is_some() && i.column.as_deref() == Some("locationid")));
    assert_eq!(file.rows_reported, elsewhere.len() as u64);
    assert!(
        elsewhere.len() >= 40,
        "the 40 rows for locations elsewhere are reported"
    );

    // A Shropshire location the Latest ratings file knows only by its current rating gains
    // its earlier ones, newest first.
    let location = snapshot
        .locations
        .iter()
        .find(|l| l.id == "1-2267593693")
        .expect("in the data");
    let dates: Vec<Option<Date>> = location
        .detail
        .history
        .iter()
        .map(|h| h.report_date)
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let earliest = location.detail.history.last().expect("a history");
    assert_eq!(earliest.report_date, Date::from_ymd_opt(2016, 11, 5));
    assert_eq!(
        earliest.overall,
        Some(RatingValue::Rated(Rating::RequiresImprovement))
    );
    assert!(location
        .detail
        .history
        .iter()
        .any(|h| h.source == HistorySource::HistoryFile));
}

#[test]
fn a_history_row_that_contradicts_the_api_is_reported_and_the_api_kept() {
    // Franklin House's API history has Good on 18 Jan 2019; a history row saying Inadequate
    // for that date is reported, with its row, and the API's rating stays.
    let header = "\"\",\"reportdate\",\"overall\",\"ownership\",\"locationid\",\"location_start_2025\",\"location_end_2025\",\"good\",\"rating\"\n";
    let history = format!(
        "{header}\"1\",2019-01-18,\"Inadequate\",\"For-profit\",\"1-5312102242\",17695,NA,0,\"Inadequate\"\n\
         \"2\",2019-01-18,\"Good\",\"For-profit\",\"1-5312102242\",17695,NA,1,\"Good\"\n"
    );
    let (snapshot, report) = bundled_inputs(history.as_bytes());
    assert!(report.reconciles());
    let issue = report
        .issues
        .iter()
        .find(|i| i.file == "history.csv")
        .expect("the contradiction is reported");
    assert_eq!(issue.row, Some(2));
    assert!(
        issue.expected.contains("already has Good"),
        "{}",
        issue.expected
    );
    let franklin = snapshot
        .locations
        .iter()
        .find(|l| l.id == "1-5312102242")
        .expect("Franklin House");
    let on_the_day: Vec<_> = franklin
        .detail
        .history
        .iter()
        .filter(|h| h.report_date == Date::from_ymd_opt(2019, 1, 18))
        .collect();
    // The agreeing row is accepted and not added twice.
    assert_eq!(on_the_day.len(), 1);
    assert_eq!(
        on_the_day[0].overall,
        Some(RatingValue::Rated(Rating::Good))
    );
    let file = report
        .files
        .iter()
        .find(|f| f.file == "history.csv")
        .expect("accounting");
    assert_eq!(
        (file.rows_read, file.rows_accepted, file.rows_reported),
        (2, 1, 1)
    );
}

#[test]
fn a_truncated_provider_response_is_one_reported_record_naming_neither_kind() {
    let path = fixtures().join("oldham_providers/provider_1-101644866.json");
    let bytes = std::fs::read(&path).expect("fixture");
    let cut = &bytes[..bytes.len() / 2];
    match read_file("provider_1-101644866.json", cut, None).expect("read") {
        cqc_engine::ingest::FileContent::ApiLocation(location) => {
            let issue = (*location).expect_err("a truncated response is not a location");
            assert_eq!(issue.file, "provider_1-101644866.json");
            assert_eq!(
                issue.expected,
                "is not readable JSON, so not a CQC API response"
            );
        }
        _ => panic!("unreadable JSON is counted with the API location responses"),
    }
}
