//! `read_api_response` on CQC API JSON: a location, a provider or one typed `IngestIssue`,
//! never a panic. An accepted location has an id, one rating per group × domain, and only real quality
//! statements with scores 1–4.
#![no_main]

use cqc_engine::ingest::{read_api_response, FileContent};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let location = match read_api_response("fuzz.json", data) {
        FileContent::ApiLocation(location) => *location,
        FileContent::ApiProvider(provider) => {
            if let Err(issue) = *provider {
                assert_eq!(issue.file, "fuzz.json");
                assert!(!issue.expected.is_empty());
            }
            return;
        }
        _ => panic!("an API response is read as a location or a provider"),
    };
    match location {
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
