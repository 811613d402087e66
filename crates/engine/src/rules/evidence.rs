//! The evidence for one location under one rule set, built from a published `Location` or
//! edited by the what-if.

use super::sets::RuleSetId;
use crate::model::{
    Date, KeyQuestion, Location, OwnRatings, QsInput, RatingInput, SafAssessment, ScoreSource,
};
use serde::{Deserialize, Serialize};

/// Everything the engine reads for one key question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KqEvidence {
    pub key_question: KeyQuestion,
    /// The published key-question rating: the input itself under the legacy and 2026 rules,
    /// the seed for statements not yet scored under SAF.
    pub rating: Option<RatingInput>,
    /// Quality-statement scores (SAF). Statements of this key question that are missing here
    /// are seeded from `rating`.
    #[serde(default)]
    pub statements: Vec<QsInput>,
}

/// The evidence for one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub rule_set: RuleSetId,
    pub key_questions: Vec<KqEvidence>,
    /// A breach of regulations (caps the overall at requires improvement).
    #[serde(default)]
    pub breach: bool,
    /// The date ages are measured from (the data's date, or today).
    pub as_of: Option<Date>,
}

impl Evidence {
    /// The evidence a location's published data gives, under `rule_set`.
    pub fn from_location(
        location: &Location,
        rule_set: RuleSetId,
        as_of: Option<Date>,
    ) -> Evidence {
        Self::from_own_ratings(location, location.own_ratings(), rule_set, as_of)
    }

    /// [`Evidence::from_location`] when the location's own ratings have already been read (the
    /// audit reads them once for the published overall and the evidence both).
    pub fn from_own_ratings(
        location: &Location,
        own: OwnRatings<'_>,
        rule_set: RuleSetId,
        as_of: Option<Date>,
    ) -> Evidence {
        let assessment = latest_assessment(location);
        let key_questions = KeyQuestion::ALL
            .iter()
            .map(|kq| {
                let rating = own.key_question(*kq).map(|p| RatingInput {
                    value: p.value,
                    published: p.published,
                    inherited: p.inherited,
                });
                let statements = if rule_set.scores_statements() {
                    assessment
                        .map(|a| statements_of(a, *kq))
                        .unwrap_or_default()
                } else {
                    Vec::new()
                };
                // A SAF location without a Latest-ratings row still has its key-question rating
                // in the assessment; use it so seeding and comparison have something to read.
                let rating = rating.or_else(|| {
                    let a = assessment?;
                    let k = a.key_questions.iter().find(|k| k.key_question == *kq)?;
                    Some(RatingInput {
                        value: k.rating?,
                        published: k.date.or(a.published),
                        inherited: false,
                    })
                });
                KqEvidence {
                    key_question: *kq,
                    rating,
                    statements,
                }
            })
            .collect();
        Evidence {
            rule_set,
            key_questions,
            breach: false,
            as_of,
        }
    }

    /// Whether a key question's inputs are its published rating rather than statement scores:
    /// under a rule set that judges key questions, always; under one that scores statements,
    /// when CQC published no scores for it (the engine then seeds them from its rating, so the
    /// rating is what a what-if or the solver should change, never the seeds).
    pub fn rated_by_its_rating(&self, kq: KeyQuestion) -> bool {
        !self.rule_set.scores_statements()
            || self
                .key_question(kq)
                .is_none_or(|k| k.statements.is_empty())
    }

    pub fn key_question(&self, kq: KeyQuestion) -> Option<&KqEvidence> {
        self.key_questions.iter().find(|k| k.key_question == kq)
    }

    pub fn key_question_mut(&mut self, kq: KeyQuestion) -> &mut KqEvidence {
        if let Some(i) = self.key_questions.iter().position(|k| k.key_question == kq) {
            return &mut self.key_questions[i];
        }
        self.key_questions.push(KqEvidence {
            key_question: kq,
            rating: None,
            statements: Vec::new(),
        });
        let last = self.key_questions.len() - 1;
        &mut self.key_questions[last]
    }
}

/// The newest SAF assessment of a location, if any.
pub fn latest_assessment(location: &Location) -> Option<&SafAssessment> {
    location
        .assessments
        .iter()
        .max_by_key(|a| a.published.or(a.assessment_date))
}

fn statements_of(assessment: &SafAssessment, kq: KeyQuestion) -> Vec<QsInput> {
    let Some(k) = assessment
        .key_questions
        .iter()
        .find(|k| k.key_question == kq)
    else {
        return Vec::new();
    };
    let assessed_date = k.date.or(assessment.published);
    k.statements
        .iter()
        .map(|s| QsInput {
            id: s.id,
            score: s.score,
            source: if s.assessed {
                ScoreSource::Assessed {
                    date: assessed_date,
                }
            } else {
                // CQC sends a score for statements it did not look at; the date of the
                // evidence behind it is not in the data.
                ScoreSource::CarriedForward { date: None }
            },
            category_scores: Vec::new(),
        })
        .collect()
}
