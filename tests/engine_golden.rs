//! Golden tests: every worked example of the algorithm spec and the full 56-row decision table
//! of the adult social care 5-key-question principles (spec §3.3), run through `rate`.

use chrono::NaiveDate;
use cqc_engine::explain::narrative::paragraphs;
use cqc_engine::model::{KeyQuestion, QsInput, Rating, RatingInput, RatingValue, ScoreSource};
use cqc_engine::rules::{rate, Evidence, KqEvidence, RuleId, RuleParams, RuleSetId, TiePolicy};
use Rating::{Good, Inadequate, Outstanding, RequiresImprovement};

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Legacy evidence from five key-question ratings in CQC's order S, E, C, R, W.
fn legacy(ratings: [Rating; 5], breach: bool) -> Evidence {
    dated_legacy(ratings.map(|r| (r, date(2022, 1, 1))), breach)
}

fn dated_legacy(ratings: [(Rating, Option<NaiveDate>); 5], breach: bool) -> Evidence {
    Evidence {
        rule_set: RuleSetId::G1Kloe,
        key_questions: KeyQuestion::ALL
            .iter()
            .zip(ratings)
            .map(|(kq, (r, d))| KqEvidence {
                key_question: *kq,
                rating: Some(RatingInput::rated(r, d)),
                statements: Vec::new(),
            })
            .collect(),
        breach,
        limiters: Vec::new(),
        as_of: date(2025, 10, 1),
    }
}

/// The 56 rows of spec §3.3: (#O, #G, #RI, #I, overall, rule that fires).
const DECISION_TABLE: [(usize, usize, usize, usize, Rating, RuleId); 56] = [
    (5, 0, 0, 0, Outstanding, RuleId::OutstandingThreshold),
    (4, 1, 0, 0, Outstanding, RuleId::OutstandingThreshold),
    (4, 0, 1, 0, Good, RuleId::GoodDefault),
    (
        4,
        0,
        0,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (3, 2, 0, 0, Outstanding, RuleId::OutstandingThreshold),
    (3, 1, 1, 0, Good, RuleId::GoodDefault),
    (
        3,
        1,
        0,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (
        3,
        0,
        2,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        3,
        0,
        1,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (3, 0, 0, 2, Inadequate, RuleId::InadequateThreshold),
    (2, 3, 0, 0, Outstanding, RuleId::OutstandingThreshold),
    (2, 2, 1, 0, Good, RuleId::GoodDefault),
    (
        2,
        2,
        0,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (
        2,
        1,
        2,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        2,
        1,
        1,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (2, 1, 0, 2, Inadequate, RuleId::InadequateThreshold),
    (
        2,
        0,
        3,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        2,
        0,
        2,
        1,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (2, 0, 1, 2, Inadequate, RuleId::InadequateThreshold),
    (2, 0, 0, 3, Inadequate, RuleId::InadequateThreshold),
    (1, 4, 0, 0, Good, RuleId::GoodDefault),
    (1, 3, 1, 0, Good, RuleId::GoodDefault),
    (
        1,
        3,
        0,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (
        1,
        2,
        2,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        1,
        2,
        1,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (1, 2, 0, 2, Inadequate, RuleId::InadequateThreshold),
    (
        1,
        1,
        3,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        1,
        1,
        2,
        1,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (1, 1, 1, 2, Inadequate, RuleId::InadequateThreshold),
    (1, 1, 0, 3, Inadequate, RuleId::InadequateThreshold),
    (
        1,
        0,
        4,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        1,
        0,
        3,
        1,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (1, 0, 2, 2, Inadequate, RuleId::InadequateThreshold),
    (1, 0, 1, 3, Inadequate, RuleId::InadequateThreshold),
    (1, 0, 0, 4, Inadequate, RuleId::InadequateThreshold),
    (0, 5, 0, 0, Good, RuleId::GoodDefault),
    (0, 4, 1, 0, Good, RuleId::GoodDefault),
    (
        0,
        4,
        0,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (
        0,
        3,
        2,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        0,
        3,
        1,
        1,
        RequiresImprovement,
        RuleId::SingleInadequateFallback,
    ),
    (0, 3, 0, 2, Inadequate, RuleId::InadequateThreshold),
    (
        0,
        2,
        3,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        0,
        2,
        2,
        1,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (0, 2, 1, 2, Inadequate, RuleId::InadequateThreshold),
    (0, 2, 0, 3, Inadequate, RuleId::InadequateThreshold),
    (
        0,
        1,
        4,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        0,
        1,
        3,
        1,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (0, 1, 2, 2, Inadequate, RuleId::InadequateThreshold),
    (0, 1, 1, 3, Inadequate, RuleId::InadequateThreshold),
    (0, 1, 0, 4, Inadequate, RuleId::InadequateThreshold),
    (
        0,
        0,
        5,
        0,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (
        0,
        0,
        4,
        1,
        RequiresImprovement,
        RuleId::RequiresImprovementThreshold,
    ),
    (0, 0, 3, 2, Inadequate, RuleId::InadequateThreshold),
    (0, 0, 2, 3, Inadequate, RuleId::InadequateThreshold),
    (0, 0, 1, 4, Inadequate, RuleId::InadequateThreshold),
    (0, 0, 0, 5, Inadequate, RuleId::InadequateThreshold),
];

#[test]
fn decision_table_all_56_multisets() {
    for (o, g, ri, i, expected, rule) in DECISION_TABLE {
        let mut ratings = Vec::new();
        ratings.extend(std::iter::repeat_n(Outstanding, o));
        ratings.extend(std::iter::repeat_n(Good, g));
        ratings.extend(std::iter::repeat_n(RequiresImprovement, ri));
        ratings.extend(std::iter::repeat_n(Inadequate, i));
        let five: [Rating; 5] = ratings.try_into().expect("five ratings");
        let e = rate(&legacy(five, false), &RuleParams::default()).expect("rates");
        assert_eq!(e.overall, Some(expected), "row {o}/{g}/{ri}/{i}");
        assert!(
            e.fired(rule),
            "row {o}/{g}/{ri}/{i} should fire {rule:?}: {:?}",
            e.steps
        );
        // The order of the key questions never matters.
        let mut reversed = five;
        reversed.reverse();
        let r = rate(&legacy(reversed, false), &RuleParams::default()).expect("rates");
        assert_eq!(r.overall, Some(expected));
    }
    // Every multiset of five ratings appears exactly once.
    let mut seen: Vec<(usize, usize, usize, usize)> = DECISION_TABLE
        .iter()
        .map(|r| (r.0, r.1, r.2, r.3))
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 56);
}

#[test]
fn precedence_rows_name_the_provisional_precedence_rule() {
    // 1 O, 0 G, 2 RI, 2 I: both thresholds met; inadequate wins [INFERRED].
    let e = rate(
        &legacy(
            [
                Outstanding,
                RequiresImprovement,
                RequiresImprovement,
                Inadequate,
                Inadequate,
            ],
            false,
        ),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.overall, Some(Inadequate));
    assert!(e.fired(RuleId::InadequatePrecedence));
    assert!(e
        .provisional_rules()
        .contains(&RuleId::InadequatePrecedence));
}

#[test]
fn l1_one_ri_is_good() {
    let e = rate(
        &legacy([RequiresImprovement, Good, Good, Good, Good], false),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.overall, Some(Good));
    assert!(e.fired(RuleId::GoodDefault));
}

#[test]
fn l2_two_ri_is_ri() {
    let e = rate(
        &legacy(
            [RequiresImprovement, Good, Good, Good, RequiresImprovement],
            false,
        ),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.overall, Some(RequiresImprovement));
    assert!(e.fired(RuleId::RequiresImprovementThreshold));
}

#[test]
fn l3_single_inadequate_is_the_provisional_fallback() {
    let e = rate(
        &legacy([Inadequate, Good, Good, Good, Good], false),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.overall, Some(RequiresImprovement));
    assert!(e.fired(RuleId::SingleInadequateFallback));
    assert!(e
        .provisional_rules()
        .contains(&RuleId::SingleInadequateFallback));
    assert!(paragraphs(&e)
        .iter()
        .any(|p| p.contains("No CQC principle covers this case")));
}

#[test]
fn l4_breach_caps_outstanding_at_ri() {
    let e = rate(
        &legacy([Good, Good, Outstanding, Outstanding, Good], true),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.aggregation.as_ref().map(|a| a.rating), Some(Outstanding));
    assert_eq!(e.overall, Some(RequiresImprovement));
    assert!(e.fired(RuleId::BreachCap));
    assert!(paragraphs(&e)[0].contains("Would be outstanding on the aggregation rule"));
}

#[test]
fn l5_focused_inspection_mixes_dates() {
    let old = date(2019, 3, 1);
    let new = date(2023, 6, 1);
    let e = rate(
        &dated_legacy(
            [
                (Good, new),
                (Good, old),
                (Good, old),
                (Good, old),
                (Good, old),
            ],
            false,
        ),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.overall, Some(Good));
    let age = &e.evidence_age;
    assert_eq!(
        age.slices
            .iter()
            .find(|s| s.year == Some(2019))
            .map(|s| s.share),
        Some(0.8)
    );
    assert_eq!(
        age.span_days,
        Some((new.unwrap() - old.unwrap()).num_days())
    );
    assert!(
        paragraphs(&e)
            .iter()
            .any(|p| p.contains("4 of the 5 key questions")),
        "{:?}",
        paragraphs(&e)
    );
}

#[test]
fn l7_population_group_pair_is_outstanding() {
    let a = cqc_engine::rules::aggregate(&[Outstanding, Good], &RuleParams::default()).unwrap();
    assert_eq!(a.rating, Outstanding);
}

#[test]
fn l6_princess_royal_safe_across_eight_services() {
    let services = [
        Good,
        Good,
        Good,
        Good,
        Inadequate,
        RequiresImprovement,
        RequiresImprovement,
        RequiresImprovement,
    ];
    let a = cqc_engine::rules::aggregate(&services, &RuleParams::default()).unwrap();
    assert_eq!(
        (a.rating, a.rule),
        (RequiresImprovement, RuleId::RequiresImprovementThreshold)
    );
}

/// SAF evidence for one key question with the given statement scores, the others unrated.
fn saf_safe(scores: [u8; 8], rule_set: RuleSetId) -> Evidence {
    let statements = scores
        .iter()
        .enumerate()
        .map(|(i, s)| QsInput {
            id: i as u8 + 1,
            score: Some(*s),
            source: ScoreSource::Assessed {
                date: date(2025, 3, 1),
            },
            category_scores: Vec::new(),
        })
        .collect();
    Evidence {
        rule_set,
        key_questions: [KqEvidence {
            key_question: KeyQuestion::Safe,
            rating: None,
            statements,
        }]
        .into_iter()
        .collect(),
        breach: false,
        limiters: Vec::new(),
        as_of: date(2025, 10, 1),
    }
}

fn safe_result(scores: [u8; 8], params: &RuleParams) -> cqc_engine::explain::KqResult {
    let e = rate(&saf_safe(scores, RuleSetId::G3SafQualityStatements), params).unwrap();
    e.key_question(KeyQuestion::Safe).unwrap().clone()
}

#[test]
fn s2_s3_good_scores() {
    let s2 = safe_result([2, 3, 3, 2, 3, 3, 3, 2], &RuleParams::default());
    assert_eq!(s2.rating, Some(Good));
    assert_eq!(s2.score.as_ref().map(|s| s.displayed_percent), Some(66));
    let s3 = safe_result([3; 8], &RuleParams::default());
    assert_eq!(s3.score.as_ref().map(|s| s.displayed_percent), Some(75));
}

#[test]
fn s4_outstanding_limited_by_sl1() {
    let s4 = safe_result([4, 4, 4, 4, 4, 4, 4, 2], &RuleParams::default());
    assert_eq!(s4.rating, Some(Good));
    assert_eq!(
        s4.score.as_ref().and_then(|s| s.limiter),
        Some(RuleId::SafOutstandingLimiter)
    );
}

#[test]
fn s5_good_limited_by_provisional_sl2() {
    let s5 = safe_result([1, 3, 3, 3, 3, 3, 3, 3], &RuleParams::default());
    assert_eq!(s5.rating, Some(RequiresImprovement));
    let e = rate(
        &saf_safe([1, 3, 3, 3, 3, 3, 3, 3], RuleSetId::G3SafQualityStatements),
        &RuleParams::default(),
    )
    .unwrap();
    assert!(e.provisional_rules().contains(&RuleId::SafGoodLimiter));
    // With SL-2 widened to scores of 2, S-2 would also be limited.
    let wide = RuleParams {
        good_limiter_max_score: 2,
        ..RuleParams::default()
    };
    assert_eq!(
        safe_result([2, 3, 3, 2, 3, 3, 3, 2], &wide).rating,
        Some(RequiresImprovement)
    );
}

#[test]
fn s6_seeded_statements_keep_the_kq_good_and_dominate_its_age() {
    let mut e = saf_safe([3; 8], RuleSetId::G3SafQualityStatements);
    let kq = &mut e.key_questions[0];
    kq.rating = Some(RatingInput::rated(Good, date(2019, 5, 1)));
    // Only IPC (7) and Medicines (8) were assessed in 2025, both 2; the other six carry the
    // score seeded from the 2019 Good rating, as CQC's API sends them.
    for s in &mut kq.statements {
        if s.id >= 7 {
            s.score = Some(2);
        } else {
            s.source = ScoreSource::SeededFromRating {
                rating: Good,
                date: date(2019, 5, 1),
            };
        }
    }
    let result = rate(&e, &RuleParams::default()).unwrap();
    let safe = result.key_question(KeyQuestion::Safe).unwrap();
    assert_eq!(safe.score.as_ref().map(|s| s.points), Some(22));
    assert_eq!(safe.rating, Some(Good));
    assert!(result.fired(RuleId::SafSeedFromRating));
    let share_2019 = result
        .evidence_age
        .slices
        .iter()
        .find(|s| s.year == Some(2019))
        .unwrap()
        .share;
    assert!((share_2019 - 18.0 / 22.0).abs() < 1e-9, "{share_2019}");
}

#[test]
fn s7_boundary_depends_on_tie_policy() {
    let scores = [3, 3, 3, 3, 2, 2, 2, 2];
    let half_up = safe_result(scores, &RuleParams::default());
    assert_eq!(half_up.rating, Some(Good));
    assert!(half_up.score.as_ref().unwrap().boundary);
    let strict = RuleParams {
        tie_policy: TiePolicy::StrictBands,
        ..RuleParams::default()
    };
    assert_eq!(
        safe_result(scores, &strict).rating,
        Some(RequiresImprovement)
    );
    let e = rate(
        &saf_safe(scores, RuleSetId::G3SafQualityStatements),
        &RuleParams::default(),
    )
    .unwrap();
    assert!(e.fired(RuleId::SafTiePolicy));
}

#[test]
fn s8_overall_from_saf_kq_ratings() {
    let e = rate(
        &legacy(
            [Good, Good, Outstanding, Outstanding, RequiresImprovement],
            false,
        ),
        &RuleParams::default(),
    )
    .unwrap();
    assert_eq!(e.overall, Some(Good));
}

#[test]
fn s1_evidence_categories_under_g2() {
    let mut e = saf_safe([3; 8], RuleSetId::G2SafEvidenceCategories);
    let ipc = e.key_questions[0]
        .statements
        .iter_mut()
        .find(|s| s.id == 7)
        .unwrap();
    ipc.score = None;
    ipc.category_scores = vec![3, 2, 3, 3];
    let result = rate(&e, &RuleParams::default()).unwrap();
    let safe = result.key_question(KeyQuestion::Safe).unwrap();
    assert_eq!(
        safe.statements
            .iter()
            .find(|s| s.id == 7)
            .and_then(|s| s.score),
        Some(3)
    );
    assert!(result.fired(RuleId::SafEvidenceCategoryConversion));
}

#[test]
fn unrated_key_questions_shrink_n() {
    let mut e = legacy([Good, Good, Good, Outstanding, Outstanding], false);
    e.key_questions[0].rating = Some(cqc_engine::model::RatingInput {
        value: RatingValue::Unrated(cqc_engine::model::NotRatedKind::InsufficientEvidence),
        published: date(2022, 1, 1),
        inherited: false,
    });
    let r = rate(&e, &RuleParams::default()).unwrap();
    assert_eq!(r.aggregation.as_ref().map(|a| a.counts.total()), Some(4));
    assert!(r.fired(RuleId::UnratedExcluded));
    assert_eq!(r.overall, Some(Outstanding));
}

#[test]
fn no_rated_input_gives_no_rating() {
    let e = Evidence {
        rule_set: RuleSetId::G1Kloe,
        key_questions: Default::default(),
        breach: false,
        limiters: Vec::new(),
        as_of: None,
    };
    let r = rate(&e, &RuleParams::default()).unwrap();
    assert_eq!(r.overall, None);
    assert_eq!(
        paragraphs(&r)[0],
        "No key question has a rating, so the rules give no overall rating."
    );
}

#[test]
fn invalid_scores_are_typed_errors() {
    let mut e = saf_safe([3; 8], RuleSetId::G3SafQualityStatements);
    e.key_questions[0].statements[0].score = Some(5);
    assert!(rate(&e, &RuleParams::default())
        .unwrap_err()
        .to_string()
        .contains("scores run from 1 to 4"));
    let mut e = saf_safe([3; 8], RuleSetId::G3SafQualityStatements);
    e.key_questions[0].statements[0].id = 20;
    assert!(rate(&e, &RuleParams::default())
        .unwrap_err()
        .to_string()
        .contains("does not belong to the Safe"));
}

#[test]
fn inherited_mixed_with_new_is_warned() {
    let mut e = legacy([Good; 5], false);
    if let Some(r) = e.key_questions[0].rating.as_mut() {
        r.inherited = true;
    }
    let r = rate(&e, &RuleParams::default()).unwrap();
    assert!(r.fired(RuleId::InheritedNotMixed));
    assert_eq!(r.warnings.len(), 1);
}

#[test]
fn inherited_ratings_are_left_out_of_a_mixed_overall() {
    // A previous provider's inadequate Safe beside the new provider's four good: CQC does not
    // aggregate the two (spec §3.7), so the overall is the new provider's four good.
    let mut e = legacy([Inadequate, Good, Good, Good, Good], false);
    if let Some(r) = e.key_questions[0].rating.as_mut() {
        r.inherited = true;
    }
    let r = rate(&e, &RuleParams::default()).unwrap();
    assert_eq!(r.overall, Some(Good));
    assert_eq!(r.aggregation.as_ref().map(|a| a.counts.total()), Some(4));
    assert_eq!(
        r.key_question(KeyQuestion::Safe)
            .and_then(|k| k.excluded_because),
        Some(cqc_engine::rules::Exclusion::InheritedFromPreviousProvider)
    );
    // All inherited: nothing is mixed, all five count.
    let mut all = legacy([Inadequate, Good, Good, Good, Good], false);
    for k in &mut all.key_questions {
        if let Some(r) = k.rating.as_mut() {
            r.inherited = true;
        }
    }
    let r = rate(&all, &RuleParams::default()).unwrap();
    assert_eq!(r.overall, Some(RequiresImprovement));
    assert!(!r.fired(RuleId::InheritedNotMixed));
}

fn bundled_location(id: &str) -> cqc_engine::model::Location {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/snapshot.bin"
    );
    let bytes = std::fs::read(path).expect("bundled snapshot present");
    let snapshot = cqc_engine::snapshot::decode(&bytes).expect("bundled snapshot decodes");
    snapshot
        .locations
        .into_iter()
        .find(|l| l.id == id)
        .unwrap_or_else(|| panic!("{id} in the bundled snapshot"))
}

/// The bundled location `id` rated under its rule set in force.
fn rated_bundled(id: &str) -> cqc_engine::rules::Explanation {
    let location = bundled_location(id);
    let rule_set = cqc_engine::rules::rule_set_in_force(&location);
    let evidence = Evidence::from_location(&location, rule_set, None);
    rate(&evidence, &RuleParams::default()).expect("real evidence rates")
}

/// (statement id, seeded from a good rating?) for one key question of a result.
fn seeded_statements(e: &cqc_engine::rules::Explanation, kq: KeyQuestion) -> Vec<(u8, bool)> {
    e.key_question(kq)
        .map(|k| {
            k.statements
                .iter()
                .map(|s| {
                    let seeded = s.source
                        == ScoreSource::SeededFromRating {
                            rating: Good,
                            date: None,
                        };
                    (s.id, seeded)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn unassessed_statements_are_seeded_one_by_one_on_real_data() {
    // Franklin House: Effective was not assessed at all, so all six statements carry CQC's
    // seed from its good rating; Safe was assessed on five statements, and the other three are
    // seeded one by one, beside the assessed ones. The percentages stay CQC's (75 %).
    let franklin = rated_bundled("1-5312102242");
    assert!(seeded_statements(&franklin, KeyQuestion::Effective)
        .iter()
        .all(|(_, seeded)| *seeded));
    assert_eq!(
        seeded_statements(&franklin, KeyQuestion::Safe),
        [
            (1, true),
            (2, true),
            (3, false),
            (4, false),
            (5, true),
            (6, false),
            (7, false),
            (8, false)
        ]
    );
    let safe = franklin.key_question(KeyQuestion::Safe).expect("Safe");
    assert_eq!(safe.score.as_ref().map(|s| s.displayed_percent), Some(75));
    let seeded_step = franklin
        .steps
        .iter()
        .find(|s| {
            s.rule == RuleId::SafSeedFromRating
                && s.scope == cqc_engine::rules::Scope::KeyQuestion(KeyQuestion::Safe)
        })
        .expect("Safe's seeding is in the trace");
    assert_eq!(
        cqc_engine::explain::narrative::step_text(seeded_step),
        "Safe: 3 of 8 quality statements were not assessed this time, so each carries 3, seeded from the Safe rating (good) of an earlier inspection, whose date this data does not carry."
    );
    assert_eq!(franklin.overall, Some(Good));

    // Oldham Family Practice: four key questions not assessed, every statement seeded; in
    // Responsive, six of seven.
    let oldham = rated_bundled("1-569934227");
    for kq in [
        KeyQuestion::Safe,
        KeyQuestion::Effective,
        KeyQuestion::Caring,
        KeyQuestion::WellLed,
    ] {
        let statements = seeded_statements(&oldham, kq);
        assert!(
            !statements.is_empty() && statements.iter().all(|(_, s)| *s),
            "{kq:?}"
        );
    }
    let responsive = seeded_statements(&oldham, KeyQuestion::Responsive);
    assert_eq!(responsive.iter().filter(|(_, s)| *s).count(), 6);
    assert_eq!(responsive.len(), 7);

    // Treetops: Effective not assessed, all seeded.
    let treetops = rated_bundled("1-5203053560");
    assert!(seeded_statements(&treetops, KeyQuestion::Effective)
        .iter()
        .all(|(_, seeded)| *seeded));
}

#[test]
fn the_2026_draft_judges_key_questions_against_good_without_scores() {
    // Franklin House has statement scores; the drafts remove scoring, so under them its key
    // questions are the published judgements, with no statements and no percentage, and the
    // overall rests on an assumption that is labelled provisional.
    let location = bundled_location("1-5312102242");
    let evidence = Evidence::from_location(&location, RuleSetId::G4Draft2026, None);
    let r = rate(&evidence, &RuleParams::default()).unwrap();
    assert_eq!(r.overall, Some(Good));
    for k in &r.key_questions {
        assert!(k.score.is_none() && k.statements.is_empty(), "{k:?}");
    }
    assert!(r.fired(RuleId::DraftJudgementLeaf) && r.fired(RuleId::DraftOverallAssumed));
    assert!(!r.fired(RuleId::SafKeyQuestionPercentage));
    assert!(r.provisional_rules().contains(&RuleId::DraftOverallAssumed));
    let first = cqc_engine::explain::narrative::step_text(&r.steps[0]);
    assert!(
        first.starts_with("Safe: Good, published 8 Aug 2024 (at the good baseline"),
        "{first}"
    );

    // Above and below the baseline are said as such; the aggregation is the principles'.
    let mut e = legacy([Outstanding, Good, Good, Good, RequiresImprovement], false);
    e.rule_set = RuleSetId::G4Draft2026;
    let r = rate(&e, &RuleParams::default()).unwrap();
    let texts: Vec<String> = r
        .steps
        .iter()
        .map(cqc_engine::explain::narrative::step_text)
        .collect();
    assert!(texts[0].contains("above the good baseline"), "{}", texts[0]);
    assert!(texts[4].contains("below the good baseline"), "{}", texts[4]);
    assert_eq!(r.overall, Some(Good));
}

#[test]
fn limiters_the_open_data_does_not_carry_apply_only_in_a_what_if() {
    // Franklin House, five good key questions: the published data carries no notice, so no
    // limiter fires; a link that says Well-led has no registered manager limits it to
    // requires improvement (the overall stays good: one RI of five), and a Warning Notice
    // against Safe as well makes Safe inadequate and the overall requires improvement.
    use cqc_engine::whatif::{apply, scenario::Scenario};
    let location = bundled_location("1-5312102242");
    let rule_set = cqc_engine::rules::rule_set_in_force(&location);
    let published = Evidence::from_location(&location, rule_set, None);
    assert!(published.limiters.is_empty());
    let params = RuleParams::default();

    let (manager, rejected) = Scenario::from_query("limit=well-led.rm");
    assert!(rejected.is_empty());
    let r = rate(&apply(&published, &manager.edits), &params).unwrap();
    assert!(r.fired(RuleId::RegisteredManagerLimiter));
    assert_eq!(
        r.key_question(KeyQuestion::WellLed).and_then(|k| k.rating),
        Some(RequiresImprovement)
    );
    assert_eq!(r.overall, Some(Good));

    let (both, _) = Scenario::from_query("limit=well-led.rm,safe.wn");
    let r = rate(&apply(&published, &both.edits), &params).unwrap();
    assert_eq!(
        r.key_question(KeyQuestion::Safe).and_then(|k| k.rating),
        Some(Inadequate)
    );
    assert_eq!(r.overall, Some(RequiresImprovement));
    let limited = r
        .steps
        .iter()
        .find(|s| s.rule == RuleId::WarningNoticeLimiter)
        .expect("the warning notice fired");
    assert_eq!(
        cqc_engine::explain::narrative::step_text(limited),
        "Safe: limited to inadequate by enforcement action against it (a Warning Notice or a condition) (your scenario: the open data does not say). Would be good."
    );
    // The solver knows the cap: no change of Safe's scores lifts Safe above inadequate, so
    // the cheapest way back to good goes through the other key questions or not at all.
    let solutions =
        cqc_engine::whatif::minimal_change(&apply(&published, &both.edits), &params, Good).unwrap();
    for solution in solutions {
        let after = apply(&apply(&published, &both.edits), &solution.edits);
        assert!(rate(&after, &params).unwrap().overall >= Some(Good));
    }
}
