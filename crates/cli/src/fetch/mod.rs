//! `cqc fetch`: brings CQC's published data home. `latest` downloads the monthly Latest ratings
//! file named on CQC's data page; `api` mirrors CQC's public API into a local cache. Both are
//! resumable, rate-limited and retrying (`http`), and write only whole files (`cache`).

pub mod api;
pub mod cache;
pub mod http;
pub mod latest;
pub mod state;

use std::path::PathBuf;
use std::process::ExitCode;

/// Where `cqc fetch` and `cqc publish` keep what they download, unless told otherwise.
pub const DEFAULT_DATA_DIR: &str = "data/cqc";

#[derive(clap::Subcommand)]
pub enum FetchCommand {
    /// Download the current Latest ratings ODS from CQC's data page (resumes an interrupted
    /// download; replaces the previous copy only with a file that checks out).
    Latest {
        /// Folder the file (latest_ratings.ods) and its manifest (latest_ratings.json) are kept in.
        #[arg(long, default_value = DEFAULT_DATA_DIR)]
        dir: PathBuf,
        #[command(flatten)]
        source: latest::LatestSource,
        #[command(flatten)]
        http: http::HttpSettings,
    },
    /// Mirror CQC's API into a local cache: a full sync first, then incremental syncs from the
    /// changes feed. The key is read from CQC_API_KEY.
    Api {
        /// The cache folder (locations/, providers/, state.json).
        #[arg(long, default_value = "data/cqc/api")]
        cache: PathBuf,
        #[command(flatten)]
        options: api::ApiOptions,
        #[command(flatten)]
        http: http::HttpSettings,
    },
}

/// Runs a `cqc fetch` command: 0 when done, 2 when it stopped (the message says why).
pub fn run(command: FetchCommand) -> ExitCode {
    let outcome = match command {
        FetchCommand::Latest { dir, source, http } => {
            latest::fetch(&source, &dir, &http).map(|fetched| {
                vec![
                    format!(
                        "{} {} ({}, {} bytes, sha256 {}) from {}",
                        if fetched.downloaded {
                            "downloaded"
                        } else {
                            "already current:"
                        },
                        fetched.path.display(),
                        fetched.manifest.date,
                        fetched.manifest.size,
                        fetched.manifest.sha256,
                        fetched.manifest.url
                    ),
                    format!(
                        "  {} requests, {} retries, {} bytes, {:.2} s",
                        fetched.stats.requests,
                        fetched.stats.retries,
                        fetched.stats.bytes,
                        fetched.seconds
                    ),
                ]
            })
        }
        FetchCommand::Api {
            cache,
            options,
            http,
        } => api::sync(&options, &cache, &http).map(|summary| api::describe(&summary, &cache)),
    };
    match outcome {
        Ok(lines) => {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            for line in lines {
                // A closed stdout (`| head`) is not worth a panic.
                let _ = writeln!(out, "{line}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
