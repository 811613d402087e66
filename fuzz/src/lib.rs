//! Invariants shared by the fuzz targets: cheap checks, beyond "no panic", that a result a
//! parser or the engine returns is self-consistent. Each one panics (so libFuzzer records a
//! crash) with a message naming the invariant.

use cqc_engine::explain::Explanation;
use cqc_engine::ingest::Ingested;
use cqc_engine::model::{Location, Rating};
use std::collections::HashSet;

/// The row accounting of one Latest ratings file: every row read is accepted or reported, each
/// reported row carries exactly one issue, and each accepted row is exactly one rating.
pub fn check_ingested(ingested: &Ingested) {
    let report = &ingested.report;
    assert_eq!(report.files.len(), 1, "one file read gives one file report");
    assert!(
        report.reconciles(),
        "rows read != accepted + reported: {:?}",
        report.files
    );
    assert_eq!(
        report.issues.len() as u64,
        report.rows_reported(),
        "every reported row has exactly one issue"
    );
    let ratings: usize = ingested.locations.iter().map(|l| l.ratings.len()).sum();
    assert_eq!(
        ratings as u64,
        report.rows_accepted(),
        "every accepted row is one rating"
    );
    let mut ids = HashSet::new();
    for location in &ingested.locations {
        assert!(ids.insert(location.id.as_str()), "location ids are unique");
        check_location(location);
        assert!(
            !location.ratings.is_empty(),
            "a location is only created by an accepted row"
        );
    }
}

/// What any ingested location must look like: an id, no blank group, and no group and domain
/// rated twice.
pub fn check_location(location: &Location) {
    assert!(!location.id.trim().is_empty(), "a location has an id");
    let mut slots = HashSet::new();
    for rating in &location.ratings {
        assert!(!rating.group.is_empty(), "a rating has a service group");
        assert!(
            slots.insert((rating.group.as_str(), rating.domain)),
            "group {:?} × {:?} is rated once",
            rating.group,
            rating.domain
        );
    }
    for assessment in &location.assessments {
        for kq in &assessment.key_questions {
            for statement in &kq.statements {
                assert!(
                    cqc_engine::model::quality_statement(statement.id).is_some(),
                    "statement ids are real quality statements"
                );
                if let Some(score) = statement.score {
                    assert!(
                        cqc_engine::rules::params::is_valid_score(score),
                        "statement scores are on the SAF scale"
                    );
                }
            }
        }
    }
}

/// What any explanation `rate` returns must satisfy.
pub fn check_explanation(explanation: &Explanation, breach: bool) {
    assert_eq!(
        explanation.key_questions.len(),
        5,
        "every key question has a result"
    );
    let any_rated = explanation.key_questions.iter().any(|k| k.rating.is_some());
    assert_eq!(
        explanation.overall.is_some(),
        any_rated,
        "an overall rating exactly when some key question is rated"
    );
    if let (Some(overall), Some(aggregation)) = (explanation.overall, &explanation.aggregation) {
        assert!(overall <= aggregation.rating, "a cap never raises a rating");
        if breach {
            assert!(
                overall <= Rating::RequiresImprovement,
                "a breach caps the overall at requires improvement"
            );
        }
    }
    let shares: f64 = explanation
        .evidence_age
        .slices
        .iter()
        .map(|s| s.share)
        .sum();
    if !explanation.evidence_age.slices.is_empty() {
        assert!(
            (shares - 1.0).abs() < 1e-6,
            "evidence-age shares add up to 1 (got {shares})"
        );
    }
    // The JS API serialises every explanation with its words; neither may fail.
    serde_json::to_vec(&cqc_engine::explain::Narrated::of(explanation))
        .expect("an explanation serialises to JSON");
}
