//! The ratings principles: n underlying ratings → one aggregated rating (spec §3.3, §3.4).
//! Used for the overall rating from five key questions, for a key question across core
//! services, for a population group from Effective and Responsive, and under SAF for the
//! overall rating.

use super::catalogue::RuleId;
use super::params::{AggregationBand, RuleParams, BREACH_CAP};
use crate::model::Rating;
use serde::Serialize;

/// How many underlying ratings are at each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Counts {
    pub outstanding: u32,
    pub good: u32,
    pub requires_improvement: u32,
    pub inadequate: u32,
}

impl Counts {
    pub fn of(ratings: &[Rating]) -> Counts {
        let mut counts = Counts::default();
        for r in ratings {
            match r {
                Rating::Outstanding => counts.outstanding += 1,
                Rating::Good => counts.good += 1,
                Rating::RequiresImprovement => counts.requires_improvement += 1,
                Rating::Inadequate => counts.inadequate += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> u32 {
        self.outstanding + self.good + self.requires_improvement + self.inadequate
    }

    pub fn of_level(&self, rating: Rating) -> u32 {
        match rating {
            Rating::Outstanding => self.outstanding,
            Rating::Good => self.good,
            Rating::RequiresImprovement => self.requires_improvement,
            Rating::Inadequate => self.inadequate,
        }
    }
}

/// The result of one aggregation, with the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aggregation {
    pub rating: Rating,
    pub rule: RuleId,
    pub counts: Counts,
    pub band: AggregationBand,
    /// True when both the inadequate and RI thresholds were met (precedence decided).
    pub precedence_applied: bool,
}

/// Aggregates rated inputs by the ratings principles. `None` when there are no rated inputs:
/// an empty aggregation has no rating, it is not "good".
pub fn aggregate(inputs: &[Rating], params: &RuleParams) -> Option<Aggregation> {
    let counts = Counts::of(inputs);
    let n = counts.total();
    if n == 0 {
        return None;
    }
    let band = params.band_for(n);
    let inadequate_met = counts.inadequate >= band.inadequate_at_least;
    let ri_met = counts.requires_improvement >= band.ri_at_least;
    let (rating, rule) = if inadequate_met {
        (Rating::Inadequate, RuleId::InadequateThreshold)
    } else if ri_met {
        (
            Rating::RequiresImprovement,
            RuleId::RequiresImprovementThreshold,
        )
    } else if counts.inadequate == 0
        && counts.requires_improvement == 0
        && counts.outstanding >= band.outstanding_at_least
    {
        (Rating::Outstanding, RuleId::OutstandingThreshold)
    } else if counts.inadequate == 0 {
        (Rating::Good, RuleId::GoodDefault)
    } else {
        (
            Rating::RequiresImprovement,
            RuleId::SingleInadequateFallback,
        )
    };
    Some(Aggregation {
        rating,
        rule,
        counts,
        band,
        precedence_applied: inadequate_met && ri_met,
    })
}

/// Principle 1: a breach of regulations caps the overall rating. The capped rating, or `None`
/// when the cap does not change it.
pub fn breach_cap(rating: Rating, breach: bool) -> Option<Rating> {
    (breach && rating > BREACH_CAP).then_some(BREACH_CAP)
}

/// The overall rating from the rated key questions: the ratings principles, then the breach
/// cap. What [`crate::rules::rate`] gives as `overall` for these key-question ratings.
pub fn overall_rating(
    key_questions: &[Rating],
    breach: bool,
    params: &RuleParams,
) -> Option<Rating> {
    let rating = aggregate(key_questions, params)?.rating;
    Some(breach_cap(rating, breach).unwrap_or(rating))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Rating::*;

    fn agg(inputs: &[Rating]) -> (Rating, RuleId) {
        let a = aggregate(inputs, &RuleParams::default()).expect("rated inputs");
        (a.rating, a.rule)
    }

    #[test]
    fn empty_has_no_rating() {
        assert!(aggregate(&[], &RuleParams::default()).is_none());
    }

    #[test]
    fn single_input_is_itself() {
        for r in Rating::ALL {
            assert_eq!(agg(&[r]).0, r);
        }
    }

    #[test]
    fn population_group_pairs() {
        // L-7: E = O, R = G → Outstanding (n = 2, X = 1)
        assert_eq!(agg(&[Outstanding, Good]).0, Outstanding);
        assert_eq!(agg(&[Good, RequiresImprovement]).0, RequiresImprovement);
        assert_eq!(agg(&[Outstanding, Inadequate]).0, Inadequate);
    }
}
