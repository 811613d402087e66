//! The methodology generations (spec §1), each a selectable, versioned rule set.

use super::catalogue::RuleId;
use crate::model::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleSetId {
    /// Legacy key lines of enquiry, Oct 2014 – Nov 2023.
    G1Kloe,
    /// Single assessment framework, evidence categories scored, Nov 2023 – 1 Dec 2024.
    G2SafEvidenceCategories,
    /// Single assessment framework, statements scored directly, from 2 Dec 2024.
    G3SafQualityStatements,
    /// The 2025-26 reform drafts: judgement at key-question level.
    G4Draft2026,
}

impl RuleSetId {
    pub const ALL: [RuleSetId; 4] = [
        RuleSetId::G1Kloe,
        RuleSetId::G2SafEvidenceCategories,
        RuleSetId::G3SafQualityStatements,
        RuleSetId::G4Draft2026,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            RuleSetId::G1Kloe => "g1",
            RuleSetId::G2SafEvidenceCategories => "g2",
            RuleSetId::G3SafQualityStatements => "g3",
            RuleSetId::G4Draft2026 => "g4",
        }
    }

    pub fn from_slug(slug: &str) -> Option<RuleSetId> {
        RuleSetId::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// Whether key-question ratings are computed from quality-statement scores.
    pub fn scores_statements(self) -> bool {
        matches!(
            self,
            RuleSetId::G2SafEvidenceCategories | RuleSetId::G3SafQualityStatements
        )
    }

    /// The generation in force for a rating published on `date`. Single-assessment-framework
    /// ratings began in November 2023 (spec §1); without a date, a location with a SAF
    /// assessment is taken as SAF and any other as legacy.
    pub fn in_force(date: Option<Date>, has_saf_assessment: bool) -> RuleSetId {
        let saf_start = Date::from_ymd_opt(2023, 11, 1);
        let g3_start = Date::from_ymd_opt(2024, 12, 2);
        match date {
            Some(d) if g3_start.is_some_and(|start| d >= start) => {
                RuleSetId::G3SafQualityStatements
            }
            Some(d) if saf_start.is_some_and(|start| d >= start) => {
                RuleSetId::G2SafEvidenceCategories
            }
            Some(_) => RuleSetId::G1Kloe,
            None if has_saf_assessment => RuleSetId::G3SafQualityStatements,
            None => RuleSetId::G1Kloe,
        }
    }
}

/// What the methodology page says about a rule set.
#[derive(Debug, Clone, Serialize)]
pub struct RuleSetInfo {
    pub id: RuleSetId,
    pub name: &'static str,
    pub period: &'static str,
    pub key_question_method: &'static str,
    pub overall_method: &'static str,
    pub source: &'static str,
    /// The rules it can fire, in evaluation order.
    pub rules: &'static [RuleId],
}

const PRINCIPLES: [RuleId; 8] = [
    RuleId::UnratedExcluded,
    RuleId::InheritedNotMixed,
    RuleId::InadequateThreshold,
    RuleId::InadequatePrecedence,
    RuleId::RequiresImprovementThreshold,
    RuleId::OutstandingThreshold,
    RuleId::GoodDefault,
    RuleId::SingleInadequateFallback,
];

const G1_RULES: [RuleId; 10] = [
    RuleId::LegacyJudgementLeaf,
    PRINCIPLES[0],
    PRINCIPLES[1],
    PRINCIPLES[2],
    PRINCIPLES[3],
    PRINCIPLES[4],
    PRINCIPLES[5],
    PRINCIPLES[6],
    PRINCIPLES[7],
    RuleId::BreachCap,
];

const G2_RULES: [RuleId; 16] = [
    RuleId::SafEvidenceCategoryConversion,
    RuleId::SafSeedFromRating,
    RuleId::SafKeyQuestionPercentage,
    RuleId::SafBands,
    RuleId::SafTiePolicy,
    RuleId::SafOutstandingLimiter,
    RuleId::SafGoodLimiter,
    RuleId::SafOverallByPrinciples,
    PRINCIPLES[0],
    PRINCIPLES[2],
    PRINCIPLES[3],
    PRINCIPLES[4],
    PRINCIPLES[5],
    PRINCIPLES[6],
    PRINCIPLES[7],
    RuleId::BreachCap,
];

const G3_RULES: [RuleId; 15] = [
    RuleId::SafSeedFromRating,
    RuleId::SafKeyQuestionPercentage,
    RuleId::SafBands,
    RuleId::SafTiePolicy,
    RuleId::SafOutstandingLimiter,
    RuleId::SafGoodLimiter,
    RuleId::SafOverallByPrinciples,
    PRINCIPLES[0],
    PRINCIPLES[2],
    PRINCIPLES[3],
    PRINCIPLES[4],
    PRINCIPLES[5],
    PRINCIPLES[6],
    PRINCIPLES[7],
    RuleId::BreachCap,
];

const G4_RULES: [RuleId; 9] = [
    RuleId::DraftJudgementLeaf,
    PRINCIPLES[0],
    PRINCIPLES[2],
    PRINCIPLES[3],
    PRINCIPLES[4],
    PRINCIPLES[5],
    PRINCIPLES[6],
    PRINCIPLES[7],
    RuleId::BreachCap,
];

pub const RULE_SETS: &[RuleSetInfo] = &[
    RuleSetInfo {
        id: RuleSetId::G1Kloe,
        name: "Legacy ratings principles (2014–2023)",
        period: "October 2014 to November 2023",
        key_question_method: "Inspectors rate each key question by professional judgement against the key lines of enquiry.",
        overall_method: "The ratings principles combine the key-question ratings into the overall rating.",
        source: "CQC, \"How we aggregate ratings using the rating principles\" (adult social care, NHS trusts, primary medical services)",
        rules: &G1_RULES,
    },
    RuleSetInfo {
        id: RuleSetId::G2SafEvidenceCategories,
        name: "Single assessment framework, evidence categories scored (Nov 2023 – Dec 2024)",
        period: "November 2023 to 1 December 2024",
        key_question_method: "Evidence categories are scored 1–4 and combined into quality-statement scores; statement scores give the key-question percentage and band.",
        overall_method: "The ratings principles over the five key-question ratings.",
        source: "CQC, \"How we reach a rating (for assessments before December 2024)\"",
        rules: &G2_RULES,
    },
    RuleSetInfo {
        id: RuleSetId::G3SafQualityStatements,
        name: "Single assessment framework, statements scored (from Dec 2024)",
        period: "from 2 December 2024",
        key_question_method: "Each quality statement is scored 1–4 by professional judgement; statement scores give the key-question percentage and band.",
        overall_method: "The ratings principles over the five key-question ratings.",
        source: "CQC, \"Update to our current scoring approach\" (19 May 2025)",
        rules: &G3_RULES,
    },
    RuleSetInfo {
        id: RuleSetId::G4Draft2026,
        name: "2026 draft sector frameworks (proposal)",
        period: "proposed for late 2026",
        key_question_method: "No scores: each key question is a judgement against published rating characteristics.",
        overall_method: "Assumed: the ratings principles over the five key-question ratings, if overall ratings are kept.",
        source: "CQC consultation \"Better regulation, better care\" (Oct–Dec 2025) and draft frameworks (Mar 2026)",
        rules: &G4_RULES,
    },
];

pub fn rule_set_info(id: RuleSetId) -> &'static RuleSetInfo {
    RULE_SETS
        .iter()
        .find(|s| s.id == id)
        .unwrap_or(&RULE_SETS[0])
}
