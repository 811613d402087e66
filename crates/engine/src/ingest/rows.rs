//! Turning a file's bytes into rows of text, one per spreadsheet row, whatever the format:
//! CSV (with or without a byte-order mark, any line endings) or an ODS/XLSX/XLS workbook.
//! Row numbers stay those a spreadsheet would show, blank rows included, so every message
//! points at the right row.

use super::report::IngestError;

/// A row that could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRow {
    /// 0-based position of the first field that is not UTF-8.
    pub column: usize,
    /// The row's text with the undecodable bytes replaced, for the message.
    pub lossy: String,
}

/// One row of a file: its cells, or why they could not be read.
pub type RowResult = Result<Cells, UnreadableRow>;

/// One row's cell texts in one string, with where each cell ends. A national file has 13.6
/// million cells, most of which the pipeline only looks at: a string per cell was that many
/// allocations and frees, for CSV and spreadsheets alike.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    pub(super) text: String,
    pub(super) ends: Vec<usize>,
}

impl Cells {
    pub fn with_capacity(text: usize, cells: usize) -> Self {
        Cells {
            text: String::with_capacity(text),
            ends: Vec::with_capacity(cells),
        }
    }

    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }

    /// The text of the cell at a 0-based position.
    pub fn get(&self, column: usize) -> Option<&str> {
        let end = *self.ends.get(column)?;
        let start = match column.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        self.text.get(start..end)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Whether every cell is empty text.
    pub fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|column| self.get(column).unwrap_or_default())
    }

    pub fn to_strings(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Cells {
    fn from_iter<I: IntoIterator<Item = S>>(cells: I) -> Self {
        let mut row = Cells::default();
        for cell in cells {
            row.push(cell.as_ref());
        }
        row
    }
}

/// Whether the bytes are a zip (ODS, XLSX) or OLE (XLS) container rather than text.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

/// CSV rows as text. The csv reader skips blank lines; an empty row is put back for each, so
/// the n-th item is the file's n-th row as a spreadsheet shows it.
pub fn csv_rows(bytes: &[u8]) -> impl Iterator<Item = RowResult> + '_ {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    // Where the blank lines before the next record would start.
    let mut scan_from = 0usize;
    let mut blank_rows_due = 0usize;
    let mut pending: Option<RowResult> = None;
    std::iter::from_fn(move || {
        if blank_rows_due > 0 {
            blank_rows_due -= 1;
            return Some(Ok(Cells::default()));
        }
        if let Some(row) = pending.take() {
            return Some(row);
        }
        let blanks = bytes.get(scan_from..).map_or(0, count_blank_lines);
        // Reading from a byte slice cannot fail with an I/O error, and with `flexible` set no
        // other error arises; should one ever, the file ends there and the counts show it.
        if !reader.read_byte_record(&mut record).unwrap_or(false) {
            return None;
        }
        scan_from = end_of_terminator(bytes, reader.position().byte() as usize);
        let row = decode(&record);
        if blanks == 0 {
            return Some(row);
        }
        blank_rows_due = blanks - 1;
        pending = Some(row);
        Some(Ok(Cells::default()))
    })
}

/// The csv reader stops just after the first byte of a record's line ending; a CRLF ending
/// has one more byte to pass.
fn end_of_terminator(bytes: &[u8], after: usize) -> usize {
    let crlf =
        after > 0 && bytes.get(after - 1) == Some(&b'\r') && bytes.get(after) == Some(&b'\n');
    if crlf {
        after + 1
    } else {
        after
    }
}

/// How many empty lines (LF, CRLF or CR endings) the text starts with.
fn count_blank_lines(mut text: &[u8]) -> usize {
    let mut count = 0;
    loop {
        text = match text {
            [b'\r', b'\n', rest @ ..] | [b'\n', rest @ ..] | [b'\r', rest @ ..] => rest,
            _ => return count,
        };
        count += 1;
    }
}

fn decode(record: &csv::ByteRecord) -> RowResult {
    let mut cells = Cells::with_capacity(record.as_slice().len(), record.len());
    for (column, field) in record.iter().enumerate() {
        match std::str::from_utf8(field) {
            Ok(text) => cells.push(text),
            Err(_) => {
                let lossy = String::from_utf8_lossy(field).into_owned();
                return Err(UnreadableRow { column, lossy });
            }
        }
    }
    Ok(cells)
}

/// Hands the rows of the "Locations" sheet (or the first sheet) as text to `consume`, one at a
/// time. ODS, CQC's format, is streamed by `ods`; XLSX goes through calamine.
pub fn with_spreadsheet_rows<T>(
    file: &str,
    bytes: &[u8],
    mut consume: impl FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    // CQC publishes ODS, XLSX and CSV. The legacy .xls (OLE) reader in calamine panics on
    // damaged files (found by fuzzing, still in 0.38), so .xls is refused with a way out.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(IngestError::UnknownFormat {
            file: file.into(),
            detail: "it is a legacy Excel 97-2003 .xls workbook; save it as .xlsx, .ods or CSV and load that".into(),
        });
    }
    if super::ods::is_ods(bytes) {
        return super::ods::with_ods_rows(file, bytes, &mut consume);
    }
    with_calamine_rows(file, bytes, consume)
}

/// The rows of a workbook calamine reads (XLSX; ODS too, which the ODS tests compare against).
/// calamine builds the whole sheet before the first row; rows are then handed on one at a
/// time, as a second, text copy of a national sheet would double the memory (measured: 2.4 GB
/// peak with the copy).
pub(super) fn with_calamine_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: impl FnOnce(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    use calamine::Reader;
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
                .chain(r.iter().map(cell_text))
                .collect()
        }))
        .map(Ok);
    Ok(consume(&mut rows))
}

fn cell_text(cell: &calamine::Data) -> String {
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

/// A number cell as text: whole numbers without a fraction (an id typed as a number is
/// "123", not "123.0").
pub(super) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// A boolean cell as the Y/N the Inherited and Care Home columns use.
pub(super) fn boolean_text(b: bool) -> &'static str {
    if b {
        "Y"
    } else {
        "N"
    }
}

/// Excel's serial day count (days since 30 Dec 1899) as ISO text for `parse_cqc_date`.
fn excel_serial_to_date(serial: f64) -> String {
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| serial.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> RowResult {
        Ok(cells.iter().collect())
    }

    #[test]
    fn blank_lines_keep_their_row_numbers() {
        let rows: Vec<RowResult> = csv_rows(b"a,b\r\n\r\n\r\nc,d\r\ne,f").collect();
        assert_eq!(rows.len(), 5);
        assert_eq!(rows[0], row(&["a", "b"]));
        assert_eq!(rows[1], row(&[]));
        assert_eq!(rows[2], row(&[]));
        assert_eq!(rows[3], row(&["c", "d"]));
        assert_eq!(rows[4], row(&["e", "f"]));
    }

    #[test]
    fn blank_lines_are_counted_with_any_line_ending() {
        for text in [
            &b"\na,b\n\nc,d\n"[..],
            b"\r\na,b\r\n\r\nc,d\r\n",
            b"\ra,b\r\rc,d\r",
        ] {
            let rows: Vec<RowResult> = csv_rows(text).collect();
            let shape: Vec<usize> = rows
                .iter()
                .map(|r| r.as_ref().map_or(99, Cells::len))
                .collect();
            assert_eq!(shape, [0, 2, 0, 2], "{text:?}");
        }
    }

    #[test]
    fn a_quoted_line_break_stays_one_row() {
        let rows: Vec<RowResult> = csv_rows(b"a,\"two\nlines\"\nc,d\n").collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1], row(&["c", "d"]));
    }

    #[test]
    fn a_latin1_field_is_located() {
        let rows: Vec<RowResult> = csv_rows(b"id,name\n1,Caf\xe9\n").collect();
        assert_eq!(
            rows[1],
            Err(UnreadableRow {
                column: 1,
                lossy: "Caf\u{fffd}".into()
            })
        );
    }

    #[test]
    fn cells_are_found_by_position_in_one_string() {
        let cells: Cells = ["Location ID", "", "Gilbert Court", " x "].iter().collect();
        assert_eq!(cells.len(), 4);
        assert_eq!(cells.get(0), Some("Location ID"));
        assert_eq!(cells.get(1), Some(""));
        assert_eq!(cells.get(3), Some(" x "));
        assert_eq!(cells.get(4), None);
        assert_eq!(
            cells.to_strings(),
            ["Location ID", "", "Gilbert Court", " x "]
        );
        assert!(!cells.is_blank());
        assert!(["", ""].iter().collect::<Cells>().is_blank());
    }
}
