//! `read_api_location` on CQC API location JSON: a location or one typed `IngestIssue`, never a
//! panic. An accepted location has an id, one rating per group × domain, and only real quality
//! statements with scores 1–4.
#![no_main]

use cqc_engine::ingest::read_api_location;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match read_api_location("fuzz.json", data) {
        Ok(location) => {
            // The API path does not de-duplicate ratings, so only the per-statement checks
            // and the id apply; see check_location for the full set.
            assert!(!location.id.is_empty(), "an API location has an id");
            for assessment in &location.assessments {
                for kq in &assessment.key_questions {
                    for s in &kq.statements {
                        assert!(cqc_engine::model::quality_statement(s.id).is_some());
                        assert!(s.score.is_none_or(|score| (1..=4).contains(&score)));
                    }
                }
            }
        }
        Err(issue) => {
            // The issue is shown to users: it must name the file and say what was expected.
            assert_eq!(issue.file, "fuzz.json");
            assert!(!issue.expected.is_empty());
        }
    }
});
