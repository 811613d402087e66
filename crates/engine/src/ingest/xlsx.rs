//! The rows of an XLSX workbook as text, through calamine (ODS, CQC's own format, is streamed by
//! `ods` instead): those of the "Locations" sheet, or the first.

use super::cell_values::{boolean_text, excel_serial_to_date, number_text};
use super::cells::{Cells, RowResult};
use super::report::IngestError;

/// The rows of a workbook calamine reads (XLSX; ODS too, which the ODS tests compare against).
/// calamine builds the whole sheet before the first row; rows are then handed on one at a
/// time, as a second, text copy of a national sheet would double the memory (measured: 2.4 GB
/// peak with the copy).
pub fn with_calamine_rows<T>(
    file: &str,
    bytes: &[u8],
    consume: impl FnOnce(&mut dyn Iterator<Item = RowResult>) -> T,
) -> Result<T, IngestError> {
    use calamine::Reader;
    let unreadable = |detail: String| IngestError::Spreadsheet {
        file: file.into(),
        detail,
    };
    // A workbook that cannot even be opened is damaged, most often a download cut short.
    let mut workbook =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| {
            IngestError::DamagedSpreadsheet {
                file: file.into(),
                bytes: bytes.len() as u64,
                detail: e.to_string(),
            }
        })?;
    let names = workbook.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Locations"))
        .or(names.first())
        .cloned()
        .ok_or_else(|| unreadable("it has no sheets".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| unreadable(format!("sheet \"{sheet}\": {e}")))?;
    // Rows above the used range are blank in the file; keep spreadsheet row numbers true.
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let first_column = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut rows = std::iter::repeat_with(Cells::default)
        .take(first_row)
        .chain(range.rows().map(|r| {
            // Columns left of the used range are blank too; keep positions true for messages.
            std::iter::repeat_n(String::new(), first_column)
                .chain(r.iter().map(cell_text))
                .collect()
        }))
        .map(Ok);
    Ok(consume(&mut rows))
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => boolean_text(*b).to_string(),
        Data::DateTime(d) => excel_serial_to_date(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}
