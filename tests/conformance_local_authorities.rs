//! Conformance: the local-authority rule (one percentage over the 9 quality statements, the
//! SAF bands) against the 72 published local-authority assessments.

use cqc_engine::model::{Rating, RatingValue};
use cqc_engine::rules::saf::local_authority_overall;
use cqc_engine::rules::{RuleParams, TiePolicy};

struct Row {
    name: String,
    published: RatingValue,
    scores: Vec<u8>,
}

fn rows() -> Vec<Row> {
    let path = concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
        "/tests/fixtures/conformance/cqc_league_tables.csv"
    );
    let mut reader = csv::Reader::from_path(path).expect("fixture present");
    let headers = reader.headers().expect("header").clone();
    let col = |name: &str| headers.iter().position(|h| h == name).expect("column");
    let (name, overall) = (col("Authority Name"), col("Overall"));
    let qs: Vec<usize> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| h.starts_with("QS"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(qs.len(), 9, "nine quality statements");
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap_or_else(|e| panic!("row {}: {e}", i + 2));
            Row {
                name: r[name].to_string(),
                published: RatingValue::parse(&r[overall])
                    .unwrap_or_else(|| panic!("row {}: rating {:?}", i + 2, &r[overall])),
                scores: qs
                    .iter()
                    .map(|c| {
                        r[*c]
                            .parse()
                            .unwrap_or_else(|_| panic!("row {}: score {:?}", i + 2, &r[*c]))
                    })
                    .collect(),
            }
        })
        .collect()
}

#[test]
fn reproduces_every_rated_local_authority() {
    let rows = rows();
    assert_eq!(rows.len(), 72);
    let mut agree = 0;
    let mut not_rated = Vec::new();
    for row in &rows {
        let computed =
            local_authority_overall(&row.scores, &RuleParams::default()).expect("scores");
        match row.published.rated() {
            Some(published) => {
                assert_eq!(computed.rating, published, "{}: {:?}", row.name, row.scores);
                agree += 1;
            }
            None => not_rated.push((row.name.clone(), computed.rating)),
        }
    }
    assert_eq!(agree, 71);
    // The one "Not Rated" row is classified, not forced: its scores would give Good.
    assert_eq!(not_rated, vec![("County Durham".to_string(), Rating::Good)]);
}

#[test]
fn band_edges_are_bracketed_by_real_assessments() {
    // 22/36 = 61.1 % was published RI and 23/36 = 63.9 % Good; 29/36 = 80.6 % Good and
    // 32/36 = 88.9 % Outstanding: the 63 and 88 edges hold whatever the tie policy.
    for policy in TiePolicy::ALL {
        let p = RuleParams {
            tie_policy: policy,
            ..RuleParams::default()
        };
        for row in rows() {
            if let Some(published) = row.published.rated() {
                let computed = local_authority_overall(&row.scores, &p).expect("scores");
                assert_eq!(computed.rating, published, "{} under {policy:?}", row.name);
            }
        }
    }
}
