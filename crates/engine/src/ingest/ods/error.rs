//! What can be wrong with an ODS, as a value: the file, where in `content.xml` it went wrong
//! (the byte, and the sheet row and column being read when there is one), and what was
//! expected. One pointer wide, as rust-csv's `Error(Box<ErrorKind>)` is, so that the results
//! passed around the reader's per-cell loops stay small.

use super::limits::{
    MAX_BYTES_WITHOUT_MARKUP, MAX_CELLS, MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, MAX_ROW_BYTES,
    MAX_SHEET_TEXT_BYTES,
};
use std::fmt;

/// An ODS that cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OdsError(Box<OdsErrorDetail>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct OdsErrorDetail {
    file: String,
    file_bytes: u64,
    at: Position,
    kind: OdsErrorKind,
}

/// Where in `content.xml` a problem was met. Rows and columns are 1-based, as a spreadsheet
/// shows them; they are known only inside a sheet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Position {
    pub byte: u64,
    pub row: Option<u64>,
    pub column: Option<u64>,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OdsErrorKind {
    /// The zip's directory cannot be read (most often a download cut short).
    NotAZip(String),
    Encrypted,
    NoContent,
    ContentUnreadable(String),
    NoSheets,
    /// `content.xml` stops inflating part-way.
    Decompress(String),
    NotWellFormed(String),
    /// The XML ends inside this element.
    EndsInside(String),
    /// Well-formed XML whose content cannot be a sheet.
    Invalid(Problem),
}

/// Content that is well-formed XML but cannot be a sheet, or that a hostile file uses to stand
/// for more than the reader will hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("{key} is {value:?}; expected a whole number")]
    NotAWholeNumber { key: &'static str, value: String },
    #[error("the cell value {0:?} is not a number")]
    NotANumber(String),
    #[error(
        "a run of spaces (text:s) has the count {0:?}; expected a number up to {MAX_CELL_CHARS}"
    )]
    SpaceCount(String),
    #[error("the attribute {0:?} has no value")]
    AttributeWithoutValue(String),
    #[error("the attribute {0:?} has an unquoted value")]
    UnquotedAttribute(String),
    #[error("an attribute value {value:?}: {reason}")]
    BadEscape { value: String, reason: String },
    #[error("&{0}; is not a character XML defines")]
    UnknownEntity(String),
    #[error("a cell has more than {MAX_CELL_CHARS} characters, the most a spreadsheet cell holds")]
    CellTooLong,
    #[error("a row holds more than {} MB of text, more than this reader accepts", MAX_ROW_BYTES >> 20)]
    RowTooLong,
    #[error("a row has text beyond column {MAX_COLUMNS}, the most a spreadsheet holds")]
    BeyondLastColumn,
    #[error("the sheet has rows with text beyond row {MAX_ROWS}, the most a spreadsheet holds")]
    BeyondLastRow,
    #[error("the sheet has more than {MAX_CELLS} cells, more than this reader accepts")]
    TooManyCells,
    #[error("the sheet has more than {} GB of text, repeats counted, more than this reader accepts", MAX_SHEET_TEXT_BYTES >> 30)]
    TooMuchText,
    #[error("more than {} MB of text without markup, far more than a cell holds", MAX_BYTES_WITHOUT_MARKUP >> 20)]
    TextWithoutMarkup,
}

impl OdsError {
    pub fn new(file: &str, file_bytes: u64, at: Position, kind: OdsErrorKind) -> Self {
        OdsError(Box::new(OdsErrorDetail {
            file: file.into(),
            file_bytes,
            at,
            kind,
        }))
    }

    pub fn file(&self) -> &str {
        &self.0.file
    }

    pub fn position(&self) -> Position {
        self.0.at
    }

    pub fn kind(&self) -> &OdsErrorKind {
        &self.0.kind
    }

    /// Damage (a cut or corrupted file) as opposed to a whole file that is not a sheet.
    fn is_damage(&self) -> bool {
        matches!(
            self.0.kind,
            OdsErrorKind::NotAZip(_)
                | OdsErrorKind::Decompress(_)
                | OdsErrorKind::NotWellFormed(_)
                | OdsErrorKind::EndsInside(_)
        )
    }
}

impl std::error::Error for OdsError {}

impl fmt::Display for OdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OdsErrorDetail {
            file,
            file_bytes,
            at,
            kind,
        } = &*self.0;
        if self.is_damage() {
            write!(f, "{file}: the spreadsheet is damaged or incomplete ({file_bytes} bytes; a download cut short?): ")?;
        } else {
            write!(f, "{file}: cannot read the spreadsheet: ")?;
        }
        let byte = at.byte;
        match kind {
            OdsErrorKind::NotAZip(reason) => {
                write!(f, "it is not a complete zip archive ({reason})")?
            }
            OdsErrorKind::Encrypted => write!(
                f,
                "it is password-protected; save a copy without a password and load that"
            )?,
            OdsErrorKind::NoContent => write!(
                f,
                "it is a zip without content.xml, the part of an ODS that holds the sheets"
            )?,
            OdsErrorKind::ContentUnreadable(reason) => {
                write!(f, "its content.xml cannot be read ({reason})")?
            }
            OdsErrorKind::NoSheets => write!(f, "it has no sheets")?,
            OdsErrorKind::Decompress(reason) => write!(
                f,
                "content.xml cannot be decompressed past byte {byte} ({reason})"
            )?,
            OdsErrorKind::NotWellFormed(reason) => write!(
                f,
                "content.xml is not well-formed XML at byte {byte} ({reason})"
            )?,
            OdsErrorKind::EndsInside(element) => {
                write!(f, "content.xml ends inside {element}, at byte {byte}")?
            }
            OdsErrorKind::Invalid(problem) => {
                write!(f, "content.xml, near byte {byte}: {problem}")?
            }
        }
        match (at.row, at.column) {
            (Some(row), Some(column)) => write!(f, " (sheet row {row}, column {column})"),
            (Some(row), None) => write!(f, " (sheet row {row})"),
            _ => Ok(()),
        }
    }
}
