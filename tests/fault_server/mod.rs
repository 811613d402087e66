//! A small HTTP/1.1 server on loopback for the fetch and publish tests. It serves the
//! reconstructed CQC data page, the real Latest ratings ODS (with Range requests), and a mock
//! of CQC's API built from real responses: paged `/locations` and `/changes/location`,
//! `/locations/{id}` and `/providers/{id}`, behind the subscription-key header. Faults queued
//! for a route are served, one a request, before that route answers normally again.
//!
//! Each API response gets an invented registered-manager contact (PLACEHOLDER_NAME), so the
//! tests can check that contacts never reach the cache or the output.
#![allow(dead_code)] // each test file uses its own subset

use serde_json::{json, Value};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub const KEY: &str = "test-subscription-key";
/// An invented name, the contact the server adds: it must never be written anywhere.
pub const PLACEHOLDER_NAME: &str = "Placeholder-Invented-Surname";
pub const PAGE_PATH: &str = "/about-us/transparency/using-cqc-data";
pub const NOVEMBER_ODS: &str = "/system/files/2026-11/03_November_2026_Latest_ratings.ods";
pub const API_PREFIX: &str = "/public/v1";

pub fn fixture(path: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures")).join(path)
}

fn read_fixture(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What goes wrong with one response.
#[derive(Debug, Clone, Copy)]
pub enum Fault {
    /// 429 Too Many Requests with Retry-After: this many seconds.
    TooManyRequests { retry_after: u64 },
    /// 500 Internal Server Error.
    ServerError,
    /// The response is held back this long before its headers.
    Slow(Duration),
    /// The full Content-Length is promised, half the body sent, then the connection closed.
    CutMidBody,
    /// A complete response whose body is only the first half of the file.
    Truncated,
    /// 200 with an HTML sign-in page instead of the content asked for.
    WrongContentType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Route {
    Page,
    File,
    List,
    Location,
    Provider,
    Changes,
    Unknown,
}

/// What the server serves; tests change it between runs (`Server::configure`).
pub struct Config {
    pub page_html: String,
    /// URL path → file served there.
    pub files: HashMap<String, PathBuf>,
    pub locations_dir: PathBuf,
    pub providers_dir: PathBuf,
    /// The ids `/locations` lists, in order.
    pub listed: Vec<String>,
    /// The ids `/changes/location` gives for any window.
    pub changes: Vec<String>,
    /// Ids whose response the server alters (a later inspection date), as if CQC had
    /// published something new for them.
    pub modified: Vec<String>,
    /// A pause before every location response (to kill a sync mid-way).
    pub location_delay: Duration,
}

impl Config {
    /// The page, the November ODS, and the 11 single API responses with their providers.
    pub fn standard() -> Config {
        let locations_dir = fixture("cqc/api");
        Config {
            page_html: String::from_utf8_lossy(&read_fixture(&fixture(
                "fetch/using_cqc_data.html",
            )))
            .into_owned(),
            files: HashMap::from([(
                NOVEMBER_ODS.to_string(),
                fixture("cqc/latest_ratings_shropshire_2025-10.ods"),
            )]),
            listed: ids_in(&locations_dir),
            locations_dir,
            providers_dir: fixture("fetch/api_providers"),
            changes: Vec::new(),
            modified: Vec::new(),
            location_delay: Duration::ZERO,
        }
    }
}

/// The location ids of the `location_<id>.json` files in `dir`, sorted.
pub fn ids_in(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("location_")
                .and_then(|n| n.strip_suffix(".json"))
                .map(str::to_string)
        })
        .collect();
    ids.sort();
    ids
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Logged {
    pub route: Route,
    pub target: String,
    pub range: Option<String>,
    pub at: Instant,
}

struct Shared {
    config: Mutex<Config>,
    faults: Mutex<HashMap<Route, VecDeque<Fault>>>,
    log: Mutex<Vec<Logged>>,
    stop: AtomicBool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub struct Server {
    pub base: String,
    shared: Arc<Shared>,
}

impl Server {
    pub fn start(config: Config) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("address: {e}"))
            .port();
        let shared = Arc::new(Shared {
            config: Mutex::new(config),
            faults: Mutex::new(HashMap::new()),
            log: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let serving = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if serving.stop.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let shared = Arc::clone(&serving);
                std::thread::spawn(move || handle(&shared, stream));
            }
        });
        Server {
            base: format!("http://127.0.0.1:{port}"),
            shared,
        }
    }

    pub fn page_url(&self) -> String {
        format!("{}{PAGE_PATH}", self.base)
    }

    pub fn api_base(&self) -> String {
        format!("{}{API_PREFIX}", self.base)
    }

    /// Queues `fault` for the next request to `route`.
    pub fn fault(&self, route: Route, fault: Fault) {
        lock(&self.shared.faults)
            .entry(route)
            .or_default()
            .push_back(fault);
    }

    pub fn configure(&self, change: impl FnOnce(&mut Config)) {
        change(&mut lock(&self.shared.config));
    }

    pub fn log(&self) -> Vec<Logged> {
        lock(&self.shared.log).clone()
    }

    pub fn requests_to(&self, route: Route) -> usize {
        lock(&self.shared.log)
            .iter()
            .filter(|l| l.route == route)
            .count()
    }

    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the stop.
        let _ = TcpStream::connect(self.base.trim_start_matches("http://"));
    }
}

struct Request {
    target: String,
    headers: HashMap<String, String>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let target = line.split_whitespace().nth(1)?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            break;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    Some(Request { target, headers })
}

/// A response before faults are applied.
struct Reply {
    status: u16,
    content_type: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn json(value: &Value) -> Reply {
        Reply {
            status: 200,
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
            body: serde_json::to_vec(value).unwrap_or_default(),
        }
    }
    fn status(status: u16, message: &str) -> Reply {
        Reply {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: json!({ "statusCode": status, "message": message })
                .to_string()
                .into_bytes(),
        }
    }
}

fn route_of(path: &str) -> Route {
    if path == PAGE_PATH {
        Route::Page
    } else if path.starts_with("/system/files/") {
        Route::File
    } else if let Some(api) = path.strip_prefix(API_PREFIX) {
        if api == "/locations" {
            Route::List
        } else if api.starts_with("/locations/") {
            Route::Location
        } else if api.starts_with("/providers/") {
            Route::Provider
        } else if api == "/changes/location" {
            Route::Changes
        } else {
            Route::Unknown
        }
    } else {
        Route::Unknown
    }
}

fn query(target: &str) -> HashMap<String, String> {
    target
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
        .collect()
}

fn handle(shared: &Shared, mut stream: TcpStream) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    let path = request.target.split('?').next().unwrap_or("").to_string();
    let route = route_of(&path);
    let range = request.headers.get("range").cloned();
    lock(&shared.log).push(Logged {
        route,
        target: request.target.clone(),
        range: range.clone(),
        at: Instant::now(),
    });
    let fault = lock(&shared.faults)
        .get_mut(&route)
        .and_then(VecDeque::pop_front);
    let reply = answer(shared, route, &path, &request);
    if route == Route::Location {
        let delay = lock(&shared.config).location_delay;
        std::thread::sleep(delay);
    }
    send(&mut stream, reply, fault, range.as_deref());
}

fn answer(shared: &Shared, route: Route, path: &str, request: &Request) -> Reply {
    let config = lock(&shared.config);
    let api = matches!(
        route,
        Route::List | Route::Location | Route::Provider | Route::Changes
    );
    if api
        && request
            .headers
            .get("ocp-apim-subscription-key")
            .map(String::as_str)
            != Some(KEY)
    {
        return Reply::status(401, "Access denied due to invalid subscription key.");
    }
    let q = query(&request.target);
    let number = |name: &str, default: usize| {
        q.get(&name.to_ascii_lowercase())
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(default)
    };
    match route {
        Route::Page => Reply {
            status: 200,
            content_type: "text/html; charset=utf-8",
            headers: Vec::new(),
            body: config.page_html.clone().into_bytes(),
        },
        Route::File => match config.files.get(path) {
            Some(file) => Reply {
                status: 200,
                content_type: "application/vnd.oasis.opendocument.spreadsheet",
                headers: vec![("Accept-Ranges".into(), "bytes".into())],
                body: read_fixture(file),
            },
            None => Reply {
                status: 404,
                content_type: "text/html",
                headers: Vec::new(),
                body: b"<html><body>Page not found</body></html>".to_vec(),
            },
        },
        Route::List => {
            let items: Vec<Value> = config
                .listed
                .iter()
                .map(|id| {
                    let location = location_json(&config, id).unwrap_or(Value::Null);
                    json!({
                        "locationId": id,
                        "locationName": location.get("name").cloned().unwrap_or(Value::Null),
                        "postalCode": location.get("postalCode").cloned().unwrap_or(Value::Null),
                    })
                })
                .collect();
            paged(
                "locations_list.json",
                "locations",
                "/locations?",
                items,
                number("page", 1),
                number("perPage", 1000),
            )
        }
        Route::Changes => {
            let items = config.changes.iter().map(|id| json!(id)).collect();
            let window = format!(
                "/changes/location?startTimestamp={}&endTimestamp={}&",
                q.get("starttimestamp").cloned().unwrap_or_default(),
                q.get("endtimestamp").cloned().unwrap_or_default()
            );
            paged(
                "changes_location.json",
                "changes",
                &window,
                items,
                number("page", 1),
                number("perPage", 1000),
            )
        }
        Route::Location => {
            let id = path.rsplit('/').next().unwrap_or("");
            match location_json(&config, id) {
                Some(mut location) => {
                    add_contact(&mut location);
                    if config.modified.iter().any(|m| m == id) {
                        // A test edit: CQC has inspected again.
                        location["lastInspection"] = json!({ "date": "2026-09-21" });
                    }
                    Reply::json(&location)
                }
                None => Reply::status(404, "Location not found"),
            }
        }
        Route::Provider => {
            let id = path.rsplit('/').next().unwrap_or("");
            let file = config.providers_dir.join(format!("provider_{id}.json"));
            match std::fs::read(&file)
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            {
                Some(mut provider) => {
                    add_contact(&mut provider);
                    Reply::json(&provider)
                }
                None => Reply::status(404, "Provider not found"),
            }
        }
        Route::Unknown => Reply::status(404, "Resource not found"),
    }
}

fn location_json(config: &Config, id: &str) -> Option<Value> {
    let file = config.locations_dir.join(format!("location_{id}.json"));
    serde_json::from_slice(&std::fs::read(file).ok()?).ok()
}

/// The invented contact CQC's responses would carry a registered manager's name in.
fn add_contact(value: &mut Value) {
    let contact = json!([{
        "personTitle": "Mx",
        "personGivenName": "Nobody",
        "personFamilyName": PLACEHOLDER_NAME,
        "personRoles": ["Registered Manager"]
    }]);
    if let Some(activities) = value
        .get_mut("regulatedActivities")
        .and_then(Value::as_array_mut)
    {
        for activity in activities {
            if let Some(fields) = activity.as_object_mut() {
                fields.insert("contacts".into(), contact.clone());
            }
        }
    }
}

/// One page of a paged listing, in the shape of the real response `template`.
fn paged(
    template: &str,
    field: &str,
    uri: &str,
    items: Vec<Value>,
    page: usize,
    per_page: usize,
) -> Reply {
    let mut body: Value =
        serde_json::from_slice(&read_fixture(&fixture(&format!("fetch/{template}"))))
            .unwrap_or_default();
    let total = items.len();
    let total_pages = total.div_ceil(per_page).max(1);
    let slice: Vec<Value> = items
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    let link = |p: usize| json!(format!("{uri}page={p}&perPage={per_page}"));
    body[field] = Value::Array(slice);
    body["page"] = json!(page);
    body["perPage"] = json!(per_page);
    body["total"] = json!(total);
    body["totalPages"] = json!(total_pages);
    body["firstPageUri"] = link(1);
    body["lastPageUri"] = link(total_pages);
    body["uri"] = link(page);
    body["nextPageUri"] = if page < total_pages {
        link(page + 1)
    } else {
        Value::Null
    };
    body["previousPageUri"] = if page > 1 {
        link(page - 1)
    } else {
        Value::Null
    };
    Reply::json(&body)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        206 => "Partial Content",
        401 => "Unauthorized",
        404 => "Not Found",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}

fn send(stream: &mut TcpStream, mut reply: Reply, fault: Option<Fault>, range: Option<&str>) {
    let mut cut_at = None;
    match fault {
        Some(Fault::TooManyRequests { retry_after }) => {
            reply = Reply::status(429, "Rate limit is exceeded.");
            reply
                .headers
                .push(("Retry-After".into(), retry_after.to_string()));
        }
        Some(Fault::ServerError) => reply = Reply::status(500, "Internal server error"),
        Some(Fault::Slow(pause)) => std::thread::sleep(pause),
        Some(Fault::WrongContentType) => {
            reply = Reply {
                status: 200,
                content_type: "text/html; charset=utf-8",
                headers: Vec::new(),
                body: b"<html><body><h1>Sign in</h1></body></html>".to_vec(),
            }
        }
        Some(Fault::Truncated) => {
            let half = reply.body.len() / 2;
            reply.body.truncate(half);
        }
        Some(Fault::CutMidBody) => cut_at = Some(reply.body.len() / 2),
        None => {}
    }
    // Range requests, as a file server answers them (only `bytes=N-`).
    if reply.status == 200 && reply.headers.iter().any(|(n, _)| n == "Accept-Ranges") {
        if let Some(start) = range
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok())
        {
            let total = reply.body.len();
            if start >= total {
                reply.status = 416;
                reply
                    .headers
                    .push(("Content-Range".into(), format!("bytes */{total}")));
                reply.body.clear();
            } else {
                reply.status = 206;
                reply.headers.push((
                    "Content-Range".into(),
                    format!("bytes {start}-{}/{total}", total - 1),
                ));
                reply.body.drain(..start);
                cut_at = cut_at.map(|_| reply.body.len() / 2);
            }
        }
    }
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let sent = match cut_at {
        Some(at) => &reply.body[..at],
        None => &reply.body[..],
    };
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(sent);
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Both);
}
