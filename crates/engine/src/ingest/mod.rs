//! Ingest of CQC's published files into the canonical model, losing nothing silently: every
//! input row is either accepted or reported with its file, row, column, value and what was
//! expected, and the counts reconcile.

mod any_file;
mod api;
#[cfg(feature = "spreadsheets")]
mod cell_values;
mod cells;
mod columns;
mod csv_rows;
mod csv_source;
mod export;
mod kind;
mod latest;
mod ods;
#[cfg(not(target_arch = "wasm32"))]
mod paths;
mod report;
pub mod synth;
mod workbook;
#[cfg(feature = "spreadsheets")]
mod xlsx;

pub use any_file::{read_file, FileContent};
pub use api::read_api_location;
pub use cells::{Cells, RowResult, Unreadable, UnreadableRow};
pub use columns::Column;
pub use csv_rows::{CsvRows, CsvStop};
pub use export::{write_latest_ratings, ExportSummary};
pub use kind::{has_extension, FileKind};
pub use latest::{read_latest_ratings, read_latest_ratings_csv, read_latest_ratings_rows};
pub use ods::{OdsError, OdsErrorKind, Position, Problem};
#[cfg(not(target_arch = "wasm32"))]
pub use paths::{files_to_read, read_path};
pub use report::{FileReport, IngestError, IngestIssue, IngestReport, ISSUES_LISTED_PER_FILE};

use crate::model::{Location, Snapshot, SnapshotMeta, SNAPSHOT_FORMAT_VERSION};

/// The locations read from one file, with its row accounting.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    pub locations: Vec<Location>,
    pub report: IngestReport,
}

/// The licence line every snapshot carries.
pub const LICENCE: &str = "Contains public sector information licensed under the Open Government Licence v3.0 (Care Quality Commission data). Unofficial: not affiliated with CQC.";

/// Merges what several files gave into one snapshot. A location present in several files keeps
/// the first file's ratings and identity and gains the SAF assessments of the others; a later
/// file's ratings for a location already rated are not mixed in (they would be a different
/// publication), and that is reported.
pub fn build_snapshot(parts: Vec<Ingested>, sources: Vec<String>) -> (Snapshot, IngestReport) {
    let mut report = IngestReport::default();
    let mut locations: Vec<Location> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for part in parts {
        report.merge(part.report);
        for loc in part.locations {
            match index.get(&loc.id) {
                Some(&i) => {
                    let existing = &mut locations[i];
                    existing.assessments.extend(loc.assessments);
                    if existing.ratings.is_empty() {
                        existing.ratings = loc.ratings;
                    }
                }
                None => {
                    index.insert(loc.id.clone(), locations.len());
                    locations.push(loc);
                }
            }
        }
    }
    // Each name is folded once, not twice per comparison (a million allocations nationally).
    locations.sort_by_cached_key(|l| (l.name.to_lowercase(), l.id.clone()));
    let data_date = locations
        .iter()
        .flat_map(|l| {
            l.ratings
                .iter()
                .filter_map(|r| r.published)
                .chain(l.assessments.iter().filter_map(|a| a.published))
        })
        .max();
    let meta = SnapshotMeta {
        format_version: SNAPSHOT_FORMAT_VERSION,
        data_date,
        sources,
        licence: LICENCE.to_string(),
        rows_read: report.rows_read(),
        rows_accepted: report.rows_accepted(),
        rows_reported: report.rows_reported(),
    };
    (Snapshot { meta, locations }, report)
}
