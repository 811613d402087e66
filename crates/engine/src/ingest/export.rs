//! A snapshot's published ratings written back out as a Latest ratings CSV, with CQC's own
//! column headers, so that ingesting the export gives the same locations again. Only what
//! the Latest ratings file can hold is written: SAF assessments (from the API) and locations
//! without a published rating have no row there, and the summary counts them. Every cell is
//! written through `spreadsheet_safe`, so a name such as `=HYPERLINK(…)` opens as text.

use super::columns::Column;
use super::safe_output::spreadsheet_safe;
use crate::model::{Location, PublishedRating, Snapshot};
use std::io::Write;

/// What an export wrote, and what the format could not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportSummary {
    pub locations: u64,
    pub rows: u64,
    /// Locations with no published rating: the Latest ratings file has no row for them.
    pub locations_without_ratings: u64,
    /// SAF assessments, which the Latest ratings file does not carry.
    pub assessments_not_exported: u64,
}

/// Writes every published rating of every location as one Latest ratings row.
pub fn write_latest_ratings(snapshot: &Snapshot, out: impl Write) -> Result<ExportSummary, String> {
    let mut writer = csv::Writer::from_writer(out);
    let fail = |e: csv::Error| e.to_string();
    writer
        .write_record(Column::ALL.map(Column::header))
        .map_err(fail)?;
    let mut summary = ExportSummary::default();
    for location in &snapshot.locations {
        summary.assessments_not_exported += location.assessments.len() as u64;
        if location.ratings.is_empty() {
            summary.locations_without_ratings += 1;
            continue;
        }
        summary.locations += 1;
        for rating in &location.ratings {
            writer
                .write_record(Column::ALL.map(|c| {
                    let text = cell(location, rating, c);
                    spreadsheet_safe(&text).into_owned()
                }))
                .map_err(fail)?;
            summary.rows += 1;
        }
    }
    writer.flush().map_err(|e| e.to_string())?;
    Ok(summary)
}

/// One cell, spelt as CQC's file spells it ("-" for no brand, DD/MM/YYYY dates, Y/N flags).
fn cell(location: &Location, rating: &PublishedRating, column: Column) -> String {
    let flag = |b: bool| if b { "Y" } else { "N" }.to_string();
    let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    match column {
        Column::LocationId => location.id.clone(),
        Column::LocationName => location.name.clone(),
        Column::CareHome => flag(location.care_home),
        Column::LocationType => location.location_type.clone(),
        Column::InspectionCategory => location.inspection_category.clone(),
        Column::Street => location.street.clone(),
        Column::City => location.city.clone(),
        Column::PostCode => location.postcode.clone(),
        Column::LocalAuthority => location.local_authority.clone(),
        Column::Region => location.region.clone(),
        Column::Group => rating.group.clone(),
        Column::Domain => rating.domain.label().to_string(),
        Column::Rating => rating.value.label().to_string(),
        Column::PublicationDate => rating
            .published
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        Column::ReportType => rating.report_type.clone().unwrap_or_default(),
        Column::Inherited => flag(rating.inherited),
        Column::Url => location.report_url.clone().unwrap_or_default(),
        Column::ProviderId => location.provider_id.clone(),
        Column::ProviderName => location.provider_name.clone(),
        Column::BrandId => or_dash(&location.brand_id),
        Column::BrandName => or_dash(&location.brand_name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Domain, Rating, RatingValue};

    #[test]
    fn cells_are_spelt_as_cqc_spells_them() {
        let location = Location {
            id: "1-1".into(),
            name: "Example, \"quoted\"".into(),
            care_home: true,
            ..Location::default()
        };
        let rating = PublishedRating {
            group: "Overall".into(),
            domain: Domain::Overall,
            value: RatingValue::Rated(Rating::RequiresImprovement),
            published: chrono::NaiveDate::from_ymd_opt(2016, 2, 25),
            report_type: None,
            inherited: false,
        };
        assert_eq!(
            cell(&location, &rating, Column::PublicationDate),
            "25/02/2016"
        );
        assert_eq!(
            cell(&location, &rating, Column::Rating),
            "Requires improvement"
        );
        assert_eq!(cell(&location, &rating, Column::CareHome), "Y");
        assert_eq!(cell(&location, &rating, Column::Inherited), "N");
        assert_eq!(cell(&location, &rating, Column::BrandId), "-");
        let snapshot = Snapshot {
            locations: vec![
                Location {
                    ratings: vec![rating],
                    ..location
                },
                Location::default(),
            ],
            ..Snapshot::default()
        };
        let mut out = Vec::new();
        let summary = write_latest_ratings(&snapshot, &mut out).unwrap_or_default();
        assert_eq!((summary.rows, summary.locations_without_ratings), (1, 1));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(text.starts_with("Location ID,Location Name,Care Home?,"));
        assert!(text.contains("1-1,\"Example, \"\"quoted\"\"\",Y,"));
    }

    #[test]
    fn formulas_in_names_are_written_as_text() {
        let rating = PublishedRating {
            group: "Overall".into(),
            domain: Domain::Overall,
            value: RatingValue::Rated(Rating::Good),
            published: chrono::NaiveDate::from_ymd_opt(2016, 2, 25),
            report_type: None,
            inherited: false,
        };
        let snapshot = Snapshot {
            locations: vec![Location {
                id: "1-10052707705".into(),
                name: "=HYPERLINK(\"http://evil.example\",\"Goodwood\")".into(),
                provider_name: "@SUM(1+1)".into(),
                ratings: vec![rating],
                ..Location::default()
            }],
            ..Snapshot::default()
        };
        let mut out = Vec::new();
        let written = write_latest_ratings(&snapshot, &mut out).map(|s| s.rows);
        assert_eq!(written, Ok(1));
        let text = String::from_utf8(out).unwrap_or_default();
        assert!(
            text.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Goodwood\"\")\","),
            "{text}"
        );
        assert!(text.contains(",'@SUM(1+1),"), "{text}");
        // "-" for no brand is CQC's own spelling and cannot run.
        assert!(text.trim_end().ends_with(",-,-"), "{text}");
    }
}
