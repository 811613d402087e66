//! The catalogue of CQC rules: one entry per rule the engine can fire, with its plain-English
//! statement, its status and its source. The methodology page, the explanation trace and the
//! what-if all read this one table, so a rule is described in exactly one place.

use serde::{Deserialize, Serialize};

/// How sure we are that a rule is CQC's (spec §0.2). Anything but `Confirmed` is shown as
/// provisional in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleStatus {
    /// Read in CQC's own published text.
    Confirmed,
    /// Not found in CQC's text, but reproduced by CQC's published ratings in real data.
    Empirical,
    /// Follows from confirmed rules or data; no published text found.
    Inferred,
    /// From secondary sources or weak evidence: a parameter, not yet CQC's confirmed rule.
    Unconfirmed,
}

impl RuleStatus {
    pub fn is_provisional(self) -> bool {
        !matches!(self, RuleStatus::Confirmed)
    }

    pub fn label(self) -> &'static str {
        match self {
            RuleStatus::Confirmed => "Confirmed (CQC's published text)",
            RuleStatus::Empirical => {
                "Provisional: reproduced by CQC's published ratings, CQC text not found"
            }
            RuleStatus::Inferred => "Provisional: inferred from CQC's rules, not stated by CQC",
            RuleStatus::Unconfirmed => "Provisional: unconfirmed parameter",
        }
    }
}

/// Identifies a rule in traces, URLs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    /// Adult social care principle 1: a breach of regulations caps the overall at RI.
    BreachCap,
    /// n-input aggregation: enough inadequate inputs make the result inadequate.
    InadequateThreshold,
    /// n-input aggregation: enough RI inputs make the result RI.
    RequiresImprovementThreshold,
    /// n-input aggregation: enough outstanding inputs, the rest good, make it outstanding.
    OutstandingThreshold,
    /// No inadequate and RI below its threshold: good.
    GoodDefault,
    /// One inadequate input below the inadequate threshold: RI (no CQC rule covers it).
    SingleInadequateFallback,
    /// When both the inadequate and RI thresholds are met, inadequate wins.
    InadequatePrecedence,
    /// Unrated inputs are left out of the aggregation and n shrinks.
    UnratedExcluded,
    /// Ratings inherited from a previous provider are not aggregated with new ones.
    InheritedNotMixed,
    /// SAF: key-question percentage = sum of statement scores / (4 × statements).
    SafKeyQuestionPercentage,
    /// SAF: percentage bands 25/39/63/88.
    SafBands,
    /// SAF: how a percentage on a band edge (62.5 %, 87.5 %, 37.5 %) is rounded.
    SafTiePolicy,
    /// SAF limiter SL-1: an outstanding score with any statement at 1 or 2 is limited to good.
    SafOutstandingLimiter,
    /// SAF limiter SL-2: a good score with any statement at 1 is limited to RI.
    SafGoodLimiter,
    /// SAF: statements not assessed carry the score seeded from the previous rating.
    SafSeedFromRating,
    /// SAF before Dec 2024: evidence-category scores → statement score.
    SafEvidenceCategoryConversion,
    /// SAF: the overall rating = the legacy principles over the five key-question ratings.
    SafOverallByPrinciples,
    /// Local authorities: overall percentage over the 9 statements, same bands.
    LocalAuthorityOverall,
    /// 2026 draft: key-question ratings are judgements, not computed.
    DraftJudgementLeaf,
    /// Legacy: a key-question rating is the inspectors' judgement, an input leaf.
    LegacyJudgementLeaf,
}

/// One rule, described once.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: RuleId,
    /// Short code used in CQC-style references (P1, P6, SL-1, …).
    pub code: &'static str,
    pub title: &'static str,
    /// The rule in plain English.
    pub statement: &'static str,
    pub status: RuleStatus,
    /// Where it comes from (CQC page, data check); with `spec_ref` into the algorithm spec.
    pub source: &'static str,
    pub spec_ref: &'static str,
}

const fn rule(
    id: RuleId,
    code: &'static str,
    title: &'static str,
    statement: &'static str,
    status: RuleStatus,
    source: &'static str,
    spec_ref: &'static str,
) -> Rule {
    Rule {
        id,
        code,
        title,
        statement,
        status,
        source,
        spec_ref,
    }
}

use RuleStatus::{Confirmed, Empirical, Inferred, Unconfirmed};

/// Every rule, in the order the methodology page presents them.
pub const RULES: &[Rule] = &[
    rule(
        RuleId::LegacyJudgementLeaf,
        "KQ",
        "Key-question ratings are inspectors' judgements",
        "Inspectors rate each key question against the key lines of enquiry and rating characteristics. The explorer takes these ratings as published; only the steps that combine them are recomputed.",
        Confirmed,
        "CQC, \"Ratings\" pages for adult social care, independent healthcare and GP services",
        "§3.1",
    ),
    rule(
        RuleId::UnratedExcluded,
        "N",
        "Unrated inputs are left out",
        "Key questions or services that are not rated (Not rated, Inspected but not rated, Insufficient evidence, Regulations met, Not applicable) are left out of the aggregation, and the number of underlying ratings falls accordingly.",
        Confirmed,
        "CQC, \"Ratings principles: primary medical services\": \"the number of underlying ratings will be fewer\"",
        "§2.2",
    ),
    rule(
        RuleId::InadequateThreshold,
        "P6",
        "Enough inadequate ratings make it inadequate",
        "If at least the threshold number of underlying ratings are inadequate (see the thresholds by number of ratings), the aggregated rating is inadequate.",
        Confirmed,
        "CQC, \"How we aggregate ratings using the rating principles: adult social care services\" (12 May 2022), principle 6; thresholds for other n inferred",
        "§3.3, §3.4",
    ),
    rule(
        RuleId::InadequatePrecedence,
        "P6>P5",
        "Inadequate before requires improvement",
        "When both the inadequate and the requires-improvement thresholds are met, the result is inadequate.",
        Empirical,
        "Inferred; a hospital core service rated G, I, I, RI, RI was published as Inadequate",
        "§3.3",
    ),
    rule(
        RuleId::RequiresImprovementThreshold,
        "P5",
        "Enough ratings of requires improvement make it requires improvement",
        "If at least the threshold number of underlying ratings are requires improvement (see the thresholds by number of ratings), the aggregated rating is requires improvement.",
        Confirmed,
        "CQC adult social care aggregation principle 5; thresholds for other n inferred",
        "§3.3, §3.4",
    ),
    rule(
        RuleId::OutstandingThreshold,
        "P3",
        "Enough outstanding ratings, the rest good, make it outstanding",
        "The aggregated rating is outstanding when at least the threshold number of the underlying ratings are outstanding and all the others are good (see the thresholds by number of ratings).",
        Confirmed,
        "CQC, \"Ratings principles: NHS trusts\" (12 May 2022) outstanding table; adult social care principle 3",
        "§3.3, §3.4",
    ),
    rule(
        RuleId::GoodDefault,
        "P4",
        "Otherwise good",
        "With no inadequate rating and fewer ratings of requires improvement than the threshold, the aggregated rating is good.",
        Confirmed,
        "CQC adult social care aggregation principle 4",
        "§3.3",
    ),
    rule(
        RuleId::SingleInadequateFallback,
        "FB",
        "One inadequate rating on its own",
        "No CQC principle covers a single inadequate rating below the inadequate threshold. CQC's published ratings in this situation are requires improvement, so the explorer uses that.",
        Inferred,
        "Inferred; one published case (Safe inadequate, one key question RI, three good) was rated requires improvement",
        "§3.3",
    ),
    rule(
        RuleId::BreachCap,
        "P1",
        "A breach of regulations caps the overall rating",
        "The overall rating cannot be better than requires improvement if there is a breach of regulations.",
        Confirmed,
        "CQC adult social care aggregation principle 1 (enforcement policy)",
        "§3.2, §3.3",
    ),
    rule(
        RuleId::InheritedNotMixed,
        "RH",
        "Inherited ratings are not mixed with new ones",
        "After a change of provider, ratings awarded to the previous provider are not aggregated with ratings awarded to the new provider.",
        Confirmed,
        "CQC, \"Continuation of regulatory history\" (from 1 April 2019)",
        "§3.7",
    ),
    rule(
        RuleId::SafKeyQuestionPercentage,
        "SAF-%",
        "Key-question score",
        "Each quality statement is scored 1 to 4. A key question's score is the sum of its statement scores divided by the maximum possible (4 for each statement), shown as a whole percentage.",
        Confirmed,
        "CQC, \"How we reach a rating\"; reports print \"This service scored NN (out of 100)\"",
        "§4.5",
    ),
    rule(
        RuleId::SafBands,
        "SAF-bands",
        "Percentage bands",
        "Each key-question percentage falls in one band, and the band is the rating (see the percentage bands table).",
        Confirmed,
        "CQC, \"How we score\"; the local authority assessment page; 72 local-authority assessments agree",
        "§4.5",
    ),
    rule(
        RuleId::SafTiePolicy,
        "SAF-tie",
        "Scores on a band edge",
        "With 4, 6 or 8 statements a score can land exactly on 37.5 %, 62.5 % or 87.5 %. The explorer applies the chosen tie policy (by default the displayed percentage is rounded half up, so 62.5 % shows as 63 %) and marks the result as a boundary case.",
        Unconfirmed,
        "Not stated by CQC; no published report with such a sum found yet",
        "§4.5",
    ),
    rule(
        RuleId::SafOutstandingLimiter,
        "SL-1",
        "An outstanding score with a weak statement is limited to good",
        "If a key question's score is in the outstanding band but any of its quality statements is scored 1 or 2, the key question is rated good.",
        Unconfirmed,
        "Secondary source (Thornbury Nursing); CQC wording not found",
        "§4.6",
    ),
    rule(
        RuleId::SafGoodLimiter,
        "SL-2",
        "A good score with a statement scored 1 is limited to requires improvement",
        "If a key question's score is in the good band but any of its quality statements is scored 1 (significant shortfalls), the key question is rated requires improvement.",
        Unconfirmed,
        "Secondary source (Thornbury Nursing), trigger uncertain (1, or 1 and 2)",
        "§4.6",
    ),
    rule(
        RuleId::SafSeedFromRating,
        "SAF-seed",
        "Statements not yet assessed are seeded from the last rating",
        "When a service had a rating before the single assessment framework, CQC transferred it by giving each statement not yet assessed the score that matches the rating (see the seed scores). Those seeded scores keep the date of the old rating.",
        Unconfirmed,
        "CQC, \"Assessing quality and performance\" (21 May 2024) says ratings were transferred to statement scores; the exact mapping is not published",
        "§4.7",
    ),
    rule(
        RuleId::SafEvidenceCategoryConversion,
        "SAF-EC",
        "Evidence-category scores make a statement score",
        "Before 2 December 2024 each evidence category was scored 1 to 4; a statement's percentage is their sum over 4 × the number of categories, converted back to a score with the same bands.",
        Unconfirmed,
        "CQC worked example (69 % for 11 of 16); the conversion back to a score is not published",
        "§4.4",
    ),
    rule(
        RuleId::SafOverallByPrinciples,
        "SAF-overall",
        "The overall rating follows the ratings principles",
        "Under the single assessment framework, the overall rating is the ratings principles applied to the five key-question ratings.",
        Empirical,
        "40 of 40 overall ratings published from January 2024 in the Shropshire extract agree; CQC text not located",
        "§4.8",
    ),
    rule(
        RuleId::LocalAuthorityOverall,
        "LA",
        "Local authority overall score",
        "For local authority assessments, the scores of all 9 quality statements are combined into one percentage, all weighted equally, and rated with the same bands.",
        Confirmed,
        "CQC, local authority assessment page",
        "§4.8",
    ),
    rule(
        RuleId::DraftJudgementLeaf,
        "G4",
        "2026 draft: judgement at key-question level",
        "Under the 2026 draft frameworks CQC will no longer score quality statements: key-question ratings are judgements against rating characteristics. The overall rating is assumed to follow the ratings principles if overall ratings are kept.",
        Unconfirmed,
        "CQC consultation response (2025-26); final frameworks not yet published",
        "§5.2",
    ),
];

/// The catalogue entry for a rule.
pub fn rule_info(id: RuleId) -> &'static Rule {
    // Every RuleId has an entry (checked by a test), so the fallback is never reached; it keeps
    // this total without a panic path.
    RULES.iter().find(|r| r.id == id).unwrap_or(&RULES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_has_exactly_one_entry() {
        let ids = [
            RuleId::BreachCap,
            RuleId::InadequateThreshold,
            RuleId::RequiresImprovementThreshold,
            RuleId::OutstandingThreshold,
            RuleId::GoodDefault,
            RuleId::SingleInadequateFallback,
            RuleId::InadequatePrecedence,
            RuleId::UnratedExcluded,
            RuleId::InheritedNotMixed,
            RuleId::SafKeyQuestionPercentage,
            RuleId::SafBands,
            RuleId::SafTiePolicy,
            RuleId::SafOutstandingLimiter,
            RuleId::SafGoodLimiter,
            RuleId::SafSeedFromRating,
            RuleId::SafEvidenceCategoryConversion,
            RuleId::SafOverallByPrinciples,
            RuleId::LocalAuthorityOverall,
            RuleId::DraftJudgementLeaf,
            RuleId::LegacyJudgementLeaf,
        ];
        for id in ids {
            assert_eq!(RULES.iter().filter(|r| r.id == id).count(), 1, "{id:?}");
        }
        assert_eq!(RULES.len(), ids.len());
    }
}
