//! `rate`: evidence × rule set → rating and explanation. The single place where the rule sets
//! are evaluated; the what-if, the audit, the JS API and the UI all call it.

use super::aggregate::aggregate;
use super::catalogue::{rule_info, RuleId};
use super::evidence::{Evidence, KqEvidence};
use super::params::RuleParams;
use super::saf::{score_key_question, statement_score_from_categories};
use super::sets::RuleSetId;
use crate::explain::narrative as say;
use crate::explain::{evidence_age, Explanation, KqResult, StatementResult, Step, WeightedDate};
use crate::model::{quality_statement, quality_statements_for, Rating, RatingValue, ScoreSource};
use std::fmt;

/// Evidence the engine cannot rate: always a caller's mistake, named precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateError {
    UnknownStatement { id: u8 },
    StatementInWrongKeyQuestion { id: u8, key_question: &'static str },
    ScoreOutOfRange { id: u8, score: u8 },
    DuplicateStatement { id: u8 },
    DuplicateKeyQuestion { key_question: &'static str },
}

impl fmt::Display for RateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RateError::UnknownStatement { id } => {
                write!(
                    f,
                    "quality statement {id} does not exist (CQC numbers them 1 to 34)"
                )
            }
            RateError::StatementInWrongKeyQuestion { id, key_question } => write!(
                f,
                "quality statement {id} does not belong to the {key_question} key question"
            ),
            RateError::ScoreOutOfRange { id, score } => write!(
                f,
                "quality statement {id} has score {score}; scores run from 1 to 4"
            ),
            RateError::DuplicateStatement { id } => {
                write!(f, "quality statement {id} is given more than once")
            }
            RateError::DuplicateKeyQuestion { key_question } => {
                write!(f, "the {key_question} key question is given more than once")
            }
        }
    }
}

impl std::error::Error for RateError {}

/// Collects the trace as the rules fire. The step texts are written only when the trace is
/// recorded: the national audit reads the outcome alone, and writing every step's text was most
/// of its time (allocation and date formatting for 60,000 locations).
struct Trace {
    steps: Vec<Step>,
    record: bool,
}

impl Trace {
    fn push(&mut self, rule: RuleId, scope: &str, text: impl FnOnce() -> String) {
        if !self.record {
            return;
        }
        let text = text();
        let info = rule_info(rule);
        self.steps.push(Step {
            rule,
            code: info.code,
            scope: scope.to_string(),
            provisional: info.status.is_provisional(),
            text,
        });
    }
}

/// Rates one location's evidence under its rule set.
pub fn rate(evidence: &Evidence, params: &RuleParams) -> Result<Explanation, RateError> {
    let mut explanation = rate_recording(evidence, params, true)?;
    explanation.narrative = crate::explain::narrative::paragraphs(&explanation);
    Ok(explanation)
}

/// [`rate`] with the trace and the plain-English narrative left empty (`steps` and `narrative`
/// are empty; every rating, score, aggregation, warning and the evidence age are as [`rate`]
/// gives them). For bulk work that reads only the outcome, the national audit: the same rules
/// run, in the same code, without writing any text.
pub fn rate_outcome(evidence: &Evidence, params: &RuleParams) -> Result<Explanation, RateError> {
    rate_recording(evidence, params, false)
}

fn rate_recording(
    evidence: &Evidence,
    params: &RuleParams,
    record_trace: bool,
) -> Result<Explanation, RateError> {
    validate(evidence)?;
    let mut trace = Trace {
        steps: Vec::new(),
        record: record_trace,
    };
    let mut warnings = Vec::new();
    let mut key_questions = Vec::with_capacity(crate::model::KeyQuestion::ALL.len());
    // The dated pieces of every key question, one after another (one per legacy key question,
    // or per quality statement), and each key question's run of them: only rated key
    // questions' pieces count towards the overall's age.
    let mut pieces: Vec<WeightedDate> =
        Vec::with_capacity(if evidence.rule_set.scores_statements() {
            crate::model::QUALITY_STATEMENTS.len()
        } else {
            crate::model::KeyQuestion::ALL.len()
        });
    let mut runs: [std::ops::Range<usize>; crate::model::KeyQuestion::ALL.len()] =
        Default::default();

    for (kq, run) in crate::model::KeyQuestion::ALL.into_iter().zip(&mut runs) {
        let empty = KqEvidence {
            key_question: kq,
            rating: None,
            statements: Vec::new(),
        };
        let kev = evidence.key_question(kq).unwrap_or(&empty);
        let first_piece = pieces.len();
        let result = if evidence.rule_set.scores_statements() {
            rate_by_statements(kev, evidence.rule_set, params, &mut trace, &mut pieces)
        } else {
            rate_as_judgement(kev, evidence.rule_set, &mut trace, &mut pieces)
        };
        *run = first_piece..pieces.len();
        key_questions.push(result);
    }

    let rated = || key_questions.iter().filter(|k| k.rating.is_some());
    let labels = |inherited: bool| -> Vec<&str> {
        rated()
            .filter(|k| k.inherited == inherited)
            .map(|k| k.key_question.label())
            .collect()
    };
    let inherited_count = rated().filter(|k| k.inherited).count();
    if inherited_count > 0 && inherited_count < rated().count() {
        let text = say::inherited_mixed_step(&labels(true), &labels(false));
        warnings.push(text.clone());
        trace.push(RuleId::InheritedNotMixed, "Overall", || text);
    }

    if evidence.rule_set.scores_statements() {
        trace.push(RuleId::SafOverallByPrinciples, "Overall", || {
            say::saf_overall_step()
        });
    }
    // On the stack: at most one rating per key question.
    let mut ratings = [Rating::Good; crate::model::KeyQuestion::ALL.len()];
    let mut n_ratings = 0;
    for (slot, rating) in ratings.iter_mut().zip(rated().filter_map(|k| k.rating)) {
        *slot = rating;
        n_ratings += 1;
    }
    let aggregation = aggregate(&ratings[..n_ratings], params);
    let mut overall = None;
    if let Some(a) = &aggregation {
        if a.precedence_applied {
            trace.push(RuleId::InadequatePrecedence, "Overall", || {
                say::precedence_step(&a.counts)
            });
        }
        trace.push(a.rule, "Overall", || {
            say::aggregation_step(a.rule, &a.counts, &a.band, "key questions")
        });
        let mut result = a.rating;
        if evidence.breach && result > Rating::RequiresImprovement {
            trace.push(RuleId::BreachCap, "Overall", || say::breach_step(result));
            result = Rating::RequiresImprovement;
        }
        overall = Some(result);
    }

    // Each rated key question carries an equal share of the overall; within it, its pieces.
    let n_rated = rated().count().max(1) as f64;
    // Keep the rated key questions' pieces, each key question an equal share: compacted in
    // place (the runs are in order, so a piece only ever moves towards the front).
    let mut kept = 0;
    for (run, kq) in runs.into_iter().zip(&key_questions) {
        if kq.rating.is_none() {
            continue;
        }
        for i in run {
            pieces[kept] = WeightedDate {
                weight: pieces[i].weight / n_rated,
                ..pieces[i]
            };
            kept += 1;
        }
    }
    pieces.truncate(kept);
    let evidence_age = evidence_age(&pieces, evidence.as_of);

    let explanation = Explanation {
        rule_set: evidence.rule_set,
        overall,
        aggregation,
        key_questions,
        steps: trace.steps,
        warnings,
        evidence_age,
        narrative: Vec::new(),
    };
    Ok(explanation)
}

fn validate(evidence: &Evidence) -> Result<(), RateError> {
    // Bit sets: five key questions, and statement ids 1–34 (known to exist before they are set).
    let mut seen_kq = 0u8;
    let mut seen_qs = 0u64;
    for k in &evidence.key_questions {
        let kq_bit = 1u8 << (k.key_question as u8);
        if seen_kq & kq_bit != 0 {
            return Err(RateError::DuplicateKeyQuestion {
                key_question: k.key_question.label(),
            });
        }
        seen_kq |= kq_bit;
        for s in &k.statements {
            let def = quality_statement(s.id).ok_or(RateError::UnknownStatement { id: s.id })?;
            if def.key_question != k.key_question {
                return Err(RateError::StatementInWrongKeyQuestion {
                    id: s.id,
                    key_question: k.key_question.label(),
                });
            }
            let statement_bit = 1u64 << (s.id % 64);
            if seen_qs & statement_bit != 0 {
                return Err(RateError::DuplicateStatement { id: s.id });
            }
            seen_qs |= statement_bit;
            for score in s.score.iter().chain(s.category_scores.iter()) {
                if !(1..=4).contains(score) {
                    return Err(RateError::ScoreOutOfRange {
                        id: s.id,
                        score: *score,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Legacy and 2026-draft key questions: the published rating is the input.
fn rate_as_judgement(
    kev: &KqEvidence,
    rule_set: RuleSetId,
    trace: &mut Trace,
    pieces: &mut Vec<WeightedDate>,
) -> KqResult {
    let label = kev.key_question.label();
    let published = kev.rating.as_ref().map(|r| r.value);
    let published_date = kev.rating.as_ref().and_then(|r| r.published);
    let inherited = kev.rating.as_ref().is_some_and(|r| r.inherited);
    let rating = published.and_then(RatingValue::rated);
    let mut excluded_because = None;
    match (rating, published) {
        (Some(r), _) => {
            let draft = rule_set == RuleSetId::G4Draft2026;
            let rule = if draft {
                RuleId::DraftJudgementLeaf
            } else {
                RuleId::LegacyJudgementLeaf
            };
            trace.push(rule, label, || {
                say::judgement_leaf_step(label, r, published_date, draft)
            });
        }
        (None, Some(state)) => {
            trace.push(RuleId::UnratedExcluded, label, || {
                say::unrated_step(label, state.label())
            });
            excluded_because = Some(state.label());
        }
        (None, None) => {
            trace.push(RuleId::UnratedExcluded, label, || {
                say::unrated_step(label, "no rating published")
            });
            excluded_because = Some("no rating published");
        }
    }
    pieces.push(WeightedDate {
        date: published_date,
        weight: 1.0,
        scenario: false,
    });
    KqResult {
        key_question: kev.key_question,
        rating,
        published,
        published_date,
        inherited,
        score: None,
        statements: Vec::new(),
        excluded_because,
    }
}

/// SAF key questions: statement scores (given, carried forward or seeded) → percentage → band
/// → limiters.
fn rate_by_statements(
    kev: &KqEvidence,
    rule_set: RuleSetId,
    params: &RuleParams,
    trace: &mut Trace,
    pieces: &mut Vec<WeightedDate>,
) -> KqResult {
    let label = kev.key_question.label();
    let published = kev.rating.as_ref().map(|r| r.value);
    let published_date = kev.rating.as_ref().and_then(|r| r.published);
    let inherited = kev.rating.as_ref().is_some_and(|r| r.inherited);
    let seed = published.and_then(RatingValue::rated);

    // Statements given (by an assessment or a what-if) are used as they are: not every
    // statement applies to every service. Only a key question with no statement scores at all
    // is seeded, every statement from its published rating (spec §4.7).
    let mut statements = Vec::with_capacity(quality_statements_for(kev.key_question).count());
    for def in quality_statements_for(kev.key_question) {
        let given = kev.statements.iter().find(|s| s.id == def.id);
        let statement = match (given, seed) {
            (Some(s), _) => {
                let from_categories = if rule_set == RuleSetId::G2SafEvidenceCategories {
                    statement_score_from_categories(&s.category_scores, params)
                } else {
                    None
                };
                StatementResult {
                    id: def.id,
                    title: def.title,
                    score: from_categories.or(s.score),
                    source: s.source,
                    category_scores: s.category_scores.clone(),
                }
            }
            (None, Some(r)) if kev.statements.is_empty() => StatementResult {
                id: def.id,
                title: def.title,
                score: Some(super::params::seed_score(r)),
                source: ScoreSource::SeededFromRating {
                    rating: r,
                    date: published_date,
                },
                category_scores: Vec::new(),
            },
            _ => continue,
        };
        statements.push(statement);
    }
    let seeded = statements
        .iter()
        .filter(|s| matches!(s.source, ScoreSource::SeededFromRating { .. }))
        .count();
    if seeded > 0 {
        if let Some(r) = seed {
            let total = quality_statements_for(kev.key_question).count();
            trace.push(RuleId::SafSeedFromRating, label, || {
                say::seeded_step(label, seeded, total, r, published_date)
            });
        }
    }
    if statements.iter().any(|s| !s.category_scores.is_empty())
        && rule_set == RuleSetId::G2SafEvidenceCategories
    {
        trace.push(
            RuleId::SafEvidenceCategoryConversion,
            label,
            || format!("{label}: statements with evidence-category scores are scored from them (same bands)."),
        );
    }

    // On the stack: a key question has at most every statement there is.
    let mut scores = [0u8; crate::model::QUALITY_STATEMENTS.len()];
    let mut n_scores = 0;
    for (slot, points) in scores
        .iter_mut()
        .zip(statements.iter().filter_map(|s| s.score))
    {
        *slot = points;
        n_scores += 1;
    }
    let score = score_key_question(&scores[..n_scores], params);
    let mut excluded_because = None;
    match &score {
        Some(s) => {
            trace.push(RuleId::SafKeyQuestionPercentage, label, || {
                say::percentage_step(label, s)
            });
            trace.push(RuleId::SafBands, label, || say::band_step(label, s, params));
            if s.boundary {
                trace.push(RuleId::SafTiePolicy, label, || {
                    say::tie_step(label, s, params)
                });
            }
            if let Some(limiter) = s.limiter {
                trace.push(limiter, label, || say::limiter_step(label, limiter, s));
            }
            for st in &statements {
                if let Some(points) = st.score {
                    pieces.push(WeightedDate {
                        date: st.source.evidence_date(),
                        weight: f64::from(points) / f64::from(s.points.max(1)),
                        scenario: matches!(st.source, ScoreSource::UserEntered),
                    });
                }
            }
        }
        None => {
            let state = published.map_or("no scores or rating published", |p| p.label());
            trace.push(RuleId::UnratedExcluded, label, || {
                say::unrated_step(label, state)
            });
            excluded_because = Some(state);
        }
    }
    KqResult {
        key_question: kev.key_question,
        rating: score.as_ref().map(|s| s.rating),
        published,
        published_date,
        inherited,
        score,
        statements,
        excluded_because,
    }
}
