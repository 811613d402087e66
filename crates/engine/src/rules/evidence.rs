//! The evidence for one location under one rule set, built from a published `Location` or
//! edited by the what-if.

use super::params::seed_score;
use super::sets::RuleSetId;
use crate::model::{
    Date, Domain, KeyQuestion, Location, OwnRatings, QsInput, Rating, RatingInput, RatingValue,
    SafAssessment, SafKeyQuestion, ScoreSource,
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

/// Evidence's key questions.
pub type KqEvidences = smallvec::SmallVec<[KqEvidence; KeyQuestion::ALL.len()]>;

/// The evidence for one location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub rule_set: RuleSetId,
    /// At most one per key question, on the stack (as [`super::KqResults`]).
    pub key_questions: KqEvidences,
    /// A breach of regulations (caps the overall at requires improvement).
    #[serde(default)]
    pub breach: bool,
    /// Enforcement and registered-manager limiters on key questions: facts the open data does
    /// not carry, so only a what-if sets them.
    #[serde(default)]
    pub limiters: Vec<super::limiters::Limiter>,
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
        let scores_statements = rule_set.scores_statements();
        let key_questions = KeyQuestion::ALL.iter().map(|kq| {
            let rating = own.key_question(*kq).map(|p| RatingInput {
                value: p.value,
                published: p.published,
                inherited: p.inherited,
            });
            let statements = if scores_statements {
                assessment
                    .map(|a| statements_of(location, a, *kq))
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
        });
        Evidence {
            rule_set,
            key_questions: key_questions.collect(),
            breach: false,
            limiters: Vec::new(),
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
        // Evidence built from a location lists its key questions in order: looked for first
        // where it would be then (the engine asks for each key question of every location).
        let listed = &self.key_questions[..];
        listed
            .get(kq as usize)
            .filter(|k| k.key_question == kq)
            .or_else(|| listed.iter().find(|k| k.key_question == kq))
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

/// The statements of one key question of an assessment, each with where its score comes from.
/// A statement CQC did not look at this time carries the score CQC seeded from the key
/// question's previous rating, one by one ("The date of previous assessment will be stated",
/// spec §11): its source names that rating and its date where the data has them.
fn statements_of(location: &Location, assessment: &SafAssessment, kq: KeyQuestion) -> Vec<QsInput> {
    let Some(k) = assessment
        .key_questions
        .iter()
        .find(|k| k.key_question == kq)
    else {
        return Vec::new();
    };
    let assessed_date = k.date.or(assessment.published);
    let seed = seed_rating(location, assessment, k);
    let first_assessment = location.assessments.len() == 1;
    k.statements
        .iter()
        .map(|s| {
            if s.assessed {
                return QsInput {
                    id: s.id,
                    score: s.score,
                    source: ScoreSource::Assessed {
                        date: assessed_date,
                    },
                    category_scores: Vec::new(),
                };
            }
            // A seed is trusted only where it explains CQC's score (or CQC sent none and the
            // statement is not one of the unrated kinds, "Regulations met" and the like).
            let seeded = match seed {
                Some((rating, date)) => Some((rating, date)).filter(|(rating, _)| match s.score {
                    Some(score) => score == seed_score(*rating),
                    None => s.unrated.is_none(),
                }),
                // The location's only assessment, so its first under the framework: a score
                // on a statement it did not look at can only be CQC's seed from the rating
                // before it (there is no earlier statement score to carry), and the score says
                // which rating that was. Its date is not in the data.
                None if first_assessment => s
                    .score
                    .and_then(|score| Rating::ALL.into_iter().find(|r| seed_score(*r) == score))
                    .map(|rating| (rating, None)),
                None => None,
            };
            match seeded {
                Some((rating, date)) => QsInput {
                    id: s.id,
                    score: Some(seed_score(rating)),
                    source: ScoreSource::SeededFromRating { rating, date },
                    category_scores: Vec::new(),
                },
                // A score CQC sent that no rating we know of explains: kept as CQC's, its
                // evidence's date not in the data.
                None => QsInput {
                    id: s.id,
                    score: s.score,
                    source: ScoreSource::CarriedForward { date: None },
                    category_scores: Vec::new(),
                },
            }
        })
        .collect()
}

/// The key-question rating that statements not looked at in `assessment` are seeded from, with
/// its date: the location's newest own rating for the key question published before the
/// assessment; for a key question the assessment did not look at at all, its rating is the
/// previous one carried over, so that rating (dated by the earlier row, if any, that gives it).
fn seed_rating(
    location: &Location,
    assessment: &SafAssessment,
    k: &SafKeyQuestion,
) -> Option<(Rating, Option<Date>)> {
    let assessed_on = assessment.published.or(assessment.assessment_date);
    let earlier = location
        .published_all(Domain::KeyQuestion(k.key_question))
        .into_iter()
        .find(|r| match (r.published, assessed_on) {
            (Some(p), Some(a)) => p < a,
            _ => false,
        });
    let earlier_rated = earlier.and_then(|r| Some((r.value.rated()?, r.published)));
    if k.assessed {
        return earlier_rated;
    }
    let carried = k.rating.and_then(RatingValue::rated)?;
    let date = earlier_rated
        .filter(|(rating, _)| *rating == carried)
        .and_then(|(_, date)| date);
    Some((carried, date))
}
