//! The one policy for what kind of file a given file is, used by every caller (the `cqc`
//! command, the browser's worker, the tests): decided by its content, its first bytes, with
//! its name only as a hint where the content cannot tell (a `.json` that is not JSON is still
//! an API response that failed, not a CSV). A kind that cannot be read gets its own message
//! naming the file, so a gzip, a UTF-16 export or a zip of something else is never taken for a
//! CSV whose header is missing.

use super::report::IngestError;

/// What a file is, as far as ingest is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// Text, read as a Latest ratings CSV.
    Csv,
    /// An OpenDocument spreadsheet (CQC's own format).
    Ods,
    /// An Office Open XML workbook.
    Xlsx,
    /// A zip whose first entry does not say what it holds; the whole archive decides.
    Zip,
    /// A legacy Excel 97-2003 workbook (OLE compound file).
    Xls,
    /// A CQC API location response.
    ApiJson,
    Gzip,
    /// UTF-16 or UTF-32 text (Excel's "Unicode text" export).
    WideText,
    /// A web page, most often an error page saved in place of the download.
    Html,
    Pdf,
    Empty,
}

impl FileKind {
    /// The kind of a file from its first bytes (a few kilobytes are enough; the whole file
    /// does too) and its name.
    pub fn of(name: &str, head: &[u8]) -> FileKind {
        if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
            return zip_kind(head);
        }
        if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return FileKind::Xls;
        }
        if head.starts_with(&[0x1F, 0x8B]) {
            return FileKind::Gzip;
        }
        if head.starts_with(b"%PDF") {
            return FileKind::Pdf;
        }
        if is_wide_text(head) {
            return FileKind::WideText;
        }
        let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let start = text.iter().position(|b| !b.is_ascii_whitespace());
        let Some(start) = start else {
            return FileKind::Empty;
        };
        let text = text.get(start..).unwrap_or_default();
        if text.starts_with(b"{") || text.starts_with(b"[") || has_extension(name, "json") {
            return FileKind::ApiJson;
        }
        let opening: Vec<u8> = text.iter().take(15).map(u8::to_ascii_lowercase).collect();
        if opening.starts_with(b"<!doctype html") || opening.starts_with(b"<html") {
            return FileKind::Html;
        }
        FileKind::Csv
    }

    /// The largest file of this kind read whole, or `None` for CSV, which is streamed.
    /// Workbooks are read whole (a zip's directory is at its end), and CQC's national ODS is
    /// 26 MB; CQC's API location responses are tens of kilobytes.
    pub fn most_bytes_read_whole(self) -> Option<u64> {
        match self {
            FileKind::Csv => None,
            FileKind::ApiJson => Some(16 << 20),
            _ => Some(512 << 20),
        }
    }

    /// Whether it is read by the spreadsheet readers (the `spreadsheets` feature).
    pub fn is_workbook(self) -> bool {
        matches!(self, FileKind::Ods | FileKind::Xlsx | FileKind::Zip)
    }

    /// Why a kind that is not read cannot be, and what to do instead; `None` for the kinds read.
    pub fn refusal(self, file: &str) -> Option<IngestError> {
        let refused = |detail: &str| {
            Some(IngestError::UnknownFormat {
                file: file.into(),
                detail: detail.into(),
            })
        };
        match self {
            FileKind::Csv | FileKind::Ods | FileKind::Xlsx | FileKind::Zip | FileKind::ApiJson => {
                None
            }
            // The legacy .xls (OLE) reader in calamine panics on damaged files (found by
            // fuzzing, still in 0.38), so .xls is refused with a way out.
            FileKind::Xls => refused("it is a legacy Excel 97-2003 .xls workbook; save it as .xlsx, .ods or CSV and load that"),
            FileKind::Gzip => refused("it is gzip-compressed; decompress it (gunzip) and load the file inside"),
            FileKind::WideText => refused("it is UTF-16 text (Excel's \"Unicode text\" export); save it as \"CSV UTF-8\" and load that"),
            FileKind::Html => refused("it is a web page, not data: most often an error page saved in place of the download; download the file again"),
            FileKind::Pdf => refused("it is a PDF document; CQC's data comes as ODS, XLSX or CSV"),
            FileKind::Empty => Some(IngestError::Empty { file: file.into() }),
        }
    }
}

/// Whether the name ends in `.{extension}`, any case.
pub fn has_extension(name: &str, extension: &str) -> bool {
    std::path::Path::new(name)
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case(extension))
}

/// ODF stores its `mimetype` first; Office writes `[Content_Types].xml` or an `xl/`, `_rels/`
/// or `docProps/` part first. Anything else is told by the whole archive's directory.
fn zip_kind(head: &[u8]) -> FileKind {
    if super::ods::mimetype_comes_first(head) {
        return FileKind::Ods;
    }
    let name_length = head
        .get(26..28)
        .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let first_entry = name_length.and_then(|length| head.get(30..30 + length));
    match first_entry {
        Some(name)
            if name == b"[Content_Types].xml"
                || name.starts_with(b"xl/")
                || name.starts_with(b"_rels/")
                || name.starts_with(b"docProps/") =>
        {
            FileKind::Xlsx
        }
        _ => FileKind::Zip,
    }
}

/// A UTF-16 or UTF-32 byte-order mark, or ASCII text with a zero byte beside every character.
fn is_wide_text(head: &[u8]) -> bool {
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return true;
    }
    if head.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return true;
    }
    let sample = head.get(..head.len().min(512)).unwrap_or_default();
    sample.len() >= 8 && sample.iter().filter(|&&b| b == 0).count() * 3 >= sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_by_content_not_by_name() {
        assert_eq!(FileKind::of("x.csv", b"PK\x05\x06"), FileKind::Zip);
        assert_eq!(FileKind::of("x.xlsx", b"Location ID,Name\n"), FileKind::Csv);
        assert_eq!(FileKind::of("x.csv", b"\x1F\x8B\x08\x00"), FileKind::Gzip);
        assert_eq!(
            FileKind::of("x.csv", b"\xFF\xFEL\x00o\x00"),
            FileKind::WideText
        );
        assert_eq!(
            FileKind::of("x.csv", b"L\x00o\x00c\x00a\x00t\x00i\x00o\x00n\x00"),
            FileKind::WideText
        );
        assert_eq!(
            FileKind::of("x.ods", b"\xEF\xBB\xBF {\"a\":1}"),
            FileKind::ApiJson
        );
        assert_eq!(
            FileKind::of("x.csv", b"<!DOCTYPE html><html>"),
            FileKind::Html
        );
        assert_eq!(FileKind::of("x.csv", b" \r\n\t"), FileKind::Empty);
        assert_eq!(
            FileKind::of("x.xls", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]),
            FileKind::Xls
        );
    }

    #[test]
    fn the_name_decides_only_what_the_content_cannot() {
        // Not JSON by its content, but named so: an API response that failed, reported as one.
        assert_eq!(FileKind::of("location.json", b"oops"), FileKind::ApiJson);
        assert_eq!(FileKind::of("location.txt", b"oops"), FileKind::Csv);
    }

    #[test]
    fn the_real_fixtures_are_told_apart() {
        let fixture = |name: &str| {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/cqc/");
            std::fs::read(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let head = |bytes: Vec<u8>| bytes.into_iter().take(4096).collect::<Vec<u8>>();
        let ods = head(fixture("latest_ratings_shropshire_2025-10.ods"));
        let xlsx = head(fixture("latest_ratings_shropshire_2025-10.xlsx"));
        let csv = head(fixture("latest_ratings_shropshire_2025-10.csv"));
        assert_eq!(FileKind::of("a", &ods), FileKind::Ods);
        assert_eq!(FileKind::of("a", &xlsx), FileKind::Xlsx);
        assert_eq!(FileKind::of("a", &csv), FileKind::Csv);
    }
}
