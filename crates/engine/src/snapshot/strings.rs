//! The string table: every distinct string of the locations stored once, in the order the
//! encoder first meets it, and the coding of references to it. A column of string references
//! stores, per value, the zigzag difference between its table index and the column's "next new
//! string" position, so a run of first occurrences costs one byte each (0) and a repeat of a
//! common value (a region, a rating group) is the same small number every time.

use super::wire::{put_varint, zigzag, ByteReader};
use super::SnapshotError;
use std::collections::HashMap;

/// Collects the distinct strings while the chunks are written.
#[derive(Default)]
pub(super) struct StringTableBuilder<'s> {
    index: HashMap<&'s str, u32>,
    strings: Vec<&'s str>,
}

impl<'s> StringTableBuilder<'s> {
    pub(super) fn intern(&mut self, text: &'s str) -> u32 {
        let next = self.strings.len() as u32;
        *self.index.entry(text).or_insert_with(|| {
            self.strings.push(text);
            next
        })
    }

    /// Count, then every length, then every string's bytes back to back: lengths and text are
    /// each contiguous, which is what a general-purpose compressor does best with.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        put_varint(out, self.strings.len() as u64);
        for text in &self.strings {
            put_varint(out, text.len() as u64);
        }
        for text in &self.strings {
            out.extend_from_slice(text.as_bytes());
        }
    }
}

/// The decoded table, borrowing the snapshot's bytes.
pub(super) struct StringTable<'a> {
    strings: Vec<&'a str>,
}

impl<'a> StringTable<'a> {
    pub(super) fn read(r: &mut ByteReader<'a>) -> Result<Self, SnapshotError> {
        let count = r.count("string count")?;
        let mut lengths = Vec::with_capacity(count);
        let mut total = 0usize;
        for _ in 0..count {
            let len = r.count("string length")?;
            total = total
                .checked_add(len)
                .filter(|&t| t <= r.remaining())
                .ok_or_else(|| r.corrupt("the string lengths add up to more than the file"))?;
            lengths.push(len);
        }
        let start = r.offset();
        let blob = r.take(total, "string bytes")?;
        // One UTF-8 check for the whole table, then each cut must fall on a character boundary.
        let text = std::str::from_utf8(blob).map_err(|e| {
            SnapshotError::Corrupt(format!(
                "string table at byte {}: not UTF-8 ({e})",
                start + e.valid_up_to()
            ))
        })?;
        let mut strings = Vec::with_capacity(count);
        let mut at = 0usize;
        for (i, len) in lengths.into_iter().enumerate() {
            let piece = text.get(at..at + len).ok_or_else(|| {
                SnapshotError::Corrupt(format!(
                    "string table at byte {}: string {i} ends inside a character",
                    start + at
                ))
            })?;
            strings.push(piece);
            at += len;
        }
        Ok(StringTable { strings })
    }

    pub(super) fn len(&self) -> usize {
        self.strings.len()
    }
}

/// The encoder's state for one column of string references within one chunk.
#[derive(Default)]
pub(super) struct RefEncoder {
    next: i64,
}

impl RefEncoder {
    pub(super) fn code(&mut self, index: u32) -> u64 {
        let index = i64::from(index);
        let delta = index - self.next;
        self.next = self.next.max(index + 1);
        zigzag(delta)
    }
}

/// The decoder's twin of `RefEncoder`; each column of each chunk starts from 0.
pub(super) struct RefDecoder<'t, 'a> {
    table: &'t StringTable<'a>,
    next: i64,
}

impl<'t, 'a> RefDecoder<'t, 'a> {
    pub(super) fn new(table: &'t StringTable<'a>) -> Self {
        RefDecoder { table, next: 0 }
    }

    pub(super) fn resolve(
        &mut self,
        delta: i64,
        r: &ByteReader<'_>,
        what: &str,
    ) -> Result<&'a str, SnapshotError> {
        let index = self
            .next
            .checked_add(delta)
            .and_then(|i| usize::try_from(i).ok())
            .filter(|&i| i < self.table.len())
            .ok_or_else(|| {
                r.corrupt(format_args!(
                    "{what} refers to string {} + {delta}, the table has {}",
                    self.next,
                    self.table.len()
                ))
            })?;
        // `index < table.len()`, which is at most the file's length, so `+ 1` cannot overflow.
        self.next = self.next.max(index as i64 + 1);
        Ok(self.table.strings[index])
    }

    pub(super) fn read(
        &mut self,
        r: &mut ByteReader<'_>,
        what: &str,
    ) -> Result<&'a str, SnapshotError> {
        let delta = r.signed(what)?;
        self.resolve(delta, r, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_new_strings_cost_one_zero_byte() {
        let mut builder = StringTableBuilder::default();
        let mut column = RefEncoder::default();
        let codes: Vec<u64> = ["a", "b", "c", "a", "d", "a"]
            .into_iter()
            .map(|s| column.code(builder.intern(s)))
            .collect();
        assert_eq!(codes, [0, 0, 0, zigzag(-3), 0, zigzag(-4)]);

        let mut bytes = Vec::new();
        builder.write(&mut bytes);
        let mut r = ByteReader::new(&bytes, 0, "test".into());
        let table = StringTable::read(&mut r).expect("a written table reads");
        let mut decoder = RefDecoder::new(&table);
        let back: Vec<&str> = codes
            .iter()
            .map(|&c| {
                decoder
                    .resolve(super::super::wire::unzigzag(c), &r, "s")
                    .expect("in range")
            })
            .collect();
        assert_eq!(back, ["a", "b", "c", "a", "d", "a"]);
        assert!(decoder.resolve(1, &r, "s").is_err());
        assert!(decoder.resolve(-100, &r, "s").is_err());
        assert!(decoder.resolve(i64::MAX, &r, "s").is_err());
    }

    #[test]
    fn a_cut_inside_a_character_is_corrupt() {
        // "é" is two bytes; lengths 1 + 1 cut it in half.
        let bytes = [2, 1, 1, 0xc3, 0xa9];
        let mut r = ByteReader::new(&bytes, 0, "test".into());
        assert!(StringTable::read(&mut r).is_err());
    }
}
