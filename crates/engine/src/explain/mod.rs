//! The explanation of a result: the inputs used and left out, each rule that fired in order,
//! the share of the result resting on evidence of each age, and a plain-English narrative
//! generated from that same trace.

mod age;
pub mod narrative;

pub use age::{evidence_age, AgeSlice, EvidenceAge, WeightedDate};

use crate::model::{Date, KeyQuestion, Rating, RatingValue, ScoreSource};
use crate::rules::{Aggregation, KqScore, RuleId, RuleSetId};
use serde::Serialize;

/// One rule that fired, in the order it fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub rule: RuleId,
    pub code: &'static str,
    /// What it applied to: "Overall", "Safe", …
    pub scope: String,
    /// Not CQC's confirmed rule: shown with a "provisional" label.
    pub provisional: bool,
    /// The step in plain English, with the numbers that decided it.
    pub text: String,
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
    pub excluded_because: Option<&'static str>,
}

/// The full result of rating one location under one rule set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub rule_set: RuleSetId,
    /// The overall rating the rules give; `None` if no key question is rated.
    pub overall: Option<Rating>,
    /// The aggregation before any cap.
    pub aggregation: Option<Aggregation>,
    pub key_questions: Vec<KqResult>,
    pub steps: Vec<Step>,
    /// Data problems that make the result less certain (mixed inherited ratings, …).
    pub warnings: Vec<String>,
    pub evidence_age: EvidenceAge,
    /// The whole explanation as a few plain-English paragraphs.
    pub narrative: Vec<String>,
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
            .filter(|s| s.provisional)
            .map(|s| s.rule)
            .collect();
        rules.sort();
        rules.dedup();
        rules
    }

    /// Whether a rule fired anywhere in the trace.
    pub fn fired(&self, rule: RuleId) -> bool {
        self.steps.iter().any(|s| s.rule == rule)
    }
}
