//! Every conversion between the engine's types and the JavaScript API's (`types.rs`), in one
//! place: evidence, edits and parameters come in, explanations, solutions and the catalogue go
//! out. Each `match` and struct literal is exhaustive, so a variant or field added to the engine
//! fails to compile here instead of changing the JavaScript shapes unnoticed.

use crate::types as js;
use cqc_engine::explain as explain_engine;
use cqc_engine::explain::{narrative, AgeSliceLabel};
use cqc_engine::model as model_engine;
use cqc_engine::rules as rules_engine;
use cqc_engine::whatif as whatif_engine;

/// `From` both ways for an enum whose variants carry no data and have the same names on both
/// sides.
macro_rules! same_variants {
    ($js:ty, $engine:ty { $($variant:ident),+ $(,)? }) => {
        impl From<$engine> for $js {
            fn from(value: $engine) -> Self {
                match value {
                    $(<$engine>::$variant => <$js>::$variant,)+
                }
            }
        }
        impl From<$js> for $engine {
            fn from(value: $js) -> Self {
                match value {
                    $(<$js>::$variant => <$engine>::$variant,)+
                }
            }
        }
    };
}

same_variants!(
    js::Rating,
    model_engine::Rating {
        Inadequate,
        RequiresImprovement,
        Good,
        Outstanding,
    }
);
same_variants!(
    js::KeyQuestion,
    model_engine::KeyQuestion {
        Safe,
        Effective,
        Caring,
        Responsive,
        WellLed,
    }
);
same_variants!(
    js::RuleSetId,
    rules_engine::RuleSetId {
        G1Kloe,
        G2SafEvidenceCategories,
        G3SafQualityStatements,
        G4Draft2026,
    }
);
same_variants!(
    js::NotRatedKind,
    model_engine::NotRatedKind {
        NotRated,
        InspectedButNotRated,
        InsufficientEvidence,
        RegulationsMet,
        RegulationsNotMet,
        NotApplicable,
        NoPublishedRating,
        Suspended,
        UnderAppeal,
    }
);
same_variants!(
    js::RuleId,
    rules_engine::RuleId {
        BreachCap,
        InadequateThreshold,
        RequiresImprovementThreshold,
        OutstandingThreshold,
        GoodDefault,
        SingleInadequateFallback,
        InadequatePrecedence,
        UnratedExcluded,
        InheritedNotMixed,
        SafKeyQuestionPercentage,
        SafBands,
        SafTiePolicy,
        SafOutstandingLimiter,
        SafGoodLimiter,
        SafSeedFromRating,
        SafEvidenceCategoryConversion,
        SafOverallByPrinciples,
        LocalAuthorityOverall,
        DraftJudgementLeaf,
        DraftOverallAssumed,
        LegacyJudgementLeaf,
        RequirementNoticeLimiter,
        WarningNoticeLimiter,
        RegisteredManagerLimiter,
    }
);

same_variants!(
    js::LimiterKind,
    rules_engine::LimiterKind {
        RequirementNotice,
        WarningNotice,
        NoRegisteredManager,
    }
);

impl From<js::Limiter> for rules_engine::Limiter {
    fn from(limiter: js::Limiter) -> Self {
        rules_engine::Limiter {
            key_question: limiter.key_question.into(),
            kind: limiter.kind.into(),
        }
    }
}

impl From<rules_engine::Limiter> for js::Limiter {
    fn from(limiter: rules_engine::Limiter) -> Self {
        js::Limiter {
            key_question: limiter.key_question.into(),
            kind: limiter.kind.into(),
        }
    }
}
same_variants!(
    js::RuleStatus,
    rules_engine::RuleStatus {
        Confirmed,
        Empirical,
        Inferred,
        Unconfirmed,
    }
);
same_variants!(
    js::TiePolicy,
    rules_engine::TiePolicy {
        RoundHalfUp,
        StrictBands,
        RoundHalfEven,
    }
);

impl From<model_engine::RatingValue> for js::RatingValue {
    fn from(value: model_engine::RatingValue) -> Self {
        match value {
            model_engine::RatingValue::Rated(rating) => js::RatingValue::Rated(rating.into()),
            model_engine::RatingValue::Unrated(kind) => js::RatingValue::Unrated(kind.into()),
        }
    }
}

impl From<js::RatingValue> for model_engine::RatingValue {
    fn from(value: js::RatingValue) -> Self {
        match value {
            js::RatingValue::Rated(rating) => model_engine::RatingValue::Rated(rating.into()),
            js::RatingValue::Unrated(kind) => model_engine::RatingValue::Unrated(kind.into()),
        }
    }
}

impl From<model_engine::ScoreSource> for js::ScoreSource {
    fn from(value: model_engine::ScoreSource) -> Self {
        use model_engine::ScoreSource as S;
        match value {
            S::Assessed { date } => js::ScoreSource::Assessed { date },
            S::CarriedForward { date } => js::ScoreSource::CarriedForward { date },
            S::SeededFromRating { rating, date } => js::ScoreSource::SeededFromRating {
                rating: rating.into(),
                date,
            },
            S::UserEntered => js::ScoreSource::UserEntered,
        }
    }
}

impl From<js::ScoreSource> for model_engine::ScoreSource {
    fn from(value: js::ScoreSource) -> Self {
        use model_engine::ScoreSource as S;
        match value {
            js::ScoreSource::Assessed { date } => S::Assessed { date },
            js::ScoreSource::CarriedForward { date } => S::CarriedForward { date },
            js::ScoreSource::SeededFromRating { rating, date } => S::SeededFromRating {
                rating: rating.into(),
                date,
            },
            js::ScoreSource::UserEntered => S::UserEntered,
        }
    }
}

// ---- in: evidence, edits, parameters ----------------------------------------------------------

impl From<js::Evidence> for rules_engine::Evidence {
    fn from(evidence: js::Evidence) -> Self {
        rules_engine::Evidence {
            rule_set: evidence.rule_set.into(),
            key_questions: evidence.key_questions.into_iter().map(Into::into).collect(),
            breach: evidence.breach,
            limiters: evidence.limiters.into_iter().map(Into::into).collect(),
            as_of: evidence.as_of,
        }
    }
}

impl From<js::KqEvidence> for rules_engine::KqEvidence {
    fn from(kq: js::KqEvidence) -> Self {
        rules_engine::KqEvidence {
            key_question: kq.key_question.into(),
            rating: kq.rating.map(Into::into),
            statements: kq.statements.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<js::RatingInput> for model_engine::RatingInput {
    fn from(rating: js::RatingInput) -> Self {
        model_engine::RatingInput {
            value: rating.value.into(),
            published: rating.published,
            inherited: rating.inherited,
        }
    }
}

impl From<js::StatementInput> for model_engine::QsInput {
    fn from(statement: js::StatementInput) -> Self {
        model_engine::QsInput {
            id: statement.id,
            score: statement.score,
            source: statement.source.into(),
            category_scores: statement.category_scores,
        }
    }
}

impl From<js::Edit> for whatif_engine::Edit {
    fn from(edit: js::Edit) -> Self {
        use whatif_engine::Edit as E;
        match edit {
            js::Edit::KqRating {
                key_question,
                rating,
            } => E::KqRating {
                key_question: key_question.into(),
                rating: rating.map(Into::into),
            },
            js::Edit::StatementScore { id, score } => E::StatementScore { id, score },
            js::Edit::KqDate { key_question, date } => E::KqDate {
                key_question: key_question.into(),
                date,
            },
            js::Edit::Breach(breach) => E::Breach(breach),
            js::Edit::Limiter { limiter, applies } => E::Limiter {
                limiter: limiter.into(),
                applies,
            },
        }
    }
}

impl From<whatif_engine::Edit> for js::Edit {
    fn from(edit: whatif_engine::Edit) -> Self {
        use whatif_engine::Edit as E;
        match edit {
            E::KqRating {
                key_question,
                rating,
            } => js::Edit::KqRating {
                key_question: key_question.into(),
                rating: rating.map(Into::into),
            },
            E::StatementScore { id, score } => js::Edit::StatementScore { id, score },
            E::KqDate { key_question, date } => js::Edit::KqDate {
                key_question: key_question.into(),
                date,
            },
            E::Breach(breach) => js::Edit::Breach(breach),
            E::Limiter { limiter, applies } => js::Edit::Limiter {
                limiter: limiter.into(),
                applies,
            },
        }
    }
}

impl From<js::RuleParams> for rules_engine::RuleParams {
    fn from(params: js::RuleParams) -> Self {
        rules_engine::RuleParams {
            aggregation_bands: params
                .aggregation_bands
                .into_iter()
                .map(Into::into)
                .collect(),
            percentage_bands: params
                .percentage_bands
                .into_iter()
                .map(Into::into)
                .collect(),
            tie_policy: params.tie_policy.into(),
            outstanding_limiter_max_score: params.outstanding_limiter_max_score,
            good_limiter_max_score: params.good_limiter_max_score,
            apply_limiters: params.apply_limiters,
        }
    }
}

impl From<rules_engine::RuleParams> for js::RuleParams {
    fn from(params: rules_engine::RuleParams) -> Self {
        js::RuleParams {
            aggregation_bands: params
                .aggregation_bands
                .into_iter()
                .map(Into::into)
                .collect(),
            percentage_bands: params
                .percentage_bands
                .into_iter()
                .map(Into::into)
                .collect(),
            tie_policy: params.tie_policy.into(),
            outstanding_limiter_max_score: params.outstanding_limiter_max_score,
            good_limiter_max_score: params.good_limiter_max_score,
            apply_limiters: params.apply_limiters,
        }
    }
}

impl From<js::AggregationBand> for rules_engine::AggregationBand {
    fn from(band: js::AggregationBand) -> Self {
        rules_engine::AggregationBand {
            min_n: band.min_n,
            max_n: band.max_n,
            outstanding_at_least: band.outstanding_at_least,
            ri_at_least: band.ri_at_least,
            inadequate_at_least: band.inadequate_at_least,
            ri_and_inadequate_status: band.ri_and_inadequate_status.into(),
        }
    }
}

impl From<rules_engine::AggregationBand> for js::AggregationBand {
    fn from(band: rules_engine::AggregationBand) -> Self {
        js::AggregationBand {
            min_n: band.min_n,
            max_n: band.max_n,
            outstanding_at_least: band.outstanding_at_least,
            ri_at_least: band.ri_at_least,
            inadequate_at_least: band.inadequate_at_least,
            ri_and_inadequate_status: band.ri_and_inadequate_status.into(),
        }
    }
}

impl From<js::PercentageBand> for rules_engine::PercentageBand {
    fn from(band: js::PercentageBand) -> Self {
        rules_engine::PercentageBand {
            rating: band.rating.into(),
            from_percent: band.from_percent,
            to_percent: band.to_percent,
        }
    }
}

impl From<rules_engine::PercentageBand> for js::PercentageBand {
    fn from(band: rules_engine::PercentageBand) -> Self {
        js::PercentageBand {
            rating: band.rating.into(),
            from_percent: band.from_percent,
            to_percent: band.to_percent,
        }
    }
}

// ---- out: explanations, solutions, the catalogue -------------------------------------------------

impl From<explain_engine::Explanation> for js::Explanation {
    fn from(explanation: explain_engine::Explanation) -> Self {
        // The words are written from the engine's typed facts, here, once.
        let narrative = narrative::paragraphs(&explanation);
        let warnings = explanation
            .warnings
            .iter()
            .map(narrative::warning_text)
            .collect();
        js::Explanation {
            rule_set: explanation.rule_set.into(),
            overall: explanation.overall.map(Into::into),
            aggregation: explanation.aggregation.map(Into::into),
            key_questions: explanation
                .key_questions
                .into_iter()
                .map(Into::into)
                .collect(),
            steps: explanation.steps.into_iter().map(Into::into).collect(),
            warnings,
            evidence_age: explanation.evidence_age.into(),
            narrative,
        }
    }
}

impl From<rules_engine::Aggregation> for js::Aggregation {
    fn from(aggregation: rules_engine::Aggregation) -> Self {
        js::Aggregation {
            rating: aggregation.rating.into(),
            rule: aggregation.rule.into(),
            counts: aggregation.counts.into(),
            band: aggregation.band.into(),
            precedence_applied: aggregation.precedence_applied,
        }
    }
}

impl From<rules_engine::Counts> for js::Counts {
    fn from(counts: rules_engine::Counts) -> Self {
        js::Counts {
            outstanding: counts.outstanding,
            good: counts.good,
            requires_improvement: counts.requires_improvement,
            inadequate: counts.inadequate,
        }
    }
}

impl From<explain_engine::KqResult> for js::KqResult {
    fn from(kq: explain_engine::KqResult) -> Self {
        js::KqResult {
            key_question: kq.key_question.into(),
            rating: kq.rating.map(Into::into),
            published: kq.published.map(Into::into),
            published_date: kq.published_date,
            inherited: kq.inherited,
            score: kq.score.map(Into::into),
            statements: kq.statements.into_iter().map(Into::into).collect(),
            excluded_because: kq.excluded_because.map(narrative::exclusion_label),
        }
    }
}

impl From<rules_engine::KqScore> for js::KqScore {
    fn from(score: rules_engine::KqScore) -> Self {
        js::KqScore {
            points: score.points,
            max_points: score.max_points,
            exact_percent: score.exact_percent,
            displayed_percent: score.displayed_percent,
            band_rating: score.band_rating.into(),
            rating: score.rating.into(),
            limiter: score.limiter.map(Into::into),
            lowest_score: score.lowest_score,
            boundary: score.boundary,
        }
    }
}

impl From<explain_engine::StatementResult> for js::StatementResult {
    fn from(statement: explain_engine::StatementResult) -> Self {
        js::StatementResult {
            id: statement.id,
            title: statement.title,
            score: statement.score,
            source: statement.source.into(),
            category_scores: statement.category_scores,
        }
    }
}

impl From<explain_engine::Step> for js::Step {
    fn from(step: explain_engine::Step) -> Self {
        js::Step {
            rule: step.rule.into(),
            code: step.code(),
            scope: narrative::scope_label(step.scope).to_string(),
            provisional: step.provisional(),
            text: narrative::step_text(&step),
        }
    }
}

impl From<explain_engine::EvidenceAge> for js::EvidenceAge {
    fn from(age: explain_engine::EvidenceAge) -> Self {
        js::EvidenceAge {
            as_of: age.as_of,
            slices: age.slices.into_iter().map(Into::into).collect(),
            oldest: age.oldest,
            newest: age.newest,
            span_days: age.span_days,
            mean_age_years: age.mean_age_years,
        }
    }
}

impl From<explain_engine::AgeSlice> for js::AgeSlice {
    fn from(slice: explain_engine::AgeSlice) -> Self {
        js::AgeSlice {
            label: slice.label(),
            year: slice.year,
            share: slice.share,
            scenario: slice.scenario,
        }
    }
}

impl From<whatif_engine::Solution> for js::Solution {
    fn from(solution: whatif_engine::Solution) -> Self {
        js::Solution {
            edits: solution.edits.into_iter().map(Into::into).collect(),
            descriptions: solution.descriptions,
            changes: solution.changes,
            steps: solution.steps,
            result: solution.result.into(),
        }
    }
}

impl From<&rules_engine::RuleSetInfo> for js::RuleSetInfo {
    fn from(info: &rules_engine::RuleSetInfo) -> Self {
        js::RuleSetInfo {
            id: info.id.into(),
            name: info.name,
            period: info.period(),
            key_question_method: rules_engine::fill(
                info.key_question_method,
                &rules_engine::RuleParams::default(),
            ),
            overall_method: info.overall_method,
            source: info.source,
            rules: info.rules.iter().copied().map(Into::into).collect(),
        }
    }
}

impl From<&rules_engine::Rule> for js::Rule {
    fn from(rule: &rules_engine::Rule) -> Self {
        js::Rule {
            id: rule.id.into(),
            code: rule.code,
            title: rule.title_text(&rules_engine::RuleParams::default()),
            statement: rule.statement_text(&rules_engine::RuleParams::default()),
            status: rule.status.into(),
            source: rule.source,
            spec_ref: rule.spec_ref,
        }
    }
}

/// The engine's whole catalogue: every rule set and rule, the default parameters, the ratings.
pub fn catalogue() -> js::Catalogue {
    js::Catalogue {
        rule_sets: rules_engine::RULE_SETS.iter().map(Into::into).collect(),
        rules: rules_engine::RULES.iter().map(Into::into).collect(),
        params: rules_engine::RuleParams::default().into(),
        ratings: model_engine::Rating::ALL
            .into_iter()
            .map(Into::into)
            .collect(),
    }
}
