//! Ingest of CQC's published files into the canonical model, losing nothing silently: every
//! input row is either accepted or reported with its file, row, column, value and what was
//! expected, and the counts reconcile.

mod any_file;
mod api;
mod api_detail;
mod api_provider;
#[cfg(feature = "spreadsheets")]
mod cell_values;
mod cells;
mod columns;
mod combine;
mod csv_rows;
mod csv_source;
mod csv_text;
mod export;
mod history;
mod kind;
mod latest;
mod merge;
mod ods;
#[cfg(not(target_arch = "wasm32"))]
mod paths;
mod report;
mod safe_output;
mod screen;
pub mod synth;
pub mod validate;
mod workbook;
#[cfg(feature = "spreadsheets")]
mod xlsx;

pub use any_file::{read_file, FileContent};
pub use api::{read_api_location, read_api_response};
pub use api_provider::ProviderRecord;
pub use cells::{Cells, RowResult, Unreadable, UnreadableRow};
pub use columns::Column;
pub use combine::Combiner;
pub use csv_rows::{CsvRows, CsvStop};
pub use csv_text::CsvText;
pub use export::{write_latest_ratings, ExportSummary};
pub use history::{read_rating_history, HistoryRow, RatingHistory};
pub use kind::{has_extension, FileKind};
/// The reader without the screen, so tests can show what the screen alone changes.
pub use latest::read_latest_ratings as read_latest_ratings_unscreened;
pub use latest::{read_latest_ratings_csv, read_latest_ratings_rows};
pub use merge::build_snapshot;
pub use ods::{OdsError, OdsErrorKind, Position, Problem};
#[cfg(not(target_arch = "wasm32"))]
pub use paths::{files_to_read, read_path};
pub use report::{
    FileReport, IngestError, IngestIssue, IngestReport, RowKind, ISSUES_LISTED_PER_FILE,
};
pub use safe_output::{spreadsheet_safe, terminal_safe};
// Every Latest ratings file is read through the screen (IDs, dates, providers).
pub use screen::{read_latest_ratings, read_latest_ratings_as_of, read_latest_ratings_csv_as_of};

use crate::model::Location;

/// The locations read from one file, with its row accounting.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    pub locations: Vec<Location>,
    pub report: IngestReport,
}

/// The licence line every snapshot carries.
pub const LICENCE: &str = "Contains public sector information licensed under the Open Government Licence v3.0 (Care Quality Commission data). Unofficial: not affiliated with CQC.";
