//! The one HTTP client every fetch goes through: a request rate limit, retries with backoff on
//! 429 (honouring Retry-After), 5xx, timeouts and connections cut short, a check of each
//! response's content type, and counts of requests, retries and bytes for the closing summary.
//!
//! CQC publishes no rate limit for its API; code that mirrors it waits on 429 and retries,
//! which is what this does, gently by default.

use std::cell::Cell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How politely and how patiently to talk to CQC's servers.
#[derive(clap::Args, Clone, Debug)]
pub struct HttpSettings {
    /// Most requests a second.
    #[arg(long, env = "CQC_RATE_LIMIT", default_value_t = 5.0)]
    pub rate: f64,
    /// How many times one request is retried after a 429, a 5xx, a timeout or a cut connection.
    #[arg(long, env = "CQC_RETRIES", default_value_t = 6)]
    pub retries: u32,
    /// The first wait before a retry, in milliseconds; doubled at each further retry (at most
    /// a minute).
    #[arg(long, env = "CQC_BACKOFF_MS", default_value_t = 1000)]
    pub backoff_ms: u64,
    /// How long to wait for a connection, for response headers and for each read of a body,
    /// in milliseconds.
    #[arg(long, env = "CQC_TIMEOUT_MS", default_value_t = 60_000)]
    pub timeout_ms: u64,
    /// The longest Retry-After honoured, in seconds; a longer one stops the fetch instead of
    /// leaving it waiting for hours.
    #[arg(long, env = "CQC_MAX_RETRY_AFTER", default_value_t = 300)]
    pub max_retry_after: u64,
}

/// The longest backoff between two attempts, whatever the retry count.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// What the client did, for the summary a fetch ends with.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub requests: u64,
    pub retries: u64,
    pub bytes: u64,
}

/// Which content types a caller accepts: a page of HTML, a JSON document, or a spreadsheet
/// (served as the ODS type or as a generic binary type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    Html,
    Json,
    Spreadsheet,
}

impl Expect {
    fn accepts(self, content_type: &str) -> bool {
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match self {
            Expect::Html => mime == "text/html" || mime == "application/xhtml+xml",
            Expect::Json => mime == "application/json" || mime.ends_with("+json"),
            Expect::Spreadsheet => {
                mime == "application/vnd.oasis.opendocument.spreadsheet"
                    || mime == "application/octet-stream"
                    || mime == "binary/octet-stream"
            }
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Expect::Html => "an HTML page (text/html)",
            Expect::Json => "JSON (application/json)",
            Expect::Spreadsheet => "a spreadsheet (application/vnd.oasis.opendocument.spreadsheet)",
        }
    }
}

/// Why one attempt failed: worth another try, or final.
enum Attempt {
    Retry { reason: String, wait: Duration },
    Fail(String),
}

/// A rate-limited, retrying HTTP client with a header sent on every request (the API key).
pub struct Client {
    agent: ureq::Agent,
    settings: HttpSettings,
    header: Option<(String, String)>,
    last_request: Cell<Option<Instant>>,
    stats: Cell<Stats>,
}

impl Client {
    pub fn new(settings: &HttpSettings) -> Result<Self, String> {
        if !(settings.rate.is_finite() && settings.rate > 0.0) {
            return Err(format!(
                "--rate must be a positive number of requests a second, not {}",
                settings.rate
            ));
        }
        let timeout = Some(Duration::from_millis(settings.timeout_ms.max(1)));
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(timeout)
            .timeout_recv_response(timeout)
            .timeout_per_read(timeout)
            .user_agent(concat!(
                "cqc-ratings-explorer/",
                env!("CARGO_PKG_VERSION"),
                " (unofficial; open source)"
            ))
            .build()
            .into();
        Ok(Client {
            agent,
            settings: settings.clone(),
            header: None,
            last_request: Cell::new(None),
            stats: Cell::new(Stats::default()),
        })
    }

    /// Sends `name: value` with every request.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.header = Some((name.to_string(), value.to_string()));
        self
    }

    pub fn stats(&self) -> Stats {
        self.stats.get()
    }

    fn count(&self, change: impl FnOnce(&mut Stats)) {
        let mut stats = self.stats.get();
        change(&mut stats);
        self.stats.set(stats);
    }

    /// Waits until the next request is allowed by the rate limit.
    fn pace(&self) {
        let gap = Duration::from_secs_f64(1.0 / self.settings.rate);
        if let Some(last) = self.last_request.get() {
            let since = last.elapsed();
            if since < gap {
                std::thread::sleep(gap - since);
            }
        }
        self.last_request.set(Some(Instant::now()));
    }

    fn backoff(&self, retry: u32) -> Duration {
        let base = Duration::from_millis(self.settings.backoff_ms);
        base.saturating_mul(1u32 << retry.min(16)).min(MAX_BACKOFF)
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent.
    fn with_retries<T>(
        &self,
        url: &str,
        mut attempt: impl FnMut(u32) -> Result<T, Attempt>,
    ) -> Result<T, String> {
        let mut retry = 0;
        loop {
            match attempt(retry) {
                Ok(value) => return Ok(value),
                Err(Attempt::Fail(message)) => return Err(message),
                Err(Attempt::Retry { reason, wait }) => {
                    if retry >= self.settings.retries {
                        return Err(format!(
                            "{url}: {reason}; gave up after {} retries",
                            self.settings.retries
                        ));
                    }
                    retry += 1;
                    self.count(|s| s.retries += 1);
                    eprintln!(
                        "  {reason}: retry {retry} of {} in {:.2} s ({url})",
                        self.settings.retries,
                        wait.as_secs_f64()
                    );
                    std::thread::sleep(wait);
                }
            }
        }
    }

    fn send(
        &self,
        url: &str,
        extra: &[(&str, String)],
        retry: u32,
    ) -> Result<ureq::http::Response<ureq::Body>, Attempt> {
        self.pace();
        self.count(|s| s.requests += 1);
        let mut request = self.agent.get(url);
        if let Some((name, value)) = &self.header {
            request = request.header(name.as_str(), value.as_str());
        }
        for (name, value) in extra {
            request = request.header(*name, value.as_str());
        }
        let response = request.call().map_err(|e| self.transport_error(e, retry))?;
        let status = response.status().as_u16();
        if status == 429 {
            let wait = match retry_after(&response) {
                Some(wait) if wait > Duration::from_secs(self.settings.max_retry_after) => {
                    return Err(Attempt::Fail(format!(
                        "{url}: the server asks to wait {} s (429 Too Many Requests), more than --max-retry-after {} s; try again later",
                        wait.as_secs(),
                        self.settings.max_retry_after
                    )))
                }
                Some(wait) => wait,
                None => self.backoff(retry),
            };
            return Err(Attempt::Retry {
                reason: "429 Too Many Requests".into(),
                wait,
            });
        }
        if (500..600).contains(&status) {
            return Err(Attempt::Retry {
                reason: format!("server error {status}"),
                wait: self.backoff(retry),
            });
        }
        Ok(response)
    }

    fn transport_error(&self, error: ureq::Error, retry: u32) -> Attempt {
        match error {
            ureq::Error::Timeout(_)
            | ureq::Error::Io(_)
            | ureq::Error::ConnectionFailed
            | ureq::Error::Protocol(_) => Attempt::Retry {
                reason: format!("{error}"),
                wait: self.backoff(retry),
            },
            other => Attempt::Fail(format!("{other}")),
        }
    }

    /// GETs `url` whole, checking its content type; `Ok(None)` when the server says 404.
    pub fn get(&self, url: &str, expect: Expect, limit: u64) -> Result<Option<Vec<u8>>, String> {
        self.with_retries(url, |retry| {
            let mut response = self.send(url, &[], retry)?;
            let status = response.status().as_u16();
            if status == 404 {
                return Ok(None);
            }
            check_status(url, status)?;
            check_content_type(url, &response, expect)?;
            let mut body = Vec::new();
            let read = response
                .body_mut()
                .with_config()
                .limit(limit)
                .reader()
                .read_to_end(&mut body);
            self.count(|s| s.bytes += body.len() as u64);
            match read {
                Ok(_) => Ok(Some(body)),
                Err(e) if exceeds_limit(&e) => Err(Attempt::Fail(format!(
                    "{url}: the response is larger than the {limit} bytes expected"
                ))),
                Err(e) => Err(Attempt::Retry {
                    reason: format!(
                        "the response was cut short after {} bytes ({e})",
                        body.len()
                    ),
                    wait: self.backoff(retry),
                }),
            }
        })
    }

    /// Downloads `url` into `part`, resuming from what `part` already holds (a Range request)
    /// after an interruption in this run or an earlier one. `progress` is told the total size
    /// and each chunk. Returns the file's size.
    pub fn download(
        &self,
        url: &str,
        part: &Path,
        expect: Expect,
        progress: &indicatif::ProgressBar,
    ) -> Result<u64, String> {
        let part_name = part.display().to_string();
        self.with_retries(url, |retry| {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(part)
                .map_err(|e| Attempt::Fail(format!("cannot write {part_name}: {e}")))?;
            let have = file
                .metadata()
                .map_err(|e| Attempt::Fail(format!("cannot read {part_name}: {e}")))?
                .len();
            let mut headers = vec![("Accept-Encoding", "identity".to_string())];
            if have > 0 {
                headers.push(("Range", format!("bytes={have}-")));
            }
            let mut response = self.send(url, &headers, retry)?;
            let status = response.status().as_u16();
            let total = match status {
                206 => {
                    let range = header(&response, "content-range").unwrap_or_default();
                    match parse_content_range(&range) {
                        Some((start, total)) if start == have => total,
                        _ => {
                            // The server resumed somewhere else: start again from nothing.
                            file.set_len(0).map_err(|e| {
                                Attempt::Fail(format!("cannot write {part_name}: {e}"))
                            })?;
                            return Err(Attempt::Retry {
                                reason: format!(
                                    "the server resumed at an unexpected place ({range})"
                                ),
                                wait: Duration::ZERO,
                            });
                        }
                    }
                }
                416 if have > 0 => {
                    // Nothing past what we hold: the part is complete if the server says so.
                    let range = header(&response, "content-range").unwrap_or_default();
                    if parse_unsatisfied_range(&range) == Some(have) {
                        return Ok(have);
                    }
                    file.set_len(0)
                        .map_err(|e| Attempt::Fail(format!("cannot write {part_name}: {e}")))?;
                    return Err(Attempt::Retry {
                        reason: "the partial download is longer than the file".into(),
                        wait: Duration::ZERO,
                    });
                }
                _ => {
                    check_status(url, status)?;
                    // A full answer to a Range request: the server does not resume.
                    file.set_len(0)
                        .map_err(|e| Attempt::Fail(format!("cannot write {part_name}: {e}")))?;
                    file.seek(SeekFrom::Start(0))
                        .map_err(|e| Attempt::Fail(format!("cannot write {part_name}: {e}")))?;
                    response.body().content_length()
                }
            };
            check_content_type(url, &response, expect)?;
            let start = file
                .metadata()
                .map_err(|e| Attempt::Fail(format!("cannot read {part_name}: {e}")))?
                .len();
            if let Some(total) = total {
                progress.set_length(total);
            }
            progress.set_position(start);
            let copied = copy_body(response.body_mut().as_reader(), &mut file, progress, |n| {
                self.count(|s| s.bytes += n)
            });
            file.sync_all()
                .map_err(|e| Attempt::Fail(format!("cannot write {part_name}: {e}")))?;
            let held = start + copied.bytes;
            match copied.error {
                Some(ReadOrWrite::Write(e)) => {
                    Err(Attempt::Fail(format!("cannot write {part_name}: {e}")))
                }
                Some(ReadOrWrite::Read(e)) => Err(Attempt::Retry {
                    reason: format!("the download was cut short at {held} bytes ({e}); resuming"),
                    wait: self.backoff(retry),
                }),
                None => match total {
                    Some(total) if held != total => Err(Attempt::Retry {
                        reason: format!("the download ended at {held} of {total} bytes; resuming"),
                        wait: self.backoff(retry),
                    }),
                    _ => Ok(held),
                },
            }
        })
    }
}

enum ReadOrWrite {
    Read(std::io::Error),
    Write(std::io::Error),
}

struct Copied {
    bytes: u64,
    error: Option<ReadOrWrite>,
}

fn copy_body(
    mut body: impl Read,
    file: &mut File,
    progress: &indicatif::ProgressBar,
    mut counted: impl FnMut(u64),
) -> Copied {
    let mut buffer = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        match body.read(&mut buffer) {
            Ok(0) => return Copied { bytes, error: None },
            Ok(n) => {
                if let Err(e) = file.write_all(&buffer[..n]) {
                    return Copied {
                        bytes,
                        error: Some(ReadOrWrite::Write(e)),
                    };
                }
                bytes += n as u64;
                counted(n as u64);
                progress.inc(n as u64);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Copied {
                    bytes,
                    error: Some(ReadOrWrite::Read(e)),
                }
            }
        }
    }
}

/// Whether a body read stopped at the caller's size limit (not worth retrying).
fn exceeds_limit(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<ureq::Error>())
        .is_some_and(|e| matches!(e, ureq::Error::BodyExceedsLimit(_)))
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn check_status(url: &str, status: u16) -> Result<(), Attempt> {
    match status {
        200..=299 => Ok(()),
        401 | 403 => Err(Attempt::Fail(format!(
            "{url}: refused ({status}); is the subscription key in CQC_API_KEY valid?"
        ))),
        _ => Err(Attempt::Fail(format!(
            "{url}: the server answered {status}"
        ))),
    }
}

fn check_content_type(
    url: &str,
    response: &ureq::http::Response<ureq::Body>,
    expect: Expect,
) -> Result<(), Attempt> {
    let content_type = header(response, "content-type").unwrap_or_default();
    if expect.accepts(&content_type) {
        Ok(())
    } else {
        Err(Attempt::Fail(format!(
            "{url}: expected {}, the server sent {}",
            expect.describe(),
            if content_type.is_empty() {
                "no content type".to_string()
            } else {
                format!("\"{content_type}\"")
            }
        )))
    }
}

/// Retry-After as seconds or as an HTTP date.
fn retry_after(response: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    let value = header(response, "retry-after")?;
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = when.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// `bytes START-END/TOTAL` → (START, TOTAL).
fn parse_content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes ")?;
    let (range, total) = rest.split_once('/')?;
    let (start, _end) = range.split_once('-')?;
    let total = match total.trim() {
        "*" => None,
        n => Some(n.parse().ok()?),
    };
    Some((start.trim().parse().ok()?, total))
}

/// `bytes */TOTAL` (a 416's answer) → TOTAL.
fn parse_unsatisfied_range(value: &str) -> Option<u64> {
    value.trim().strip_prefix("bytes */")?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_are_read_as_the_server_writes_them() {
        assert_eq!(
            parse_content_range("bytes 100-199/200"),
            Some((100, Some(200)))
        );
        assert_eq!(parse_content_range("bytes 0-9/*"), Some((0, None)));
        assert_eq!(parse_content_range("items 0-9/10"), None);
        assert_eq!(parse_unsatisfied_range("bytes */5000"), Some(5000));
    }

    #[test]
    fn content_types_are_matched_without_their_parameters() {
        assert!(Expect::Json.accepts("application/json; charset=utf-8"));
        assert!(Expect::Html.accepts("Text/HTML;charset=UTF-8"));
        assert!(!Expect::Json.accepts("text/html"));
        assert!(!Expect::Spreadsheet.accepts("text/html; charset=utf-8"));
        assert!(Expect::Spreadsheet.accepts("application/vnd.oasis.opendocument.spreadsheet"));
    }
}
