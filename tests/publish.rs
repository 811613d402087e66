//! `cqc publish` end to end against the local fault-injecting server (tests/fault_server):
//! fetch → ingest → audit → the site, the guard that refuses a shrunken file and its override,
//! and a failed fetch that leaves the last good site in place.

mod fault_server;

use cqc_engine::snapshot;
use fault_server::{fixture, Config, Route, Server, KEY};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A fresh, empty scratch folder for one test.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("publish")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

/// A stand-in for the output of `trunk build --release`: the page and the bundled data.
fn built_app(dir: &Path) -> PathBuf {
    let app = dir.join("app");
    std::fs::create_dir_all(app.join("data")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        app.join("index.html"),
        "<!DOCTYPE html><title>CQC Ratings Explorer</title>",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(
        Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/data/snapshot.bin"
        )),
        app.join("data/snapshot.bin"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    app
}

fn publish(server: &Server, dir: &Path, extra: &[&str]) -> Run {
    let path = |name: &str| dir.join(name).to_string_lossy().into_owned();
    let out = Command::new(env!("CARGO_BIN_EXE_cqc"))
        .args([
            "publish",
            "--app",
            &path("app"),
            "--site",
            &path("site"),
            "--data",
            &path("data"),
        ])
        .args(["--until", "2026-09-15T20:29:58Z"])
        .args(extra)
        .env("CQC_API_KEY", KEY)
        .env("CQC_API_BASE", server.api_base())
        .env("CQC_DATA_PAGE", server.page_url())
        .env("CQC_FILE_HOST", &server.base)
        .env("CQC_RATE_LIMIT", "1000")
        .env("CQC_RETRIES", "2")
        .env("CQC_BACKOFF_MS", "20")
        .env("CQC_TIMEOUT_MS", "400")
        .output()
        .unwrap_or_else(|e| panic!("running cqc: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn record(site: &Path) -> Value {
    serde_json::from_slice(&read(&site.join("data/publish.json"))).unwrap_or_else(|e| panic!("{e}"))
}

/// Only the site itself beside the data: no staging or previous copy left over.
fn assert_no_leftovers(dir: &Path) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "left over: {names:?}");
}

/// A page whose newest Latest ratings file is December's, served as `file`.
fn december(server: &Server, file: PathBuf) {
    let link = "/system/files/2026-12/01_December_2026_Latest_ratings.ods";
    server.configure(|c| {
        c.page_html = format!(
            "<!-- test reconstruction --><html><body><a href=\"https://www.cqc.org.uk{link}\">Latest ratings: December 2026</a></body></html>"
        );
        c.files.insert(link.to_string(), file);
    });
}

#[test]
fn publish_fetches_ingests_audits_and_writes_the_site() {
    let server = Server::start(Config::standard());
    let dir = scratch_dir("ok");
    built_app(&dir);
    let run = publish(&server, &dir, &[]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    eprintln!("{}", run.stdout);
    let site = dir.join("site");
    assert!(site.join("index.html").is_file());
    let snap =
        snapshot::decode(&read(&site.join("data/snapshot.bin"))).unwrap_or_else(|e| panic!("{e}"));
    // 249 Shropshire locations from the ODS, 11 from the API cache (none in Shropshire).
    assert_eq!(snap.locations.len(), 249 + 11);
    // The site serves the same data as its layout, in place of the template's bundled one.
    let layout =
        cqc_engine::layout::read_layout(&site.join("data")).unwrap_or_else(|e| panic!("{e}"));
    let mut ids: Vec<&str> = snap.locations.iter().map(|l| l.id.as_str()).collect();
    let mut layout_ids: Vec<&str> = layout.locations.iter().map(|l| l.id.as_str()).collect();
    ids.sort_unstable();
    layout_ids.sort_unstable();
    assert_eq!(layout_ids, ids);
    let record = record(&site);
    assert_eq!(record["locations"], 260);
    assert_eq!(record["api_locations"], 11);
    assert_eq!(
        record["latest_ratings"]["file_name"],
        "03_November_2026_Latest_ratings.ods"
    );
    assert_eq!(record["api_synced_to"], "2026-09-15T20:29:58Z");
    assert!(
        record["audit_compared"].as_u64().is_some_and(|n| n > 200),
        "{record}"
    );
    assert!(
        run.stdout.contains("audit: the rules reproduce"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("no earlier publish record"),
        "{}",
        run.stdout
    );
    assert_no_leftovers(&dir);
    assert!(
        !String::from_utf8_lossy(&read(&site.join("data/snapshot.bin")))
            .contains(fault_server::PLACEHOLDER_NAME)
    );
}

#[test]
fn publish_refuses_a_shrunken_file_and_keeps_the_last_site() {
    let server = Server::start(Config::standard());
    let dir = scratch_dir("shrunk");
    built_app(&dir);
    let first = publish(&server, &dir, &["--no-api"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let site = dir.join("site");
    let good = read(&site.join("data/snapshot.bin"));
    let good_record = read(&site.join("data/publish.json"));

    december(
        &server,
        fixture("fetch/latest_ratings_shropshire_shrunk.ods"),
    );
    let refused = publish(&server, &dir, &["--no-api"]);
    eprintln!("{}", refused.stderr);
    assert_eq!(refused.code, 3, "{}\n{}", refused.stdout, refused.stderr);
    assert!(
        refused.stderr.contains("refusing to publish: the new data has 85 locations, 65.9 % fewer than the last publish's 249 (at most 5.0 % may be lost)"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("ratings"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("pass --allow-shrink"),
        "{}",
        refused.stderr
    );
    assert_eq!(
        read(&site.join("data/snapshot.bin")),
        good,
        "the last good site stays"
    );
    assert_eq!(read(&site.join("data/publish.json")), good_record);
    assert_no_leftovers(&dir);

    // A looser stated share still refuses a two-thirds loss; the override publishes it.
    let loose = publish(&server, &dir, &["--no-api", "--max-loss", "0.5"]);
    assert_eq!(loose.code, 3, "{}", loose.stderr);
    let forced = publish(&server, &dir, &["--no-api", "--allow-shrink"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stdout.contains("published despite the guard"),
        "{}",
        forced.stdout
    );
    assert_eq!(record(&site)["locations"], 85);
}

#[test]
fn publish_leaves_the_last_site_when_the_fetch_fails() {
    let server = Server::start(Config::standard());
    let dir = scratch_dir("fetch_fails");
    built_app(&dir);
    let first = publish(&server, &dir, &["--no-api"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let site = dir.join("site");
    let good = read(&site.join("data/snapshot.bin"));

    // A new month whose file arrives truncated, every time it is asked for.
    december(
        &server,
        fixture("cqc/latest_ratings_shropshire_2025-10.ods"),
    );
    for _ in 0..3 {
        server.fault(Route::File, fault_server::Fault::Truncated);
    }
    let failed = publish(&server, &dir, &["--no-api"]);
    assert_eq!(failed.code, 2);
    assert!(
        failed.stderr.contains("damaged or incomplete"),
        "{}",
        failed.stderr
    );
    assert!(
        failed.stderr.contains("nothing was published"),
        "{}",
        failed.stderr
    );
    assert_eq!(read(&site.join("data/snapshot.bin")), good);
    assert_no_leftovers(&dir);
}

#[test]
fn publish_needs_a_built_app() {
    let server = Server::start(Config::standard());
    let dir = scratch_dir("no_app");
    let run = publish(&server, &dir, &["--offline"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a built site (no index.html)"),
        "{}",
        run.stderr
    );
    assert_eq!(server.log().len(), 0);
}
