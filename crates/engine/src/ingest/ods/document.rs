//! The XML cell reader: walks `content.xml` sheet by sheet and row by row, giving each
//! `table:table-row` as the text of its cells (as calamine gave it: paragraphs joined by a line
//! break, `text:s` as its spaces, annotations left out) and how often it repeats. Expanding the
//! repeats into rows is `sheet_rows`' job; placing repeated cells, `row_cells`'.

use super::attributes::{
    cell_attributes, cell_name, push_entity, row_repeats, sheet_name, CellValue, TextElement,
};
use super::error::{OdsError, OdsErrorKind, Position, Problem};
use super::limits::MAX_CELL_CHARS;
use super::markup_bound::{MarkupBound, TooMuchWithoutMarkup};
use super::names::{is_preferred, ANNOTATION, ROW, TABLE};
use super::plain_cells::plain_cell;
use super::row_cells::RowCells;
use crate::ingest::cells::Cells;
use quick_xml::events::Event;
use quick_xml::name::QName;
use std::borrow::Cow;
use std::io::{BufRead, ErrorKind};

#[cfg(test)]
thread_local! {
    /// Set by the tests that read the same XML with and without `plain_cells`, to show the
    /// two ways read alike.
    pub static WITHOUT_PLAIN_CELLS: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Where the parser stands in `content.xml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// Between sheets.
    Outside,
    /// Inside a sheet's `table:table`, between rows.
    InSheet,
    /// At a sheet written as one empty element: no rows.
    EmptySheet,
}

/// One `table:table-row` as read: its cells' text up to the last cell with a value, whether
/// any cell had a value at all (calamine counted such rows in the sheet's extent, even if
/// every value is empty text), and how many times it repeats.
pub struct ParsedRow {
    pub row: Cells,
    pub has_value: bool,
    pub repeats: u64,
}

/// `content.xml` being parsed.
pub struct Document<'f, R: BufRead> {
    file: &'f str,
    file_bytes: u64,
    xml: quick_xml::Reader<MarkupBound<R>>,
    buf: Vec<u8>,
    skip_buf: Vec<u8>,
    place: Place,
    /// Elements entered inside the current sheet around its rows (row groups, header rows).
    depth: usize,
    /// The last row's text length and cell count: rows of a sheet are alike, so sized by the
    /// last one a row is allocated once.
    last_row_size: (usize, usize),
    /// Rows of the current sheet started so far, repeats counted: the row being read is the
    /// next one (1-based), for messages.
    rows_started: u64,
    row: u64,
    /// The 1-based column of the cell being read, or 0 between cells.
    column: u64,
    /// Whether the cells `plain_cells` tells are read from the raw bytes (always, outside
    /// the tests that compare the two ways).
    plain_cells: bool,
}

impl<'f, R: BufRead> Document<'f, R> {
    pub fn new(file: &'f str, file_bytes: u64, source: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(MarkupBound::new(source));
        let config = xml.config_mut();
        // As calamine read it: text kept exactly (spaces matter in cell text), no checks
        // that cost time without changing what is read.
        config.trim_text(false);
        config.check_end_names = false;
        config.check_comments = false;
        Document {
            file,
            file_bytes,
            xml,
            buf: Vec::with_capacity(4096),
            skip_buf: Vec::with_capacity(4096),
            place: Place::Outside,
            depth: 0,
            last_row_size: (0, 0),
            rows_started: 0,
            row: 0,
            column: 0,
            #[cfg(not(test))]
            plain_cells: true,
            #[cfg(test)]
            plain_cells: !WITHOUT_PLAIN_CELLS.get(),
        }
    }

    /// Where the parser is, for a message: the byte, and the row and column being read.
    fn position(&self, byte: u64) -> Position {
        Position {
            byte,
            row: (self.place == Place::InSheet && self.row > 0).then_some(self.row),
            column: (self.column > 0).then_some(self.column),
        }
    }

    pub fn error_at(&self, byte: u64, kind: OdsErrorKind) -> OdsError {
        OdsError::new(self.file, self.file_bytes, self.position(byte), kind)
    }

    fn xml_error(&self, error: quick_xml::Error) -> OdsError {
        let at = self.xml.error_position();
        match error {
            quick_xml::Error::Io(e) if is_markup_bound(&e) => {
                self.error_at(at, OdsErrorKind::Invalid(Problem::TextWithoutMarkup))
            }
            quick_xml::Error::Io(e) => self.error_at(at, OdsErrorKind::Decompress(e.to_string())),
            other => self.error_at(at, OdsErrorKind::NotWellFormed(other.to_string())),
        }
    }

    /// Reads what is left of `content.xml` without parsing it, so that the zip's checksum of the
    /// entry, checked when its end is read, is checked: a changed byte that still parses (in a
    /// cell's text, or after the sheet) is then an error, never different data.
    pub fn read_to_end(&mut self) -> Result<(), OdsError> {
        let at = self.xml.buffer_position();
        match std::io::copy(self.xml.get_mut(), &mut std::io::sink()) {
            Ok(_) => Ok(()),
            Err(e) if is_markup_bound(&e) => {
                Err(self.error_at(at, OdsErrorKind::Invalid(Problem::TextWithoutMarkup)))
            }
            Err(e) => Err(self.error_at(at, OdsErrorKind::Decompress(e.to_string()))),
        }
    }

    fn unexpected_end(&self, inside: &str) -> OdsError {
        let at = self.xml.buffer_position();
        self.error_at(at, OdsErrorKind::EndsInside(inside.into()))
    }

    /// A well-formed file whose content cannot be a sheet (a repeat count that is not a
    /// number, say).
    pub fn invalid(&self, problem: Problem) -> OdsError {
        let at = self.xml.buffer_position();
        self.error_at(at, OdsErrorKind::Invalid(problem))
    }

    /// Moves to the next sheet, past whatever is left of the current one, and gives its name.
    pub fn next_sheet(&mut self) -> Result<Option<String>, OdsError> {
        // Rows are read whole, so the parser is between rows here.
        if self.place == Place::InSheet {
            self.skip_to_end_of(TABLE)?;
        }
        self.place = Place::Outside;
        loop {
            self.buf.clear();
            let (name, place) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.name().as_ref() == TABLE => {
                    (sheet_name(&e), Place::InSheet)
                }
                Ok(Event::Empty(e)) if e.name().as_ref() == TABLE => {
                    (sheet_name(&e), Place::EmptySheet)
                }
                Ok(Event::Eof) => return Ok(None),
                Ok(_) => continue,
                Err(e) => return Err(self.xml_error(e)),
            };
            match name {
                Ok(Some(name)) => {
                    self.place = place;
                    self.depth = 0;
                    self.rows_started = 0;
                    self.row = 0;
                    return Ok(Some(name));
                }
                // A table without a name is not a sheet (calamine skipped it too).
                Ok(None) if place == Place::InSheet => self.skip_to_end_of(TABLE)?,
                Ok(None) => {}
                Err(problem) => return Err(self.invalid(problem)),
            }
        }
    }

    /// After the first sheet: the position among all sheets of a later preferred one.
    pub fn find_preferred_sheet(&mut self) -> Result<Option<usize>, OdsError> {
        let mut index = 0;
        while let Some(name) = self.next_sheet()? {
            index += 1;
            if is_preferred(&name) {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }

    /// The next `table:table-row` of the current sheet, or `None` at the sheet's end.
    pub fn next_row(&mut self) -> Result<Option<ParsedRow>, OdsError> {
        match self.place {
            Place::Outside => return Ok(None),
            Place::EmptySheet => {
                self.place = Place::Outside;
                return Ok(None);
            }
            Place::InSheet => {}
        }
        loop {
            self.buf.clear();
            let row = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.name().as_ref() == ROW => Some((row_repeats(&e), true)),
                Ok(Event::Empty(e)) if e.name().as_ref() == ROW => Some((row_repeats(&e), false)),
                // Rows sit in row groups and header rows too: go in.
                Ok(Event::Start(_)) => {
                    self.depth += 1;
                    None
                }
                Ok(Event::End(_)) if self.depth == 0 => {
                    self.place = Place::Outside;
                    return Ok(None);
                }
                Ok(Event::End(_)) => {
                    self.depth -= 1;
                    None
                }
                Ok(Event::Eof) => return Err(self.unexpected_end("a sheet")),
                Ok(_) => None,
                Err(e) => return Err(self.xml_error(e)),
            };
            let Some((repeats, has_cells)) = row else {
                continue;
            };
            self.row = self.rows_started.saturating_add(1);
            let repeats = repeats.map_err(|problem| self.invalid(problem))?;
            self.rows_started = self.rows_started.saturating_add(repeats);
            let (row, has_value) = if has_cells {
                self.read_cells()?
            } else {
                (Cells::default(), false)
            };
            return Ok(Some(ParsedRow {
                row,
                has_value,
                repeats,
            }));
        }
    }

    /// The cells of a row, up to and including its end tag.
    fn read_cells(&mut self) -> Result<(Cells, bool), OdsError> {
        let mut row = RowCells::sized_like(self.last_row_size);
        // Whether the XML reader has just passed a tag's `>`: only there can bytes be taken
        // from under it (after text it has already taken the next `<`). The row's start tag
        // was the last thing read.
        let mut after_tag = true;
        loop {
            if after_tag && self.plain_cells && self.take_plain_cell(&mut row)? {
                continue;
            }
            self.buf.clear();
            after_tag = true;
            let (cell, attributes, has_content) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) => match cell_name(&e) {
                    Some(cell) => (cell, cell_attributes(e.attributes_raw()), true),
                    None => {
                        let name = e.name().as_ref().to_string();
                        self.skip_to_end_of(&name)?;
                        continue;
                    }
                },
                Ok(Event::Empty(e)) => match cell_name(&e) {
                    Some(cell) => (cell, cell_attributes(e.attributes_raw()), false),
                    None => continue,
                },
                Ok(Event::End(_)) => {
                    self.column = 0;
                    self.last_row_size = (row.row.text.len(), row.row.len());
                    return Ok((row.row, row.has_value));
                }
                Ok(Event::Eof) => return Err(self.unexpected_end("a row")),
                Ok(_) => {
                    after_tag = false;
                    continue;
                }
                Err(e) => return Err(self.xml_error(e)),
            };
            self.column = row.columns_placed().saturating_add(1);
            let (repeats, value) = attributes.map_err(|problem| self.invalid(problem))?;
            let start = row.row.text.len();
            // An empty element has no end tag to pass.
            let (has_value, end_passed) = match (value, has_content) {
                (CellValue::Content, true) => {
                    self.read_cell_text(&mut row.row.text)?;
                    (true, true)
                }
                (CellValue::Content, false) => (true, true),
                (CellValue::Attribute(text), _) => {
                    row.row.text.push_str(&text);
                    (true, !has_content)
                }
                (CellValue::None, _) => (false, !has_content),
            };
            if !end_passed {
                self.skip_to_end_of(cell)?;
            }
            if has_value {
                let cell_text = row.row.text.get(start..).unwrap_or_default();
                if cell_text.len() > MAX_CELL_CHARS && cell_text.chars().count() > MAX_CELL_CHARS {
                    return Err(self.invalid(Problem::CellTooLong));
                }
                row.place_value(start, repeats)
                    .map_err(|problem| self.invalid(problem))?;
            } else {
                row.place_empty(repeats);
            }
        }
    }

    /// Places the next cell straight from the buffered bytes if it is one `plain_cells`
    /// tells, as the XML reader's events for those bytes would have placed it; whether it did.
    /// Whatever would have been an error (attributes that do not parse, a cell near the length
    /// limit) is left to the XML reader, which gives the error at the place it always gave it.
    fn take_plain_cell(&mut self, row: &mut RowCells) -> Result<bool, OdsError> {
        let mut stream = self.xml.stream();
        let buffered = match stream.fill_buf() {
            Ok(buffered) => buffered,
            // The XML reader tries again, as it would have.
            Err(e) if e.kind() == ErrorKind::Interrupted => return Ok(false),
            Err(e) => return Err(self.xml_error(e.into())),
        };
        let Some(cell) = plain_cell(buffered) else {
            return Ok(false);
        };
        let taken = cell.taken;
        let (repeats, value) = match cell.is_text_cell {
            true => (1, CellValue::Content),
            false => match cell_attributes(cell.attributes) {
                Ok(read) => read,
                Err(_) => return Ok(false),
            },
        };
        // As `read_cells` places a cell's value: the paragraph's text, or the attribute's
        // with the content passed over.
        let value_text = match (value, cell.text) {
            (CellValue::Content, text) => Some(Cow::Borrowed(text.unwrap_or_default())),
            (CellValue::Attribute(text), _) => Some(Cow::Owned(text)),
            (CellValue::None, _) => None,
        };
        if value_text
            .as_ref()
            .is_some_and(|text| text.len() > MAX_CELL_CHARS)
        {
            return Ok(false);
        }
        let start = row.row.text.len();
        let has_value = value_text.is_some();
        if let Some(text) = value_text {
            row.row.text.push_str(&text);
        }
        stream.consume(taken);
        self.column = row.columns_placed().saturating_add(1);
        if has_value {
            row.place_value(start, repeats)
                .map_err(|problem| self.invalid(problem))?;
        } else {
            row.place_empty(repeats);
        }
        Ok(true)
    }

    /// The text of a cell's paragraphs, up to and including the cell's end tag, as calamine
    /// gave it: paragraphs joined by a line break, `text:s` as its count of spaces, tabs and
    /// line breaks as characters, annotations (comments) left out.
    fn read_cell_text(&mut self, text: &mut String) -> Result<(), OdsError> {
        let start = text.len();
        let mut paragraphs = 0usize;
        let mut depth = 0usize;
        loop {
            // A character is at most four bytes: past that, the cell is certainly too long.
            if text.len() - start > 4 * MAX_CELL_CHARS {
                return Err(self.invalid(Problem::CellTooLong));
            }
            self.buf.clear();
            let (element, opened) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Text(t)) => {
                    text.push_str(&t.xml10_content());
                    continue;
                }
                Ok(Event::GeneralRef(r)) => {
                    if let Err(problem) = push_entity(&r, text) {
                        return Err(self.invalid(problem));
                    }
                    continue;
                }
                Ok(Event::Start(e)) => (TextElement::read(&e), true),
                Ok(Event::Empty(e)) => (TextElement::read(&e), false),
                Ok(Event::End(_)) if depth == 0 => break,
                Ok(Event::End(_)) => {
                    depth -= 1;
                    continue;
                }
                Ok(Event::Eof) => return Err(self.unexpected_end("a cell")),
                Ok(_) => continue,
                Err(e) => return Err(self.xml_error(e)),
            };
            match element.map_err(|problem| self.invalid(problem))? {
                TextElement::Paragraph => {
                    if paragraphs > 0 {
                        text.push('\n');
                    }
                    paragraphs += 1;
                }
                TextElement::Spaces(count) => text.extend(std::iter::repeat_n(' ', count)),
                TextElement::Tab => text.push('\t'),
                TextElement::LineBreak => text.push('\n'),
                TextElement::Annotation if opened => {
                    self.skip_to_end_of(ANNOTATION)?;
                    continue;
                }
                TextElement::Annotation | TextElement::Other => {}
            }
            if opened {
                depth += 1;
            }
        }
        Ok(())
    }

    /// Past the end tag of the element just opened.
    fn skip_to_end_of(&mut self, name: &str) -> Result<(), OdsError> {
        self.skip_buf.clear();
        match self.xml.read_to_end_into(QName(name), &mut self.skip_buf) {
            Ok(_) => Ok(()),
            Err(quick_xml::Error::IllFormed(_)) => Err(self.unexpected_end(name)),
            Err(e) => Err(self.xml_error(e)),
        }
    }
}

fn is_markup_bound(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.downcast_ref::<TooMuchWithoutMarkup>().is_some())
}
