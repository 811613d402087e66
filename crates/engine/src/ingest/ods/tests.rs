//! The ODS reader's tests: each feature of `content.xml` alone on plain XML, then whole zips,
//! and the real CQC extract read exactly as calamine read it.

use super::container::{is_ods, ContentSource};
use super::sheets::read_chosen_sheet;
use super::signature::MIMETYPE;
use super::{read_in_place, with_ods_rows, OdsError};
use crate::ingest::cells::{Cells, RowResult};
use crate::ingest::latest::read_latest_ratings_rows;
use crate::ingest::xlsx::with_calamine_rows;
use std::io::{Cursor, Write};

/// XML given whole, standing in for the zip.
struct Xml(String);

impl ContentSource for Xml {
    type Xml<'s> = &'s [u8];
    fn open(&mut self) -> Result<&[u8], OdsError> {
        Ok(self.0.as_bytes())
    }
}

fn document(sheets: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" office:version="1.3"><office:body><office:spreadsheet>{sheets}</office:spreadsheet></office:body></office:document-content>"#
    )
}

fn sheet(name: &str, rows: &str) -> String {
    format!(
        r#"<table:table table:name="{name}"><table:table-column table:number-columns-repeated="1024"/>{rows}</table:table>"#
    )
}

fn text_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

fn row(cells: &str) -> String {
    format!("<table:table-row>{cells}</table:table-row>")
}

fn collect(rows: &mut dyn Iterator<Item = RowResult>) -> Vec<Vec<String>> {
    rows.map(|r| r.unwrap_or_else(|e| panic!("ODS rows are text: {e:?}")))
        .map(|cells| cells.to_strings())
        .collect()
}

fn read_xml(xml: String) -> Result<Vec<Vec<String>>, OdsError> {
    let bytes = xml.len() as u64;
    let mut collect_compact = |rows: &mut dyn Iterator<Item = Cells>| {
        rows.map(|row| row.to_strings()).collect::<Vec<_>>()
    };
    read_chosen_sheet("t.ods", bytes, &mut Xml(xml), &mut collect_compact)
}

fn read_rows(rows: &str) -> Vec<Vec<String>> {
    read_xml(document(&sheet("Sheet1", rows))).unwrap_or_else(|e| panic!("{e}"))
}

fn texts(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

#[test]
fn repeated_cells_and_rows_are_expanded() {
    let rows = read_rows(&format!(
        r#"<table:table-row table:number-rows-repeated="2">{}<table:table-cell table:number-columns-repeated="2"/><table:table-cell table:number-columns-repeated="2" office:value-type="string" calcext:value-type="string"><text:p>b</text:p></table:table-cell></table:table-row>"#,
        text_cell("a")
    ));
    let expected = texts(&["a", "", "", "b", "b"]);
    assert_eq!(rows, [expected.clone(), expected]);
}

#[test]
fn blank_rows_keep_row_numbers_but_the_trailing_padding_is_never_expanded() {
    // LibreOffice's padding: empty cells to the last column and a last row repeated to
    // the sheet's limit. Expanded, that is 1,048,573 rows of 16,384 cells.
    let padding_cells = r#"<table:table-cell table:number-columns-repeated="16383"/>"#;
    let rows = read_rows(&format!(
        r#"{}<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>{}<table:table-row table:number-rows-repeated="1048573">{padding_cells}<table:table-cell/></table:table-row>"#,
        row(&format!("{}{padding_cells}", text_cell("first"))),
        row(&text_cell("fourth")),
    ));
    assert_eq!(
        rows,
        [texts(&["first"]), vec![], vec![], texts(&["fourth"])]
    );
}

#[test]
fn leading_blank_rows_and_columns_keep_positions() {
    let rows = read_rows(&format!(
        r#"<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>{}"#,
        row(&format!(
            r#"<table:table-cell table:number-columns-repeated="2"/>{}"#,
            text_cell("C4")
        ))
    ));
    assert_eq!(rows, [vec![], vec![], vec![], texts(&["", "", "C4"])]);
}

#[test]
fn covered_cells_hold_their_place_and_their_own_value() {
    let rows = read_rows(&row(&format!(
        r#"<table:table-cell table:number-columns-spanned="3" office:value-type="string" calcext:value-type="string"><text:p>merged</text:p></table:table-cell><table:covered-table-cell/><table:covered-table-cell office:value-type="string" calcext:value-type="string"><text:p>hidden</text:p></table:covered-table-cell>{}"#,
        text_cell("next")
    )));
    assert_eq!(rows, [texts(&["merged", "", "hidden", "next"])]);
}

#[test]
fn inline_text_elements_and_entities_become_their_characters() {
    let rows = read_rows(&row(&text_cell(
        r#"a<text:s text:c="3"/>b<text:s/>c<text:tab/>d<text:line-break/>e <text:span text:style-name="T1">Smith &amp; Sons</text:span>&#x41;&lt;"#,
    )));
    assert_eq!(rows, [texts(&["a   b c\td\ne Smith & SonsA<"])]);
}

#[test]
fn paragraphs_are_joined_by_line_breaks_and_comments_left_out() {
    let rows = read_rows(&row(
        r#"<table:table-cell office:value-type="string" calcext:value-type="string"><office:annotation><text:p>a reviewer's note</text:p></office:annotation><text:p>one</text:p><text:p/><text:p>three</text:p></table:table-cell>"#,
    ));
    assert_eq!(rows, [texts(&["one\n\nthree"])]);
}

#[test]
fn typed_values_read_as_calamine_gave_them() {
    let rows = read_rows(&row(concat!(
        r#"<table:table-cell office:value-type="float" office:value="123" calcext:value-type="float"><text:p>123.00</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="percentage" office:value="0.25" calcext:value-type="percentage"><text:p>25%</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="date" office:date-value="2019-09-25" calcext:value-type="date"><text:p>25/09/2019</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="date" office:date-value="2019-09-25T10:30:00" calcext:value-type="date"><text:p>25/09/2019 10:30</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="boolean" office:boolean-value="true" calcext:value-type="boolean"><text:p>TRUE</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="string" office:string-value="from &quot;attribute&quot;"><text:p>ignored</text:p></table:table-cell>"#,
        r#"<table:table-cell><text:p>no value type: empty, as calamine read it</text:p></table:table-cell>"#,
        r#"<table:table-cell office:value-type="string" calcext:value-type="string"/>"#,
    )));
    assert_eq!(
        rows,
        [texts(&[
            "123",
            "0.25",
            "2019-09-25",
            "2019-09-25T10:30:00",
            "Y",
            "from \"attribute\"",
            "",
            ""
        ])]
    );
}

#[test]
fn the_locations_sheet_is_read_wherever_it_is_else_the_first() {
    let notes = sheet("Notes", &row(&text_cell("a note")));
    let locations = sheet("LOCATIONS", &row(&text_cell("a location")));
    let other = sheet("Other", &row(&text_cell("other")));
    let read = |sheets: String| read_xml(document(&sheets)).unwrap_or_else(|e| panic!("{e}"));
    let later = read(format!("{notes}{locations}{other}"));
    assert_eq!(later, [texts(&["a location"])]);
    assert_eq!(
        read(format!("{locations}{notes}")),
        [texts(&["a location"])]
    );
    assert_eq!(read(format!("{other}{notes}")), [texts(&["other"])]);
    let unnamed = "<table:table><table:table-row>".to_string()
        + &text_cell("x")
        + "</table:table-row></table:table>";
    assert_eq!(read(format!("{unnamed}{notes}")), [texts(&["a note"])]);
    assert!(read(r#"<table:table table:name="Empty"/>"#.to_string()).is_empty());
}

fn error_text(xml: String) -> String {
    match read_xml(xml) {
        Ok(rows) => panic!("expected an error, read {rows:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn damaged_xml_is_an_error_naming_the_file_and_the_byte() {
    let whole = document(&sheet("S", &row(&text_cell("a"))));
    let inside_a_tag = whole.find("</table:table-cell>").map_or(0, |at| at + 12);
    let message = error_text(whole.get(..inside_a_tag).unwrap_or_default().to_string());
    assert!(
        message.starts_with("t.ods: the spreadsheet is damaged or incomplete"),
        "{message}"
    );
    assert!(
        message.contains("content.xml is not well-formed XML at byte ")
            && message.contains("tag not closed"),
        "{message}"
    );

    let after_a_row = whole.find("</table:table-row>").map_or(0, |at| at + 18);
    let message = error_text(whole.get(..after_a_row).unwrap_or_default().to_string());
    assert!(
        message.contains("content.xml ends inside a sheet, at byte"),
        "{message}"
    );

    assert_eq!(
        error_text(document("")),
        "t.ods: cannot read the spreadsheet: it has no sheets"
    );
    let message = error_text(document(&sheet(
        "S",
        r#"<table:table-row table:number-rows-repeated="many"/>"#,
    )));
    assert!(
        message.contains("table:number-rows-repeated is \"many\"; expected a whole number"),
        "{message}"
    );
    let message = error_text(document(&sheet(
        "S",
        &row(r#"<table:table-cell office:value-type="float" office:value="1,5"/>"#),
    )));
    assert!(
        message.contains("the cell value \"1,5\" is not a number"),
        "{message}"
    );
}

#[test]
fn a_row_of_text_past_the_last_spreadsheet_row_is_refused_not_dropped() {
    let rows = format!(
        r#"<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>{}"#,
        row(&text_cell("too far"))
    );
    let message = error_text(document(&sheet("S", &rows)));
    assert!(message.contains("beyond row 1048576"), "{message}");
}

#[test]
fn text_past_the_last_column_is_refused_not_dropped() {
    let cells = format!(
        r#"<table:table-cell table:number-columns-repeated="16384"/>{}"#,
        text_cell("too far")
    );
    let message = error_text(document(&sheet("S", &row(&cells))));
    assert!(message.contains("beyond column 16384"), "{message}");
    let repeated = r#"<table:table-cell office:value-type="string" table:number-columns-repeated="16385"><text:p>x</text:p></table:table-cell>"#;
    let message = error_text(document(&sheet("S", &row(repeated))));
    assert!(message.contains("beyond column 16384"), "{message}");
}

#[test]
fn a_few_bytes_cannot_stand_for_gigabytes_of_text() {
    // 1,000 runs of 32,767 spaces in ~25 KB of XML: a 32 MB cell if it were believed.
    let spaces = r#"<text:s text:c="32767"/>"#.repeat(1000);
    let cell = format!(
        r#"<table:table-cell office:value-type="string"><text:p>{spaces}</text:p></table:table-cell>"#
    );
    let message = error_text(document(&sheet("S", &row(&cell))));
    assert!(message.contains("more than 32767 characters"), "{message}");

    // One cell of 32,000 spaces across every column: half a gigabyte in one row.
    let cell = r#"<table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p><text:s text:c="32000"/></text:p></table:table-cell>"#;
    let message = error_text(document(&sheet("S", &row(cell))));
    assert!(message.contains("a row holds more than 16 MB"), "{message}");

    // Within the limits, a long cell is read whole.
    let cell = r#"<table:table-cell office:value-type="string"><text:p><text:s text:c="32767"/></text:p></table:table-cell>"#;
    let rows = read_rows(&row(cell));
    assert_eq!(rows[0][0].len(), 32_767);
}

/// An ODS as LibreOffice lays it out: `mimetype` first and stored, a manifest, content.
fn ods_zip(content: &str, manifest: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut add = |name: &str, text: &[u8]| {
        zip.start_file(name, stored)
            .and_then(|_| zip.write_all(text).map_err(Into::into))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    };
    add("mimetype", MIMETYPE);
    add("META-INF/manifest.xml", manifest.as_bytes());
    if !content.is_empty() {
        add("content.xml", content.as_bytes());
    }
    zip.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
}

const MANIFEST: &str = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;

fn read_zip(bytes: &[u8]) -> Result<Vec<Vec<String>>, OdsError> {
    with_ods_rows("t.ods", bytes, &mut collect)
}

fn read_with_calamine(bytes: &[u8]) -> Vec<Vec<String>> {
    with_calamine_rows("t.ods", bytes, collect).unwrap_or_else(|e| panic!("{e}"))
}

/// calamine pads every row to the sheet's width; the stream stops at a row's last value.
fn without_trailing_empty_cells(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|mut cells| {
            while cells.last().is_some_and(String::is_empty) {
                cells.pop();
            }
            cells
        })
        .collect()
}

#[test]
fn an_ods_zip_is_recognised_and_read() {
    let bytes = ods_zip(&document(&sheet("S", &row(&text_cell("a")))), MANIFEST);
    assert!(is_ods(&bytes));
    assert_eq!(read_zip(&bytes).ok(), Some(vec![texts(&["a"])]));
}

#[test]
fn a_zip_that_is_not_a_complete_ods_is_an_error_naming_the_file() {
    let bytes = ods_zip(&document(&sheet("S", &row(&text_cell("a")))), MANIFEST);
    let cut = bytes.get(..bytes.len() / 2).unwrap_or_default();
    // The stored mimetype at the start still tells an ODS cut short from anything else.
    assert!(is_ods(cut));
    let message = read_zip(cut)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.starts_with(&format!("t.ods: the spreadsheet is damaged or incomplete ({} bytes; a download cut short?): it is not a complete zip archive", cut.len())), "{message}");

    let message = read_zip(&ods_zip("", MANIFEST))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert_eq!(message, "t.ods: cannot read the spreadsheet: it is a zip without content.xml, the part of an ODS that holds the sheets");

    let encrypted = MANIFEST.replace("</manifest:manifest>", r#"<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>"#);
    let bytes = ods_zip(&document(""), &encrypted);
    let message = read_zip(&bytes)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(message.contains("it is password-protected"), "{message}");
}

/// Everything the unit tests above check one at a time, in one workbook: the stream must
/// give exactly calamine's rows.
#[test]
fn a_workbook_of_every_feature_reads_as_calamine_read_it() {
    let locations = sheet(
        "Locations",
        &[
            r#"<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="4"/></table:table-row>"#.to_string(),
            row(&format!(r#"<table:table-cell/>{}<table:table-cell table:number-columns-repeated="2"/>{}<table:covered-table-cell/>{}"#, text_cell("a<text:s text:c=\"2\"/>b"), text_cell("x&amp;y"), text_cell("<text:span>s</text:span><text:tab/>t"))),
            row(r#"<table:table-cell office:value-type="float" office:value="42"/><table:table-cell office:value-type="float" office:value="2.5"/><table:table-cell office:value-type="date" office:date-value="2016-02-25"/><table:table-cell office:value-type="boolean" office:boolean-value="false"/><table:table-cell office:value-type="string"><text:p>one</text:p><text:p>two</text:p></table:table-cell>"#),
            format!(r#"<table:table-row table:number-rows-repeated="3">{}</table:table-row>"#, text_cell("again")),
            r#"<table:table-row table:number-rows-repeated="1048566"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#.to_string(),
        ]
        .concat(),
    );
    let bytes = ods_zip(
        &document(&format!(
            "{}{locations}",
            sheet("Notes", &row(&text_cell("n")))
        )),
        MANIFEST,
    );
    let streamed = read_zip(&bytes).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(streamed.len(), 7);
    assert_eq!(
        streamed,
        without_trailing_empty_cells(read_with_calamine(&bytes))
    );
}

fn fixture(path: &str) -> Vec<u8> {
    let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(path);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The real CQC extract: the same rows as calamine, and so the same locations, ratings and
/// reported rows through the pipeline.
#[test]
fn the_real_cqc_ods_reads_exactly_as_calamine_read_it() {
    let paths = good_ods_fixtures();
    assert!(!paths.is_empty());
    for path in paths {
        let path = path.as_str();
        let bytes = fixture(path);
        assert!(is_ods(&bytes), "{path}");
        let streamed = read_zip(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        let calamine = without_trailing_empty_cells(read_with_calamine(&bytes));
        assert_eq!(streamed.len(), calamine.len(), "{path}");
        assert_eq!(streamed, calamine, "{path}");

        let through_pipeline = |rows: &mut dyn Iterator<Item = RowResult>| {
            read_latest_ratings_rows("f.ods", rows).map_err(|e| e.to_string())
        };
        let mut pipeline = through_pipeline;
        let new = with_ods_rows("f.ods", &bytes, &mut pipeline);
        let old = with_calamine_rows("f.ods", &bytes, through_pipeline);
        let (Ok(Ok(new)), Ok(Ok(old))) = (new, old) else {
            panic!("{path} did not ingest");
        };
        assert_eq!(new.locations, old.locations, "{path}");
        assert_eq!(new.report, old.report, "{path}");
        assert!(!new.locations.is_empty(), "{path}");
    }
}

/// Every ODS under tests/fixtures but the deliberately damaged ones in bad/.
fn good_ods_fixtures() -> Vec<String> {
    let mut folders = vec![std::path::PathBuf::from("tests/fixtures")];
    let mut found = Vec::new();
    while let Some(folder) = folders.pop() {
        let full =
            std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join(&folder);
        let entries =
            std::fs::read_dir(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()));
        for entry in entries.filter_map(Result::ok) {
            let relative = folder.join(entry.file_name());
            if entry.path().is_dir() && entry.file_name() != "bad" {
                folders.push(relative);
            } else if relative.extension().is_some_and(|x| x == "ods") {
                found.push(relative.display().to_string());
            }
        }
    }
    found.sort();
    found
}

/// The browser reads on one thread; the command line on two.
#[test]
fn reading_in_place_and_in_the_background_agree() {
    let bytes = fixture("tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods");
    let in_place = read_in_place("f.ods", &bytes, &mut collect);
    assert_eq!(in_place.ok(), read_zip(&bytes).ok());
}

/// A first sheet the pipeline gives up on (no header in 30 rows) must not leave the reader
/// blocked on a full channel: the preferred sheet after it is still read.
#[test]
fn a_sheet_given_up_on_early_does_not_stall_the_reader() {
    let notes = sheet("Notes", &row(&text_cell("not a header")).repeat(5000));
    let locations = sheet("Locations", &row(&text_cell("Location ID")));
    let bytes = ods_zip(&document(&format!("{notes}{locations}")), MANIFEST);
    let mut first_rows = |rows: &mut dyn Iterator<Item = RowResult>| {
        rows.take(30)
            .filter_map(Result::ok)
            .map(|cells| cells.to_strings())
            .collect::<Vec<_>>()
    };
    let read = with_ods_rows("t.ods", &bytes, &mut first_rows);
    assert_eq!(read.ok(), Some(vec![texts(&["Location ID"])]));
}

#[test]
fn xlsx_is_not_taken_for_ods() {
    let bytes = fixture("tests/fixtures/cqc/latest_ratings_shropshire_2025-10.xlsx");
    assert!(!is_ods(&bytes));
}

#[test]
fn a_cell_of_endless_text_is_refused_before_it_is_held() {
    // 3 MB of text in one run: past the bound, so never gathered whole (a 4 MB ODS can inflate
    // to gigabytes of it).
    let text = "x".repeat(3 << 20);
    let bytes = ods_zip(&document(&sheet("S", &row(&text_cell(&text)))), MANIFEST);
    let message = read_zip(&bytes)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        message.contains("more than 1 MB of text without markup"),
        "{message}"
    );
}

/// The same content read with and without `plain_cells`: the rows, or the error with its
/// message and place.
fn read_both_ways<T: PartialEq + std::fmt::Debug>(read: impl Fn() -> T) -> (T, T) {
    let with_plain_cells = read();
    super::document::WITHOUT_PLAIN_CELLS.set(true);
    let without = read();
    super::document::WITHOUT_PLAIN_CELLS.set(false);
    (with_plain_cells, without)
}

/// Plain cells taken from the raw bytes read exactly as the XML reader's events read them:
/// in every real fixture (whose cells straddle the inflated buffer's ends), and in a sheet of
/// every cell form cut at every byte, so that errors agree too.
#[test]
fn plain_cells_read_exactly_as_the_xml_reader_reads_them() {
    for path in good_ods_fixtures() {
        let bytes = fixture(&path);
        let (fast, slow) = read_both_ways(|| read_in_place("f.ods", &bytes, &mut collect));
        assert!(fast.as_ref().is_ok_and(|rows| !rows.is_empty()), "{path}");
        assert_eq!(fast, slow, "{path}");
    }
    let cells = [
        text_cell("Care home"),
        "<table:table-cell/>".to_string(),
        text_cell(""),
        text_cell("a &amp; b"),
        text_cell("line\r\nbreak"),
        r#"<table:table-cell table:number-columns-repeated="2"/>"#.to_string(),
        text_cell("é"),
        r#"<table:table-cell office:value-type="date" office:date-value="2020-03-30" calcext:value-type="date"><text:p>03/30/20</text:p></table:table-cell>"#.to_string(),
        " ".to_string(),
        r#"<table:table-cell table:number-columns-repeated="2" office:value-type="string" calcext:value-type="string"><text:p>-</text:p></table:table-cell>"#.to_string(),
        r#"<table:table-cell table:style-name="ce1"/>"#.to_string(),
        r#"<table:table-cell office:value-type="float" office:value="2.50" calcext:value-type="float"><text:p>2.5</text:p></table:table-cell>"#.to_string(),
        r#"<table:table-cell table:formula="of:=1&gt;2" office:value-type="boolean" office:boolean-value="false"><text:p>FALSE</text:p></table:table-cell>"#.to_string(),
        r#"<table:table-cell office:value-type="string"/>"#.to_string(),
        r#"<table:table-cell table:formula="of:=[.A1]"><text:p>no result</text:p></table:table-cell>"#.to_string(),
        text_cell("last"),
    ]
    .concat();
    let whole = document(&sheet(
        "S",
        &format!("{}{}", row(&cells), row(&text_cell("x"))),
    ));
    let mut cut_points: Vec<usize> = (0..=whole.len()).collect();
    cut_points.retain(|&at| whole.is_char_boundary(at));
    for at in cut_points {
        let xml = whole.get(..at).unwrap_or_default().to_string();
        let (fast, slow) = read_both_ways(|| read_xml(xml.clone()));
        assert_eq!(fast, slow, "cut at byte {at}");
    }
    let past_the_last_column = format!(
        r#"<table:table-cell table:number-columns-repeated="16383"/>{}{}"#,
        text_cell("fits"),
        text_cell("too far")
    );
    let long_cell = text_cell(&"x".repeat(40_000));
    let bad_repeat = r#"<table:table-cell table:number-columns-repeated="two"/>"#.to_string();
    let bad_number = r#"<table:table-cell office:value-type="float" office:value="1,5"><text:p>1,5</text:p></table:table-cell>"#.to_string();
    for cells in [past_the_last_column, long_cell, bad_repeat, bad_number] {
        let xml = document(&sheet("S", &row(&cells)));
        let (fast, slow) = read_both_ways(|| read_xml(xml.clone()));
        assert!(fast.is_err());
        assert_eq!(fast, slow);
    }
}
