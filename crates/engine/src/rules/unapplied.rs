//! The rules CQC applies that need facts its open data does not carry (a breach of
//! regulations, enforcement notices, registration limiters): the explorer does not apply them
//! to the published data, and says so on the methodology page, each with the fact it lacks and
//! the what-if switch that applies it, where one fits.

use super::catalogue::{rule_info, RuleId, RuleStatus};
use super::params::RuleParams;

/// Where a rule's words live: in the catalogue (a rule the engine can fire in a what-if), or
/// here (a rule the engine has no switch for).
#[derive(Debug, Clone, Copy)]
pub enum Described {
    Catalogued(RuleId),
    Here {
        code: &'static str,
        title: &'static str,
        statement: &'static str,
        status: RuleStatus,
        source: &'static str,
        spec_ref: &'static str,
    },
}

/// One rule not applied to the published data.
#[derive(Debug, Clone, Copy)]
pub struct NotApplied {
    pub rule: Described,
    /// The fact the open data does not carry.
    pub missing: &'static str,
    /// The what-if switch that applies it, in words, if there is one.
    pub what_if: Option<&'static str>,
}

/// A not-applied rule's texts, filled from the parameters.
#[derive(Debug, Clone)]
pub struct NotAppliedText {
    pub code: &'static str,
    pub title: String,
    pub statement: String,
    pub status: RuleStatus,
    pub source: &'static str,
    pub spec_ref: &'static str,
    pub missing: &'static str,
    pub what_if: Option<&'static str>,
}

impl NotApplied {
    pub fn text(&self, params: &RuleParams) -> NotAppliedText {
        let (code, title, statement, status, source, spec_ref) = match self.rule {
            Described::Catalogued(id) => {
                let r = rule_info(id);
                (
                    r.code,
                    r.title_text(params),
                    r.statement_text(params),
                    r.status,
                    r.source,
                    r.spec_ref,
                )
            }
            Described::Here {
                code,
                title,
                statement,
                status,
                source,
                spec_ref,
            } => (
                code,
                title.to_string(),
                super::catalogue::fill(statement, params),
                status,
                source,
                spec_ref,
            ),
        };
        NotAppliedText {
            code,
            title,
            statement,
            status,
            source,
            spec_ref,
            missing: self.missing,
            what_if: self.what_if,
        }
    }
}

/// Every rule of the spec not applied to the published data, for want of a fact.
pub const NOT_APPLIED: &[NotApplied] = &[
    NotApplied {
        rule: Described::Catalogued(RuleId::BreachCap),
        missing: "whether CQC found a breach of regulations",
        what_if: Some("the what-if's \"A breach of regulations\" (breach=1 in the link)"),
    },
    NotApplied {
        rule: Described::Catalogued(RuleId::RequirementNoticeLimiter),
        missing: "which regulation was breached and whether a Requirement Notice was issued",
        what_if: Some("the what-if's \"A Requirement Notice against …\" for each key question (limit=safe.rn)"),
    },
    NotApplied {
        rule: Described::Catalogued(RuleId::WarningNoticeLimiter),
        missing: "whether a Warning Notice was served or a condition imposed, and for which key question",
        what_if: Some("the what-if's \"A Warning Notice or other enforcement action against …\" (limit=safe.wn)"),
    },
    NotApplied {
        rule: Described::Catalogued(RuleId::RegisteredManagerLimiter),
        missing: "whether a registered manager is in post or being recruited (the ratings data names no one)",
        what_if: Some("the what-if's \"No registered manager where one is required\" (limit=well-led.rm)"),
    },
    NotApplied {
        rule: Described::Here {
            code: "L-ASC-COND",
            title: "An unmet registration condition limits Well-led",
            statement: "Any other condition of registration not met without good reason limits Well-led to {registered_manager_cap} at best.",
            status: RuleStatus::Unconfirmed,
            source: "Secondary source (Ridouts)",
            spec_ref: "§3.2",
        },
        missing: "the location's registration conditions and whether each is met",
        what_if: Some("set Well-led to requires improvement in the what-if"),
    },
    NotApplied {
        rule: Described::Here {
            code: "L-ASC-NOTIF",
            title: "Missing statutory notifications limit Well-led",
            statement: "Statutory notifications not sent without good reason limit Well-led to {registered_manager_cap} at best.",
            status: RuleStatus::Unconfirmed,
            source: "Secondary source (Ridouts)",
            spec_ref: "§3.2",
        },
        missing: "whether the provider sent the notifications it had to",
        what_if: Some("set Well-led to requires improvement in the what-if"),
    },
    NotApplied {
        rule: Described::Here {
            code: "L-ASC-PIR",
            title: "An unreturned Provider Information Return limits Well-led",
            statement: "A Provider Information Return not returned when requested limits Well-led to {registered_manager_cap} at best.",
            status: RuleStatus::Unconfirmed,
            source: "Secondary source (Ridouts)",
            spec_ref: "§3.2",
        },
        missing: "whether CQC asked for a Provider Information Return and got it",
        what_if: Some("set Well-led to requires improvement in the what-if"),
    },
    NotApplied {
        rule: Described::Here {
            code: "L-CONSIST",
            title: "Improvement must be sustained",
            statement: "CQC may keep a key question's rating from rising until good practice has been consistent over time.",
            status: RuleStatus::Inferred,
            source: "A CQC report (New Park House, May 2018)",
            spec_ref: "§3.2",
        },
        missing: "the inspectors' view of how long the improvement has lasted",
        what_if: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_not_applied_rule_says_what_is_missing_and_is_filled() {
        let p = RuleParams::default();
        let mut codes = Vec::new();
        for rule in NOT_APPLIED {
            let text = rule.text(&p);
            assert!(!text.statement.contains('{'), "{}", text.statement);
            assert!(!text.missing.is_empty(), "{}", text.code);
            codes.push(text.code);
        }
        let n = codes.len();
        crate::order::sort(&mut codes);
        codes.dedup();
        assert_eq!(codes.len(), n, "a code is listed twice");
        // Every limiter the engine can apply in a what-if is listed here with its switch.
        for kind in super::super::limiters::LimiterKind::ALL {
            assert!(NOT_APPLIED.iter().any(|r| matches!(
                r.rule,
                Described::Catalogued(id) if id == kind.rule()
            ) && r.what_if.is_some()));
        }
    }
}
