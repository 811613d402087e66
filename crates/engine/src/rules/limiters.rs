//! Key-question limiters that need facts the open data does not carry: an enforcement notice
//! against a key question (trusts and GP practices, spec §3.2 a and §11) and an adult social
//! care location without its registered manager (§3.2 b). CQC applies them; the explorer can
//! only apply them in a what-if, where the user says the fact is true.

use super::catalogue::RuleId;
use super::params::{REGISTERED_MANAGER_CAP, REQUIREMENT_NOTICE_CAP, WARNING_NOTICE_CAP};
use crate::model::{KeyQuestion, Rating};
use serde::{Deserialize, Serialize};

/// A fact that limits one key question's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LimiterKind {
    /// A breach of a regulation with a Requirement Notice: "requires improvement at best".
    RequirementNotice,
    /// A breach with enforcement action (a Warning Notice, a condition): "normally inadequate".
    WarningNotice,
    /// A registration condition to have a registered manager, none in post and no satisfactory
    /// recruitment under way: Well-led at best requires improvement.
    NoRegisteredManager,
}

impl LimiterKind {
    pub const ALL: [LimiterKind; 3] = [
        LimiterKind::RequirementNotice,
        LimiterKind::WarningNotice,
        LimiterKind::NoRegisteredManager,
    ];

    /// The best rating the limited key question can have (its home is `params`).
    pub fn cap(self) -> Rating {
        match self {
            LimiterKind::RequirementNotice => REQUIREMENT_NOTICE_CAP,
            LimiterKind::WarningNotice => WARNING_NOTICE_CAP,
            LimiterKind::NoRegisteredManager => REGISTERED_MANAGER_CAP,
        }
    }

    /// The rule recorded when it lowers a rating.
    pub fn rule(self) -> RuleId {
        match self {
            LimiterKind::RequirementNotice => RuleId::RequirementNoticeLimiter,
            LimiterKind::WarningNotice => RuleId::WarningNoticeLimiter,
            LimiterKind::NoRegisteredManager => RuleId::RegisteredManagerLimiter,
        }
    }

    /// The only key question it can apply to, if it is tied to one.
    pub fn only_for(self) -> Option<KeyQuestion> {
        match self {
            LimiterKind::NoRegisteredManager => Some(KeyQuestion::WellLed),
            LimiterKind::RequirementNotice | LimiterKind::WarningNotice => None,
        }
    }

    /// Its short name in links (`limit=safe.rn`).
    pub fn slug(self) -> &'static str {
        match self {
            LimiterKind::RequirementNotice => "rn",
            LimiterKind::WarningNotice => "wn",
            LimiterKind::NoRegisteredManager => "rm",
        }
    }

    pub fn from_slug(slug: &str) -> Option<LimiterKind> {
        LimiterKind::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// One limiter on one key question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Limiter {
    pub key_question: KeyQuestion,
    pub kind: LimiterKind,
}

impl Limiter {
    /// `None` when the kind cannot apply to that key question (a registered manager limits
    /// Well-led only).
    pub fn new(key_question: KeyQuestion, kind: LimiterKind) -> Option<Limiter> {
        match kind.only_for() {
            Some(only) if only != key_question => None,
            _ => Some(Limiter { key_question, kind }),
        }
    }
}

/// The strictest limiter on `key_question` among `limiters`, with the best rating it allows.
pub fn strictest(limiters: &[Limiter], key_question: KeyQuestion) -> Option<(LimiterKind, Rating)> {
    limiters
        .iter()
        .filter(|l| l.key_question == key_question)
        .map(|l| (l.kind, l.kind.cap()))
        .min_by_key(|(_, cap)| *cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strictest_limiter_wins_and_a_manager_limits_well_led_only() {
        let safe_rn = Limiter::new(KeyQuestion::Safe, LimiterKind::RequirementNotice);
        let safe_wn = Limiter::new(KeyQuestion::Safe, LimiterKind::WarningNotice);
        let limiters: Vec<Limiter> = [safe_rn, safe_wn].into_iter().flatten().collect();
        assert_eq!(
            strictest(&limiters, KeyQuestion::Safe),
            Some((LimiterKind::WarningNotice, Rating::Inadequate))
        );
        assert_eq!(strictest(&limiters, KeyQuestion::Caring), None);
        assert_eq!(
            Limiter::new(KeyQuestion::Safe, LimiterKind::NoRegisteredManager),
            None
        );
        assert!(Limiter::new(KeyQuestion::WellLed, LimiterKind::NoRegisteredManager).is_some());
        for kind in LimiterKind::ALL {
            assert_eq!(LimiterKind::from_slug(kind.slug()), Some(kind));
        }
    }
}
