//! Single assessment framework arithmetic: quality-statement scores → key-question percentage,
//! band and limiters (spec §4.4–4.6), and the local-authority overall score.

use super::catalogue::RuleId;
use super::params::{max_points, seed_score, RuleParams, TiePolicy, MAX_SCORE};
use crate::model::Rating;
use serde::Serialize;

/// A key question's score under SAF, before and after limiters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KqScore {
    pub points: u32,
    pub max_points: u32,
    /// Exact percentage (e.g. 62.5).
    pub exact_percent: f64,
    /// The whole percentage CQC would print ("scored 66 (out of 100)").
    pub displayed_percent: u32,
    /// The rating the band gives before limiters.
    pub band_rating: Rating,
    /// The rating after limiters.
    pub rating: Rating,
    /// The limiter that changed the rating, if any.
    pub limiter: Option<RuleId>,
    /// The lowest statement score (limiters read it).
    pub lowest_score: u8,
    /// The rating would differ under another tie policy: a boundary case.
    pub boundary: bool,
}

/// Scores one key question from its statement scores (each 1–4). `None` if there are none.
pub fn score_key_question(scores: &[u8], params: &RuleParams) -> Option<KqScore> {
    if scores.is_empty() {
        return None;
    }
    let points: u32 = scores.iter().map(|s| u32::from(*s)).sum();
    let max_points = max_points(scores.len());
    let lowest_score = scores.iter().copied().min().unwrap_or(MAX_SCORE);
    let (band_rating, rating, limiter) =
        rating_for_points(points, max_points, lowest_score, params);
    let boundary = TiePolicy::ALL
        .iter()
        .any(|policy| band_rating_for(points, max_points, *policy, params) != band_rating);
    Some(KqScore {
        points,
        max_points,
        exact_percent: 100.0 * points as f64 / max_points as f64,
        displayed_percent: displayed_percent(points, max_points, params.tie_policy),
        band_rating,
        rating,
        limiter,
        lowest_score,
        boundary,
    })
}

/// The band and limiter step on its own: a key question with `points` of `max_points` whose
/// lowest statement score is `lowest_score` gets (the band's rating, the rating after limiters,
/// the limiter that changed it). The what-if solver searches over exactly this.
pub fn rating_for_points(
    points: u32,
    max_points: u32,
    lowest_score: u8,
    params: &RuleParams,
) -> (Rating, Rating, Option<RuleId>) {
    let band = band_rating(points, max_points, params.tie_policy, params);
    let (rating, limiter) = apply_limiters(band, lowest_score, params);
    (band, rating, limiter)
}

/// The whole percentage shown to users. Under strict bands it is still rounded for display,
/// half up, like CQC's reports; the band uses the exact value.
pub fn displayed_percent(points: u32, max_points: u32, policy: TiePolicy) -> u32 {
    let shown = match policy {
        TiePolicy::StrictBands => TiePolicy::RoundHalfUp,
        other => other,
    };
    shown.banded_value(points, max_points) as u32
}

fn band_rating(points: u32, max_points: u32, policy: TiePolicy, params: &RuleParams) -> Rating {
    band_rating_for(points, max_points, policy, params)
}

fn band_rating_for(points: u32, max_points: u32, policy: TiePolicy, params: &RuleParams) -> Rating {
    params.rating_for_percentage(policy.banded_value(points, max_points))
}

/// SL-1 and SL-2 (spec §4.6; both unconfirmed parameters).
pub fn apply_limiters(
    band: Rating,
    lowest_score: u8,
    params: &RuleParams,
) -> (Rating, Option<RuleId>) {
    if !params.apply_limiters {
        return (band, None);
    }
    if band == Rating::Outstanding && lowest_score <= params.outstanding_limiter_max_score {
        return (Rating::Good, Some(RuleId::SafOutstandingLimiter));
    }
    if band == Rating::Good && lowest_score <= params.good_limiter_max_score {
        return (Rating::RequiresImprovement, Some(RuleId::SafGoodLimiter));
    }
    (band, None)
}

/// SAF before December 2024: evidence-category scores → statement score, via the same bands
/// (spec §4.4, unconfirmed conversion). `None` if there are no category scores.
pub fn statement_score_from_categories(category_scores: &[u8], params: &RuleParams) -> Option<u8> {
    if category_scores.is_empty() {
        return None;
    }
    let points: u32 = category_scores.iter().map(|s| u32::from(*s)).sum();
    let max_points = max_points(category_scores.len());
    Some(seed_score(band_rating(
        points,
        max_points,
        params.tie_policy,
        params,
    )))
}

/// A local authority's overall rating from its 9 statement scores (spec §4.8, confirmed): one
/// percentage over all statements, same bands, no limiters published.
pub fn local_authority_overall(scores: &[u8], params: &RuleParams) -> Option<KqScore> {
    let no_limiters = RuleParams {
        apply_limiters: false,
        ..params.clone()
    };
    score_key_question(scores, &no_limiters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_worked_examples() {
        let p = RuleParams::default();
        // S-1: EC 3,2,3,3 → 69 % → 3
        assert_eq!(statement_score_from_categories(&[3, 2, 3, 3], &p), Some(3));
        // S-2: 21/32 → 66, Good
        let s2 = score_key_question(&[2, 3, 3, 2, 3, 3, 3, 2], &p).unwrap();
        assert_eq!(
            (s2.points, s2.displayed_percent, s2.rating),
            (21, 66, Rating::Good)
        );
        // S-3: all 3 → 75, Good
        let s3 = score_key_question(&[3; 8], &p).unwrap();
        assert_eq!((s3.displayed_percent, s3.rating), (75, Rating::Good));
        // S-4: 30/32 outstanding band, limited by SL-1 to Good
        let s4 = score_key_question(&[4, 4, 4, 4, 4, 4, 4, 2], &p).unwrap();
        assert_eq!(s4.band_rating, Rating::Outstanding);
        assert_eq!(
            (s4.rating, s4.limiter),
            (Rating::Good, Some(RuleId::SafOutstandingLimiter))
        );
        // S-5: one statement at 1 in the good band → RI by SL-2
        let s5 = score_key_question(&[1, 3, 3, 3, 3, 3, 3, 3], &p).unwrap();
        assert_eq!(
            (s5.rating, s5.limiter),
            (Rating::RequiresImprovement, Some(RuleId::SafGoodLimiter))
        );
        // S-7: 20/32 = 62.5 % is a boundary: Good half-up, RI strict
        let s7 = score_key_question(&[3, 3, 3, 3, 2, 2, 2, 2], &p).unwrap();
        assert!(s7.boundary);
        assert_eq!(s7.rating, Rating::Good);
        let strict = RuleParams {
            tie_policy: TiePolicy::StrictBands,
            ..p.clone()
        };
        assert_eq!(
            score_key_question(&[3, 3, 3, 3, 2, 2, 2, 2], &strict)
                .unwrap()
                .rating,
            Rating::RequiresImprovement
        );
    }
}
