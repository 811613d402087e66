//! Row accounting and the issues ingest reports: every row is accepted or reported.

use std::fmt;

/// A row (or record) that was not accepted, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IngestIssue {
    pub file: String,
    /// 1-based, as a spreadsheet numbers rows (the header is a row too).
    pub row: Option<u64>,
    pub column: Option<String>,
    pub value: String,
    pub expected: String,
}

impl fmt::Display for IngestIssue {
    /// One line for a terminal: the file name, the column (a file's own header text) and the
    /// message all come from input, so control and invisible characters are shown, not sent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut line = self.file.clone();
        if let Some(row) = self.row {
            line.push_str(&format!(" row {row}"));
        }
        if let Some(column) = &self.column {
            line.push_str(&format!(", column \"{column}\""));
        }
        line.push_str(&format!(": {:?} {}", self.value, self.expected));
        f.write_str(&super::safe_output::terminal_safe(&line))
    }
}

/// What one of a file's rows gives: a Latest ratings row one rating, an API response one
/// location. Merging counts what it drops in the file's own rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub enum RowKind {
    #[default]
    Location,
    Rating,
}

/// Counts for one file.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_reported: u64,
    pub row_kind: RowKind,
    /// xxh3-128 of the file's bytes, in hex, so the same file given twice is recognised.
    pub content_hash: Option<String>,
    /// The date the file's name states ("01_October_2025_Latest_ratings.ods").
    pub stated_date: Option<crate::model::Date>,
    /// Reported rows counted but not listed in `IngestReport::issues`: past
    /// `ISSUES_LISTED_PER_FILE`, so that a file of millions of bad rows cannot hold gigabytes
    /// of messages.
    pub issues_not_listed: u64,
}

/// How many reported rows of one file are listed with their message; the rest are counted.
pub const ISSUES_LISTED_PER_FILE: usize = 100_000;

/// Counts and issues for a whole ingest.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct IngestReport {
    pub files: Vec<FileReport>,
    pub issues: Vec<IngestIssue>,
}

impl IngestReport {
    pub fn merge(&mut self, other: IngestReport) {
        for f in other.files {
            match self.files.iter_mut().find(|g| g.file == f.file) {
                Some(g) => {
                    g.rows_read += f.rows_read;
                    g.rows_accepted += f.rows_accepted;
                    g.rows_reported += f.rows_reported;
                    g.issues_not_listed += f.issues_not_listed;
                }
                None => self.files.push(f),
            }
        }
        self.issues.extend(other.issues);
    }

    pub fn rows_read(&self) -> u64 {
        self.files.iter().map(|f| f.rows_read).sum()
    }

    pub fn rows_accepted(&self) -> u64 {
        self.files.iter().map(|f| f.rows_accepted).sum()
    }

    pub fn rows_reported(&self) -> u64 {
        self.files.iter().map(|f| f.rows_reported).sum()
    }

    /// rows read = accepted + reported, for every file.
    pub fn reconciles(&self) -> bool {
        self.files
            .iter()
            .all(|f| f.rows_read == f.rows_accepted + f.rows_reported)
    }
}

/// A file that cannot be used at all (as opposed to rows within it that are reported).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}: not a CSV, ODS or XLSX file CQC publishes ({detail})")]
    UnknownFormat { file: String, detail: String },
    #[error("{file}: no header row with the columns {missing} in the first {searched} rows; is this CQC's Latest ratings file?")]
    NoHeader {
        file: String,
        missing: String,
        searched: usize,
    },
    #[error("{file} row {row}: the header has no {missing} column (snake_case spellings such as latest_rating are accepted too)")]
    MissingColumns {
        file: String,
        row: u64,
        missing: String,
    },
    #[error("{file} row {row}: the column \"{column}\" appears twice in the header (columns {first} and {second}); which one holds the data is ambiguous")]
    DuplicateColumn {
        file: String,
        row: u64,
        column: String,
        first: usize,
        second: usize,
    },
    #[error("{file}: the header (row {row}) is the last row: there are no ratings")]
    HeaderOnly { file: String, row: u64 },
    #[error("{file}: cannot read the spreadsheet: {detail}")]
    Spreadsheet { file: String, detail: String },
    #[error("{file}: the spreadsheet is damaged or incomplete ({bytes} bytes; a download cut short?): {detail}")]
    DamagedSpreadsheet {
        file: String,
        bytes: u64,
        detail: String,
    },
    #[error("{file}: not a CQC API location response: {detail}")]
    NotApiLocation { file: String, detail: String },
    #[error("{file}: cannot be read past byte {byte}: {detail}")]
    Unreadable {
        file: String,
        byte: u64,
        detail: String,
    },
    #[error("cannot read {file}: {detail}")]
    CannotRead { file: String, detail: String },
    #[error("{file}: it is {what}, not a file; ingest reads files, whose end is known")]
    NotAFile { file: String, what: &'static str },
    #[error(
        "{folder}: the folder holds no file ingest reads (.csv, .ods, .xlsx or .json): {detail}"
    )]
    NothingToRead { folder: String, detail: String },
    #[error("{file}: it is {bytes} bytes, more than the {limit} bytes a file of its kind is read up to (CQC's national ODS is 26 MB); is it the right file?")]
    TooLarge {
        file: String,
        bytes: u64,
        limit: u64,
    },
    #[error("{file}: the reader failed on this file ({detail}); nothing of it is used. Please report it with the file")]
    ReaderFailed { file: String, detail: String },
    #[error("{file} row {row}: the columns are separated by {separator}, not commas; save it as CSV (comma-separated) and load that")]
    OtherSeparator {
        file: String,
        row: u64,
        separator: &'static str,
    },
    #[error("{file}: the sheet read (\"Locations\", or else the first) has no rows")]
    EmptySheet { file: String },
    #[error(transparent)]
    Ods(#[from] super::ods::OdsError),
    #[error("{file}: it is {kind}, but this build reads only CSV and JSON files (the engine was built without its `spreadsheets` feature); save it as CSV or use a build with spreadsheets")]
    SpreadsheetsNotBuilt { file: String, kind: String },
}
