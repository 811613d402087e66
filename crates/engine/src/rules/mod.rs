//! CQC's rating rules for every methodology generation, as code plus data.
//!
//! `rate` takes the evidence for one location under one rule set and returns the rating with its
//! full explanation: typed facts, no words (`explain::narrative` writes those). Every number of
//! the rules lives in `params`, the rule texts (templates filled from `params`) in `catalogue`,
//! the methodology generations and their start dates in `sets`; nothing here knows about files,
//! the browser or the narrative.

pub mod age;
pub mod aggregate;
pub mod catalogue;
mod engine;
pub mod evidence;
pub mod limiters;
mod memo;
pub mod params;
pub mod result;
pub mod saf;
mod sets;
pub mod unapplied;

pub use age::{evidence_age, AgeSlice, EvidenceAge, WeightedDate};
pub use aggregate::{aggregate, breach_cap, overall_rating, Aggregation, Counts};
pub use catalogue::{fill, rule_info, rule_texts, Rule, RuleId, RuleStatus, RuleText, RULES};
pub use engine::{rate, rate_outcome, rate_verdict, RateError};
pub use evidence::{Evidence, KqEvidence};
pub use limiters::{Limiter, LimiterKind};
pub use memo::VerdictMemo;
pub use params::{
    AggregationBand, PercentageBand, RuleParams, TiePolicy, BREACH_CAP, MAX_SCORE, MIN_SCORE,
};
pub use result::{
    Exclusion, Explanation, Fact, KqResult, KqResults, Scope, StatementResult, Step, Warning,
};
pub use saf::KqScore;
pub use sets::{
    rule_set_in_force, rule_set_in_force_for_overall, rule_set_info, KeyQuestionMethod, RuleSetId,
    RuleSetInfo, RULE_SETS,
};
