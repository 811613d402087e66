//! The explanation of a result in words: each typed step of the engine's trace as a sentence,
//! the plain-English narrative, and the evidence-age labels. The engine (`rules`) records what
//! fired and with which numbers; this module is the only place that turns that into text.

pub mod narrative;

pub use crate::rules::age::{evidence_age, AgeSlice, EvidenceAge, WeightedDate};
pub use crate::rules::result::{
    Exclusion, Explanation, Fact, KqResult, Scope, StatementResult, Step, Warning,
};

use serde::Serialize;

/// An evidence-age slice in words.
pub trait AgeSliceLabel {
    /// "2019", "date not published" or "your scenario".
    fn label(&self) -> String;
}

impl AgeSliceLabel for AgeSlice {
    fn label(&self) -> String {
        match (self.year, self.scenario) {
            (_, true) => "your scenario".into(),
            (Some(year), false) => year.to_string(),
            (None, false) => "date not published".into(),
        }
    }
}

/// An explanation with its words, for callers that hand the whole result on (the JavaScript
/// API): the engine's typed result, each step's sentence in the same order, and the narrative.
#[derive(Debug, Clone, Serialize)]
pub struct Narrated<'a> {
    #[serde(flatten)]
    pub explanation: &'a Explanation,
    /// `step_texts[i]` is `explanation.steps[i]` in words.
    pub step_texts: Vec<String>,
    /// `age_labels[i]` names `explanation.evidence_age.slices[i]` ("2019", "your scenario").
    pub age_labels: Vec<String>,
    pub narrative: Vec<String>,
}

impl<'a> Narrated<'a> {
    pub fn of(explanation: &'a Explanation) -> Narrated<'a> {
        Narrated {
            explanation,
            step_texts: explanation.steps.iter().map(narrative::step_text).collect(),
            age_labels: explanation
                .evidence_age
                .slices
                .iter()
                .map(AgeSliceLabel::label)
                .collect(),
            narrative: narrative::paragraphs(explanation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyQuestion, Rating, RatingInput};
    use crate::rules::{rate, Evidence, KqEvidence, RuleParams, RuleSetId};

    #[test]
    fn the_narrated_json_keeps_the_result_at_the_top_with_one_sentence_per_step() {
        let evidence = Evidence {
            rule_set: RuleSetId::G1Kloe,
            key_questions: KeyQuestion::ALL
                .iter()
                .map(|kq| KqEvidence {
                    key_question: *kq,
                    rating: Some(RatingInput::rated(Rating::Good, None)),
                    statements: Vec::new(),
                })
                .collect(),
            breach: true,
            limiters: Vec::new(),
            as_of: None,
        };
        let explanation = rate(&evidence, &RuleParams::default()).expect("valid evidence rates");
        let json = serde_json::to_value(Narrated::of(&explanation)).expect("serialises");
        assert_eq!(json["overall"], "RequiresImprovement");
        let steps = json["steps"].as_array().map_or(0, Vec::len);
        assert_eq!(steps, explanation.steps.len());
        assert_eq!(json["step_texts"].as_array().map_or(0, Vec::len), steps);
        assert_eq!(json["steps"][steps - 1]["scope"], "Overall");
        assert_eq!(
            json["steps"][steps - 1]["fact"]["BreachCapped"]["uncapped"],
            "Good"
        );
        assert!(json["narrative"][0]
            .as_str()
            .is_some_and(|p| p.starts_with("The rules give requires improvement. Capped at")));
    }
}
