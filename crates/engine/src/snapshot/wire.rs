//! The primitives every part of the snapshot is made of, written and read with bounds checks:
//! LEB128 varints, zigzag signed varints, single bytes, flags and length-prefixed UTF-8. The
//! reader turns every shortfall or malformed value into a `SnapshotError::Corrupt` naming the
//! section, the file offset and the field, never a panic.

use super::SnapshotError;
use std::fmt::Display;

pub(super) fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Maps small negative and positive numbers to small unsigned ones (0, -1, 1, -2 … → 0, 1, 2, 3 …)
/// so deltas of either sign stay one byte.
pub(super) fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

pub(super) fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

pub(super) fn put_flag(out: &mut Vec<u8>, flag: bool) {
    out.push(u8::from(flag));
}

pub(super) fn put_str(out: &mut Vec<u8>, text: &str) {
    put_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// A cursor over one section of the file. `origin` is the section's offset in the file, so
/// errors point at the byte that is wrong.
pub(super) struct ByteReader<'a> {
    bytes: &'a [u8],
    pos: usize,
    origin: usize,
    section: String,
}

impl<'a> ByteReader<'a> {
    pub(super) fn new(bytes: &'a [u8], origin: usize, section: String) -> Self {
        ByteReader {
            bytes,
            pos: 0,
            origin,
            section,
        }
    }

    /// The file offset of the next unread byte.
    pub(super) fn offset(&self) -> usize {
        self.origin + self.pos
    }

    pub(super) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(super) fn corrupt(&self, what: impl Display) -> SnapshotError {
        SnapshotError::Corrupt(format!(
            "{} at byte {}: {what}",
            self.section,
            self.offset()
        ))
    }

    pub(super) fn byte(&mut self, what: &str) -> Result<u8, SnapshotError> {
        match self.bytes.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => Err(self.corrupt(format_args!("ends before {what}"))),
        }
    }

    /// A byte that must be 0 or 1, so that every value has exactly one encoding.
    pub(super) fn flag(&mut self, what: &str) -> Result<bool, SnapshotError> {
        match self.byte(what)? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(self.corrupt(format_args!("{what} is {other}, not 0 or 1"))),
        }
    }

    pub(super) fn varint(&mut self, what: &str) -> Result<u64, SnapshotError> {
        // Most values are below 128: one byte, no loop.
        if let Some(&b) = self.bytes.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b));
            }
        }
        let mut value = 0u64;
        let mut shift = 0u32;
        loop {
            let b = self.byte(what)?;
            // The tenth byte holds the 64th bit only; anything more does not fit a u64.
            if shift == 63 && b > 1 {
                return Err(self.corrupt(format_args!("{what} is a varint longer than 64 bits")));
            }
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
        }
    }

    pub(super) fn signed(&mut self, what: &str) -> Result<i64, SnapshotError> {
        Ok(unzigzag(self.varint(what)?))
    }

    pub(super) fn u32(&mut self, what: &str) -> Result<u32, SnapshotError> {
        let value = self.varint(what)?;
        u32::try_from(value).map_err(|_| self.corrupt(format_args!("{what} {value} exceeds u32")))
    }

    /// A count of items that each take at least one byte of what follows, so a count larger
    /// than the bytes left is corrupt: this bounds every allocation by the input's size.
    pub(super) fn count(&mut self, what: &str) -> Result<usize, SnapshotError> {
        let value = self.varint(what)?;
        match usize::try_from(value) {
            Ok(n) if n <= self.remaining() => Ok(n),
            _ => Err(self.corrupt(format_args!(
                "{what} {value} is more than the {} bytes left",
                self.remaining()
            ))),
        }
    }

    pub(super) fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8], SnapshotError> {
        if len > self.remaining() {
            return Err(self.corrupt(format_args!(
                "{what} needs {len} bytes, {} left",
                self.remaining()
            )));
        }
        let bytes = &self.bytes[self.pos..self.pos + len];
        self.pos += len;
        Ok(bytes)
    }

    pub(super) fn str(&mut self, what: &str) -> Result<&'a str, SnapshotError> {
        let len = self.count(what)?;
        let start = self.offset();
        let bytes = self.take(len, what)?;
        std::str::from_utf8(bytes).map_err(|e| {
            SnapshotError::Corrupt(format!(
                "{} at byte {start}: {what} is not UTF-8 ({e})",
                self.section
            ))
        })
    }

    /// Every section is read to its last byte: anything left over means a reader and writer
    /// disagree, which must not pass silently.
    pub(super) fn finish(self) -> Result<(), SnapshotError> {
        if self.remaining() == 0 {
            Ok(())
        } else {
            Err(self.corrupt(format_args!(
                "{} unexpected bytes after the data",
                self.remaining()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(bytes: &[u8]) -> ByteReader<'_> {
        ByteReader::new(bytes, 0, "test".into())
    }

    #[test]
    fn varints_round_trip_at_every_width() {
        for value in [
            0,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            put_varint(&mut out, value);
            let mut r = reader(&out);
            assert_eq!(r.varint("v"), Ok(value));
            assert!(r.finish().is_ok());
        }
        for value in [0, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            assert_eq!(unzigzag(zigzag(value)), value);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }

    #[test]
    fn malformed_primitives_are_errors() {
        // Eleven continuation bytes: longer than any u64.
        assert!(reader(&[0xff; 11]).varint("v").is_err());
        // Ten bytes whose last carries more than the 64th bit.
        let mut too_big = vec![0xff; 9];
        too_big.push(0x02);
        assert!(reader(&too_big).varint("v").is_err());
        assert!(reader(&[0x80]).varint("v").is_err());
        assert!(reader(&[2]).flag("f").is_err());
        assert!(reader(&[5, b'a']).str("s").is_err());
        assert!(reader(&[2, 0xff, 0xfe]).str("s").is_err());
        assert!(reader(&[9, 0]).count("n").is_err());
        let mut r = reader(&[1, 2]);
        assert_eq!(r.byte("b"), Ok(1));
        let error = r.finish().unwrap_err().to_string();
        assert!(error.contains("test at byte 1"), "{error}");
    }
}
