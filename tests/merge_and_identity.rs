//! Merging, dates, identity and output safety (docs/malformed-inputs.md, the rows from "file
//! given twice" on), each on files derived from the real Shropshire extract: Goodwood
//! Homecare's six rows (`1-10052707705`), changed in one way, run through the built `cqc`.
//! Every case checks the exact message, the exit code and that the counts reconcile after the
//! merge, with every accepted row in the snapshot.

use cqc_engine::model::{Date, Domain, Rating, RatingValue, Snapshot};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

mod common;
use common::root;

const SHROPSHIRE: &str = "tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv";
const GOODWOOD: &str = "1-10052707705";

/// The real file's header and Goodwood's six rows, as cells.
fn goodwood() -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut reader = csv::Reader::from_path(root().join(SHROPSHIRE))
        .unwrap_or_else(|e| panic!("{SHROPSHIRE}: {e}"));
    let header = reader.headers().cloned().unwrap_or_default();
    let rows: Vec<csv::StringRecord> = reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.get(0) == Some(GOODWOOD))
        .collect();
    assert_eq!(rows.len(), 6);
    (header, rows)
}

fn column(header: &csv::StringRecord, name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Goodwood's rows with `change` applied to each (its data-row index, 0-based, and the cells),
/// written as `name` in this test file's scratch folder.
fn write_goodwood(
    name: &str,
    change: impl Fn(usize, &csv::StringRecord, &mut Vec<String>),
) -> PathBuf {
    let (header, rows) = goodwood();
    let path = common::scratch("merge_and_identity", name);
    let mut writer = csv::Writer::from_path(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let _ = writer.write_record(&header);
    for (i, row) in rows.iter().enumerate() {
        let mut cells: Vec<String> = row.iter().map(String::from).collect();
        change(i, &header, &mut cells);
        let _ = writer.write_record(&cells);
    }
    let _ = writer.flush();
    path
}

struct Ingest {
    run: common::Run,
    snapshot: Option<Snapshot>,
}

fn ingest(inputs: &[&Path], name: &str) -> Ingest {
    let output = common::scratch("merge_and_identity", &format!("{name}.bin"));
    let mut args: Vec<&OsStr> = vec!["ingest".as_ref()];
    args.extend(inputs.iter().map(|p| p.as_os_str()));
    args.extend(["-o".as_ref(), output.as_os_str()]);
    let run = common::cqc(&args);
    let snapshot = output.exists().then(|| common::decode(&output));
    Ingest { run, snapshot }
}

impl Ingest {
    /// The "<file>: R rows read = A accepted + P reported" line, as numbers.
    fn counts(&self, file: &str) -> (u64, u64, u64) {
        let prefix = format!("{file}: ");
        let line = self
            .run
            .stdout
            .lines()
            .find(|l| l.starts_with(&prefix) && l.contains("rows read"))
            .unwrap_or_else(|| panic!("no counts for {file} in:\n{}", self.run.stdout));
        let numbers: Vec<u64> = line
            .trim_start_matches(&prefix)
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        match numbers.as_slice() {
            [read, accepted, reported] => (*read, *accepted, *reported),
            _ => panic!("unexpected counts line {line:?}"),
        }
    }

    /// Exit code 1, the message among the reported lines, and counts that reconcile: for each
    /// file, in the snapshot's metadata, and with the ratings the snapshot holds.
    fn assert_reported(&self, message: &str) -> &Snapshot {
        let out = &self.run.stdout;
        assert_eq!(self.run.code, 1, "stdout {out}\nstderr {}", self.run.stderr);
        assert!(
            out.lines().any(|l| l == format!("  reported: {message}")),
            "expected the line {message:?} in:\n{out}"
        );
        assert!(!out.contains("do not reconcile"), "{out}");
        let Some(snapshot) = &self.snapshot else {
            panic!("no snapshot written:\n{out}")
        };
        let meta = &snapshot.meta;
        assert_eq!(meta.rows_read, meta.rows_accepted + meta.rows_reported);
        let ratings: usize = snapshot.locations.iter().map(|l| l.ratings.len()).sum();
        assert_eq!(
            ratings as u64, meta.rows_accepted,
            "accepted = in the snapshot"
        );
        snapshot
    }
}

#[test]
fn a_conflicting_second_file_is_reported_with_what_was_kept() {
    let first = write_goodwood("first.csv", |_, _, _| {});
    let second = write_goodwood("second.csv", |i, header, cells| {
        if i == 2 {
            cells[column(header, "latest_rating")] = "Outstanding".into();
        }
    });
    let run = ingest(&[&first, &second], "conflict");
    let snapshot = run.assert_reported(
        "second.csv, column \"Latest Rating\": \"1-10052707705: Outstanding\" conflicts with \"first.csv\" for location 1-10052707705, Overall, Overall: it gives Requires improvement (12/02/2020), this file Outstanding (12/02/2020); the first file given is kept, as a location's ratings come from one publication",
    );
    assert!(run.run.stdout.lines().any(|l| l == "  reported: second.csv, column \"Latest Rating\": \"1-10052707705: Good\" repeats \"first.csv\"'s row for location 1-10052707705, Overall, Safe (Good, 12/02/2020); counted once, there"));
    assert_eq!(run.counts("first.csv"), (6, 6, 0));
    assert_eq!(run.counts("second.csv"), (6, 0, 6));
    assert_eq!(snapshot.locations.len(), 1);
}

#[test]
fn another_name_in_a_second_file_is_reported_whole() {
    let first = write_goodwood("named.csv", |_, _, _| {});
    let renamed = write_goodwood("renamed.csv", |_, header, cells| {
        cells[column(header, "location_name")] = "Goodwood Home Care".into();
    });
    let run = ingest(&[&first, &renamed], "renamed");
    let snapshot = run.assert_reported(
        "renamed.csv, column \"Location ID\": \"1-10052707705\" gives \"Goodwood Home Care\" as this location's name, but \"named.csv\" gives \"Goodwood Homecare\"; the first file given is kept, so nothing of this file's for the location is used (6 rows)",
    );
    assert_eq!(run.counts("renamed.csv"), (6, 0, 6));
    assert_eq!(snapshot.locations[0].name, "Goodwood Homecare");
}

#[test]
fn the_same_file_twice_is_counted_once() {
    let first = write_goodwood("once.csv", |_, _, _| {});
    let copy = common::scratch("merge_and_identity", "once_copy.csv");
    std::fs::copy(&first, &copy).unwrap_or_else(|e| panic!("copy: {e}"));
    let run = ingest(&[&first, &copy], "twice");
    let snapshot = run.assert_reported(&format!(
        "once_copy.csv: \"{}\" is the same file as \"once.csv\" (the same content hash, xxh3-128); its 6 accepted rows are counted once, there, and reported here",
        xxh3_hex(&first)
    ));
    assert_eq!(run.counts("once.csv"), (6, 6, 0));
    assert_eq!(run.counts("once_copy.csv"), (6, 0, 6));
    let alone = ingest(&[&first], "once");
    assert_eq!(
        snapshot.locations,
        alone.snapshot.map(|s| s.locations).unwrap_or_default()
    );
}

/// The content hash as the merge prints it, from the message of a single run: the test does
/// not depend on the hashing crate itself.
fn xxh3_hex(path: &Path) -> String {
    let copy = common::scratch("merge_and_identity", "hash_probe.csv");
    std::fs::copy(path, &copy).unwrap_or_else(|e| panic!("copy: {e}"));
    let run = ingest(&[path, &copy], "hash_probe");
    let line = run
        .run
        .stdout
        .lines()
        .find(|l| l.contains("is the same file as"))
        .unwrap_or_default()
        .to_string();
    let hash = line.split('"').nth(1).unwrap_or_default().to_string();
    assert_eq!(hash.len(), 32, "{line}");
    hash
}

#[test]
fn a_provider_changing_part_way_through_a_location_is_reported() {
    let file = write_goodwood("provider_change.csv", |i, header, cells| {
        if i == 3 {
            cells[column(header, "provider_id")] = "1-101634431".into();
        }
    });
    let run = ingest(&[&file], "provider_change");
    let snapshot = run.assert_reported(
        "provider_change.csv row 5, column \"Provider ID\": \"1-101634431\" differs from the provider on this location's row 2 (\"1-9905520393\", \"Goodwood Homecare Limited\"); a location has one provider in one file, so row 2's is kept and this row is not used",
    );
    assert_eq!(run.counts("provider_change.csv"), (6, 5, 1));
    assert_eq!(snapshot.locations[0].provider_id, "1-9905520393");
}

#[test]
fn dates_after_the_file_or_before_cqc_are_reported_and_never_the_data_date() {
    let file = write_goodwood("01_October_2025_Latest_ratings.csv", |i, header, cells| {
        let date = column(header, "publication_date");
        match i {
            1 => cells[date] = "01/01/9999".into(),
            4 => cells[date] = "31/03/2009".into(),
            _ => {}
        }
    });
    let run = ingest(&[&file], "dates");
    let snapshot = run.assert_reported(
        "01_October_2025_Latest_ratings.csv row 3, column \"Publication Date\": \"01/01/9999\" is after the file's own date (from its name), 01/10/2025; a rating cannot be published after the file that lists it",
    );
    assert!(run.run.stdout.lines().any(|l| l == "  reported: 01_October_2025_Latest_ratings.csv row 6, column \"Publication Date\": \"31/03/2009\" is before 01/04/2009, when CQC was established; no CQC rating is older"));
    assert_eq!(run.counts("01_October_2025_Latest_ratings.csv"), (6, 4, 2));
    assert_eq!(snapshot.meta.data_date, Date::from_ymd_opt(2025, 10, 1));

    // A name without a date: the bound is today, and the data date the newest accepted one.
    let undated = write_goodwood("undated.csv", |i, header, cells| {
        if i == 1 {
            cells[column(header, "publication_date")] = "01/01/9999".into();
        }
    });
    let run = ingest(&[&undated], "undated");
    let line = run
        .run
        .stdout
        .lines()
        .find(|l| l.contains("\"01/01/9999\""))
        .unwrap_or_default();
    assert!(
        line.starts_with("  reported: undated.csv row 3, column \"Publication Date\": \"01/01/9999\" is after today, "),
        "{line}"
    );
    let data_date = run.snapshot.and_then(|s| s.meta.data_date);
    assert_eq!(data_date, Date::from_ymd_opt(2020, 2, 12));
}

#[test]
fn look_alike_ids_are_reported_and_hidden_characters_in_names_shown() {
    let file = write_goodwood("look_alike.csv", |i, header, cells| {
        match i {
            // The same ID with a zero-width space inside: it would be a second Goodwood.
            1 => cells[column(header, "location_id")] = "1-1005270\u{200B}7705".into(),
            // A right-to-left override before the provider ID.
            2 => cells[column(header, "provider_id")] = "\u{202E}1-9905520393".into(),
            _ => {}
        }
        cells[column(header, "location_name")] = "Goodwood\u{200B} Homecare".into();
    });
    let run = ingest(&[&file], "look_alike");
    let snapshot = run.assert_reported(
        "look_alike.csv row 3, column \"Location ID\": \"1-1005270\\u{200b}7705\" contains U+200B (zero-width space), which cannot be seen: it would look the same as another ID; expected 1- and 9 to 12 digits (1-10052707705) or a 5-character NHS site code (RXWAS)",
    );
    assert!(run.run.stdout.lines().any(|l| l == "  reported: look_alike.csv row 4, column \"Provider ID\": \"\\u{202e}1-9905520393\" contains U+202E (a bidirectional embedding or override), which cannot be seen: it would look the same as another ID; expected 1- and 9 to 12 digits (1-101634431) or a 3-character NHS trust code (RXW)"));
    assert_eq!(run.counts("look_alike.csv"), (6, 4, 2));
    assert_eq!(snapshot.locations.len(), 1);
    assert_eq!(snapshot.locations[0].name, "Goodwood<U+200B> Homecare");
}

#[test]
fn formulas_and_control_characters_are_neutralised_in_every_output() {
    let file = write_goodwood("formula.csv", |_, header, cells| {
        cells[column(header, "location_name")] =
            "=HYPERLINK(\"http://evil.example\",\"Goodwood\")\u{1b}[2J".into();
    });
    let run = ingest(&[&file], "formula");
    assert_eq!(run.run.code, 0, "{}", run.run.stdout);
    let snapshot_path = common::scratch("merge_and_identity", "formula_out.bin");
    let exported = common::scratch("merge_and_identity", "formula_export.csv");
    let built = common::cqc(&[
        "ingest".as_ref(),
        file.as_os_str(),
        "-o".as_ref(),
        snapshot_path.as_os_str(),
    ]);
    assert_eq!(built.code, 0);
    let export = common::cqc(&[
        "export".as_ref(),
        snapshot_path.as_os_str(),
        "-o".as_ref(),
        exported.as_os_str(),
    ]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    let text = std::fs::read_to_string(&exported).unwrap_or_default();
    assert!(
        text.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Goodwood\"\")<U+001B>[2J\","),
        "{text}"
    );
    let audit_csv = common::cqc(&[
        "audit".as_ref(),
        snapshot_path.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert!(
        audit_csv.stdout.contains(
            "1-10052707705,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Goodwood\"\")<U+001B>[2J\","
        ),
        "{}",
        audit_csv.stdout
    );
    // The stored name already shows the escape; a name from a hand-made snapshot is escaped
    // again on the way to the terminal.
    // (Its overall rating is changed so that it is listed among the divergences.)
    let mut snapshot = run.snapshot.unwrap_or_default();
    snapshot.locations[0].name = "Goodwood\u{1b}]0;owned\u{7}".into();
    for rating in &mut snapshot.locations[0].ratings {
        if rating.domain == Domain::Overall {
            rating.value = RatingValue::Rated(Rating::Outstanding);
        }
    }
    let hostile = common::scratch("merge_and_identity", "hostile.bin");
    std::fs::write(&hostile, cqc_engine::snapshot::encode(&snapshot))
        .unwrap_or_else(|e| panic!("{e}"));
    let audit_text = common::cqc(&[
        "audit".as_ref(),
        hostile.as_os_str(),
        "--format".as_ref(),
        "text".as_ref(),
    ]);
    assert!(
        !audit_text.stdout.contains('\u{1b}'),
        "{}",
        audit_text.stdout
    );
    assert!(
        audit_text
            .stdout
            .contains("1-10052707705 Goodwood<U+001B>]0;owned<U+0007> — published"),
        "{}",
        audit_text.stdout
    );
}

#[test]
fn a_flipped_byte_in_the_bundled_snapshot_is_an_error() {
    let bytes = std::fs::read(root().join("public/data/snapshot.bin"))
        .unwrap_or_else(|e| panic!("bundled snapshot: {e}"));
    let damaged = common::scratch("merge_and_identity", "damaged.bin");
    let mut flipped = bytes.clone();
    // A byte near the end of the only chunk (the header, with the string table, is the first
    // 53 KB): among the SAF assessments' dates and scores.
    let at = bytes.len() - 100;
    flipped[at] ^= 0x04;
    std::fs::write(&damaged, &flipped).unwrap_or_else(|e| panic!("{e}"));
    let run = common::cqc(&["audit".as_ref(), damaged.as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    let line = run.stderr.lines().next().unwrap_or_default();
    assert!(
        line.starts_with(&format!(
            "error: {}: the snapshot is damaged (a checksum does not match; download or rebuild it): chunk 0 (bytes ",
            damaged.display()
        )),
        "{line}"
    );
}
