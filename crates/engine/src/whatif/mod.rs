//! What-if: edit the evidence and re-rate; find the smallest change that reaches a target
//! rating; list the single slips that would lower it. Every answer is computed by the same
//! `rules::rate` the published rating is explained with.

pub mod scenario;
mod solver;

pub use solver::{minimal_change, single_slips, Slip, Solution};

use crate::model::{Date, KeyQuestion, QsInput, Rating, RatingInput, RatingValue, ScoreSource};
use crate::rules::{Evidence, Limiter, LimiterKind};
use serde::{Deserialize, Serialize};

/// One change to the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Edit {
    /// Set a key question's rating (legacy and 2026 rules); `None` makes it unrated.
    KqRating {
        key_question: KeyQuestion,
        rating: Option<Rating>,
    },
    /// Set a quality statement's score, 1–4 (SAF rules).
    StatementScore { id: u8, score: u8 },
    /// Set the publication date of a key question's rating.
    KqDate {
        key_question: KeyQuestion,
        date: Date,
    },
    /// Add or remove a breach of regulations.
    Breach(bool),
    /// Say that a limiter the open data does not carry applies (an enforcement notice against
    /// a key question, no registered manager), or no longer does.
    Limiter { limiter: Limiter, applies: bool },
}

/// The evidence with the edits applied, in order. Statement edits on a key question whose
/// statements were seeded keep the other statements at their seeded scores, as CQC's
/// carry-forward would.
pub fn apply(evidence: &Evidence, edits: &[Edit]) -> Evidence {
    let mut out = evidence.clone();
    for edit in edits {
        match *edit {
            Edit::KqRating {
                key_question,
                rating,
            } => {
                let kq = out.key_question_mut(key_question);
                let previous = kq.rating.clone();
                kq.rating = Some(RatingInput {
                    value: match rating {
                        Some(r) => RatingValue::Rated(r),
                        None => RatingValue::Unrated(crate::model::NotRatedKind::NotRated),
                    },
                    published: previous.as_ref().and_then(|p| p.published),
                    // A what-if changes the rating, not who awarded it: an inherited rating
                    // stays the previous provider's (and out of a mixed overall).
                    inherited: previous.as_ref().is_some_and(|p| p.inherited),
                });
            }
            Edit::StatementScore { id, score } => {
                let Some(def) = crate::model::quality_statement(id) else {
                    continue;
                };
                let kq = out.key_question_mut(def.key_question);
                // A key question scored only through its seeded rating gets its seeds written
                // out first, so editing one statement keeps the others as they were.
                if kq.statements.is_empty() {
                    if let Some(rating) = kq.rating.as_ref().and_then(|r| r.value.rated()) {
                        let date = kq.rating.as_ref().and_then(|r| r.published);
                        kq.statements = crate::model::quality_statements_for(def.key_question)
                            .map(|d| QsInput {
                                id: d.id,
                                score: Some(crate::rules::params::seed_score(rating)),
                                source: ScoreSource::SeededFromRating { rating, date },
                                category_scores: Vec::new(),
                            })
                            .collect();
                    }
                }
                match kq.statements.iter_mut().find(|s| s.id == id) {
                    Some(s) => {
                        s.score = Some(score);
                        s.source = ScoreSource::UserEntered;
                        s.category_scores.clear();
                    }
                    None => kq.statements.push(QsInput {
                        id,
                        score: Some(score),
                        source: ScoreSource::UserEntered,
                        category_scores: Vec::new(),
                    }),
                }
            }
            Edit::KqDate { key_question, date } => {
                let kq = out.key_question_mut(key_question);
                if let Some(r) = kq.rating.as_mut() {
                    r.published = Some(date);
                }
            }
            Edit::Breach(breach) => out.breach = breach,
            Edit::Limiter { limiter, applies } => {
                out.limiters.retain(|l| *l != limiter);
                if applies {
                    out.limiters.push(limiter);
                    crate::order::sort(&mut out.limiters);
                }
            }
        }
    }
    out
}

/// How an edit reads in a sentence: "Safe from requires improvement to good".
pub fn describe_edit(evidence: &Evidence, edit: &Edit) -> String {
    match *edit {
        Edit::KqRating {
            key_question,
            rating,
        } => {
            let from = evidence
                .key_question(key_question)
                .and_then(|k| k.rating.as_ref())
                .map(|r| r.value.label().to_lowercase())
                .unwrap_or_else(|| "no rating".into());
            let to = rating
                .map(|r| r.label().to_lowercase())
                .unwrap_or_else(|| "not rated".into());
            format!("{} from {from} to {to}", key_question.label())
        }
        Edit::StatementScore { id, score } => {
            let title = crate::model::quality_statement(id)
                .map(|d| d.title)
                .unwrap_or("unknown statement");
            let from = current_statement_score(evidence, id)
                .map(|s| s.to_string())
                .unwrap_or_else(|| "no score".into());
            format!("{title} from {from} to {score}")
        }
        Edit::KqDate { key_question, date } => format!(
            "{} dated {}",
            key_question.label(),
            crate::model::format_date(date)
        ),
        Edit::Breach(true) => "a breach of regulations".into(),
        Edit::Breach(false) => "no breach of regulations".into(),
        Edit::Limiter { limiter, applies } => {
            let what = match limiter.kind {
                LimiterKind::RequirementNotice => "a Requirement Notice",
                LimiterKind::WarningNotice => "a Warning Notice",
                LimiterKind::NoRegisteredManager => "no registered manager",
            };
            let against = match limiter.kind {
                LimiterKind::NoRegisteredManager => String::new(),
                _ => format!(" against {}", limiter.key_question.label()),
            };
            if applies {
                format!("{what}{against}")
            } else {
                format!("not {what}{against}")
            }
        }
    }
}

/// A statement's score as the engine would use it: given, or seeded from the key question's
/// rating.
pub fn current_statement_score(evidence: &Evidence, id: u8) -> Option<u8> {
    let def = crate::model::quality_statement(id)?;
    let kq = evidence.key_question(def.key_question)?;
    match kq.statements.iter().find(|s| s.id == id) {
        Some(s) => s.score,
        None if kq.statements.is_empty() => kq
            .rating
            .as_ref()
            .and_then(|r| r.value.rated())
            .map(crate::rules::params::seed_score),
        None => None,
    }
}
