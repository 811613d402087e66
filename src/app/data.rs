//! Loading the data the app shows: the bundled snapshot from `data/snapshot.bin`, or a file the
//! user drops, ingested in the browser by the same code as the CLI. Dropped data is kept in the
//! browser (`kept_data`) and opened again on a reload until the user goes back to the bundled
//! data.

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
    /// Where the data came from: [`BUNDLED`], or the dropped file's name (and what it was added
    /// to).
    pub origin: String,
    /// Whether a reload opens this data again: true for the bundled data, and for a dropped
    /// file's once it is kept in the browser.
    pub kept: bool,
}

/// The origin of the data published with the site.
pub const BUNDLED: &str = "bundled";

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
            kept: origin == BUNDLED,
            origin,
        }
    }

    /// Whether this is the data published with the site, not a dropped file's.
    pub fn is_bundled(&self) -> bool {
        self.origin == BUNDLED
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
            if d.is_bundled() {
                String::new()
            } else {
                format!(" · from {}", d.origin)
            }
        ),
    }
}

/// Opens the data kept from a dropped file if there is one, else fetches and decodes the
/// bundled snapshot.
pub fn load_initial(state: RwSignal<LoadState>) {
    leptos::task::spawn_local(async move {
        if let Some((bytes, origin)) = crate::app::kept_data::recall().await {
            match decode_in_chunks(&bytes).await {
                Ok(snapshot) => {
                    let mut data = AppData::build(snapshot, origin).await;
                    data.kept = true;
                    state.set(LoadState::Ready(data));
                    return;
                }
                // Kept by an older version of the site, or damaged: the bundled data opens.
                Err(_) => {
                    let _ = crate::app::kept_data::forget().await;
                }
            }
        }
        load_bundled(state).await;
    });
}

/// Forgets the dropped file's data and shows the bundled data again.
pub fn back_to_bundled(state: RwSignal<LoadState>) {
    leptos::task::spawn_local(async move {
        // Deleting a cache fails only where Cache Storage is unavailable, and then nothing was
        // kept to come back on a reload: the bundled data is shown either way.
        let _ = crate::app::kept_data::forget().await;
        state.set(LoadState::Loading);
        load_bundled(state).await;
    });
}

/// Shows `snapshot`, from the dropped file described by `origin`, and keeps it for a reload.
/// Returns why it could not be kept, if it could not (the data is shown either way).
pub async fn use_dropped(
    state: RwSignal<LoadState>,
    snapshot: Snapshot,
    origin: String,
) -> Result<(), String> {
    let encoded = cqc_engine::snapshot::encode(&snapshot);
    let kept = crate::app::kept_data::keep(&encoded, &origin).await;
    let mut data = AppData::build(snapshot, origin).await;
    data.kept = kept.is_ok();
    state.set(LoadState::Ready(data));
    kept
}

/// Fetches and decodes the bundled snapshot.
async fn load_bundled(state: RwSignal<LoadState>) {
    let result = fetch_snapshot().await;
    // Let the page paint "Loading" before the first results are rendered.
    gloo::timers::future::TimeoutFuture::new(0).await;
    state.set(match result {
        Ok(snapshot) => LoadState::Ready(AppData::build(snapshot, BUNDLED.into()).await),
        Err(message) => LoadState::Failed(message),
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
