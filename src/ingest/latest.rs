//! CQC's "Latest ratings" file (Locations sheet), as CSV or as an ODS/XLSX spreadsheet: one
//! row per location × service/population group × domain. The header row is found wherever it
//! is, and columns are matched by name in any of the spellings CQC and derived extracts use.

use super::report::{FileReport, IngestError, IngestIssue, IngestReport};
use super::Ingested;
use crate::model::{parse_cqc_date, Domain, Location, PublishedRating, RatingValue};
use std::collections::HashMap;

/// How many rows from the top are searched for the header (CQC files carry notes above it).
const HEADER_SEARCH_ROWS: usize = 30;

/// The columns this reader uses, each with the normalised spellings it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    LocationId,
    LocationName,
    CareHome,
    LocationType,
    InspectionCategory,
    Street,
    City,
    PostCode,
    LocalAuthority,
    Region,
    Group,
    Domain,
    Rating,
    PublicationDate,
    ReportType,
    Inherited,
    Url,
    ProviderId,
    ProviderName,
    BrandId,
    BrandName,
}

impl Column {
    const ALL: [Column; 21] = [
        Column::LocationId,
        Column::LocationName,
        Column::CareHome,
        Column::LocationType,
        Column::InspectionCategory,
        Column::Street,
        Column::City,
        Column::PostCode,
        Column::LocalAuthority,
        Column::Region,
        Column::Group,
        Column::Domain,
        Column::Rating,
        Column::PublicationDate,
        Column::ReportType,
        Column::Inherited,
        Column::Url,
        Column::ProviderId,
        Column::ProviderName,
        Column::BrandId,
        Column::BrandName,
    ];

    const REQUIRED: [Column; 6] = [
        Column::LocationId,
        Column::LocationName,
        Column::Group,
        Column::Domain,
        Column::Rating,
        Column::PublicationDate,
    ];

    /// CQC's own header text, used in messages.
    fn header(self) -> &'static str {
        match self {
            Column::LocationId => "Location ID",
            Column::LocationName => "Location Name",
            Column::CareHome => "Care Home?",
            Column::LocationType => "Location Type",
            Column::InspectionCategory => "Location Primary Inspection Category",
            Column::Street => "Location Street Address",
            Column::City => "Location City",
            Column::PostCode => "Location Post Code",
            Column::LocalAuthority => "Location Local Authority",
            Column::Region => "Location Region",
            Column::Group => "Service / Population Group",
            Column::Domain => "Domain",
            Column::Rating => "Latest Rating",
            Column::PublicationDate => "Publication Date",
            Column::ReportType => "Report Type",
            Column::Inherited => "Inherited Rating (Y/N)",
            Column::Url => "URL",
            Column::ProviderId => "Provider ID",
            Column::ProviderName => "Provider Name",
            Column::BrandId => "Brand ID",
            Column::BrandName => "Brand Name",
        }
    }

    /// Other names seen for the same column, normalised.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Domain => &["keyquestion"],
            Column::Rating => &["rating"],
            Column::Group => &["servicegroup", "populationgroup"],
            _ => &[],
        }
    }

    fn matches(self, normalised: &str) -> bool {
        normalise(self.header()) == normalised || self.aliases().contains(&normalised)
    }
}

/// Case, spacing and punctuation folded away: "Service / Population Group" and
/// "service_population_group" both become "servicepopulationgroup".
fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Reads a Latest ratings file from its bytes, CSV or spreadsheet, by content.
pub fn read_latest_ratings(file: &str, bytes: &[u8]) -> Result<Ingested, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty { file: file.into() });
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let rows = spreadsheet_rows(file, bytes)?;
        return read_latest_ratings_rows(file, rows.into_iter().map(Ok));
    }
    read_latest_ratings_rows(file, csv_rows(bytes))
}

/// CSV rows as text; a row that is not valid UTF-8 comes back as an error with its row number.
fn csv_rows(bytes: &[u8]) -> impl Iterator<Item = Result<Vec<String>, (u64, String)>> + '_ {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    reader.into_byte_records().enumerate().map(|(i, record)| {
        let row = i as u64 + 1;
        let record = record.map_err(|e| (row, e.to_string()))?;
        record
            .iter()
            .map(|field| {
                std::str::from_utf8(field)
                    .map(|s| s.to_string())
                    .map_err(|_| (row, String::from_utf8_lossy(field).into_owned()))
            })
            .collect()
    })
}

/// The rows of the "Locations" sheet (or the first sheet) as text.
fn spreadsheet_rows(file: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, IngestError> {
    use calamine::Reader;
    let spreadsheet = |detail: String| IngestError::Spreadsheet {
        file: file.into(),
        detail,
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| spreadsheet(e.to_string()))?;
    let names = workbook.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("Locations"))
        .or(names.first())
        .cloned()
        .ok_or_else(|| spreadsheet("it has no sheets".into()))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| spreadsheet(e.to_string()))?;
    // Rows above the used range are blank in the file; keep spreadsheet row numbers true.
    let first_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); first_row];
    rows.extend(range.rows().map(|r| r.iter().map(cell_text).collect()));
    Ok(rows)
}

fn cell_text(cell: &calamine::Data) -> String {
    use calamine::Data;
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "Y" } else { "N" }.to_string(),
        Data::DateTime(d) => excel_serial_to_date(d.as_f64()),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Excel's serial day count (days since 30 Dec 1899) as ISO text for `parse_cqc_date`.
fn excel_serial_to_date(serial: f64) -> String {
    chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| serial.to_string())
}

/// The shared row pipeline for CSV and spreadsheets: finds the header, then accepts or reports
/// every row after it.
pub fn read_latest_ratings_rows(
    file: &str,
    rows: impl IntoIterator<Item = Result<Vec<String>, (u64, String)>>,
) -> Result<Ingested, IngestError> {
    let mut rows = rows.into_iter();
    let mut report = IngestReport::default();
    let mut counts = FileReport {
        file: file.into(),
        ..FileReport::default()
    };
    let issue = |row: u64, column: Option<Column>, value: &str, expected: &str| IngestIssue {
        file: file.into(),
        row: Some(row),
        column: column.map(|c| c.header().to_string()),
        value: value.chars().take(200).collect(),
        expected: expected.into(),
    };

    // Find the header row.
    let mut header: Option<(u64, HashMap<Column, usize>)> = None;
    let mut searched = 0;
    let mut any_row = false;
    for (i, row) in rows.by_ref().enumerate() {
        any_row = true;
        searched = i + 1;
        let row_number = i as u64 + 1;
        let Ok(cells) = row else { continue };
        let normalised: Vec<String> = cells.iter().map(|c| normalise(c)).collect();
        let mut found = HashMap::new();
        for column in Column::ALL {
            let positions: Vec<usize> = normalised
                .iter()
                .enumerate()
                .filter(|(_, n)| column.matches(n))
                .map(|(p, _)| p)
                .collect();
            match positions.as_slice() {
                [] => {}
                [p] => {
                    found.insert(column, *p);
                }
                [_, ..] => {
                    if Column::REQUIRED
                        .iter()
                        .all(|c| normalised.iter().any(|n| c.matches(n)))
                    {
                        return Err(IngestError::DuplicateColumn {
                            file: file.into(),
                            row: row_number,
                            column: column.header().into(),
                        });
                    }
                }
            }
        }
        if Column::REQUIRED.iter().all(|c| found.contains_key(c)) {
            header = Some((row_number, found));
            break;
        }
        if searched >= HEADER_SEARCH_ROWS {
            break;
        }
    }
    if !any_row {
        return Err(IngestError::Empty { file: file.into() });
    }
    let Some((header_row, columns)) = header else {
        return Err(IngestError::NoHeader {
            file: file.into(),
            missing: Column::REQUIRED
                .iter()
                .map(|c| format!("\"{}\"", c.header()))
                .collect::<Vec<_>>()
                .join(", "),
            searched,
        });
    };

    let mut locations: Vec<Location> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut seen_rows = 0u64;
    for (offset, row) in rows.enumerate() {
        let row_number = header_row + 1 + offset as u64;
        let cells = match row {
            Ok(cells) => cells,
            Err((_, lossy)) => {
                counts.rows_read += 1;
                counts.rows_reported += 1;
                report.issues.push(issue(
                    row_number,
                    None,
                    &lossy,
                    "is not valid UTF-8 text; save the file as UTF-8",
                ));
                continue;
            }
        };
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue; // blank lines are not rows
        }
        seen_rows += 1;
        counts.rows_read += 1;
        let get = |c: Column| -> &str {
            columns
                .get(&c)
                .and_then(|p| cells.get(*p))
                .map(|s| s.trim())
                .unwrap_or("")
        };
        let id = get(Column::LocationId);
        if id.is_empty() {
            report.issues.push(issue(
                row_number,
                Some(Column::LocationId),
                id,
                "is empty; expected a CQC location id such as 1-123456789",
            ));
            counts.rows_reported += 1;
            continue;
        }
        let Some(domain) = Domain::parse(get(Column::Domain)) else {
            report.issues.push(issue(row_number, Some(Column::Domain), get(Column::Domain), "is not a key question; expected Safe, Effective, Caring, Responsive, Well-led or Overall"));
            counts.rows_reported += 1;
            continue;
        };
        let Some(value) = RatingValue::parse(get(Column::Rating)) else {
            report.issues.push(issue(row_number, Some(Column::Rating), get(Column::Rating), "is not a CQC rating; expected Outstanding, Good, Requires improvement, Inadequate or a not-rated state"));
            counts.rows_reported += 1;
            continue;
        };
        let date_text = get(Column::PublicationDate);
        let published = if date_text.is_empty() {
            None
        } else {
            match parse_cqc_date(date_text) {
                Some(d) => Some(d),
                None => {
                    report.issues.push(issue(
                        row_number,
                        Some(Column::PublicationDate),
                        date_text,
                        "is not a real date; expected DD/MM/YYYY",
                    ));
                    counts.rows_reported += 1;
                    continue;
                }
            }
        };
        let inherited = match get(Column::Inherited).to_ascii_uppercase().as_str() {
            "Y" | "YES" => true,
            "N" | "NO" | "" => false,
            other => {
                report.issues.push(issue(
                    row_number,
                    Some(Column::Inherited),
                    other,
                    "expected Y or N",
                ));
                counts.rows_reported += 1;
                continue;
            }
        };
        let group = get(Column::Group);
        if group.is_empty() {
            report.issues.push(issue(
                row_number,
                Some(Column::Group),
                group,
                "is empty; expected \"Overall\" or a service or population group",
            ));
            counts.rows_reported += 1;
            continue;
        }
        let name = get(Column::LocationName);
        let index = match by_id.get(id) {
            Some(&i) => {
                if locations[i].name != name {
                    report.issues.push(issue(
                        row_number,
                        Some(Column::LocationName),
                        name,
                        &format!(
                            "differs from the name on this location's earlier rows ({:?})",
                            locations[i].name
                        ),
                    ));
                    counts.rows_reported += 1;
                    continue;
                }
                i
            }
            None => {
                let optional = |c: Column| {
                    let v = get(c);
                    (!v.is_empty() && v != "-").then(|| v.to_string())
                };
                by_id.insert(id.to_string(), locations.len());
                locations.push(Location {
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
                });
                locations.len() - 1
            }
        };
        let location = &mut locations[index];
        let rating = PublishedRating {
            group: group.to_string(),
            domain,
            value,
            published,
            report_type: Some(get(Column::ReportType).to_string()).filter(|s| !s.is_empty()),
            inherited,
        };
        if let Some(existing) = location
            .ratings
            .iter()
            .find(|r| r.group == rating.group && r.domain == rating.domain)
        {
            if existing.value != rating.value || existing.published != rating.published {
                report.issues.push(issue(row_number, Some(Column::Rating), get(Column::Rating), &format!("conflicts with an earlier row for the same location, group and domain ({} {})", existing.value, existing.published.map(|d| d.to_string()).unwrap_or_default())));
            } else {
                report.issues.push(issue(row_number, None, id, "repeats an earlier row exactly (same location, group, domain, rating and date)"));
            }
            counts.rows_reported += 1;
            continue;
        }
        location.ratings.push(rating);
        counts.rows_accepted += 1;
    }
    if seen_rows == 0 && report.issues.is_empty() {
        return Err(IngestError::HeaderOnly {
            file: file.into(),
            row: header_row,
        });
    }
    report.files.push(counts);
    Ok(Ingested { locations, report })
}
