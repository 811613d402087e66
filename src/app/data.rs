//! Loading the data the app shows: the bundled snapshot from `data/snapshot.bin`, or a file the
//! user drops, ingested in the browser by the same code as the CLI.

use crate::audit::{audit_location, summarise, AuditReport};
use crate::model::Snapshot;
use crate::rules::RuleParams;
use crate::search::{IndexBuilder, SearchIndex};
use crate::snapshot::{SnapshotError, SnapshotReader};
use leptos::prelude::*;
use std::sync::Arc;

/// Locations indexed between two yields: ~40 ms of work at national scale in the browser.
const INDEX_SLICE: usize = 5_000;

/// Locations audited between two yields to the browser: a few milliseconds of work, so typing
/// and scrolling stay responsive while the national audit runs.
const AUDIT_SLICE: usize = 1_000;

/// Everything the pages read, computed once per snapshot.
#[derive(Clone)]
pub struct AppData {
    pub snapshot: Arc<Snapshot>,
    /// Published-versus-rules for every location: `None` until the audit, which runs in small
    /// slices after the first paint, has finished. Only the national view and the "differs"
    /// and "mixed dates" filters wait for it.
    pub audit: RwSignal<Option<Arc<AuditReport>>>,
    pub search: Arc<SearchIndex>,
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
    /// Builds the search index a slice at a time, yielding to the browser in between, then
    /// starts the audit in the background.
    pub async fn build(snapshot: Snapshot, origin: String) -> AppData {
        let mut builder = IndexBuilder::default();
        for slice in snapshot.locations.chunks(INDEX_SLICE) {
            builder.add(slice);
            gloo::timers::future::TimeoutFuture::new(0).await;
        }
        let search = builder.finish(&snapshot.locations);
        let snapshot = Arc::new(snapshot);
        let audit = RwSignal::new(None);
        leptos::task::spawn_local(audit_in_slices(snapshot.clone(), audit));
        AppData {
            snapshot,
            audit,
            search: Arc::new(search),
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

/// The same audit as `audit::audit`, a slice at a time, yielding to the browser in between.
async fn audit_in_slices(snapshot: Arc<Snapshot>, out: RwSignal<Option<Arc<AuditReport>>>) {
    let params = RuleParams::default();
    let as_of = snapshot.meta.data_date;
    let mut lines = Vec::with_capacity(snapshot.locations.len());
    for slice in snapshot.locations.chunks(AUDIT_SLICE) {
        lines.extend(slice.iter().map(|l| audit_location(l, &params, as_of).0));
        gloo::timers::future::TimeoutFuture::new(0).await;
    }
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
                .map(|d| d.format("%-d %b %Y").to_string())
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
        // Let the page paint "Loading" before the index is built.
        gloo::timers::future::TimeoutFuture::new(0).await;
        state.set(match result {
            Ok(snapshot) => LoadState::Ready(AppData::build(snapshot, "bundled".into()).await),
            Err(message) => LoadState::Failed(message),
        });
    });
}

async fn fetch_snapshot() -> Result<Snapshot, String> {
    let url = format!("/data/{}", crate::snapshot::FILE_NAME);
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
