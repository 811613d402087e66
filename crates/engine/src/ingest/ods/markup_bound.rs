//! A bound on how much of `content.xml` may pass without markup. quick-xml gathers a whole
//! text run (or a whole tag) into one buffer before the reader sees any of it, so a 4 MB ODS
//! whose one cell inflates to gigabytes of text exhausted memory before the cell-length limit
//! could be checked. This source stops, with an error, once more than
//! `MAX_BYTES_WITHOUT_MARKUP` bytes have passed since the last `<` or `>`.

use super::limits::MAX_BYTES_WITHOUT_MARKUP;
use std::io::{self, BufRead, Read};

/// The error the bound stops the XML reader with (inside an `io::Error`).
#[derive(Debug)]
pub struct TooMuchWithoutMarkup;

impl std::fmt::Display for TooMuchWithoutMarkup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "more than {MAX_BYTES_WITHOUT_MARKUP} bytes of text without markup"
        )
    }
}

impl std::error::Error for TooMuchWithoutMarkup {}

pub struct MarkupBound<R> {
    inner: R,
    /// Bytes passed since the last `<` or `>`.
    run: usize,
}

impl<R> MarkupBound<R> {
    pub fn new(inner: R) -> Self {
        MarkupBound { inner, run: 0 }
    }
}

impl<R: BufRead> Read for MarkupBound<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(available.get(..n).unwrap_or_default());
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for MarkupBound<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.run > MAX_BYTES_WITHOUT_MARKUP {
            return Err(io::Error::other(TooMuchWithoutMarkup));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(available) = self.inner.fill_buf() {
            let passed = available.get(..amount).unwrap_or(available);
            // Most of what passes ends with a tag's `>`: no search for that.
            if matches!(passed.last(), Some(b'<' | b'>')) {
                self.run = 0;
                self.inner.consume(amount);
                return;
            }
            self.run = match memchr::memrchr2(b'<', b'>', passed) {
                Some(at) => passed.len() - at - 1,
                None => self.run.saturating_add(passed.len()),
            };
        }
        self.inner.consume(amount);
    }
}
