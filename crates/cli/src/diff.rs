//! `cqc diff OLD NEW`: what changed between two data sets (two months' Latest ratings files,
//! two snapshots, or folders of API responses): the engine's change list as text (a line of
//! counts, then one line per change), CSV or JSON.

use crate::Format;
use cqc_engine::ingest::{spreadsheet_safe, terminal_safe};
use cqc_engine::story::{diff::domain_label, diff_snapshots, ChangeList};
use std::path::Path;
use std::process::ExitCode;

pub fn run(old: &Path, new: &Path, format: Format) -> ExitCode {
    let load = |path: &Path| crate::load_data(std::slice::from_ref(&path.to_path_buf()));
    let ((old_snap, old_report), (new_snap, new_report)) = match (load(old), load(new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(message), _) | (_, Err(message)) => {
            eprintln!("error: {}", terminal_safe(&message));
            return ExitCode::from(2);
        }
    };
    let list = diff_snapshots(&old_snap, &new_snap);
    let written = match format {
        Format::Text => {
            print_text(&list);
            Ok(())
        }
        Format::Csv => write_csv(&list, std::io::stdout()),
        Format::Json => serde_json::to_string_pretty(&list)
            .map(|json| say!("{json}"))
            .map_err(|e| e.to_string()),
    };
    crate::note_reported_rows(&old_report);
    crate::note_reported_rows(&new_report);
    match written {
        // As `audit`: rows that could not be read make the exit code 1, the rest still compared.
        Ok(()) if old_report.issues.is_empty() && new_report.issues.is_empty() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn print_text(list: &ChangeList) {
    say!("{}", list.summary());
    for change in &list.changes {
        say!("{}", terminal_safe(&change.describe()));
    }
}

/// One row per change; every cell through `spreadsheet_safe`, since names come from the data.
fn write_csv(list: &ChangeList, out: impl std::io::Write) -> Result<(), String> {
    let mut w = csv::Writer::from_writer(out);
    let date = |d: Option<cqc_engine::model::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let value = |v: Option<cqc_engine::model::RatingValue>| v.map(|v| v.label()).unwrap_or("");
    w.write_record([
        "change",
        "location_id",
        "location_name",
        "domain",
        "old_value",
        "new_value",
        "old_date",
        "new_date",
    ])
    .map_err(|e| e.to_string())?;
    for c in &list.changes {
        w.write_record([
            spreadsheet_safe(c.kind.slug()).as_ref(),
            spreadsheet_safe(&c.location_id).as_ref(),
            spreadsheet_safe(&c.location_name).as_ref(),
            c.domain.map(domain_label).unwrap_or(""),
            value(c.old_value),
            value(c.new_value),
            &date(c.old_date),
            &date(c.new_date),
        ])
        .map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| e.to_string())
}
