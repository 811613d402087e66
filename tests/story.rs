//! The rating's story on CQC's real data: Franklin House's timeline and re-inspection clock from
//! its API response, and a month-to-month diff built from real Shropshire Latest ratings rows
//! (a copy with some ratings changed, some rows removed and a location added, against the
//! original).

use cqc_engine::ingest::{build_snapshot, read_api_location, read_latest_ratings};
use cqc_engine::model::{
    Date, Domain, HistorySource, KeyQuestion, Location, NotRatedKind, Rating, RatingValue, Snapshot,
};
use cqc_engine::story::{
    clock_summary, diff_snapshots, rating_timeline, reinspection_clock, ChangeKind, ClockBasis,
    ClockStanding, TimelineSource,
};

fn root() -> &'static str {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
}

fn api_location(id: &str) -> Location {
    let path = format!(
        "{}/tests/fixtures/cqc/oldham_api/location_{id}.json",
        root()
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_api_location(&path, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd_opt(y, m, d).expect("a real date")
}

const GOOD: RatingValue = RatingValue::Rated(Rating::Good);

#[test]
fn franklin_house_timeline_is_2019_good_2021_inspected_2024_good() {
    let franklin = api_location("1-5312102242");
    let timeline = rating_timeline(&franklin);
    let entries: Vec<_> = timeline
        .entries
        .iter()
        .map(|e| (e.date, e.overall, e.source))
        .collect();
    assert_eq!(
        entries,
        vec![
            (
                Some(day(2019, 1, 18)),
                GOOD,
                TimelineSource::History(HistorySource::Api)
            ),
            (
                Some(day(2021, 3, 5)),
                RatingValue::Unrated(NotRatedKind::InspectedButNotRated),
                TimelineSource::History(HistorySource::Api)
            ),
            (Some(day(2024, 8, 8)), GOOD, TimelineSource::Assessment),
        ]
    );
    // The 2019 report's five key questions, each Good, and its report on cqc.org.uk.
    let first = &timeline.entries[0];
    assert_eq!(first.key_questions.len(), 5);
    assert!(first.key_questions.iter().all(|(_, v)| *v == GOOD));
    assert_eq!(
        first.report_link.as_deref(),
        Some("https://www.cqc.org.uk/reports/ca34d8e3-c719-4845-a6a6-0143f1fc8aec")
    );
    let assessment = &timeline.entries[2];
    assert!(assessment
        .key_questions
        .contains(&(KeyQuestion::Caring, GOOD)));
    assert_eq!(timeline.first_rating, Some(0));
    assert_eq!(timeline.current, Some(Rating::Good));
    // The inspection published without a rating left the 2019 Good standing.
    assert_eq!(timeline.current_since, Some(day(2019, 1, 18)));
    assert_eq!(timeline.changes.len(), 1);
    assert_eq!(timeline.changes[0].date, Some(day(2024, 8, 8)));
    assert_eq!(timeline.requires_improvement_or_worse_in_a_row, 0);
}

#[test]
fn franklin_house_clock_runs_from_its_2024_assessment() {
    let franklin = api_location("1-5312102242");
    let clock = reinspection_clock(&franklin, day(2026, 12, 1));
    assert_eq!(clock.sector, "Adult social care");
    assert_eq!(clock.rating, Some(Rating::Good));
    // CQC's assessment date, newer than the API's lastInspection (19 Feb 2021).
    let last = clock.last_seen.expect("a date to measure from");
    assert_eq!(
        (last.date, last.basis),
        (day(2024, 4, 17), ClockBasis::AssessmentDate)
    );
    assert_eq!(clock.days_since, Some(958));
    let expectation = clock.expectation.as_ref().expect("the routine cycle");
    assert!(expectation.provisional);
    assert_eq!(clock.earliest_due, Some(day(2027, 4, 17)));
    assert_eq!(clock.due, Some(day(2029, 4, 17)));
    assert_eq!(clock.standing, ClockStanding::Within { days_left: 868 });
    assert!(!clock.past_target());
    assert!(clock.sentence().contains("proposed routine cycle"));
}

#[test]
fn a_closed_treetops_registration_has_no_clock_and_is_left_out_nationally() {
    let oldest = api_location("1-123173965");
    let today = day(2026, 12, 1);
    assert_eq!(
        reinspection_clock(&oldest, today).standing,
        ClockStanding::Deregistered
    );
    let summary = clock_summary(&[oldest], today);
    assert!(summary.by_sector.is_empty());
    assert!(summary.by_local_authority.is_empty());
}

/// The Shropshire extract's rows, as CSV records after the header.
fn shropshire() -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let path = format!(
        "{}/tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv",
        root()
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header = reader.headers().expect("a header").clone();
    let rows = reader.records().map(|r| r.expect("a row")).collect();
    (header, rows)
}

fn column(header: &csv::StringRecord, name: &str) -> usize {
    header
        .iter()
        .position(|h| h.trim_start_matches('\u{feff}') == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn snapshot_of(name: &str, header: &csv::StringRecord, rows: &[csv::StringRecord]) -> Snapshot {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).expect("header written");
    for row in rows {
        writer.write_record(row).expect("row written");
    }
    let bytes = writer.into_inner().expect("CSV bytes");
    let ingested = read_latest_ratings(name, &bytes).unwrap_or_else(|e| panic!("{e}"));
    build_snapshot(vec![ingested], vec![name.to_string()]).0
}

/// A copy of `row` with `edits` (column, value) applied.
fn edited(row: &csv::StringRecord, edits: &[(usize, &str)]) -> csv::StringRecord {
    row.iter()
        .enumerate()
        .map(|(i, cell)| {
            edits
                .iter()
                .find(|(c, _)| *c == i)
                .map_or(cell, |(_, v)| *v)
        })
        .collect()
}

#[test]
fn a_diff_of_real_rows_finds_exactly_what_was_changed() {
    let (header, rows) = shropshire();
    let id = column(&header, "location_id");
    let name = column(&header, "location_name");
    let group = column(&header, "service_population_group");
    let domain = column(&header, "domain");
    let rating = column(&header, "latest_rating");
    let date = column(&header, "publication_date");
    let own = |row: &csv::StringRecord, location: &str, dom: &str| {
        &row[id] == location && &row[group] == "Overall" && &row[domain] == dom
    };

    // The old month: the file as CQC published it, but Onny Cottage without its overall row.
    let old_rows: Vec<_> = rows
        .iter()
        .filter(|r| !own(r, "1-10483548208", "Overall"))
        .cloned()
        .collect();

    // The new month.
    let mut new_rows = Vec::new();
    for row in &rows {
        match &row[id] {
            // Goodwood Homecare re-inspected: every row Good (overall, Effective and Well-led
            // were Requires improvement) and dated 15 Sep 2025.
            "1-10052707705" => {
                new_rows.push(edited(row, &[(rating, "Good"), (date, "15/09/2025")]));
            }
            // Wishing Well Home Care: Safe down to Requires improvement, same date.
            "1-10160536681" if &row[domain] == "Safe" => {
                new_rows.push(edited(row, &[(rating, "Requires improvement")]));
            }
            // Severn Valley Home Care Offices: gone.
            "1-10256887172" => {}
            // Foreveryoung: its Safe rating no longer listed.
            "1-10982333142" if own(row, "1-10982333142", "Safe") => {}
            // The Uplands at Oxon, and a new location with its rows.
            "1-108934369" => {
                new_rows.push(row.clone());
                new_rows.push(edited(
                    row,
                    &[(id, "1-999000001"), (name, "Uplands Annexe")],
                ));
            }
            _ => new_rows.push(row.clone()),
        }
    }

    let old = snapshot_of("old.csv", &header, &old_rows);
    let new = snapshot_of("new.csv", &header, &new_rows);
    let list = diff_snapshots(&old, &new);
    let lines: Vec<String> = list.changes.iter().map(|c| c.describe()).collect();
    assert_eq!(
        lines,
        [
            "rating up 1-10052707705 (Goodwood Homecare): Overall Requires improvement → Good (published 15 Sep 2025, was 12 Feb 2020)",
            "rating up 1-10052707705 (Goodwood Homecare): Effective Requires improvement → Good (published 15 Sep 2025, was 12 Feb 2020)",
            "rating up 1-10052707705 (Goodwood Homecare): Well-led Requires improvement → Good (published 15 Sep 2025, was 12 Feb 2020)",
            "re-inspected 1-10052707705 (Goodwood Homecare): published 15 Sep 2025, was 12 Feb 2020",
            "rating down 1-10160536681 (Wishing Well Home Care): Safe Good → Requires improvement (published 24 Aug 2019, was 24 Aug 2019)",
            "location gone 1-10256887172 (Severn Valley Home Care Offices)",
            "new rating 1-10483548208 (Onny Cottage): Overall Good (published 2 Jun 2023)",
            "rating withdrawn 1-10982333142 (Foreveryoung Medical Aesthetics Shrewsbury Ltd): Safe Requires improvement (published 9 Nov 2023) no longer listed",
            "new location 1-999000001 (Uplands Annexe)",
        ]
    );
    let counts: Vec<(ChangeKind, u32)> = list.counts.clone();
    assert_eq!(
        counts,
        [
            (ChangeKind::NewLocation, 1),
            (ChangeKind::LocationGone, 1),
            (ChangeKind::NewRating, 1),
            (ChangeKind::RatingUp, 3),
            (ChangeKind::RatingDown, 1),
            (ChangeKind::RatingWithdrawn, 1),
            (ChangeKind::Reinspected, 1),
        ]
    );
    let goodwood_overall = list
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::RatingUp && c.domain == Some(Domain::Overall))
        .expect("Goodwood's overall went up");
    assert_eq!(goodwood_overall.new_date, Some(day(2025, 9, 15)));
    // Against itself, the real file has no changes.
    assert!(diff_snapshots(&old, &old).changes.is_empty());
}
