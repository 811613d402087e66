//! A streaming reader for OpenDocument spreadsheets (.ods), the format CQC publishes its Latest
//! ratings file in. calamine (still used for XLSX) builds the whole sheet in memory before the
//! first row can be read: for a national file that is 13.6 million cells and about 2 GB. This
//! reader inflates `content.xml` out of the zip as it parses it and hands each row to the
//! shared row pipeline as soon as the row is complete, so memory is that of one row whatever
//! the sheet's size. Each cell gets the text calamine's path gave it (dates as ISO text, whole
//! numbers without ".0", booleans as Y/N), so an ODS ingests exactly as it did before.
//!
//! One job a module: `container` (the zip), `document` (the XML cell reader), `attributes`
//! (a tag's attributes), `plain_cells` (the common cells read from the raw bytes, past the XML
//! reader), `row_cells` and `sheet_rows` (repeats and spans expanded), `sheets`
//! (which sheet), `feed` (the reading thread), `limits`, `names`; `signature` (an ODS told by
//! its first bytes) and `error` are built even without the `spreadsheets` feature, so that the
//! file-kind policy and the engine's error type do not change with it.

mod error;
pub use error::{OdsError, OdsErrorKind, Position, Problem};

#[cfg(feature = "spreadsheets")]
mod attributes;
#[cfg(feature = "spreadsheets")]
mod container;
#[cfg(feature = "spreadsheets")]
mod document;
#[cfg(all(feature = "spreadsheets", not(target_arch = "wasm32")))]
mod feed;
mod limits;
#[cfg(feature = "spreadsheets")]
mod markup_bound;
#[cfg(feature = "spreadsheets")]
mod names;
#[cfg(feature = "spreadsheets")]
mod plain_cells;
#[cfg(feature = "spreadsheets")]
mod row_cells;
#[cfg(feature = "spreadsheets")]
mod sheet_rows;
#[cfg(feature = "spreadsheets")]
mod sheets;
mod signature;
#[cfg(all(test, feature = "spreadsheets"))]
mod tests;

pub use signature::mimetype_comes_first;

#[cfg(feature = "spreadsheets")]
pub use container::is_ods;

#[cfg(feature = "spreadsheets")]
use crate::ingest::cells::RowResult;

/// Hands the rows of the "Locations" sheet (or the first sheet) to `consume` as text, one at
/// a time, straight from the compressed `content.xml`. An error in the file, even one met
/// after `consume` has seen some rows, is returned instead of what `consume` made of them.
///
/// Natively the file is read on a second thread while `consume` works on the rows already
/// read: parsing the XML is most of the time, and the row pipeline then costs no wall time.
#[cfg(all(feature = "spreadsheets", not(target_arch = "wasm32")))]
pub fn with_ods_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, OdsError> {
    feed::with_rows_read_in_background(file, bytes, consume)
}

/// The browser's worker has no threads to spare: there the file is read as the rows are
/// consumed.
#[cfg(all(feature = "spreadsheets", target_arch = "wasm32"))]
pub fn with_ods_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, OdsError> {
    read_in_place(file, bytes, consume)
}

/// Reads and consumes on the calling thread.
#[cfg(all(feature = "spreadsheets", any(target_arch = "wasm32", test)))]
fn read_in_place<T>(
    file: &str,
    bytes: &[u8],
    consume: &mut dyn FnMut(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, OdsError> {
    let mut source = container::ZipContent::open(file, bytes)?;
    sheets::read_chosen_sheet(file, bytes.len() as u64, &mut source, &mut |rows| {
        consume(&mut rows.map(Ok))
    })
}
