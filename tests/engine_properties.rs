//! Property tests for every rule set: monotonicity (improving an input never lowers the
//! result), totality and determinism, and the solver's optimality.

use chrono::NaiveDate;
use cqc_engine::explain::narrative::paragraphs;
use cqc_engine::explain::Explanation;
use cqc_engine::model::{
    quality_statements_for, KeyQuestion, NotRatedKind, QsInput, Rating, RatingInput, RatingValue,
    ScoreSource,
};
use cqc_engine::rules::{
    rate, rate_outcome, rate_verdict, Evidence, KqEvidence, Limiter, LimiterKind, RuleParams,
    RuleSetId, TiePolicy,
};
use cqc_engine::whatif::{apply, minimal_change, single_slips, Edit};
use proptest::prelude::*;

fn rating_value() -> impl Strategy<Value = RatingValue> {
    prop_oneof![
        4 => (1u8..=4).prop_map(|s| RatingValue::Rated(Rating::from_score(s).unwrap())),
        1 => Just(RatingValue::Unrated(NotRatedKind::NotRated)),
        1 => Just(RatingValue::Unrated(NotRatedKind::InsufficientEvidence)),
    ]
}

fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    prop_oneof![
        1 => Just(None),
        6 => (0i64..4000).prop_map(|d| NaiveDate::from_ymd_opt(2014, 10, 1).map(|s| s + chrono::Duration::days(d))),
    ]
}

fn rule_set() -> impl Strategy<Value = RuleSetId> {
    prop_oneof![
        Just(RuleSetId::G1Kloe),
        Just(RuleSetId::G2SafEvidenceCategories),
        Just(RuleSetId::G3SafQualityStatements),
        Just(RuleSetId::G4Draft2026),
    ]
}

fn params() -> impl Strategy<Value = RuleParams> {
    (
        prop_oneof![
            Just(TiePolicy::RoundHalfUp),
            Just(TiePolicy::StrictBands),
            Just(TiePolicy::RoundHalfEven)
        ],
        1u8..=2,
        any::<bool>(),
    )
        .prop_map(
            |(tie_policy, good_limiter_max_score, apply_limiters)| RuleParams {
                tie_policy,
                good_limiter_max_score,
                apply_limiters,
                ..RuleParams::default()
            },
        )
}

/// Evidence for one key question: a rating and a random subset of its statements scored.
fn kq_evidence(kq: KeyQuestion) -> impl Strategy<Value = KqEvidence> {
    let ids: Vec<u8> = quality_statements_for(kq).map(|d| d.id).collect();
    let n = ids.len();
    (
        proptest::option::weighted(0.9, (rating_value(), date(), any::<bool>())),
        proptest::collection::vec(proptest::option::of((1u8..=4, date(), any::<bool>())), n),
    )
        .prop_map(move |(rating, scores)| KqEvidence {
            key_question: kq,
            rating: rating.map(|(value, published, inherited)| RatingInput {
                value,
                published,
                inherited,
            }),
            statements: ids
                .iter()
                .zip(scores)
                .filter_map(|(id, s)| {
                    s.map(|(score, d, assessed)| QsInput {
                        id: *id,
                        score: Some(score),
                        source: if assessed {
                            ScoreSource::Assessed { date: d }
                        } else {
                            ScoreSource::CarriedForward { date: None }
                        },
                        category_scores: Vec::new(),
                    })
                })
                .collect(),
        })
}

fn evidence() -> impl Strategy<Value = Evidence> {
    // Any few of the limiters a what-if can set (facts the open data does not carry).
    let every_limiter: Vec<Limiter> = LimiterKind::ALL
        .iter()
        .flat_map(|kind| {
            KeyQuestion::ALL
                .iter()
                .filter_map(move |kq| Limiter::new(*kq, *kind))
        })
        .collect();
    (
        rule_set(),
        kq_evidence(KeyQuestion::Safe),
        kq_evidence(KeyQuestion::Effective),
        kq_evidence(KeyQuestion::Caring),
        kq_evidence(KeyQuestion::Responsive),
        kq_evidence(KeyQuestion::WellLed),
        any::<bool>(),
        proptest::sample::subsequence(every_limiter, 0..=2),
    )
        .prop_map(|(rule_set, s, e, c, r, w, breach, limiters)| Evidence {
            rule_set,
            key_questions: [s, e, c, r, w].into_iter().collect(),
            breach,
            limiters,
            as_of: NaiveDate::from_ymd_opt(2025, 10, 1),
        })
}

/// Every single upward improvement of one input available under the rule set.
fn improvements(e: &Evidence) -> Vec<Edit> {
    let mut edits = Vec::new();
    for k in &e.key_questions {
        if let Some(r) = k
            .rating
            .as_ref()
            .and_then(|r| r.value.rated())
            .and_then(Rating::up)
        {
            if !e.rule_set.scores_statements() {
                edits.push(Edit::KqRating {
                    key_question: k.key_question,
                    rating: Some(r),
                });
            }
        }
        if e.rule_set.scores_statements() {
            for def in quality_statements_for(k.key_question) {
                let current = cqc_engine::whatif::current_statement_score(e, def.id);
                if let Some(s) = current.filter(|s| *s < 4) {
                    edits.push(Edit::StatementScore {
                        id: def.id,
                        score: s + 1,
                    });
                }
            }
        }
    }
    edits
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn total_and_deterministic(e in evidence(), p in params()) {
        let a = rate(&e, &p).expect("valid evidence always rates");
        let b = rate(&e, &p).expect("valid evidence always rates");
        prop_assert_eq!(&a, &b);
        // A result exists exactly when some key question is rated.
        let any_rated = a.key_questions.iter().any(|k| k.rating.is_some());
        prop_assert_eq!(a.overall.is_some(), any_rated);
        prop_assert!(!paragraphs(&a).is_empty());
        let share: f64 = a.evidence_age.slices.iter().map(|s| s.share).sum();
        prop_assert!(a.evidence_age.slices.is_empty() || (share - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_audit_path_gives_the_same_outcome_without_the_text(e in evidence(), p in params()) {
        // `rate_outcome` (the national audit's path) runs the same rules without recording the
        // trace: everything else must be identical.
        let full = rate(&e, &p).expect("valid evidence always rates");
        let outcome = rate_outcome(&e, &p).expect("valid evidence always rates");
        prop_assert!(outcome.steps.is_empty());
        let full_without_text = Explanation { steps: Vec::new(), ..full };
        prop_assert_eq!(outcome, full_without_text);
    }

    #[test]
    fn the_verdict_is_the_full_result_with_the_detail_left_out(e in evidence(), p in params()) {
        // `rate_verdict` (what the audit reads) leaves out the trace, each key question's
        // statements and the evidence age's shares: every rating, score, date and span is the
        // full result's.
        let mut full = rate(&e, &p).expect("valid evidence always rates");
        let verdict = rate_verdict(&e, &p).expect("valid evidence always rates");
        full.steps.clear();
        full.key_questions.iter_mut().for_each(|k| k.statements.clear());
        full.evidence_age.slices.clear();
        full.evidence_age.mean_age_years = None;
        prop_assert_eq!(verdict, full);
    }

    #[test]
    fn improving_any_input_never_lowers_the_result(e in evidence(), p in params()) {
        let before = rate(&e, &p).unwrap();
        for edit in improvements(&e) {
            let after = rate(&apply(&e, &[edit]), &p).unwrap();
            for kq in KeyQuestion::ALL {
                let b = before.key_question(kq).and_then(|k| k.rating);
                let a = after.key_question(kq).and_then(|k| k.rating);
                prop_assert!(a >= b, "{:?}: {:?} → {:?} after {:?}", kq, b, a, edit);
            }
            prop_assert!(after.overall >= before.overall, "{:?} → {:?} after {:?}", before.overall, after.overall, edit);
        }
    }

    #[test]
    fn solver_reaches_target_and_nothing_cheaper_does(e in evidence(), p in params(), target in 1u8..=4) {
        let target = Rating::from_score(target).unwrap();
        let now = rate(&e, &p).unwrap().overall;
        let solutions = minimal_change(&e, &p, target).unwrap();
        for s in &solutions {
            let result = rate(&apply(&e, &s.edits), &p).unwrap().overall.unwrap();
            if now.is_some_and(|n| target > n) {
                prop_assert!(result >= target);
            } else {
                prop_assert!(result <= target);
            }
            prop_assert_eq!(s.changes as usize, s.edits.len());
        }
        // Under the legacy rules, check optimality by brute force over every assignment.
        if !e.rule_set.scores_statements() {
            if let (Some(now), Some(best)) = (now, solutions.first()) {
                let rated: Vec<(KeyQuestion, Rating)> = e.key_questions.iter()
                    .filter_map(|k| k.rating.as_ref().and_then(|r| r.value.rated()).map(|r| (k.key_question, r)))
                    .collect();
                let combos = 4usize.pow(rated.len() as u32);
                for code in 0..combos {
                    let mut edits = Vec::new();
                    let mut steps = 0;
                    for (i, (kq, r)) in rated.iter().enumerate() {
                        let level = Rating::from_score(((code / 4usize.pow(i as u32)) % 4) as u8 + 1).unwrap();
                        if level != *r {
                            steps += level.score().abs_diff(r.score()) as u32;
                            edits.push(Edit::KqRating { key_question: *kq, rating: Some(level) });
                        }
                    }
                    let result = rate(&apply(&e, &edits), &p).unwrap().overall.unwrap();
                    let reaches = if target > now { result >= target } else { result <= target };
                    if reaches {
                        prop_assert!((edits.len() as u32, steps) >= (best.changes, best.steps),
                            "cheaper: {:?} vs {:?}", edits, best.edits);
                    }
                }
            }
        }
    }

    #[test]
    fn every_slip_lowers_the_result(e in evidence(), p in params()) {
        let now = rate(&e, &p).unwrap().overall;
        for slip in single_slips(&e, &p).unwrap() {
            prop_assert!(slip.result < now);
        }
    }
}

#[test]
fn beech_house_provider_journey() {
    // Beech House Nursing Home (1-134399874): Safe and Well-led RI (17 Apr 2025); Effective,
    // Caring and Responsive Good (1 Mar 2019); overall RI.
    let d2025 = NaiveDate::from_ymd_opt(2025, 4, 17);
    let d2019 = NaiveDate::from_ymd_opt(2019, 3, 1);
    let ratings = [
        (Rating::RequiresImprovement, d2025),
        (Rating::Good, d2019),
        (Rating::Good, d2019),
        (Rating::Good, d2019),
        (Rating::RequiresImprovement, d2025),
    ];
    let e = Evidence {
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
        breach: false,
        limiters: Vec::new(),
        as_of: NaiveDate::from_ymd_opt(2025, 10, 1),
    };
    let p = RuleParams::default();
    assert_eq!(
        rate(&e, &p).unwrap().overall,
        Some(Rating::RequiresImprovement)
    );
    let raised = apply(
        &e,
        &[Edit::KqRating {
            key_question: KeyQuestion::Safe,
            rating: Some(Rating::Good),
        }],
    );
    assert_eq!(rate(&raised, &p).unwrap().overall, Some(Rating::Good));
    let solutions = minimal_change(&e, &p, Rating::Good).unwrap();
    let described: Vec<String> = solutions
        .iter()
        .map(|s| s.descriptions.join(", "))
        .collect();
    assert_eq!(
        described,
        vec![
            "Safe from requires improvement to good".to_string(),
            "Well-led from requires improvement to good".to_string()
        ]
    );
    let explanation = rate(&e, &p).unwrap();
    assert!(
        paragraphs(&explanation)
            .iter()
            .any(|n| n.contains("3 of the 5 key questions")),
        "{:?}",
        paragraphs(&explanation)
    );
}
