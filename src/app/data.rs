//! Loading the data the app shows: the bundled snapshot from `data/snapshot.bin`, or a file the
//! user drops, ingested in the browser by the same code as the CLI.

use cqc_engine::audit::{audit_location, summarise, AuditReport};
use cqc_engine::model::Snapshot;
use cqc_engine::rules::RuleParams;
use cqc_engine::search::{IndexBuilder, SearchIndex};
use cqc_engine::snapshot::{SnapshotError, SnapshotReader};
use leptos::prelude::*;
use std::sync::Arc;

/// Background work runs in slices of about this long before yielding to the browser, so a
/// keystroke or click waits at most this long while the index and audit are being built.
const SLICE_BUDGET_MS: f64 = 30.0;

/// Locations handled between two looks at the clock (well under a millisecond of work).
const CLOCK_STEP: usize = 200;

/// Everything the pages read, computed once per snapshot.
#[derive(Clone)]
pub struct AppData {
    pub snapshot: Arc<Snapshot>,
    /// Published-versus-rules for every location: `None` until the audit, which runs in small
    /// slices after the first paint, has finished. Only the national view and the "differs"
    /// and "mixed dates" filters wait for it.
    pub audit: RwSignal<Option<Arc<AuditReport>>>,
    /// The search index: `None` until it has been built, in slices after the first paint, so
    /// the list shows (and can be filtered and paged) while the words are still being indexed.
    /// Only a typed search waits for it.
    pub search: RwSignal<Option<Arc<SearchIndex>>>,
    /// Where the data came from: "bundled" or the dropped file's name.
    pub origin: String,
}

#[derive(Clone)]
pub enum LoadState {
    Loading,
    Ready(AppData),
    Failed(String),
}

impl AppData {
    /// The data, ready to show, with the search index and then the audit built in the
    /// background a slice at a time, yielding to the browser in between.
    pub async fn build(snapshot: Snapshot, origin: String) -> AppData {
        mark("cqc:data-ready");
        let snapshot = Arc::new(snapshot);
        let search = RwSignal::new(None);
        let audit = RwSignal::new(None);
        leptos::task::spawn_local(index_then_audit(snapshot.clone(), search, audit));
        AppData {
            snapshot,
            audit,
            search,
            origin,
        }
    }

    /// The audit if it has finished, else an empty one (no lines, nothing compared).
    pub fn audit_or_empty(&self) -> Arc<AuditReport> {
        self.audit
            .get()
            .unwrap_or_else(|| Arc::new(summarise(self.snapshot.meta.data_date, Vec::new())))
    }
}

/// Search first (a user may be typing), then the audit (only the national view and two
/// filters wait for it).
async fn index_then_audit(
    snapshot: Arc<Snapshot>,
    search: RwSignal<Option<Arc<SearchIndex>>>,
    audit: RwSignal<Option<Arc<AuditReport>>>,
) {
    // Let the first page paint before any of this work starts.
    gloo::timers::future::TimeoutFuture::new(0).await;
    index_in_slices(snapshot.clone(), search).await;
    mark("cqc:search-ready");
    audit_in_slices(snapshot, audit).await;
    mark("cqc:audit-ready");
}

/// A User Timing mark (visible in the browser's performance tools): the browser benchmark
/// reads these to split the first load into its stages.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        // A mark is diagnostic only: failing to set one must not disturb the page.
        let _ = performance.mark(name);
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Calls `work` on successive runs of `items`, yielding to the browser whenever a slice has
/// taken [`SLICE_BUDGET_MS`]: the same slices on a fast or slow machine would be either too
/// many yields or too long a freeze.
async fn in_slices<T>(items: &[T], mut work: impl FnMut(&[T])) {
    let mut slice_start = now_ms();
    for run in items.chunks(CLOCK_STEP) {
        work(run);
        if now_ms() - slice_start >= SLICE_BUDGET_MS {
            gloo::timers::future::TimeoutFuture::new(0).await;
            slice_start = now_ms();
        }
    }
}

/// The same index as `SearchIndex::new`, a slice at a time, yielding to the browser in between.
async fn index_in_slices(snapshot: Arc<Snapshot>, out: RwSignal<Option<Arc<SearchIndex>>>) {
    let mut builder = IndexBuilder::default();
    in_slices(&snapshot.locations, |run| builder.add(run)).await;
    gloo::timers::future::TimeoutFuture::new(0).await;
    let words = builder.sort_words();
    gloo::timers::future::TimeoutFuture::new(0).await;
    out.set(Some(Arc::new(words.finish())));
}

/// The same audit as `audit::audit`, a slice at a time, yielding to the browser in between.
async fn audit_in_slices(snapshot: Arc<Snapshot>, out: RwSignal<Option<Arc<AuditReport>>>) {
    let params = RuleParams::default();
    let as_of = snapshot.meta.data_date;
    let mut lines = Vec::with_capacity(snapshot.locations.len());
    in_slices(&snapshot.locations, |run| {
        lines.extend(run.iter().map(|l| audit_location(l, &params, as_of)))
    })
    .await;
    out.set(Some(Arc::new(summarise(as_of, lines))));
}

/// The line in the header saying which data is shown.
pub fn header_line(state: &LoadState) -> String {
    match state {
        LoadState::Loading => "Loading CQC data…".into(),
        LoadState::Failed(_) => "Data not loaded".into(),
        LoadState::Ready(d) => format!(
            "{} locations · CQC data to {}{}",
            d.snapshot.locations.len(),
            d.snapshot
                .meta
                .data_date
                .map(cqc_engine::model::format_date)
                .unwrap_or_else(|| "an unknown date".into()),
            if d.origin == "bundled" {
                String::new()
            } else {
                format!(" · from {}", d.origin)
            }
        ),
    }
}

/// Fetches and decodes the bundled snapshot.
pub fn load_bundled(state: RwSignal<LoadState>) {
    leptos::task::spawn_local(async move {
        let result = fetch_snapshot().await;
        // Let the page paint "Loading" before the first results are rendered.
        gloo::timers::future::TimeoutFuture::new(0).await;
        state.set(match result {
            Ok(snapshot) => LoadState::Ready(AppData::build(snapshot, "bundled".into()).await),
            Err(message) => LoadState::Failed(message),
        });
    });
}

async fn fetch_snapshot() -> Result<Snapshot, String> {
    let url = format!("/data/{}", cqc_engine::snapshot::FILE_NAME);
    let response = gloo::net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !response.ok() {
        return Err(format!("could not fetch {url}: HTTP {}", response.status()));
    }
    let bytes = response
        .binary()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))?;
    decode_in_chunks(&bytes)
        .await
        .map_err(|e| format!("{url}: {e}"))
}

/// The same result as `snapshot::decode`, a chunk (a few thousand locations, well under 40 ms
/// at national scale) at a time, yielding to the browser before each chunk: decoding a national
/// snapshot in one go would block typing and painting for a quarter of a second.
pub async fn decode_in_chunks(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    let reader = SnapshotReader::open(bytes)?;
    let mut locations = Vec::with_capacity(reader.location_count());
    for index in 0..reader.chunk_count() {
        gloo::timers::future::TimeoutFuture::new(0).await;
        locations.extend(reader.decode_chunk(index)?);
    }
    Ok(Snapshot {
        meta: reader.into_meta(),
        locations,
    })
}

/// Renders `content` with the loaded data, or the loading / error state.
pub fn with_data<V: IntoView + 'static>(
    content: impl Fn(AppData) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_context::<RwSignal<LoadState>>();
    move || {
        match state.map(|s| s.get()) {
        Some(LoadState::Ready(d)) => content(d).into_any(),
        Some(LoadState::Failed(message)) => view! {
            <div class="error-panel" role="alert">
                <h2>"The data could not be loaded"</h2>
                <p>{message}</p>
                <p>"Reload the page, or load a CQC Latest ratings file on the Load newer data page."</p>
            </div>
        }
        .into_any(),
        _ => view! { <p aria-live="polite">"Loading CQC data…"</p> }.into_any(),
    }
    }
}
