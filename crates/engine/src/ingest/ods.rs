//! A streaming reader for OpenDocument spreadsheets (.ods), the format CQC publishes its Latest
//! ratings file in. calamine (still used for XLSX) builds the whole sheet in memory before the
//! first row can be read: for a national file that is 13.6 million cells and about 2 GB. This
//! reader inflates `content.xml` out of the zip as it parses it and hands each row to the
//! shared row pipeline as soon as the row is complete, so memory is that of one row whatever
//! the sheet's size. Each cell gets the text calamine's path gave it (dates as ISO text, whole
//! numbers without ".0", booleans as Y/N), so an ODS ingests exactly as it did before.

use super::report::IngestError;
use super::rows::{boolean_text, number_text, Cells, RowResult};
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::name::QName;
use std::borrow::Cow;
use std::io::{BufRead, BufReader, Cursor, Read};

/// What the `mimetype` entry of an ODF spreadsheet starts with.
const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// The sheet read when a workbook has one of this name (any case), as CQC's file does;
/// otherwise the first sheet is read.
const PREFERRED_SHEET: &str = "Locations";

/// The most rows and columns a spreadsheet holds (LibreOffice's and Excel's limits, and
/// calamine's): LibreOffice pads a sheet with repeated empty rows and cells up to them.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: usize = 16_384;

/// calamine refused sheets of more cells than this; a few bytes of XML can repeat a cell
/// that often, so the limit stays. Only cells handed on count (not trailing empty ones).
const MAX_CELLS: u64 = 100_000_000;

/// The most characters a cell holds (Excel's and LibreOffice's limit); also the longest run of
/// spaces one `text:s` may stand for. A few bytes of XML can stand for far more (spaces,
/// repeats), so the limits on cells and rows are checked as the text grows, not after.
const MAX_CELL_CHARS: usize = 32_767;

/// The most text one row may hold: far beyond any CQC row (a few hundred bytes), and small
/// enough that a hostile file cannot make one row exhaust memory by repeating a long cell
/// across 16,384 columns.
const MAX_ROW_BYTES: usize = 16 << 20;

/// The attributes of a text cell as LibreOffice writes it.
const PLAIN_TEXT_CELL: &str = r#" office:value-type="string" calcext:value-type="string""#;

/// The elements whose meaning the reader needs.
const TABLE: &str = "table:table";
const ROW: &str = "table:table-row";
const CELL: &str = "table:table-cell";
const COVERED_CELL: &str = "table:covered-table-cell";
const PARAGRAPH: &str = "text:p";
const SPACES: &str = "text:s";
const TAB: &str = "text:tab";
const LINE_BREAK: &str = "text:line-break";
const ANNOTATION: &str = "office:annotation";

/// Whether a zip is an ODF spreadsheet rather than an XLSX workbook.
pub fn is_ods(bytes: &[u8]) -> bool {
    mimetype_comes_first(bytes) || archive_declares_ods(bytes)
}

/// ODF stores an uncompressed `mimetype` entry first so the type can be told from the first
/// bytes, even of a download cut short (whose zip directory, at the end, is missing).
fn mimetype_comes_first(bytes: &[u8]) -> bool {
    let le_u16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .and_then(|b| <[u8; 2]>::try_from(b).ok())
            .map(|b| usize::from(u16::from_le_bytes(b)))
    };
    let (Some(name_length), Some(extra_length)) = (le_u16(26), le_u16(28)) else {
        return false;
    };
    let data = 30 + name_length + extra_length;
    bytes.starts_with(b"PK\x03\x04")
        && bytes.get(30..30 + name_length) == Some(b"mimetype".as_slice())
        && bytes.get(data..).is_some_and(|d| d.starts_with(MIMETYPE))
}

/// For an ODS written by a tool that did not put `mimetype` first.
fn archive_declares_ods(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return false;
    };
    let Ok(entry) = archive.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::with_capacity(MIMETYPE.len());
    entry
        .take(MIMETYPE.len() as u64)
        .read_to_end(&mut head)
        .is_ok()
        && head == MIMETYPE
}

/// Hands the rows of the "Locations" sheet (or the first sheet) to `consume` as text, one at
/// a time, straight from the compressed `content.xml`. An error in the file, even one met
/// after `consume` has seen some rows, is returned instead of what `consume` made of them.
///
/// Natively the file is read on a second thread while `consume` works on the rows already
/// read: parsing the XML is most of the time, and the row pipeline then costs no wall time.
#[cfg(not(target_arch = "wasm32"))]
pub fn with_ods_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    background::with_rows_read_in_background(file, bytes, consume)
}

/// The browser's worker has no threads to spare: there the file is read as the rows are
/// consumed.
#[cfg(target_arch = "wasm32")]
pub fn with_ods_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    read_in_place(file, bytes, consume)
}

/// Reads and consumes on the calling thread.
#[cfg(any(target_arch = "wasm32", test))]
fn read_in_place<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    let mut source = ZipContent::open(file, bytes)?;
    read_chosen_sheet(file, bytes.len() as u64, &mut source, &mut |rows| {
        consume(&mut rows.map(Ok))
    })
}

#[cfg(not(target_arch = "wasm32"))]
mod background {
    //! The reading thread and the consuming thread. The reader runs the same sheet choice as
    //! `read_in_place` and sends each sheet it streams as batches of rows and an end mark;
    //! the caller's thread runs `consume` once per sheet sent and keeps the last result (a
    //! second sheet is sent only when it is the preferred one, after the first).

    use super::{read_chosen_sheet, Cells, IngestError, RowResult, ZipContent};
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

    /// Rows travel in batches: one message per row would cost more than the row.
    const BATCH_ROWS: usize = 1024;
    /// A batch is also sent once its text reaches this size, so that batches of long rows
    /// (rows may hold up to `MAX_ROW_BYTES`) do not hold gigabytes between them.
    const BATCH_BYTES: usize = 4 << 20;
    /// Enough batches in flight to keep both threads busy; few enough that they hold a few
    /// thousand rows (a few megabytes).
    const BATCHES_IN_FLIGHT: usize = 4;

    enum Message {
        Rows(Batch),
        SheetEnd,
    }

    /// Rows copied into one buffer on the reading thread and cut back into rows on the
    /// consuming one, so that each row is allocated and freed by the same thread: rows made by
    /// the reader and freed by the consumer had the two threads contend for the reader's
    /// allocator arena, a tenth of the reading thread's time.
    #[derive(Default)]
    struct Batch {
        text: String,
        /// Where each cell ends in `text`.
        cell_ends: Vec<usize>,
        /// For each row, where its cells end in `cell_ends` and its text in `text`.
        row_ends: Vec<(usize, usize)>,
    }

    impl Batch {
        fn with_capacity(rows: usize) -> Self {
            Batch {
                text: String::with_capacity(rows * 1024),
                cell_ends: Vec::with_capacity(rows * 32),
                row_ends: Vec::with_capacity(rows),
            }
        }

        fn len(&self) -> usize {
            self.row_ends.len()
        }

        fn push(&mut self, row: &Cells) {
            let base = self.text.len();
            self.text.push_str(&row.text);
            self.cell_ends.extend(row.ends.iter().map(|end| base + end));
            self.row_ends.push((self.cell_ends.len(), self.text.len()));
        }

        /// The rows, each in its own allocation of the calling thread.
        fn into_rows(self) -> Vec<Cells> {
            let mut cells_from = 0;
            let mut text_from = 0;
            self.row_ends
                .into_iter()
                .map(move |(cells_to, text_to)| {
                    let ends = self
                        .cell_ends
                        .get(cells_from..cells_to)
                        .unwrap_or_default()
                        .iter()
                        .map(|end| end - text_from)
                        .collect();
                    let text = self.text.get(text_from..text_to).unwrap_or_default().into();
                    cells_from = cells_to;
                    text_from = text_to;
                    Cells { text, ends }
                })
                .collect()
        }
    }

    pub(super) fn with_rows_read_in_background<T>(
        file: &str,
        bytes: &[u8],
        consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
    ) -> Result<T, IngestError> {
        // How many sheets the consumer is done with: the reader stops sending a sheet the
        // consumer has stopped reading (a file whose header is not found, say).
        let sheets_done = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            let (sender, receiver) = sync_channel(BATCHES_IN_FLIGHT);
            let sheets_done = &sheets_done;
            let reader = scope.spawn(move || -> Result<(), IngestError> {
                let mut source = ZipContent::open(file, bytes)?;
                let mut sheet = 0;
                read_chosen_sheet(file, bytes.len() as u64, &mut source, &mut |rows| {
                    let abandoned = || sheets_done.load(Ordering::Acquire) > sheet;
                    send_sheet(rows, &sender, &abandoned);
                    sheet += 1;
                })
            });
            let result = consume_sheets(&receiver, sheets_done, consume);
            // A reader still sending (after an error here) stops at its next send.
            drop(receiver);
            match reader.join() {
                Ok(read) => read.and_then(|()| {
                    result.ok_or_else(|| IngestError::Spreadsheet {
                        file: file.into(),
                        detail: "it has no sheets".into(),
                    })
                }),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }

    /// The reader's side: one sheet's rows, then its end mark.
    fn send_sheet(
        rows: &mut dyn Iterator<Item = Cells>,
        sender: &SyncSender<Message>,
        abandoned: &dyn Fn() -> bool,
    ) {
        let mut batch = Batch::with_capacity(BATCH_ROWS);
        for row in rows {
            batch.push(&row);
            if batch.len() == BATCH_ROWS || batch.text.len() >= BATCH_BYTES {
                let full = std::mem::replace(&mut batch, Batch::with_capacity(BATCH_ROWS));
                if abandoned() || sender.send(Message::Rows(full)).is_err() {
                    batch = Batch::default();
                    break;
                }
            }
        }
        if batch.len() > 0 && sender.send(Message::Rows(batch)).is_err() {
            return;
        }
        // Only fails when the consumer has gone, which needs no mark.
        let _ = sender.send(Message::SheetEnd);
    }

    /// The caller's side: `consume` once per sheet sent; the last sheet's result.
    fn consume_sheets<T>(
        receiver: &Receiver<Message>,
        sheets_done: &AtomicUsize,
        consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
    ) -> Option<T> {
        let mut last = None;
        while let Ok(first) = receiver.recv() {
            // A second sheet is sent only when it is the preferred one: the first sheet's
            // result goes before the preferred sheet's is made.
            drop(last.take());
            let mut rows = ReceivedRows::starting_with(receiver, first);
            let result = consume(&mut rows);
            sheets_done.fetch_add(1, Ordering::Release);
            rows.skip_rest_of_sheet();
            last = Some(result);
        }
        last
    }

    /// One sheet's rows as they arrive.
    struct ReceivedRows<'r> {
        receiver: &'r Receiver<Message>,
        batch: std::vec::IntoIter<Cells>,
        sheet_over: bool,
    }

    impl<'r> ReceivedRows<'r> {
        fn starting_with(receiver: &'r Receiver<Message>, first: Message) -> Self {
            let mut rows = ReceivedRows {
                receiver,
                batch: Vec::new().into_iter(),
                sheet_over: false,
            };
            rows.receive(first);
            rows
        }

        fn receive(&mut self, message: Message) {
            match message {
                Message::Rows(rows) => self.batch = rows.into_rows().into_iter(),
                Message::SheetEnd => self.sheet_over = true,
            }
        }

        fn skip_rest_of_sheet(&mut self) {
            self.batch = Vec::new().into_iter();
            while !self.sheet_over {
                match self.receiver.recv() {
                    Ok(message) => self.receive(message),
                    Err(_) => self.sheet_over = true,
                }
            }
        }
    }

    impl Iterator for ReceivedRows<'_> {
        type Item = RowResult;

        fn next(&mut self) -> Option<RowResult> {
            loop {
                if let Some(row) = self.batch.next() {
                    return Some(Ok(row));
                }
                if self.sheet_over {
                    return None;
                }
                match self.receiver.recv() {
                    Ok(message) => self.receive(message),
                    // The reader stopped on an error, which `join` gives.
                    Err(_) => self.sheet_over = true,
                }
            }
        }
    }
}

/// Where `content.xml` is read from: the zip, or in tests plain XML. It is opened a second
/// time only when the preferred sheet comes after the first one.
trait ContentSource {
    type Xml<'s>: BufRead
    where
        Self: 's;
    fn open(&mut self) -> Result<Self::Xml<'_>, IngestError>;
}

struct ZipContent<'a> {
    file: &'a str,
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> ZipContent<'a> {
    fn open(file: &'a str, bytes: &'a [u8]) -> Result<Self, IngestError> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            IngestError::DamagedSpreadsheet {
                file: file.into(),
                bytes: bytes.len() as u64,
                detail: format!("it is not a complete zip archive ({e})"),
            }
        })?;
        let mut content = ZipContent { file, archive };
        content.refuse_encrypted()?;
        Ok(content)
    }

    /// An encrypted ODS would otherwise read as damaged XML, which would send the user
    /// looking for the wrong problem.
    fn refuse_encrypted(&mut self) -> Result<(), IngestError> {
        let Ok(manifest) = self.archive.by_name("META-INF/manifest.xml") else {
            return Ok(());
        };
        let mut text = Vec::new();
        // The manifest lists the parts; a real one is a few kilobytes.
        let read = manifest.take(1 << 20).read_to_end(&mut text);
        let encrypted = text
            .windows(b"manifest:encryption-data".len())
            .any(|w| w == b"manifest:encryption-data");
        if read.is_ok() && encrypted {
            return Err(IngestError::Spreadsheet {
                file: self.file.into(),
                detail: "it is password-protected; save a copy without a password and load that"
                    .into(),
            });
        }
        Ok(())
    }
}

impl<'a> ContentSource for ZipContent<'a> {
    type Xml<'s>
        = BufReader<zip::read::ZipFile<'s, Cursor<&'a [u8]>>>
    where
        Self: 's;

    fn open(&mut self) -> Result<Self::Xml<'_>, IngestError> {
        let file = self.file;
        match self.archive.by_name("content.xml") {
            Ok(entry) => Ok(BufReader::with_capacity(1 << 16, entry)),
            Err(zip::result::ZipError::FileNotFound) => Err(IngestError::Spreadsheet {
                file: file.into(),
                detail: "it is a zip without content.xml, the part of an ODS that holds the sheets"
                    .into(),
            }),
            Err(e) => Err(IngestError::Spreadsheet {
                file: file.into(),
                detail: format!("its content.xml cannot be read ({e})"),
            }),
        }
    }
}

/// Streams the preferred sheet, or the first. CQC's file has its Locations sheet first, and a
/// one-sheet file is the first, so one pass is the rule; only when a later sheet turns out to
/// be the preferred one is the first sheet's result dropped and the later one read.
fn read_chosen_sheet<S: ContentSource, T>(
    file: &str,
    file_bytes: u64,
    source: &mut S,
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = Cells>) -> T,
) -> Result<T, IngestError> {
    let (first_result, preferred) = {
        let mut document = Document::new(file, file_bytes, source.open()?);
        let Some(first_name) = document.next_sheet()? else {
            return Err(IngestError::Spreadsheet {
                file: file.into(),
                detail: "it has no sheets".into(),
            });
        };
        let result = document.stream_sheet(consume)?;
        if is_preferred(&first_name) {
            return Ok(result);
        }
        (result, document.find_preferred_sheet()?)
    };
    let Some(index) = preferred else {
        return Ok(first_result);
    };
    drop(first_result);
    let mut document = Document::new(file, file_bytes, source.open()?);
    for _ in 0..=index {
        document.next_sheet()?;
    }
    document.stream_sheet(consume)
}

fn is_preferred(sheet: &str) -> bool {
    sheet.eq_ignore_ascii_case(PREFERRED_SHEET)
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
struct ParsedRow {
    row: Cells,
    has_value: bool,
    repeats: u64,
}

/// A cell's value as its attributes give it.
enum CellValue {
    /// No value: an empty cell, or a formula without a result.
    None,
    /// Given by an attribute (numbers, dates, booleans, `office:string-value`).
    Attribute(String),
    /// Text held in the cell's paragraphs.
    Content,
}

/// `content.xml` being parsed.
struct Document<'f, R: BufRead> {
    file: &'f str,
    file_bytes: u64,
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    skip_buf: Vec<u8>,
    place: Place,
    /// Elements entered inside the current sheet around its rows (row groups, header rows).
    depth: usize,
    /// The last row's text length and cell count: rows of a sheet are alike, so sized by the
    /// last one a row is allocated once.
    last_row_size: (usize, usize),
}

impl<'f, R: BufRead> Document<'f, R> {
    fn new(file: &'f str, file_bytes: u64, source: R) -> Self {
        let mut xml = quick_xml::Reader::from_reader(source);
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
        }
    }

    fn damaged(&self, detail: String) -> IngestError {
        IngestError::DamagedSpreadsheet {
            file: self.file.into(),
            bytes: self.file_bytes,
            detail,
        }
    }

    fn xml_error(&self, error: quick_xml::Error) -> IngestError {
        let at = self.xml.error_position();
        match error {
            quick_xml::Error::Io(e) => self.damaged(format!(
                "content.xml cannot be decompressed past byte {at} ({e})"
            )),
            other => self.damaged(format!(
                "content.xml is not well-formed XML at byte {at} ({other})"
            )),
        }
    }

    fn unexpected_end(&self, inside: &str) -> IngestError {
        self.damaged(format!(
            "content.xml ends inside {inside}, at byte {}",
            self.xml.buffer_position()
        ))
    }

    /// A well-formed file whose content cannot be a sheet (a repeat count that is not a
    /// number, say).
    fn invalid(&self, detail: String) -> IngestError {
        IngestError::Spreadsheet {
            file: self.file.into(),
            detail: format!(
                "content.xml, near byte {}: {detail}",
                self.xml.buffer_position()
            ),
        }
    }

    /// Moves to the next sheet, past whatever is left of the current one, and gives its name.
    fn next_sheet(&mut self) -> Result<Option<String>, IngestError> {
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
                    return Ok(Some(name));
                }
                // A table without a name is not a sheet (calamine skipped it too).
                Ok(None) if place == Place::InSheet => self.skip_to_end_of(TABLE)?,
                Ok(None) => {}
                Err(detail) => return Err(self.invalid(detail)),
            }
        }
    }

    /// After the first sheet: the position among all sheets of a later preferred one.
    fn find_preferred_sheet(&mut self) -> Result<Option<usize>, IngestError> {
        let mut index = 0;
        while let Some(name) = self.next_sheet()? {
            index += 1;
            if is_preferred(&name) {
                return Ok(Some(index));
            }
        }
        Ok(None)
    }

    /// Gives the current sheet's rows to `consume`.
    fn stream_sheet<T>(
        &mut self,
        consume: &mut dyn FnMut(&mut dyn Iterator<Item = Cells>) -> T,
    ) -> Result<T, IngestError> {
        let mut rows = SheetRows::new(self);
        let result = consume(&mut rows);
        match rows.error.take() {
            Some(error) => Err(error),
            None => Ok(result),
        }
    }

    /// The next `table:table-row` of the current sheet, or `None` at the sheet's end.
    fn next_row(&mut self) -> Result<Option<ParsedRow>, IngestError> {
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
            let repeats = repeats.map_err(|detail| self.invalid(detail))?;
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
    fn read_cells(&mut self) -> Result<(Cells, bool), IngestError> {
        let mut row = RowCells::sized_like(self.last_row_size);
        loop {
            self.buf.clear();
            let (cell, attributes, has_content) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) => match cell_name(&e) {
                    Some(cell) => (cell, cell_attributes(&e), true),
                    None => {
                        let name = e.name().as_ref().to_string();
                        self.skip_to_end_of(&name)?;
                        continue;
                    }
                },
                Ok(Event::Empty(e)) => match cell_name(&e) {
                    Some(cell) => (cell, cell_attributes(&e), false),
                    None => continue,
                },
                Ok(Event::End(_)) => {
                    self.last_row_size = (row.row.text.len(), row.row.len());
                    return Ok((row.row, row.has_value));
                }
                Ok(Event::Eof) => return Err(self.unexpected_end("a row")),
                Ok(_) => continue,
                Err(e) => return Err(self.xml_error(e)),
            };
            let (repeats, value) = attributes.map_err(|detail| self.invalid(detail))?;
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
                    return Err(self.invalid(too_long_cell()));
                }
                row.place_value(start, repeats)
                    .map_err(|detail| self.invalid(detail))?;
            } else {
                row.place_empty(repeats);
            }
        }
    }

    /// The text of a cell's paragraphs, up to and including the cell's end tag, as calamine
    /// gave it: paragraphs joined by a line break, `text:s` as its count of spaces, tabs and
    /// line breaks as characters, annotations (comments) left out.
    fn read_cell_text(&mut self, text: &mut String) -> Result<(), IngestError> {
        let start = text.len();
        let mut paragraphs = 0usize;
        let mut depth = 0usize;
        loop {
            // A character is at most four bytes: past that, the cell is certainly too long.
            if text.len() - start > 4 * MAX_CELL_CHARS {
                return Err(self.invalid(too_long_cell()));
            }
            self.buf.clear();
            let (element, opened) = match self.xml.read_event_into(&mut self.buf) {
                Ok(Event::Text(t)) => {
                    text.push_str(&t.xml10_content());
                    continue;
                }
                Ok(Event::GeneralRef(r)) => {
                    if let Err(detail) = push_entity(&r, text) {
                        return Err(self.invalid(detail));
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
            match element.map_err(|detail| self.invalid(detail))? {
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
    fn skip_to_end_of(&mut self, name: &str) -> Result<(), IngestError> {
        self.skip_buf.clear();
        match self.xml.read_to_end_into(QName(name), &mut self.skip_buf) {
            Ok(_) => Ok(()),
            Err(quick_xml::Error::IllFormed(_)) => Err(self.unexpected_end(name)),
            Err(e) => Err(self.xml_error(e)),
        }
    }
}

/// The cells of one row as they are read: a run of empty cells is held back until a cell
/// with a value follows, so the padding LibreOffice writes to the last column costs nothing.
struct RowCells {
    row: Cells,
    empty_run: usize,
    has_value: bool,
}

impl RowCells {
    fn sized_like((text, cells): (usize, usize)) -> Self {
        RowCells {
            row: Cells {
                text: String::with_capacity(text),
                ends: Vec::with_capacity(cells),
            },
            empty_run: 0,
            has_value: false,
        }
    }

    fn place_empty(&mut self, repeats: usize) {
        self.empty_run = self.empty_run.saturating_add(repeats);
    }

    /// The cell whose text was just appended from `start`, `repeats` times. Text that would
    /// land past the last column, or make the row too long, is an error, never dropped.
    fn place_value(&mut self, start: usize, repeats: usize) -> Result<(), String> {
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
            return Err(format!(
                "a row has text beyond column {MAX_COLUMNS}, the most a spreadsheet holds"
            ));
        }
        if copies == 0 {
            text.truncate(start);
            return Ok(());
        }
        let row_len = start.saturating_add(cell_len.saturating_mul(copies));
        if row_len > MAX_ROW_BYTES {
            return Err(format!(
                "a row holds more than {} MB of text, more than this reader accepts",
                MAX_ROW_BYTES >> 20
            ));
        }
        ends.push(end);
        for _ in 1..copies {
            text.extend_from_within(start..end);
            ends.push(text.len());
        }
        Ok(())
    }
}

fn too_long_cell() -> String {
    format!("a cell has more than {MAX_CELL_CHARS} characters, the most a spreadsheet cell holds")
}

/// The rows of one sheet as the row pipeline wants them: row numbers true (blank rows handed
/// on as empty rows), repeated rows repeated, and the blank rows at the sheet's end (LibreOffice
/// writes a million of them as one element) never handed on at all.
struct SheetRows<'d, 'f, R: BufRead> {
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
    finished: bool,
    error: Option<IngestError>,
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
            finished: false,
            error: None,
        }
    }

    fn take_row(&mut self, row: ParsedRow) -> Result<(), IngestError> {
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
            return Err(self.document.invalid(format!(
                "the sheet has rows with text beyond row {MAX_ROWS}, the most a spreadsheet holds"
            )));
        }
        let cells = (row.row.len() as u64).saturating_mul(row.repeats);
        self.cells_placed = self.cells_placed.saturating_add(cells);
        if self.cells_placed > MAX_CELLS {
            return Err(self.document.invalid(format!(
                "the sheet has more than {MAX_CELLS} cells, more than this reader accepts"
            )));
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

/// The inline elements of a cell's text.
enum TextElement {
    Paragraph,
    Spaces(usize),
    Tab,
    LineBreak,
    Annotation,
    Other,
}

impl TextElement {
    fn read(e: &BytesStart<'_>) -> Result<Self, String> {
        Ok(match e.name().as_ref() {
            PARAGRAPH => TextElement::Paragraph,
            SPACES => TextElement::Spaces(space_count(e)?),
            TAB => TextElement::Tab,
            LINE_BREAK => TextElement::LineBreak,
            ANNOTATION => TextElement::Annotation,
            _ => TextElement::Other,
        })
    }
}

fn space_count(e: &BytesStart<'_>) -> Result<usize, String> {
    let Some(count) = attribute(e, "text:c")? else {
        return Ok(1);
    };
    match count.parse::<usize>() {
        Ok(n) if n <= MAX_CELL_CHARS => Ok(n),
        _ => Err(format!(
            "a run of spaces (text:s) has the count {count:?}; expected a number up to {MAX_CELL_CHARS}"
        )),
    }
}

/// The element's name if it is a cell. Covered cells (under a merged cell) keep their values
/// in the file, and calamine read them as ordinary cells; so does this reader.
fn cell_name(e: &BytesStart<'_>) -> Option<&'static str> {
    match e.name().as_ref() {
        CELL => Some(CELL),
        COVERED_CELL => Some(COVERED_CELL),
        _ => None,
    }
}

fn sheet_name(e: &BytesStart<'_>) -> Result<Option<String>, String> {
    Ok(attribute(e, "table:name")?.map(Cow::into_owned))
}

fn row_repeats(e: &BytesStart<'_>) -> Result<u64, String> {
    repeat_count(e, "table:number-rows-repeated")
}

fn repeat_count(e: &BytesStart<'_>, key: &str) -> Result<u64, String> {
    match attribute(e, key)? {
        None => Ok(1),
        Some(text) => text
            .parse()
            .map_err(|_| format!("{key} is {text:?}; expected a whole number")),
    }
}

/// How many columns a cell spans and its value, from its attributes as calamine read them:
/// the first of `office:value`, `office:string-value`, `office:date-value`,
/// `office:time-value` and `office:boolean-value` is the value; failing one, a string cell's
/// (or an error cell's) text is its content.
fn cell_attributes(e: &BytesStart<'_>) -> Result<(usize, CellValue), String> {
    // Most cells of CQC's file are text cells exactly as LibreOffice writes them; telling them
    // by one comparison instead of parsing their attributes saves a tenth of the reading time.
    if e.attributes_raw() == PLAIN_TEXT_CELL {
        return Ok((1, CellValue::Content));
    }
    let mut repeats = 1usize;
    let mut value: Option<String> = None;
    let mut is_string = false;
    let mut is_error = false;
    for pair in RawAttributes::new(e.attributes_raw()) {
        let (key, raw) = pair?;
        match key {
            "table:number-columns-repeated" => {
                repeats = raw.parse().map_err(|_| {
                    format!("table:number-columns-repeated is {raw:?}; expected a whole number")
                })?;
            }
            "office:value" if value.is_none() => {
                let number: f64 = raw
                    .trim()
                    .parse()
                    .map_err(|_| format!("the cell value {raw:?} is not a number"))?;
                value = Some(number_text(number));
            }
            "office:string-value" | "office:date-value" | "office:time-value"
                if value.is_none() =>
            {
                value = Some(unescape(raw)?.into_owned());
            }
            "office:boolean-value" if value.is_none() => {
                value = Some(boolean_text(raw == "true" || raw == "TRUE").to_string());
            }
            "office:value-type" if value.is_none() => is_string = raw == "string",
            "calcext:value-type" => is_error = raw == "error",
            _ => {}
        }
    }
    let value = match value {
        None if is_string => CellValue::Content,
        Some(text) if is_error && text.is_empty() => CellValue::Content,
        Some(text) => CellValue::Attribute(text),
        None => CellValue::None,
    };
    Ok((repeats, value))
}

/// One attribute's value, unescaped.
fn attribute<'e>(e: &'e BytesStart<'_>, key: &str) -> Result<Option<Cow<'e, str>>, String> {
    for pair in RawAttributes::new(e.attributes_raw()) {
        let (k, raw) = pair?;
        if k == key {
            return unescape(raw).map(Some);
        }
    }
    Ok(None)
}

fn unescape(raw: &str) -> Result<Cow<'_, str>, String> {
    quick_xml::escape::unescape(raw).map_err(|e| format!("an attribute value {raw:?}: {e}"))
}

fn push_entity(reference: &BytesRef<'_>, text: &mut String) -> Result<(), String> {
    if let Some(predefined) = quick_xml::escape::resolve_predefined_entity(reference) {
        text.push_str(predefined);
        return Ok(());
    }
    match reference.resolve_char_ref() {
        Ok(Some(c)) => {
            text.push(c);
            Ok(())
        }
        _ => Err(format!("&{}; is not a character XML defines", &**reference)),
    }
}

/// The `key="value"` pairs of a start tag, raw (values still escaped). quick-xml's own
/// attribute iterator checks and wraps each pair; this runs once per cell of a sheet of
/// millions, so it only splits. The tokenizer has already refused unclosed quotes.
struct RawAttributes<'a> {
    rest: &'a str,
}

impl<'a> RawAttributes<'a> {
    fn new(raw: &'a str) -> Self {
        RawAttributes { rest: raw }
    }
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = Result<(&'a str, &'a str), String>;

    // Plain byte loops: this runs for every cell of the sheet, and with the release profile's
    // size optimisation char searching or closures here took a fifth of the reading time.
    // Every byte looked for is ASCII, so each slice boundary is a char boundary.
    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.rest;
        let bytes = rest.as_bytes();
        let mut at = 0;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        self.rest = "";
        let key_start = at;
        while at < bytes.len() && bytes[at] != b'=' {
            at += 1;
        }
        let key = rest.get(key_start..at).unwrap_or("").trim_ascii_end();
        if at == bytes.len() {
            return Some(Err(format!("the attribute {key:?} has no value")));
        }
        at += 1;
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let quote = match bytes.get(at) {
            Some(q @ (b'"' | b'\'')) => *q,
            _ => return Some(Err(format!("the attribute {key:?} has an unquoted value"))),
        };
        let value_start = at + 1;
        at = value_start;
        while at < bytes.len() && bytes[at] != quote {
            at += 1;
        }
        self.rest = rest.get(at + 1..).unwrap_or("");
        Some(Ok((key, rest.get(value_start..at).unwrap_or(""))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::latest::read_latest_ratings_rows;
    use super::super::rows::with_calamine_rows;
    use super::*;
    use std::io::Write;

    /// XML given whole, standing in for the zip.
    struct Xml(String);

    impl ContentSource for Xml {
        type Xml<'s> = &'s [u8];
        fn open(&mut self) -> Result<&[u8], IngestError> {
            Ok(self.0.as_bytes())
        }
    }

    fn document(sheets: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>{sheets}</office:spreadsheet></office:body></office:document-content>"#
        )
    }

    fn sheet(name: &str, rows: &str) -> String {
        format!(
            r#"<table:table table:name="{name}"><table:table-column table:number-columns-repeated="1024"/>{rows}</table:table>"#
        )
    }

    fn text_cell(text: &str) -> String {
        format!(
            r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
        )
    }

    fn row(cells: &str) -> String {
        format!("<table:table-row>{cells}</table:table-row>")
    }

    fn collect(rows: &mut dyn Iterator<Item = RowResult>) -> Vec<Vec<String>> {
        rows.map(|r| r.unwrap_or_else(|e| panic!("ODS rows are text: {e:?}")))
            .map(|cells| cells.to_strings())
            .collect()
    }

    fn read_xml(xml: String) -> Result<Vec<Vec<String>>, IngestError> {
        let bytes = xml.len() as u64;
        let mut collect_compact = |rows: &mut dyn Iterator<Item = Cells>| {
            rows.map(|row| row.to_strings()).collect::<Vec<_>>()
        };
        read_chosen_sheet("t.ods", bytes, &mut Xml(xml), &mut collect_compact)
    }

    fn read_rows(rows: &str) -> Vec<Vec<String>> {
        read_xml(document(&sheet("Sheet1", rows))).unwrap_or_else(|e| panic!("{e}"))
    }

    fn texts(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn repeated_cells_and_rows_are_expanded() {
        let rows = read_rows(&format!(
            r#"<table:table-row table:number-rows-repeated="2">{}<table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-columns-repeated="2" office:value-type="string" calcext:value-type="string"><text:p>b</text:p></table:table-cell></table:table-row>"#,
            text_cell("a")
        ));
        let expected = texts(&["a", "", "", "b", "b"]);
        assert_eq!(rows, [expected.clone(), expected]);
    }

    #[test]
    fn blank_rows_keep_row_numbers_but_the_trailing_padding_is_never_expanded() {
        // LibreOffice's padding: empty cells to the last column and a last row repeated to
        // the sheet's limit. Expanded, that is 1,048,573 rows of 16,384 cells.
        let padding_cells = r#"<table:table-cell table:number-columns-repeated="16383"/>"#;
        let rows = read_rows(&format!(
            r#"{}<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>{}<table:table-row table:number-rows-repeated="1048573">{padding_cells}<table:table-cell/></table:table-row>"#,
            row(&format!("{}{padding_cells}", text_cell("first"))),
            row(&text_cell("fourth")),
        ));
        assert_eq!(
            rows,
            [texts(&["first"]), vec![], vec![], texts(&["fourth"])]
        );
    }

    #[test]
    fn leading_blank_rows_and_columns_keep_positions() {
        let rows = read_rows(&format!(
            r#"<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>{}"#,
            row(&format!(
                r#"<table:table-cell table:number-columns-repeated="2"/>{}"#,
                text_cell("C4")
            ))
        ));
        assert_eq!(rows, [vec![], vec![], vec![], texts(&["", "", "C4"])]);
    }

    #[test]
    fn covered_cells_hold_their_place_and_their_own_value() {
        let rows = read_rows(&row(&format!(
            r#"<table:table-cell table:number-columns-spanned="3" office:value-type="string" calcext:value-type="string"><text:p>merged</text:p></table:table-cell><table:covered-table-cell/><table:covered-table-cell office:value-type="string" calcext:value-type="string"><text:p>hidden</text:p></table:covered-table-cell>{}"#,
            text_cell("next")
        )));
        assert_eq!(rows, [texts(&["merged", "", "hidden", "next"])]);
    }

    #[test]
    fn inline_text_elements_and_entities_become_their_characters() {
        let rows = read_rows(&row(&text_cell(
            r#"a<text:s text:c="3"/>b<text:s/>c<text:tab/>d<text:line-break/>e <text:span text:style-name="T1">Smith &amp; Sons</text:span>&#x41;&lt;"#,
        )));
        assert_eq!(rows, [texts(&["a   b c\td\ne Smith & SonsA<"])]);
    }

    #[test]
    fn paragraphs_are_joined_by_line_breaks_and_comments_left_out() {
        let rows = read_rows(&row(
            r#"<table:table-cell office:value-type="string" calcext:value-type="string"><office:annotation><text:p>a reviewer's note</text:p></office:annotation><text:p>one</text:p><text:p/><text:p>three</text:p></table:table-cell>"#,
        ));
        assert_eq!(rows, [texts(&["one\n\nthree"])]);
    }

    #[test]
    fn typed_values_read_as_calamine_gave_them() {
        let rows = read_rows(&row(concat!(
            r#"<table:table-cell office:value-type="float" office:value="123" calcext:value-type="float"><text:p>123.00</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="percentage" office:value="0.25" calcext:value-type="percentage"><text:p>25%</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="date" office:date-value="2019-09-25" calcext:value-type="date"><text:p>25/09/2019</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="date" office:date-value="2019-09-25T10:30:00" calcext:value-type="date"><text:p>25/09/2019 10:30</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="boolean" office:boolean-value="true" calcext:value-type="boolean"><text:p>TRUE</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="string" office:string-value="from &quot;attribute&quot;"><text:p>ignored</text:p></table:table-cell>"#,
            r#"<table:table-cell><text:p>no value type: empty, as calamine read it</text:p></table:table-cell>"#,
            r#"<table:table-cell office:value-type="string" calcext:value-type="string"/>"#,
        )));
        assert_eq!(
            rows,
            [texts(&[
                "123",
                "0.25",
                "2019-09-25",
                "2019-09-25T10:30:00",
                "Y",
                "from \"attribute\"",
                "",
                ""
            ])]
        );
    }

    #[test]
    fn the_locations_sheet_is_read_wherever_it_is_else_the_first() {
        let notes = sheet("Notes", &row(&text_cell("a note")));
        let locations = sheet("LOCATIONS", &row(&text_cell("a location")));
        let other = sheet("Other", &row(&text_cell("other")));
        let read = |sheets: String| read_xml(document(&sheets)).unwrap_or_else(|e| panic!("{e}"));
        let later = read(format!("{notes}{locations}{other}"));
        assert_eq!(later, [texts(&["a location"])]);
        assert_eq!(
            read(format!("{locations}{notes}")),
            [texts(&["a location"])]
        );
        assert_eq!(read(format!("{other}{notes}")), [texts(&["other"])]);
        let unnamed = "<table:table><table:table-row>".to_string()
            + &text_cell("x")
            + "</table:table-row></table:table>";
        assert_eq!(read(format!("{unnamed}{notes}")), [texts(&["a note"])]);
        assert!(read(r#"<table:table table:name="Empty"/>"#.to_string()).is_empty());
    }

    fn error_text(xml: String) -> String {
        match read_xml(xml) {
            Ok(rows) => panic!("expected an error, read {rows:?}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn damaged_xml_is_an_error_naming_the_file_and_the_byte() {
        let whole = document(&sheet("S", &row(&text_cell("a"))));
        let inside_a_tag = whole.find("</table:table-cell>").map_or(0, |at| at + 12);
        let message = error_text(whole.get(..inside_a_tag).unwrap_or_default().to_string());
        assert!(
            message.starts_with("t.ods: the spreadsheet is damaged or incomplete"),
            "{message}"
        );
        assert!(
            message.contains("content.xml is not well-formed XML at byte ")
                && message.contains("tag not closed"),
            "{message}"
        );

        let after_a_row = whole.find("</table:table-row>").map_or(0, |at| at + 18);
        let message = error_text(whole.get(..after_a_row).unwrap_or_default().to_string());
        assert!(
            message.contains("content.xml ends inside a sheet, at byte"),
            "{message}"
        );

        assert_eq!(
            error_text(document("")),
            "t.ods: cannot read the spreadsheet: it has no sheets"
        );
        let message = error_text(document(&sheet(
            "S",
            r#"<table:table-row table:number-rows-repeated="many"/>"#,
        )));
        assert!(
            message.contains("table:number-rows-repeated is \"many\"; expected a whole number"),
            "{message}"
        );
        let message = error_text(document(&sheet(
            "S",
            &row(r#"<table:table-cell office:value-type="float" office:value="1,5"/>"#),
        )));
        assert!(
            message.contains("the cell value \"1,5\" is not a number"),
            "{message}"
        );
    }

    #[test]
    fn a_row_of_text_past_the_last_spreadsheet_row_is_refused_not_dropped() {
        let rows = format!(
            r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>{}"#,
            row(&text_cell("too far"))
        );
        let message = error_text(document(&sheet("S", &rows)));
        assert!(message.contains("beyond row 1048576"), "{message}");
    }

    #[test]
    fn text_past_the_last_column_is_refused_not_dropped() {
        let cells = format!(
            r#"<table:table-cell table:number-columns-repeated="16384"/>{}"#,
            text_cell("too far")
        );
        let message = error_text(document(&sheet("S", &row(&cells))));
        assert!(message.contains("beyond column 16384"), "{message}");
        let repeated = r#"<table:table-cell office:value-type="string" table:number-columns-repeated="16385"><text:p>x</text:p></table:table-cell>"#;
        let message = error_text(document(&sheet("S", &row(repeated))));
        assert!(message.contains("beyond column 16384"), "{message}");
    }

    #[test]
    fn a_few_bytes_cannot_stand_for_gigabytes_of_text() {
        // 1,000 runs of 32,767 spaces in ~25 KB of XML: a 32 MB cell if it were believed.
        let spaces = r#"<text:s text:c="32767"/>"#.repeat(1000);
        let cell = format!(
            r#"<table:table-cell office:value-type="string"><text:p>{spaces}</text:p></table:table-cell>"#
        );
        let message = error_text(document(&sheet("S", &row(&cell))));
        assert!(message.contains("more than 32767 characters"), "{message}");

        // One cell of 32,000 spaces across every column: half a gigabyte in one row.
        let cell = r#"<table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p><text:s text:c="32000"/></text:p></table:table-cell>"#;
        let message = error_text(document(&sheet("S", &row(cell))));
        assert!(message.contains("a row holds more than 16 MB"), "{message}");

        // Within the limits, a long cell is read whole.
        let cell = r#"<table:table-cell office:value-type="string"><text:p><text:s text:c="32767"/></text:p></table:table-cell>"#;
        let rows = read_rows(&row(cell));
        assert_eq!(rows[0][0].len(), 32_767);
    }

    /// An ODS as LibreOffice lays it out: `mimetype` first and stored, a manifest, content.
    fn ods_zip(content: &str, manifest: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut add = |name: &str, text: &[u8]| {
            zip.start_file(name, stored)
                .and_then(|_| zip.write_all(text).map_err(Into::into))
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        };
        add("mimetype", MIMETYPE);
        add("META-INF/manifest.xml", manifest.as_bytes());
        if !content.is_empty() {
            add("content.xml", content.as_bytes());
        }
        zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

    fn read_zip(bytes: &[u8]) -> Result<Vec<Vec<String>>, IngestError> {
        with_ods_rows("t.ods", bytes, &mut collect)
    }

    fn read_with_calamine(bytes: &[u8]) -> Vec<Vec<String>> {
        with_calamine_rows("t.ods", bytes, collect).unwrap_or_else(|e| panic!("{e}"))
    }

    /// calamine pads every row to the sheet's width; the stream stops at a row's last value.
    fn without_trailing_empty_cells(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
        rows.into_iter()
            .map(|mut cells| {
                while cells.last().is_some_and(String::is_empty) {
                    cells.pop();
                }
                cells
            })
            .collect()
    }

    #[test]
    fn an_ods_zip_is_recognised_and_read() {
        let bytes = ods_zip(&document(&sheet("S", &row(&text_cell("a")))), MANIFEST);
        assert!(is_ods(&bytes));
        assert_eq!(read_zip(&bytes).ok(), Some(vec![texts(&["a"])]));
    }

    #[test]
    fn a_zip_that_is_not_a_complete_ods_is_an_error_naming_the_file() {
        let bytes = ods_zip(&document(&sheet("S", &row(&text_cell("a")))), MANIFEST);
        let cut = bytes.get(..bytes.len() / 2).unwrap_or_default();
        // The stored mimetype at the start still tells an ODS cut short from anything else.
        assert!(is_ods(cut));
        let message = read_zip(cut)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.starts_with(&format!("t.ods: the spreadsheet is damaged or incomplete ({} bytes; a download cut short?): it is not a complete zip archive", cut.len())), "{message}");

        let message = read_zip(&ods_zip("", MANIFEST))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert_eq!(message, "t.ods: cannot read the spreadsheet: it is a zip without content.xml, the part of an ODS that holds the sheets");

        let encrypted = MANIFEST.replace("</manifest:manifest>", r#"<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#);
        let bytes = ods_zip(&document(""), &encrypted);
        let message = read_zip(&bytes)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(message.contains("it is password-protected"), "{message}");
    }

    /// Everything the unit tests above check one at a time, in one workbook: the stream must
    /// give exactly calamine's rows.
    #[test]
    fn a_workbook_of_every_feature_reads_as_calamine_read_it() {
        let locations = sheet(
            "Locations",
            &[
                r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>"#.to_string(),
                row(&format!(r#"<table:table-cell/>{}<table:table-cell table:number-columns-repeated="2"/>{}<table:covered-table-cell/>{}"#, text_cell("a<text:s text:c=\"2\"/>b"), text_cell("x&amp;y"), text_cell("<text:span>s</text:span><text:tab/>t"))),
                row(r#"<table:table-cell office:value-type="float" office:value="42"/><table:table-cell office:value-type="float" office:value="2.5"/><table:table-cell office:value-type="date" office:date-value="2016-02-25"/><table:table-cell office:value-type="boolean" office:boolean-value="false"/><table:table-cell office:value-type="string"><text:p>one</text:p><text:p>two</text:p></table:table-cell>"#),
                format!(r#"<table:table-row table:number-rows-repeated="3">{}</table:table-row>"#, text_cell("again")),
                r#"<table:table-row table:number-rows-repeated="1048566"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#.to_string(),
            ]
            .concat(),
        );
        let bytes = ods_zip(
            &document(&format!(
                "{}{locations}",
                sheet("Notes", &row(&text_cell("n")))
            )),
            MANIFEST,
        );
        let streamed = read_zip(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(streamed.len(), 7);
        assert_eq!(
            streamed,
            without_trailing_empty_cells(read_with_calamine(&bytes))
        );
    }

    fn fixture(path: &str) -> Vec<u8> {
        let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(path);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The real CQC extract: the same rows as calamine, and so the same locations, ratings and
    /// reported rows through the pipeline.
    #[test]
    fn the_real_cqc_ods_reads_exactly_as_calamine_read_it() {
        let paths = good_ods_fixtures();
        assert!(!paths.is_empty());
        for path in paths {
            let path = path.as_str();
            let bytes = fixture(path);
            assert!(is_ods(&bytes), "{path}");
            let streamed = read_zip(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
            let calamine = without_trailing_empty_cells(read_with_calamine(&bytes));
            assert_eq!(streamed.len(), calamine.len(), "{path}");
            assert_eq!(streamed, calamine, "{path}");

            let through_pipeline = |rows: &mut dyn Iterator<Item = RowResult>| {
                read_latest_ratings_rows("f.ods", rows).map_err(|e| e.to_string())
            };
            let mut pipeline = through_pipeline;
            let new = with_ods_rows("f.ods", &bytes, &mut pipeline);
            let old = with_calamine_rows("f.ods", &bytes, through_pipeline);
            let (Ok(Ok(new)), Ok(Ok(old))) = (new, old) else {
                panic!("{path} did not ingest");
            };
            assert_eq!(new.locations, old.locations, "{path}");
            assert_eq!(new.report, old.report, "{path}");
            assert!(!new.locations.is_empty(), "{path}");
        }
    }

    /// Every ODS under tests/fixtures but the deliberately damaged ones in bad/.
    fn good_ods_fixtures() -> Vec<String> {
        let mut folders = vec![std::path::PathBuf::from("tests/fixtures")];
        let mut found = Vec::new();
        while let Some(folder) = folders.pop() {
            let full =
                std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(&folder);
            let entries =
                std::fs::read_dir(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
            for entry in entries.filter_map(Result::ok) {
                let relative = folder.join(entry.file_name());
                if entry.path().is_dir() && entry.file_name() != "bad" {
                    folders.push(relative);
                } else if relative.extension().is_some_and(|x| x == "ods") {
                    found.push(relative.display().to_string());
                }
            }
        }
        found.sort();
        found
    }

    /// The browser reads on one thread; the command line on two.
    #[test]
    fn reading_in_place_and_in_the_background_agree() {
        let bytes = fixture("tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods");
        let in_place = read_in_place("f.ods", &bytes, &mut collect);
        assert_eq!(in_place.ok(), read_zip(&bytes).ok());
    }

    /// A first sheet the pipeline gives up on (no header in 30 rows) must not leave the reader
    /// blocked on a full channel: the preferred sheet after it is still read.
    #[test]
    fn a_sheet_given_up_on_early_does_not_stall_the_reader() {
        let notes = sheet("Notes", &row(&text_cell("not a header")).repeat(5000));
        let locations = sheet("Locations", &row(&text_cell("Location ID")));
        let bytes = ods_zip(&document(&format!("{notes}{locations}")), MANIFEST);
        let mut first_rows = |rows: &mut dyn Iterator<Item = RowResult>| {
            rows.take(30)
                .filter_map(Result::ok)
                .map(|cells| cells.to_strings())
                .collect::<Vec<_>>()
        };
        let read = with_ods_rows("t.ods", &bytes, &mut first_rows);
        assert_eq!(read.ok(), Some(vec![texts(&["Location ID"])]));
    }

    #[test]
    fn xlsx_is_not_taken_for_ods() {
        let bytes = fixture("tests/fixtures/cqc/latest_ratings_shropshire_2025-10.xlsx");
        assert!(!is_ods(&bytes));
    }
}
