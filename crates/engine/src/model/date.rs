//! Calendar dates as CQC publishes them (`DD/MM/YYYY` in the Latest ratings file, ISO in the API),
//! and the two things every page and report does with them: say a date the same way ("1 Jun
//! 2016") and measure an age in years the same way.

use chrono::{Datelike, NaiveDate};

/// A calendar date. A thin alias so the rest of the code does not depend on chrono's names.
pub type Date = NaiveDate;

/// Parses the date formats found in CQC's files: `DD/MM/YYYY`, `YYYY-MM-DD`, and ISO date-times
/// such as `2024-08-08 10:47:58` or `2025-11-01T23:10:58.210Z` (the time part is ignored).
/// Returns `None` for anything else, including impossible dates such as 31/02/2024.
pub fn parse_cqc_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() >= 10 && text.as_bytes().get(4) == Some(&b'-') {
        // `get`, not `[..10]`: byte 10 may fall inside a multi-byte character ("2024-01-0é"),
        // which is not a date, not a reason to panic (found by fuzz target api_json).
        let head = text.get(..10)?;
        return NaiveDate::parse_from_str(head, "%Y-%m-%d").ok();
    }
    if text.contains('/') {
        let date = NaiveDate::parse_from_str(text, "%d/%m/%Y").ok()?;
        // chrono accepts two-digit years here; CQC never writes them, and guessing the century
        // would silently move a rating by 2,000 years.
        if date.year() < 1000 {
            return None;
        }
        return Some(date);
    }
    None
}

/// Days in a year on average: ages are measured in these so a leap day never makes a rating a
/// year older on one page than another.
const DAYS_PER_YEAR: f64 = 365.25;

/// An age given in days, in years: the one conversion the audit, the evidence-age bar and the
/// age badges all use.
pub fn years_from_days(days: i64) -> f64 {
    days as f64 / DAYS_PER_YEAR
}

/// Years from `from` to `to` (negative if `to` is earlier).
pub fn years_between(from: Date, to: Date) -> f64 {
    years_from_days((to - from).num_days())
}

// The dates are written here, not through chrono's `format`: its strftime interpreter is
// 10 kB of the page's wasm (issue 14) for four fixed layouts. Each gives what chrono's
// pattern named beside it gives (tested below).

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(date: Date) -> &'static str {
    MONTHS[date.month0() as usize]
}

/// The year as chrono's `%Y` writes it: four digits, signed and padded outside 0–9999.
pub fn format_year(date: Date) -> String {
    let year = date.year();
    if (0..10_000).contains(&year) {
        format!("{year:04}")
    } else {
        format!("{year:+05}")
    }
}

/// A date as every page and narrative writes it: "1 Jun 2016" (chrono's `%-d %b %Y`).
pub fn format_date(date: Date) -> String {
    let month = &month_name(date)[..3];
    format!("{} {month} {}", date.day(), format_year(date))
}

/// A date with its month in full: "1 June 2016" (chrono's `%-d %B %Y`).
pub fn format_long_date(date: Date) -> String {
    format!("{} {} {}", date.day(), month_name(date), format_year(date))
}

/// A date as CQC's Latest ratings file writes it: "01/06/2016" (chrono's `%d/%m/%Y`).
pub fn format_dmy(date: Date) -> String {
    format!(
        "{:02}/{:02}/{}",
        date.day(),
        date.month(),
        format_year(date)
    )
}

/// A number of years as the site writes it, one decimal: "6.3 years" (a decimal takes the
/// plural, "1.0 years", as in the age badges).
pub fn format_years(years: f64) -> String {
    format!("{years:.1} years")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ages_read_the_same_everywhere() {
        let published = NaiveDate::from_ymd_opt(2016, 6, 1).unwrap();
        let data_date = NaiveDate::from_ymd_opt(2022, 9, 20).unwrap();
        assert_eq!(format_date(published), "1 Jun 2016");
        assert_eq!(
            format_years(years_between(published, data_date)),
            "6.3 years"
        );
        assert_eq!(years_from_days(1461), 4.0);
        assert!(years_between(data_date, published) < 0.0);
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut date = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        let end = NaiveDate::from_ymd_opt(2031, 3, 1).unwrap();
        while date < end {
            assert_eq!(format_date(date), date.format("%-d %b %Y").to_string());
            assert_eq!(format_long_date(date), date.format("%-d %B %Y").to_string());
            assert_eq!(format_dmy(date), date.format("%d/%m/%Y").to_string());
            assert_eq!(format_year(date), date.format("%Y").to_string());
            date = date.succ_opt().unwrap();
        }
        for year in [-44, 0, 7, 999, 9999, 10_000, 65_000] {
            let date = NaiveDate::from_ymd_opt(year, 1, 9).unwrap();
            assert_eq!(format_year(date), date.format("%Y").to_string());
            assert_eq!(format_dmy(date), date.format("%d/%m/%Y").to_string());
        }
    }

    #[test]
    fn parses_every_cqc_format() {
        let expected = NaiveDate::from_ymd_opt(2025, 4, 17).unwrap();
        assert_eq!(parse_cqc_date("17/04/2025"), Some(expected));
        assert_eq!(parse_cqc_date("2025-04-17"), Some(expected));
        assert_eq!(parse_cqc_date("2025-04-17 10:47:58"), Some(expected));
        assert_eq!(parse_cqc_date("2025-04-17T23:10:58.210Z"), Some(expected));
        assert_eq!(parse_cqc_date(" 17/04/2025 "), Some(expected));
    }

    #[test]
    fn rejects_impossible_and_ambiguous_dates() {
        assert_eq!(parse_cqc_date("31/02/2024"), None);
        assert_eq!(parse_cqc_date("17/04/25"), None);
        assert_eq!(parse_cqc_date("April 2025"), None);
        assert_eq!(parse_cqc_date(""), None);
    }

    #[test]
    fn text_with_a_character_across_the_date_end_is_not_a_date() {
        assert_eq!(parse_cqc_date("2024-01-0é"), None);
        assert_eq!(parse_cqc_date("2024-01-0\u{1F600}1"), None);
        assert_eq!(parse_cqc_date("2024-01-01é"), parse_cqc_date("2024-01-01"));
    }
}
