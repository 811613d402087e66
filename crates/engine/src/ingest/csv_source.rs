//! The bytes under the CSV reader, streamed from wherever they come from (a file on disk, a
//! slice), with the raw bytes of the record being read kept alongside: the row reader needs
//! them to count blank lines and to look at a record that ran on, and to read again from the
//! middle of one. Only the current record is kept, and no record may grow past
//! `MAX_RECORD_BYTES`, so memory is bounded whatever the file's size.

use std::io::{self, Read};

/// The longest a record (a row, or a quoted field that ran on) may be before the reader
/// stops: CQC's rows are a few hundred bytes, and a spreadsheet row of 16,384 cells of the
/// 32,767 characters a cell holds is past any real file.
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

/// Why the source stopped the CSV reader (carried inside an `io::Error`).
#[derive(Debug)]
pub struct RecordTooLong;

impl std::fmt::Display for RecordTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "more than {} MB without the end of a row",
            MAX_RECORD_BYTES >> 20
        )
    }
}

impl std::error::Error for RecordTooLong {}

/// A byte source that keeps what it has handed on since the current record began.
pub struct Recorded<'r> {
    inner: Box<dyn Read + 'r>,
    /// Bytes to hand on before reading `inner` again (after a restart in mid-record).
    replay: Vec<u8>,
    replayed: usize,
    /// The bytes handed on from absolute offset `kept_from`.
    kept: Vec<u8>,
    kept_from: u64,
    /// Where the record being read began (absolute).
    record_from: u64,
}

impl<'r> Recorded<'r> {
    pub fn new(inner: Box<dyn Read + 'r>) -> Self {
        Recorded {
            inner,
            replay: Vec::new(),
            replayed: 0,
            kept: Vec::new(),
            kept_from: 0,
            record_from: 0,
        }
    }

    /// The absolute offset just past the bytes handed on so far.
    pub fn handed_on(&self) -> u64 {
        self.kept_from + self.kept.len() as u64
    }

    /// The bytes handed on from `from` (absolute) to `to`, as far as they are still kept.
    pub fn bytes(&self, from: u64, to: u64) -> &[u8] {
        let start = from.saturating_sub(self.kept_from) as usize;
        let end = to.saturating_sub(self.kept_from) as usize;
        self.kept
            .get(start..end.min(self.kept.len()))
            .unwrap_or_default()
    }

    /// The next record begins at `offset`: what came before it need not be kept.
    pub fn record_begins(&mut self, offset: u64) {
        self.record_from = offset;
        let done = offset.saturating_sub(self.kept_from) as usize;
        // Dropped in large steps: shifting the kept bytes on every record would cost more
        // than reading them.
        if done > (1 << 20) && done <= self.kept.len() {
            self.kept.drain(..done);
            self.kept_from = offset;
        }
    }

    /// Hands on again everything handed on from `offset` (absolute), for a reader that starts
    /// afresh there.
    pub fn restart_at(&mut self, offset: u64) {
        let start = offset.saturating_sub(self.kept_from) as usize;
        let mut replay = self.kept.split_off(start.min(self.kept.len()));
        replay.extend_from_slice(self.replay.get(self.replayed..).unwrap_or_default());
        self.replay = replay;
        self.replayed = 0;
        self.kept.clear();
        self.kept_from = offset;
        self.record_from = offset;
    }
}

impl Read for Recorded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.handed_on().saturating_sub(self.record_from) > MAX_RECORD_BYTES {
            return Err(io::Error::other(RecordTooLong));
        }
        let pending = self.replay.get(self.replayed..).unwrap_or_default();
        let n = if pending.is_empty() {
            self.inner.read(buf)?
        } else {
            let n = pending.len().min(buf.len());
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(pending.get(..n).unwrap_or_default());
            self.replayed += n;
            n
        };
        self.kept
            .extend_from_slice(buf.get(..n).unwrap_or_default());
        Ok(n)
    }
}
