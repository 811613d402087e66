//! The numbers behind the rules: the score scale, thresholds by number of ratings, SAF
//! percentage bands, the tie policy, limiter triggers, seed scores and the breach cap. Each is
//! data with its status, so a rule that is not confirmed can be changed (and is shown as
//! provisional) without touching code; the rule texts are templates filled from these
//! (`catalogue::fill`), so the methodology page always says what the engine does. The era start
//! dates are data too, in the rule-set records (`sets::RULE_SETS`).

use super::catalogue::RuleStatus;
use crate::model::Rating;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The lowest score a quality statement or evidence category can have.
pub const MIN_SCORE: u8 = 1;
/// The highest score a quality statement or evidence category can have: a key question's
/// maximum points are this for each statement.
pub const MAX_SCORE: u8 = 4;

/// Whether `score` is on the SAF scale.
pub fn is_valid_score(score: u8) -> bool {
    (MIN_SCORE..=MAX_SCORE).contains(&score)
}

/// The most points `statements` scores can reach.
pub fn max_points(statements: usize) -> u32 {
    u32::from(MAX_SCORE) * statements as u32
}

/// The best overall rating a location with a breach of regulations can have (principle 1).
pub const BREACH_CAP: Rating = Rating::RequiresImprovement;

/// The best rating a key question can have with a Requirement Notice against it (spec §3.2 a:
/// "normally limited to 'requires improvement' at best").
pub const REQUIREMENT_NOTICE_CAP: Rating = Rating::RequiresImprovement;

/// The rating a key question "will normally" have with a Warning Notice or other enforcement
/// action against it (spec §3.2 a).
pub const WARNING_NOTICE_CAP: Rating = Rating::Inadequate;

/// The best Well-led rating of an adult social care location required to have a registered
/// manager and without one (spec §3.2 b, secondary source).
pub const REGISTERED_MANAGER_CAP: Rating = Rating::RequiresImprovement;

/// The aggregation thresholds for a range of n underlying ratings (spec §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregationBand {
    pub min_n: u32,
    /// `None`: no upper bound.
    pub max_n: Option<u32>,
    /// Outstanding when at least this many are outstanding and the rest good.
    pub outstanding_at_least: u32,
    /// Requires improvement when at least this many are RI.
    pub ri_at_least: u32,
    /// Inadequate when at least this many are inadequate.
    pub inadequate_at_least: u32,
    /// The outstanding column is CQC's published table; the RI and inadequate columns are
    /// confirmed only where the adult social care principles state them (n = 5).
    pub ri_and_inadequate_status: RuleStatus,
}

impl AggregationBand {
    pub fn contains(&self, n: u32) -> bool {
        n >= self.min_n && self.max_n.is_none_or(|max| n <= max)
    }
}

/// How a key-question percentage that lands exactly on a band edge is rated (spec §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TiePolicy {
    /// Round the percentage to a whole number, halves up, then read the band (62.5 → 63: good).
    RoundHalfUp,
    /// Compare the exact percentage with the band edges (62.5 < 63: requires improvement).
    StrictBands,
    /// Round halves to the even whole number (62.5 → 62: RI; 87.5 → 88: outstanding).
    RoundHalfEven,
}

impl TiePolicy {
    pub const ALL: [TiePolicy; 3] = [
        TiePolicy::RoundHalfUp,
        TiePolicy::StrictBands,
        TiePolicy::RoundHalfEven,
    ];

    pub fn label(self) -> &'static str {
        match self {
            TiePolicy::RoundHalfUp => "round half up",
            TiePolicy::StrictBands => "strict bands",
            TiePolicy::RoundHalfEven => "round half to even",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            TiePolicy::RoundHalfUp => "half-up",
            TiePolicy::StrictBands => "strict",
            TiePolicy::RoundHalfEven => "half-even",
        }
    }

    pub fn from_slug(slug: &str) -> Option<TiePolicy> {
        TiePolicy::ALL.into_iter().find(|t| t.slug() == slug)
    }

    /// The value compared with the band edges, for a percentage given as an exact fraction
    /// `points / max_points` (kept exact so that 62.5 % is never 62.4999…).
    pub fn banded_value(self, points: u32, max_points: u32) -> f64 {
        if max_points == 0 {
            return 0.0;
        }
        let hundredths = points as u64 * 100;
        let whole = hundredths / max_points as u64;
        let remainder = hundredths % max_points as u64;
        let twice = remainder * 2;
        match self {
            TiePolicy::StrictBands => hundredths as f64 / max_points as f64,
            TiePolicy::RoundHalfUp => (whole + u64::from(twice >= max_points as u64)) as f64,
            TiePolicy::RoundHalfEven => {
                let up =
                    twice > max_points as u64 || (twice == max_points as u64 && whole % 2 == 1);
                (whole + u64::from(up)) as f64
            }
        }
    }
}

/// The lower edge of each SAF percentage band (spec §4.5), best band first.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PercentageBand {
    pub rating: Rating,
    pub from_percent: u32,
    pub to_percent: u32,
}

/// Every parameter of every rule set. `RuleParams::default()` is the explorer's best reading of
/// CQC's rules; the what-if can switch the provisional ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleParams {
    pub aggregation_bands: Vec<AggregationBand>,
    pub percentage_bands: Vec<PercentageBand>,
    pub tie_policy: TiePolicy,
    /// SL-1: an outstanding key question with a statement scored at or below this is good.
    pub outstanding_limiter_max_score: u8,
    /// SL-2: a good key question with a statement scored at or below this is RI.
    pub good_limiter_max_score: u8,
    /// Whether the SAF limiters are applied at all.
    pub apply_limiters: bool,
}

impl Default for RuleParams {
    fn default() -> Self {
        RuleParams {
            aggregation_bands: vec![
                AggregationBand {
                    min_n: 1,
                    max_n: Some(3),
                    outstanding_at_least: 1,
                    ri_at_least: 1,
                    inadequate_at_least: 1,
                    ri_and_inadequate_status: RuleStatus::Inferred,
                },
                AggregationBand {
                    min_n: 4,
                    max_n: Some(8),
                    outstanding_at_least: 2,
                    ri_at_least: 2,
                    inadequate_at_least: 2,
                    ri_and_inadequate_status: RuleStatus::Empirical,
                },
                AggregationBand {
                    min_n: 9,
                    max_n: None,
                    outstanding_at_least: 3,
                    ri_at_least: 3,
                    inadequate_at_least: 3,
                    ri_and_inadequate_status: RuleStatus::Inferred,
                },
            ],
            percentage_bands: vec![
                PercentageBand {
                    rating: Rating::Outstanding,
                    from_percent: 88,
                    to_percent: 100,
                },
                PercentageBand {
                    rating: Rating::Good,
                    from_percent: 63,
                    to_percent: 87,
                },
                PercentageBand {
                    rating: Rating::RequiresImprovement,
                    from_percent: 39,
                    to_percent: 62,
                },
                PercentageBand {
                    rating: Rating::Inadequate,
                    from_percent: 25,
                    to_percent: 38,
                },
            ],
            tie_policy: TiePolicy::RoundHalfUp,
            outstanding_limiter_max_score: 2,
            good_limiter_max_score: 1,
            apply_limiters: true,
        }
    }
}

impl RuleParams {
    /// The thresholds for n underlying ratings. Falls back to the last band, so every n ≥ 1
    /// has one even if the table was edited with a gap.
    pub fn band_for(&self, n: u32) -> AggregationBand {
        self.aggregation_bands
            .iter()
            .find(|b| b.contains(n))
            .or(self.aggregation_bands.last())
            .copied()
            .unwrap_or(AggregationBand {
                min_n: 1,
                max_n: None,
                outstanding_at_least: 1,
                ri_at_least: 1,
                inadequate_at_least: 1,
                ri_and_inadequate_status: RuleStatus::Unconfirmed,
            })
    }

    /// The rating whose band holds `value` (a percentage as the tie policy reads it).
    pub fn rating_for_percentage(&self, value: f64) -> Rating {
        self.percentage_bands
            .iter()
            .find(|b| value >= b.from_percent as f64)
            .map(|b| b.rating)
            .unwrap_or(Rating::Inadequate)
    }
}

/// The statement score that matches a rating (spec §4.7, unconfirmed mapping): a statement not
/// yet assessed is seeded with it from the key question's previous rating, and an
/// evidence-category percentage is turned back into a statement score through it (spec §4.4).
pub fn seed_score(rating: Rating) -> u8 {
    match rating {
        Rating::Outstanding => MAX_SCORE,
        Rating::Good => 3,
        Rating::RequiresImprovement => 2,
        Rating::Inadequate => MIN_SCORE,
    }
}

/// When CQC is expected to inspect a location again after a rating: one row per expectation,
/// each with where it is stated, so the re-inspection clock (`story::clock`) never says "past
/// target" without a source the reader can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReinspectionExpectation {
    /// A short stable name for URLs, exports and tests ("asc-ri-12-months").
    pub id: Cow<'static, str>,
    /// The broad sector it applies to, as `audit::sector_of` names them; `None`: every sector.
    pub sector: Option<Cow<'static, str>>,
    /// The current overall ratings it applies to.
    pub ratings: Cow<'static, [Rating]>,
    /// The shortest interval stated, in calendar months (a cycle "of 3 to 5 years" gives 36);
    /// equal to `within_months` for a single target.
    pub earliest_months: u32,
    /// The interval after which the location is past the expectation, in calendar months.
    pub within_months: u32,
    /// What the source says, in a sentence a reader can check against it.
    pub source: Cow<'static, str>,
    /// Where it says so; `None` where the explorer has no stable address for it (the text names
    /// the publication instead).
    pub source_url: Option<Cow<'static, str>>,
    /// A proposal, not yet CQC's stated practice.
    pub provisional: bool,
}

/// The consultation's proposed routine cycle, for every sector and rating (Bevan Brittan's
/// analysis of "Better regulation, better care", algorithm spec §2025–26 reform, item 6).
const ROUTINE_CYCLE_SOURCE: &str = "CQC's 2025 consultation \"Better regulation, better care\" proposed routine planned inspections covering all five key questions on a 3 to 5-year cycle, by type of service (not yet decided per type)";
const ROUTINE_CYCLE_URL: &str = "https://www.bevanbrittan.com/insights/articles/2025/cqc-better-regulation-consultation-inspection-frequency-reports-and-provider-relationships";
/// CQC's former adult social care targets, as reported with the BBC's analysis of CQC's October
/// 2025 data (algorithm spec, "Re-inspection expectations").
const ASC_TARGET_SOURCE: &str = "CQC's former adult social care targets, as reported by the BBC (analysis of CQC's October 2025 data): re-inspect a service rated Inadequate within 6 months and one rated Requires improvement within 12 months";

/// Every re-inspection expectation the explorer knows, most specific first: the clock takes the
/// first row that matches a location's sector and current overall rating.
pub const REINSPECTION_EXPECTATIONS: &[ReinspectionExpectation] = &[
    ReinspectionExpectation {
        id: Cow::Borrowed("asc-inadequate-6-months"),
        sector: Some(Cow::Borrowed("Adult social care")),
        ratings: Cow::Borrowed(&[Rating::Inadequate]),
        earliest_months: 6,
        within_months: 6,
        source: Cow::Borrowed(ASC_TARGET_SOURCE),
        source_url: None,
        provisional: false,
    },
    ReinspectionExpectation {
        id: Cow::Borrowed("asc-ri-12-months"),
        sector: Some(Cow::Borrowed("Adult social care")),
        ratings: Cow::Borrowed(&[Rating::RequiresImprovement]),
        earliest_months: 12,
        within_months: 12,
        source: Cow::Borrowed(ASC_TARGET_SOURCE),
        source_url: None,
        provisional: false,
    },
    ReinspectionExpectation {
        id: Cow::Borrowed("routine-3-to-5-years"),
        sector: None,
        ratings: Cow::Borrowed(&Rating::ALL),
        earliest_months: 36,
        within_months: 60,
        source: Cow::Borrowed(ROUTINE_CYCLE_SOURCE),
        source_url: Some(Cow::Borrowed(ROUTINE_CYCLE_URL)),
        provisional: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tie_policies_differ_only_on_band_edges() {
        // 20 of 32 = 62.5 %
        assert_eq!(TiePolicy::RoundHalfUp.banded_value(20, 32), 63.0);
        assert_eq!(TiePolicy::StrictBands.banded_value(20, 32), 62.5);
        assert_eq!(TiePolicy::RoundHalfEven.banded_value(20, 32), 62.0);
        // 28 of 32 = 87.5 %
        assert_eq!(TiePolicy::RoundHalfEven.banded_value(28, 32), 88.0);
        // 21 of 32 = 65.625 % shows as 66 under every rounding policy
        assert_eq!(TiePolicy::RoundHalfUp.banded_value(21, 32), 66.0);
        assert_eq!(TiePolicy::RoundHalfEven.banded_value(21, 32), 66.0);
    }

    #[test]
    fn seed_scores_span_the_score_scale_in_rating_order() {
        let scores: Vec<u8> = Rating::ALL.iter().map(|r| seed_score(*r)).collect();
        assert!(scores.windows(2).all(|w| w[0] < w[1]), "{scores:?}");
        assert_eq!(scores.first(), Some(&MIN_SCORE));
        assert_eq!(scores.last(), Some(&MAX_SCORE));
        assert!(scores.iter().all(|s| is_valid_score(*s)));
    }

    #[test]
    fn every_rating_has_a_reinspection_expectation_with_a_source() {
        for rating in Rating::ALL {
            let row = REINSPECTION_EXPECTATIONS
                .iter()
                .find(|e| e.ratings.contains(&rating));
            assert!(row.is_some_and(|e| !e.source.is_empty()), "{rating:?}");
        }
        assert!(REINSPECTION_EXPECTATIONS
            .iter()
            .all(|e| e.earliest_months <= e.within_months && e.within_months > 0));
        // The proposal is marked as one; the targets are not.
        let provisional: Vec<bool> = REINSPECTION_EXPECTATIONS
            .iter()
            .map(|e| e.provisional)
            .collect();
        assert_eq!(provisional, [false, false, true]);
    }

    #[test]
    fn bands_cover_every_n() {
        let p = RuleParams::default();
        assert_eq!(p.band_for(1).min_n, 1);
        assert_eq!(p.band_for(5).outstanding_at_least, 2);
        assert_eq!(p.band_for(40).inadequate_at_least, 3);
    }
}
