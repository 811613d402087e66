//! Loading the data the app shows. The bundled data is the data layout (`cqc_engine::layout`,
//! docs/data-layout.md): the manifest first, then each part when a page first needs it — the
//! status column and a search shard when a query is typed, a rows file for a page of results,
//! a location's bucket when its page opens, and every row only for the pages that read the
//! whole country (filters, the national view, providers, councils, near, compare). A file the
//! user drops is read whole in the browser by the same code as the CLI, so it is all here at
//! once; it is kept in the browser (`kept_data`) and opened again on a reload until the user
//! goes back to the bundled data.

use cqc_engine::audit::{summarise, AuditReport, Auditor};
use cqc_engine::layout::{self, Card, Manifest, StatusColumn};
use cqc_engine::model::{Location, Snapshot};
use cqc_engine::rules::RuleParams;
use cqc_engine::search::{IndexBuilder, PrefixShard, SearchIndex, SearchShard, ShardNeed};
use cqc_engine::snapshot::{SnapshotError, SnapshotReader};
use leptos::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Background work runs in slices of about this long before yielding to the browser, so a
/// keystroke or click waits at most this long while the index and audit are being built (the
/// browser's long-task threshold is 50 ms; a busy machine stretches a slice's last step).
const SLICE_BUDGET_MS: f64 = 25.0;

thread_local! {
    /// When the browser last had its turn ([`yield_to_browser`]). Sliced work measures its
    /// slice from here, not from its own start: two sliced phases back to back (adding to the
    /// index, then sorting it) had shared one task of twice the budget.
    static SLICE_START: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// Gives the browser its turn (the rest runs in a later task), and starts a new slice.
pub async fn yield_to_browser() {
    gloo::timers::future::TimeoutFuture::new(0).await;
    SLICE_START.with(|start| start.set(now_ms()));
}

/// Locations handled between two looks at the clock (well under a millisecond of work).
const CLOCK_STEP: usize = 200;

/// Rows files fetched at once when every row is wanted: enough to keep a connection busy,
/// few enough that a page's own fetches are not queued behind the whole country.
const PARALLEL_FETCHES: usize = 6;

/// Every location's row, and what is computed from all of them: what the country-wide pages
/// read.
#[derive(Clone)]
pub struct AppData {
    pub snapshot: Arc<Snapshot>,
    /// Published-versus-rules for every location: `None` until the audit, which runs in small
    /// slices after the rows arrive, has finished. Only the national view and the "differs"
    /// and "mixed dates" filters wait for it.
    pub audit: RwSignal<Option<Arc<AuditReport>>>,
    /// The search index over every row: `None` until it has been built, in slices.
    pub search: RwSignal<Option<Arc<SearchIndex>>>,
    /// Where the data came from: [`BUNDLED`], or the dropped file's name (and what it was added
    /// to).
    pub origin: String,
    /// Whether a reload opens this data again.
    pub kept: bool,
}

/// The origin of the data published with the site.
pub const BUNDLED: &str = "bundled";

#[derive(Clone)]
pub enum LoadState {
    Loading,
    Ready(Store),
    Failed(String),
}

/// A location page's lookup.
#[derive(Clone)]
pub enum Lookup {
    Loading,
    Found(Arc<Location>),
    Missing,
    Failed(String),
}

/// A location page keeps its lookup in a memo, compared by this, so that another bucket
/// arriving (a linked location's) does not draw the page again: the location found is the
/// same, though a new copy.
impl PartialEq for Lookup {
    fn eq(&self, other: &Lookup) -> bool {
        match (self, other) {
            (Lookup::Found(a), Lookup::Found(b)) => Arc::ptr_eq(a, b) || a == b,
            (Lookup::Failed(a), Lookup::Failed(b)) => a == b,
            (Lookup::Loading, Lookup::Loading) | (Lookup::Missing, Lookup::Missing) => true,
            _ => false,
        }
    }
}

/// The data as the pages reach it: the manifest at once, every other part fetched once, when
/// first asked for, and kept.
#[derive(Clone)]
pub struct Store {
    pub manifest: Arc<Manifest>,
    pub origin: String,
    /// Whether a reload opens this data again: true for the bundled data, and for a dropped
    /// file's once it is kept in the browser.
    pub kept: bool,
    /// Every row, once fetched (at once for a dropped file).
    pub all: RwSignal<Option<AppData>>,
    /// Rows files arrived of those wanted, while every row is being fetched.
    pub all_progress: RwSignal<(usize, usize)>,
    /// Every location whole (history and commentary included): a dropped file's data, or the
    /// bundled data's buckets put together, fetched only to add a dropped file to it.
    pub whole: RwSignal<Option<Arc<Snapshot>>>,
    pub status: RwSignal<Option<Arc<StatusColumn>>>,
    /// The search shards fetched, by file name.
    shards: RwSignal<BTreeMap<String, Arc<Shard>>>,
    /// The cards files fetched, by number.
    cards: RwSignal<BTreeMap<usize, Arc<Vec<Card>>>>,
    rows: RwSignal<BTreeMap<String, Arc<Vec<Location>>>>,
    buckets: RwSignal<BTreeMap<String, Arc<Vec<Location>>>>,
    /// Files asked for and not yet arrived, so each is fetched once.
    pending: StoredValue<HashSet<String>>,
    /// Why each file that could not be had could not, by name: the pages that need it say
    /// so instead of waiting, and offer to try again.
    failures: RwSignal<BTreeMap<String, String>>,
    /// A list's download asked for before every row was here: made once they are.
    pub export_wanted: RwSignal<bool>,
    /// The index last put together from shards, with their keys: a word typed letter by
    /// letter needs the same shards, and putting them together costs more than searching.
    last_index: StoredValue<Option<(Vec<String>, Arc<SearchIndex>)>>,
}

/// A search shard of either kind (`cqc_engine::search::shard`).
enum Shard {
    Range(SearchShard),
    Prefix(PrefixShard),
}

impl Store {
    fn new(manifest: Manifest, origin: String, kept: bool) -> Store {
        Store {
            manifest: Arc::new(manifest),
            origin,
            kept,
            all: RwSignal::new(None),
            all_progress: RwSignal::new((0, 0)),
            whole: RwSignal::new(None),
            status: RwSignal::new(None),
            shards: RwSignal::new(BTreeMap::new()),
            cards: RwSignal::new(BTreeMap::new()),
            rows: RwSignal::new(BTreeMap::new()),
            buckets: RwSignal::new(BTreeMap::new()),
            pending: StoredValue::new(HashSet::new()),
            failures: RwSignal::new(BTreeMap::new()),
            export_wanted: RwSignal::new(false),
            last_index: StoredValue::new(None),
        }
    }

    /// Data held whole in the browser (a dropped file): every part is here already.
    pub async fn whole_data(snapshot: Arc<Snapshot>, origin: String, kept: bool) -> Store {
        let mut vocabulary = layout::VocabularyBuilder::default();
        in_slices(&snapshot.locations, |run| vocabulary.add(run)).await;
        let manifest = Manifest::of_whole_with(&snapshot, vocabulary.finish());
        let store = Store::new(manifest, origin.clone(), kept);
        let data = AppData::build(snapshot, origin).await;
        store.whole.set(Some(data.snapshot.clone()));
        store.all.set(Some(data));
        store
    }

    /// Whether this is the data published with the site, not a dropped file's.
    pub fn is_bundled(&self) -> bool {
        self.origin == BUNDLED
    }

    /// Whether the data is all in the browser (a dropped file), so nothing is fetched.
    pub fn is_whole(&self) -> bool {
        self.manifest.buckets.is_empty()
    }

    /// Why some file could not be had, if one could not (the first, by name).
    pub fn failure(&self) -> Option<String> {
        self.failures.with(|f| f.values().next().cloned())
    }

    /// Forgets every failure, so the files are asked for again (the network may be back).
    pub fn retry(&self) {
        self.failures.set(BTreeMap::new());
        if self.all.get_untracked().is_none() {
            // The pages waiting for every row ask again when the progress is reset.
            self.all_progress.set((0, 0));
        }
        // The list waits on the status column without watching for failures (a failure
        // watched would be asked again at once, forever, offline): asked again here.
        self.request_status();
    }

    /// Fetches `name` once, unless it is here or on its way, then hands its bytes to `arrive`.
    fn fetch_once(
        &self,
        name: &str,
        when: Asked,
        arrive: impl FnOnce(Vec<u8>) -> Result<(), String> + 'static,
    ) {
        let fresh = self
            .pending
            .try_update_value(|p| p.insert(name.to_string()))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let (name, pending, failures) = (name.to_string(), self.pending, self.failures);
        let fetched = matches!(when, Asked::Now).then(|| fetch_file(&name));
        leptos::task::spawn_local(async move {
            let bytes = match fetched {
                Some(fetched) => fetched.await,
                None => {
                    gloo::timers::future::TimeoutFuture::new(0).await;
                    fetch_file(&name).await
                }
            };
            let result = bytes.and_then(arrive);
            pending.update_value(|p| {
                p.remove(&name);
            });
            if let Err(message) = result {
                failures.update(|f| {
                    f.insert(name, message);
                });
            }
        });
    }

    /// Asks for the status column (the counts and closed split of any list).
    pub fn request_status(&self) {
        if self.is_whole() || self.status.get_untracked().is_some() {
            return;
        }
        let (status, count, name) = (
            self.status,
            self.manifest.location_count,
            self.manifest.status.clone(),
        );
        self.fetch_once(&name.clone(), Asked::Now, move |bytes| {
            layout::check_hash(&name, &bytes).map_err(|e| e.to_string())?;
            let column = StatusColumn::decode(&bytes, count).map_err(|e| format!("{name}: {e}"))?;
            status.set(Some(Arc::new(column)));
            Ok(())
        });
    }

    /// The index made of the shards `query`'s words need, once they have all arrived (asking
    /// for those that have not).
    pub fn search_index(&self, query: &str) -> Option<Arc<SearchIndex>> {
        let needed = self.manifest.shard_files(query);
        let loaded = self.shards.get();
        let mut missing = false;
        for (need, name) in &needed {
            if loaded.contains_key(name) {
                continue;
            }
            missing = true;
            let (shards, count, name, is_range) = (
                self.shards,
                self.manifest.location_count,
                name.clone(),
                matches!(need, ShardNeed::Range(_)),
            );
            self.fetch_once(&name.clone(), Asked::Now, move |bytes| {
                layout::check_hash(&name, &bytes).map_err(|e| e.to_string())?;
                let shard = if is_range {
                    SearchShard::decode(&bytes, count).map(Shard::Range)
                } else {
                    PrefixShard::decode(&bytes, count).map(Shard::Prefix)
                }
                .map_err(|e| format!("{name}: {e}"))?;
                shards.update(|s| {
                    s.insert(name, Arc::new(shard));
                });
                Ok(())
            });
        }
        if missing {
            return None;
        }
        let names: Vec<String> = needed.into_iter().map(|(_, name)| name).collect();
        let cached = self.last_index.with_value(|last| {
            last.as_ref()
                .filter(|(last_names, _)| *last_names == names)
                .map(|(_, index)| index.clone())
        });
        if let Some(index) = cached {
            return Some(index);
        }
        let parts: Vec<&Shard> = names
            .iter()
            .filter_map(|n| loaded.get(n))
            .map(|s| s.as_ref())
            .collect();
        let ranges = parts.iter().filter_map(|s| match s {
            Shard::Range(r) => Some(r),
            Shard::Prefix(_) => None,
        });
        let prefixes = parts.iter().filter_map(|s| match s {
            Shard::Prefix(p) => Some(p),
            Shard::Range(_) => None,
        });
        let index = Arc::new(SearchIndex::from_shards(
            self.manifest.location_count,
            ranges,
            prefixes,
        ));
        self.last_index.set_value(Some((names, index.clone())));
        Some(index)
    }

    /// The result line of each of `numbers` (in the layout's order) whose cards file has
    /// arrived, `None` for the others, which are asked for: a page of results shows each line
    /// as its file arrives.
    pub fn cards(&self, numbers: &[usize]) -> Vec<Option<Card>> {
        let loaded = self.cards.get();
        numbers
            .iter()
            .map(|&number| {
                let (name, at, file_number) = self.manifest.card_file(number)?;
                if let Some(cards) = loaded.get(&file_number) {
                    return cards.get(at).cloned();
                }
                let (cards, count) = (self.cards, self.manifest.location_count);
                self.fetch_once(&name, Asked::AfterThisTask, move |bytes| {
                    let decoded = layout::decode_cards(&bytes, file_number, count)
                        .map_err(|e| e.to_string())?;
                    cards.update(|c| {
                        c.insert(file_number, Arc::new(decoded));
                    });
                    Ok(())
                });
                None
            })
            .collect()
    }

    /// The rows of locations `numbers` (in the layout's order), once every file holding one of
    /// them has arrived (asking for those that have not).
    pub fn rows(&self, numbers: &[usize]) -> Option<Vec<Location>> {
        let loaded = self.rows.get();
        let mut out = Vec::with_capacity(numbers.len());
        let mut missing = false;
        for &number in numbers {
            let Some((name, at)) = self.manifest.row_file(number) else {
                continue;
            };
            match loaded.get(name) {
                Some(rows) => out.extend(rows.get(at).cloned()),
                None => {
                    missing = true;
                    self.request_rows_file(name);
                }
            }
        }
        (!missing).then_some(out)
    }

    fn request_rows_file(&self, name: &str) {
        let (rows, name) = (self.rows, name.to_string());
        self.fetch_once(&name.clone(), Asked::Now, move |bytes| {
            let decoded = layout::decode_locations(&name, &bytes).map_err(|e| e.to_string())?;
            rows.update(|r| {
                r.insert(name, Arc::new(decoded));
            });
            Ok(())
        });
    }

    /// The location with `id`, whole: from its bucket, fetched when first asked for.
    pub fn location(&self, id: &str) -> Lookup {
        if self.is_whole() {
            return match self.whole.get() {
                Some(s) => s
                    .locations
                    .iter()
                    .find(|l| l.id == id)
                    .map_or(Lookup::Missing, |l| Lookup::Found(Arc::new(l.clone()))),
                None => Lookup::Loading,
            };
        }
        let Some(name) = self.manifest.bucket_file(id).map(str::to_string) else {
            return Lookup::Missing;
        };
        if let Some(message) = self.failures.with(|f| f.get(&name).cloned()) {
            return Lookup::Failed(message);
        }
        match self.buckets.get().get(&name) {
            Some(bucket) => bucket
                .iter()
                .find(|l| l.id == id)
                .map_or(Lookup::Missing, |l| Lookup::Found(Arc::new(l.clone()))),
            None => {
                self.request_bucket(name);
                Lookup::Loading
            }
        }
    }

    /// Asks for the bucket holding `id`, if the data is in buckets and it has not arrived: a
    /// location about to be opened (its link pressed) is on its way while the page it leaves
    /// is taken down.
    pub fn prefetch_location(&self, id: &str) {
        let Some(name) = self.manifest.bucket_file(id) else {
            return;
        };
        let failed = self.failures.with_untracked(|f| f.contains_key(name));
        if !failed && !self.buckets.with_untracked(|b| b.contains_key(name)) {
            self.request_bucket(name.to_string());
        }
    }

    fn request_bucket(&self, name: String) {
        let buckets = self.buckets;
        self.fetch_once(&name.clone(), Asked::Now, move |bytes| {
            let decoded = layout::decode_locations(&name, &bytes).map_err(|e| e.to_string())?;
            buckets.update(|b| {
                b.insert(name, Arc::new(decoded));
            });
            Ok(())
        });
    }

    /// Asks for every row (once): the country-wide pages' data. The search index and the
    /// audit are then built from them in the background, as `AppData::build` does.
    pub fn request_all(&self) {
        if self.all.get_untracked().is_some() || self.all_progress.get_untracked().1 > 0 {
            return;
        }
        let store = self.clone();
        let total = self.manifest.rows.len();
        self.all_progress.set((0, total.max(1)));
        leptos::task::spawn_local(async move {
            match fetch_all_rows(&store).await {
                Ok(locations) => {
                    let snapshot = Snapshot {
                        meta: store.manifest.meta.clone(),
                        locations,
                    };
                    let mut data = AppData::build(Arc::new(snapshot), store.origin.clone()).await;
                    data.kept = store.kept;
                    store.all.set(Some(data));
                }
                Err(message) => store.failures.update(|f| {
                    f.insert("rows".into(), message);
                }),
            }
        });
    }

    /// Asks for every location whole (once): to compare a dropped file with the data shown, or
    /// add it. Each bucket is decoded as it arrives, a yield between them, so the page never
    /// freezes for the whole country; the locations are then put in the layout's order, which
    /// the rows give.
    pub fn request_whole(&self) {
        if self.whole.get_untracked().is_some() || self.pending.with_value(|p| p.contains("whole"))
        {
            return;
        }
        self.pending.update_value(|p| {
            p.insert("whole".into());
        });
        let store = self.clone();
        leptos::task::spawn_local(async move {
            let result = fetch_whole(&store).await;
            store.pending.update_value(|p| {
                p.remove("whole");
            });
            match result {
                Ok(snapshot) => store.whole.set(Some(Arc::new(snapshot))),
                Err(message) => store.failures.update(|f| {
                    f.insert("whole".into(), message);
                }),
            }
        });
    }
}

/// Every location whole, in the layout's order (see `Store::request_whole`).
async fn fetch_whole(store: &Store) -> Result<Snapshot, String> {
    let manifest = &store.manifest;
    let mut whole = layout::WholeBuilder::new(manifest);
    for name in &manifest.rows {
        let cached = store.rows.get_untracked().get(name).cloned();
        let rows = match cached {
            Some(rows) => rows,
            None => Arc::new(
                layout::decode_locations(name, &fetch_file(name).await?)
                    .map_err(|e| e.to_string())?,
            ),
        };
        whole.add_rows(name, &rows).map_err(|e| e.to_string())?;
        yield_to_browser().await;
    }
    for (bucket, name) in manifest.buckets.iter().enumerate() {
        let locations =
            layout::decode_locations(name, &fetch_file(name).await?).map_err(|e| e.to_string())?;
        whole
            .add_bucket(bucket, name, locations)
            .map_err(|e| e.to_string())?;
        yield_to_browser().await;
    }
    whole.finish(manifest).map_err(|e| e.to_string())
}

/// Every rows file, a few at a time, decoded as each arrives: the locations in order.
async fn fetch_all_rows(store: &Store) -> Result<Vec<Location>, String> {
    let names = &store.manifest.rows;
    let mut locations = Vec::with_capacity(store.manifest.location_count);
    for batch in names.chunks(PARALLEL_FETCHES) {
        let already = store.rows.get_untracked();
        let fetched = futures::future::join_all(batch.iter().map(|name| {
            let cached = already.get(name).cloned();
            let name = name.clone();
            async move {
                match cached {
                    Some(rows) => Ok(rows),
                    None => {
                        let bytes = fetch_file(&name).await?;
                        layout::decode_locations(&name, &bytes)
                            .map(Arc::new)
                            .map_err(|e| e.to_string())
                    }
                }
            }
        }))
        .await;
        for (name, rows) in batch.iter().zip(fetched) {
            let rows = rows?;
            locations.extend(rows.iter().cloned());
            store.rows.update(|r| {
                r.insert(name.clone(), rows);
            });
            store.all_progress.update(|(done, _)| *done += 1);
        }
        yield_to_browser().await;
    }
    if locations.len() != store.manifest.location_count {
        return Err(format!(
            "the rows files hold {} locations; the manifest says {}",
            locations.len(),
            store.manifest.location_count
        ));
    }
    Ok(locations)
}

/// When a file's request leaves ([`Store::fetch_once`]).
#[derive(Clone, Copy)]
enum Asked {
    /// Now: a file the page is waiting for (a search shard, a location's bucket, a column).
    Now,
    /// In the next task: the cards files of a page of results, asked for together once the
    /// query is answered. A request costs the page's thread about a millisecond; two dozen of
    /// them had the count of results wait, in a cold search, for the lines' requests to leave.
    AfterThisTask,
}

/// A layout file's bytes, from the site's `data/`; when the network fails, the copy kept
/// when it was last fetched (`data_cache`). The request is made now, when this is called, not
/// when the returned future is first polled: a keystroke's shard is on its way while the page
/// is still drawing the keystroke (that took 20 ms before the request left, on a cold start).
fn fetch_file(name: &str) -> impl std::future::Future<Output = Result<Vec<u8>, String>> {
    let url = format!("/data/{name}");
    // Offline, the kept copy is all there is: asking the network first would only fail.
    let offline = web_sys::window().is_some_and(|w| !w.navigator().on_line());
    let request = (!offline).then(|| start_request(&url));
    async move {
        let Some(request) = request else {
            return crate::app::data_cache::recall(&url).await.ok_or_else(|| format!(
                "You are offline, and this part of the data ({url}) was not saved on this device: it is kept once a page that needs it has been opened online. Connect, then try again."
            ));
        };
        match read_response(&url, request).await {
            Ok(bytes) => {
                crate::app::data_cache::keep(url, &bytes);
                Ok(bytes)
            }
            // The network may be down without the browser knowing yet.
            Err(error) => crate::app::data_cache::recall(&url).await.ok_or(error),
        }
    }
}

/// The browser's fetch of `url`, started.
fn start_request(url: &str) -> Result<wasm_bindgen_futures::JsFuture, String> {
    let window = web_sys::window().ok_or_else(|| format!("could not fetch {url}: no window"))?;
    Ok(wasm_bindgen_futures::JsFuture::from(
        window.fetch_with_str(url),
    ))
}

async fn read_response(
    url: &str,
    request: Result<wasm_bindgen_futures::JsFuture, String>,
) -> Result<Vec<u8>, String> {
    let response: web_sys::Response = request?
        .await
        .map_err(|e| format!("could not fetch {url}: {}", js_message(&e)))?
        .dyn_into()
        .map_err(|_| format!("could not fetch {url}: not a response"))?;
    if !response.ok() {
        return Err(format!("could not fetch {url}: HTTP {}", response.status()));
    }
    let body = response
        .array_buffer()
        .map_err(|e| format!("could not read {url}: {}", js_message(&e)))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(body)
        .await
        .map_err(|e| format!("could not read {url}: {}", js_message(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// A thrown JavaScript value as text (a `TypeError: Failed to fetch`, say).
fn js_message(value: &wasm_bindgen::JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.to_string()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| format!("{value:?}"))
}

impl AppData {
    /// The data, ready to show, with the search index and then the audit built in the
    /// background a slice at a time, yielding to the browser in between.
    pub async fn build(snapshot: Arc<Snapshot>, origin: String) -> AppData {
        mark("cqc:data-ready");
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
    yield_to_browser().await;
    index_in_slices(snapshot.clone(), search).await;
    mark("cqc:search-ready");
    // The pages waiting on the index draw first: the audit's first slice is not theirs.
    yield_to_browser().await;
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
async fn in_slices<'a, T>(items: &'a [T], mut work: impl FnMut(&'a [T])) {
    let mut runs = items.chunks(CLOCK_STEP);
    until_done(|| match runs.next() {
        Some(run) => {
            work(run);
            false
        }
        None => true,
    })
    .await;
}

/// Calls `step` until it says it is done, yielding to the browser whenever a slice has taken
/// [`SLICE_BUDGET_MS`]. Each call of `step` should be well under a millisecond of work (a
/// [`CLOCK_STEP`] of locations).
pub async fn until_done(mut step: impl FnMut() -> bool) {
    while !step() {
        if now_ms() - SLICE_START.with(std::cell::Cell::get) >= SLICE_BUDGET_MS {
            yield_to_browser().await;
        }
    }
}

/// What `story::diff_snapshots` gives, a slice at a time.
pub async fn diff_in_slices(old: &Snapshot, new: &Snapshot) -> cqc_engine::story::ChangeList {
    let mut diff = cqc_engine::story::SnapshotDiff::new(old, new);
    until_done(|| diff.compare_next(CLOCK_STEP)).await;
    diff.finish()
}

/// The same index as `SearchIndex::new`, a slice at a time, yielding to the browser in between.
async fn index_in_slices(snapshot: Arc<Snapshot>, out: RwSignal<Option<Arc<SearchIndex>>>) {
    let mut builder = IndexBuilder::for_locations(snapshot.locations.len());
    in_slices(&snapshot.locations, |run| builder.add(run)).await;
    // Finishing is a sort a part at a time, each word's locations laid out a part at a time,
    // two steps of tens of milliseconds each at national scale, then the short-prefix lists a
    // few prefixes at a time: the browser gets its turn between them.
    let mut sort = builder.start_sorting_vocabulary();
    until_done(|| sort.sort_next()).await;
    yield_to_browser().await;
    let vocabulary = sort.finish();
    yield_to_browser().await;
    let mut postings = vocabulary.start_laying_out_postings();
    until_done(|| postings.lay_out_next(cqc_engine::search::OCCURRENCES_AT_ONCE)).await;
    let words = postings.finish();
    yield_to_browser().await;
    let ranked = words.rank_names();
    yield_to_browser().await;
    let mut short_lists = ranked.start_short_lists();
    until_done(|| short_lists.make_next(cqc_engine::search::POSTINGS_READ_AT_ONCE)).await;
    let done = short_lists.finish();
    out.set(Some(Arc::new(done)));
}

/// The same audit as `audit::audit`, a slice at a time, yielding to the browser in between.
async fn audit_in_slices(snapshot: Arc<Snapshot>, out: RwSignal<Option<Arc<AuditReport>>>) {
    let params = RuleParams::default();
    let mut auditor = Auditor::new(&snapshot, &params);
    until_done(|| auditor.audit_next(CLOCK_STEP)).await;
    out.set(Some(Arc::new(auditor.finish())));
}

/// The line in the header saying which data is shown.
pub fn header_line(state: &LoadState) -> String {
    match state {
        LoadState::Loading => "Loading CQC data…".into(),
        LoadState::Failed(_) => "Data not loaded".into(),
        LoadState::Ready(d) => format!(
            "{} locations · CQC data to {}{}",
            d.manifest.location_count,
            d.manifest
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

/// Opens the data kept from a dropped file if there is one, else fetches the bundled data's
/// manifest.
pub fn load_initial(state: RwSignal<LoadState>) {
    leptos::task::spawn_local(async move {
        if let Some((bytes, origin)) = crate::app::kept_data::recall().await {
            match decode_in_chunks(&bytes).await {
                Ok(snapshot) => {
                    state.set(LoadState::Ready(
                        Store::whole_data(Arc::new(snapshot), origin, true).await,
                    ));
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

/// Shows `snapshot`, from the dropped file described by `origin`, and keeps it for a reload:
/// `encoded` is its snapshot file when there is one already (the worker's, for a file read),
/// else it is encoded here (data added to the current data). Returns why it could not be kept,
/// if it could not (the data is shown either way).
pub async fn use_dropped(
    state: RwSignal<LoadState>,
    snapshot: Arc<Snapshot>,
    encoded: Option<Vec<u8>>,
    origin: String,
) -> Result<(), String> {
    let encoded = encoded.unwrap_or_else(|| cqc_engine::snapshot::encode(&snapshot));
    let kept = crate::app::kept_data::keep(&encoded, &origin).await;
    drop(encoded);
    let store = Store::whole_data(snapshot, origin, kept.is_ok()).await;
    state.set(LoadState::Ready(store));
    kept
}

/// Fetches the bundled data's manifest: all a first page needs before it can show.
async fn load_bundled(state: RwSignal<LoadState>) {
    let result = fetch_manifest().await;
    // Reading the manifest and drawing the first page are two tasks, not one long one.
    yield_to_browser().await;
    state.set(match result {
        Ok(manifest) => {
            mark("cqc:manifest-ready");
            LoadState::Ready(Store::new(manifest, BUNDLED.into(), true))
        }
        Err(message) => LoadState::Failed(message),
    });
}

async fn fetch_manifest() -> Result<Manifest, String> {
    let url = format!("/data/{}", layout::MANIFEST);
    // The one file without a hash in its name: always asked of the server (which may answer
    // "not modified"), so a new month's data is seen on the next visit.
    let response = gloo::net::http::Request::get(&url)
        .cache(web_sys::RequestCache::NoCache)
        .send()
        .await
        .map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !response.ok() {
        return Err(format!("could not fetch {url}: HTTP {}", response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))?;
    Manifest::from_json(&text).map_err(|e| e.to_string())
}

/// The same result as `snapshot::decode`, a chunk (a few thousand locations, well under 40 ms
/// at national scale) at a time, yielding to the browser before each chunk: decoding a national
/// snapshot in one go would block typing and painting for a quarter of a second.
pub async fn decode_in_chunks(bytes: &[u8]) -> Result<Snapshot, SnapshotError> {
    let reader = SnapshotReader::open(bytes)?;
    let mut locations = Vec::with_capacity(reader.location_count());
    for index in 0..reader.chunk_count() {
        yield_to_browser().await;
        locations.extend(reader.decode_chunk(index)?);
    }
    Ok(Snapshot {
        meta: reader.into_meta(),
        locations,
    })
}

fn failed_panel(message: String) -> AnyView {
    view! {
        <div class="error-panel" role="alert">
            <h2>"The data could not be loaded"</h2>
            <p>{message}</p>
            <p>"Reload the page, or load a CQC Latest ratings file on the Load newer data page."</p>
        </div>
    }
    .into_any()
}

/// Renders `content` with the data's manifest and parts (the `Store`), or the loading / error
/// state.
pub fn with_store<V: IntoView + 'static>(
    content: impl Fn(Store) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let state = use_context::<RwSignal<LoadState>>();
    move || match state.map(|s| s.get()) {
        Some(LoadState::Ready(store)) => content(store).into_any(),
        Some(LoadState::Failed(message)) => failed_panel(message),
        _ => view! { <p aria-live="polite">"Loading CQC data…"</p> }.into_any(),
    }
}

/// Renders `content` with every location's row (fetching them when first needed), or the
/// loading / error state.
pub fn with_data<V: IntoView + 'static>(
    content: impl Fn(AppData) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let content = Arc::new(content);
    with_store(move |store: Store| {
        let content = content.clone();
        move || {
            if let Some(data) = store.all.get() {
                return content(data).into_any();
            }
            if let Some(message) = store.failure() {
                return failed_panel(message);
            }
            store.request_all();
            let (done, total) = store.all_progress.get();
            view! {
                <p aria-live="polite" data-testid="rows-loading">
                    {format!("Loading every location's ratings for this page ({done} of {total} parts)…")}
                </p>
            }
            .into_any()
        }
    })
}
