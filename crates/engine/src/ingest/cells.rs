//! One row of a file as text, whatever the format it came from: its cells in one string, or why
//! they could not be read. Every reader (CSV, ODS, XLSX) produces these and the row pipeline
//! (`latest`) consumes them, so this module depends on neither.

/// A row that could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRow {
    /// 0-based position of the field at fault.
    pub column: usize,
    /// The field's text (undecodable bytes replaced), for the message.
    pub lossy: String,
    pub why: Unreadable,
}

/// Why a row could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreadable {
    /// A field is not UTF-8.
    NotUtf8,
    /// A field opens with a double quote that is not closed on its line; read as CSV says, it
    /// would run on over this many more lines, which hold rows of the file.
    UnclosedQuote { lines_taken: u64 },
}

impl Unreadable {
    /// What was expected, for the report.
    pub fn expected(self) -> String {
        match self {
            Unreadable::NotUtf8 => "is not UTF-8 text (the file looks saved as Latin-1 or Windows-1252); save it as \"CSV UTF-8\"".into(),
            Unreadable::UnclosedQuote { lines_taken } => {
                let lines = match lines_taken {
                    1 => "the next line, which holds a row".to_string(),
                    n => format!("the next {n} lines, which hold rows"),
                };
                format!(
                    "opens a quoted field (a double quote at its start) that is not closed on this line: read as written, it runs on into {lines} of this file; this row is not read, and the lines after it are read as rows of their own (double the quote, \"\", to write one in a field)"
                )
            }
        }
    }
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
