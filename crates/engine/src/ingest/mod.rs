//! Ingest of CQC's published files into the canonical model, losing nothing silently: every
//! input row is either accepted or reported with its file, row, column, value and what was
//! expected, and the counts reconcile.

mod api;
mod columns;
mod export;
mod latest;
mod merge;
mod ods;
mod report;
mod rows;
mod safe_output;
mod screen;
pub mod synth;
pub mod validate;

pub use api::read_api_location;
pub use columns::Column;
pub use export::{write_latest_ratings, ExportSummary};
/// The reader without the screen, so tests can show what the screen alone changes.
pub use latest::read_latest_ratings as read_latest_ratings_unscreened;
pub use latest::read_latest_ratings_rows;
pub use merge::build_snapshot;
pub use report::{FileReport, IngestError, IngestIssue, IngestReport, RowKind};
pub use rows::{Cells, RowResult, UnreadableRow};
pub use safe_output::{spreadsheet_safe, terminal_safe};
// Every Latest ratings file is read through the screen (IDs, dates, providers).
pub use screen::{read_latest_ratings, read_latest_ratings_as_of};

use crate::model::Location;

/// The locations read from one file, with its row accounting.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    pub locations: Vec<Location>,
    pub report: IngestReport,
}

/// The licence line every snapshot carries.
pub const LICENCE: &str = "Contains public sector information licensed under the Open Government Licence v3.0 (Care Quality Commission data). Unofficial: not affiliated with CQC.";
