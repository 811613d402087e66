//! `cqc`: the native command-line tool. Turns CQC's published files into the snapshot the site
//! loads, and prints the national audit of published versus recomputed ratings.
//!
//! Exit codes: 0 ok, 1 data errors found (rows reported or ratings diverging is not an error),
//! 2 unusable input.

use clap::{Parser, Subcommand, ValueEnum};
use cqc_explorer::audit::{audit, Agreement, AuditReport};
use cqc_explorer::ingest::{self, IngestReport, Ingested};
use cqc_explorer::rules::RuleParams;
use cqc_explorer::snapshot;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
        /// Where to write the snapshot.
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
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Csv,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Ingest { inputs, output } => match ingest_paths(&inputs) {
            Ok((snap, report)) => {
                print_report(&report);
                let bytes = snapshot::encode(&snap);
                if let Err(e) = std::fs::write(&output, &bytes) {
                    eprintln!("error: cannot write {}: {e}", output.display());
                    return ExitCode::from(2);
                }
                println!(
                    "wrote {} ({} locations, {} bytes, data date {})",
                    output.display(),
                    snap.locations.len(),
                    bytes.len(),
                    snap.meta
                        .data_date
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unknown".into())
                );
                exit_for(&report)
            }
            Err(message) => {
                eprintln!("error: {message}");
                ExitCode::from(2)
            }
        },
        Command::Audit { inputs, format } => {
            let loaded = if inputs.len() == 1 && is_snapshot(&inputs[0]) {
                std::fs::read(&inputs[0])
                    .map_err(|e| format!("cannot read {}: {e}", inputs[0].display()))
                    .and_then(|b| {
                        snapshot::decode(&b).map_err(|e| format!("{}: {e}", inputs[0].display()))
                    })
                    .map(|s| (s, IngestReport::default()))
            } else {
                ingest_paths(&inputs)
            };
            match loaded {
                Ok((snap, report)) => {
                    let audit = audit(&snap, &RuleParams::default());
                    match format {
                        Format::Text => print_audit_text(&audit),
                        Format::Csv => print_audit_csv(&audit),
                        Format::Json => match serde_json::to_string_pretty(&audit) {
                            Ok(json) => println!("{json}"),
                            Err(e) => {
                                eprintln!("error: {e}");
                                return ExitCode::from(2);
                            }
                        },
                    }
                    if !report.issues.is_empty() {
                        eprintln!(
                            "{} input rows were reported at ingest; run `cqc ingest` to list them",
                            report.issues.len()
                        );
                    }
                    exit_for(&report)
                }
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::from(2)
                }
            }
        }
    }
}

fn exit_for(report: &IngestReport) -> ExitCode {
    if report.issues.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn is_snapshot(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| b.starts_with(snapshot::MAGIC))
}

/// Every file named, and every `.json` file inside a named folder, in a stable order.
fn expand(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| format!("cannot read folder {}: {e}", input.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                })
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn ingest_paths(
    inputs: &[PathBuf],
) -> Result<(cqc_explorer::model::Snapshot, IngestReport), String> {
    let files = expand(inputs)?;
    let progress = indicatif::ProgressBar::new(files.len() as u64);
    progress.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut parts = Vec::new();
    let mut api_part = Ingested::default();
    let mut api_files = 0u64;
    let mut sources = Vec::new();
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        progress.set_message(name.clone());
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("json"))
        {
            api_files += 1;
            match ingest::read_api_location(&name, &bytes) {
                Ok(location) => api_part.locations.push(location),
                Err(issue) => api_part.report.issues.push(issue),
            }
        } else {
            let part = ingest::read_latest_ratings(&name, &bytes).map_err(|e| e.to_string())?;
            sources.push(format!("{name}: CQC Latest ratings"));
            parts.push(part);
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    if api_files > 0 {
        let accepted = api_part.locations.len() as u64;
        api_part.report.files.push(ingest::FileReport {
            file: "CQC API location responses".into(),
            rows_read: api_files,
            rows_accepted: accepted,
            rows_reported: api_files - accepted,
        });
        sources.push(format!("{api_files} CQC API location responses"));
        parts.push(api_part);
    }
    Ok(ingest::build_snapshot(parts, sources))
}

fn print_report(report: &IngestReport) {
    for f in &report.files {
        println!(
            "{}: {} rows read = {} accepted + {} reported",
            f.file, f.rows_read, f.rows_accepted, f.rows_reported
        );
    }
    for issue in &report.issues {
        println!("  reported: {issue}");
    }
    if !report.reconciles() {
        println!("  internal error: the counts do not reconcile");
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

fn print_audit_text(a: &AuditReport) {
    println!(
        "CQC ratings audit (unofficial), data date {}",
        a.as_of
            .map(|d| d.to_string())
            .unwrap_or_else(|| "unknown".into())
    );
    println!();
    println!(
        "Published overall rating reproduced by the rules: {} of {} ({})",
        a.overall.agree,
        a.overall.compared,
        pct(a.overall.agree, a.overall.compared)
    );
    println!();
    println!("By sector:");
    for g in &a.by_sector {
        println!(
            "  {:<40} {:>5} of {:>5} ({})",
            g.group,
            g.agree,
            g.compared,
            pct(g.agree, g.compared)
        );
    }
    println!("By methodology:");
    for g in &a.by_rule_set {
        println!(
            "  {:<40} {:>5} of {:>5} ({})",
            g.group,
            g.agree,
            g.compared,
            pct(g.agree, g.compared)
        );
    }
    println!("Divergences by class:");
    for (class, n) in &a.by_class {
        println!("  {:<40} {:>5}", class.label(), n);
    }
    println!();
    println!("Rating ages ({} published overall ratings):", a.ages.count);
    println!(
        "  mean {}, median {}",
        years(a.ages.mean_years),
        years(a.ages.median_years)
    );
    println!(
        "  older than 2 years: {}, 4 years: {}, 6 years: {}",
        share(a.ages.share_older_than_2),
        share(a.ages.share_older_than_4),
        share(a.ages.share_older_than_6)
    );
    println!(
        "  overall ratings whose key questions have different dates: {}",
        a.mixed_dates
    );
    println!(
        "  ... spanning more than one year: {}",
        a.spanning_more_than_a_year
    );
    println!();
    println!("Every divergence:");
    for l in a.divergences() {
        if let Agreement::Diverges(class) = l.agreement {
            println!(
                "  {} {} — published {}, rules give {} ({})",
                l.location_id,
                l.name,
                l.published.map(|p| p.label()).unwrap_or("none"),
                l.recomputed.map(|r| r.label()).unwrap_or("none"),
                class.label()
            );
        }
    }
}

fn print_audit_csv(a: &AuditReport) {
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
    for l in &a.locations {
        let (agreement, class) = match l.agreement {
            Agreement::Agrees => ("agrees", ""),
            Agreement::Diverges(c) => ("diverges", c.label()),
            Agreement::NotComparable => ("not comparable", ""),
        };
        let _ = w.write_record([
            l.location_id.as_str(),
            l.name.as_str(),
            l.sector.as_str(),
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
