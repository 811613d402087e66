//! `rate`: evidence × rule set → rating and explanation. The single place where the rule sets
//! are evaluated; the what-if, the audit, the JS API and the UI all call it.

use super::age::{evidence_age, evidence_dates, WeightedDate};
use super::aggregate::{aggregate, breach_cap};
use super::catalogue::RuleId;
use super::evidence::{Evidence, KqEvidence};
use super::limiters::strictest;
use super::params::{is_valid_score, seed_score, RuleParams, MAX_SCORE, MIN_SCORE};
use super::result::{
    Exclusion, Explanation, Fact, KqResult, Scope, StatementResult, Step, Warning,
};
use super::saf::{score_key_question, statement_score_from_categories};
use super::sets::{rule_set_info, KeyQuestionMethod};
use crate::model::{
    quality_statement, quality_statements_for, QualityStatementDef, Rating, RatingValue,
    ScoreSource,
};
use smallvec::SmallVec;
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
                "quality statement {id} has score {score}; scores run from {MIN_SCORE} to {MAX_SCORE}"
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

/// What a run writes out beside the ratings, scores, aggregation, warnings and evidence age
/// (which every run gives alike).
#[derive(Debug, Clone, Copy)]
struct Detail {
    /// The trace of every rule that fired ([`Explanation::steps`]).
    trace: bool,
    /// Each key question's quality statements as scored ([`KqResult::statements`]).
    statements: bool,
    /// The evidence age's shares by year and mean age ([`EvidenceAge::slices`],
    /// [`EvidenceAge::mean_age_years`]); without them, its dates and span alone.
    age_shares: bool,
}

/// The dated pieces of a run's key questions: at most one per quality statement (under SAF) or
/// per key question, so on the stack: the national audit rates 60,000 locations.
type Pieces = SmallVec<[WeightedDate; crate::model::QUALITY_STATEMENTS.len()]>;

/// Collects the trace as the rules fire. The facts are built only when the trace is recorded:
/// the national audit reads the outcome alone, for 60,000 locations.
struct Trace {
    steps: Vec<Step>,
    detail: Detail,
}

impl Trace {
    fn push(&mut self, rule: RuleId, scope: Scope, fact: impl FnOnce() -> Fact) {
        if !self.detail.trace {
            return;
        }
        self.steps.push(Step {
            rule,
            scope,
            fact: fact(),
        });
    }
}

/// Rates one location's evidence under its rule set, with the trace of every rule that fired.
/// The words are `explain::narrative`'s, written from the trace when asked.
pub fn rate(evidence: &Evidence, params: &RuleParams) -> Result<Explanation, RateError> {
    let detail = Detail {
        trace: true,
        statements: true,
        age_shares: true,
    };
    rate_recording(evidence, params, detail)
}

/// [`rate`] with the trace left empty (every rating, score, aggregation, warning and the
/// evidence age are as [`rate`] gives them). For bulk work that reads only the outcome, the
/// national audit: the same rules run, in the same code, without recording the steps.
pub fn rate_outcome(evidence: &Evidence, params: &RuleParams) -> Result<Explanation, RateError> {
    let detail = Detail {
        trace: false,
        statements: true,
        age_shares: true,
    };
    rate_recording(evidence, params, detail)
}

/// [`rate_outcome`] with each key question's statements left out as well
/// ([`KqResult::statements`] empty; its score, rating and everything else as [`rate`] gives
/// them), and of the evidence age only its dates and span (`rules::evidence_dates`). For the
/// national audit, which compares ratings and reads the span: a SAF location has 34 statements.
pub fn rate_verdict(evidence: &Evidence, params: &RuleParams) -> Result<Explanation, RateError> {
    let detail = Detail {
        trace: false,
        statements: false,
        age_shares: false,
    };
    rate_recording(evidence, params, detail)
}

fn rate_recording(
    evidence: &Evidence,
    params: &RuleParams,
    detail: Detail,
) -> Result<Explanation, RateError> {
    validate(evidence)?;
    let method = rule_set_info(evidence.rule_set).key_questions;
    let mut trace = Trace {
        steps: Vec::new(),
        detail,
    };
    let mut warnings = Vec::new();
    // The dated pieces of every key question, one after another (one per legacy key question,
    // or per quality statement), and each key question's run of them: only rated key
    // questions' pieces count towards the overall's age.
    let mut pieces = Pieces::new();
    let mut runs: [std::ops::Range<usize>; crate::model::KeyQuestion::ALL.len()] =
        Default::default();

    let mut key_questions = super::result::KqResults::new();
    for (kq, run) in crate::model::KeyQuestion::ALL.into_iter().zip(&mut runs) {
        let empty = KqEvidence {
            key_question: kq,
            rating: None,
            statements: Vec::new(),
        };
        let kev = evidence.key_question(kq).unwrap_or(&empty);
        let first_piece = pieces.len();
        let mut result = match method {
            KeyQuestionMethod::StatementScores {
                from_evidence_categories,
            } => rate_by_statements(
                kev,
                from_evidence_categories,
                params,
                &mut trace,
                &mut pieces,
            ),
            KeyQuestionMethod::Judgement { leaf_rule } => {
                rate_as_judgement(kev, leaf_rule, None, &mut trace, &mut pieces)
            }
            KeyQuestionMethod::Characteristics { baseline } => rate_as_judgement(
                kev,
                RuleId::DraftJudgementLeaf,
                Some(baseline),
                &mut trace,
                &mut pieces,
            ),
        };
        *run = first_piece..pieces.len();
        if let (Some(rating), Some((kind, cap))) =
            (result.rating, strictest(&evidence.limiters, kq))
        {
            if rating > cap {
                trace.push(kind.rule(), Scope::KeyQuestion(kq), || {
                    Fact::EnforcementLimited {
                        limiter: kind,
                        uncapped: rating,
                        capped: cap,
                    }
                });
                result.rating = Some(cap);
            }
        }
        key_questions.push(result);
    }

    // Continuation of regulatory history (spec §3.7): a previous provider's ratings are not
    // aggregated with the new provider's. Where both are present, the inherited ones are left
    // out of the overall (and the data is flagged: CQC's own overall should not mix them).
    let rated_kqs = || key_questions.iter().filter(|k| k.rating.is_some());
    let inherited_count = rated_kqs().filter(|k| k.inherited).count();
    if inherited_count > 0 && inherited_count < rated_kqs().count() {
        let of_kind = |inherited: bool| -> Vec<crate::model::KeyQuestion> {
            rated_kqs()
                .filter(|k| k.inherited == inherited)
                .map(|k| k.key_question)
                .collect()
        };
        let warning = Warning::InheritedMixed {
            inherited: of_kind(true),
            new: of_kind(false),
        };
        trace.push(RuleId::InheritedNotMixed, Scope::Overall, || {
            Fact::InheritedLeftOut(warning.clone())
        });
        warnings.push(warning);
        for k in key_questions
            .iter_mut()
            .filter(|k| k.inherited && k.rating.is_some())
        {
            k.excluded_because = Some(Exclusion::InheritedFromPreviousProvider);
        }
    }
    let rated = || {
        key_questions
            .iter()
            .filter(|k| k.rating.is_some() && k.excluded_because.is_none())
    };

    match method {
        KeyQuestionMethod::StatementScores { .. } => {
            trace.push(RuleId::SafOverallByPrinciples, Scope::Overall, || {
                Fact::OverallByPrinciples
            });
        }
        // The drafts do not say whether an overall rating stays, nor how it would be made.
        KeyQuestionMethod::Characteristics { .. } if rated().next().is_some() => {
            trace.push(RuleId::DraftOverallAssumed, Scope::Overall, || {
                Fact::OverallAssumedByPrinciples
            });
        }
        _ => {}
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
            trace.push(RuleId::InadequatePrecedence, Scope::Overall, || {
                Fact::Precedence { counts: a.counts }
            });
        }
        trace.push(a.rule, Scope::Overall, || Fact::Aggregated {
            rating: a.rating,
            counts: a.counts,
            band: a.band,
        });
        let mut result = a.rating;
        if let Some(capped) = breach_cap(result, evidence.breach) {
            trace.push(RuleId::BreachCap, Scope::Overall, || Fact::BreachCapped {
                uncapped: result,
                capped,
            });
            result = capped;
        }
        overall = Some(result);
    }

    // Each rated key question carries an equal share of the overall; within it, its pieces.
    let n_rated = n_ratings.max(1) as f64;
    // Keep the rated key questions' pieces, each key question an equal share: compacted in
    // place (the runs are in order, so a piece only ever moves towards the front).
    let mut kept = 0;
    let all_pieces = pieces.as_mut_slice();
    for (run, kq) in runs.into_iter().zip(&key_questions) {
        if kq.rating.is_none() || kq.excluded_because.is_some() {
            continue;
        }
        for i in run {
            let piece = all_pieces[i];
            all_pieces[kept] = WeightedDate {
                weight: piece.weight / n_rated,
                ..piece
            };
            kept += 1;
        }
    }
    pieces.truncate(kept);
    let evidence_age = if detail.age_shares {
        evidence_age(&pieces, evidence.as_of)
    } else {
        evidence_dates(&pieces, evidence.as_of)
    };

    let explanation = Explanation {
        rule_set: evidence.rule_set,
        overall,
        aggregation,
        key_questions,
        steps: trace.steps,
        warnings,
        evidence_age,
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
                if !is_valid_score(*score) {
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

/// Key questions rated by judgement (legacy and 2026 draft): the published rating is the
/// input, recorded under `leaf_rule`; with a `baseline` (the drafts' Good), as a judgement
/// against the rating characteristics from that baseline.
fn rate_as_judgement(
    kev: &KqEvidence,
    leaf_rule: RuleId,
    baseline: Option<Rating>,
    trace: &mut Trace,
    pieces: &mut Pieces,
) -> KqResult {
    let scope = Scope::KeyQuestion(kev.key_question);
    let published = kev.rating.as_ref().map(|r| r.value);
    let published_date = kev.rating.as_ref().and_then(|r| r.published);
    let inherited = kev.rating.as_ref().is_some_and(|r| r.inherited);
    let rating = published.and_then(RatingValue::rated);
    let mut excluded_because = None;
    match (rating, published) {
        (Some(r), _) => match baseline {
            Some(baseline) => trace.push(leaf_rule, scope, || Fact::JudgedAgainstBaseline {
                rating: r,
                baseline,
                published: published_date,
            }),
            None => trace.push(leaf_rule, scope, || Fact::JudgementTaken {
                rating: r,
                published: published_date,
            }),
        },
        (None, Some(state)) => excluded_because = Some(Exclusion::Published(state)),
        (None, None) => excluded_because = Some(Exclusion::NoRatingPublished),
    }
    if let Some(why) = excluded_because {
        trace.push(RuleId::UnratedExcluded, scope, || Fact::Excluded(why));
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

/// One statement as the rules score it: what each pass over a key question's statements reads,
/// without the copies a [`StatementResult`] holds (made only when the statements are kept,
/// [`Detail::statements`]).
#[derive(Clone, Copy)]
struct ScoredStatement<'e> {
    def: &'static QualityStatementDef,
    score: Option<u8>,
    source: ScoreSource,
    category_scores: &'e [u8],
}

impl ScoredStatement<'_> {
    fn result(&self) -> StatementResult {
        StatementResult {
            id: self.def.id,
            title: self.def.title,
            score: self.score,
            source: self.source,
            category_scores: self.category_scores.to_vec(),
        }
    }
}

/// Key questions computed from statements (SAF): statement scores (given, carried forward or
/// seeded) → percentage → band → limiters. With `from_evidence_categories`, a statement with
/// evidence-category scores is scored from them.
fn rate_by_statements(
    kev: &KqEvidence,
    from_evidence_categories: bool,
    params: &RuleParams,
    trace: &mut Trace,
    pieces: &mut Pieces,
) -> KqResult {
    let scope = Scope::KeyQuestion(kev.key_question);
    let published = kev.rating.as_ref().map(|r| r.value);
    let published_date = kev.rating.as_ref().and_then(|r| r.published);
    let inherited = kev.rating.as_ref().is_some_and(|r| r.inherited);
    let seed = published.and_then(RatingValue::rated);

    // Statements given (by an assessment or a what-if) are used as they are, each with its own
    // source (CQC's seeds for statements it did not look at are already marked so): CQC lists
    // only the statements that apply to the service, so one it does not list is left out. Only
    // a key question with no statements at all is seeded here, every statement from its
    // published rating (spec §4.7).
    // Each statement scored once, on the stack (a key question has at most every statement
    // there is): every pass below reads them, and a run that keeps no statements allocates
    // nothing for them.
    let mut scored: SmallVec<[ScoredStatement; crate::model::QUALITY_STATEMENTS.len()]> =
        SmallVec::new();
    for def in quality_statements_for(kev.key_question) {
        let given = kev.statements.iter().find(|s| s.id == def.id);
        let statement = match (given, seed) {
            (Some(s), _) => {
                let from_categories = if from_evidence_categories {
                    statement_score_from_categories(&s.category_scores, params)
                } else {
                    None
                };
                ScoredStatement {
                    def,
                    score: from_categories.or(s.score),
                    source: s.source,
                    category_scores: &s.category_scores,
                }
            }
            (None, Some(r)) if kev.statements.is_empty() => ScoredStatement {
                def,
                score: Some(seed_score(r)),
                source: ScoreSource::SeededFromRating {
                    rating: r,
                    date: published_date,
                },
                category_scores: &[],
            },
            _ => continue,
        };
        scored.push(statement);
    }
    let scored = &scored[..];
    let statements: Vec<StatementResult> = if trace.detail.statements {
        scored.iter().map(ScoredStatement::result).collect()
    } else {
        Vec::new()
    };
    // Seeded statements, whether seeded here or by CQC (a statement not looked at this time,
    // see `Evidence::from_location`): one step per seed rating, each naming its date.
    if trace.detail.trace {
        let mut seeds: Vec<(Rating, Option<crate::model::Date>, u32)> = Vec::new();
        for st in scored {
            if let ScoreSource::SeededFromRating { rating, date } = st.source {
                match seeds
                    .iter_mut()
                    .find(|(r, d, _)| *r == rating && *d == date)
                {
                    Some((_, _, n)) => *n += 1,
                    None => seeds.push((rating, date, 1)),
                }
            }
        }
        let total = scored.len() as u32;
        for (rating, date, seeded) in seeds {
            trace.push(RuleId::SafSeedFromRating, scope, || Fact::Seeded {
                seeded,
                total,
                rating,
                seed_score: seed_score(rating),
                published: date,
            });
        }
    }
    if from_evidence_categories && scored.iter().any(|s| !s.category_scores.is_empty()) {
        trace.push(RuleId::SafEvidenceCategoryConversion, scope, || {
            Fact::CategoriesConverted
        });
    }

    // On the stack: a key question has at most every statement there is.
    let mut scores = [0u8; crate::model::QUALITY_STATEMENTS.len()];
    let mut n_scores = 0;
    for (slot, points) in scores.iter_mut().zip(scored.iter().filter_map(|s| s.score)) {
        *slot = points;
        n_scores += 1;
    }
    let score = score_key_question(&scores[..n_scores], params);
    let mut excluded_because = None;
    match &score {
        Some(s) => {
            trace.push(RuleId::SafKeyQuestionPercentage, scope, || {
                Fact::Percentage {
                    points: s.points,
                    max_points: s.max_points,
                    exact_percent: s.exact_percent,
                    displayed_percent: s.displayed_percent,
                }
            });
            trace.push(RuleId::SafBands, scope, || Fact::Band {
                displayed_percent: s.displayed_percent,
                rating: s.band_rating,
                band: params
                    .percentage_bands
                    .iter()
                    .find(|b| b.rating == s.band_rating)
                    .copied(),
            });
            if s.boundary {
                trace.push(RuleId::SafTiePolicy, scope, || Fact::Tie {
                    exact_percent: s.exact_percent,
                    policy: params.tie_policy,
                    rating: s.band_rating,
                });
            }
            if let Some(limiter) = s.limiter {
                trace.push(limiter, scope, || Fact::Limited {
                    band_rating: s.band_rating,
                    lowest_score: s.lowest_score,
                    rating: s.rating,
                });
            }
            let first_piece = pieces.len();
            for st in scored {
                let Some(points) = st.score else {
                    continue;
                };
                let piece = WeightedDate {
                    date: st.source.evidence_date(),
                    weight: f64::from(points) / f64::from(s.points.max(1)),
                    scenario: matches!(st.source, ScoreSource::UserEntered),
                };
                // The dates alone (`evidence_dates`) read no weight but whether the pieces
                // weigh anything: a statement dated as the one before it adds nothing to them
                // (a key question's seeded statements share their rating's date).
                if !trace.detail.age_shares && pieces.len() > first_piece {
                    if let Some(last) = pieces.last_mut() {
                        if last.date == piece.date && last.scenario == piece.scenario {
                            last.weight += piece.weight;
                            continue;
                        }
                    }
                }
                pieces.push(piece);
            }
        }
        None => {
            let why = published.map_or(Exclusion::NoScoresOrRating, Exclusion::Published);
            trace.push(RuleId::UnratedExcluded, scope, || Fact::Excluded(why));
            excluded_because = Some(why);
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
