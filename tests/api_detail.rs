//! What CQC's real API responses say beside the ratings, as ingest reads it: registration and
//! its dates, predecessor and successor links, earlier ratings with their reports, CQC's
//! commentary with its dates, and the facts (beds, specialisms, service types, coordinates).

use cqc_engine::ingest::read_api_location;
use cqc_engine::model::{
    CommentaryScope, Date, HistorySource, KeyQuestion, Location, NotRatedKind, Rating, RatingValue,
    RegistrationStatus, RelationshipKind,
};

fn location(id: &str) -> Location {
    let path = format!(
        "{}/tests/fixtures/cqc/oldham_api/location_{id}.json",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_api_location(&path, &bytes).unwrap_or_else(|e| panic!("{e}"))
}

fn date(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::from_ymd_opt(y, m, d)
}

#[test]
fn franklin_house_has_its_history_reports_and_commentary() {
    let franklin = location("1-5312102242");
    let detail = &franklin.detail;
    assert_eq!(detail.registration.status, RegistrationStatus::Registered);
    assert_eq!(detail.registration.registered, date(2018, 6, 13));
    assert!(detail.registration.is_current());
    assert_eq!(detail.last_inspection, date(2021, 2, 19));

    // Newest first: the 2021 "Inspected but not rated", then the 2019 Good.
    let history: Vec<_> = detail
        .history
        .iter()
        .map(|h| (h.report_date, h.overall))
        .collect();
    assert_eq!(
        history,
        vec![
            (
                date(2021, 3, 5),
                Some(RatingValue::Unrated(NotRatedKind::InspectedButNotRated))
            ),
            (date(2019, 1, 18), Some(RatingValue::Rated(Rating::Good))),
        ]
    );
    assert!(detail
        .history
        .iter()
        .all(|h| h.source == HistorySource::Api));
    // Each earlier rating names the report it came from, and that report is listed.
    for h in &detail.history {
        let id = h.report_link_id.as_deref().expect("a report id");
        let report = detail.reports.iter().find(|r| r.link_id == id);
        assert_eq!(report.map(|r| r.date), Some(h.report_date));
    }
    assert_eq!(
        detail.reports[0].link().as_deref(),
        Some("https://www.cqc.org.uk/reports/8b7627fe-93ff-4b83-b86c-5fa1a755c1af")
    );

    assert_eq!(detail.relationships.len(), 1);
    assert_eq!(detail.relationships[0].kind, RelationshipKind::Predecessor);
    assert_eq!(detail.relationships[0].location_id, "1-122386733");

    // CQC's words on the 2024 assessment, each with its date and its plan.
    let words = |scope| detail.commentary.iter().find(|c| c.scope == scope);
    let summary = words(CommentaryScope::Summary).expect("summary");
    assert_eq!(
        summary.text,
        "The service is performing well and meeting our expectations."
    );
    let assessment = words(CommentaryScope::Assessment).expect("assessment text");
    assert!(assessment
        .text
        .starts_with("Date of assessment 15 May to 17 May 2024."));
    assert_eq!(assessment.date, date(2024, 7, 11));
    assert_eq!(assessment.plan_id, "AP3134");
    let people = words(CommentaryScope::PeoplesExperience).expect("people's experience");
    assert_eq!(people.date, date(2024, 6, 20));
    let caring = words(CommentaryScope::KeyQuestion(KeyQuestion::Caring)).expect("caring");
    assert_eq!(caring.date, date(2024, 6, 20));
    let qs17 = words(CommentaryScope::EvidenceCategory {
        statement: 17,
        category: 1,
    })
    .expect("QS17 people's experience");
    assert!(qs17
        .text
        .starts_with("People told us they would benefit from more activities."));
    // Empty commentary is not kept.
    assert!(detail.commentary.iter().all(|c| !c.text.trim().is_empty()));

    let facts = &detail.facts;
    assert_eq!(facts.beds, Some(40));
    assert_eq!(
        facts.specialisms,
        ["Caring for adults over 65 yrs", "Dementia"]
    );
    assert_eq!(facts.service_types, ["Care home service without nursing"]);
    assert_eq!(facts.with_nursing(), Some(false));
    assert_eq!(
        facts.regulated_activities,
        ["Accommodation for persons who require nursing or personal care"]
    );
    assert_eq!(facts.coordinates, Some((53_547_645, -2_116_427)));
    assert_eq!(
        facts.website.as_deref(),
        Some("www.franklincaregroup.co.uk")
    );
}

#[test]
fn the_three_treetops_registrations_link_both_ways() {
    // 2011 → 2018 → today: each registration names the next as its successor and the one
    // before as its predecessor, and the two closed ones say when they closed.
    let oldest = location("1-123173965");
    let middle = location("1-280584830");
    let current = location("1-5203053560");
    assert_eq!(
        oldest.detail.registration.status,
        RegistrationStatus::Deregistered
    );
    assert_eq!(oldest.detail.registration.deregistered, date(2011, 10, 28));
    assert_eq!(middle.detail.registration.deregistered, date(2018, 6, 18));
    assert!(!middle.detail.registration.is_current());
    assert!(current.detail.registration.is_current());
    let link = |l: &Location, kind: RelationshipKind| {
        l.detail
            .relationships
            .iter()
            .find(|r| r.kind == kind)
            .map(|r| r.location_id.clone())
    };
    assert_eq!(
        link(&oldest, RelationshipKind::Successor).as_deref(),
        Some("1-280584830")
    );
    assert_eq!(
        link(&middle, RelationshipKind::Predecessor).as_deref(),
        Some("1-123173965")
    );
    assert_eq!(
        link(&middle, RelationshipKind::Successor).as_deref(),
        Some("1-5203053560")
    );
    assert_eq!(
        link(&current, RelationshipKind::Predecessor).as_deref(),
        Some("1-280584830")
    );
}

#[test]
fn every_oldham_response_reads_its_registration() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/cqc/oldham_api"
    );
    let mut registered = 0;
    let mut deregistered = 0;
    for entry in std::fs::read_dir(dir).expect("fixture folder") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("readable");
        let l = read_api_location(&path.to_string_lossy(), &bytes).expect("a location");
        match l.detail.registration.status {
            RegistrationStatus::Registered => registered += 1,
            RegistrationStatus::Deregistered => {
                deregistered += 1;
                assert!(
                    l.detail.registration.deregistered.is_some(),
                    "{}: deregistered with no date",
                    l.id
                );
            }
            RegistrationStatus::NotStated => panic!("{}: no registration status", l.id),
        }
    }
    // SOURCES.md: all 451 Oldham locations, registered and deregistered.
    assert_eq!(registered + deregistered, 451);
    assert_eq!(deregistered, 235);
}
