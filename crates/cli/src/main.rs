//! The `cqc` native command-line tool. Turns CQC's published files into the snapshot the site
//! loads, prints the national audit of published versus recomputed ratings, what changed between
//! two data sets (`diff`) and one location's story (`show`).
//!
//! Exit codes: 0 ok, 1 data errors found (rows reported; what could be read is still written),
//! 2 unusable input.

use clap::{Parser, Subcommand, ValueEnum};
use cqc_engine::audit::{audit, Agreement, AuditReport};
use cqc_engine::ingest::{self, synth, IngestReport};
use cqc_engine::model::Snapshot;
use cqc_engine::rules::RuleParams;
use cqc_engine::{layout, snapshot};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod fetch;
mod publish;

/// `println!` that gives up quietly when stdout is closed (`cqc audit | head`) instead of
/// panicking: the reader has what it wanted.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

mod diff;
mod levels;
mod show;

#[derive(Parser)]
#[command(
    name = "cqc",
    version,
    about = "CQC Ratings Explorer: ingest CQC open data, audit ratings (unofficial, not affiliated with CQC)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read Latest ratings files (CSV, ODS, XLSX) and API location responses (JSON files or
    /// folders of them) into one snapshot.
    Ingest {
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Where to write the data: a directory gets the site's data layout (with the whole
        /// snapshot beside it as snapshot.bin); a path ending .bin gets one snapshot file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Recompute every rating and compare with CQC's published ratings.
    Audit {
        /// A snapshot, or CQC files as for `ingest`.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// With `--format csv`: one row per location (`locations`), or each level's counts and
        /// divergences (`levels`).
        #[arg(long, value_enum, default_value = "locations")]
        table: Table,
    },
    /// Write a snapshot's published ratings back out as a Latest ratings CSV (CQC's columns);
    /// ingesting it gives the same locations again.
    Export {
        /// A snapshot written by `cqc ingest`.
        snapshot: PathBuf,
        /// Where to write the CSV.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Write a synthetic national-scale Latest ratings CSV for benchmarks: real Shropshire
    /// ratings resampled under invented ids, names, addresses and dates drawn from the real
    /// data's distributions. The same options always give the same bytes.
    Synth {
        /// How many synthetic locations to write, each with all of its source location's rows:
        /// Shropshire averages 8.1 rows a location, so 60,000 give about 488,000 rows and 40,000
        /// about 325,000 (about the row count of CQC's national file).
        #[arg(long, default_value_t = synth::DEFAULT_LOCATIONS)]
        locations: u32,
        /// Seeds the generator (the ids carry it: SYNTH-<seed>-…); another seed, another file.
        #[arg(long, default_value_t = synth::DEFAULT_SEED)]
        seed: u64,
        /// A Latest ratings CSV to resample instead of the bundled Shropshire extract.
        #[arg(long)]
        source: Option<PathBuf>,
        /// Where to write the CSV (folders are created).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// What changed between two data sets: new and gone locations, ratings new, up, down and
    /// withdrawn, re-inspections.
    Diff {
        /// The earlier data: a snapshot, or a CQC file or folder as for `ingest`.
        old: PathBuf,
        /// The later data, read the same way.
        new: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// One location as its page shows it: ratings with dates and ages, registration, the
    /// timeline, CQC's own words, the re-inspection clock and the recomputation.
    Show {
        /// A snapshot, or a CQC file or folder as for `ingest`.
        data: PathBuf,
        /// CQC's location id (1-…).
        location_id: String,
        #[arg(long, value_enum, default_value = "text")]
        format: show::ShowFormat,
        /// The date ages and the clock are measured to (YYYY-MM-DD); the system date if not given.
        #[arg(long)]
        today: Option<String>,
    },
    /// Download CQC's data: the monthly Latest ratings file, or a mirror of CQC's API.
    #[command(subcommand)]
    Fetch(fetch::FetchCommand),
    /// Fetch, ingest and audit, then write the static site; refuses data that shrank.
    Publish(publish::PublishArgs),
}

/// The real extract `synth` resamples unless told otherwise; bundled so the benchmark
/// command works from any directory.
const SHROPSHIRE_CSV: &[u8] = include_bytes!(concat!(
    concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
    "/tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv"
));
const SHROPSHIRE_CSV_NAME: &str = "latest_ratings_shropshire_2025-10.csv";

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Csv,
    Json,
}

/// Which table `cqc audit --format csv` writes.
#[derive(Clone, Copy, ValueEnum)]
enum Table {
    Locations,
    Levels,
}

/// Runs the command line given to the process and returns its exit code.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Fetch(command) => fetch::run(command),
        Command::Publish(args) => publish::run(args),
        Command::Diff { old, new, format } => diff::run(&old, &new, format),
        Command::Show {
            data,
            location_id,
            format,
            today,
        } => show::run(&data, &location_id, format, today.as_deref()),
        // A snapshot or a layout given alone is rewritten as asked (a `.bin` into the layout, say).
        Command::Ingest { inputs, output } => match load_data(&inputs) {
            Ok((snap, report)) => {
                print_report(&report);
                let bytes = match write_data(&snap, &output) {
                    Ok(bytes) => bytes,
                    Err(message) => {
                        eprintln!("error: {message}");
                        return ExitCode::from(2);
                    }
                };
                say!(
                    "wrote {} ({} locations, {} bytes, data date {})",
                    output.display(),
                    snap.locations.len(),
                    bytes,
                    snap.meta
                        .data_date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unknown".into())
                );
                exit_for(&report)
            }
            Err(message) => {
                eprintln!("error: {}", ingest::terminal_safe(&message));
                ExitCode::from(2)
            }
        },
        Command::Audit {
            inputs,
            format,
            table,
        } => {
            let loaded = load_data(&inputs);
            match loaded {
                Ok((snap, report)) => {
                    let audit = audit(&snap, &RuleParams::default());
                    match format {
                        Format::Text => print_audit_text(&audit, &snap),
                        Format::Csv => match table {
                            Table::Locations => print_audit_csv(&audit, &snap),
                            Table::Levels => {
                                if let Err(e) = levels::write_csv(&audit, &snap, std::io::stdout())
                                {
                                    eprintln!("error: {e}");
                                    return ExitCode::from(2);
                                }
                            }
                        },
                        Format::Json => match audit_json(&audit, &snap)
                            .and_then(|json| serde_json::to_string_pretty(&json))
                        {
                            Ok(json) => say!("{json}"),
                            Err(e) => {
                                eprintln!("error: {e}");
                                return ExitCode::from(2);
                            }
                        },
                    }
                    note_reported_rows(&report);
                    exit_for(&report)
                }
                Err(message) => {
                    eprintln!("error: {}", ingest::terminal_safe(&message));
                    ExitCode::from(2)
                }
            }
        }
        Command::Export { snapshot, output } => match run_export(&snapshot, &output) {
            Ok(summary) => {
                say!(
                    "wrote {} ({} locations, {} rows)",
                    output.display(),
                    summary.locations,
                    summary.rows
                );
                if summary.locations_without_ratings > 0 || summary.assessments_not_exported > 0 {
                    say!(
                        "  not in the Latest ratings format: {} locations without a published rating, {} SAF assessments",
                        summary.locations_without_ratings,
                        summary.assessments_not_exported
                    );
                }
                ExitCode::SUCCESS
            }
            Err(message) => {
                eprintln!("error: {}", ingest::terminal_safe(&message));
                ExitCode::from(2)
            }
        },
        Command::Synth {
            locations,
            seed,
            source,
            output,
        } => {
            let options = synth::SynthOptions { locations, seed };
            match run_synth(&options, source.as_deref(), &output) {
                Ok(summary) => {
                    say!(
                        "wrote {} (synthetic: {} locations, {} providers, {} rows, seed {seed})",
                        output.display(),
                        summary.locations,
                        summary.providers,
                        summary.rows
                    );
                    ExitCode::SUCCESS
                }
                Err(message) => {
                    eprintln!("error: {}", ingest::terminal_safe(&message));
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn run_export(snapshot: &Path, output: &Path) -> Result<ingest::ExportSummary, String> {
    let bytes =
        std::fs::read(snapshot).map_err(|e| format!("cannot read {}: {e}", snapshot.display()))?;
    let snap = snapshot::decode(&bytes).map_err(|e| format!("{}: {e}", snapshot.display()))?;
    let file = std::fs::File::create(output)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    ingest::write_latest_ratings(&snap, std::io::BufWriter::new(file))
        .map_err(|e| format!("cannot write {}: {e}", output.display()))
}

fn run_synth(
    options: &synth::SynthOptions,
    source: Option<&Path>,
    output: &Path,
) -> Result<synth::SynthSummary, String> {
    let (source_name, source_bytes) = match source {
        Some(path) => (
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string()),
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?,
        ),
        None => (SHROPSHIRE_CSV_NAME.to_string(), SHROPSHIRE_CSV.to_vec()),
    };
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    let file = std::fs::File::create(output)
        .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
    synth::synthesise(
        &source_name,
        &source_bytes,
        options,
        std::io::BufWriter::new(file),
    )
    .map_err(|e| format!("{source_name}: {e}"))
}

/// For commands that read CQC's files without listing what they could not read.
fn note_reported_rows(report: &IngestReport) {
    if !report.issues.is_empty() {
        eprintln!(
            "{} input rows were reported at ingest; run `cqc ingest` to list them",
            report.rows_reported()
        );
    }
}

fn exit_for(report: &IngestReport) -> ExitCode {
    if report.issues.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The data a command reads: one snapshot as it is, else CQC's files ingested as `ingest` reads
/// them (with its report of the rows it could not read).
fn load_data(inputs: &[PathBuf]) -> Result<(Snapshot, IngestReport), String> {
    if let Some(dir) = inputs
        .first()
        .filter(|_| inputs.len() == 1)
        .and_then(|p| layout_dir(p))
    {
        return layout::read_layout(dir)
            .map(|s| (s, IngestReport::default()))
            .map_err(|e| format!("{}: {e}", dir.display()));
    }
    if inputs.len() == 1 && is_snapshot(&inputs[0]) {
        std::fs::read(&inputs[0])
            .map_err(|e| format!("cannot read {}: {e}", inputs[0].display()))
            .and_then(|b| snapshot::decode(&b).map_err(|e| format!("{}: {e}", inputs[0].display())))
            .map(|s| (s, IngestReport::default()))
    } else {
        ingest_paths(inputs)
    }
}

/// Writes the data where `cqc ingest -o` says: a `.bin` path gets the whole snapshot in one
/// file; any other path is a directory that gets the site's data layout (`layout`), with the
/// whole snapshot beside it as `snapshot.bin` for those who want all of it in one file (the
/// CLI, the JavaScript API). Returns the bytes written.
fn write_data(snap: &Snapshot, output: &Path) -> Result<u64, String> {
    let whole = snapshot::encode(snap);
    if output.extension().is_some_and(|e| e == "bin") {
        std::fs::write(output, &whole)
            .map_err(|e| format!("cannot write {}: {e}", output.display()))?;
        return Ok(whole.len() as u64);
    }
    let written = layout::Layout::build(snap)
        .write_to(output)
        .map_err(|e| e.to_string())?;
    let path = output.join(snapshot::FILE_NAME);
    std::fs::write(&path, &whole).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(written.bytes + whole.len() as u64)
}

/// A layout directory, or the path of its manifest: the directory.
fn layout_dir(path: &Path) -> Option<&Path> {
    if path.is_dir() && path.join(layout::MANIFEST).is_file() {
        Some(path)
    } else if path.file_name().is_some_and(|n| n == layout::MANIFEST) && path.is_file() {
        path.parent()
    } else {
        None
    }
}

/// Only the first bytes are looked at: the path may be a CSV of gigabytes.
fn is_snapshot(path: &Path) -> bool {
    use std::io::Read as _;
    // Only a regular file is opened: opening a named pipe would wait for a writer forever (the
    // readers refuse such a path with its reason).
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let mut magic = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(snapshot::MAGIC.len() as u64)
                .read_to_end(&mut magic)
        })
        .is_ok_and(|_| magic.starts_with(snapshot::MAGIC))
}

fn ingest_paths(inputs: &[PathBuf]) -> Result<(cqc_engine::model::Snapshot, IngestReport), String> {
    let files = ingest::files_to_read(inputs).map_err(|e| e.to_string())?;
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut combiner = ingest::Combiner::default();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        progress.set_message(name.clone());
        let content = ingest::read_path(&name, path, today()).map_err(|e| e.to_string())?;
        combiner.add(&name, content);
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(combiner.finish())
}

/// Today's date from the clock, so that no rating can be published in the future.
fn today() -> Option<cqc_engine::model::Date> {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    ingest::validate::date_from_unix_seconds(since_epoch.as_secs())
}

fn print_report(report: &IngestReport) {
    for f in &report.files {
        say!(
            "{}: {} rows read = {} accepted + {} reported",
            ingest::terminal_safe(&f.file),
            f.rows_read,
            f.rows_accepted,
            f.rows_reported
        );
    }
    for issue in &report.issues {
        say!("  reported: {issue}");
    }
    for f in report.files.iter().filter(|f| f.issues_not_listed > 0) {
        say!(
            "  … and {} more reported rows of {}, counted but not listed (the first {} are)",
            f.issues_not_listed,
            f.file,
            ingest::ISSUES_LISTED_PER_FILE
        );
    }
    if !report.reconciles() {
        say!("  internal error: the counts do not reconcile");
    }
}

fn pct(n: u32, d: u32) -> String {
    if d == 0 {
        "n/a".into()
    } else {
        format!("{:.1} %", 100.0 * n as f64 / d as f64)
    }
}

fn years(y: Option<f64>) -> String {
    y.map(|v| format!("{v:.1} years"))
        .unwrap_or_else(|| "n/a".into())
}

fn share(s: Option<f64>) -> String {
    s.map(|v| format!("{:.1} %", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

/// The audit as JSON, each line with its location's id and name (the report keeps lines by
/// position in the snapshot).
fn audit_json(a: &AuditReport, snap: &Snapshot) -> serde_json::Result<serde_json::Value> {
    let mut json = serde_json::to_value(a)?;
    if let Some(lines) = json.get_mut("locations").and_then(|l| l.as_array_mut()) {
        for (line, location) in lines.iter_mut().zip(&snap.locations) {
            if let Some(fields) = line.as_object_mut() {
                fields.insert("location_id".into(), location.id.clone().into());
                fields.insert("name".into(), location.name.clone().into());
            }
        }
    }
    levels::name_divergences(&mut json, snap);
    Ok(json)
}

fn print_audit_text(a: &AuditReport, snap: &Snapshot) {
    say!(
        "CQC ratings audit (unofficial), data date {}",
        a.as_of
            .map(|d| d.to_string())
            .unwrap_or_else(|| "unknown".into())
    );
    say!();
    say!(
        "Published overall rating reproduced by the rules: {} of {} ({})",
        a.overall.agree,
        a.overall.compared,
        pct(a.overall.agree, a.overall.compared)
    );
    say!();
    for (heading, groups) in [
        ("By sector:", &a.by_sector),
        ("By methodology:", &a.by_rule_set),
    ] {
        say!("{heading}");
        for g in groups {
            say!(
                "  {:<40} {:>5} of {:>5} ({})",
                ingest::terminal_safe(&g.group),
                g.agree,
                g.compared,
                pct(g.agree, g.compared)
            );
        }
    }
    levels::print_text(a, snap);
    say!("Divergences by class:");
    for (class, n) in &a.by_class {
        say!("  {:<40} {:>5}", class.label(), n);
    }
    say!();
    say!("Rating ages ({} published overall ratings):", a.ages.count);
    say!(
        "  mean {}, median {}",
        years(a.ages.mean_years),
        years(a.ages.median_years)
    );
    say!(
        "  older than 2 years: {}, 4 years: {}, 6 years: {}",
        share(a.ages.share_older_than_2),
        share(a.ages.share_older_than_4),
        share(a.ages.share_older_than_6)
    );
    say!(
        "  overall ratings whose key questions have different dates: {}",
        a.mixed_dates
    );
    say!(
        "  ... spanning more than one year: {}",
        a.spanning_more_than_a_year
    );
    say!();
    say!("Every divergence:");
    for (i, l) in a.divergences() {
        let Some(location) = snap.locations.get(i) else {
            continue;
        };
        if let Agreement::Diverges(class) = l.agreement {
            say!(
                "  {} {} — published {}, rules give {} ({})",
                ingest::terminal_safe(&location.id),
                ingest::terminal_safe(&location.name),
                l.published.map(|p| p.label()).unwrap_or("none"),
                l.recomputed.map(|r| r.label()).unwrap_or("none"),
                class.label()
            );
        }
    }
}

fn print_audit_csv(a: &AuditReport, snap: &Snapshot) {
    let mut w = csv::Writer::from_writer(std::io::stdout());
    let _ = w.write_record([
        "location_id",
        "name",
        "sector",
        "rule_set",
        "published",
        "published_date",
        "recomputed",
        "agreement",
        "divergence_class",
        "input_span_days",
        "age_days",
    ]);
    for (l, location) in a.locations.iter().zip(&snap.locations) {
        let (agreement, class) = match l.agreement {
            Agreement::Agrees => ("agrees", ""),
            Agreement::Diverges(c) => ("diverges", c.label()),
            Agreement::NotComparable => ("not comparable", ""),
        };
        let _ = w.write_record([
            &ingest::spreadsheet_safe(&location.id),
            &ingest::spreadsheet_safe(&location.name),
            l.sector,
            l.rule_set.slug(),
            l.published.map(|p| p.label()).unwrap_or(""),
            &l.published_date.map(|d| d.to_string()).unwrap_or_default(),
            l.recomputed.map(|r| r.label()).unwrap_or(""),
            agreement,
            class,
            &l.input_span_days.map(|d| d.to_string()).unwrap_or_default(),
            &l.age_days.map(|d| d.to_string()).unwrap_or_default(),
        ]);
    }
    let _ = w.flush();
}
