//! The threaded row feed, natively: the reading thread and the consuming thread. The reader runs the same sheet choice as
//! `read_in_place` and sends each sheet it streams as batches of rows and an end mark;
//! the caller's thread runs `consume` once per sheet sent and keeps the last result (a
//! second sheet is sent only when it is the preferred one, after the first).

use super::container::ZipContent;
use super::error::{OdsError, OdsErrorKind, Position};
use super::sheets::read_chosen_sheet;
use crate::ingest::cells::{Cells, RowResult};
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

pub fn with_rows_read_in_background<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, OdsError> {
    // How many sheets the consumer is done with: the reader stops sending a sheet the
    // consumer has stopped reading (a file whose header is not found, say).
    let sheets_done = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let (sender, receiver) = sync_channel(BATCHES_IN_FLIGHT);
        let sheets_done = &sheets_done;
        let reader = scope.spawn(move || -> Result<(), OdsError> {
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
                result.ok_or_else(|| {
                    let no_sheets = OdsErrorKind::NoSheets;
                    OdsError::new(file, bytes.len() as u64, Position::default(), no_sheets)
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
