//! The audit level by level on the bundled real data: the Oldham key questions whose quality-
//! statement scores CQC published are recomputed to their percentage and rating and checked
//! against CQC's figures; the Shropshire hospitals' and GP practices' service ratings are
//! aggregated to their key questions; and the overall level counts ratings resting on real
//! statement scores apart from those resting on ratings alone.

use cqc_engine::audit::levels::{
    assessment_has_scores, Level, LevelReport, BASIS_PRINCIPLES_ONLY, BASIS_STATEMENT_SCORES,
};
use cqc_engine::audit::{audit, sector_of};
use cqc_engine::rules::RuleParams;

fn bundled() -> cqc_engine::model::Snapshot {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/snapshot.bin"
    );
    let bytes = std::fs::read(path).expect("bundled snapshot present");
    cqc_engine::snapshot::decode(&bytes).expect("bundled snapshot decodes")
}

fn levels() -> (cqc_engine::model::Snapshot, Vec<LevelReport>) {
    let snapshot = bundled();
    let report = audit(&snapshot, &RuleParams::default());
    let levels = report.levels.into_values().collect();
    (snapshot, levels)
}

fn level(levels: &[LevelReport], wanted: Level) -> &LevelReport {
    levels
        .iter()
        .find(|l| l.level == wanted)
        .expect("every level reported")
}

#[test]
fn real_statement_scores_give_cqcs_published_percentages_and_ratings() {
    let (snapshot, levels) = levels();
    for wanted in [
        Level::StatementScoresToPercentage,
        Level::PercentageToKeyQuestionRating,
    ] {
        let report = level(&levels, wanted);
        // Franklin House, Treetops Nursing Home and Oldham Family Practice: five key questions
        // each. The dentist's "Regulations met" statements have no scores to recompute from.
        assert_eq!(report.compared, 15, "{wanted:?}: {report:?}");
        assert_eq!(report.agree, 15, "{wanted:?}: {:?}", report.divergences);
        // The dentist (1-16561595022) publishes "0" as each key question's percentage beside
        // its "Regulations met": a figure with nothing to recompute it from.
        let dentist = if wanted == Level::StatementScoresToPercentage {
            5
        } else {
            0
        };
        assert_eq!(report.not_comparable, dentist, "{wanted:?}");
        let ids: std::collections::BTreeSet<&str> = snapshot
            .locations
            .iter()
            .filter(|l| l.assessments.iter().any(assessment_has_scores))
            .map(|l| l.id.as_str())
            .collect();
        assert_eq!(
            ids.into_iter().collect::<Vec<_>>(),
            ["1-5203053560", "1-5312102242", "1-569934227"]
        );
    }
}

#[test]
fn shropshire_hospitals_and_practices_service_ratings_give_their_key_questions() {
    let (snapshot, levels) = levels();
    let report = level(&levels, Level::ServicesToKeyQuestions);
    assert!(report.compared >= 100, "{report:?}");
    let sectors: std::collections::BTreeSet<&str> = report
        .divergences
        .iter()
        .map(|d| sector_of(&snapshot.locations[d.location]))
        .collect();
    println!(
        "services → key questions: {} of {} agree; divergences in {sectors:?}",
        report.agree, report.compared
    );
    for d in &report.divergences {
        assert!(d.class.is_some());
        assert_ne!(d.published, d.recomputed);
    }
}

#[test]
fn the_overall_level_counts_principles_only_ratings_apart() {
    let (_, levels) = levels();
    let report = level(&levels, Level::KeyQuestionsToOverall);
    let basis = report
        .by_basis
        .as_ref()
        .expect("the overall level splits by basis");
    let count = |name: &str| basis.iter().find(|b| b.basis == name).expect("basis");
    let (scored, principles) = (count(BASIS_STATEMENT_SCORES), count(BASIS_PRINCIPLES_ONLY));
    assert_eq!(scored.compared + principles.compared, report.compared);
    assert_eq!(scored.agree + principles.agree, report.agree);
    // Franklin House, Treetops Nursing Home and Oldham Family Practice: each published Good
    // from its assessment, which the principles give from its five key questions.
    assert_eq!((scored.compared, scored.agree), (3, 3), "{report:?}");
    assert!(principles.compared > 400, "{report:?}");
}
