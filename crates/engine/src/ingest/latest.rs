//! CQC's "Latest ratings" file (Locations sheet), as CSV or as an ODS/XLSX spreadsheet: one
//! row per location × service/population group × domain. Every row after the header is
//! accepted or reported; the header is found by `columns`, the rows are read by `rows`.

use super::cells::RowResult;
use super::columns::{Column, Header, HeaderSearch};
use super::csv_rows::{csv_rows, CsvRows};
use super::kind::FileKind;
use super::report::{FileReport, IngestError, IngestIssue, IngestReport, ISSUES_LISTED_PER_FILE};
use super::workbook::with_workbook_rows;
use super::Ingested;
use crate::model::{parse_cqc_date, Date, Domain, Location, PublishedRating, RatingValue};
use std::collections::HashMap;

/// Reads a Latest ratings file from its bytes, CSV or spreadsheet, by content (`FileKind`).
pub fn read_latest_ratings(file: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { file: file.into() });
    }
    let kind = FileKind::of(file, bytes);
    if let Some(refusal) = kind.refusal(file) {
        return Err(refusal);
    }
    if kind.is_workbook() {
        let read = with_workbook_rows(file, bytes, kind, |rows| {
            read_latest_ratings_rows(file, rows)
        })?;
        return read.map_err(|e| match e {
            IngestError::Empty { file } => IngestError::EmptySheet { file },
            other => other,
        });
    }
    read_csv_rows(file, csv_rows(bytes))
}

/// Reads a Latest ratings CSV streamed from its source (a file on disk, say), so that memory
/// is that of one row and the locations read, whatever the file's size.
pub fn read_latest_ratings_csv<'r>(
    file: &str,
    source: impl std::io::Read + 'r,
) -> Result<Ingested, IngestError> {
    read_csv_rows(file, CsvRows::new(Box::new(source)))
}

fn read_csv_rows(file: &str, mut rows: CsvRows<'_>) -> Result<Ingested, IngestError> {
    let read = read_latest_ratings_rows(file, &mut rows);
    match rows.stopped() {
        Some(stop) => Err(IngestError::Unreadable {
            file: file.into(),
            byte: stop.byte,
            detail: stop.reason.clone(),
        }),
        None => read,
    }
}

/// The shared row pipeline for CSV and spreadsheets: finds the header, then accepts or reports
/// every row after it. Row numbers are 1-based, as a spreadsheet shows them.
pub fn read_latest_ratings_rows(
    file: &str,
    rows: impl IntoIterator<Item = RowResult>,
) -> Result<Ingested, IngestError> {
    let mut rows = rows.into_iter();
    let header = find_header(file, &mut rows)?;
    let mut reader = RowReader {
        file,
        header: &header,
        slots: header.slots(),
        counts: FileReport {
            file: file.into(),
            ..FileReport::default()
        },
        issues: Vec::new(),
        locations: Vec::new(),
        by_id: HashMap::new(),
        rating_rows: Vec::new(),
        rating_places: HashMap::new(),
        domains: LastParsed::new(Domain::parse),
        ratings: LastParsed::new(RatingValue::parse),
        dates: LastParsed::new(parse_cqc_date),
    };
    for (offset, row) in rows.enumerate() {
        reader.read(header.row + 1 + offset as u64, row);
    }
    if reader.counts.rows_read == 0 {
        return Err(IngestError::HeaderOnly {
            file: file.into(),
            row: header.row,
        });
    }
    let report = IngestReport {
        files: vec![reader.counts],
        issues: reader.issues,
    };
    Ok(Ingested {
        locations: reader.locations,
        report,
    })
}

/// Consumes rows up to and including the header.
fn find_header(
    file: &str,
    rows: &mut impl Iterator<Item = RowResult>,
) -> Result<Header, IngestError> {
    let mut search = HeaderSearch::default();
    let mut any_row = false;
    for (i, row) in rows.by_ref().enumerate() {
        any_row = true;
        // A row that is not text cannot be the header; the search goes on below it.
        if let Ok(cells) = row {
            if let Some(header) = search.check(file, i as u64 + 1, &cells)? {
                return Ok(header);
            }
        }
        if search.exhausted() {
            break;
        }
    }
    if !any_row {
        return Err(IngestError::Empty { file: file.into() });
    }
    Err(search.not_found(file))
}

/// The state of reading the rows below the header.
struct RowReader<'a> {
    file: &'a str,
    header: &'a Header,
    slots: [Option<usize>; Column::ALL.len()],
    counts: FileReport,
    issues: Vec<IngestIssue>,
    locations: Vec<Location>,
    by_id: HashMap<String, usize>,
    /// For each location, the row each of its accepted ratings came from (in the order of
    /// `Location::ratings`), so a conflicting row can point at it.
    rating_rows: Vec<Vec<u64>>,
    /// For a location with many ratings, where each (group, key question) is in its ratings:
    /// looking an earlier rating up by scanning them made ingest quadratic in a location's rows
    /// (200,000 rows of one location took 89 s). CQC's locations have a few dozen ratings, for
    /// which the scan is cheaper than a map, so only the exceptions get one.
    rating_places: HashMap<usize, HashMap<(Domain, String), usize>>,
    domains: LastParsed<Option<Domain>>,
    ratings: LastParsed<Option<RatingValue>>,
    dates: LastParsed<Option<Date>>,
}

/// The last text a column held and what it parsed to: key questions, ratings and dates repeat
/// row after row, and parsing them (a lower-cased copy, a date format read afresh) was most of
/// the pipeline's own time at national scale.
struct LastParsed<T> {
    text: String,
    value: T,
    parse: fn(&str) -> T,
}

impl<T: Copy> LastParsed<T> {
    fn new(parse: fn(&str) -> T) -> Self {
        LastParsed {
            text: String::new(),
            value: parse(""),
            parse,
        }
    }

    fn parse(&mut self, text: &str) -> T {
        if self.text != text {
            self.value = (self.parse)(text);
            self.text.clear();
            self.text.push_str(text);
        }
        self.value
    }
}

impl RowReader<'_> {
    fn report(&mut self, row: u64, column: Option<String>, value: &str, expected: String) {
        self.counts.rows_reported += 1;
        if self.issues.len() >= ISSUES_LISTED_PER_FILE {
            self.counts.issues_not_listed += 1;
            return;
        }
        self.issues.push(IngestIssue {
            file: self.file.into(),
            row: Some(row),
            column,
            value: value.chars().take(200).collect(),
            expected,
        });
    }

    fn read(&mut self, row_number: u64, row: RowResult) {
        let cells = match row {
            Ok(cells) => cells,
            Err(unreadable) => {
                self.counts.rows_read += 1;
                let column = self.header.column_name(unreadable.column);
                self.report(
                    row_number,
                    Some(column),
                    &unreadable.lossy,
                    unreadable.why.expected(),
                );
                return;
            }
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            return; // blank lines are not rows
        }
        self.counts.rows_read += 1;
        let slots = self.slots;
        let get = |c: Column| -> &str {
            slots
                .get(c.slot())
                .copied()
                .flatten()
                .and_then(|p| cells.get(p))
                .map(str::trim)
                .unwrap_or("")
        };
        let column = |c: Column| Some(c.header().to_string());
        let id = get(Column::LocationId);
        if id.is_empty() {
            let expected = "is empty; expected a CQC location id such as 1-123456789";
            return self.report(row_number, column(Column::LocationId), id, expected.into());
        }
        let Some(domain) = self.domains.parse(get(Column::Domain)) else {
            let expected = "is not a key question; expected Safe, Effective, Caring, Responsive, Well-led or Overall";
            return self.report(
                row_number,
                column(Column::Domain),
                get(Column::Domain),
                expected.into(),
            );
        };
        let Some(value) = self.ratings.parse(get(Column::Rating)) else {
            let expected = "is not a CQC rating; expected Outstanding, Good, Requires improvement, Inadequate or a not-rated state (Not rated, Regulations met, Not applicable, …)";
            return self.report(
                row_number,
                column(Column::Rating),
                get(Column::Rating),
                expected.into(),
            );
        };
        let date_text = get(Column::PublicationDate);
        let published = if date_text.is_empty() {
            None
        } else {
            match self.dates.parse(date_text) {
                Some(d) => Some(d),
                None => {
                    let expected = date_problem(date_text).into();
                    return self.report(
                        row_number,
                        column(Column::PublicationDate),
                        date_text,
                        expected,
                    );
                }
            }
        };
        // Compared in place: an upper-cased copy per row only to compare it.
        let inherited_text = get(Column::Inherited);
        let is_any = |spellings: &[&str]| {
            spellings
                .iter()
                .any(|s| inherited_text.eq_ignore_ascii_case(s))
        };
        let inherited = if is_any(&["Y", "YES"]) {
            true
        } else if is_any(&["N", "NO", ""]) {
            false
        } else {
            return self.report(
                row_number,
                column(Column::Inherited),
                inherited_text,
                "expected Y or N".into(),
            );
        };
        let group = get(Column::Group);
        if group.is_empty() {
            let expected = "is empty; expected \"Overall\" or a service or population group";
            return self.report(row_number, column(Column::Group), group, expected.into());
        }
        let name = get(Column::LocationName);
        let index = match self.by_id.get(id) {
            Some(&i) => {
                let earlier = self.locations.get(i).map(|l| l.name.as_str()).unwrap_or("");
                if earlier != name {
                    let expected = format!(
                        "differs from the name on this location's earlier rows ({earlier:?})"
                    );
                    return self.report(row_number, column(Column::LocationName), name, expected);
                }
                i
            }
            None => {
                let location = new_location(id, name, &get);
                self.by_id.insert(id.to_string(), self.locations.len());
                self.locations.push(location);
                self.rating_rows.push(Vec::new());
                self.locations.len() - 1
            }
        };
        let earlier = self.earlier_rating(index, group, domain).and_then(|at| {
            let location = self.locations.get(index)?;
            Some((
                location.ratings.get(at)?,
                self.rating_rows.get(index)?.get(at)?,
            ))
        });
        if let Some((earlier, earlier_row)) = earlier {
            if earlier.value == value && earlier.published == published {
                let expected = format!("repeats row {earlier_row} exactly (same location, group, domain, rating and date); the row is counted once");
                return self.report(row_number, None, id, expected);
            }
            let earlier_date = earlier
                .published
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "no date".into());
            let expected = format!("conflicts with row {earlier_row} for the same location, group and domain ({}, {earlier_date}); the earlier row is kept", earlier.value);
            return self.report(
                row_number,
                column(Column::Rating),
                get(Column::Rating),
                expected,
            );
        }
        let rating = PublishedRating {
            group: group.to_string(),
            domain,
            value,
            published,
            report_type: Some(get(Column::ReportType).to_string()).filter(|s| !s.is_empty()),
            inherited,
        };
        if let (Some(location), Some(rows)) = (
            self.locations.get_mut(index),
            self.rating_rows.get_mut(index),
        ) {
            location.ratings.push(rating);
            rows.push(row_number);
            self.counts.rows_accepted += 1;
            let place = location.ratings.len() - 1;
            if let Some(places) = self.rating_places.get_mut(&index) {
                places.insert((domain, group.to_string()), place);
            }
        }
    }

    /// Where the location's rating for this group and key question is, if it has one yet.
    fn earlier_rating(&mut self, index: usize, group: &str, domain: Domain) -> Option<usize> {
        if let Some(places) = self.rating_places.get(&index) {
            return places.get(&(domain, group.to_string())).copied();
        }
        let ratings = &self.locations.get(index)?.ratings;
        if ratings.len() >= MANY_RATINGS {
            let places = ratings
                .iter()
                .enumerate()
                .map(|(at, r)| ((r.domain, r.group.clone()), at))
                .collect::<HashMap<_, _>>();
            let found = places.get(&(domain, group.to_string())).copied();
            self.rating_places.insert(index, places);
            return found;
        }
        ratings
            .iter()
            .position(|r| r.group == group && r.domain == domain)
    }
}

/// How many ratings a location has before its earlier ratings are found through a map rather
/// than by scanning them.
const MANY_RATINGS: usize = 64;

/// A location's identity from its first row.
fn new_location<'c>(id: &str, name: &str, get: &impl Fn(Column) -> &'c str) -> Location {
    let optional = |c: Column| {
        let v = get(c);
        (!v.is_empty() && v != "-").then(|| v.to_string())
    };
    Location {
        id: id.to_string(),
        name: name.to_string(),
        provider_id: get(Column::ProviderId).to_string(),
        provider_name: get(Column::ProviderName).to_string(),
        brand_id: optional(Column::BrandId),
        brand_name: optional(Column::BrandName),
        location_type: get(Column::LocationType).to_string(),
        inspection_category: get(Column::InspectionCategory).to_string(),
        care_home: get(Column::CareHome).eq_ignore_ascii_case("Y"),
        street: get(Column::Street).to_string(),
        city: get(Column::City).to_string(),
        postcode: get(Column::PostCode).to_string(),
        local_authority: get(Column::LocalAuthority).to_string(),
        region: get(Column::Region).to_string(),
        report_url: optional(Column::Url),
        ratings: Vec::new(),
        assessments: Vec::new(),
        detail: Default::default(),
    }
}

/// Why a publication date was refused, as precisely as the text allows: CQC writes
/// DD/MM/YYYY, and a date that only might be right is refused rather than guessed.
fn date_problem(text: &str) -> &'static str {
    let parts: Vec<&str> = text.split('/').collect();
    let numbers: Vec<Option<u32>> = parts
        .iter()
        .map(|p| {
            let p = p.trim();
            (!p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let width = |part: &&str| part.trim().len();
    match (parts.as_slice(), numbers.as_slice()) {
        ([first, _, _], [Some(_), Some(_), Some(_)]) if width(first) == 4 => {
            "puts the year first, so day and month could be either way round; expected DD/MM/YYYY"
        }
        ([_, _, year], [Some(_), Some(_), Some(_)]) if width(year) == 2 => {
            "has a two-digit year, which could be any century; expected DD/MM/YYYY"
        }
        ([_, _, year], [Some(day), Some(month), Some(_)]) if width(year) == 4 => {
            if *month > 12 && *day <= 12 {
                "looks like a US month/day date; expected DD/MM/YYYY"
            } else {
                "is not a real date (there is no such day); expected DD/MM/YYYY"
            }
        }
        _ => "is not a date in a format CQC uses; expected DD/MM/YYYY, such as 25/02/2016",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_problems_are_told_apart() {
        assert!(date_problem("31/02/2020").contains("no such day"));
        assert!(date_problem("12/02/20").contains("two-digit year"));
        assert!(date_problem("02/13/2020").contains("US month/day"));
        assert!(date_problem("2020/02/12").contains("year first"));
        assert!(date_problem("Feb 2020").contains("format CQC uses"));
    }

    /// 20,000 ratings of one location: each row's earlier ratings are looked up through a map
    /// once there are many, and a repeat among them is still found.
    #[test]
    fn a_location_with_many_ratings_keeps_them_all_and_finds_repeats() {
        let mut text = String::from("Location ID,Location Name,Service / Population Group,Domain,Latest Rating,Publication Date\n");
        for group in 0..20_000 {
            text.push_str(&format!("1-1,Home,Group {group},Safe,Good,12/02/2020\n"));
        }
        text.push_str("1-1,Home,Group 7,Safe,Good,12/02/2020\n");
        let read = read_latest_ratings("f.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.locations.len(), 1);
        assert_eq!(read.locations[0].ratings.len(), 20_000);
        assert_eq!(read.report.files[0].rows_reported, 1);
        assert!(read.report.issues[0]
            .expected
            .starts_with("repeats row 9 exactly"));
    }

    /// Millions of bad rows are all counted, but only the first ones are kept with a message.
    #[test]
    fn reported_rows_past_the_listed_ones_are_counted() {
        let mut text = String::from("Location ID,Location Name,Service / Population Group,Domain,Latest Rating,Publication Date\n");
        let bad_rows = ISSUES_LISTED_PER_FILE + 5;
        for _ in 0..bad_rows {
            text.push_str("1-1,Home,Overall,Safe,Very good,12/02/2020\n");
        }
        let read = read_latest_ratings("f.csv", text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let counts = &read.report.files[0];
        assert_eq!(counts.rows_reported, bad_rows as u64);
        assert_eq!(counts.issues_not_listed, 5);
        assert_eq!(read.report.issues.len(), ISSUES_LISTED_PER_FILE);
        assert!(read.report.reconciles());
    }
}
