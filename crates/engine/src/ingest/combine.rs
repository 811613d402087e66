//! Several files of different kinds into one snapshot, the one way every caller does it (the
//! `cqc` command, the browser's worker): Latest ratings files and API location responses are
//! merged (`merge::build_snapshot`); then provider responses give their names to the
//! locations they run, and rating histories add earlier ratings to the locations in the data.
//! Every record is accepted or reported, and the counts reconcile after each join.

use super::any_file::FileContent;
use super::api_provider::ProviderRecord;
use super::history::RatingHistory;
use super::merge::build_snapshot;
use super::report::{FileReport, IngestIssue, IngestReport, ISSUES_LISTED_PER_FILE};
use super::Ingested;
use crate::model::{Location, Snapshot};
use std::collections::HashMap;

/// The name of the accounting line of all API location responses, which are counted together.
const API_LOCATIONS: &str = "CQC API location responses";
/// ... and of all API provider responses.
const API_PROVIDERS: &str = "CQC API provider responses";

/// Collects what each file gave, then joins it (`finish`).
#[derive(Default)]
pub struct Combiner {
    parts: Vec<Ingested>,
    sources: Vec<String>,
    api_locations: Ingested,
    api_location_files: u64,
    providers: Vec<(String, ProviderRecord)>,
    provider_issues: Vec<IngestIssue>,
    provider_files: u64,
    histories: Vec<RatingHistory>,
}

impl Combiner {
    pub fn add(&mut self, name: &str, content: FileContent) {
        match content {
            FileContent::LatestRatings(part) => {
                self.sources.push(format!("{name}: CQC Latest ratings"));
                self.parts.push(part);
            }
            FileContent::ApiLocation(location) => {
                self.api_location_files += 1;
                match *location {
                    Ok(location) => self.api_locations.locations.push(location),
                    Err(issue) => self.api_locations.report.issues.push(issue),
                }
            }
            FileContent::ApiProvider(provider) => {
                self.provider_files += 1;
                match *provider {
                    Ok(record) => self.providers.push((name.to_string(), record)),
                    Err(issue) => self.provider_issues.push(issue),
                }
            }
            FileContent::RatingHistory(history) => {
                self.sources
                    .push(format!("{name}: history of overall ratings"));
                self.histories.push(history);
            }
        }
    }

    /// The snapshot, and the accounting of every file.
    pub fn finish(mut self) -> (Snapshot, IngestReport) {
        if self.api_location_files > 0 {
            let accepted = self.api_locations.locations.len() as u64;
            self.api_locations.report.files.push(FileReport {
                file: API_LOCATIONS.into(),
                rows_read: self.api_location_files,
                rows_accepted: accepted,
                rows_reported: self.api_location_files - accepted,
                ..FileReport::default()
            });
            self.sources
                .push(format!("{} {API_LOCATIONS}", self.api_location_files));
            self.parts.push(std::mem::take(&mut self.api_locations));
        }
        if self.provider_files > 0 {
            self.sources
                .push(format!("{} {API_PROVIDERS}", self.provider_files));
        }
        let (mut snapshot, mut report) = build_snapshot(self.parts, self.sources);
        if self.provider_files > 0 {
            report.merge(name_providers(
                &mut snapshot.locations,
                self.providers,
                self.provider_issues,
                self.provider_files,
            ));
        }
        for history in self.histories {
            report.merge(join_history(&mut snapshot.locations, history));
        }
        snapshot.meta.rows_read = report.rows_read();
        snapshot.meta.rows_accepted = report.rows_accepted();
        snapshot.meta.rows_reported = report.rows_reported();
        (snapshot, report)
    }
}

/// Gives each location without a provider name its provider's, from the provider responses.
/// A response is used if a location in the data is run by it; otherwise it is reported.
fn name_providers(
    locations: &mut [Location],
    providers: Vec<(String, ProviderRecord)>,
    mut issues: Vec<IngestIssue>,
    files: u64,
) -> IngestReport {
    let mut run_by: HashMap<&str, Vec<usize>> = HashMap::new();
    for (at, l) in locations.iter().enumerate() {
        run_by.entry(l.provider_id.as_str()).or_default().push(at);
    }
    let mut named: Vec<(usize, String)> = Vec::new();
    for (file, record) in &providers {
        match run_by.get(record.id.as_str()) {
            None => issues.push(IngestIssue {
                file: file.clone(),
                row: None,
                column: Some("providerId".into()),
                value: record.id.clone(),
                expected: "runs no location in this data set, so its name is not used".into(),
            }),
            Some(ats) => {
                if let Some(name) = &record.name {
                    named.extend(ats.iter().map(|&at| (at, name.clone())));
                }
            }
        }
    }
    for (at, name) in named {
        if let Some(l) = locations.get_mut(at) {
            if l.provider_name.trim().is_empty() {
                l.provider_name = super::validate::make_visible(&name).into_owned();
            }
        }
    }
    let reported = issues.len() as u64;
    IngestReport {
        files: vec![FileReport {
            file: API_PROVIDERS.into(),
            rows_read: files,
            rows_accepted: files - reported,
            rows_reported: reported,
            ..FileReport::default()
        }],
        issues,
    }
}

/// Adds a history file's ratings to the locations in the data. A row the location's history
/// already has (the same date and rating, as the API's `historicRatings` often gives it) is
/// accepted without adding it twice; a row for a location not in the data, or one that
/// contradicts its history, is reported.
fn join_history(locations: &mut [Location], history: RatingHistory) -> IngestReport {
    let RatingHistory { rows, mut report } = history;
    let at: HashMap<String, usize> = locations
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.clone(), i))
        .collect();
    let file = report
        .files
        .first()
        .map(|f| f.file.clone())
        .unwrap_or_default();
    let mut dropped = 0u64;
    let mut not_listed = 0u64;
    let mut touched = Vec::new();
    for row in rows {
        let problem = match at
            .get(&row.location_id)
            .and_then(|&i| locations.get_mut(i).map(|l| (i, l)))
        {
            None => Some(format!(
                "is not a location in this data set, so its rating of {} is not used",
                row.rating
                    .report_date
                    .map(crate::model::format_date)
                    .unwrap_or_default()
            )),
            Some((i, location)) => {
                let same_date = location
                    .detail
                    .history
                    .iter()
                    .find(|h| h.report_date == row.rating.report_date);
                match same_date {
                    // The API's historicRatings gave it too: the row agrees, and is used as
                    // the confirmation it is.
                    Some(h) if h.overall == row.rating.overall => None,
                    Some(h) => Some(format!(
                        "gives {} for this date, but the location's history already has {}; the first is kept",
                        label(row.rating.overall),
                        label(h.overall)
                    )),
                    None => {
                        location.detail.history.push(row.rating.clone());
                        touched.push(i);
                        None
                    }
                }
            }
        };
        if let Some(expected) = problem {
            dropped += 1;
            let issue = IngestIssue {
                file: file.clone(),
                row: Some(row.row),
                column: Some("locationid".into()),
                value: row.location_id,
                expected,
            };
            if report.issues.len() < ISSUES_LISTED_PER_FILE {
                report.issues.push(issue);
            } else {
                not_listed += 1;
            }
        }
    }
    touched.sort_unstable();
    touched.dedup();
    for i in touched {
        if let Some(l) = locations.get_mut(i) {
            l.detail
                .history
                .sort_by_key(|h| std::cmp::Reverse(h.report_date));
        }
    }
    if let Some(f) = report.files.first_mut() {
        f.rows_accepted -= dropped.min(f.rows_accepted);
        f.rows_reported += dropped;
        f.issues_not_listed += not_listed;
    }
    report
}

fn label(value: Option<crate::model::RatingValue>) -> &'static str {
    value.map_or("no rating", |v| v.label())
}
