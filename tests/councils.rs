//! Councils on CQC's real published table of the 72 local-authority assessments: every row
//! read, each recomputed, County Durham's "Not Rated" kept as CQC published it, and the single
//! score changes that would move a rating.

use cqc_engine::council::{
    read_councils, single_score_moves, CouncilAgreement, COUNCIL_STATEMENTS,
};
use cqc_engine::model::{NotRatedKind, Rating, RatingValue};
use cqc_engine::rules::RuleParams;

fn councils() -> Vec<cqc_engine::council::CouncilAssessment> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/councils.csv"
    );
    let text = std::fs::read_to_string(path).expect("bundled council table present");
    read_councils("councils.csv", &text).expect("the real table reads")
}

#[test]
fn every_council_is_read_and_all_but_the_unrated_one_agree() {
    let councils = councils();
    let params = RuleParams::default();
    assert_eq!(councils.len(), 72);
    let tally = |wanted: CouncilAgreement| {
        councils
            .iter()
            .filter(|c| c.agreement(&params) == wanted)
            .count()
    };
    assert_eq!(tally(CouncilAgreement::Agrees), 71);
    assert_eq!(tally(CouncilAgreement::Differs), 0);
    assert_eq!(tally(CouncilAgreement::NotRated), 1);

    let camden = &councils[0];
    assert_eq!(camden.name, "London Borough of Camden");
    assert_eq!(camden.scores, [3, 3, 4, 3, 4, 4, 3, 4, 4]);
    assert_eq!(camden.month, "February 2025");
    let result = camden.recompute(&params).expect("nine scores");
    assert_eq!((result.points, result.max_points), (32, 36));
    assert_eq!(result.rating, Rating::Outstanding);
}

#[test]
fn county_durham_is_named_not_rated_and_its_scores_would_give_good() {
    let councils = councils();
    let durham = councils
        .iter()
        .find(|c| c.slug() == "county-durham")
        .expect("County Durham in the table");
    assert_eq!(
        durham.published,
        RatingValue::Unrated(NotRatedKind::NotRated)
    );
    assert_eq!(
        durham.agreement(&RuleParams::default()),
        CouncilAgreement::NotRated
    );
    let result = durham
        .recompute(&RuleParams::default())
        .expect("nine scores");
    assert_eq!((result.points, result.rating), (24, Rating::Good));
}

#[test]
fn single_score_moves_on_real_councils_change_the_rating_they_say() {
    let params = RuleParams::default();
    for council in councils() {
        let now = council.recompute(&params).expect("nine scores").rating;
        for m in single_score_moves(&council.scores, &params) {
            assert_eq!(council.scores[m.statement], m.from, "{}", council.name);
            assert_ne!(m.rating, now, "{}: {m:?}", council.name);
            let mut edited = council.scores;
            edited[m.statement] = m.to;
            let again = cqc_engine::council::recompute_scores(&edited, &params).expect("scores");
            assert_eq!(again.rating, m.rating, "{}: {m:?}", council.name);
        }
    }
    // Camden (32/36 = 88.9 %, Outstanding at the edge): any one score a point lower gives
    // 31/36 = 86 %, Good; no score can go higher to change it.
    let camden = &councils()[0];
    let moves = single_score_moves(&camden.scores, &params);
    assert_eq!(moves.len(), COUNCIL_STATEMENTS.len(), "{moves:?}");
    assert!(moves
        .iter()
        .all(|m| m.rating == Rating::Good && m.to + 1 == m.from));
}
