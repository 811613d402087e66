//! Writes fuzz/seeds/snapshot_decode/*.bin and fuzz/seeds/engine_input/*.json from real data,
//! so that the fuzzers start from inputs the site and the JS API really see.

use cqc_engine::ingest::read_api_location;
use cqc_engine::model::{KeyQuestion, Rating, Snapshot};
use cqc_engine::rules::{Evidence, RuleParams, RuleSetId};
use cqc_engine::snapshot::{decode, encode, encode_with_chunk_size};
use cqc_engine::whatif::Edit;
use serde::Serialize;
use std::fs;

/// The engine_input target's input: the JS API's arguments in one JSON object.
#[derive(Serialize)]
struct Input<'a> {
    evidence: &'a Evidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    params: Option<RuleParams>,
    #[serde(skip_serializing_if = "Option::is_none")]
    edits: Option<Vec<Edit>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
}

fn main() {
    let out = "fuzz/seeds";

    // Snapshots: the real one is 85 KB; a few of its locations, re-encoded, are real data
    // in a size the fuzzer can mutate quickly.
    let real = fs::read("public/data/snapshot.bin").expect("run from the repository root");
    let snapshot = decode(&real).expect("the bundled snapshot decodes");
    let subset = |pick: &dyn Fn(&cqc_engine::model::Location) -> bool, n: usize| Snapshot {
        meta: snapshot.meta.clone(),
        locations: snapshot
            .locations
            .iter()
            .filter(|l| pick(l))
            .take(n)
            .cloned()
            .collect(),
    };
    let dir = format!("{out}/snapshot_decode");
    fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, s: &Snapshot| fs::write(format!("{dir}/{name}"), encode(s)).unwrap();
    write("meta_only.bin", &subset(&|_| false, 0));
    write("first_3_locations.bin", &subset(&|_| true, 3));
    write(
        "saf_assessments.bin",
        &subset(&|l| !l.assessments.is_empty(), 2),
    );
    write(
        "service_groups.bin",
        &subset(&|l| !l.service_groups().is_empty(), 2),
    );
    write(
        "inherited_and_brand.bin",
        &subset(
            &|l| l.brand_id.is_some() && l.ratings.iter().any(|r| r.inherited),
            2,
        ),
    );
    // Several chunks, so mutations reach the chunk directory and a second chunk's columns.
    fs::write(
        format!("{dir}/three_chunks.bin"),
        encode_with_chunk_size(&subset(&|_| true, 6), 2),
    )
    .unwrap();
    // A real prefix: truncated, so it exercises the "corrupt" path with real bytes.
    fs::write(format!("{dir}/real_prefix_2k.bin"), &real[..2048]).unwrap();

    // Engine inputs: real locations from the API fixtures under every rule set.
    let dir = format!("{out}/engine_input");
    fs::create_dir_all(&dir).unwrap();
    let fixtures = [
        "tests/fixtures/cqc/oldham_api/location_1-569934227.json", // SAF scores
        "tests/fixtures/cqc/oldham_api/location_1-5203053560.json", // SAF scores
        "tests/fixtures/cqc/oldham_api/location_RT2C1.json",
        "tests/fixtures/cqc/api/location_1-10000792582.json", // inherited
        "tests/fixtures/cqc/oldham_api/location_1-501039840.json",
    ];
    let as_of = cqc_engine::model::parse_cqc_date("2025-10-01");
    for (i, path) in fixtures.iter().enumerate() {
        let bytes = fs::read(path).unwrap();
        let location = read_api_location(path, &bytes).expect("a real API response reads");
        for rule_set in RuleSetId::ALL {
            let mut evidence = Evidence::from_location(&location, rule_set, as_of);
            if rule_set == RuleSetId::G2SafEvidenceCategories {
                // Assessments before December 2024 scored evidence categories; the API
                // fixtures are later, so give one statement per key question its categories.
                for kq in &mut evidence.key_questions {
                    if let Some(s) = kq.statements.first_mut() {
                        s.category_scores = vec![3, 2, 3, 3];
                    }
                }
            }
            let (params, edits, target) = match rule_set {
                RuleSetId::G1Kloe => (
                    None,
                    Some(vec![
                        Edit::KqRating {
                            key_question: KeyQuestion::Safe,
                            rating: Some(Rating::RequiresImprovement),
                        },
                        Edit::Breach(true),
                    ]),
                    Some("Outstanding"),
                ),
                RuleSetId::G2SafEvidenceCategories => (Some(RuleParams::default()), None, None),
                RuleSetId::G3SafQualityStatements => (
                    Some(RuleParams::default()),
                    Some(vec![
                        Edit::StatementScore { id: 7, score: 3 },
                        Edit::StatementScore { id: 31, score: 1 },
                    ]),
                    Some("Good"),
                ),
                RuleSetId::G4Draft2026 => (None, None, Some("Requires improvement")),
            };
            let input = Input {
                evidence: &evidence,
                params,
                edits,
                target,
            };
            let json = serde_json::to_vec(&input).unwrap();
            fs::write(format!("{dir}/location{i}_{}.json", rule_set.slug()), json).unwrap();
        }
    }
    println!("seeds written under {out}/snapshot_decode and {out}/engine_input");
}
