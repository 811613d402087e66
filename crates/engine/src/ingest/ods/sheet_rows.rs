//! One sheet's rows as the row pipeline wants them, from the rows `document` parses: repeated
//! rows expanded, blank rows kept for their row numbers, the padding at the sheet's end
//! dropped, and the limits on rows and cells kept.

use super::document::{Document, ParsedRow};
use super::error::{OdsError, Problem};
use super::limits::{MAX_CELLS, MAX_ROWS, MAX_SHEET_TEXT_BYTES};
use crate::ingest::cells::Cells;
use std::io::BufRead;

/// Gives the current sheet's rows to `consume`; an error met while reading them is returned
/// instead of what `consume` made of them.
pub fn stream_sheet<R: BufRead, T>(
    document: &mut Document<'_, R>,
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = Cells>) -> T,
) -> Result<T, OdsError> {
    let mut rows = SheetRows::new(document);
    let result = consume(&mut rows);
    match rows.error.take() {
        Some(error) => Err(error),
        None => Ok(result),
    }
}

/// The rows of one sheet as the row pipeline wants them: row numbers true (blank rows handed
/// on as empty rows), repeated rows repeated, and the blank rows at the sheet's end (LibreOffice
/// writes a million of them as one element) never handed on at all.
pub struct SheetRows<'d, 'f, R: BufRead> {
    document: &'d mut Document<'f, R>,
    /// Blank rows to hand on before anything else.
    blank_due: u64,
    /// A row still to be handed on, and how many more times.
    repeating: Option<(Cells, u64)>,
    /// Blank rows read but not yet handed on: only a row with text after them shows they are
    /// not the sheet's padding.
    blank_held: u64,
    /// How many of the held rows calamine would have handed on at the sheet's end: up to the
    /// last one with a value (empty text) in it.
    blank_held_with_value: u64,
    /// Rows handed on or due, to keep within the spreadsheet's limit.
    rows_placed: u64,
    cells_placed: u64,
    /// Text handed on or due: repeats cost work as well as cells, and a long row repeated
    /// within the cell limit was minutes of copying.
    text_placed: u64,
    finished: bool,
    error: Option<OdsError>,
}

impl<'d, 'f, R: BufRead> SheetRows<'d, 'f, R> {
    fn new(document: &'d mut Document<'f, R>) -> Self {
        SheetRows {
            document,
            blank_due: 0,
            repeating: None,
            blank_held: 0,
            blank_held_with_value: 0,
            rows_placed: 0,
            cells_placed: 0,
            text_placed: 0,
            finished: false,
            error: None,
        }
    }

    fn take_row(&mut self, row: ParsedRow) -> Result<(), OdsError> {
        if row.repeats == 0 {
            return Ok(());
        }
        if row.row.is_blank() {
            self.blank_held = self.blank_held.saturating_add(row.repeats);
            if row.has_value {
                self.blank_held_with_value = self.blank_held;
            }
            return Ok(());
        }
        let rows_after = self
            .rows_placed
            .saturating_add(self.blank_held)
            .saturating_add(row.repeats);
        if rows_after > MAX_ROWS {
            return Err(self.document.invalid(Problem::BeyondLastRow));
        }
        let cells = (row.row.len() as u64).saturating_mul(row.repeats);
        self.cells_placed = self.cells_placed.saturating_add(cells);
        if self.cells_placed > MAX_CELLS {
            return Err(self.document.invalid(Problem::TooManyCells));
        }
        let text = (row.row.text.len() as u64).saturating_mul(row.repeats);
        self.text_placed = self.text_placed.saturating_add(text);
        if self.text_placed > MAX_SHEET_TEXT_BYTES {
            return Err(self.document.invalid(Problem::TooMuchText));
        }
        self.blank_due = std::mem::take(&mut self.blank_held);
        self.blank_held_with_value = 0;
        self.rows_placed = rows_after;
        self.repeating = Some((row.row, row.repeats));
        Ok(())
    }

    /// At the sheet's end, calamine's extent ended at the last row with a value.
    fn finish(&mut self) {
        self.finished = true;
        let room = MAX_ROWS.saturating_sub(self.rows_placed);
        self.blank_due = self.blank_held_with_value.min(room);
        self.blank_held = 0;
        self.blank_held_with_value = 0;
    }
}

impl<R: BufRead> Iterator for SheetRows<'_, '_, R> {
    type Item = Cells;

    fn next(&mut self) -> Option<Cells> {
        loop {
            if self.blank_due > 0 {
                self.blank_due -= 1;
                return Some(Cells::default());
            }
            if let Some((cells, times)) = self.repeating.take() {
                if times > 1 {
                    self.repeating = Some((cells.clone(), times - 1));
                }
                return Some(cells);
            }
            if self.finished {
                return None;
            }
            let placed = match self.document.next_row() {
                Ok(Some(row)) => self.take_row(row),
                Ok(None) => {
                    self.finish();
                    Ok(())
                }
                Err(e) => Err(e),
            };
            if let Err(error) = placed {
                self.error = Some(error);
                self.finished = true;
                return None;
            }
        }
    }
}
