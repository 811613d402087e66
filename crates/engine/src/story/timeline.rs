//! Every overall rating CQC published for one location, oldest first, gathered from the three
//! places the data keeps them (earlier ratings, the current Latest ratings rows, the SAF
//! assessments), and what a reader wants from them: the first rating, each change, how long
//! the current rating has stood and how many inspections in a row were Requires improvement
//! or worse.

use crate::model::{
    Date, Domain, HistorySource, KeyQuestion, Location, Rating, RatingValue, RelationshipKind,
    Report, ASSESSMENT_REPORT_TYPE, OVERALL_GROUP,
};
use serde::{Deserialize, Serialize};

/// Where a timeline entry was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimelineSource {
    /// An earlier rating (API `historicRatings`, or a national history file).
    History(HistorySource),
    /// The location's current Latest ratings rows.
    Current,
    /// A single-assessment-framework assessment.
    Assessment,
}

impl TimelineSource {
    pub fn label(self) -> &'static str {
        match self {
            TimelineSource::History(HistorySource::Api) => "earlier rating (CQC API)",
            TimelineSource::History(HistorySource::HistoryFile) => "earlier rating (history file)",
            TimelineSource::Current => "latest published rating",
            TimelineSource::Assessment => "assessment",
        }
    }
}

/// One published overall rating, or an inspection CQC published without one ("Inspected but
/// not rated"), which is kept as an entry but is not a rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// The report's or publication's date; `None` where CQC's data gives none.
    pub date: Option<Date>,
    pub overall: RatingValue,
    /// The key questions' values published with it, where the data has them.
    pub key_questions: Vec<(KeyQuestion, RatingValue)>,
    /// CQC's report on cqc.org.uk, where the data names it.
    pub report_link: Option<String>,
    pub source: TimelineSource,
    /// The rating was inherited from a predecessor registration.
    pub inherited: bool,
    /// For an inherited rating, the predecessor registration's CQC id where the data names
    /// one (API `relationships`), so the page can link to the location it came from.
    pub inherited_from: Option<String>,
}

impl TimelineEntry {
    /// The rating level, `None` for an entry that is not a rating.
    pub fn rating(&self) -> Option<Rating> {
        self.overall.rated()
    }
}

/// Whether a rating went up, down or stayed where it was, in [`Rating`]'s order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Direction {
    Up,
    Down,
    Same,
}

impl Direction {
    pub fn between(from: Rating, to: Rating) -> Direction {
        match to.cmp(&from) {
            std::cmp::Ordering::Greater => Direction::Up,
            std::cmp::Ordering::Less => Direction::Down,
            std::cmp::Ordering::Equal => Direction::Same,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Same => "same",
        }
    }
}

/// One rating followed by the next (entries that are not ratings are stepped over).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingChange {
    pub from: Rating,
    pub to: Rating,
    pub direction: Direction,
    /// The date of the later rating.
    pub date: Option<Date>,
    /// The index in [`RatingTimeline::entries`] of the later rating.
    pub entry: usize,
}

/// A location's published overall ratings over time, with what the location page and
/// `cqc show` say about them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RatingTimeline {
    /// Oldest first; undated entries first of all, since nothing places them later.
    pub entries: Vec<TimelineEntry>,
    /// The index of the first entry that is a rating.
    pub first_rating: Option<usize>,
    /// Each rating after the first, against the one before it.
    pub changes: Vec<RatingChange>,
    /// The current overall rating: the newest entry that is a rating.
    pub current: Option<Rating>,
    /// The date the current rating was first published in an unbroken run of it. Entries that
    /// are not ratings do not break a run: an inspection published without a rating leaves
    /// the earlier rating standing.
    pub current_since: Option<Date>,
    /// How many rated inspections in a row, ending with the newest, were Requires improvement
    /// or worse.
    pub requires_improvement_or_worse_in_a_row: u32,
}

/// The location's timeline. Entries with the same date and value are one entry (an assessment
/// is also a current rating row, and the API repeats the current rating in its history); the
/// merged entry keeps the most specific source and every key question and link any copy had.
pub fn rating_timeline(location: &Location) -> RatingTimeline {
    let mut entries: Vec<TimelineEntry> = Vec::new();
    // Most specific source first, so that a duplicate found later only fills gaps.
    for assessment in &location.assessments {
        if let Some(overall) = assessment.rating {
            entries.push(TimelineEntry {
                date: assessment.published,
                overall,
                key_questions: assessment
                    .key_questions
                    .iter()
                    .filter_map(|kq| kq.rating.map(|r| (kq.key_question, r)))
                    .collect(),
                report_link: report_link_on(location, assessment.published),
                source: TimelineSource::Assessment,
                inherited: false,
                inherited_from: None,
            });
        }
    }
    for row in location.published_all(Domain::Overall) {
        let from_assessment = row.report_type.as_deref() == Some(ASSESSMENT_REPORT_TYPE);
        entries.push(TimelineEntry {
            date: row.published,
            overall: row.value,
            key_questions: if from_assessment {
                Vec::new()
            } else {
                current_key_questions(location)
            },
            report_link: report_link_on(location, row.published),
            source: if from_assessment {
                TimelineSource::Assessment
            } else {
                TimelineSource::Current
            },
            inherited: row.inherited,
            inherited_from: None,
        });
    }
    for earlier in &location.detail.history {
        let Some(overall) = earlier.overall else {
            continue;
        };
        entries.push(TimelineEntry {
            date: earlier.report_date,
            overall,
            key_questions: earlier.key_questions.clone(),
            report_link: earlier
                .report_link_id
                .as_deref()
                .and_then(|id| report_link_by_id(location, id)),
            source: TimelineSource::History(earlier.source),
            inherited: false,
            inherited_from: None,
        });
    }
    let mut entries = merge_duplicates(entries);
    let predecessor = location
        .detail
        .relationships
        .iter()
        .find(|r| r.kind == RelationshipKind::Predecessor)
        .map(|r| r.location_id.clone());
    for entry in entries.iter_mut().filter(|e| e.inherited) {
        entry.inherited_from.clone_from(&predecessor);
    }
    summarise(entries)
}

/// One entry per date and value, in first-seen order, then sorted oldest first (stable, so
/// entries on one date keep the order of their sources).
fn merge_duplicates(entries: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    let mut merged: Vec<TimelineEntry> = Vec::new();
    for entry in entries {
        match merged
            .iter_mut()
            .find(|m| m.date == entry.date && m.overall == entry.overall)
        {
            Some(kept) => {
                for (kq, value) in entry.key_questions {
                    if !kept.key_questions.iter().any(|(k, _)| *k == kq) {
                        kept.key_questions.push((kq, value));
                    }
                }
                kept.report_link = kept.report_link.take().or(entry.report_link);
                kept.inherited |= entry.inherited;
            }
            None => merged.push(entry),
        }
    }
    for entry in &mut merged {
        crate::order::sort_by_key(&mut entry.key_questions, |(kq, _)| *kq);
    }
    crate::order::sort_by_key(&mut merged, |e| e.date);
    merged
}

fn summarise(entries: Vec<TimelineEntry>) -> RatingTimeline {
    let rated: Vec<(usize, Rating)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.rating().map(|r| (i, r)))
        .collect();
    let changes = rated
        .windows(2)
        .map(|pair| {
            let ((_, from), (entry, to)) = (pair[0], pair[1]);
            RatingChange {
                from,
                to,
                direction: Direction::between(from, to),
                date: entries[entry].date,
                entry,
            }
        })
        .collect();
    let current = rated.last().map(|(_, r)| *r);
    let current_since = current.and_then(|now| {
        rated
            .iter()
            .rev()
            .take_while(|(_, r)| *r == now)
            .last()
            .and_then(|(i, _)| entries[*i].date)
    });
    let requires_improvement_or_worse_in_a_row = rated
        .iter()
        .rev()
        .take_while(|(_, r)| *r <= Rating::RequiresImprovement)
        .count() as u32;
    RatingTimeline {
        first_rating: rated.first().map(|(i, _)| *i),
        changes,
        current,
        current_since,
        requires_improvement_or_worse_in_a_row,
        entries,
    }
}

/// The key questions of the location's Latest ratings rows (not an assessment's), newest per
/// key question: the values the current overall rating was published with.
fn current_key_questions(location: &Location) -> Vec<(KeyQuestion, RatingValue)> {
    KeyQuestion::ALL
        .into_iter()
        .filter_map(|kq| {
            location
                .ratings
                .iter()
                .filter(|r| {
                    r.group == OVERALL_GROUP
                        && r.domain == Domain::KeyQuestion(kq)
                        && r.report_type.as_deref() != Some(ASSESSMENT_REPORT_TYPE)
                })
                .max_by_key(|r| r.published)
                .map(|r| (kq, r.value))
        })
        .collect()
}

/// The link of the report CQC published on `date`, if the data lists exactly one.
fn report_link_on(location: &Location, date: Option<Date>) -> Option<String> {
    let date = date?;
    let mut on_date = location
        .detail
        .reports
        .iter()
        .filter(|r| r.date == Some(date));
    match (on_date.next(), on_date.next()) {
        (Some(report), None) => report.link(),
        _ => None,
    }
}

/// The link of the report with CQC's id `id`; built from the id (and checked as every report
/// link is) when the reports list does not have it.
fn report_link_by_id(location: &Location, id: &str) -> Option<String> {
    let listed = location.detail.reports.iter().find(|r| r.link_id == id);
    match listed {
        Some(report) => report.link(),
        None => Report {
            link_id: id.to_string(),
            date: None,
            first_visit: None,
            report_type: String::new(),
        }
        .link(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HistoricRating, NotRatedKind, PublishedRating, SafAssessment};

    fn day(y: i32, m: u32, d: u32) -> Option<Date> {
        Date::from_ymd_opt(y, m, d)
    }

    fn earlier(date: Option<Date>, value: RatingValue) -> HistoricRating {
        HistoricRating {
            report_date: date,
            report_link_id: None,
            overall: Some(value),
            key_questions: Vec::new(),
            source: HistorySource::Api,
        }
    }

    fn current(date: Option<Date>, rating: Rating) -> PublishedRating {
        PublishedRating {
            group: OVERALL_GROUP.into(),
            domain: Domain::Overall,
            value: RatingValue::Rated(rating),
            published: date,
            report_type: Some("Location".into()),
            inherited: false,
        }
    }

    const RI: RatingValue = RatingValue::Rated(Rating::RequiresImprovement);
    const GOOD: RatingValue = RatingValue::Rated(Rating::Good);
    const IBNR: RatingValue = RatingValue::Unrated(NotRatedKind::InspectedButNotRated);

    #[test]
    fn sources_merge_into_one_ordered_timeline() {
        let mut location = Location {
            ratings: vec![current(day(2024, 8, 8), Rating::Good)],
            assessments: vec![SafAssessment {
                plan_id: "AP1".into(),
                service_group: "Overall".into(),
                assessment_date: day(2024, 5, 15),
                published: day(2024, 8, 8),
                rating: Some(GOOD),
                key_questions: Vec::new(),
            }],
            ..Location::default()
        };
        location.detail.history = vec![
            earlier(day(2021, 3, 5), IBNR),
            earlier(day(2019, 1, 18), RI),
        ];
        let timeline = rating_timeline(&location);
        let seen: Vec<_> = timeline
            .entries
            .iter()
            .map(|e| (e.date, e.overall, e.source))
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    day(2019, 1, 18),
                    RI,
                    TimelineSource::History(HistorySource::Api)
                ),
                (
                    day(2021, 3, 5),
                    IBNR,
                    TimelineSource::History(HistorySource::Api)
                ),
                (day(2024, 8, 8), GOOD, TimelineSource::Assessment),
            ]
        );
        assert_eq!(timeline.first_rating, Some(0));
        assert_eq!(timeline.changes.len(), 1);
        assert_eq!(timeline.changes[0].direction, Direction::Up);
        assert_eq!(timeline.changes[0].entry, 2);
        assert_eq!(timeline.current, Some(Rating::Good));
        assert_eq!(timeline.current_since, day(2024, 8, 8));
        assert_eq!(timeline.requires_improvement_or_worse_in_a_row, 0);
    }

    #[test]
    fn a_run_of_one_rating_is_not_broken_by_an_inspection_without_one() {
        let mut location = Location {
            ratings: vec![current(day(2023, 6, 1), Rating::RequiresImprovement)],
            ..Location::default()
        };
        location.detail.history = vec![
            earlier(day(2022, 1, 1), IBNR),
            earlier(day(2020, 1, 1), RI),
            earlier(day(2017, 1, 1), GOOD),
        ];
        let timeline = rating_timeline(&location);
        assert_eq!(timeline.entries.len(), 4);
        assert_eq!(timeline.current_since, day(2020, 1, 1));
        assert_eq!(timeline.requires_improvement_or_worse_in_a_row, 2);
        let directions: Vec<Direction> = timeline.changes.iter().map(|c| c.direction).collect();
        assert_eq!(directions, [Direction::Down, Direction::Same]);
    }

    #[test]
    fn the_same_rating_from_two_sources_is_one_entry_with_both_details() {
        let mut location = Location {
            ratings: vec![
                current(day(2020, 1, 1), Rating::Good),
                PublishedRating {
                    domain: Domain::KeyQuestion(KeyQuestion::Safe),
                    ..current(day(2020, 1, 1), Rating::Good)
                },
            ],
            ..Location::default()
        };
        location.ratings[0].inherited = true;
        location
            .detail
            .relationships
            .push(crate::model::Relationship {
                kind: RelationshipKind::Predecessor,
                location_id: "1-280584830".into(),
                location_name: "Treetops".into(),
                reason: "New Provider".into(),
            });
        location.detail.history = vec![HistoricRating {
            report_link_id: Some("abc-123".into()),
            ..earlier(day(2020, 1, 1), GOOD)
        }];
        let timeline = rating_timeline(&location);
        assert_eq!(timeline.entries.len(), 1);
        let entry = &timeline.entries[0];
        assert_eq!(entry.source, TimelineSource::Current);
        assert!(entry.inherited);
        assert_eq!(entry.inherited_from.as_deref(), Some("1-280584830"));
        assert_eq!(entry.key_questions, [(KeyQuestion::Safe, GOOD)]);
        assert_eq!(
            entry.report_link.as_deref(),
            Some("https://www.cqc.org.uk/reports/abc-123")
        );
    }

    #[test]
    fn no_ratings_no_story() {
        let timeline = rating_timeline(&Location::default());
        assert_eq!(timeline, RatingTimeline::default());
    }
}
