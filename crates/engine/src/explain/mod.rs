//! The explanation of a result in words: each typed step of the engine's trace as a sentence,
//! the plain-English narrative, and the evidence-age labels. The engine (`rules`) records what
//! fired and with which numbers; this module is the only place that turns that into text.

pub mod narrative;

pub use crate::rules::age::{evidence_age, AgeSlice, EvidenceAge, WeightedDate};
pub use crate::rules::result::{
    Exclusion, Explanation, Fact, KqResult, Scope, StatementResult, Step, Warning,
};

use serde::Serialize;

/// An explanation with its words, for callers that hand the whole result on (the JavaScript
/// API): the engine's typed result, each step's sentence in the same order, and the narrative.
#[derive(Debug, Clone, Serialize)]
pub struct Narrated<'a> {
    #[serde(flatten)]
    pub explanation: &'a Explanation,
    /// `step_texts[i]` is `explanation.steps[i]` in words.
    pub step_texts: Vec<String>,
    pub narrative: Vec<String>,
}

impl<'a> Narrated<'a> {
    pub fn of(explanation: &'a Explanation) -> Narrated<'a> {
        Narrated {
            explanation,
            step_texts: explanation.steps.iter().map(narrative::step_text).collect(),
            narrative: narrative::paragraphs(explanation),
        }
    }
}
