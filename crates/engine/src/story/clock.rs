//! The re-inspection clock: when CQC last inspected or assessed a location, how long ago that
//! is, and how that compares with CQC's stated expectation for its current rating and sector
//! (the expectations, each with its source, are in `rules::params::REINSPECTION_EXPECTATIONS`).
//! Also the national figures: how many Requires improvement and Inadequate locations are past
//! their expectation, by sector and by local authority.

use crate::audit::sector_of;
use crate::model::{
    format_date, format_years, years_from_days, Date, Domain, Location, Rating, RegistrationStatus,
};
use crate::rules::params::{ReinspectionExpectation, REINSPECTION_EXPECTATIONS};
use chrono::Months;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which date the clock measures from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockBasis {
    /// The API's `lastInspection.date`.
    LastInspection,
    /// A SAF assessment's assessment date.
    AssessmentDate,
    /// A SAF assessment's publication date (it gives no assessment date).
    AssessmentPublished,
    /// The first visit of CQC's newest report.
    ReportFirstVisit,
    /// Nothing above: the current overall rating's publication date, which is later than the
    /// inspection it reports, so the clock under-counts.
    RatingPublished,
}

impl ClockBasis {
    pub fn label(self) -> &'static str {
        match self {
            ClockBasis::LastInspection => "CQC's last inspection date",
            ClockBasis::AssessmentDate => "the assessment date",
            ClockBasis::AssessmentPublished => "the assessment's publication date",
            ClockBasis::ReportFirstVisit => "the first visit of the newest report",
            ClockBasis::RatingPublished => "the current rating's publication date",
        }
    }
}

/// The date the clock measures from, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastSeen {
    pub date: Date,
    pub basis: ClockBasis,
}

/// Where the location stands against the expectation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockStanding {
    /// Deregistered: CQC no longer inspects it, so there is no clock.
    Deregistered,
    /// The data has no date to measure from.
    NoDate,
    /// No current overall rating, so no expectation applies.
    NotRated,
    /// Within the expectation, with this many days left.
    Within { days_left: i64 },
    /// Past the expectation by this many days.
    Past { days_past: i64 },
}

/// One location's clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReinspectionClock {
    pub location_id: String,
    /// The date measured to.
    pub today: Date,
    /// The broad sector (`audit::sector_of`) the expectation was chosen by.
    pub sector: String,
    /// Registered but providing no regulated activity: CQC's data says so, and the national
    /// figures leave such a location out.
    pub dormant: bool,
    pub rating: Option<Rating>,
    pub last_seen: Option<LastSeen>,
    pub days_since: Option<i64>,
    /// The expectation for the current rating and sector, with its source.
    pub expectation: Option<ReinspectionExpectation>,
    /// The date by which the expectation would have the next inspection.
    pub due: Option<Date>,
    /// For a cycle stated as a range ("3 to 5 years"), the start of the range.
    pub earliest_due: Option<Date>,
    pub standing: ClockStanding,
}

impl ReinspectionClock {
    /// Past an expectation CQC stated as a target (not a proposal).
    pub fn past_target(&self) -> bool {
        matches!(self.standing, ClockStanding::Past { .. })
            && self.expectation.as_ref().is_some_and(|e| !e.provisional)
    }

    /// Past a proposed (provisional) cycle.
    pub fn past_proposed_cycle(&self) -> bool {
        matches!(self.standing, ClockStanding::Past { .. })
            && self.expectation.as_ref().is_some_and(|e| e.provisional)
    }

    /// The clock in one plain sentence, as the location page and `cqc show` give it.
    pub fn sentence(&self) -> String {
        let Some(last) = self.last_seen else {
            return match self.standing {
                ClockStanding::Deregistered => {
                    "Deregistered: CQC no longer inspects it, so there is no re-inspection clock."
                        .to_string()
                }
                _ => "The data gives no inspection date to measure from.".to_string(),
            };
        };
        let since = self.days_since.map(years_from_days).map(format_years);
        let mut text = format!(
            "Last inspected or assessed {} ({}), {} ago on {}.",
            format_date(last.date),
            last.basis.label(),
            since.as_deref().unwrap_or("an unknown time"),
            format_date(self.today),
        );
        let Some(expectation) = &self.expectation else {
            text.push_str(" No re-inspection expectation applies without a current rating.");
            return text;
        };
        let rating = self.rating.map(Rating::label).unwrap_or("this rating");
        let what = if expectation.provisional {
            format!(
                "the proposed routine cycle of {}–{} years (provisional)",
                expectation.earliest_months / 12,
                expectation.within_months / 12
            )
        } else {
            format!(
                "the {}-month target for {rating}",
                expectation.within_months
            )
        };
        let standing = match self.standing {
            ClockStanding::Past { days_past } => {
                format!(
                    " Past {what} by {}.",
                    format_years(years_from_days(days_past))
                )
            }
            ClockStanding::Within { days_left } => format!(
                " Within {what}: {} left.",
                format_years(years_from_days(days_left))
            ),
            _ => String::new(),
        };
        text.push_str(&standing);
        text
    }
}

/// The clock of one location on `today`.
pub fn reinspection_clock(location: &Location, today: Date) -> ReinspectionClock {
    let sector = sector_of(location).to_string();
    let current = location.published(Domain::Overall);
    let rating = current.and_then(|r| r.value.rated());
    let mut clock = ReinspectionClock {
        location_id: location.id.clone(),
        today,
        sector,
        dormant: location.detail.registration.dormant,
        rating,
        last_seen: None,
        days_since: None,
        expectation: None,
        due: None,
        earliest_due: None,
        standing: ClockStanding::NoDate,
    };
    if location.detail.registration.status == RegistrationStatus::Deregistered {
        clock.standing = ClockStanding::Deregistered;
        return clock;
    }
    clock.last_seen = last_seen(location).or_else(|| {
        current.and_then(|r| r.published).map(|date| LastSeen {
            date,
            basis: ClockBasis::RatingPublished,
        })
    });
    let Some(last) = clock.last_seen else {
        return clock;
    };
    clock.days_since = Some((today - last.date).num_days());
    let Some(rating) = rating else {
        clock.standing = ClockStanding::NotRated;
        return clock;
    };
    let Some(expectation) = expectation_for(&clock.sector, rating) else {
        clock.standing = ClockStanding::NotRated;
        return clock;
    };
    let add = |months: u32| last.date.checked_add_months(Months::new(months));
    clock.due = add(expectation.within_months);
    clock.earliest_due = (expectation.earliest_months != expectation.within_months)
        .then(|| add(expectation.earliest_months))
        .flatten();
    if let Some(due) = clock.due {
        let days = (today - due).num_days();
        clock.standing = if days > 0 {
            ClockStanding::Past { days_past: days }
        } else {
            ClockStanding::Within { days_left: -days }
        };
    }
    clock.expectation = Some(expectation.clone());
    clock
}

/// The first expectation in the table for the sector and rating.
fn expectation_for(sector: &str, rating: Rating) -> Option<&'static ReinspectionExpectation> {
    REINSPECTION_EXPECTATIONS
        .iter()
        .find(|e| e.ratings.contains(&rating) && e.sector.as_deref().is_none_or(|s| s == sector))
}

/// The latest inspection or assessment date the data gives, from the most direct evidence: on
/// equal dates the earlier basis in [`ClockBasis`] is named.
fn last_seen(location: &Location) -> Option<LastSeen> {
    let detail = &location.detail;
    let inspection = detail.last_inspection.map(|date| LastSeen {
        date,
        basis: ClockBasis::LastInspection,
    });
    let assessments = location
        .assessments
        .iter()
        .filter_map(|a| match a.assessment_date {
            Some(date) => Some(LastSeen {
                date,
                basis: ClockBasis::AssessmentDate,
            }),
            None => a.published.map(|date| LastSeen {
                date,
                basis: ClockBasis::AssessmentPublished,
            }),
        });
    let newest_report = detail
        .reports
        .iter()
        .filter(|r| r.date.is_some())
        .max_by_key(|r| r.date)
        .and_then(|r| r.first_visit)
        .map(|date| LastSeen {
            date,
            basis: ClockBasis::ReportFirstVisit,
        });
    inspection
        .into_iter()
        .chain(assessments)
        .chain(newest_report)
        // `max_by_key` keeps the last of equal keys; the reversed order keeps the first.
        .fold(None, |kept: Option<LastSeen>, next| match kept {
            Some(k) if k.date >= next.date => Some(k),
            _ => Some(next),
        })
}

/// One group of the national figures: the current locations with one rating in one sector or
/// local authority, and which of them are past their expectation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockGroup {
    pub rating: Rating,
    /// The sector (`audit::sector_of`) or the local authority.
    pub group: String,
    /// Current locations with this rating here and a date to measure from.
    pub measured: u32,
    /// Their ids, past an expectation stated as a target (adult social care's 6 and 12 months).
    pub past_target: Vec<String>,
    /// Their ids, past the proposed routine cycle only (provisional).
    pub past_proposed_cycle: Vec<String>,
}

/// The national figures for Requires improvement and Inadequate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ClockSummary {
    pub today: Option<Date>,
    /// By rating (worst first), then sector: the sector is `audit::sector_of`, the grouping the
    /// audit and the search filters use, because the targets are stated for a sector (adult
    /// social care), not for the care-home flag.
    pub by_sector: Vec<ClockGroup>,
    /// By rating (worst first), then local authority (as CQC's data spells it).
    pub by_local_authority: Vec<ClockGroup>,
}

/// The national figures on `today`, over current locations only (not deregistered, not
/// dormant). Ids in each group are in the order of `locations`.
pub fn clock_summary(locations: &[Location], today: Date) -> ClockSummary {
    let mut by_sector: BTreeMap<(Rating, String), ClockGroup> = BTreeMap::new();
    let mut by_authority: BTreeMap<(Rating, String), ClockGroup> = BTreeMap::new();
    for location in locations.iter().filter(|l| l.is_current()) {
        let clock = reinspection_clock(location, today);
        let Some(rating) = clock.rating.filter(|r| *r <= Rating::RequiresImprovement) else {
            continue;
        };
        if clock.last_seen.is_none() {
            continue;
        }
        for (groups, name) in [
            (&mut by_sector, clock.sector.clone()),
            (&mut by_authority, location.local_authority.clone()),
        ] {
            let group = groups
                .entry((rating, name.clone()))
                .or_insert_with(|| ClockGroup {
                    rating,
                    group: name,
                    measured: 0,
                    past_target: Vec::new(),
                    past_proposed_cycle: Vec::new(),
                });
            group.measured += 1;
            if clock.past_target() {
                group.past_target.push(location.id.clone());
            } else if clock.past_proposed_cycle() {
                group.past_proposed_cycle.push(location.id.clone());
            }
        }
    }
    ClockSummary {
        today: Some(today),
        by_sector: by_sector.into_values().collect(),
        by_local_authority: by_authority.into_values().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PublishedRating, RatingValue, OVERALL_GROUP};

    fn day(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn care_home(id: &str, rating: Rating, published: Date) -> Location {
        Location {
            id: id.into(),
            inspection_category: "Residential social care".into(),
            local_authority: "Oldham".into(),
            ratings: vec![PublishedRating {
                group: OVERALL_GROUP.into(),
                domain: Domain::Overall,
                value: RatingValue::Rated(rating),
                published: Some(published),
                report_type: Some("Location".into()),
                inherited: false,
            }],
            ..Location::default()
        }
    }

    #[test]
    fn requires_improvement_in_adult_social_care_is_held_to_twelve_months() {
        let mut home = care_home("1-a", Rating::RequiresImprovement, day(2025, 4, 17));
        home.detail.last_inspection = Some(day(2025, 2, 1));
        let clock = reinspection_clock(&home, day(2026, 12, 1));
        assert_eq!(clock.sector, "Adult social care");
        assert_eq!(
            clock.last_seen,
            Some(LastSeen {
                date: day(2025, 2, 1),
                basis: ClockBasis::LastInspection
            })
        );
        assert_eq!(clock.due, Some(day(2026, 2, 1)));
        assert_eq!(clock.standing, ClockStanding::Past { days_past: 303 });
        assert!(clock.past_target());
        assert!(clock.sentence().contains("Past the 12-month target"));
    }

    #[test]
    fn good_is_held_only_to_the_proposed_cycle_and_says_so() {
        let home = care_home("1-b", Rating::Good, day(2024, 1, 10));
        let clock = reinspection_clock(&home, day(2026, 12, 1));
        assert_eq!(
            clock.last_seen.map(|l| l.basis),
            Some(ClockBasis::RatingPublished)
        );
        let expectation = clock.expectation.as_ref().map(|e| e.provisional);
        assert_eq!(expectation, Some(true));
        assert_eq!(clock.earliest_due, Some(day(2027, 1, 10)));
        assert_eq!(clock.due, Some(day(2029, 1, 10)));
        assert!(matches!(clock.standing, ClockStanding::Within { .. }));
        assert!(!clock.past_target());
        assert!(clock.sentence().contains("(provisional)"));
    }

    #[test]
    fn the_latest_evidence_of_a_visit_wins() {
        let mut home = care_home("1-c", Rating::Inadequate, day(2024, 1, 10));
        home.detail.last_inspection = Some(day(2023, 11, 1));
        home.assessments.push(crate::model::SafAssessment {
            plan_id: "AP1".into(),
            service_group: "Overall".into(),
            assessment_date: Some(day(2024, 5, 15)),
            published: Some(day(2024, 8, 8)),
            rating: None,
            key_questions: Vec::new(),
        });
        let clock = reinspection_clock(&home, day(2024, 12, 1));
        assert_eq!(
            clock.last_seen.map(|l| (l.date, l.basis)),
            Some((day(2024, 5, 15), ClockBasis::AssessmentDate))
        );
        assert_eq!(clock.due, Some(day(2024, 11, 15)));
        assert_eq!(clock.standing, ClockStanding::Past { days_past: 16 });
    }

    #[test]
    fn a_deregistered_location_has_no_clock() {
        let mut home = care_home("1-d", Rating::Inadequate, day(2016, 1, 1));
        home.detail.registration.status = RegistrationStatus::Deregistered;
        let clock = reinspection_clock(&home, day(2026, 12, 1));
        assert_eq!(clock.standing, ClockStanding::Deregistered);
        assert_eq!(clock.last_seen, None);
        assert!(clock.sentence().starts_with("Deregistered"));
    }

    #[test]
    fn national_figures_count_current_poor_ratings_past_their_expectation() {
        let today = day(2026, 12, 1);
        let mut gp = care_home("1-gp", Rating::RequiresImprovement, day(2020, 1, 1));
        gp.inspection_category = "GPs".into();
        gp.local_authority = "Shropshire".into();
        let mut dormant = care_home("1-z", Rating::Inadequate, day(2020, 1, 1));
        dormant.detail.registration.dormant = true;
        let locations = vec![
            care_home("1-late", Rating::RequiresImprovement, day(2025, 1, 1)),
            care_home("1-fresh", Rating::RequiresImprovement, day(2026, 6, 1)),
            care_home("1-good", Rating::Good, day(2010, 1, 1)),
            gp,
            dormant,
        ];
        let summary = clock_summary(&locations, today);
        let sectors: Vec<_> = summary
            .by_sector
            .iter()
            .map(|g| {
                (
                    g.rating,
                    g.group.as_str(),
                    g.measured,
                    g.past_target.clone(),
                    g.past_proposed_cycle.clone(),
                )
            })
            .collect();
        assert_eq!(
            sectors,
            vec![
                (
                    Rating::RequiresImprovement,
                    "Adult social care",
                    2,
                    vec!["1-late".to_string()],
                    vec![]
                ),
                (
                    Rating::RequiresImprovement,
                    "GP and primary medical",
                    1,
                    vec![],
                    vec!["1-gp".to_string()]
                ),
            ]
        );
        let authorities: Vec<(&str, u32)> = summary
            .by_local_authority
            .iter()
            .map(|g| (g.group.as_str(), g.measured))
            .collect();
        assert_eq!(authorities, [("Oldham", 2), ("Shropshire", 1)]);
    }
}
