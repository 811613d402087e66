//! CQC's rating rules for every methodology generation, as code plus data.
//!
//! `rate` takes the evidence for one location under one rule set and returns the rating with its
//! full explanation. The numbers live in `params`, the rule texts in `catalogue`; nothing here
//! knows about files or the browser.

pub mod aggregate;
pub mod catalogue;
mod engine;
pub mod evidence;
pub mod params;
pub mod saf;
mod sets;

pub use aggregate::{aggregate, Aggregation, Counts};
pub use catalogue::{rule_info, Rule, RuleId, RuleStatus, RULES};
pub use engine::{rate, rate_outcome, RateError};
pub use evidence::{Evidence, KqEvidence};
pub use params::{AggregationBand, PercentageBand, RuleParams, TiePolicy};
pub use saf::KqScore;
pub use sets::{rule_set_info, RuleSetId, RuleSetInfo, RULE_SETS};
