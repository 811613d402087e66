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
/// A serial beyond chrono's calendar (a file can hold any number) stays the number it is, in
/// short form (1e300, not 301 digits), for the row pipeline to report as not a date;
/// `Duration::days` panicked on it.
pub fn excel_serial_to_date(serial: f64) -> String {
    let days = serial.floor();
    let in_range = days.is_finite() && days.abs() < 1e9;
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .zip(chrono::TimeDelta::try_days(days as i64).filter(|_| in_range))
        .and_then(|(epoch, offset)| epoch.checked_add_signed(offset))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| format!("{serial:e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_serials_out_of_the_calendar_stay_numbers() {
        assert_eq!(excel_serial_to_date(43873.0), "2020-02-12");
        assert_eq!(excel_serial_to_date(1e300), "1e300");
        assert_eq!(excel_serial_to_date(-9.3e18), "-9.3e18");
        assert_eq!(excel_serial_to_date(f64::NAN), "NaN");
        assert_eq!(excel_serial_to_date(f64::INFINITY), "inf");
    }
}
