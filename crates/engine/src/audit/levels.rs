//! The audit level by level. A published rating is built in steps (statement scores → a key
//! question's percentage → its rating; service ratings → the location's key questions; key
//! questions → the overall), and each step that has real inputs in the data is checked on its
//! own against what CQC published for it. A step whose inputs were seeded from published
//! ratings says nothing about the scoring rules, so it is never counted as their agreement: the
//! overall level reports those ratings apart, as "principles only (no statement scores)".

use super::DivergenceClass;
use crate::model::{
    Domain, KeyQuestion, Location, OwnRatings, Rating, RatingValue, SafAssessment, SafKeyQuestion,
};
use crate::rules::saf::score_key_question;
use crate::rules::{aggregate, RuleParams};
use serde::Serialize;

/// One step of a rating, checked on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A key question's quality-statement scores → its percentage, against CQC's published
    /// `percentageScore`.
    StatementScoresToPercentage,
    /// The same scores → the key question's rating (bands and limiters), against CQC's published
    /// key-question rating.
    PercentageToKeyQuestionRating,
    /// Core-service or population-group ratings → the location's key-question ratings (the
    /// n-input ratings principles), for hospitals and GP practices.
    ServicesToKeyQuestions,
    /// Key-question ratings → the overall rating (the ratings principles).
    KeyQuestionsToOverall,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::StatementScoresToPercentage,
        Level::PercentageToKeyQuestionRating,
        Level::ServicesToKeyQuestions,
        Level::KeyQuestionsToOverall,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Level::StatementScoresToPercentage => "statement scores → key-question percentage",
            Level::PercentageToKeyQuestionRating => "key-question percentage → key-question rating",
            Level::ServicesToKeyQuestions => "service ratings → location key questions",
            Level::KeyQuestionsToOverall => "key questions → overall",
        }
    }
}

/// What one check compared: a published value and the rules' value for the same inputs, as
/// text so that percentages and ratings sit in one list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelCheck {
    /// The location's index in the snapshot.
    pub location: usize,
    /// What was checked within the location: "Safe", "Care Homes: Caring", "Surgery → Safe"…
    pub scope: String,
    pub published: String,
    pub recomputed: String,
    /// Why they differ; `None` when they agree.
    pub class: Option<DivergenceClass>,
}

/// One level's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelReport {
    pub level: Level,
    pub compared: u32,
    pub agree: u32,
    /// Checks of this level that had a published value but no real inputs to recompute it
    /// from (e.g. "Regulations met" statements).
    pub not_comparable: u32,
    pub divergences: Vec<LevelCheck>,
    /// For the overall level: the ratings whose key questions come from statement scores CQC
    /// published, and those from ratings alone ("principles only (no statement scores)").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_basis: Option<Vec<BasisCount>>,
}

/// Agreement of the overall level for one kind of input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BasisCount {
    pub basis: &'static str,
    pub compared: u32,
    pub agree: u32,
}

/// What the overall level's inputs rest on.
pub const BASIS_STATEMENT_SCORES: &str = "statement scores published by CQC";
pub const BASIS_PRINCIPLES_ONLY: &str = "principles only (no statement scores)";

impl LevelReport {
    fn new(level: Level) -> LevelReport {
        LevelReport {
            level,
            compared: 0,
            agree: 0,
            not_comparable: 0,
            divergences: Vec::new(),
            by_basis: None,
        }
    }

    /// Counts one check; its texts are written only when it diverges (`check` is called then
    /// alone): the national audit makes a check per location and keeps a few hundred.
    fn record(&mut self, class: Option<DivergenceClass>, check: impl FnOnce() -> LevelCheck) {
        self.compared += 1;
        match class {
            None => self.agree += 1,
            Some(_) => self.divergences.push(check()),
        }
    }
}

/// Every level's figures, built a location at a time: `audit::audit` checks each location's
/// levels as it rates it, so its own ratings are read once for both. The overall level is read
/// from the audit's own line for the location, so it counts exactly what the audit compared,
/// split by whether each rests on statement scores CQC published.
pub(super) struct LevelChecks {
    percentage: LevelReport,
    kq_rating: LevelReport,
    services: LevelReport,
    overall: LevelReport,
    with_scores: BasisCount,
    principles_only: BasisCount,
    service_rows: ServiceRows,
}

impl Default for LevelChecks {
    fn default() -> Self {
        LevelChecks {
            percentage: LevelReport::new(Level::StatementScoresToPercentage),
            kq_rating: LevelReport::new(Level::PercentageToKeyQuestionRating),
            services: LevelReport::new(Level::ServicesToKeyQuestions),
            overall: LevelReport::new(Level::KeyQuestionsToOverall),
            with_scores: BasisCount {
                basis: BASIS_STATEMENT_SCORES,
                compared: 0,
                agree: 0,
            },
            principles_only: BasisCount {
                basis: BASIS_PRINCIPLES_ONLY,
                compared: 0,
                agree: 0,
            },
            service_rows: ServiceRows::default(),
        }
    }
}

impl LevelChecks {
    /// Checks every level of the location at `index` (its own ratings `own`, its audit line
    /// `line`).
    pub(super) fn check(
        &mut self,
        index: usize,
        location: &Location,
        own: OwnRatings<'_>,
        line: &super::LocationAudit,
        params: &RuleParams,
    ) {
        for assessment in &location.assessments {
            check_assessment(
                index,
                assessment,
                params,
                &mut self.percentage,
                &mut self.kq_rating,
            );
        }
        check_services(
            index,
            location,
            own,
            params,
            &mut self.service_rows,
            &mut self.services,
        );
        let class = match line.agreement {
            super::Agreement::NotComparable => return,
            super::Agreement::Agrees => None,
            super::Agreement::Diverges(class) => Some(class),
        };
        let basis = if line.statement_scores {
            &mut self.with_scores
        } else {
            &mut self.principles_only
        };
        basis.compared += 1;
        basis.agree += u32::from(class.is_none());
        self.overall.record(class, || LevelCheck {
            location: index,
            scope: "overall".to_string(),
            published: line
                .published
                .map_or_else(String::new, |p| p.label().to_string()),
            recomputed: line
                .recomputed
                .map_or_else(String::new, |r| r.label().to_string()),
            class,
        });
    }

    /// The levels in [`Level::ALL`] order.
    pub(super) fn finish(mut self) -> Vec<LevelReport> {
        self.overall.by_basis = Some(vec![self.with_scores, self.principles_only]);
        vec![self.percentage, self.kq_rating, self.services, self.overall]
    }
}

/// Every statement of the key question has a published score (not "Regulations met").
fn real_scores(kq: &SafKeyQuestion) -> Option<Vec<u8>> {
    if kq.statements.is_empty() {
        return None;
    }
    kq.statements.iter().map(|s| s.score).collect()
}

/// Whether an assessment carries statement scores CQC published for at least one key question.
pub fn assessment_has_scores(assessment: &SafAssessment) -> bool {
    assessment
        .key_questions
        .iter()
        .any(|kq| real_scores(kq).is_some())
}

fn scope(assessment: &SafAssessment, kq: KeyQuestion) -> String {
    format!("{}: {}", assessment.service_group, kq.label())
}

/// Levels 1 and 2 for one SAF assessment: each key question's scores against its published
/// percentage and rating.
fn check_assessment(
    location: usize,
    assessment: &SafAssessment,
    params: &RuleParams,
    percentage: &mut LevelReport,
    kq_rating: &mut LevelReport,
) {
    for kq in &assessment.key_questions {
        let published_rating = kq.rating.and_then(RatingValue::rated);
        let Some(scores) = real_scores(kq) else {
            percentage.not_comparable += u32::from(kq.percentage.is_some());
            kq_rating.not_comparable += u32::from(published_rating.is_some());
            continue;
        };
        let Some(result) = score_key_question(&scores, params) else {
            continue;
        };
        if let Some(published) = kq.percentage {
            let agrees = u32::from(published) == result.displayed_percent;
            // The published percentage disagrees with the published scores it is made of.
            let class = (!agrees).then_some(DivergenceClass::DataInconsistency);
            percentage.record(class, || LevelCheck {
                location,
                scope: scope(assessment, kq.key_question),
                published: format!("{published} %"),
                recomputed: format!("{} %", result.displayed_percent),
                class,
            });
        }
        if let Some(published) = published_rating {
            let agrees = published == result.rating;
            let class = (!agrees).then_some(DivergenceClass::ProfessionalJudgement);
            kq_rating.record(class, || LevelCheck {
                location,
                scope: scope(assessment, kq.key_question),
                published: published.label().to_string(),
                recomputed: result.rating.label().to_string(),
                class,
            });
        }
    }
}

/// The service rows of a location, by key question, gathered in one pass over its rating rows
/// (a hospital has dozens). Kept from location to location so its lists are allocated once.
#[derive(Default)]
struct ServiceRows {
    /// Each key question's rated service ratings, in row order.
    rated: [Vec<Rating>; 5],
    /// Each key question's service rows, rated or not, and how many of them were inherited.
    rows: [u32; 5],
    inherited: [u32; 5],
}

impl ServiceRows {
    /// Gathers `loc`'s rows; false if it has no service rows at all.
    fn gather(&mut self, loc: &Location) -> bool {
        self.rated.iter_mut().for_each(Vec::clear);
        self.rows = [0; 5];
        self.inherited = [0; 5];
        let mut any = false;
        for r in &loc.ratings {
            if r.is_overall() {
                continue;
            }
            any = true;
            let Domain::KeyQuestion(kq) = r.domain else {
                continue;
            };
            let i = kq as usize;
            self.rows[i] += 1;
            self.inherited[i] += u32::from(r.inherited);
            self.rated[i].extend(r.value.rated());
        }
        any
    }
}

/// Level 3: for each key question with ratings of the location's core services or population
/// groups, those ratings aggregated by the n-input principles against the location's own rating.
fn check_services(
    location: usize,
    loc: &Location,
    own: OwnRatings<'_>,
    params: &RuleParams,
    services: &mut ServiceRows,
    report: &mut LevelReport,
) {
    // Most locations have no service rows: their rows are not read again.
    if !own.has_service_rows || !services.gather(loc) {
        return;
    }
    for kq in KeyQuestion::ALL {
        let Some(published) = own.key_question(kq).and_then(|p| p.value.rated()) else {
            continue;
        };
        let i = kq as usize;
        let (inputs, rows, inherited) =
            (&services.rated[i], services.rows[i], services.inherited[i]);
        let Some(result) = aggregate(inputs, params) else {
            // Services listed but none rated for this key question.
            report.not_comparable += u32::from(rows > 0);
            continue;
        };
        let why = if inherited > 0 && inherited < rows {
            DivergenceClass::InheritedRatingsMixed
        } else if (inputs.len() as u32) < rows {
            DivergenceClass::UnratedInputs
        } else {
            DivergenceClass::ProfessionalJudgement
        };
        let class = (result.rating != published).then_some(why);
        report.record(class, || LevelCheck {
            location,
            scope: format!("{} services → {}", inputs.len(), kq.label()),
            published: published.label().to_string(),
            recomputed: result.rating.label().to_string(),
            class,
        });
    }
}
