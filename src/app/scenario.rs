//! A what-if scenario as URL query text, so a scenario link shows exactly the same scenario:
//! `rs=g1&kq=safe.good,well-led.ri&qs=7.3,8.2&breach=1&tie=strict`.

use crate::model::{KeyQuestion, Rating};
use crate::rules::{RuleParams, RuleSetId, TiePolicy};
use crate::whatif::Edit;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    pub rule_set: Option<RuleSetId>,
    pub edits: Vec<Edit>,
    pub tie: Option<TiePolicy>,
}

impl Scenario {
    /// Reads the query values; anything unreadable is ignored (never a panic), and reported in
    /// `rejected` so the page can say which part of the link it could not use.
    pub fn parse(
        rs: Option<&str>,
        kq: Option<&str>,
        qs: Option<&str>,
        breach: Option<&str>,
        tie: Option<&str>,
    ) -> (Scenario, Vec<String>) {
        let mut rejected = Vec::new();
        let mut edits = Vec::new();
        for part in kq.unwrap_or("").split(',').filter(|p| !p.is_empty()) {
            let parsed = part.split_once('.').and_then(|(k, r)| {
                let key_question = KeyQuestion::from_slug(k)?;
                let rating = if r == "none" {
                    None
                } else {
                    Some(Rating::from_slug(r)?)
                };
                Some(Edit::KqRating {
                    key_question,
                    rating,
                })
            });
            match parsed {
                Some(e) => edits.push(e),
                None => rejected.push(part.to_string()),
            }
        }
        for part in qs.unwrap_or("").split(',').filter(|p| !p.is_empty()) {
            let parsed = part.split_once('.').and_then(|(id, score)| {
                let id: u8 = id.parse().ok()?;
                let score: u8 = score.parse().ok()?;
                (crate::model::quality_statement(id).is_some() && (1..=4).contains(&score))
                    .then_some(Edit::StatementScore { id, score })
            });
            match parsed {
                Some(e) => edits.push(e),
                None => rejected.push(part.to_string()),
            }
        }
        match breach {
            Some("1") => edits.push(Edit::Breach(true)),
            Some("0") | None => {}
            Some(other) => rejected.push(format!("breach={other}")),
        }
        let rule_set = rs.and_then(|s| {
            let parsed = RuleSetId::from_slug(s);
            if parsed.is_none() {
                rejected.push(format!("rs={s}"));
            }
            parsed
        });
        let tie = tie.and_then(|t| {
            let parsed = TiePolicy::from_slug(t);
            if parsed.is_none() {
                rejected.push(format!("tie={t}"));
            }
            parsed
        });
        (
            Scenario {
                rule_set,
                edits,
                tie,
            },
            rejected,
        )
    }

    /// The query string for this scenario (without the leading `?`).
    pub fn to_query(&self) -> String {
        let mut kq = Vec::new();
        let mut qs = Vec::new();
        let mut breach = false;
        for e in &self.edits {
            match e {
                Edit::KqRating {
                    key_question,
                    rating,
                } => kq.push(format!(
                    "{}.{}",
                    key_question.slug(),
                    rating.map(|r| r.slug()).unwrap_or("none")
                )),
                Edit::StatementScore { id, score } => qs.push(format!("{id}.{score}")),
                Edit::Breach(b) => breach = *b,
                Edit::KqDate { .. } => {}
            }
        }
        let mut parts = Vec::new();
        if let Some(rs) = self.rule_set {
            parts.push(format!("rs={}", rs.slug()));
        }
        if !kq.is_empty() {
            parts.push(format!("kq={}", kq.join(",")));
        }
        if !qs.is_empty() {
            parts.push(format!("qs={}", qs.join(",")));
        }
        if breach {
            parts.push("breach=1".into());
        }
        if let Some(t) = self.tie {
            parts.push(format!("tie={}", t.slug()));
        }
        parts.join("&")
    }

    /// Replaces any earlier edit of the same input with `edit`.
    pub fn with_edit(&self, edit: Edit) -> Scenario {
        let mut next = self.clone();
        next.edits.retain(|e| !same_input(e, &edit));
        next.edits.push(edit);
        next
    }

    pub fn without_edits(&self) -> Scenario {
        Scenario {
            edits: Vec::new(),
            ..self.clone()
        }
    }

    pub fn params(&self) -> RuleParams {
        RuleParams {
            tie_policy: self.tie.unwrap_or(TiePolicy::RoundHalfUp),
            ..RuleParams::default()
        }
    }
}

fn same_input(a: &Edit, b: &Edit) -> bool {
    match (a, b) {
        (
            Edit::KqRating {
                key_question: x, ..
            },
            Edit::KqRating {
                key_question: y, ..
            },
        ) => x == y,
        (Edit::StatementScore { id: x, .. }, Edit::StatementScore { id: y, .. }) => x == y,
        (Edit::Breach(_), Edit::Breach(_)) => true,
        (
            Edit::KqDate {
                key_question: x, ..
            },
            Edit::KqDate {
                key_question: y, ..
            },
        ) => x == y,
        _ => false,
    }
}
