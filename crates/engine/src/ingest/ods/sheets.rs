//! Which sheet is read: the one named "Locations" (any case), as in CQC's file, or else the
//! first; in one pass when it comes first, as it does in CQC's file.

use super::container::ContentSource;
use super::document::Document;
use super::error::{OdsError, OdsErrorKind, Position};
use super::names::is_preferred;
use super::sheet_rows::stream_sheet;
use crate::ingest::cells::Cells;

/// Streams the preferred sheet, or the first. CQC's file has its Locations sheet first, and a
/// one-sheet file is the first, so one pass is the rule; only when a later sheet turns out to
/// be the preferred one is the first sheet's result dropped and the later one read.
pub fn read_chosen_sheet<S: ContentSource, T>(
    file: &str,
    file_bytes: u64,
    source: &mut S,
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = Cells>) -> T,
) -> Result<T, OdsError> {
    let (first_result, preferred) = {
        let mut document = Document::new(file, file_bytes, source.open()?);
        let Some(first_name) = document.next_sheet()? else {
            return Err(OdsError::new(
                file,
                file_bytes,
                Position::default(),
                OdsErrorKind::NoSheets,
            ));
        };
        let result = stream_sheet(&mut document, consume)?;
        if is_preferred(&first_name) {
            document.read_to_end()?;
            return Ok(result);
        }
        let preferred = document.find_preferred_sheet()?;
        if preferred.is_none() {
            document.read_to_end()?;
        }
        (result, preferred)
    };
    let Some(index) = preferred else {
        return Ok(first_result);
    };
    drop(first_result);
    let mut document = Document::new(file, file_bytes, source.open()?);
    for _ in 0..=index {
        document.next_sheet()?;
    }
    let result = stream_sheet(&mut document, consume)?;
    document.read_to_end()?;
    Ok(result)
}
