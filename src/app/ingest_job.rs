//! Reading a dropped file off the main thread. CQC's monthly ODS is ~26 MB of zipped XML:
//! parsing it on the page's thread would freeze typing and scrolling for seconds, so a web
//! worker (the `cqc-explorer-worker` binary) runs the same ingest as the CLI and posts back the
//! encoded snapshot and the report. Messages carry the bytes as transferred `ArrayBuffer`s.
//! Adding a read file to the data already shown is the CLI's merge (`build_snapshot`), run on
//! the page's thread: both sides are already read and checked.

use cqc_engine::ingest::{
    build_snapshot, read_file, Combiner, FileContent, FileReport, IngestReport, Ingested, RowKind,
};
use cqc_engine::model::Snapshot;
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where Trunk's loader shim for the worker binary lands (`data-loader-shim`).
const WORKER_URL: &str = "/cqc-explorer-worker_loader.js";

/// At most this many reported rows are sent back for display; the count is always exact.
const ISSUES_SHOWN: usize = 500;

/// What the worker made of a file.
pub struct Loaded {
    pub snapshot: Arc<Snapshot>,
    /// The snapshot as the worker encoded it: kept for a reload as it is, not encoded again.
    pub encoded: Vec<u8>,
    pub summary: String,
    pub issues: Vec<String>,
}

/// Ingests one file exactly as the CLI does: an API location response (JSON) or a Latest
/// ratings file (ODS, XLSX or CSV). Returns the encoded snapshot, a one-line summary and the
/// first reported rows, or the reason the file is unusable.
pub fn ingest(name: &str, bytes: &[u8]) -> Result<(Vec<u8>, String, Vec<String>), String> {
    let content = read_file(name, bytes, super::today::today()).map_err(|e| e.to_string())?;
    // One API response that is unusable is the file's error, as a Latest ratings file's is.
    if let FileContent::ApiLocation(location) = &content {
        if let Err(issue) = location.as_ref() {
            return Err(issue.to_string());
        }
    }
    let mut combiner = Combiner::default();
    combiner.add(name, content);
    let (snapshot, report) = combiner.finish();
    if snapshot.locations.is_empty() {
        return Err(format!(
            "{name}: no location could be read ({} rows read, {} reported). {}",
            report.rows_read(),
            report.rows_reported(),
            report
                .issues
                .first()
                .map(|i| format!("First problem: {i}"))
                .unwrap_or_default()
        ));
    }
    let summary = format!(
        "{name}: {} rows read = {} accepted + {} reported; {} locations.",
        report.rows_read(),
        report.rows_accepted(),
        report.rows_reported(),
        snapshot.locations.len()
    );
    let issues = shown_issues(&report);
    Ok((cqc_engine::snapshot::encode(&snapshot), summary, issues))
}

/// The first reported rows, as lines for the page; the count is always the report's.
fn shown_issues(report: &IngestReport) -> Vec<String> {
    report
        .issues
        .iter()
        .take(ISSUES_SHOWN)
        .map(|i| i.to_string())
        .collect()
}

/// The current data with a read file added, and the merge's own report.
pub struct Merged {
    pub snapshot: Snapshot,
    pub summary: String,
    pub issues: Vec<String>,
}

/// One side of a merge, as the merge sees a file: its locations, and its row counts and date
/// from the snapshot's record of them (the rows themselves were read and checked before).
fn as_part(snapshot: Snapshot, file: &str) -> Ingested {
    let meta = &snapshot.meta;
    // The merge moves each location or rating row it cannot use from accepted to reported; a
    // side with more accepted rows than locations was read a rating a row (a Latest ratings
    // file), so its drops are counted in ratings.
    let row_kind = if meta.rows_accepted > snapshot.locations.len() as u64 {
        RowKind::Rating
    } else {
        RowKind::Location
    };
    let files = vec![FileReport {
        file: file.to_string(),
        rows_read: meta.rows_read,
        rows_accepted: meta.rows_accepted,
        rows_reported: meta.rows_reported,
        row_kind,
        content_hash: None,
        stated_date: meta.data_date,
        issues_not_listed: 0,
    }];
    Ingested {
        locations: snapshot.locations,
        report: IngestReport {
            files,
            issues: Vec::new(),
        },
    }
}

/// Adds `added` (read from the file `added_name`) to `current`, by the same merge the CLI runs
/// over several files, the new file given first: where both have a location, the new file's
/// ratings are the ones kept and the current data's are reported, as the merge reports any
/// later file's. Every source line of both is kept.
pub fn add_to_current(
    added: Snapshot,
    added_name: &str,
    current: &Snapshot,
    current_name: &str,
) -> Merged {
    let added_count = added.locations.len();
    let current_count = current.locations.len();
    let mut sources = added.meta.sources.clone();
    sources.extend(current.meta.sources.iter().cloned());
    let parts = vec![
        as_part(added, added_name),
        as_part(current.clone(), current_name),
    ];
    let (snapshot, report) = build_snapshot(parts, sources);
    let in_both = (added_count + current_count).saturating_sub(snapshot.locations.len());
    let summary = format!(
        "Added {added_name} to {current_name}: {added_count} + {current_count} locations, {in_both} in both, give {}; {} reported by the merge.",
        snapshot.locations.len(),
        cqc_engine::explain::narrative::count(
            u32::try_from(report.issues.len()).unwrap_or(u32::MAX),
            "row",
            "rows"
        )
    );
    let issues = shown_issues(&report);
    Merged {
        snapshot,
        summary,
        issues,
    }
}

fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

thread_local! {
    /// The file being read, for the message should a reader panic on it.
    static READING: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// wasm32 cannot unwind, so a reader's panic on a hostile file ends the worker. Before it
/// does, the page is told which file failed and why (as the `cqc` command reports such a file),
/// and the panic still goes to the console for a bug report.
fn report_panics_as_the_files_error(scope: web_sys::DedicatedWorkerGlobalScope) {
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        let file = READING.with(|name| name.borrow().clone());
        let detail = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        let reply = Object::new();
        let message = format!(
            "{file}: the reader failed on this file ({detail}); nothing of it is used. Please report it with the file"
        );
        set(&reply, "error", &JsValue::from_str(&message));
        let _ = scope.post_message(&reply);
    }));
}

/// A `File` sent to the worker, read whole (a worker may read synchronously).
fn read_blob(file: &JsValue) -> Result<Vec<u8>, String> {
    let blob: &web_sys::Blob = file
        .dyn_ref()
        .ok_or_else(|| "no file was sent to the reader".to_string())?;
    let reader =
        web_sys::FileReaderSync::new().map_err(|e| format!("could not read the file: {e:?}"))?;
    let buffer = reader
        .read_as_array_buffer(blob)
        .map_err(|e| format!("could not read the file: {e:?}"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// The worker's side: answer each `{name, file}` message with `{progress}` messages and then
/// `{summary, snapshot, issues}` or `{error}`.
pub fn worker_main() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    report_panics_as_the_files_error(scope.clone());
    let reply_scope = scope.clone();
    let on_message =
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            let name = get(&data, "name")
                .as_string()
                .unwrap_or_else(|| "file".into());
            READING.with(|reading| reading.replace(name.clone()));
            // The page sends the file itself, not its bytes: reading 20-odd MB into the page
            // and copying them into a message were two long tasks on the page's thread.
            let bytes = match read_blob(&get(&data, "file")) {
                Ok(bytes) => bytes,
                Err(message) => {
                    let reply = Object::new();
                    set(
                        &reply,
                        "error",
                        &JsValue::from_str(&format!("{name}: {message}")),
                    );
                    let _ = reply_scope.post_message(&reply);
                    return;
                }
            };
            let progress = Object::new();
            set(
                &progress,
                "progress",
                &JsValue::from_str(&format!(
                    "Reading {name} ({:.1} MB)…",
                    bytes.len() as f64 / 1e6
                )),
            );
            let _ = reply_scope.post_message(&progress);
            let reply = Object::new();
            match ingest(&name, &bytes) {
                Ok((snapshot, summary, issues)) => {
                    let buffer = Uint8Array::from(snapshot.as_slice());
                    set(&reply, "snapshot", &buffer);
                    set(&reply, "summary", &JsValue::from_str(&summary));
                    let list: Array = issues.iter().map(|i| JsValue::from_str(i)).collect();
                    set(&reply, "issues", &list);
                    let transfer = Array::of1(&buffer.buffer());
                    let _ = reply_scope.post_message_with_transfer(&reply, &transfer);
                }
                Err(message) => {
                    set(&reply, "error", &JsValue::from_str(&message));
                    let _ = reply_scope.post_message(&reply);
                }
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // A message sent before the handler existed would be lost (loading the wasm is
    // asynchronous), so the page waits for this before sending the file.
    let ready = Object::new();
    set(&ready, "ready", &JsValue::TRUE);
    let _ = scope.post_message(&ready);
}

/// The page's side: sends the file to a fresh worker, reports progress through `on_progress`,
/// and resolves with the decoded snapshot. The worker is ended when it has answered.
pub async fn ingest_in_worker(
    name: String,
    file: web_sys::File,
    on_progress: impl Fn(String) + 'static,
) -> Result<Loaded, String> {
    let worker = web_sys::Worker::new(WORKER_URL)
        .map_err(|e| format!("could not start the file reader: {e:?}"))?;
    let (sender, receiver) = futures_channel();
    let sender = std::rc::Rc::new(std::cell::RefCell::new(Some(sender)));
    let message = Object::new();
    set(&message, "name", &JsValue::from_str(&name));
    set(&message, "file", &file);
    let pending = std::rc::Rc::new(std::cell::RefCell::new(Some(message)));
    let on_message = {
        let sender = sender.clone();
        let worker = worker.clone();
        Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let data = event.data();
            if get(&data, "ready").is_truthy() {
                if let Some(message) = pending.borrow_mut().take() {
                    let sent = worker.post_message(&message);
                    if let Err(e) = sent {
                        if let Some(tx) = sender.borrow_mut().take() {
                            let _ = tx
                                .send(Err(format!("could not send the file to the reader: {e:?}")));
                        }
                    }
                }
                return;
            }
            if let Some(progress) = get(&data, "progress").as_string() {
                on_progress(progress);
                return;
            }
            if let Some(tx) = sender.borrow_mut().take() {
                let _ = tx.send(Ok(data));
            }
        })
    };
    let on_error = {
        let sender = sender.clone();
        Closure::<dyn Fn(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            if let Some(tx) = sender.borrow_mut().take() {
                let _ = tx.send(Err(format!("the file reader stopped: {}", event.message())));
            }
        })
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let answer = receiver
        .await
        .map_err(|_| "the file reader stopped without an answer".to_string())?;
    worker.terminate();
    drop(on_message);
    drop(on_error);
    let data = answer?;
    if let Some(error) = get(&data, "error").as_string() {
        return Err(error);
    }
    let snapshot_bytes = copy_in_parts(&Uint8Array::new(&get(&data, "snapshot"))).await;
    // Decoded on the page's thread, so in chunks with yields, as the bundled snapshot is.
    let snapshot = super::data::decode_in_chunks(&snapshot_bytes)
        .await
        .map_err(|e| format!("{name}: {e}"))?;
    let issues = Array::from(&get(&data, "issues"))
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Ok(Loaded {
        snapshot: Arc::new(snapshot),
        encoded: snapshot_bytes,
        summary: get(&data, "summary").as_string().unwrap_or_default(),
        issues,
    })
}

/// Bytes copied into the page's memory at a time: a national snapshot (8.7 MB) copied in one
/// go was a long task on a busy machine.
const COPIED_AT_ONCE: u32 = 1 << 20;

/// `array`'s bytes, copied a megabyte at a time with a yield to the browser in between.
async fn copy_in_parts(array: &Uint8Array) -> Vec<u8> {
    let length = array.length();
    let mut bytes = vec![0u8; length as usize];
    let mut start = 0u32;
    while start < length {
        let end = start.saturating_add(COPIED_AT_ONCE).min(length);
        array
            .subarray(start, end)
            .copy_to(&mut bytes[start as usize..end as usize]);
        start = end;
        super::data::yield_to_browser().await;
    }
    bytes
}

type Answer = Result<JsValue, String>;

/// A one-shot channel from the worker's message handler to the awaiting task.
fn futures_channel() -> (
    futures_channel::oneshot::Sender<Answer>,
    futures_channel::oneshot::Receiver<Answer>,
) {
    futures_channel::oneshot::channel()
}
