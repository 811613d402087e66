//! The inputs the rule engine reads, each with its date and origin, so every result can say how
//! old the evidence behind it is.

use super::{Date, KeyQuestion, Rating, RatingValue};
use serde::{Deserialize, Serialize};

/// One published rating used as an input to an aggregation (a key question of a location, or a
/// key question of a core service), with the date CQC published it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingInput {
    pub value: RatingValue,
    pub published: Option<Date>,
    /// Carried over from a previous registration (CQC's "Inherited Rating (Y/N)").
    pub inherited: bool,
}

impl RatingInput {
    pub fn rated(rating: Rating, published: Option<Date>) -> RatingInput {
        RatingInput {
            value: RatingValue::Rated(rating),
            published,
            inherited: false,
        }
    }
}

/// The key-question rating of a location, as an input to the overall rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KqInput {
    pub key_question: KeyQuestion,
    pub rating: RatingInput,
}

/// The ratings of one core service or population group, by key question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub name: String,
    pub key_questions: Vec<KqInput>,
}

/// Whether a quality statement was looked at in the assessment that published it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum QsStatus {
    Assessed,
    NotAssessed,
}

/// Where a quality-statement score came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScoreSource {
    /// Scored by CQC in the assessment dated `date`.
    Assessed { date: Option<Date> },
    /// Not looked at in this assessment; CQC's published score carried forward from earlier
    /// evidence (the API marks these "Not Assessed" and still sends a score).
    CarriedForward { date: Option<Date> },
    /// No score published: seeded from the key question's previous rating, published `date`
    /// (spec §4.7; the mapping O→4, G→3, RI→2, I→1 is a provisional parameter).
    SeededFromRating { rating: Rating, date: Option<Date> },
    /// Typed in or changed by the user in a what-if.
    UserEntered,
}

impl ScoreSource {
    /// The date of the evidence behind the score, where known.
    pub fn evidence_date(self) -> Option<Date> {
        match self {
            ScoreSource::Assessed { date }
            | ScoreSource::CarriedForward { date }
            | ScoreSource::SeededFromRating { date, .. } => date,
            ScoreSource::UserEntered => None,
        }
    }
}

/// One quality-statement score as input to a key-question score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QsInput {
    /// CQC's API id, 1–34.
    pub id: u8,
    /// 1–4; `None` when the statement was not scored (e.g. "Regulations met" services).
    pub score: Option<u8>,
    pub source: ScoreSource,
    /// Evidence-category scores (1–4 each), for assessments before December 2024; when present
    /// under that rule set, the statement score is computed from them.
    #[serde(default)]
    pub category_scores: Vec<u8>,
}
