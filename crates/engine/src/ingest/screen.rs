//! The checks a Latest ratings row passes before the row reader sees it: its location and
//! provider IDs have CQC's shapes (`validate::id_problem`), its publication date lies between
//! CQC's establishment and the file's own date (`validate::DateWindow`), and its provider is the
//! one its location's earlier rows gave. A row that fails is reported here, with its row number,
//! and handed on as a blank row, which the reader skips without counting, so every other row
//! keeps its number and the counts still reconcile once this screen's are added.

use super::columns::{Column, Header, HeaderSearch};
use super::latest::read_latest_ratings_rows;
use super::report::{IngestError, IngestIssue, RowKind};
use super::rows::{csv_rows, is_workbook, with_spreadsheet_rows, Cells, RowResult};
use super::validate::{date_from_file_name, id_problem, DateWindow, IdKind};
use super::Ingested;
use crate::model::{parse_cqc_date, Date};
use std::collections::HashMap;

/// Reads a Latest ratings file (CSV or spreadsheet, by content) with every row screened; no
/// date may be later than the file's own date, if its name states one.
pub fn read_latest_ratings(file: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    read_latest_ratings_as_of(file, bytes, None)
}

/// As [`read_latest_ratings`], and no date may be later than `today` either (the CLI knows the
/// date; the engine does not read a clock).
pub fn read_latest_ratings_as_of(
    file: &str,
    bytes: &[u8],
    today: Option<Date>,
) -> Result<Ingested, IngestError> {
    // The same order of decisions as `latest::read_latest_ratings`, which has no place for the
    // screen between the rows and the reader.
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { file: file.into() });
    }
    let stated_date = date_from_file_name(file);
    let mut screen = Screen::new(file, DateWindow::new(stated_date, today));
    let read = if is_workbook(bytes) {
        with_spreadsheet_rows(file, bytes, |rows| {
            read_latest_ratings_rows(file, rows.map(|row| screen.pass(row)))
        })?
    } else {
        read_latest_ratings_rows(file, csv_rows(bytes).map(|row| screen.pass(row)))
    };
    let mut ingested = match read {
        Ok(ingested) => ingested,
        // Every row was screened out: they are reported, not absent.
        Err(IngestError::HeaderOnly { .. }) if screen.reported > 0 => Ingested::default(),
        Err(e) => return Err(e),
    };
    let report = &mut ingested.report;
    if report.files.is_empty() {
        report.files.push(super::FileReport {
            file: file.into(),
            ..super::FileReport::default()
        });
    }
    for counts in report.files.iter_mut().take(1) {
        counts.rows_read += screen.reported;
        counts.rows_reported += screen.reported;
        counts.row_kind = RowKind::Rating;
        counts.content_hash = Some(format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes)));
        counts.stated_date = stated_date;
    }
    report.issues.append(&mut screen.issues);
    // One list in row order, whichever stage reported the row.
    report.issues.sort_by_key(|issue| issue.row);
    Ok(ingested)
}

/// What the screen knows of the file so far.
struct Screen<'f> {
    file: &'f str,
    window: DateWindow,
    /// 1-based number of the row being passed.
    row: u64,
    search: HeaderSearch,
    header: Option<Header>,
    /// For each location ID, the first row that gave it and the provider that row named.
    providers: HashMap<String, (u64, String, String)>,
    /// The last date text and what the window made of it: dates repeat row after row.
    last_date: (String, Option<String>),
    issues: Vec<IngestIssue>,
    reported: u64,
}

impl<'f> Screen<'f> {
    fn new(file: &'f str, window: DateWindow) -> Self {
        Screen {
            file,
            window,
            row: 0,
            search: HeaderSearch::default(),
            header: None,
            providers: HashMap::new(),
            last_date: (String::new(), None),
            issues: Vec::new(),
            reported: 0,
        }
    }

    /// The row as it goes on to the reader: itself, or blank when it is reported here.
    fn pass(&mut self, row: RowResult) -> RowResult {
        self.row += 1;
        let Ok(cells) = row else { return row };
        let Some(header) = self.header.take() else {
            // The reader looks for the header in the same way; its errors are its to give.
            if !self.search.exhausted() {
                if let Ok(Some(header)) = self.search.check(self.file, self.row, &cells) {
                    self.header = Some(header);
                }
            }
            return Ok(cells);
        };
        let failed = problem(&header, &cells, &self.window, &mut self.last_date)
            .or_else(|| self.provider_conflict(&header, &cells));
        self.header = Some(header);
        match failed {
            Some((column, value, expected)) => {
                self.report(column, value, expected);
                Ok(Cells::default())
            }
            None => Ok(cells),
        }
    }

    fn report(&mut self, column: Column, value: String, expected: String) {
        self.reported += 1;
        self.issues.push(IngestIssue {
            file: self.file.into(),
            row: Some(self.row),
            column: Some(column.header().into()),
            value: value.chars().take(200).collect(),
            expected,
        });
    }

    /// A provider that changes part-way through a location's rows: the first row's is kept,
    /// as the reader keeps the first row's identity, and the row that differs is reported.
    fn provider_conflict(
        &mut self,
        header: &Header,
        cells: &Cells,
    ) -> Option<(Column, String, String)> {
        let get = |c: Column| cell(header, cells, c);
        let (id, provider_id, provider_name) = (
            get(Column::LocationId),
            get(Column::ProviderId),
            get(Column::ProviderName),
        );
        if id.is_empty() {
            return None;
        }
        let Some((first_row, first_id, first_name)) = self.providers.get(id) else {
            let first = (self.row, provider_id.to_string(), provider_name.to_string());
            self.providers.insert(id.to_string(), first);
            return None;
        };
        let (column, value) = if first_id != provider_id {
            (Column::ProviderId, provider_id)
        } else if first_name != provider_name {
            (Column::ProviderName, provider_name)
        } else {
            return None;
        };
        let expected = format!(
            "differs from the provider on this location's row {first_row} ({first_id:?}, {first_name:?}); a location has one provider in one file, so row {first_row}'s is kept and this row is not used"
        );
        Some((column, value.to_string(), expected))
    }
}

/// The cell of a column, trimmed as the reader trims it.
fn cell<'c>(header: &Header, cells: &'c Cells, column: Column) -> &'c str {
    header
        .positions
        .get(&column)
        .and_then(|&p| cells.get(p))
        .map(str::trim)
        .unwrap_or("")
}

/// The first check the row fails: its IDs, then its date. An empty ID or a date that is not
/// a date is left to the reader, which says what it expected.
fn problem(
    header: &Header,
    cells: &Cells,
    window: &DateWindow,
    last_date: &mut (String, Option<String>),
) -> Option<(Column, String, String)> {
    let get = |c: Column| cell(header, cells, c);
    for (column, kind) in [
        (Column::LocationId, IdKind::Location),
        (Column::ProviderId, IdKind::Provider),
    ] {
        let id = get(column);
        if !id.is_empty() {
            if let Some(expected) = id_problem(id, kind) {
                return Some((column, id.to_string(), expected));
            }
        }
    }
    let text = get(Column::PublicationDate);
    if last_date.0 != text {
        last_date.0.clear();
        last_date.0.push_str(text);
        last_date.1 = parse_cqc_date(text).and_then(|date| window.problem(date));
    }
    let expected = last_date.1.clone()?;
    Some((Column::PublicationDate, text.to_string(), expected))
}
