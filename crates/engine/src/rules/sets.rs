//! The methodology generations (spec §1), each a selectable, versioned rule set: one record per
//! generation says when it came into force, how its key questions are rated and which rules it
//! can fire. The engine dispatches on the record, so a new methodology is one record here plus
//! the rule code its key-question method needs.

use super::catalogue::RuleId;
use crate::model::{Date, Location, Rating};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleSetId {
    /// Legacy key lines of enquiry, Oct 2014 – Nov 2023.
    G1Kloe,
    /// Single assessment framework, evidence categories scored, Nov 2023 – 1 Dec 2024.
    G2SafEvidenceCategories,
    /// Single assessment framework, statements scored directly, from 2 Dec 2024.
    G3SafQualityStatements,
    /// The 2025-26 reform drafts: judgement at key-question level.
    G4Draft2026,
}

impl RuleSetId {
    pub const ALL: [RuleSetId; 4] = [
        RuleSetId::G1Kloe,
        RuleSetId::G2SafEvidenceCategories,
        RuleSetId::G3SafQualityStatements,
        RuleSetId::G4Draft2026,
    ];

    /// Its short name in links (`rs=g3`), read from its record.
    pub fn slug(self) -> &'static str {
        rule_set_info(self).slug
    }

    pub fn from_slug(slug: &str) -> Option<RuleSetId> {
        RuleSetId::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// How this rule set rates a key question (read from its record).
    pub fn key_question_method(self) -> KeyQuestionMethod {
        rule_set_info(self).key_questions
    }

    /// Whether key-question ratings are computed from quality-statement scores.
    pub fn scores_statements(self) -> bool {
        matches!(
            self.key_question_method(),
            KeyQuestionMethod::StatementScores { .. }
        )
    }

    /// The generation in force for a rating published on `date`: the latest rule set whose
    /// start date is on or before it (a date before the first start is the first generation's).
    /// Without a date, a location with a SAF assessment is taken as under the newest
    /// statement-scoring rule set in force, and any other as under the first generation.
    pub fn in_force(date: Option<Date>, has_saf_assessment: bool) -> RuleSetId {
        let dated = || {
            RULE_SETS
                .iter()
                .filter_map(|s| Some((s.in_force_from?, s.id)))
        };
        let earliest = dated().min().map_or(RuleSetId::G1Kloe, |(_, id)| id);
        match date {
            Some(d) => dated()
                .filter(|(start, _)| *start <= d)
                .max()
                .map_or(earliest, |(_, id)| id),
            None if has_saf_assessment => dated()
                .filter(|(_, id)| id.scores_statements())
                .max()
                .map_or(earliest, |(_, id)| id),
            None => earliest,
        }
    }
}

/// The rule set a location's published ratings are read under, for every caller (the audit,
/// the location page, the command-line tool, the JavaScript API): the one in force when its
/// own published overall rating was made, by that rating's own date: an assessment's date when
/// it comes from a single-assessment-framework assessment (CQC assessed it under the rules of
/// that day, whenever it was published), else its publication date.
pub fn rule_set_in_force(location: &Location) -> RuleSetId {
    rule_set_in_force_for_overall(location, location.published(crate::model::Domain::Overall))
}

/// [`rule_set_in_force`] when the location's published overall has already been looked up
/// (the audit reads it once for the comparison too).
pub fn rule_set_in_force_for_overall(
    location: &Location,
    overall: Option<&crate::model::PublishedRating>,
) -> RuleSetId {
    let assessment = overall.and_then(|o| location.assessment_behind(o));
    let date = match assessment {
        Some(a) => a.assessment_date.or(a.published),
        None => overall.and_then(|p| p.published),
    };
    RuleSetId::in_force(date, !location.assessments.is_empty())
}

/// How a rule set rates each key question; the engine dispatches on this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KeyQuestionMethod {
    /// The published key-question rating is a judgement, taken as given; `leaf_rule` is the
    /// rule recorded for it.
    Judgement { leaf_rule: RuleId },
    /// No scores and no percentages: each key question is judged in the round against the
    /// published rating characteristics, starting from `baseline` (the 2026 drafts "inspect for
    /// Good"). The judgement itself cannot be recomputed; the engine takes the published
    /// key-question rating as given and records how it stands against the baseline.
    Characteristics { baseline: Rating },
    /// Computed from quality-statement scores: percentage, band, limiters. With
    /// `from_evidence_categories`, a statement with evidence-category scores is scored from them.
    StatementScores { from_evidence_categories: bool },
}

/// A date in a `const` table, checked when the crate compiles.
const fn start(year: i32, month: u32, day: u32) -> Option<Date> {
    match Date::from_ymd_opt(year, month, day) {
        Some(d) => Some(d),
        None => panic!("a rule set's start date is not a calendar date"),
    }
}

/// One methodology generation: when it applies, how it rates key questions, and its texts for
/// the methodology page.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSetInfo {
    pub id: RuleSetId,
    /// Its short name in links (`rs=g3`).
    pub slug: &'static str,
    pub name: &'static str,
    /// The first day it is in force; `None` for a proposal not yet in force.
    pub in_force_from: Option<Date>,
    /// When a proposal is expected ("late 2026"); only for a rule set not yet in force.
    pub proposed_for: Option<&'static str>,
    /// How the engine rates its key questions.
    pub key_questions: KeyQuestionMethod,
    /// The key-question method in words, a template filled from the parameters
    /// (`catalogue::fill`).
    pub key_question_method: &'static str,
    pub overall_method: &'static str,
    /// What the explorer recomputes under this rule set, in plain words (the methodology page).
    pub recomputes: &'static str,
    /// What it cannot recompute and takes as published, in plain words.
    pub takes_as_given: &'static str,
    pub source: &'static str,
    /// The rules it can fire, in evaluation order (a test runs the engine to check it).
    pub rules: &'static [RuleId],
}

impl RuleSetInfo {
    /// When it is in force, in words, read from the start dates: "from 1 November 2023 to
    /// 1 December 2024", or "proposed for late 2026".
    pub fn period(&self) -> String {
        let Some(from) = self.in_force_from else {
            return match self.proposed_for {
                Some(when) => format!("proposed for {when}"),
                None => "not yet in force".to_string(),
            };
        };
        let next_start = RULE_SETS
            .iter()
            .filter_map(|s| s.in_force_from)
            .filter(|d| *d > from)
            .min();
        let day = crate::model::format_long_date;
        match next_start.and_then(|d| d.pred_opt()) {
            Some(until) => format!("from {} to {}", day(from), day(until)),
            None => format!("from {}", day(from)),
        }
    }
}

const G1_RULES: [RuleId; 13] = [
    RuleId::LegacyJudgementLeaf,
    RuleId::UnratedExcluded,
    RuleId::RequirementNoticeLimiter,
    RuleId::WarningNoticeLimiter,
    RuleId::RegisteredManagerLimiter,
    RuleId::InheritedNotMixed,
    RuleId::InadequatePrecedence,
    RuleId::InadequateThreshold,
    RuleId::RequiresImprovementThreshold,
    RuleId::OutstandingThreshold,
    RuleId::GoodDefault,
    RuleId::SingleInadequateFallback,
    RuleId::BreachCap,
];

const G2_RULES: [RuleId; 20] = [
    RuleId::UnratedExcluded,
    RuleId::SafSeedFromRating,
    RuleId::SafEvidenceCategoryConversion,
    RuleId::SafKeyQuestionPercentage,
    RuleId::SafBands,
    RuleId::SafTiePolicy,
    RuleId::SafOutstandingLimiter,
    RuleId::SafGoodLimiter,
    RuleId::RequirementNoticeLimiter,
    RuleId::WarningNoticeLimiter,
    RuleId::RegisteredManagerLimiter,
    RuleId::InheritedNotMixed,
    RuleId::SafOverallByPrinciples,
    RuleId::InadequatePrecedence,
    RuleId::InadequateThreshold,
    RuleId::RequiresImprovementThreshold,
    RuleId::OutstandingThreshold,
    RuleId::GoodDefault,
    RuleId::SingleInadequateFallback,
    RuleId::BreachCap,
];

const G3_RULES: [RuleId; 19] = [
    RuleId::UnratedExcluded,
    RuleId::SafSeedFromRating,
    RuleId::SafKeyQuestionPercentage,
    RuleId::SafBands,
    RuleId::SafTiePolicy,
    RuleId::SafOutstandingLimiter,
    RuleId::SafGoodLimiter,
    RuleId::RequirementNoticeLimiter,
    RuleId::WarningNoticeLimiter,
    RuleId::RegisteredManagerLimiter,
    RuleId::InheritedNotMixed,
    RuleId::SafOverallByPrinciples,
    RuleId::InadequatePrecedence,
    RuleId::InadequateThreshold,
    RuleId::RequiresImprovementThreshold,
    RuleId::OutstandingThreshold,
    RuleId::GoodDefault,
    RuleId::SingleInadequateFallback,
    RuleId::BreachCap,
];

const G4_RULES: [RuleId; 14] = [
    RuleId::DraftJudgementLeaf,
    RuleId::UnratedExcluded,
    RuleId::RequirementNoticeLimiter,
    RuleId::WarningNoticeLimiter,
    RuleId::RegisteredManagerLimiter,
    RuleId::InheritedNotMixed,
    RuleId::DraftOverallAssumed,
    RuleId::InadequatePrecedence,
    RuleId::InadequateThreshold,
    RuleId::RequiresImprovementThreshold,
    RuleId::OutstandingThreshold,
    RuleId::GoodDefault,
    RuleId::SingleInadequateFallback,
    RuleId::BreachCap,
];

pub const RULE_SETS: &[RuleSetInfo] = &[
    RuleSetInfo {
        id: RuleSetId::G1Kloe,
        slug: "g1",
        name: "Legacy ratings principles (2014–2023)",
        in_force_from: start(2014, 10, 1),
        proposed_for: None,
        key_questions: KeyQuestionMethod::Judgement {
            leaf_rule: RuleId::LegacyJudgementLeaf,
        },
        key_question_method: "Inspectors rate each key question by professional judgement against the key lines of enquiry.",
        overall_method: "The ratings principles combine the key-question ratings into the overall rating.",
        recomputes: "The overall rating, from the five key-question ratings by the ratings principles.",
        takes_as_given: "Each key-question rating: the inspectors' judgement against the key lines of enquiry.",
        source: "CQC, \"How we aggregate ratings using the rating principles\" (adult social care, NHS trusts, primary medical services)",
        rules: &G1_RULES,
    },
    RuleSetInfo {
        id: RuleSetId::G2SafEvidenceCategories,
        slug: "g2",
        name: "Single assessment framework, evidence categories scored (Nov 2023 – Dec 2024)",
        in_force_from: start(2023, 11, 1),
        proposed_for: None,
        key_questions: KeyQuestionMethod::StatementScores {
            from_evidence_categories: true,
        },
        key_question_method: "Evidence categories are scored {min_score}–{max_score} and combined into quality-statement scores; statement scores give the key-question percentage and band.",
        overall_method: "The ratings principles over the five key-question ratings.",
        recomputes: "Each key question's percentage and rating from its quality-statement scores (and a statement's score from its evidence-category scores, where published), then the overall rating by the ratings principles.",
        takes_as_given: "The scores themselves: inspectors' judgements, sometimes moderated.",
        source: "CQC, \"How we reach a rating (for assessments before December 2024)\"",
        rules: &G2_RULES,
    },
    RuleSetInfo {
        id: RuleSetId::G3SafQualityStatements,
        slug: "g3",
        name: "Single assessment framework, statements scored (from Dec 2024)",
        in_force_from: start(2024, 12, 2),
        proposed_for: None,
        key_questions: KeyQuestionMethod::StatementScores {
            from_evidence_categories: false,
        },
        key_question_method: "Each quality statement is scored {min_score}–{max_score} by professional judgement; statement scores give the key-question percentage and band.",
        overall_method: "The ratings principles over the five key-question ratings.",
        recomputes: "Each key question's percentage and rating from its quality-statement scores, then the overall rating by the ratings principles.",
        takes_as_given: "The quality-statement scores: inspectors' judgements.",
        source: "CQC, \"Update to our current scoring approach\" (19 May 2025)",
        rules: &G3_RULES,
    },
    RuleSetInfo {
        id: RuleSetId::G4Draft2026,
        slug: "g4",
        name: "2026 draft sector frameworks (proposal)",
        in_force_from: None,
        proposed_for: Some("late 2026"),
        key_questions: KeyQuestionMethod::Characteristics {
            baseline: Rating::Good,
        },
        key_question_method: "No scores and no percentages: inspectors judge each key question in the round against the published rating characteristics, starting from Good (CQC intends to \"inspect for Good\") and looking for evidence above or below it.",
        overall_method: "Assumed: the ratings principles over the five key-question ratings, if the final frameworks keep an overall rating (the drafts do not say).",
        recomputes: "Only the overall rating, from the five key-question ratings, and only on the assumption that the ratings principles stay. Statement scores and percentages play no part: the drafts remove them.",
        takes_as_given: "Every key-question rating: a judgement in the round that no published number decides. Until a location is assessed under the new frameworks, its current key-question ratings stand in for those judgements.",
        source: "CQC consultation \"Better regulation, better care\" (Oct–Dec 2025) and draft sector frameworks (24 Mar 2026): \"scoring has been removed\", judgement \"in the round\" at key-question level; pilot June–October 2026",
        rules: &G4_RULES,
    },
];

pub fn rule_set_info(id: RuleSetId) -> &'static RuleSetInfo {
    RULE_SETS
        .iter()
        .find(|s| s.id == id)
        .unwrap_or(&RULE_SETS[0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{quality_statements_for, ScoreSource};
    use crate::model::{KeyQuestion, NotRatedKind, QsInput, Rating, RatingInput, RatingValue};
    use crate::rules::{rate, Evidence, KqEvidence, Limiter, LimiterKind, RuleParams};
    use std::collections::BTreeSet;

    fn day(y: i32, m: u32, d: u32) -> Option<Date> {
        Date::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_rule_set_in_force_is_read_from_the_start_dates() {
        let cases = [
            (day(2010, 6, 1), RuleSetId::G1Kloe),
            (day(2023, 10, 31), RuleSetId::G1Kloe),
            (day(2023, 11, 1), RuleSetId::G2SafEvidenceCategories),
            (day(2024, 12, 1), RuleSetId::G2SafEvidenceCategories),
            (day(2024, 12, 2), RuleSetId::G3SafQualityStatements),
            (day(2030, 1, 1), RuleSetId::G3SafQualityStatements),
        ];
        for (date, expected) in cases {
            assert_eq!(RuleSetId::in_force(date, false), expected, "{date:?}");
            assert_eq!(RuleSetId::in_force(date, true), expected, "{date:?}");
        }
        assert_eq!(
            RuleSetId::in_force(None, true),
            RuleSetId::G3SafQualityStatements
        );
        assert_eq!(RuleSetId::in_force(None, false), RuleSetId::G1Kloe);
        // A start date moved in the table moves the policy with it: each set's own start is
        // the first day it is chosen, and the day before belongs to another (except for the
        // first generation, which also covers anything older).
        let first = RULE_SETS.iter().filter_map(|s| s.in_force_from).min();
        for info in RULE_SETS {
            let Some(from) = info.in_force_from else {
                continue;
            };
            assert_eq!(RuleSetId::in_force(Some(from), false), info.id);
            if Some(from) != first {
                assert_ne!(RuleSetId::in_force(from.pred_opt(), false), info.id);
            }
        }
    }

    #[test]
    fn every_rule_set_has_one_record_and_its_own_slug() {
        for id in RuleSetId::ALL {
            assert_eq!(RULE_SETS.iter().filter(|s| s.id == id).count(), 1, "{id:?}");
            assert_eq!(RuleSetId::from_slug(id.slug()), Some(id));
        }
        assert_eq!(RULE_SETS.len(), RuleSetId::ALL.len());
    }

    #[test]
    fn periods_and_names_agree_with_the_start_dates() {
        let period = |id| rule_set_info(id).period();
        assert_eq!(
            period(RuleSetId::G1Kloe),
            "from 1 October 2014 to 31 October 2023"
        );
        assert_eq!(
            period(RuleSetId::G2SafEvidenceCategories),
            "from 1 November 2023 to 1 December 2024"
        );
        assert_eq!(
            period(RuleSetId::G3SafQualityStatements),
            "from 2 December 2024"
        );
        assert_eq!(period(RuleSetId::G4Draft2026), "proposed for late 2026");
        // The names are the audit's group labels, so they stay fixed text; they must still
        // name the year each set starts.
        for info in RULE_SETS {
            if let Some(from) = info.in_force_from {
                assert!(
                    info.name.contains(&from.format("%Y").to_string()),
                    "{} does not name its start year",
                    info.name
                );
            }
        }
    }

    /// Evidence for every path through the engine: every combination of five key-question
    /// ratings with and without a breach, unrated and missing key questions, inherited ratings
    /// beside new ones, and statement scores that reach every SAF step.
    fn every_kind_of_evidence(rule_set: RuleSetId) -> Vec<Evidence> {
        let dated = day(2022, 1, 1);
        let with_ratings = |ratings: [Option<RatingValue>; 5], breach: bool| Evidence {
            rule_set,
            key_questions: KeyQuestion::ALL
                .iter()
                .zip(ratings)
                .filter_map(|(kq, value)| {
                    Some(KqEvidence {
                        key_question: *kq,
                        rating: Some(RatingInput {
                            value: value?,
                            published: dated,
                            inherited: false,
                        }),
                        statements: Vec::new(),
                    })
                })
                .collect(),
            breach,
            limiters: Vec::new(),
            as_of: day(2025, 10, 1),
        };
        let mut all = Vec::new();
        for code in 0..4usize.pow(5) {
            let ratings: [Option<RatingValue>; 5] = std::array::from_fn(|i| {
                Some(RatingValue::Rated(
                    Rating::ALL[code / 4usize.pow(i as u32) % 4],
                ))
            });
            all.push(with_ratings(ratings, false));
            all.push(with_ratings(ratings, true));
        }
        let good = Some(RatingValue::Rated(Rating::Good));
        let not_rated = Some(RatingValue::Unrated(NotRatedKind::NotRated));
        all.push(with_ratings([not_rated, good, good, good, None], false));
        let mut inherited = with_ratings([good; 5], false);
        if let Some(r) = inherited.key_questions[0].rating.as_mut() {
            r.inherited = true;
        }
        all.push(inherited);
        let mut limited = with_ratings([good; 5], false);
        limited.limiters = [
            (KeyQuestion::Safe, LimiterKind::RequirementNotice),
            (KeyQuestion::Effective, LimiterKind::WarningNotice),
            (KeyQuestion::WellLed, LimiterKind::NoRegisteredManager),
        ]
        .into_iter()
        .filter_map(|(kq, kind)| Limiter::new(kq, kind))
        .collect();
        all.push(limited);
        let safe: Vec<u8> = quality_statements_for(KeyQuestion::Safe)
            .map(|d| d.id)
            .collect();
        let scored = |scores: &[Option<u8>], categories: &[u8]| {
            let mut e = with_ratings([good; 5], false);
            e.key_questions[0].statements = safe
                .iter()
                .zip(scores)
                .enumerate()
                .map(|(i, (id, score))| QsInput {
                    id: *id,
                    score: *score,
                    source: ScoreSource::Assessed { date: dated },
                    category_scores: if i == 0 {
                        categories.to_vec()
                    } else {
                        Vec::new()
                    },
                })
                .collect();
            e
        };
        let scores = |s: [u8; 8]| s.map(Some);
        all.push(scored(&scores([4, 4, 4, 4, 4, 4, 4, 2]), &[]));
        all.push(scored(&scores([1, 3, 3, 3, 3, 3, 3, 3]), &[]));
        all.push(scored(&scores([3, 3, 3, 3, 2, 2, 2, 2]), &[]));
        all.push(scored(&scores([3; 8]), &[3, 2, 3, 3]));
        all.push(scored(&[None; 8], &[]));
        all
    }

    #[test]
    fn every_rule_the_engine_fires_under_a_rule_set_is_in_its_list_and_every_listed_one_fires() {
        let params = RuleParams::default();
        for info in RULE_SETS {
            let mut fired = BTreeSet::new();
            for evidence in every_kind_of_evidence(info.id) {
                let explanation = rate(&evidence, &params).expect("valid evidence rates");
                fired.extend(explanation.steps.iter().map(|s| s.rule));
            }
            let listed: BTreeSet<RuleId> = info.rules.iter().copied().collect();
            let unlisted: Vec<_> = fired.difference(&listed).collect();
            assert!(
                unlisted.is_empty(),
                "{:?} fires {unlisted:?}, not in its list",
                info.id
            );
            let never_fired: Vec<_> = listed.difference(&fired).collect();
            assert!(
                never_fired.is_empty(),
                "{:?} lists {never_fired:?}, which never fired",
                info.id
            );
            assert_eq!(
                listed.len(),
                info.rules.len(),
                "{:?} lists a rule twice",
                info.id
            );
        }
    }
}
