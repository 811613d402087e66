//! A what-if scenario as URL query text, so a scenario link shows exactly the same scenario:
//! `rs=g1&kq=safe.good,well-led.ri&qs=7.3,8.2&breach=1&limit=safe.rn,well-led.rm&tie=strict`.

use crate::model::{KeyQuestion, Rating};
use crate::rules::{Limiter, LimiterKind, RuleParams, RuleSetId, TiePolicy};
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
        limit: Option<&str>,
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
                (crate::model::quality_statement(id).is_some()
                    && crate::rules::params::is_valid_score(score))
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
        for part in limit.unwrap_or("").split(',').filter(|p| !p.is_empty()) {
            let parsed = part.split_once('.').and_then(|(k, kind)| {
                Limiter::new(KeyQuestion::from_slug(k)?, LimiterKind::from_slug(kind)?)
            });
            match parsed {
                Some(limiter) => edits.push(Edit::Limiter {
                    limiter,
                    applies: true,
                }),
                None => rejected.push(format!("limit={part}")),
            }
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

    /// Reads a whole query string (`rs=g1&kq=safe.good`, with or without the leading `?`);
    /// unknown keys are ignored, as a shared link may carry the search page's own keys.
    pub fn from_query(query: &str) -> (Scenario, Vec<String>) {
        let mut values: [Option<&str>; 6] = [None; 6];
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let slot = match key {
                "rs" => 0,
                "kq" => 1,
                "qs" => 2,
                "breach" => 3,
                "limit" => 4,
                "tie" => 5,
                _ => continue,
            };
            values[slot] = Some(value);
        }
        Scenario::parse(
            values[0], values[1], values[2], values[3], values[4], values[5],
        )
    }

    /// The query string for this scenario (without the leading `?`).
    pub fn to_query(&self) -> String {
        let mut kq = Vec::new();
        let mut qs = Vec::new();
        let mut breach = false;
        let mut limits = Vec::new();
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
                Edit::Limiter { limiter, applies } => {
                    limits.retain(|l| l != limiter);
                    if *applies {
                        limits.push(*limiter);
                    }
                }
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
        if !limits.is_empty() {
            let limits: Vec<String> = limits
                .iter()
                .map(|l| format!("{}.{}", l.key_question.slug(), l.kind.slug()))
                .collect();
            parts.push(format!("limit={}", limits.join(",")));
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
        (Edit::Limiter { limiter: x, .. }, Edit::Limiter { limiter: y, .. }) => x == y,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_survives_its_own_link() {
        let scenario = Scenario {
            rule_set: Some(RuleSetId::G3SafQualityStatements),
            edits: vec![
                Edit::KqRating {
                    key_question: KeyQuestion::Safe,
                    rating: Some(Rating::Good),
                },
                Edit::StatementScore { id: 7, score: 3 },
                Edit::Breach(true),
                Edit::Limiter {
                    limiter: Limiter {
                        key_question: KeyQuestion::Safe,
                        kind: LimiterKind::RequirementNotice,
                    },
                    applies: true,
                },
            ],
            tie: Some(TiePolicy::StrictBands),
        };
        let (back, rejected) = Scenario::from_query(&format!("?{}", scenario.to_query()));
        assert_eq!(back, scenario);
        assert!(rejected.is_empty());
    }

    #[test]
    fn a_limiter_in_a_link_is_read_and_one_that_cannot_apply_is_rejected() {
        let (scenario, rejected) =
            Scenario::from_query("limit=well-led.rm,safe.wn,safe.rm,caring.xx");
        assert_eq!(rejected, vec!["limit=safe.rm", "limit=caring.xx"]);
        assert_eq!(scenario.to_query(), "limit=well-led.rm,safe.wn");
    }

    #[test]
    fn unreadable_parts_are_reported_not_guessed() {
        let (scenario, rejected) =
            Scenario::from_query("rs=g9&kq=safe.great,caring.good&qs=99.3,7.5,8.2&q=x");
        assert_eq!(scenario.rule_set, None);
        assert_eq!(scenario.edits.len(), 2);
        assert_eq!(rejected, vec!["safe.great", "99.3", "7.5", "rs=g9"]);
    }
}
