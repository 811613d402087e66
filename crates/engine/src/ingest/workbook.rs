//! Which reader reads a workbook: ODS, CQC's format, is streamed by `ods`; XLSX goes through
//! calamine (`xlsx`). Without the `spreadsheets` feature neither is built, and a workbook is
//! refused with a message saying so.

use super::cells::RowResult;
use super::kind::FileKind;
use super::report::IngestError;

/// Hands the rows of the "Locations" sheet (or the first sheet) of a workbook of the given
/// kind as text to `consume`, one at a time.
#[cfg(feature = "spreadsheets")]
pub fn with_workbook_rows<T>(
    file: &str,
    bytes: &[u8],
    kind: FileKind,
    mut consume: impl FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    let is_ods = match kind {
        FileKind::Ods => true,
        FileKind::Xlsx => false,
        _ if super::ods::is_ods(bytes) => true,
        _ if holds_xlsx_workbook(bytes) => false,
        _ => {
            return Err(IngestError::UnknownFormat {
                file: file.into(),
                detail: "it is a zip archive with no spreadsheet in it (neither an ODS's content.xml nor an XLSX's xl/workbook.xml); unzip it and load the file inside".into(),
            })
        }
    };
    if is_ods {
        return Ok(super::ods::with_ods_rows(file, bytes, &mut consume)?);
    }
    super::xlsx::with_xlsx_rows(file, bytes, consume)
}

/// A zip that cannot even be opened is left to calamine, which names the damage.
#[cfg(feature = "spreadsheets")]
fn holds_xlsx_workbook(bytes: &[u8]) -> bool {
    match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(archive) => archive.index_for_name("xl/workbook.xml").is_some(),
        Err(_) => true,
    }
}

#[cfg(not(feature = "spreadsheets"))]
pub fn with_workbook_rows<T>(
    file: &str,
    _bytes: &[u8],
    kind: FileKind,
    _consume: impl FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    let kind = match kind {
        FileKind::Ods => "an ODS spreadsheet",
        FileKind::Xlsx => "an XLSX workbook",
        _ => "a zip archive (a spreadsheet?)",
    };
    Err(IngestError::SpreadsheetsNotBuilt {
        file: file.into(),
        kind: kind.into(),
    })
}

#[cfg(all(test, not(feature = "spreadsheets")))]
mod tests {
    use super::super::read_latest_ratings;

    #[test]
    fn without_the_feature_a_workbook_is_refused_with_the_reason() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods"
        );
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let message = read_latest_ratings("f.ods", &bytes)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.starts_with("f.ods: it is an ODS spreadsheet, but this build reads only CSV")
                && message.contains("`spreadsheets` feature"),
            "{message}"
        );
    }
}
