//! The audit's levels (statement scores → percentage → key-question rating, services → key
//! questions, key questions → overall) in the command's three formats: a section of the text
//! report, the `levels` object of the JSON (each divergence named by its location), and a CSV
//! table of one summary row per level and one row per divergence (`--table levels`).

use cqc_engine::audit::levels::{LevelCheck, LevelReport};
use cqc_engine::audit::AuditReport;
use cqc_engine::ingest::{spreadsheet_safe, terminal_safe};
use cqc_engine::model::Snapshot;

/// Prints the levels section of the text report.
pub fn print_text(a: &AuditReport, snap: &Snapshot) {
    say!("Each level checked on its own:");
    for level in a.levels.values() {
        say!(
            "  {:<48} {:>5} of {:>5} ({}){}",
            level.level.label(),
            level.agree,
            level.compared,
            crate::pct(level.agree, level.compared),
            not_comparable_note(level)
        );
        for basis in level.by_basis.iter().flatten() {
            say!(
                "    {:<46} {:>5} of {:>5} ({})",
                basis.basis,
                basis.agree,
                basis.compared,
                crate::pct(basis.agree, basis.compared)
            );
        }
        for check in &level.divergences {
            say!("    {}", divergence_line(check, snap));
        }
    }
    say!();
}

fn not_comparable_note(level: &LevelReport) -> String {
    match level.not_comparable {
        0 => String::new(),
        n => format!("; {n} published with nothing to recompute from"),
    }
}

fn divergence_line(check: &LevelCheck, snap: &Snapshot) -> String {
    let (id, name) = located(check, snap);
    // Ids, names and service groups come from input files: no control character reaches the
    // terminal.
    let (id, name, scope) = (
        terminal_safe(id),
        terminal_safe(name),
        terminal_safe(&check.scope),
    );
    format!(
        "{id} {name}, {scope}: published {}, rules give {} ({})",
        check.published,
        check.recomputed,
        check.class.map_or("", |c| c.label())
    )
}

fn located<'s>(check: &LevelCheck, snap: &'s Snapshot) -> (&'s str, &'s str) {
    snap.locations
        .get(check.location)
        .map_or(("?", "?"), |l| (l.id.as_str(), l.name.as_str()))
}

/// The report's `levels` object with each divergence's location id and name added (the report
/// keeps them by position in the snapshot, as its lines).
pub fn name_divergences(json: &mut serde_json::Value, snap: &Snapshot) {
    let Some(levels) = json.get_mut("levels").and_then(|l| l.as_object_mut()) else {
        return;
    };
    for level in levels.values_mut() {
        let Some(divergences) = level.get_mut("divergences").and_then(|d| d.as_array_mut()) else {
            continue;
        };
        for check in divergences {
            let Some(location) = check
                .get("location")
                .and_then(|i| i.as_u64())
                .and_then(|i| snap.locations.get(i as usize))
            else {
                continue;
            };
            if let Some(fields) = check.as_object_mut() {
                fields.insert("location_id".into(), location.id.clone().into());
                fields.insert("name".into(), location.name.clone().into());
            }
        }
    }
}

/// The CSV table of the levels: per level one `summary` row (and one per basis of the overall
/// level) with its counts, then a `divergence` row for each check that differs.
pub fn write_csv(a: &AuditReport, snap: &Snapshot, out: impl std::io::Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "level",
        "row",
        "compared",
        "agree",
        "not_comparable",
        "location_id",
        "name",
        "scope",
        "published",
        "recomputed",
        "divergence_class",
    ])?;
    for level in a.levels.values() {
        let name = level.level.label();
        w.write_record([
            name,
            "summary",
            &level.compared.to_string(),
            &level.agree.to_string(),
            &level.not_comparable.to_string(),
            "",
            "",
            "",
            "",
            "",
            "",
        ])?;
        for basis in level.by_basis.iter().flatten() {
            w.write_record([
                name,
                &format!("basis: {}", basis.basis),
                &basis.compared.to_string(),
                &basis.agree.to_string(),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ])?;
        }
        for check in &level.divergences {
            let (id, location) = located(check, snap);
            // Names come from input files: a cell such as "=HYPERLINK(…)" must open as text.
            w.write_record([
                name,
                "divergence",
                "",
                "",
                "",
                &spreadsheet_safe(id),
                &spreadsheet_safe(location),
                &spreadsheet_safe(&check.scope),
                &check.published,
                &check.recomputed,
                check.class.map_or("", |c| c.label()),
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}
