//! How a spreadsheet's typed values (numbers, booleans, dates) become the text the row pipeline
//! reads, the same for every workbook reader so an ODS and an XLSX of the same rows ingest alike.

/// A number cell as text: whole numbers without a fraction (an id typed as a number is
/// "123", not "123.0").
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// A boolean cell as the Y/N the Inherited and Care Home columns use.
pub fn boolean_text(b: bool) -> &'static str {
    if b {
        "Y"
    } else {
        "N"
    }
}

/// Excel's serial day count (days since 30 Dec 1899) as ISO text for `parse_cqc_date`.
pub fn excel_serial_to_date(serial: f64) -> String {
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| serial.to_string())
}
