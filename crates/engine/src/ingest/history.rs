//! A national history of overall ratings: one row per location and report date (columns
//! `locationid`, `reportdate`, `overall`, as in the history pulled from CQC's API that
//! SOURCES.md describes). It is a join table, not a source of locations: its rows add earlier
//! ratings to the locations the other files give (see `combine`), and a row for a location not
//! in the data is reported, not invented into one.

use super::report::{FileReport, IngestIssue, IngestReport, RowKind, ISSUES_LISTED_PER_FILE};
use super::validate::{id_problem, IdKind};
use crate::model::{parse_cqc_date, HistoricRating, HistorySource, RatingValue};
use std::io::Read;

/// One usable row: an earlier overall rating of one location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    /// 1-based, the header being row 1.
    pub row: u64,
    pub location_id: String,
    pub rating: HistoricRating,
}

/// What a history file gave: its usable rows and its accounting.
#[derive(Debug, Clone, Default)]
pub struct RatingHistory {
    pub rows: Vec<HistoryRow>,
    pub report: IngestReport,
}

/// The columns a history file must have, by the names it uses.
const LOCATION_ID: &str = "locationid";
const REPORT_DATE: &str = "reportdate";
const OVERALL: &str = "overall";

/// Whether a CSV's first line is a rating history's header (the columns above, any case and
/// quoting), so it is read as one rather than as a Latest ratings file missing its columns.
pub fn is_rating_history(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let Ok(line) = std::str::from_utf8(&head[..line_end]) else {
        return false;
    };
    let columns: Vec<String> = line
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    [LOCATION_ID, REPORT_DATE, OVERALL]
        .iter()
        .all(|wanted| columns.iter().any(|c| c == wanted))
}

/// Reads a history file. Every row is accepted or reported with its row and column.
pub fn read_rating_history(file: &str, source: impl Read) -> RatingHistory {
    let mut out = RatingHistory::default();
    let mut report = FileReport {
        file: file.to_string(),
        row_kind: RowKind::Rating,
        ..FileReport::default()
    };
    let mut issues = Vec::new();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(source);
    let position = |wanted: &str, headers: &csv::StringRecord| {
        headers.iter().position(|h| {
            h.trim()
                .trim_start_matches('\u{feff}')
                .eq_ignore_ascii_case(wanted)
        })
    };
    let columns = reader.headers().ok().and_then(|h| {
        Some((
            position(LOCATION_ID, h)?,
            position(REPORT_DATE, h)?,
            position(OVERALL, h)?,
        ))
    });
    let Some((id_at, date_at, overall_at)) = columns else {
        issues.push(IngestIssue {
            file: file.into(),
            row: Some(1),
            column: None,
            value: String::new(),
            expected: format!(
                "is not a rating history header; expected the columns {LOCATION_ID}, {REPORT_DATE} and {OVERALL}"
            ),
        });
        out.report.files.push(report);
        out.report.issues = issues;
        return out;
    };
    let mut record = csv::StringRecord::new();
    let mut row = 1u64;
    loop {
        row += 1;
        let problem = match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => read_row(&record, (id_at, date_at, overall_at), row, file)
                .map(|usable| out.rows.push(usable))
                .err(),
            // A CSV error (bad UTF-8, an unclosed quote) is one reported row; the reader
            // carries on after it.
            Err(e) => Some(IngestIssue {
                file: file.into(),
                row: Some(row),
                column: None,
                value: e.to_string(),
                expected: "is not a readable CSV row".into(),
            }),
        };
        report.rows_read += 1;
        match problem {
            None => report.rows_accepted += 1,
            Some(issue) => {
                report.rows_reported += 1;
                if issues.len() < ISSUES_LISTED_PER_FILE {
                    issues.push(issue);
                } else {
                    report.issues_not_listed += 1;
                }
            }
        }
    }
    out.report.files.push(report);
    out.report.issues = issues;
    out
}

fn read_row(
    record: &csv::StringRecord,
    (id_at, date_at, overall_at): (usize, usize, usize),
    row: u64,
    file: &str,
) -> Result<HistoryRow, IngestIssue> {
    let issue = |column: &str, value: &str, expected: String| IngestIssue {
        file: file.into(),
        row: Some(row),
        column: Some(column.into()),
        value: value.chars().take(200).collect(),
        expected,
    };
    let cell = |at: usize| record.get(at).unwrap_or_default().trim();
    let location_id = cell(id_at);
    if let Some(problem) = id_problem(location_id, IdKind::Location) {
        return Err(issue(LOCATION_ID, location_id, problem));
    }
    let date_text = cell(date_at);
    let report_date = parse_cqc_date(date_text).ok_or_else(|| {
        issue(
            REPORT_DATE,
            date_text,
            "is not a date (expected YYYY-MM-DD or DD/MM/YYYY)".into(),
        )
    })?;
    let overall_text = cell(overall_at);
    let overall = RatingValue::parse(overall_text).ok_or_else(|| {
        issue(
            OVERALL,
            overall_text,
            "is not a CQC rating (Outstanding, Good, Requires improvement, Inadequate or a not-rated state)".into(),
        )
    })?;
    Ok(HistoryRow {
        row,
        location_id: location_id.to_string(),
        rating: HistoricRating {
            report_date: Some(report_date),
            report_link_id: None,
            overall: Some(overall),
            key_questions: Vec::new(),
            source: HistorySource::HistoryFile,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "\"\",\"reportdate\",\"overall\",\"ownership\",\"locationid\",\"location_start_2025\",\"location_end_2025\",\"good\",\"rating\"\n";

    #[test]
    fn the_real_header_is_recognised_and_a_latest_ratings_one_is_not() {
        assert!(is_rating_history(HEADER.as_bytes()));
        assert!(!is_rating_history(
            b"Location ID,Location Name,Domain,Latest Rating,Publication Date\n"
        ));
    }

    #[test]
    fn every_row_is_accepted_or_reported_with_its_column() {
        let text = format!(
            "{HEADER}\"1\",2014-10-10,\"Good\",\"For-profit\",\"1-436991296\",19176,22272,1,\"Good\"\n\
             \"2\",2014-13-40,\"Good\",\"For-profit\",\"1-365223696\",19022,20361,1,\"Good\"\n\
             \"3\",2015-01-02,\"Splendid\",\"For-profit\",\"1-365223696\",19022,20361,1,\"Good\"\n\
             \"4\",2015-01-02,\"Requires Improvement\",\"For-profit\",\"1- 36\",19022,20361,0,\"RI\"\n"
        );
        let history = read_rating_history("h.csv", text.as_bytes());
        let file = &history.report.files[0];
        assert_eq!(
            (file.rows_read, file.rows_accepted, file.rows_reported),
            (4, 1, 3)
        );
        assert!(history.report.reconciles());
        let columns: Vec<_> = history
            .report
            .issues
            .iter()
            .map(|i| (i.row, i.column.as_deref()))
            .collect();
        assert_eq!(
            columns,
            [
                (Some(3), Some(REPORT_DATE)),
                (Some(4), Some(OVERALL)),
                (Some(5), Some(LOCATION_ID))
            ]
        );
        assert_eq!(history.rows[0].location_id, "1-436991296");
        assert_eq!(history.rows[0].row, 2);
    }
}
