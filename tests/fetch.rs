//! `cqc fetch latest` and `cqc fetch api` end to end against a local server (tests/fault_server)
//! that serves a reconstruction of CQC's data page, the real Latest ratings ODS and real API
//! responses, and injects faults: 429 with Retry-After, 500s, slow responses, a connection cut
//! mid-body, a truncated file, a changed page layout, a wrong content type, paged feeds, and a
//! sync killed mid-way. After each, the command has recovered or stopped with a clear message,
//! and the cache holds only whole files.

mod fault_server;

use fault_server::{fixture, Config, Fault, Route, Server, KEY, NOVEMBER_ODS, PLACEHOLDER_NAME};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ODS: &str = "cqc/latest_ratings_shropshire_2025-10.ods";

/// A fresh, empty scratch folder for one test.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fetch")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    seconds: f64,
}

/// `cqc` pointed at the server, with quick timeouts and backoffs.
fn command(server: &Server, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cqc"));
    command
        .args(args)
        .env("CQC_API_KEY", KEY)
        .env("CQC_API_BASE", server.api_base())
        .env("CQC_DATA_PAGE", server.page_url())
        .env("CQC_FILE_HOST", &server.base)
        .env("CQC_RATE_LIMIT", "1000")
        .env("CQC_RETRIES", "3")
        .env("CQC_BACKOFF_MS", "20")
        .env("CQC_TIMEOUT_MS", "400")
        .env("CQC_MAX_RETRY_AFTER", "5");
    command
}

fn run(mut command: Command) -> Run {
    let started = Instant::now();
    let out = command
        .output()
        .unwrap_or_else(|e| panic!("running cqc: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        seconds: started.elapsed().as_secs_f64(),
    }
}

fn cqc(server: &Server, args: &[&str]) -> Run {
    run(command(server, args))
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&read(path)).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The cache holds only whole files: no temporary left behind, every JSON file parses, and
/// no contact (no name) anywhere.
fn assert_cache_whole_and_nameless(cache: &Path) {
    for file in files_under(cache) {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(
            !name.starts_with(".tmp-"),
            "a temporary file was left: {}",
            file.display()
        );
        let text = String::from_utf8_lossy(&read(&file)).into_owned();
        assert!(
            !text.contains(PLACEHOLDER_NAME),
            "a contact's name reached {}",
            file.display()
        );
        if name.ends_with(".json") {
            let value: Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is not whole JSON: {e}", file.display()));
            assert!(
                !text.contains("\"contacts\""),
                "contacts kept in {}",
                file.display()
            );
            assert!(value.is_object());
        }
    }
}

// ---- cqc fetch latest ----

#[test]
fn latest_downloads_the_newest_linked_file_checks_it_and_records_it() {
    let server = Server::start(Config::standard());
    let dir = scratch_dir("latest_ok");
    let dir_arg = dir.to_string_lossy().into_owned();
    let first = cqc(&server, &["fetch", "latest", "--dir", &dir_arg]);
    assert_eq!(first.code, 0, "{}\n{}", first.stdout, first.stderr);
    let expected = read(&fixture(ODS));
    assert_eq!(read(&dir.join("latest_ratings.ods")), expected);
    let manifest = json(&dir.join("latest_ratings.json"));
    assert_eq!(manifest["url"], format!("{}{NOVEMBER_ODS}", server.base));
    assert_eq!(manifest["file_name"], "03_November_2026_Latest_ratings.ods");
    assert_eq!(manifest["date"], "2026-11-03");
    assert_eq!(manifest["size"], expected.len() as u64);
    assert_eq!(manifest["sha256"], sha256(&expected));
    assert!(first.stdout.contains("downloaded"), "{}", first.stdout);
    assert_eq!(
        files_under(&dir).len(),
        2,
        "only the file and its manifest: {:?}",
        files_under(&dir)
    );

    // The same month again: nothing is downloaded.
    let again = cqc(&server, &["fetch", "latest", "--dir", &dir_arg]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(again.stdout.contains("already current"), "{}", again.stdout);
    assert_eq!(server.requests_to(Route::File), 1);
}

#[test]
fn latest_resumes_a_download_cut_mid_body() {
    let server = Server::start(Config::standard());
    server.fault(Route::File, Fault::CutMidBody);
    let dir = scratch_dir("latest_cut");
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("cut short"), "{}", run.stderr);
    let expected = read(&fixture(ODS));
    assert_eq!(
        sha256(&read(&dir.join("latest_ratings.ods"))),
        sha256(&expected)
    );
    let files: Vec<_> = server
        .log()
        .into_iter()
        .filter(|l| l.route == Route::File)
        .collect();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].range, None);
    assert_eq!(
        files[1].range,
        Some(format!("bytes={}-", expected.len() / 2))
    );
}

#[test]
fn latest_resumes_the_part_an_earlier_run_left() {
    let server = Server::start(Config::standard());
    let dir = scratch_dir("latest_part");
    let expected = read(&fixture(ODS));
    let part = dir.join("03_November_2026_Latest_ratings.ods.part");
    std::fs::write(&part, &expected[..10_000]).unwrap_or_else(|e| panic!("{e}"));
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&dir.join("latest_ratings.ods")), expected);
    assert!(!part.exists());
    let ranges: Vec<_> = server
        .log()
        .into_iter()
        .filter(|l| l.route == Route::File)
        .map(|l| l.range)
        .collect();
    assert_eq!(ranges, vec![Some("bytes=10000-".to_string())]);
    let page = read(&fixture("fetch/using_cqc_data.html")).len();
    assert!(
        run.stdout.contains(&format!(
            "2 requests, 0 retries, {} bytes",
            page + expected.len() - 10_000
        )),
        "only the rest of the file was transferred: {}",
        run.stdout
    );
}

/// The state a previous month's fetch left: its file and its manifest.
fn previous_month(dir: &Path) -> (Vec<u8>, Vec<u8>) {
    let old = read(&fixture("fetch/latest_ratings_shropshire_shrunk.ods"));
    std::fs::write(dir.join("latest_ratings.ods"), &old).unwrap_or_else(|e| panic!("{e}"));
    let manifest = serde_json::json!({
        "url": "https://www.cqc.org.uk/system/files/2026-10/01_October_2026_Latest_ratings.ods",
        "file_name": "01_October_2026_Latest_ratings.ods",
        "date": "2026-10-01",
        "size": old.len(),
        "sha256": sha256(&old),
        "fetched_at": "2026-10-02T06:00:00Z"
    })
    .to_string()
    .into_bytes();
    std::fs::write(dir.join("latest_ratings.json"), &manifest).unwrap_or_else(|e| panic!("{e}"));
    (old, manifest)
}

#[test]
fn latest_keeps_the_previous_copy_when_the_new_file_is_truncated() {
    let server = Server::start(Config::standard());
    server.fault(Route::File, Fault::Truncated);
    let dir = scratch_dir("latest_truncated");
    let (old, manifest) = previous_month(&dir);
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("damaged or incomplete"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("the previous copy"), "{}", run.stderr);
    assert_eq!(read(&dir.join("latest_ratings.ods")), old);
    assert_eq!(read(&dir.join("latest_ratings.json")), manifest);
    assert_eq!(
        files_under(&dir).len(),
        2,
        "the rejected download is not kept: {:?}",
        files_under(&dir)
    );

    // Next month's run, without the fault, replaces it.
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(read(&dir.join("latest_ratings.ods")), read(&fixture(ODS)));
}

#[test]
fn latest_stops_clearly_when_the_page_layout_changed() {
    let server = Server::start(Config::standard());
    server.configure(|c| {
        c.page_html = String::from_utf8_lossy(&read(&fixture("fetch/using_cqc_data_changed.html")))
            .into_owned()
    });
    let dir = scratch_dir("latest_layout");
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no link to a Latest ratings file"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("may have changed its layout"),
        "{}",
        run.stderr
    );
    assert!(files_under(&dir).is_empty());
    assert_eq!(server.requests_to(Route::File), 0);
}

#[test]
fn latest_refuses_a_file_of_the_wrong_content_type() {
    let server = Server::start(Config::standard());
    server.fault(Route::File, Fault::WrongContentType);
    let dir = scratch_dir("latest_content_type");
    let (old, _) = previous_month(&dir);
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("expected a spreadsheet"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("text/html"), "{}", run.stderr);
    assert_eq!(read(&dir.join("latest_ratings.ods")), old);
    assert_eq!(
        files_under(&dir).len(),
        2,
        "nothing but the previous copy: {:?}",
        files_under(&dir)
    );
}

#[test]
fn latest_retries_server_errors_429_and_slow_responses() {
    let server = Server::start(Config::standard());
    server.fault(Route::Page, Fault::ServerError);
    server.fault(Route::Page, Fault::TooManyRequests { retry_after: 1 });
    server.fault(Route::File, Fault::Slow(Duration::from_millis(1200)));
    let dir = scratch_dir("latest_retries");
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("server error 500"), "{}", run.stderr);
    assert!(
        run.stderr.contains("429 Too Many Requests"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("5 requests, 3 retries"),
        "{}",
        run.stdout
    );
    let pages: Vec<_> = server
        .log()
        .into_iter()
        .filter(|l| l.route == Route::Page)
        .collect();
    assert_eq!(pages.len(), 3);
    let waited = pages[2].at - pages[1].at;
    assert!(
        waited >= Duration::from_millis(950),
        "Retry-After: 1 was not honoured ({waited:?})"
    );
    assert_eq!(
        server.requests_to(Route::File),
        2,
        "the slow answer timed out and was asked again"
    );
    assert_eq!(read(&dir.join("latest_ratings.ods")), read(&fixture(ODS)));
}

#[test]
fn latest_gives_up_after_the_stated_retries() {
    let server = Server::start(Config::standard());
    for _ in 0..4 {
        server.fault(Route::Page, Fault::ServerError);
    }
    let dir = scratch_dir("latest_give_up");
    let run = cqc(
        &server,
        &["fetch", "latest", "--dir", &dir.to_string_lossy()],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("gave up after 3 retries"),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests_to(Route::Page), 4);
}

// ---- cqc fetch api ----

const CHANGED: [&str; 5] = [
    "1-10204941951",
    "1-10223702130",
    "1-10285412143",
    "1-10324127390",
    "1-10365865585",
];
/// Not in the first full list: it appears in the changes feed as a new location.
const NEW_LATER: &str = "1-10365865585";
const FIRST_UNTIL: &str = "2026-09-15T20:29:58Z";
const SECOND_UNTIL: &str = "2026-09-22T20:29:58Z";

fn api_server() -> Server {
    let server = Server::start(Config::standard());
    server.configure(|c| {
        c.listed.retain(|id| id != NEW_LATER);
        c.changes = CHANGED.iter().map(|s| s.to_string()).collect();
    });
    server
}

fn figures(cache: &Path) -> Value {
    json(&cache.join("state.json"))["figures"].clone()
}

#[test]
fn api_full_then_incremental_sync_through_faults() {
    let server = api_server();
    let cache = scratch_dir("api_sync");
    let cache_arg = cache.to_string_lossy().into_owned();
    // Faults on the way: a 429 on the second page of the list, a 500 and a cut connection on
    // locations, a slow provider.
    server.fault(Route::List, Fault::TooManyRequests { retry_after: 0 });
    server.fault(Route::List, Fault::ServerError);
    server.fault(Route::Location, Fault::ServerError);
    server.fault(Route::Location, Fault::CutMidBody);
    server.fault(Route::Provider, Fault::Slow(Duration::from_millis(800)));
    let full = cqc(
        &server,
        &[
            "fetch",
            "api",
            "--cache",
            &cache_arg,
            "--per-page",
            "4",
            "--until",
            FIRST_UNTIL,
        ],
    );
    assert_eq!(full.code, 0, "{}\n{}", full.stdout, full.stderr);
    eprintln!("full sync ({:.2} s wall):\n{}", full.seconds, full.stdout);
    assert!(full.stdout.contains("full sync"), "{}", full.stdout);
    assert!(
        full.stdout.contains(
            "10 locations (10 new, 0 updated, 0 unchanged, 0 removed), 4 providers, 5 not found"
        ),
        "{}",
        full.stdout
    );
    let f = figures(&cache);
    assert_eq!(f["retries"], 5, "{f}");
    // 3 list pages + 10 locations + their 9 providers (5 of them unpublished: 404), and one
    // more request for each retry.
    assert_eq!(f["requests"], 3 + 10 + 9 + 5, "{f}");
    assert_eq!(server.requests_to(Route::List), 5);
    let list_pages: Vec<String> = server
        .log()
        .into_iter()
        .filter(|l| l.route == Route::List)
        .map(|l| l.target)
        .collect();
    assert!(
        list_pages.iter().any(|t| t.contains("page=3")),
        "{list_pages:?}"
    );
    let state = json(&cache.join("state.json"));
    assert_eq!(state["kind"], "full");
    assert_eq!(state["window_end"], FIRST_UNTIL);
    assert_eq!(files_under(&cache.join("locations")).len(), 10);
    assert!(!cache.join("sync_plan.json").exists() && !cache.join("sync_journal.txt").exists());
    assert_cache_whole_and_nameless(&cache);
    assert!(!full.stdout.contains(PLACEHOLDER_NAME) && !full.stderr.contains(PLACEHOLDER_NAME));
    let location = json(&cache.join("locations/1-10000302982.json"));
    assert_eq!(location["locationId"], "1-10000302982");
    assert!(location["regulatedActivities"]
        .as_array()
        .is_some_and(|a| !a.is_empty()));

    // A week later: the changes feed (paged two ids at a time, one page cut short) names five
    // locations, one of them new and one with a new inspection.
    server.configure(|c| c.modified = vec!["1-10204941951".to_string()]);
    server.fault(Route::Changes, Fault::CutMidBody);
    server.clear_log();
    let incremental = cqc(
        &server,
        &[
            "fetch",
            "api",
            "--cache",
            &cache_arg,
            "--per-page",
            "2",
            "--until",
            SECOND_UNTIL,
        ],
    );
    assert_eq!(
        incremental.code, 0,
        "{}\n{}",
        incremental.stdout, incremental.stderr
    );
    eprintln!(
        "incremental sync ({:.2} s wall):\n{}",
        incremental.seconds, incremental.stdout
    );
    assert!(
        incremental.stdout.contains("incremental sync"),
        "{}",
        incremental.stdout
    );
    assert!(
        incremental
            .stdout
            .contains("5 locations (1 new, 1 updated, 3 unchanged, 0 removed)"),
        "{}",
        incremental.stdout
    );
    assert!(
        incremental.stdout.contains("new: 1-10365865585"),
        "{}",
        incremental.stdout
    );
    assert!(
        incremental.stdout.contains("updated: 1-10204941951"),
        "{}",
        incremental.stdout
    );
    let changes: Vec<String> = server
        .log()
        .into_iter()
        .filter(|l| l.route == Route::Changes)
        .map(|l| l.target)
        .collect();
    assert_eq!(
        changes.len(),
        4,
        "three pages, one asked twice: {changes:?}"
    );
    assert!(
        changes
            .iter()
            .all(|t| t.contains(&format!("startTimestamp={FIRST_UNTIL}"))
                && t.contains(&format!("endTimestamp={SECOND_UNTIL}"))),
        "{changes:?}"
    );
    assert_eq!(
        server.requests_to(Route::List),
        0,
        "an incremental sync does not list everything"
    );
    let state = json(&cache.join("state.json"));
    assert_eq!(state["kind"], "incremental");
    assert_eq!(state["window_start"], FIRST_UNTIL);
    assert_eq!(files_under(&cache.join("locations")).len(), 11);
    assert_eq!(
        json(&cache.join("locations/1-10204941951.json"))["lastInspection"]["date"],
        "2026-09-21"
    );
    assert_cache_whole_and_nameless(&cache);
}

#[test]
fn api_sync_resumes_after_being_killed() {
    let server = api_server();
    server.configure(|c| c.location_delay = Duration::from_millis(120));
    let cache = scratch_dir("api_killed");
    let cache_arg = cache.to_string_lossy().into_owned();
    let args = [
        "fetch",
        "api",
        "--cache",
        cache_arg.as_str(),
        "--until",
        FIRST_UNTIL,
    ];
    let mut child = command(&server, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawning cqc: {e}"));
    let journal = cache.join("sync_journal.txt");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::fs::read_to_string(&journal).map_or(0, |j| j.lines().count()) < 4 {
        assert!(Instant::now() < deadline, "the sync never got going");
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    let fetched_before = server.requests_to(Route::Location);
    assert!(
        fetched_before < 10,
        "killed mid-way ({fetched_before} fetched)"
    );
    assert!(cache.join("sync_plan.json").exists());
    assert!(
        !cache.join("state.json").exists(),
        "no sync is recorded as done"
    );
    for file in files_under(&cache.join("locations")) {
        if !file.to_string_lossy().contains(".tmp-") {
            json(&file);
        }
    }

    server.configure(|c| c.location_delay = Duration::ZERO);
    let resumed = cqc(&server, &args);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(
        resumed.stderr.contains("resuming the full sync"),
        "{}",
        resumed.stderr
    );
    assert!(
        resumed.stdout.contains("(resumed): 10 locations (10 new"),
        "{}",
        resumed.stdout
    );
    let fetched = server.requests_to(Route::Location);
    assert!(
        fetched <= 11,
        "only what was not finished is fetched again ({fetched} in all)"
    );
    assert_eq!(
        server.requests_to(Route::List),
        1,
        "the plan is not made again"
    );
    assert_eq!(files_under(&cache.join("locations")).len(), 10);
    assert_cache_whole_and_nameless(&cache);
}

#[test]
fn api_wrong_content_type_stops_and_the_next_run_carries_on() {
    let server = api_server();
    server.fault(Route::Location, Fault::WrongContentType);
    let cache = scratch_dir("api_content_type");
    let cache_arg = cache.to_string_lossy().into_owned();
    let args = [
        "fetch",
        "api",
        "--cache",
        cache_arg.as_str(),
        "--until",
        FIRST_UNTIL,
    ];
    let stopped = cqc(&server, &args);
    assert_eq!(stopped.code, 2);
    assert!(
        stopped
            .stderr
            .contains("expected JSON (application/json), the server sent \"text/html"),
        "{}",
        stopped.stderr
    );
    assert!(!cache.join("state.json").exists());
    assert_cache_whole_and_nameless(&cache);
    let resumed = cqc(&server, &args);
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    assert!(resumed.stdout.contains("(resumed)"), "{}", resumed.stdout);
    assert_eq!(files_under(&cache.join("locations")).len(), 10);
}

#[test]
fn api_needs_a_valid_key() {
    let server = api_server();
    let cache = scratch_dir("api_key");
    let cache_arg = cache.to_string_lossy().into_owned();
    let mut without = command(&server, &["fetch", "api", "--cache", &cache_arg]);
    without.env_remove("CQC_API_KEY");
    let without = run(without);
    assert_eq!(without.code, 2);
    assert!(
        without.stderr.contains("set CQC_API_KEY"),
        "{}",
        without.stderr
    );
    assert_eq!(server.log().len(), 0, "nothing is asked without a key");

    let mut wrong = command(&server, &["fetch", "api", "--cache", &cache_arg]);
    wrong.env("CQC_API_KEY", "not-the-key");
    let wrong = run(wrong);
    assert_eq!(wrong.code, 2);
    assert!(wrong.stderr.contains("refused (401)"), "{}", wrong.stderr);
}

#[test]
fn api_requests_keep_to_the_rate_limit() {
    let server = api_server();
    let cache = scratch_dir("api_rate");
    let mut paced = command(
        &server,
        &[
            "fetch",
            "api",
            "--cache",
            &cache.to_string_lossy(),
            "--until",
            FIRST_UNTIL,
        ],
    );
    paced.env("CQC_RATE_LIMIT", "40");
    let paced = run(paced);
    assert_eq!(paced.code, 0, "{}", paced.stderr);
    let times: Vec<Instant> = server.log().into_iter().map(|l| l.at).collect();
    assert_eq!(
        times.len(),
        1 + 10 + 9,
        "the list, the locations, their providers"
    );
    // 40 a second is one every 25 ms. The server notes a request when its thread has read it,
    // a few milliseconds late at times, so the span of all of them is what is measured.
    let span = times[times.len() - 1] - times[0];
    let least = Duration::from_millis(25 * (times.len() as u64 - 1));
    assert!(
        span >= least.mul_f64(0.95),
        "{} requests in {span:?}",
        times.len()
    );
}

#[test]
fn api_full_sync_of_every_oldham_location() {
    let server = Server::start(Config::standard());
    let oldham = fixture("cqc/oldham_api");
    server.configure(|c| {
        c.listed = fault_server::ids_in(&oldham);
        c.locations_dir = oldham;
        c.providers_dir = fixture("fetch/oldham_providers");
    });
    server.fault(Route::Location, Fault::TooManyRequests { retry_after: 0 });
    server.fault(Route::Location, Fault::CutMidBody);
    let cache = scratch_dir("api_oldham");
    let run = cqc(
        &server,
        &[
            "fetch",
            "api",
            "--cache",
            &cache.to_string_lossy(),
            "--until",
            FIRST_UNTIL,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    eprintln!(
        "Oldham full sync ({:.2} s wall):\n{}",
        run.seconds, run.stdout
    );
    assert!(
        run.stdout.contains("451 locations (451 new"),
        "{}",
        run.stdout
    );
    assert_eq!(files_under(&cache.join("locations")).len(), 451);
    assert_eq!(files_under(&cache.join("providers")).len(), 17);
    assert_cache_whole_and_nameless(&cache);
    // The cache is what `cqc ingest` reads.
    let snapshot = cache.join("oldham.bin");
    let ingest = run_plain(&[
        "ingest",
        &cache.join("locations").to_string_lossy(),
        "-o",
        &snapshot.to_string_lossy(),
    ]);
    assert_eq!(ingest.code, 0, "{}", ingest.stderr);
    assert!(ingest.stdout.contains("451 locations"), "{}", ingest.stdout);
}

fn run_plain(args: &[&str]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cqc"));
    command.args(args);
    run(command)
}
