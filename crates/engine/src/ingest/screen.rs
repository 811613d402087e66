//! The checks a Latest ratings row passes before the row reader sees it: its location and
//! provider IDs have CQC's shapes (`validate::id_problem`), its publication date lies between
//! CQC's establishment and the file's own date (`validate::DateWindow`), and its provider is the
//! one its location's earlier rows gave. A row that fails is reported here, with its row number,
//! and handed on as a blank row, which the reader skips without counting, so every other row
//! keeps its number and the counts still reconcile once this screen's are added.

use super::cells::{Cells, RowResult};
use super::columns::{Column, HeaderSearch};
use super::csv_rows::{csv_rows, CsvRows};
use super::kind::FileKind;
use super::latest::read_latest_ratings_rows;
use super::report::{IngestError, IngestIssue, RowKind};
use super::validate::{date_from_file_name, id_problem, DateWindow, IdKind};
use super::workbook::with_workbook_rows;
use super::Ingested;
use crate::model::{parse_cqc_date, Date};
use std::collections::HashMap;
use std::io::Read;

/// Reads a Latest ratings file (CSV or spreadsheet, by content) with every row screened; no
/// date may be later than the file's own date, if its name states one.
pub fn read_latest_ratings(file: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    read_latest_ratings_as_of(file, bytes, None)
}

/// As [`read_latest_ratings`], and no date may be later than `today` either (the CLI and the
/// browser know the date; the engine does not read a clock).
pub fn read_latest_ratings_as_of(
    file: &str,
    bytes: &[u8],
    today: Option<Date>,
) -> Result<Ingested, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { file: file.into() });
    }
    let kind = FileKind::of(file, bytes);
    if let Some(refusal) = kind.refusal(file) {
        return Err(refusal);
    }
    let stated_date = date_from_file_name(file);
    let mut screen = Screen::new(file, DateWindow::new(stated_date, today));
    let read = if kind.is_workbook() {
        with_workbook_rows(file, bytes, kind, |rows| {
            read_latest_ratings_rows(file, rows.map(|row| screen.pass(row)))
        })?
        .map_err(|e| match e {
            IngestError::Empty { file } => IngestError::EmptySheet { file },
            other => other,
        })
    } else {
        read_screened_csv(file, csv_rows(bytes), &mut screen)
    };
    let hash = xxhash_rust::xxh3::xxh3_128(bytes);
    finish(read, screen, hash, stated_date)
}

/// A Latest ratings CSV streamed from its source (a file on disk), every row screened, its
/// content hash taken as it streams: memory is one row and the locations, whatever the size.
pub fn read_latest_ratings_csv_as_of(
    file: &str,
    source: impl Read,
    today: Option<Date>,
) -> Result<Ingested, IngestError> {
    let stated_date = date_from_file_name(file);
    let mut screen = Screen::new(file, DateWindow::new(stated_date, today));
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let hashing = HashingReader {
        source,
        hasher: &mut hasher,
    };
    let read = read_screened_csv(file, CsvRows::new(Box::new(hashing)), &mut screen);
    finish(read, screen, hasher.digest128(), stated_date)
}

/// Feeds what passes through it to the content hash.
struct HashingReader<'h, R> {
    source: R,
    hasher: &'h mut xxhash_rust::xxh3::Xxh3,
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.source.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

fn read_screened_csv(
    file: &str,
    mut rows: CsvRows<'_>,
    screen: &mut Screen<'_>,
) -> Result<Ingested, IngestError> {
    let read = read_latest_ratings_rows(file, (&mut rows).map(|row| screen.pass(row)));
    match rows.stopped() {
        Some(stop) => Err(IngestError::Unreadable {
            file: file.into(),
            byte: stop.byte,
            detail: stop.reason.clone(),
        }),
        None => read,
    }
}

/// Adds the screen's reported rows to the reader's counts, and the file's hash and date.
fn finish(
    read: Result<Ingested, IngestError>,
    mut screen: Screen<'_>,
    hash: u128,
    stated_date: Option<Date>,
) -> Result<Ingested, IngestError> {
    let mut ingested = match read {
        Ok(ingested) => ingested,
        // Every row was screened out: they are reported, not absent.
        Err(IngestError::HeaderOnly { .. }) if screen.reported > 0 => Ingested::default(),
        Err(e) => return Err(e),
    };
    let file = screen.file;
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
        counts.content_hash = Some(format!("{hash:032x}"));
        counts.stated_date = stated_date;
    }
    report.issues.append(&mut screen.issues);
    // One list in row order, whichever stage reported the row.
    report.issues.sort_by_key(|issue| issue.row);
    Ok(ingested)
}

/// What the screen knows of the file so far. A file's rows come location by location, and
/// dates and provider IDs repeat row after row, so each check is made once per new text, not
/// once per row: a national file has 485,766 rows.
struct Screen<'f> {
    file: &'f str,
    window: DateWindow,
    /// 1-based number of the row being passed.
    row: u64,
    search: HeaderSearch,
    /// Where each column sits, once the header is found.
    slots: Option<[Option<usize>; Column::ALL.len()]>,
    /// For each location ID, the first row that gave it and the provider that row named.
    providers: HashMap<String, FirstProvider>,
    /// The location whose rows are being passed, and what its ID and first provider are.
    current: Current,
    /// The last text of these columns and what the checks made of it.
    last_provider_id: Checked,
    last_date: Checked,
    /// What the window made of each date text so far: a national file has a few thousand
    /// distinct dates, and a look-up is cheaper than parsing one again.
    date_problems: HashMap<String, Option<String>>,
    issues: Vec<IngestIssue>,
    reported: u64,
}

#[derive(Clone, Default)]
struct FirstProvider {
    row: u64,
    id: String,
    name: String,
}

#[derive(Default)]
struct Current {
    id: String,
    problem: Option<String>,
    first: FirstProvider,
}

/// A cell's last text and why it failed its check (`None`: it passed).
#[derive(Default)]
struct Checked {
    text: String,
    problem: Option<String>,
}

impl Checked {
    fn check(&mut self, text: &str, check: impl FnOnce(&str) -> Option<String>) -> Option<&str> {
        if self.text != text {
            self.problem = check(text);
            self.text.clear();
            self.text.push_str(text);
        }
        self.problem.as_deref()
    }
}

impl<'f> Screen<'f> {
    fn new(file: &'f str, window: DateWindow) -> Self {
        Screen {
            file,
            window,
            row: 0,
            search: HeaderSearch::default(),
            slots: None,
            providers: HashMap::new(),
            current: Current::default(),
            last_provider_id: Checked::default(),
            last_date: Checked::default(),
            date_problems: HashMap::new(),
            issues: Vec::new(),
            reported: 0,
        }
    }

    /// The row as it goes on to the reader: itself, or blank when it is reported here.
    fn pass(&mut self, row: RowResult) -> RowResult {
        self.row += 1;
        let Ok(cells) = row else { return row };
        let Some(slots) = self.slots else {
            // The reader looks for the header in the same way; its errors are its to give.
            if !self.search.exhausted() {
                if let Ok(Some(header)) = self.search.check(self.file, self.row, &cells) {
                    self.slots = Some(header.slots());
                }
            }
            return Ok(cells);
        };
        let get = |c: Column| -> &str {
            slots
                .get(c.slot())
                .copied()
                .flatten()
                .and_then(|p| cells.get(p))
                .map(str::trim)
                .unwrap_or("")
        };
        match self.problem(&get) {
            Some((column, expected)) => {
                let value = get(column).to_string();
                self.reported += 1;
                self.issues.push(IngestIssue {
                    file: self.file.into(),
                    row: Some(self.row),
                    column: Some(column.header().into()),
                    value: value.chars().take(200).collect(),
                    expected,
                });
                Ok(Cells::default())
            }
            None => Ok(cells),
        }
    }

    /// The first check the row fails: its IDs, its date, then its provider against its
    /// location's first row. An empty ID or a date that is not a date is left to the reader,
    /// which says what it expected.
    fn problem<'c>(&mut self, get: &impl Fn(Column) -> &'c str) -> Option<(Column, String)> {
        let id = get(Column::LocationId);
        if id.is_empty() {
            return None;
        }
        let (provider_id, provider_name) = (get(Column::ProviderId), get(Column::ProviderName));
        if self.current.id != id {
            self.start_location(id, provider_id, provider_name);
        }
        if let Some(problem) = &self.current.problem {
            return Some((Column::LocationId, problem.clone()));
        }
        let provider_problem = self.last_provider_id.check(provider_id, |text| {
            (!text.is_empty())
                .then(|| id_problem(text, IdKind::Provider))
                .flatten()
        });
        if let Some(problem) = provider_problem {
            return Some((Column::ProviderId, problem.to_string()));
        }
        let (window, seen) = (&self.window, &mut self.date_problems);
        let date_problem = self.last_date.check(get(Column::PublicationDate), |text| {
            if let Some(known) = seen.get(text) {
                return known.clone();
            }
            let problem = parse_cqc_date(text).and_then(|date| window.problem(date));
            seen.insert(text.to_string(), problem.clone());
            problem
        });
        if let Some(problem) = date_problem {
            return Some((Column::PublicationDate, problem.to_string()));
        }
        self.provider_conflict(provider_id, provider_name)
    }

    /// A new run of a location's rows: its ID checked, and its first provider found (or
    /// recorded, if this is its first row).
    fn start_location(&mut self, id: &str, provider_id: &str, provider_name: &str) {
        self.current.id.clear();
        self.current.id.push_str(id);
        self.current.problem = id_problem(id, IdKind::Location);
        self.current.first = match self.providers.get(id) {
            Some(first) => first.clone(),
            None => {
                let first = FirstProvider {
                    row: self.row,
                    id: provider_id.to_string(),
                    name: provider_name.to_string(),
                };
                self.providers.insert(id.to_string(), first.clone());
                first
            }
        };
    }

    /// A provider that changes part-way through a location's rows: the first row's is kept,
    /// as the reader keeps the first row's identity, and the row that differs is reported.
    fn provider_conflict(
        &self,
        provider_id: &str,
        provider_name: &str,
    ) -> Option<(Column, String)> {
        let first = &self.current.first;
        let column = if first.id != provider_id {
            Column::ProviderId
        } else if first.name != provider_name {
            Column::ProviderName
        } else {
            return None;
        };
        let row = first.row;
        Some((
            column,
            format!(
                "differs from the provider on this location's row {row} ({:?}, {:?}); a location has one provider in one file, so row {row}'s is kept and this row is not used",
                first.id, first.name
            ),
        ))
    }
}
