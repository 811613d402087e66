//! `cqc publish`: fetch → ingest (the Latest ratings file plus the API cache) → audit → the
//! static site. It refuses to publish data that lost more than a stated share of the last
//! publish's locations or ratings (a shrunken or half-published CQC file), and it replaces the
//! site only once everything has succeeded, so a failure anywhere leaves the last good site.
//!
//! Exit codes: 0 published, 2 a step failed, 3 the shrink guard refused.

use crate::fetch::api::{self, ApiOptions};
use crate::fetch::http::HttpSettings;
use crate::fetch::latest::{self, LatestSource};
use crate::fetch::state::{self, LatestManifest};
use crate::fetch::{cache, DEFAULT_DATA_DIR};
use cqc_engine::audit::audit;
use cqc_engine::model::Snapshot;
use cqc_engine::rules::RuleParams;
use cqc_engine::snapshot;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The record each publish leaves in the site, read by the next one as its baseline.
pub const RECORD_NAME: &str = "publish.json";

#[derive(clap::Args)]
pub struct PublishArgs {
    /// Folder of the downloaded Latest ratings file; the API cache is its api/ folder.
    #[arg(long, default_value = DEFAULT_DATA_DIR)]
    data: PathBuf,
    /// The site to write; it is replaced whole, and only when every step has succeeded.
    #[arg(long, default_value = "dist")]
    site: PathBuf,
    /// The built app the site is made from (the output of `trunk build --release`); default:
    /// the current site, with its data replaced.
    #[arg(long)]
    app: Option<PathBuf>,
    /// Use the files already in --data instead of fetching.
    #[arg(long)]
    offline: bool,
    /// Do not sync the API, even when CQC_API_KEY is set (the cache in hand is still read).
    #[arg(long)]
    no_api: bool,
    /// The largest share (0 to 1) of the last publish's locations, or of its ratings, that
    /// the new data may lose.
    #[arg(long, default_value_t = 0.05)]
    max_loss: f64,
    /// Publish even when the new data loses more than --max-loss.
    #[arg(long)]
    allow_shrink: bool,
    /// The last publish's record (default: data/publish.json in the site).
    #[arg(long)]
    baseline: Option<PathBuf>,
    #[command(flatten)]
    latest: LatestSource,
    #[command(flatten)]
    api: ApiOptions,
    #[command(flatten)]
    http: HttpSettings,
}

/// What was published, kept in the site for the next publish to compare with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PublishRecord {
    pub published_at: String,
    pub data_date: Option<String>,
    pub locations: u64,
    /// Published ratings (one a location, service or population group and domain) plus SAF
    /// assessments.
    pub ratings: u64,
    pub latest_ratings: Option<LatestManifest>,
    /// Where the API cache's last sync ended, if the API was part of this publish.
    pub api_synced_to: Option<String>,
    pub api_locations: u64,
    pub audit_compared: u32,
    pub audit_agree: u32,
    pub snapshot_bytes: u64,
    pub snapshot_sha256: String,
}

/// How a publish ended without publishing.
enum Stop {
    Failed(String),
    Refused(String),
}

impl From<String> for Stop {
    fn from(message: String) -> Self {
        Stop::Failed(message)
    }
}

pub fn run(args: PublishArgs) -> ExitCode {
    match publish(&args) {
        Ok(lines) => {
            let mut out = std::io::stdout().lock();
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
            ExitCode::SUCCESS
        }
        Err(Stop::Failed(message)) => {
            eprintln!("error: {message}");
            eprintln!(
                "nothing was published; {} is unchanged",
                args.site.display()
            );
            ExitCode::from(2)
        }
        Err(Stop::Refused(message)) => {
            eprintln!("refusing to publish: {message}");
            eprintln!(
                "{} is unchanged; pass --allow-shrink to publish this data anyway",
                args.site.display()
            );
            ExitCode::from(3)
        }
    }
}

fn publish(args: &PublishArgs) -> Result<Vec<String>, Stop> {
    let mut lines = Vec::new();
    if !(0.0..=1.0).contains(&args.max_loss) {
        return Err(Stop::Failed(format!(
            "--max-loss is a share from 0 to 1, not {}",
            args.max_loss
        )));
    }
    let template = args.app.clone().unwrap_or_else(|| args.site.clone());
    if !template.join("index.html").is_file() {
        return Err(Stop::Failed(format!(
            "{} is not a built site (no index.html); run `trunk build --release` and give its output with --app",
            template.display()
        )));
    }
    let ods = args.data.join(latest::FILE_NAME);
    let api_cache = args.data.join("api");

    // 1. Fetch.
    if args.offline {
        lines.push(format!("offline: using {}", ods.display()));
    } else {
        let fetched = latest::fetch(&args.latest, &args.data, &args.http)?;
        lines.push(format!(
            "latest ratings: {} ({}, {} bytes){}",
            fetched.manifest.file_name,
            fetched.manifest.date,
            fetched.manifest.size,
            if fetched.downloaded {
                ""
            } else {
                ", already current"
            }
        ));
        if args.no_api {
            lines.push("api: not synced (--no-api)".into());
        } else if api::key_from_environment().is_ok() {
            let summary = api::sync(&args.api, &api_cache, &args.http)?;
            lines.extend(api::describe(&summary, &api_cache));
        } else {
            lines.push(format!(
                "api: not synced ({} is not set); the cache in hand, if any, is used",
                api::KEY_VARIABLE
            ));
        }
    }
    if !ods.is_file() {
        return Err(Stop::Failed(format!(
            "{} is missing; run without --offline, or `cqc fetch latest --dir {}`",
            ods.display(),
            args.data.display()
        )));
    }

    // 2. Ingest, exactly as `cqc ingest` does.
    let mut inputs = vec![ods];
    let api_locations = api::locations_folder(&api_cache);
    let api_files = count_json(&api_locations);
    if api_files > 0 {
        inputs.push(api_locations);
    }
    let (snap, report) = crate::ingest_paths(&inputs)?;
    lines.push(format!(
        "ingest: {} locations; {} rows read = {} accepted + {} reported; {} API location files",
        snap.locations.len(),
        report.rows_read(),
        report.rows_accepted(),
        report.rows_reported(),
        api_files
    ));

    // 3. Audit.
    let audited = audit(&snap, &RuleParams::default());
    lines.push(format!(
        "audit: the rules reproduce {} of {} published overall ratings",
        audited.overall.agree, audited.overall.compared
    ));

    // 4. The shrink guard.
    let bytes = snapshot::encode(&snap);
    let record = PublishRecord {
        published_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        data_date: snap.meta.data_date.map(|d| d.to_string()),
        locations: snap.locations.len() as u64,
        ratings: rating_count(&snap),
        latest_ratings: state::read(&args.data.join(latest::MANIFEST_NAME))?,
        api_synced_to: state::read::<state::ApiState>(&api_cache.join("state.json"))?
            .filter(|_| api_files > 0)
            .map(|s| s.window_end),
        api_locations: api_files,
        audit_compared: audited.overall.compared,
        audit_agree: audited.overall.agree,
        snapshot_bytes: bytes.len() as u64,
        snapshot_sha256: latest::sha256_hex(&bytes),
    };
    let baseline_path = args
        .baseline
        .clone()
        .unwrap_or_else(|| args.site.join("data").join(RECORD_NAME));
    match state::read::<PublishRecord>(&baseline_path)? {
        Some(last) => {
            let losses = guard(&last, &record, args.max_loss);
            if !losses.is_empty() && !args.allow_shrink {
                return Err(Stop::Refused(losses.join("; ")));
            }
            for loss in losses {
                lines.push(format!(
                    "published despite the guard (--allow-shrink): {loss}"
                ));
            }
        }
        None => lines.push(format!(
            "no earlier publish record at {}: the shrink guard has nothing to compare with",
            baseline_path.display()
        )),
    }

    // 5. The site, swapped in whole.
    write_site(&template, &args.site, &snap, &bytes, &record)?;
    lines.push(format!(
        "published {} ({} locations, {} ratings, data date {}, snapshot {} bytes)",
        args.site.display(),
        record.locations,
        record.ratings,
        record.data_date.as_deref().unwrap_or("unknown"),
        record.snapshot_bytes
    ));
    Ok(lines)
}

fn rating_count(snap: &Snapshot) -> u64 {
    snap.locations
        .iter()
        .map(|l| (l.ratings.len() + l.assessments.len()) as u64)
        .sum()
}

/// What the new data lost beyond the allowed share, one sentence a measure.
pub fn guard(last: &PublishRecord, new: &PublishRecord, max_loss: f64) -> Vec<String> {
    [
        ("locations", last.locations, new.locations),
        ("ratings", last.ratings, new.ratings),
    ]
    .into_iter()
    .filter(|&(_, before, after)| before > 0 && (after as f64) < before as f64 * (1.0 - max_loss))
    .map(|(what, before, after)| {
        format!(
            "the new data has {after} {what}, {:.1} % fewer than the last publish's {before} (at most {:.1} % may be lost)",
            100.0 * (before - after) as f64 / before as f64,
            100.0 * max_loss
        )
    })
    .collect()
}

fn count_json(folder: &Path) -> u64 {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .count() as u64
        })
        .unwrap_or(0)
}

/// Builds the new site beside the old one and swaps it in: the old site stays whole until the
/// new one is complete, and comes back if the swap itself fails.
fn write_site(
    template: &Path,
    site: &Path,
    snap: &cqc_engine::model::Snapshot,
    snapshot_bytes: &[u8],
    record: &PublishRecord,
) -> Result<(), String> {
    let name = site
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("{}: not a folder name", site.display()))?;
    let beside = |suffix: &str| site.with_file_name(format!(".{name}.{suffix}"));
    let staging = beside("staging");
    let previous = beside("previous");
    for leftover in [&staging, &previous] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover)
                .map_err(|e| format!("cannot remove {}: {e}", leftover.display()))?;
        }
    }
    copy_folder(template, &staging)?;
    let data = staging.join("data");
    // The data layout the site serves (in place of the template's bundled one, whose files it
    // removes), and the whole data in one file beside it.
    cqc_engine::layout::Layout::build(snap)
        .write_to(&data)
        .map_err(|e| e.to_string())?;
    cache::write_atomically(&data.join(snapshot::FILE_NAME), snapshot_bytes)?;
    state::write(&data.join(RECORD_NAME), record)?;
    let had_site = site.exists();
    if had_site {
        std::fs::rename(site, &previous)
            .map_err(|e| format!("cannot move {} aside: {e}", site.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, site) {
        if had_site {
            let _ = std::fs::rename(&previous, site);
        }
        return Err(format!(
            "cannot move the new site into {}: {e}",
            site.display()
        ));
    }
    if had_site {
        let _ = std::fs::remove_dir_all(&previous);
    }
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        let source = entry.path();
        let target = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {}: {e}", source.display()))?;
        if kind.is_dir() {
            copy_folder(&source, &target)?;
        } else {
            std::fs::copy(&source, &target).map_err(|e| {
                format!(
                    "cannot copy {} to {}: {e}",
                    source.display(),
                    target.display()
                )
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(locations: u64, ratings: u64) -> PublishRecord {
        PublishRecord {
            published_at: String::new(),
            data_date: None,
            locations,
            ratings,
            latest_ratings: None,
            api_synced_to: None,
            api_locations: 0,
            audit_compared: 0,
            audit_agree: 0,
            snapshot_bytes: 0,
            snapshot_sha256: String::new(),
        }
    }

    #[test]
    fn the_guard_allows_the_stated_share_and_no_more() {
        assert!(guard(&record(1000, 8000), &record(950, 7600), 0.05).is_empty());
        let losses = guard(&record(1000, 8000), &record(949, 8000), 0.05);
        assert_eq!(losses.len(), 1);
        assert!(
            losses[0].contains("949 locations, 5.1 % fewer"),
            "{losses:?}"
        );
        assert!(guard(&record(0, 0), &record(0, 0), 0.0).is_empty());
    }
}
