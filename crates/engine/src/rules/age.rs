//! Evidence age: how much of a result rests on evidence from each year (spec §4.7, §8.3). The
//! engine computes it with every result; `explain` shows it.

use crate::model::Date;
use chrono::Datelike;
use serde::Serialize;

/// One piece of evidence and its share of the result.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WeightedDate {
    pub date: Option<Date>,
    /// Share of the result, 0–1; all shares of a result add up to 1.
    pub weight: f64,
    /// Entered in a what-if: new evidence, not dated.
    pub scenario: bool,
}

/// The share of a result resting on evidence from one year (or undated, or a scenario edit).
/// Its words ("2019", "date not published", "your scenario") are `explain`'s
/// (`explain::AgeSliceLabel`): the national audit builds these for every location and reads
/// only the dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgeSlice {
    pub year: Option<i32>,
    pub share: f64,
    pub scenario: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct EvidenceAge {
    pub as_of: Option<Date>,
    /// Oldest first; undated and scenario slices last.
    pub slices: Vec<AgeSlice>,
    pub oldest: Option<Date>,
    pub newest: Option<Date>,
    /// Days between the oldest and newest dated input.
    pub span_days: Option<i64>,
    /// Mean age in years of the dated evidence, weighted by its share, at `as_of`.
    pub mean_age_years: Option<f64>,
}

/// How much of a result rests on evidence from each year, and how old it is at `as_of`.
pub fn evidence_age(pieces: &[WeightedDate], as_of: Option<Date>) -> EvidenceAge {
    age_of(pieces, as_of, true)
}

/// [`evidence_age`]'s dates alone: the oldest and newest dated piece and the span between them,
/// with no shares by year nor mean age (`slices` empty, `mean_age_years` `None`). The national
/// audit reads only the span, for 60,000 locations.
pub fn evidence_dates(pieces: &[WeightedDate], as_of: Option<Date>) -> EvidenceAge {
    age_of(pieces, as_of, false)
}

/// The one pass both give: with `shares`, the shares by year and the mean age as well.
fn age_of(pieces: &[WeightedDate], as_of: Option<Date>, shares: bool) -> EvidenceAge {
    let total: f64 = pieces.iter().map(|p| p.weight).sum();
    if total <= 0.0 {
        return EvidenceAge {
            as_of,
            ..EvidenceAge::default()
        };
    }
    // Runs for every location in the national audit: one pass, no intermediate collections.
    let mut slices: Vec<AgeSlice> = Vec::with_capacity(if shares { 4 } else { 0 });
    let mut undated = 0.0;
    let mut scenario = 0.0;
    let (mut oldest, mut newest): (Option<Date>, Option<Date>) = (None, None);
    let (mut dated_weight, mut weighted_age_sum) = (0.0, 0.0);
    // A SAF key question's statements share one date: its age is worked out once per run of it.
    let mut last_age: Option<(Date, f64)> = None;
    for p in pieces {
        if p.scenario {
            if shares {
                scenario += p.weight / total;
            }
            continue;
        }
        let Some(d) = p.date else {
            if shares {
                undated += p.weight / total;
            }
            continue;
        };
        oldest = Some(oldest.map_or(d, |o| o.min(d)));
        newest = Some(newest.map_or(d, |n| n.max(d)));
        // The dates alone need no share: a division per piece, 34 of them for a SAF location.
        if !shares {
            continue;
        }
        let share = p.weight / total;
        // Kept in year order as they come (each year once), so nothing is sorted after.
        let year = Some(d.year());
        match slices.iter().position(|s| s.year >= year) {
            Some(i) if slices[i].year == year => slices[i].share += share,
            at => slices.insert(
                at.unwrap_or(slices.len()),
                AgeSlice {
                    year,
                    share,
                    scenario: false,
                },
            ),
        }
        dated_weight += p.weight;
        if let Some(at) = as_of {
            let age = match last_age {
                Some((date, age)) if date == d => age,
                _ => crate::model::years_between(d, at),
            };
            last_age = Some((d, age));
            weighted_age_sum += age * p.weight;
        }
    }
    if undated > 0.0 {
        slices.push(AgeSlice {
            year: None,
            share: undated,
            scenario: false,
        });
    }
    if scenario > 0.0 {
        slices.push(AgeSlice {
            year: None,
            share: scenario,
            scenario: true,
        });
    }
    let span_days = oldest.zip(newest).map(|(o, n)| (n - o).num_days());
    let mean_age_years = match as_of {
        Some(_) if dated_weight > 0.0 => Some(weighted_age_sum / dated_weight),
        _ => None,
    };
    EvidenceAge {
        as_of,
        slices,
        oldest,
        newest,
        span_days,
        mean_age_years,
    }
}
