//! A CSV file's rows as text (with or without a byte-order mark, any line endings), streamed
//! from its source so memory is that of one row whatever the file's size. Row numbers stay
//! those a spreadsheet would show, blank rows included, so every message points at the right
//! row. A field whose opening double quote is never closed where it should be would, read as
//! CSV says, swallow every row up to the next quote in the file: such a row is reported, and
//! reading goes on from the line after it, so no row vanishes.

use super::cells::{Cells, RowResult, Unreadable, UnreadableRow};
use super::csv_source::{RecordTooLong, Recorded};
use std::io::Read;

/// Why the rows stopped before the end of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvStop {
    /// Where (bytes from the start of the file).
    pub byte: u64,
    pub reason: String,
}

/// The rows of a CSV source. The csv reader skips blank lines; an empty row is put back for
/// each, so the n-th item is the file's n-th row as a spreadsheet shows it.
pub struct CsvRows<'r> {
    reader: Option<csv::Reader<Recorded<'r>>>,
    /// Where the current reader's byte 0 is in the file (it restarts after a run-on row).
    base: u64,
    record: csv::ByteRecord,
    /// Where the blank lines before the next record would start, and whether the line
    /// ending before them was a CR (whose LF, if any, is not a blank line).
    scan_from: u64,
    after_cr: bool,
    blank_rows_due: u64,
    pending: Option<RowResult>,
    /// Fields in the last row read, to tell a quoted field that took in rows.
    last_width: usize,
    stop: Option<CsvStop>,
}

/// The rows of CSV text in memory.
pub fn csv_rows(bytes: &[u8]) -> CsvRows<'_> {
    CsvRows::new(Box::new(bytes))
}

impl<'r> CsvRows<'r> {
    pub fn new(source: Box<dyn Read + 'r>) -> Self {
        let mut recorded = Recorded::new(source);
        // A UTF-8 byte-order mark is not part of the first header.
        let mut head = [0u8; 3];
        let mut have = 0;
        while have < head.len() {
            match recorded.read(head.get_mut(have..).unwrap_or_default()) {
                Ok(0) | Err(_) => break,
                Ok(n) => have += n,
            }
        }
        let base = if have == 3 && head == *b"\xEF\xBB\xBF" {
            3
        } else {
            0
        };
        recorded.restart_at(base);
        CsvRows {
            reader: Some(reader_over(recorded)),
            base,
            record: csv::ByteRecord::new(),
            scan_from: base,
            after_cr: false,
            blank_rows_due: 0,
            pending: None,
            last_width: 0,
            stop: None,
        }
    }

    /// Why the rows ended early, if they did (the source could not be read, or a line was
    /// longer than a row may be); `None` when they ended at the end of the file.
    pub fn stopped(&self) -> Option<&CsvStop> {
        self.stop.as_ref()
    }

    fn next_record(&mut self) -> Option<RowResult> {
        let reader = self.reader.as_mut()?;
        match reader.read_byte_record(&mut self.record) {
            Ok(true) => {}
            Ok(false) => {
                self.reader = None;
                return None;
            }
            Err(error) => return self.recover_from(error),
        }
        // The record's position is where the reader began looking for it: before the
        // blank lines it skipped.
        let after = self.base + reader.position().byte();
        let (blanks, start) = self.blank_lines_from_scan(after);
        let source = self.reader.as_ref()?.get_ref();
        let ran_on = ran_on(source.bytes(start, after), self.last_width);
        self.after_cr = source.bytes(after.saturating_sub(1), after) == b"\r";
        self.scan_from = after;
        let row = match ran_on {
            Some(run_on) => {
                let line_end = start + run_on.first_line_bytes;
                self.restart_at(line_end);
                Err(run_on.row)
            }
            None => {
                self.last_width = self.record.len();
                decode(&self.record)
            }
        };
        if let Some(reader) = self.reader.as_mut() {
            reader.get_mut().record_begins(self.scan_from);
        }
        if blanks == 0 {
            return Some(row);
        }
        self.blank_rows_due = blanks - 1;
        self.pending = Some(row);
        Some(Ok(Cells::default()))
    }

    /// The blank lines from where the last record ended (up to `until`), and where the text
    /// after them starts.
    fn blank_lines_from_scan(&self, until: u64) -> (u64, u64) {
        let Some(reader) = self.reader.as_ref() else {
            return (0, self.scan_from);
        };
        let gap = reader.get_ref().bytes(self.scan_from, until);
        let lf_of_crlf = self.after_cr && gap.first() == Some(&b'\n');
        let gap = if lf_of_crlf {
            gap.get(1..).unwrap_or_default()
        } else {
            gap
        };
        let blanks = count_blank_lines(gap);
        let blank_bytes = gap
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        (
            blanks,
            self.scan_from + u64::from(lf_of_crlf) + blank_bytes as u64,
        )
    }

    /// A record too long to hold is most often a quoted field that never closes: the row it
    /// began on is reported and reading goes on after that row's line. Anything else stops.
    fn recover_from(&mut self, error: csv::Error) -> Option<RowResult> {
        let too_long = match error.kind() {
            csv::ErrorKind::Io(io) => io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<RecordTooLong>().is_some()),
            _ => false,
        };
        let reader = self.reader.as_ref()?;
        let source = reader.get_ref();
        let (blanks, text_from) = self.blank_lines_from_scan(source.handed_on());
        let line = source.bytes(text_from, source.handed_on());
        let run_on = too_long.then(|| first_line_with_open_quote(line)).flatten();
        let Some((column, first_line_bytes, text)) = run_on else {
            let reason = if too_long {
                RecordTooLong.to_string()
            } else {
                error.to_string()
            };
            self.stop = Some(CsvStop {
                byte: self.base + error.position().map_or(0, |p| p.byte()),
                reason,
            });
            self.reader = None;
            return None;
        };
        let rest = line.get(first_line_bytes as usize..).unwrap_or_default();
        let lines_taken = rest.iter().filter(|&&b| b == b'\n').count() as u64;
        let row = UnreadableRow {
            column,
            lossy: text,
            why: Unreadable::UnclosedQuote { lines_taken },
        };
        self.restart_at(text_from + first_line_bytes);
        if blanks > 0 {
            self.blank_rows_due = blanks - 1;
            self.pending = Some(Err(row));
            return Some(Ok(Cells::default()));
        }
        Some(Err(row))
    }

    /// Reads afresh from `offset`, the rest of the file as it stands.
    fn restart_at(&mut self, offset: u64) {
        let Some(reader) = self.reader.take() else {
            return;
        };
        let mut recorded = reader.into_inner();
        recorded.restart_at(offset);
        self.reader = Some(reader_over(recorded));
        self.base = offset;
        self.scan_from = offset;
        self.after_cr = false;
    }
}

impl Iterator for CsvRows<'_> {
    type Item = RowResult;

    fn next(&mut self) -> Option<RowResult> {
        if self.blank_rows_due > 0 {
            self.blank_rows_due -= 1;
            return Some(Ok(Cells::default()));
        }
        if let Some(row) = self.pending.take() {
            return Some(row);
        }
        self.next_record()
    }
}

fn reader_over(recorded: Recorded<'_>) -> csv::Reader<Recorded<'_>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(recorded)
}

/// A record that took in rows of the file through an unclosed quote.
struct RunOn {
    row: UnreadableRow,
    /// The length of the record's first line, its line ending included.
    first_line_bytes: u64,
}

/// Whether a record (its raw bytes) is a quoted field that ran on: it spans lines, and the
/// lines it took in hold at least half as many commas as a row of the file has fields (a
/// quoted address over two lines holds one or two).
fn ran_on(raw: &[u8], row_width: usize) -> Option<RunOn> {
    let body = raw.strip_suffix(b"\n").unwrap_or(raw);
    let body = body.strip_suffix(b"\r").unwrap_or(body);
    let first_break = body.iter().position(|b| matches!(b, b'\r' | b'\n'))?;
    let rest = body.get(first_break..).unwrap_or_default();
    let commas_taken = rest.iter().filter(|&&b| b == b',').count();
    if commas_taken < (row_width / 2).max(3) {
        return None;
    }
    let (column, first_line_bytes, text) = first_line_with_open_quote(body)?;
    let lines_taken = rest.iter().filter(|&&b| b == b'\n').count() as u64
        + u64::from(rest.first() == Some(&b'\r') && !rest.contains(&b'\n'));
    Some(RunOn {
        row: UnreadableRow {
            column,
            lossy: text,
            why: Unreadable::UnclosedQuote {
                lines_taken: lines_taken.max(1),
            },
        },
        first_line_bytes,
    })
}

/// For a line whose last quoted field is still open at the line's end: that field's 0-based
/// column, the line's length with its ending, and the field's text from its quote.
fn first_line_with_open_quote(text: &[u8]) -> Option<(usize, u64, String)> {
    let line_length = text
        .iter()
        .position(|b| matches!(b, b'\r' | b'\n'))
        .unwrap_or(text.len());
    let line = text.get(..line_length).unwrap_or_default();
    // As CSV reads it: a quote opens a field only at the field's start; inside, a doubled
    // quote is a quote and a single one closes the field.
    let mut in_quotes = false;
    let mut column = 0;
    let mut at_field_start = true;
    let mut open_at = None;
    let mut bytes = line.iter().enumerate().peekable();
    while let Some((at, &byte)) = bytes.next() {
        match byte {
            b'"' if in_quotes => {
                if bytes.peek().is_some_and(|&(_, &next)| next == b'"') {
                    bytes.next();
                } else {
                    in_quotes = false;
                }
            }
            b'"' if at_field_start => {
                in_quotes = true;
                open_at = Some((column, at));
            }
            b',' if !in_quotes => {
                column += 1;
                at_field_start = true;
                continue;
            }
            _ => {}
        }
        at_field_start = false;
    }
    let (column, quote) = open_at.filter(|_| in_quotes)?;
    let ending = match text.get(line_length..line_length + 2) {
        Some(b"\r\n") => 2,
        Some([b'\r' | b'\n', ..]) => 1,
        _ => 0,
    };
    let field = line.get(quote..).unwrap_or_default();
    Some((
        column,
        (line_length + ending) as u64,
        String::from_utf8_lossy(field).chars().take(200).collect(),
    ))
}

/// How many empty lines (LF, CRLF or CR endings) the text starts with.
fn count_blank_lines(mut text: &[u8]) -> u64 {
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
                return Err(UnreadableRow {
                    column,
                    lossy,
                    why: Unreadable::NotUtf8,
                });
            }
        }
    }
    Ok(cells)
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
                lossy: "Caf\u{fffd}".into(),
                why: Unreadable::NotUtf8,
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

    #[test]
    fn an_unclosed_quote_is_one_reported_row_and_the_rows_after_it_are_read() {
        let mut text = String::from("id,name,group,domain,rating\n");
        text.push_str("1-1,\"Broken Home,Overall,Safe,Good\n");
        for n in 2..=40 {
            text.push_str(&format!("1-{n},Home {n},Overall,Safe,Good\n"));
        }
        text.push_str("1-41,\"Quoted, properly\",Overall,Safe,Good\n");
        let rows: Vec<RowResult> = csv_rows(text.as_bytes()).collect();
        assert_eq!(rows.len(), 42, "every physical row is a row");
        assert_eq!(
            rows[1],
            Err(UnreadableRow {
                column: 1,
                lossy: "\"Broken Home,Overall,Safe,Good".into(),
                why: Unreadable::UnclosedQuote { lines_taken: 40 },
            })
        );
        assert_eq!(rows[2], row(&["1-2", "Home 2", "Overall", "Safe", "Good"]));
        assert_eq!(
            rows[41],
            row(&["1-41", "Quoted, properly", "Overall", "Safe", "Good"])
        );
    }

    #[test]
    fn a_quote_never_closed_is_reported_even_past_the_longest_record() {
        let mut text = String::from("id,name,group,domain,rating\r\n\r\n1-1,\"Broken,a,b,c\r\n");
        let filler = "1-2,Home,Overall,Safe,Good\r\n";
        text.push_str(&filler.repeat((17 << 20) / filler.len()));
        let mut rows = csv_rows(text.as_bytes());
        assert_eq!(rows.next().map(|r| r.map(|c| c.len())), Some(Ok(5)));
        assert_eq!(rows.next(), Some(Ok(Cells::default())));
        let broken = rows.next();
        assert!(
            matches!(
                &broken,
                Some(Err(UnreadableRow {
                    column: 1,
                    why: Unreadable::UnclosedQuote { .. },
                    ..
                }))
            ),
            "{broken:?}"
        );
        assert_eq!(
            rows.next(),
            Some(row(&["1-2", "Home", "Overall", "Safe", "Good"]))
        );
        assert_eq!(rows.count(), (17 << 20) / filler.len() - 1);
    }
}
