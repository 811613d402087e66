//! The columns of CQC's Latest ratings file and how its header row is found: wherever it is
//! in the first rows (CQC's own file has notes above it), in any of the spellings CQC and
//! derived extracts use ("Location ID", "location_id", …).

use super::cells::Cells;
use super::report::IngestError;
use std::collections::HashMap;

/// How many rows from the top are searched for the header (CQC files carry notes above it).
pub const HEADER_SEARCH_ROWS: usize = 30;

/// The columns ingest reads and export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
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
    /// In the order of CQC's file.
    pub const ALL: [Column; 21] = [
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

    pub const REQUIRED: [Column; 6] = [
        Column::LocationId,
        Column::LocationName,
        Column::Group,
        Column::Domain,
        Column::Rating,
        Column::PublicationDate,
    ];

    /// The column's place in `ALL`, for looking positions up by index rather than by hash
    /// once per cell of a national file.
    pub fn slot(self) -> usize {
        self as usize
    }

    /// CQC's own header text, used in messages and by export.
    pub fn header(self) -> &'static str {
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
pub fn normalise(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header row: its 1-based row number, where each known column sits, and the file's own
/// header text (for naming columns ingest does not read).
#[derive(Debug, Clone)]
pub struct Header {
    pub row: u64,
    pub positions: HashMap<Column, usize>,
    pub cells: Vec<String>,
}

impl Header {
    /// Where each column sits, indexed by `Column::slot`.
    pub fn slots(&self) -> [Option<usize>; Column::ALL.len()] {
        Column::ALL.map(|c| self.positions.get(&c).copied())
    }

    /// The name to give a column position in a message: CQC's name if ingest knows the
    /// column, else the file's own header text.
    pub fn column_name(&self, position: usize) -> String {
        self.positions
            .iter()
            .find(|(_, p)| **p == position)
            .map(|(c, _)| c.header().to_string())
            .or_else(|| self.cells.get(position).cloned())
            .unwrap_or_else(|| format!("column {}", position + 1))
    }
}

/// Looks at one row of the top of a file: is it the header, or the best near miss so far?
#[derive(Debug, Default)]
pub struct HeaderSearch {
    searched: usize,
    /// The row matching the most required columns (at least two), and the ones it lacks.
    near_miss: Option<(u64, usize, Vec<Column>)>,
}

impl HeaderSearch {
    /// Checks row `row` (1-based). `Ok(Some(header))` when it is the header.
    pub fn check(
        &mut self,
        file: &str,
        row: u64,
        cells: &Cells,
    ) -> Result<Option<Header>, IngestError> {
        self.searched += 1;
        if let Some(separator) = other_separator(cells) {
            return Err(IngestError::OtherSeparator {
                file: file.into(),
                row,
                separator,
            });
        }
        let normalised: Vec<String> = cells.iter().map(normalise).collect();
        let is_required_present = |c: &Column| normalised.iter().any(|n| c.matches(n));
        let required_present = Column::REQUIRED
            .iter()
            .filter(|c| is_required_present(c))
            .count();
        let mut positions = HashMap::new();
        for column in Column::ALL {
            let found: Vec<usize> = normalised
                .iter()
                .enumerate()
                .filter(|(_, n)| column.matches(n))
                .map(|(p, _)| p)
                .collect();
            match found.as_slice() {
                [] => {}
                [p] => {
                    positions.insert(column, *p);
                }
                [first, second, ..] => {
                    // A note row may well mention a column name twice; only a real header
                    // with a doubled column is an error.
                    if required_present == Column::REQUIRED.len() {
                        return Err(IngestError::DuplicateColumn {
                            file: file.into(),
                            row,
                            column: column.header().into(),
                            first: first + 1,
                            second: second + 1,
                        });
                    }
                }
            }
        }
        if required_present == Column::REQUIRED.len() {
            return Ok(Some(Header {
                row,
                positions,
                cells: cells.iter().map(|c| c.trim().to_string()).collect(),
            }));
        }
        let best_so_far = self.near_miss.as_ref().map_or(1, |(_, n, _)| *n);
        if required_present > best_so_far {
            let missing = Column::REQUIRED
                .into_iter()
                .filter(|c| !is_required_present(c))
                .collect();
            self.near_miss = Some((row, required_present, missing));
        }
        Ok(None)
    }

    /// Whether the search has gone as deep as it goes.
    pub fn exhausted(&self) -> bool {
        self.searched >= HEADER_SEARCH_ROWS
    }

    /// The error for a file whose header was not found: naming the missing columns of the
    /// row that came closest, if one did.
    pub fn not_found(&self, file: &str) -> IngestError {
        let quoted = |columns: &mut dyn Iterator<Item = &Column>| {
            columns
                .map(|c| format!("\"{}\"", c.header()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match &self.near_miss {
            Some((row, _, missing)) => IngestError::MissingColumns {
                file: file.into(),
                row: *row,
                missing: quoted(&mut missing.iter()),
            },
            None => IngestError::NoHeader {
                file: file.into(),
                missing: quoted(&mut Column::REQUIRED.iter()),
                searched: self.searched,
            },
        }
    }
}

/// A header row written with another separator than the comma (a European spreadsheet's
/// semicolon, a tab-separated export) reads as one cell holding every column's name, or a few
/// cells split at commas inside the names.
fn other_separator(cells: &Cells) -> Option<&'static str> {
    let required = |names: &mut dyn Iterator<Item = &str>| {
        let normalised: Vec<String> = names.map(normalise).collect();
        Column::REQUIRED
            .iter()
            .filter(|c| normalised.iter().any(|n| c.matches(n)))
            .count()
    };
    if required(&mut cells.iter()) >= 2 {
        return None;
    }
    let text: String = cells.iter().collect::<Vec<_>>().join(",");
    [(';', "semicolons"), ('\t', "tabs")]
        .into_iter()
        .find(|(separator, _)| required(&mut text.split(*separator)) >= 2)
        .map(|(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &[&str]) -> Cells {
        text.iter().collect()
    }

    #[test]
    fn slots_follow_the_order_of_all() {
        for (i, column) in Column::ALL.into_iter().enumerate() {
            assert_eq!(column.slot(), i, "{column:?}");
        }
    }

    #[test]
    fn both_spellings_of_the_header_are_found() {
        for header in [
            cells(&[
                "Location ID",
                "Location Name",
                "Service / Population Group",
                "Domain",
                "Latest Rating",
                "Publication Date",
            ]),
            cells(&[
                "location_id",
                "location_name",
                "service_population_group",
                "domain",
                "latest_rating",
                "publication_date",
            ]),
        ] {
            let found = HeaderSearch::default().check("f", 8, &header);
            let header = found.ok().flatten().map(|h| (h.row, h.positions.len()));
            assert_eq!(header, Some((8, 6)));
        }
    }

    #[test]
    fn a_near_miss_names_what_it_lacks() {
        let mut search = HeaderSearch::default();
        let row = cells(&["location_id", "location_name", "domain", "publication_date"]);
        assert!(matches!(search.check("f.csv", 1, &row), Ok(None)));
        let message = search.not_found("f.csv").to_string();
        assert!(message.contains("row 1"), "{message}");
        assert!(
            message.contains("\"Service / Population Group\", \"Latest Rating\""),
            "{message}"
        );
    }

    #[test]
    fn a_header_separated_by_semicolons_or_tabs_is_named() {
        for (text, separator) in [
            (
                "location_id;location_name;domain;latest_rating",
                "semicolons",
            ),
            ("Location ID\tLocation Name\tDomain\tLatest Rating", "tabs"),
        ] {
            let row: Cells = [text].iter().collect();
            let message = HeaderSearch::default()
                .check("f.csv", 1, &row)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                message.contains(&format!("separated by {separator}")),
                "{message}"
            );
        }
    }
}
