//! A CSV file's rows as text (with or without a byte-order mark, any line endings). Row
//! numbers stay those a spreadsheet would show, blank rows included, so every message points
//! at the right row.

use super::cells::{Cells, RowResult, UnreadableRow};

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
