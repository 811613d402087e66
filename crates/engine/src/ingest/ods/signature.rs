//! Telling an ODS from its first bytes, without opening the zip (and so without the
//! `spreadsheets` feature): the file-kind policy uses this.

/// What the `mimetype` entry of an ODF spreadsheet starts with.
pub const MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// ODF stores an uncompressed `mimetype` entry first so the type can be told from the first
/// bytes, even of a download cut short (whose zip directory, at the end, is missing).
pub fn mimetype_comes_first(bytes: &[u8]) -> bool {
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
