//! `cqc fetch latest`: finds the current Latest ratings file among the links of CQC's "Using
//! CQC data" page (the file name carries its date), downloads it with a progress bar, resumes
//! an interrupted download, checks that it is an ODS with the Locations sheet and CQC's columns
//! before it replaces the previous copy, and records its URL, date, size and SHA-256.

use super::cache;
use super::http::{Client, Expect, HttpSettings, Stats};
use super::state::{self, LatestManifest};
use chrono::NaiveDate;
use regex::Regex;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};

/// CQC's page that links the monthly files.
pub const DATA_PAGE: &str = "https://www.cqc.org.uk/about-us/transparency/using-cqc-data";

/// What the kept copy is called, whatever month it is from (the manifest names the month).
pub const FILE_NAME: &str = "latest_ratings.ods";
pub const MANIFEST_NAME: &str = "latest_ratings.json";

/// The page's HTML is only a few hundred kilobytes; anything much larger is not that page.
const PAGE_LIMIT: u64 = 16 << 20;

/// Where the monthly file is announced and served from.
#[derive(clap::Args, Clone, Debug)]
pub struct LatestSource {
    /// CQC's "Using CQC data" page, whose links name the current Latest ratings file.
    #[arg(long, env = "CQC_DATA_PAGE", default_value = DATA_PAGE)]
    pub page: String,
    /// Download the file from this scheme and host instead of the one its link names (a
    /// mirror, or a local test server); the link's path is kept.
    #[arg(long, env = "CQC_FILE_HOST")]
    pub file_host: Option<String>,
}

/// A Latest ratings file linked from the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    pub url: String,
    pub file_name: String,
    pub date: NaiveDate,
}

/// What a fetch ended with.
pub struct Fetched {
    pub path: PathBuf,
    pub manifest: LatestManifest,
    /// False when the copy in hand was already the current one.
    pub downloaded: bool,
    pub stats: Stats,
    pub seconds: f64,
}

/// The newest Latest ratings file linked from `html` (relative links are resolved against
/// `page_url`).
pub fn discover(html: &str, page_url: &str) -> Result<Discovered, String> {
    let link = Regex::new(
        // CQC's current folders are /system/files/YYYY-MM/; older files sat in /sites/default/files/.
        r#"(?i)href\s*=\s*["']([^"'#?]*/(?:system/files/\d{4}-\d{2}|sites/default/files)/((\d{1,2})_([a-z]+)_(\d{4})_Latest_ratings\.ods))(?:[?#][^"']*)?["']"#,
    )
    .map_err(|e| format!("internal error in the link pattern: {e}"))?;
    let newest = link
        .captures_iter(html)
        .filter_map(|c| {
            let date =
                NaiveDate::parse_from_str(&format!("{}_{}_{}", &c[3], &c[4], &c[5]), "%d_%B_%Y")
                    .ok()?;
            Some(Discovered {
                url: resolve(page_url, &c[1]),
                file_name: c[2].to_string(),
                date,
            })
        })
        .max_by_key(|d| d.date);
    newest.ok_or_else(|| {
        format!(
            "{page_url}: no link to a Latest ratings file (…/system/files/YYYY-MM/DD_Month_YYYY_Latest_ratings.ods) on the page; CQC may have changed its layout. Download the file by hand and run `cqc ingest` on it, or give its page with --page"
        )
    })
}

/// `href` made absolute against the page it is on.
fn resolve(page_url: &str, href: &str) -> String {
    if href.starts_with("http://") || href.starts_with("https://") {
        return href.to_string();
    }
    if let Some(rest) = href.strip_prefix("//") {
        let scheme = page_url.split("://").next().unwrap_or("https");
        return format!("{scheme}://{rest}");
    }
    let origin = origin(page_url);
    if href.starts_with('/') {
        format!("{origin}{href}")
    } else {
        let folder = page_url
            .rsplit_once('/')
            .map(|(f, _)| f)
            .filter(|f| f.len() > origin.len())
            .unwrap_or(&origin);
        format!("{folder}/{href}")
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => url.trim_end_matches('/').to_string(),
    }
}

/// The link's URL with its scheme and host replaced by `host` (a mirror or test server).
fn on_host(url: &str, host: Option<&str>) -> String {
    match host {
        None => url.to_string(),
        Some(host) => {
            let path = url.strip_prefix(&origin(url)).unwrap_or(url);
            format!("{}{path}", host.trim_end_matches('/'))
        }
    }
}

/// Finds, downloads, checks and puts in place the current Latest ratings file in `dir`.
pub fn fetch(
    source: &LatestSource,
    dir: &Path,
    settings: &HttpSettings,
) -> Result<Fetched, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    cache::sweep_temporaries(dir);
    let started = std::time::Instant::now();
    let client = Client::new(settings)?;
    let page = client
        .get(&source.page, Expect::Html, PAGE_LIMIT)?
        .ok_or_else(|| {
            format!(
                "{}: not found (404); give CQC's data page with --page",
                source.page
            )
        })?;
    let found = discover(&String::from_utf8_lossy(&page), &source.page)?;
    let url = on_host(&found.url, source.file_host.as_deref());
    let path = dir.join(FILE_NAME);
    let manifest_path = dir.join(MANIFEST_NAME);
    if let Some(manifest) = state::read::<LatestManifest>(&manifest_path)? {
        if manifest.file_name == found.file_name && copy_matches(&path, &manifest) {
            return Ok(Fetched {
                path,
                manifest,
                downloaded: false,
                stats: client.stats(),
                seconds: started.elapsed().as_secs_f64(),
            });
        }
    }
    // The part file is named for the month's file, so a part of another month is never resumed.
    let part = dir.join(format!("{}.part", found.file_name));
    let progress = indicatif::ProgressBar::new(0);
    progress.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    progress.set_message(found.file_name.clone());
    let downloaded = client.download(&url, &part, Expect::Spreadsheet, &progress);
    progress.finish_and_clear();
    if downloaded.is_err() && std::fs::metadata(&part).is_ok_and(|m| m.len() == 0) {
        // Nothing worth resuming was received (a refusal, a wrong content type).
        let _ = cache::remove(&part);
    }
    let size = downloaded?;
    let bytes = std::fs::read(&part).map_err(|e| format!("cannot read {}: {e}", part.display()))?;
    if let Err(problem) = check(&found.file_name, &bytes) {
        // A file that is not what CQC publishes is not worth resuming either.
        let _ = cache::remove(&part);
        let kept = if path.exists() {
            format!("the previous copy {} is kept", path.display())
        } else {
            "nothing was kept".to_string()
        };
        return Err(format!("{url}: {problem}; {kept}"));
    }
    let manifest = LatestManifest {
        url,
        file_name: found.file_name.clone(),
        date: found.date.to_string(),
        size,
        sha256: sha256_hex(&bytes),
        fetched_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    cache::replace_with(&path, &part)?;
    state::write(&manifest_path, &manifest)?;
    Ok(Fetched {
        path,
        manifest,
        downloaded: true,
        stats: client.stats(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Whether the copy at `path` is the one `manifest` describes.
fn copy_matches(path: &Path, manifest: &LatestManifest) -> bool {
    std::fs::read(path)
        .is_ok_and(|b| b.len() as u64 == manifest.size && sha256_hex(&b) == manifest.sha256)
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The MIME type an ODF spreadsheet stores, uncompressed, as its first zip entry.
const ODS_MIMETYPE: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// That the download is CQC's Latest ratings ODS: an ODF spreadsheet, with a sheet named
/// Locations, whose header has CQC's columns and whose rows give at least one location.
pub fn check(file_name: &str, bytes: &[u8]) -> Result<(), String> {
    if !stores_ods_mimetype_first(bytes) {
        return Err(format!(
            "the download ({} bytes) is not an ODS spreadsheet",
            bytes.len()
        ));
    }
    if !has_sheet(bytes, "Locations")? {
        return Err("the spreadsheet has no sheet named \"Locations\"".into());
    }
    let ingested =
        cqc_engine::ingest::read_latest_ratings(file_name, bytes).map_err(|e| e.to_string())?;
    if ingested.locations.is_empty() {
        return Err("the Locations sheet gives no location".into());
    }
    Ok(())
}

/// ODF puts an uncompressed `mimetype` entry first, so the type shows in the first bytes.
fn stores_ods_mimetype_first(bytes: &[u8]) -> bool {
    let le_u16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (Some(name_length), Some(extra_length)) = (le_u16(26), le_u16(28)) else {
        return false;
    };
    let data = 30 + name_length + extra_length;
    bytes.starts_with(b"PK\x03\x04")
        && bytes.get(30..30 + name_length) == Some(b"mimetype".as_slice())
        && bytes
            .get(data..)
            .is_some_and(|d| d.starts_with(ODS_MIMETYPE))
}

/// Whether the ODS's `content.xml` declares a sheet called `name`, read as a stream (the
/// national file's XML is far larger than the file).
fn has_sheet(bytes: &[u8], name: &str) -> Result<bool, String> {
    let damaged = |e: &dyn std::fmt::Display| {
        format!("the spreadsheet is damaged or incomplete ({e}); a download cut short?")
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut content = archive.by_name("content.xml").map_err(|e| damaged(&e))?;
    let wanted = format!("table:name=\"{name}\"");
    let wanted = wanted.as_bytes();
    let mut window: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = content.read(&mut buffer).map_err(|e| damaged(&e))?;
        if n == 0 {
            return Ok(false);
        }
        window.extend_from_slice(&buffer[..n]);
        if window.windows(wanted.len()).any(|w| w == wanted) {
            return Ok(true);
        }
        // Keep only the tail that could start a match split across two reads.
        let keep = wanted.len().saturating_sub(1).min(window.len());
        window.drain(..window.len() - keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_file_is_chosen_from_absolute_and_relative_links() {
        let html = r#"<a href="https://www.cqc.org.uk/system/files/2026-10/01_October_2026_Latest_ratings.ods">Oct</a>
            <a href='/system/files/2026-11/03_November_2026_Latest_ratings.ods'>Nov</a>
            <a href="/system/files/2026-11/03_November_2026_HSCA_Active_Locations.ods">other</a>
            <a href="http://www.cqc.org.uk/sites/default/files/02_August_2017_Latest_ratings.ods">2017</a>"#;
        let found = discover(
            html,
            "https://www.cqc.org.uk/about-us/transparency/using-cqc-data",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            found.url,
            "https://www.cqc.org.uk/system/files/2026-11/03_November_2026_Latest_ratings.ods"
        );
        assert_eq!(
            found.date,
            NaiveDate::from_ymd_opt(2026, 11, 3).unwrap_or_default()
        );
        assert_eq!(
            on_host(&found.url, Some("http://127.0.0.1:9/")),
            "http://127.0.0.1:9/system/files/2026-11/03_November_2026_Latest_ratings.ods"
        );
    }

    #[test]
    fn a_page_without_the_links_says_the_layout_may_have_changed() {
        let error = discover("<a href=\"/data.csv\">data</a>", "https://www.cqc.org.uk/x")
            .err()
            .unwrap_or_default();
        assert!(error.contains("may have changed its layout"), "{error}");
    }
}
