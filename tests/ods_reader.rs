//! The streaming ODS reader on the real CQC extract, rebuilt as CQC's own monthly file and as
//! LibreOffice writes files: the Locations sheet after a notes sheet, LibreOffice's padding
//! of a million empty rows, compressed content. Each gives the same locations and row counts
//! as the CSV of the same rows. Damaged workbooks give errors naming the file and the fault.

use cqc_engine::ingest::{read_latest_ratings, Ingested};
use std::io::{Cursor, Read, Write};

const ODS: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods";
const CSV: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv";

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/{path}", concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Every entry of a zip, in order, with its bytes.
fn entries(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip_bytes)).unwrap_or_else(|e| panic!("{ODS}: {e}"));
    (0..archive.len())
        .map(|i| {
            let mut entry = archive
                .by_index(i)
                .unwrap_or_else(|e| panic!("{ODS} entry {i}: {e}"));
            let mut bytes = Vec::new();
            entry
                .read_to_end(&mut bytes)
                .unwrap_or_else(|e| panic!("{ODS} entry {i}: {e}"));
            let name = entry
                .name()
                .unwrap_or_else(|e| panic!("{ODS} entry {i}: {e}"))
                .into_owned();
            (name, bytes)
        })
        .collect()
}

/// The fixture with its content.xml changed by `edit` (None leaves it out), written as
/// LibreOffice writes an ODS: `mimetype` first and stored, the rest deflated.
fn rebuilt(edit: impl Fn(&str) -> Option<String>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries(&fixture(ODS)) {
        let bytes = if name == "content.xml" {
            match edit(&String::from_utf8_lossy(&bytes)) {
                Some(content) => content.into_bytes(),
                None => continue,
            }
        } else {
            bytes
        };
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(name.as_str(), options)
            .and_then(|_| zip.write_all(&bytes).map_err(Into::into))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

fn read(name: &str, bytes: &[u8]) -> Ingested {
    read_latest_ratings(name, bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// Same locations and the same row accounting as the CSV (the header is lower in the ODS,
/// below CQC-style notes, so row numbers differ; there are no reported rows to compare).
fn assert_like_the_csv(ingested: &Ingested) {
    let csv = read("f.csv", &fixture(CSV));
    assert_eq!(ingested.locations, csv.locations);
    let counts = |i: &Ingested| {
        let f = &i.report.files[0];
        (f.rows_read, f.rows_accepted, f.rows_reported)
    };
    assert_eq!(counts(ingested), counts(&csv));
    assert_eq!(counts(ingested), (2022, 2022, 0));
    assert!(ingested.report.issues.is_empty());
}

#[test]
fn the_real_extract_reads_like_its_csv() {
    assert_like_the_csv(&read("f.ods", &fixture(ODS)));
}

#[test]
fn the_locations_sheet_is_found_after_a_notes_sheet() {
    let notes = r#"<table:table table:name="Notes"><table:table-row><table:table-cell office:value-type="string" calcext:value-type="string"><text:p>Location ID</text:p></table:table-cell></table:table-row></table:table>"#;
    let bytes = rebuilt(|content| {
        Some(content.replacen(
            r#"<table:table table:name="Locations""#,
            &format!(r#"{notes}<table:table table:name="Locations""#),
            1,
        ))
    });
    assert_like_the_csv(&read("f.ods", &bytes));
}

#[test]
fn libreoffice_padding_to_the_last_row_and_column_costs_nothing() {
    let padding = r#"<table:table-row table:number-rows-repeated="1046540"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
    let bytes = rebuilt(|content| Some(content.replacen("</table:table>", padding, 1)));
    let started = std::time::Instant::now();
    assert_like_the_csv(&read("f.ods", &bytes));
    // Expanded, the padding would be 17 billion cells; skipped, it is one element.
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

fn error(name: &str, bytes: &[u8]) -> String {
    match read_latest_ratings(name, bytes) {
        Ok(_) => panic!("{name} should not ingest"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_ods_without_content_says_so() {
    let bytes = rebuilt(|_| None);
    assert_eq!(
        error("no_content.ods", &bytes),
        "no_content.ods: cannot read the spreadsheet: it is a zip without content.xml, the part of an ODS that holds the sheets"
    );
}

#[test]
fn damaged_content_is_located_by_byte() {
    let bytes = rebuilt(|content| {
        let cut = content
            .find("Cleobury Mortimer")
            .unwrap_or(content.len() / 2);
        content.get(..cut + 3).map(|c| format!("{c}<"))
    });
    let message = error("damaged.ods", &bytes);
    assert!(
        message.starts_with(&format!(
            "damaged.ods: the spreadsheet is damaged or incomplete ({} bytes; a download cut short?): content.xml is not well-formed XML at byte ",
            bytes.len()
        )),
        "{message}"
    );
}

#[test]
fn a_cut_short_download_is_not_taken_for_csv() {
    let bytes = fixture(ODS);
    let cut = bytes.get(..bytes.len() / 3).unwrap_or_default();
    let message = error("cut.ods", cut);
    assert!(
        message.starts_with(&format!(
            "cut.ods: the spreadsheet is damaged or incomplete ({} bytes; a download cut short?): it is not a complete zip archive",
            cut.len()
        )),
        "{message}"
    );
}

/// The colleague's 4 MB ODS held one cell that inflates to gigabytes: the reader stops once a
/// megabyte of text has passed without markup, before gathering it. Here the real extract with
/// 64 MB of text in its first cell (64 KB deflated).
#[test]
fn one_enormous_cell_is_refused_before_it_is_held() {
    let bytes = rebuilt(|content| {
        let at = content.find("<text:p>")? + "<text:p>".len();
        let mut edited = String::with_capacity(content.len() + (64 << 20));
        edited.push_str(content.get(..at)?);
        edited.push_str(&"x".repeat(64 << 20));
        edited.push_str(content.get(at..)?);
        Some(edited)
    });
    assert!(bytes.len() < 4 << 20, "{} bytes", bytes.len());
    let message = error("huge_cell.ods", &bytes);
    assert!(
        message.starts_with("huge_cell.ods: cannot read the spreadsheet: content.xml, near byte ")
            && message
                .contains("more than 1 MB of text without markup, far more than a cell holds"),
        "{message}"
    );
}

/// A changed byte anywhere in the file is an error or changes nothing read: never rows lost or
/// altered with the counts still reconciling. A byte inside `content.xml` that still inflates
/// and parses is caught by the zip's checksum of the entry, checked because the reader reads
/// the entry to its end.
#[test]
fn a_flipped_byte_is_an_error_or_changes_nothing() {
    let clean = fixture(ODS);
    let expected = read_latest_ratings("clean.ods", &clean).expect("the real ODS reads");
    let (start, length) = content_xml_span(&clean);
    // Evenly spaced through the compressed content.xml, where a flip used to lose rows, and a
    // few in the rest of the file.
    let positions = (0..12)
        .map(|k| start + k * length / 12)
        .chain((0..3).map(|k| k * clean.len() / 3));
    for at in positions {
        let mut damaged = clean.clone();
        damaged[at] ^= 0x10;
        if let Ok(read) = read_latest_ratings("damaged.ods", &damaged) {
            assert_eq!(read.locations, expected.locations, "byte {at}");
            // Everything but the content hash, which is the damaged file's own.
            let counts = |i: &Ingested| -> Vec<(u64, u64, u64)> {
                i.report
                    .files
                    .iter()
                    .map(|f| (f.rows_read, f.rows_accepted, f.rows_reported))
                    .collect()
            };
            assert_eq!(counts(&read), counts(&expected), "byte {at}");
        }
    }
}

/// Where `content.xml`'s compressed bytes lie in the zip: its local header's offset plus the
/// header's length, and its compressed size.
fn content_xml_span(zip_bytes: &[u8]) -> (usize, usize) {
    let archive = zip::ZipArchive::new(Cursor::new(zip_bytes)).expect("a zip");
    let index = archive.index_for_name("content.xml").expect("content.xml");
    let mut archive = archive;
    let entry = archive.by_index_raw(index).expect("content.xml entry");
    let start = entry.data_start().expect("a data offset") as usize;
    (start, entry.compressed_size() as usize)
}
