//! The names in ODF's `content.xml` whose meaning the reader needs, and the sheet it prefers.

/// The sheet read when a workbook has one of this name (any case), as CQC's file does;
/// otherwise the first sheet is read.
pub const PREFERRED_SHEET: &str = "Locations";

pub fn is_preferred(sheet: &str) -> bool {
    sheet.eq_ignore_ascii_case(PREFERRED_SHEET)
}

/// The attributes of a text cell as LibreOffice writes it.
pub const PLAIN_TEXT_CELL: &str = r#" office:value-type="string" calcext:value-type="string""#;

pub const TABLE: &str = "table:table";
pub const ROW: &str = "table:table-row";
pub const CELL: &str = "table:table-cell";
pub const COVERED_CELL: &str = "table:covered-table-cell";
pub const PARAGRAPH: &str = "text:p";
pub const SPACES: &str = "text:s";
pub const TAB: &str = "text:tab";
pub const LINE_BREAK: &str = "text:line-break";
pub const ANNOTATION: &str = "office:annotation";
