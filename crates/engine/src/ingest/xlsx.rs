//! The rows of an XLSX workbook as text, streamed cell by cell through calamine's cell reader
//! (ODS, CQC's own format, is streamed by `ods`): those of the "Locations" sheet, or the first.
//! calamine's whole-sheet range is not used: it allocates the rectangle between the sheet's
//! first and last cells before reading any, so two cells a file places at A1 and XFD1048576
//! asked for 17 billion. Counts the file declares are checked before calamine sees them.

use super::cell_values::{boolean_text, excel_serial_to_date, number_text};
use super::cells::{Cells, RowResult};
use super::report::IngestError;
use calamine::{DataRef, Reader};
use std::io::{Cursor, Read};

/// The most rows and columns a sheet holds (Excel's limits), and the most text one row and
/// all rows may hold: as for ODS (`ods::limits`).
const MAX_ROWS: u32 = 1_048_576;
const MAX_COLUMNS: u32 = 16_384;
const MAX_ROW_BYTES: usize = 16 << 20;
const MAX_CELLS: u64 = 100_000_000;

/// Deflate expands at most about 1,032 times; what a zip entry can hold is bounded by that and
/// its compressed size, whatever size it declares.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// The shortest a shared string can be written (`<si><t/></si>`).
const MIN_SHARED_STRING_BYTES: u64 = 12;

type CellReader<'a> = calamine::XlsxCellReader<'a, Cursor<&'a [u8]>>;

/// Hands the rows of the "Locations" sheet (or the first sheet) to `consume` as text, one at
/// a time; an error met while reading them is returned instead of what `consume` made of them.
pub fn with_xlsx_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: impl FnOnce(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    let unreadable = |detail: String| IngestError::Spreadsheet {
        file: file.into(),
        detail,
    };
    refuse_impossible_counts(bytes).map_err(unreadable)?;
    // A workbook that cannot even be opened is damaged, most often a download cut short.
    let mut workbook =
        calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| IngestError::DamagedSpreadsheet {
            file: file.into(),
            bytes: bytes.len() as u64,
            detail: e.to_string(),
        })?;
    let names = workbook.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Locations"))
        .or(names.first())
        .cloned()
        .ok_or_else(|| unreadable("it has no sheets".into()))?;
    let cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| unreadable(format!("sheet \"{sheet}\": {e}")))?;
    let mut rows = XlsxRows {
        cells,
        next_row: 0,
        pending: None,
        cells_read: 0,
        finished: false,
        error: None,
    };
    let result = consume(&mut rows);
    match rows.error {
        Some(detail) => Err(unreadable(format!("sheet \"{sheet}\": {detail}"))),
        None => Ok(result),
    }
}

/// calamine reserves room for as many shared strings as the file says it has: a few bytes
/// could ask for terabytes. The count must fit in what the entry can hold.
fn refuse_impossible_counts(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        // calamine names the damage.
        return Ok(());
    };
    let Ok(entry) = archive.by_name("xl/sharedStrings.xml") else {
        return Ok(());
    };
    let most_bytes = entry.compressed_size().saturating_mul(MAX_DEFLATE_RATIO);
    let mut head = Vec::new();
    // A damaged entry (a bad checksum, a cut stream) is refused here: handed on, calamine would
    // read the count it declares before it found the damage.
    if let Err(e) = entry.take(4096).read_to_end(&mut head) {
        return Err(format!("xl/sharedStrings.xml cannot be read: {e}"));
    }
    let head = String::from_utf8_lossy(&head);
    for attribute in ["uniqueCount=\"", "count=\""] {
        let Some(at) = head.find(attribute) else {
            continue;
        };
        let digits: String = head
            .get(at + attribute.len()..)
            .unwrap_or_default()
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        let declared: u64 = digits.trim().parse().unwrap_or(u64::MAX);
        if declared.saturating_mul(MIN_SHARED_STRING_BYTES) > most_bytes {
            return Err(format!("its shared strings declare {attribute}{digits}\", more than the {} compressed bytes of xl/sharedStrings.xml can hold", most_bytes / MAX_DEFLATE_RATIO));
        }
    }
    Ok(())
}

/// A sheet's rows from its cells, in the order the file gives them (rows top to bottom, cells
/// left to right, as Excel and LibreOffice write them), blank rows between put back.
struct XlsxRows<'a> {
    cells: CellReader<'a>,
    /// The 0-based row handed on next.
    next_row: u32,
    /// A cell read but not yet placed: its row, column and text.
    pending: Option<(u32, u32, String)>,
    cells_read: u64,
    finished: bool,
    error: Option<String>,
}

impl XlsxRows<'_> {
    /// The next cell with a value (calamine's range left empty cells out too).
    fn read_cell(&mut self) -> Option<(u32, u32, String)> {
        while !self.finished {
            match self.cells.next_cell() {
                Ok(Some(cell)) => {
                    if matches!(cell.get_value(), DataRef::Empty) {
                        continue;
                    }
                    let (row, column) = cell.get_position();
                    return Some((row, column, cell_text(cell.get_value())));
                }
                Ok(None) => self.finished = true,
                Err(e) => self.fail(e.to_string()),
            }
        }
        None
    }

    fn fail(&mut self, detail: String) {
        self.error = Some(detail);
        self.finished = true;
        self.pending = None;
    }

    /// Where a cell may not go, and why.
    fn misplaced(&self, row: u32, column: u32, cells_so_far: u32) -> Option<String> {
        if row >= MAX_ROWS || column >= MAX_COLUMNS {
            return Some(format!("a cell is placed beyond row {MAX_ROWS} or column {MAX_COLUMNS}, the most a spreadsheet holds"));
        }
        if row < self.next_row || (row == self.next_row && column < cells_so_far) {
            return Some(format!("the cells are not in order (row {}, column {} comes after a cell below or right of it); save the workbook again from Excel or LibreOffice", row + 1, column + 1));
        }
        None
    }
}

impl Iterator for XlsxRows<'_> {
    type Item = RowResult;

    fn next(&mut self) -> Option<RowResult> {
        if self.pending.is_none() {
            self.pending = self.read_cell();
        }
        let (row, _, _) = self.pending.as_ref()?;
        let row = *row;
        if let Some(detail) = self.misplaced(row, 0, 0) {
            self.fail(detail);
            return None;
        }
        if row > self.next_row {
            self.next_row += 1;
            return Some(Ok(Cells::default()));
        }
        let mut cells = Cells::default();
        let mut width = 0u32;
        while let Some((cell_row, column, text)) = self.pending.take() {
            if cell_row != row {
                self.pending = Some((cell_row, column, text));
                break;
            }
            if let Some(detail) = self.misplaced(cell_row, column, width) {
                self.fail(detail);
                return None;
            }
            self.cells_read += 1;
            if cells.text.len() + text.len() > MAX_ROW_BYTES || self.cells_read > MAX_CELLS {
                self.fail(format!("row {} holds more than {} MB of text, or the sheet more than {MAX_CELLS} cells, more than this reader accepts", row + 1, MAX_ROW_BYTES >> 20));
                return None;
            }
            while width < column {
                cells.push("");
                width += 1;
            }
            cells.push(&text);
            width += 1;
            self.pending = self.read_cell();
        }
        self.next_row += 1;
        Some(Ok(cells))
    }
}

fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => boolean_text(*b).to_string(),
        DataRef::DateTime(d) => excel_serial_to_date(d.as_f64()),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// The whole-sheet reading the XLSX reader replaced, kept for the ODS reader's tests, which
/// compare the ODS stream with what calamine makes of the same file.
#[cfg(test)]
/// The rows of a workbook calamine reads (XLSX; ODS too, which the ODS tests compare against).
/// calamine builds the whole sheet before the first row; rows are then handed on one at a
/// time, as a second, text copy of a national sheet would double the memory (measured: 2.4 GB
/// peak with the copy).
pub fn with_calamine_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: impl FnOnce(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    let unreadable = |detail: String| IngestError::Spreadsheet {
        file: file.into(),
        detail,
    };
    // A workbook that cannot even be opened is damaged, most often a download cut short.
    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            IngestError::DamagedSpreadsheet {
                file: file.into(),
                bytes: bytes.len() as u64,
                detail: e.to_string(),
            }
        })?;
    let names = workbook.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Locations"))
        .or(names.first())
        .cloned()
        .ok_or_else(|| unreadable("it has no sheets".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(format!("sheet \"{sheet}\": {e}")))?;
    // Rows above the used range are blank in the file; keep spreadsheet row numbers true.
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_column = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows = std::iter::repeat_with(Cells::default)
        .take(first_row)
        .chain(range.rows().map(|r| {
            // Columns left of the used range are blank too; keep positions true for messages.
            std::iter::repeat_n(String::new(), first_column)
                .chain(r.iter().map(data_text))
                .collect()
        }))
        .map(Ok);
    Ok(consume(&mut rows))
}

#[cfg(test)]
fn data_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => boolean_text(*b).to_string(),
        Data::DateTime(d) => excel_serial_to_date(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}
