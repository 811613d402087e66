//! One row's cells as they are read, repeated cells placed: a run of empty cells costs nothing
//! until a value follows it, and text never lands past the last column or beyond the row limit
//! (an error, never dropped).

use super::error::Problem;
use super::limits::{MAX_COLUMNS, MAX_ROW_BYTES};
use crate::ingest::cells::Cells;

/// The cells of one row as they are read: a run of empty cells is held back until a cell
/// with a value follows, so the padding LibreOffice writes to the last column costs nothing.
pub struct RowCells {
    pub row: Cells,
    empty_run: usize,
    pub has_value: bool,
}

impl RowCells {
    pub fn sized_like((text, cells): (usize, usize)) -> Self {
        RowCells {
            row: Cells {
                text: String::with_capacity(text),
                ends: Vec::with_capacity(cells),
            },
            empty_run: 0,
            has_value: false,
        }
    }

    /// The columns taken so far, the empty ones held back included.
    pub fn columns_placed(&self) -> u64 {
        (self.row.ends.len() as u64).saturating_add(self.empty_run as u64)
    }

    pub fn place_empty(&mut self, repeats: usize) {
        self.empty_run = self.empty_run.saturating_add(repeats);
    }

    /// The cell whose text was just appended from `start`, `repeats` times. Text that would
    /// land past the last column, or make the row too long, is an error, never dropped.
    pub fn place_value(&mut self, start: usize, repeats: usize) -> Result<(), Problem> {
        self.has_value = true;
        let ends = &mut self.row.ends;
        let room = MAX_COLUMNS.saturating_sub(ends.len());
        let empty_run = std::mem::take(&mut self.empty_run);
        let gap = empty_run.min(room);
        ends.extend(std::iter::repeat_n(start, gap));
        let copies = repeats.min(MAX_COLUMNS.saturating_sub(ends.len()));
        let text = &mut self.row.text;
        let end = text.len();
        let cell_len = end - start;
        if cell_len > 0 && (gap < empty_run || copies < repeats) {
            return Err(Problem::BeyondLastColumn);
        }
        if copies == 0 {
            text.truncate(start);
            return Ok(());
        }
        let row_len = start.saturating_add(cell_len.saturating_mul(copies));
        if row_len > MAX_ROW_BYTES {
            return Err(Problem::RowTooLong);
        }
        ends.push(end);
        for _ in 1..copies {
            text.extend_from_within(start..end);
            ends.push(text.len());
        }
        Ok(())
    }
}
