//! What the engine returns: the ratings it gives, the inputs it used or left out, and the trace
//! of rules that fired as typed facts (the numbers and ratings each rule read). No words: the
//! plain-English sentences are written from these facts by `explain::narrative`, when asked.

use super::age::EvidenceAge;
use super::aggregate::{Aggregation, Counts};
use super::catalogue::{rule_info, RuleId};
use super::params::{AggregationBand, PercentageBand, TiePolicy};
use super::saf::KqScore;
use super::sets::RuleSetId;
use crate::model::{Date, KeyQuestion, Rating, RatingValue, ScoreSource};
use serde::Serialize;

/// What a step applied to: the overall rating or one key question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Scope {
    Overall,
    KeyQuestion(KeyQuestion),
}

/// Why an input was left out of the aggregation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Exclusion {
    /// CQC published this value, which is not one the rules can combine ("Not rated", …); under
    /// SAF, also a published rating whose statements carry no score.
    Published(RatingValue),
    /// Nothing published for the key question.
    NoRatingPublished,
    /// SAF: neither statement scores nor a rating to seed them from.
    NoScoresOrRating,
    /// Inherited from a previous provider while other key questions are the new provider's:
    /// the two are not aggregated together (spec §3.7).
    InheritedFromPreviousProvider,
}

/// A data problem that makes the result less certain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Warning {
    /// Some rated key questions were inherited from a previous provider, others not.
    InheritedMixed {
        inherited: Vec<KeyQuestion>,
        new: Vec<KeyQuestion>,
    },
}

/// What one rule found, with the numbers and ratings that decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Fact {
    /// A key-question rating taken as given (an inspectors' or a draft-framework judgement).
    JudgementTaken {
        rating: Rating,
        published: Option<Date>,
    },
    /// 2026 drafts: a key-question rating judged in the round against the rating
    /// characteristics, starting from `baseline`; taken as given.
    JudgedAgainstBaseline {
        rating: Rating,
        baseline: Rating,
        published: Option<Date>,
    },
    /// 2026 drafts: the overall is assumed to be the ratings principles over the key questions.
    OverallAssumedByPrinciples,
    /// An input left out, so the number of ratings falls.
    Excluded(Exclusion),
    /// Statements without a score seeded from the key question's published rating.
    Seeded {
        seeded: u32,
        total: u32,
        rating: Rating,
        seed_score: u8,
        published: Option<Date>,
    },
    /// Statements with evidence-category scores are scored from them.
    CategoriesConverted,
    /// The key question's points and percentage.
    Percentage {
        points: u32,
        max_points: u32,
        exact_percent: f64,
        displayed_percent: u32,
    },
    /// The band the percentage falls in (`band` is `None` if the bands were edited to leave
    /// the rating without one).
    Band {
        displayed_percent: u32,
        rating: Rating,
        band: Option<PercentageBand>,
    },
    /// The percentage lies on a band edge: another tie policy would rate it differently.
    Tie {
        exact_percent: f64,
        policy: TiePolicy,
        rating: Rating,
    },
    /// A limiter lowered the band's rating because of the lowest statement score.
    Limited {
        band_rating: Rating,
        lowest_score: u8,
        rating: Rating,
    },
    /// Inherited ratings beside new ones: the inherited ones are left out of the overall (the
    /// mix is also listed in `Explanation::warnings`).
    InheritedLeftOut(Warning),
    /// SAF: the overall rating is the ratings principles over the key-question ratings.
    OverallByPrinciples,
    /// Both the inadequate and the requires-improvement thresholds were met.
    Precedence { counts: Counts },
    /// The aggregation rule that decided the combined rating (`Step::rule` says which).
    Aggregated {
        rating: Rating,
        counts: Counts,
        band: AggregationBand,
    },
    /// A limiter the open data does not carry, set in a what-if, lowered a key question.
    EnforcementLimited {
        limiter: super::limiters::LimiterKind,
        uncapped: Rating,
        capped: Rating,
    },
    /// A breach of regulations capped the rating.
    BreachCapped { uncapped: Rating, capped: Rating },
}

/// One rule that fired, in the order it fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub rule: RuleId,
    pub scope: Scope,
    pub fact: Fact,
}

impl Step {
    /// The rule's short code (P1, SL-1, …).
    pub fn code(&self) -> &'static str {
        rule_info(self.rule).code
    }

    /// Not CQC's confirmed rule: shown with a "provisional" label.
    pub fn provisional(&self) -> bool {
        rule_info(self.rule).status.is_provisional()
    }
}

/// One quality statement as the engine used it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementResult {
    pub id: u8,
    pub title: &'static str,
    pub score: Option<u8>,
    pub source: ScoreSource,
    /// Evidence-category scores it was computed from (before Dec 2024), if any.
    pub category_scores: Vec<u8>,
}

/// One key question's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KqResult {
    pub key_question: KeyQuestion,
    /// The rating the rules give (or the published judgement where the rules take it as given).
    pub rating: Option<Rating>,
    /// What CQC published for this key question.
    pub published: Option<RatingValue>,
    pub published_date: Option<Date>,
    pub inherited: bool,
    /// The score, where the rule set computes key questions from statements.
    pub score: Option<KqScore>,
    pub statements: Vec<StatementResult>,
    /// Why it was left out of the overall, if it was.
    pub excluded_because: Option<Exclusion>,
}

/// A result's key questions (at most one each).
pub type KqResults = smallvec::SmallVec<[KqResult; crate::model::KeyQuestion::ALL.len()]>;

/// The full result of rating one location under one rule set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub rule_set: RuleSetId,
    /// The overall rating the rules give; `None` if no key question is rated.
    pub overall: Option<Rating>,
    /// The aggregation before any cap.
    pub aggregation: Option<Aggregation>,
    /// One per key question, on the stack: the national audit rates 60,000 locations, and an
    /// allocation for each cost more than the rating.
    pub key_questions: KqResults,
    pub steps: Vec<Step>,
    /// Data problems that make the result less certain (mixed inherited ratings, …).
    pub warnings: Vec<Warning>,
    pub evidence_age: EvidenceAge,
}

impl Explanation {
    pub fn key_question(&self, kq: KeyQuestion) -> Option<&KqResult> {
        self.key_questions.iter().find(|k| k.key_question == kq)
    }

    /// The rules that fired and are not CQC's confirmed text.
    pub fn provisional_rules(&self) -> Vec<RuleId> {
        let mut rules: Vec<RuleId> = self
            .steps
            .iter()
            .filter(|s| s.provisional())
            .map(|s| s.rule)
            .collect();
        crate::order::sort(&mut rules);
        rules.dedup();
        rules
    }

    /// Whether a rule fired anywhere in the trace.
    pub fn fired(&self, rule: RuleId) -> bool {
        self.steps.iter().any(|s| s.rule == rule)
    }

    /// The last step on the overall rating: the one that decided it.
    pub fn deciding_step(&self) -> Option<&Step> {
        self.steps.iter().rev().find(|s| s.scope == Scope::Overall)
    }
}
