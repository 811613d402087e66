//! How much an ODS may stand for. A few bytes of XML can repeat a cell across every column and
//! a row down every row, so each limit is checked before the text or the work it would cost
//! is spent, never after.

/// The most rows and columns a spreadsheet holds (LibreOffice's and Excel's limits, and
/// calamine's): LibreOffice pads a sheet with repeated empty rows and cells up to them.
pub const MAX_ROWS: u64 = 1_048_576;
pub const MAX_COLUMNS: usize = 16_384;

/// calamine refused sheets of more cells than this; a few bytes of XML can repeat a cell
/// that often, so the limit stays. Only cells handed on count (not trailing empty ones).
pub const MAX_CELLS: u64 = 100_000_000;

/// The most characters a cell holds (Excel's and LibreOffice's limit); also the longest run of
/// spaces one `text:s` may stand for. A few bytes of XML can stand for far more (spaces,
/// repeats), so the limits on cells and rows are checked as the text grows, not after.
pub const MAX_CELL_CHARS: usize = 32_767;

/// The most text one row may hold: far beyond any CQC row (a few hundred bytes), and small
/// enough that a hostile file cannot make one row exhaust memory by repeating a long cell
/// across 16,384 columns.
pub const MAX_ROW_BYTES: usize = 16 << 20;

/// The most bytes `content.xml` may hold between one `<` or `>` and the next: a cell's text
/// (at most four bytes a character) and any tag LibreOffice writes fit many times over.
pub const MAX_BYTES_WITHOUT_MARKUP: usize = 1 << 20;

/// The most text one sheet may hand on, repeats counted: CQC's national sheet holds about
/// 300 MB. Copying and checking 2 GB of rows takes a few seconds; the cell limit alone let a
/// 16 MB row repeated 6,000 times through, minutes of work from a few hundred bytes.
pub const MAX_SHEET_TEXT_BYTES: u64 = 2 << 30;
