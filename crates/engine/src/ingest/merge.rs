//! Merging what several files gave into one snapshot, with nothing dropped silently: a file
//! given twice (the same bytes, by content hash) is counted once; a location that a later file
//! also gives keeps the first file's identity and ratings, and each of the later file's rows
//! that is not used is reported, saying what was kept and why. The counts are those after the
//! merge: a row dropped here moves from its file's accepted rows to its reported rows.

use super::report::{FileReport, IngestIssue, IngestReport, RowKind};
use super::validate::{id_problem, make_visible, IdKind};
use super::{Ingested, LICENCE};
use crate::model::{Location, PublishedRating, Snapshot, SnapshotMeta, SNAPSHOT_FORMAT_VERSION};
use std::collections::HashMap;

/// Merges what several files gave into one snapshot. A location present in several files keeps
/// the first file's identity and ratings and gains the SAF assessments of the others; a later
/// file's ratings for a location already rated are not mixed in (they would be another
/// publication, and a location's ratings must be one), and each is reported.
pub fn build_snapshot(parts: Vec<Ingested>, sources: Vec<String>) -> (Snapshot, IngestReport) {
    let mut report = IngestReport::default();
    let mut locations: Vec<Location> = Vec::new();
    // Where each location is, and the file it came from (for messages).
    let mut index: HashMap<String, (usize, String)> = HashMap::new();
    // The first file with each content hash.
    let mut seen: HashMap<String, String> = HashMap::new();
    for part in parts {
        let Ingested {
            locations: part_locations,
            report: mut part_report,
        } = part;
        if let Some(earlier) = same_content_as(&part_report, &mut seen) {
            count_as_repeat(&mut part_report, &earlier);
            report.merge(part_report);
            continue;
        }
        let (file, row_kind) = part_report
            .files
            .first()
            .map(|f| (f.file.clone(), f.row_kind))
            .unwrap_or_default();
        let mut drops = Drops::default();
        for mut location in part_locations {
            location.name = make_visible(&location.name).into_owned();
            location.provider_name = make_visible(&location.provider_name).into_owned();
            if let Some(expected) = id_problem(&location.id, IdKind::Location) {
                drops.location(&file, &location, row_kind, expected);
                continue;
            }
            match index.get(&location.id) {
                Some((at, first_file)) => {
                    if let Some(existing) = locations.get_mut(*at) {
                        fold_into(existing, location, first_file, &file, row_kind, &mut drops);
                    }
                }
                None => {
                    index.insert(location.id.clone(), (locations.len(), file.clone()));
                    locations.push(location);
                }
            }
        }
        drops.apply(&mut part_report);
        report.merge(part_report);
    }
    // Each name is folded once, not twice per comparison (a million allocations nationally).
    locations.sort_by_cached_key(|l| (l.name.to_lowercase(), l.id.clone()));
    let meta = SnapshotMeta {
        format_version: SNAPSHOT_FORMAT_VERSION,
        data_date: data_date(&locations, &report),
        sources,
        licence: LICENCE.to_string(),
        rows_read: report.rows_read(),
        rows_accepted: report.rows_accepted(),
        rows_reported: report.rows_reported(),
    };
    (Snapshot { meta, locations }, report)
}

/// The data's own date: the newest date a file's name states, or the newest accepted date if
/// later (an API response next to an older Latest ratings file). Rejected dates never get
/// here, so a year-9999 row cannot make every rating thousands of years old.
fn data_date(locations: &[Location], report: &IngestReport) -> Option<crate::model::Date> {
    let newest_accepted = locations
        .iter()
        .flat_map(|l| {
            l.ratings
                .iter()
                .filter_map(|r| r.published)
                .chain(l.assessments.iter().filter_map(|a| a.published))
        })
        .max();
    let newest_stated = report.files.iter().filter_map(|f| f.stated_date).max();
    newest_accepted.max(newest_stated)
}

/// The earlier file with the same bytes, if this part is one whole file seen before.
fn same_content_as(report: &IngestReport, seen: &mut HashMap<String, String>) -> Option<String> {
    let [file] = report.files.as_slice() else {
        return None;
    };
    let hash = file.content_hash.as_ref()?;
    if let Some(earlier) = seen.get(hash) {
        return Some(earlier.clone());
    }
    seen.insert(hash.clone(), file.file.clone());
    None
}

/// A file given a second time: its accepted rows are the first copy's, so they are reported
/// here, in one line, rather than counted twice.
fn count_as_repeat(report: &mut IngestReport, earlier: &str) {
    for file in &mut report.files {
        let repeated = std::mem::take(&mut file.rows_accepted);
        file.rows_reported += repeated;
        report.issues.push(IngestIssue {
            file: file.file.clone(),
            row: None,
            column: None,
            value: file.content_hash.clone().unwrap_or_default(),
            expected: format!(
                "is the same file as {earlier:?} (the same content hash, xxh3-128); its {repeated} accepted rows are counted once, there, and reported here"
            ),
        });
    }
}

/// A later file's location folded into the one already merged.
fn fold_into(
    existing: &mut Location,
    later: Location,
    first_file: &str,
    file: &str,
    row_kind: RowKind,
    drops: &mut Drops,
) {
    let identity = if existing.name != later.name {
        Some(("name", &existing.name, &later.name))
    } else if !later.provider_id.is_empty() && existing.provider_id != later.provider_id {
        Some(("provider", &existing.provider_id, &later.provider_id))
    } else {
        None
    };
    if let Some((what, kept, given)) = identity {
        let expected = format!(
            "gives {given:?} as this location's {what}, but {first_file:?} gives {kept:?}; the first file given is kept, so nothing of this file's for the location is used"
        );
        return drops.location(file, &later, row_kind, expected);
    }
    let Location {
        ratings,
        assessments,
        detail,
        ..
    } = later;
    let adds_assessments = !assessments.is_empty();
    existing.assessments.extend(assessments);
    // A Latest ratings row knows nothing of registration or history; the API response that
    // does is the location's detail, whichever file came first.
    if existing.detail.is_empty() {
        existing.detail = detail;
    }
    if existing.ratings.is_empty() {
        existing.ratings = ratings;
        return;
    }
    match row_kind {
        RowKind::Rating => {
            for rating in &ratings {
                let expected = rating_not_used(existing, rating, first_file);
                drops.row(file, &existing.id, rating, expected);
            }
        }
        // One response is one row: it is used if its assessments are.
        RowKind::Location if !adds_assessments && !ratings.is_empty() => {
            let expected = format!(
                "gives ratings for a location {first_file:?} already rated, and nothing else; the first file's ratings are kept, as a location's ratings come from one publication"
            );
            drops.record(file, &existing.id, expected);
        }
        RowKind::Location => {}
    }
}

/// Why a later file's rating row is not used: a repeat of the kept one, or a conflict.
fn rating_not_used(existing: &Location, rating: &PublishedRating, first_file: &str) -> String {
    let dmy = |r: &PublishedRating| {
        r.published
            .map(crate::model::format_dmy)
            .unwrap_or_else(|| "no date".into())
    };
    let what = format!(
        "location {}, {}, {}",
        existing.id,
        rating.group,
        rating.domain.label()
    );
    let kept = existing
        .ratings
        .iter()
        .find(|r| r.group == rating.group && r.domain == rating.domain);
    match kept {
        Some(kept) if kept.value == rating.value && kept.published == rating.published => format!(
            "repeats {first_file:?}'s row for {what} ({}, {}); counted once, there",
            kept.value,
            dmy(kept)
        ),
        Some(kept) => format!(
            "conflicts with {first_file:?} for {what}: it gives {} ({}), this file {} ({}); the first file given is kept, as a location's ratings come from one publication",
            kept.value,
            dmy(kept),
            rating.value,
            dmy(rating)
        ),
        None => format!(
            "adds a rating for {what} to the ratings {first_file:?} gives; they are kept as given, not mixed with another file's publication"
        ),
    }
}

/// The rows of one file that the merge did not use, to move from accepted to reported.
#[derive(Default)]
struct Drops {
    issues: Vec<IngestIssue>,
    rows: u64,
}

impl Drops {
    fn row(&mut self, file: &str, id: &str, rating: &PublishedRating, expected: String) {
        self.rows += 1;
        self.issues.push(IngestIssue {
            file: file.into(),
            row: None,
            column: Some("Latest Rating".into()),
            value: format!("{id}: {}", rating.value),
            expected,
        });
    }

    fn record(&mut self, file: &str, id: &str, expected: String) {
        self.rows += 1;
        self.issues.push(IngestIssue {
            file: file.into(),
            row: None,
            column: Some("Location ID".into()),
            value: id.chars().take(200).collect(),
            expected,
        });
    }

    /// All of a location's rows: one per rating for a Latest ratings file, one for a response.
    fn location(&mut self, file: &str, location: &Location, row_kind: RowKind, expected: String) {
        let rows = match row_kind {
            RowKind::Rating => location.ratings.len() as u64,
            RowKind::Location => 1,
        };
        self.rows += rows;
        let expected = match row_kind {
            RowKind::Rating => format!("{expected} ({rows} rows)"),
            RowKind::Location => expected,
        };
        self.issues.push(IngestIssue {
            file: file.into(),
            row: None,
            column: Some("Location ID".into()),
            value: location.id.chars().take(200).collect(),
            expected,
        });
    }

    /// Moves the dropped rows of the part's file from accepted to reported.
    fn apply(self, report: &mut IngestReport) {
        if self.rows == 0 {
            return;
        }
        if report.files.is_empty() {
            report.files.push(FileReport::default());
        }
        if let Some(file) = report.files.first_mut() {
            let moved = self.rows.min(file.rows_accepted);
            file.rows_accepted -= moved;
            file.rows_reported += moved;
        }
        report.issues.extend(self.issues);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Rating, RatingValue, SafAssessment};

    fn location(id: &str, ratings: usize, assessments: usize) -> Location {
        let rating = PublishedRating {
            group: "Overall".into(),
            domain: Domain::Overall,
            value: RatingValue::Rated(Rating::Good),
            published: crate::model::Date::from_ymd_opt(2020, 2, 12),
            report_type: None,
            inherited: false,
        };
        let assessment = SafAssessment {
            plan_id: "p".into(),
            service_group: "g".into(),
            assessment_date: None,
            published: None,
            rating: None,
            key_questions: Vec::new(),
        };
        Location {
            id: id.into(),
            name: "Goodwood Homecare".into(),
            ratings: vec![rating; ratings],
            assessments: vec![assessment; assessments],
            ..Location::default()
        }
    }

    fn part(file: &str, row_kind: RowKind, locations: Vec<Location>) -> Ingested {
        let rows = match row_kind {
            RowKind::Rating => locations.iter().map(|l| l.ratings.len() as u64).sum(),
            RowKind::Location => locations.len() as u64,
        };
        Ingested {
            locations,
            report: IngestReport {
                files: vec![FileReport {
                    file: file.into(),
                    rows_read: rows,
                    rows_accepted: rows,
                    row_kind,
                    ..FileReport::default()
                }],
                issues: Vec::new(),
            },
        }
    }

    /// An API response is one row: used if its assessments are, reported if it brings only
    /// ratings for a location already rated; an invalid ID is reported whatever it brings.
    #[test]
    fn api_records_are_used_whole_or_reported_whole() {
        let latest = part(
            "latest.csv",
            RowKind::Rating,
            vec![location("1-10052707705", 1, 0)],
        );
        let api = part(
            "api",
            RowKind::Location,
            vec![
                location("1-10052707705", 1, 1),
                location("1-10052707705", 1, 0),
                location("1-1005270\u{200B}7705", 0, 1),
            ],
        );
        let (snapshot, report) = build_snapshot(vec![latest, api], Vec::new());
        assert!(report.reconciles());
        let api_counts = report.files.iter().find(|f| f.file == "api");
        assert_eq!(
            api_counts.map(|f| (f.rows_read, f.rows_accepted, f.rows_reported)),
            Some((3, 1, 2))
        );
        assert_eq!(snapshot.locations.len(), 1);
        assert_eq!(snapshot.locations[0].assessments.len(), 1);
        assert_eq!(snapshot.locations[0].ratings.len(), 1);
        assert_eq!(report.issues.len(), 2);
        assert!(report.issues[0]
            .expected
            .starts_with("gives ratings for a location \"latest.csv\" already rated"));
        assert!(report.issues[1]
            .expected
            .contains("U+200B (zero-width space)"));
    }
}
