//! `cqc fetch api`: mirrors CQC's public API into a local cache, one JSON file a location and
//! a provider. The first sync lists every location (`/locations`); later ones ask the changes
//! feed (`/changes/location`) what changed since the last one ended. Registered managers'
//! names (`contacts`, wherever they appear) are removed before anything is written.
//!
//! A sync is planned first (the ids to fetch, saved), then carried out with a journal of the
//! ids finished, so a sync killed at any point resumes without fetching again what it had.

use super::cache;
use super::http::{Client, Expect, HttpSettings};
use super::state::{self, ApiState, Journal, SyncFigures, SyncKind, SyncPlan};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

pub const API_BASE: &str = "https://api.service.cqc.org.uk/public/v1";
/// The environment variable that holds the API subscription key.
pub const KEY_VARIABLE: &str = "CQC_API_KEY";
const KEY_HEADER: &str = "Ocp-Apim-Subscription-Key";

/// One response is a location or a page of ids; 32 MB is far beyond any real one.
const RESPONSE_LIMIT: u64 = 32 << 20;
/// A bound on pages, so a server that always says "one more page" cannot loop us forever.
const MAX_PAGES: u32 = 100_000;
/// How many changed ids the summary lists by name of id.
const LISTED_CHANGES: usize = 20;

const TIMESTAMP_FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";

/// Where the API is and how a sync is run.
#[derive(clap::Args, Clone, Debug)]
pub struct ApiOptions {
    /// CQC's API (the key is read from the environment variable CQC_API_KEY).
    #[arg(long, env = "CQC_API_BASE", default_value = API_BASE)]
    pub api_base: String,
    /// Locations asked for in each page of the list and of the changes feed.
    #[arg(long, default_value_t = 1000)]
    pub per_page: u32,
    /// The end of the changes window, a UTC timestamp such as 2026-11-30T00:00:00Z (default:
    /// now). The next incremental sync starts there.
    #[arg(long)]
    pub until: Option<String>,
    /// List every location again instead of asking the changes feed.
    #[arg(long)]
    pub full: bool,
}

/// What a sync did, for its summary.
pub struct SyncSummary {
    pub state: ApiState,
    pub resumed: bool,
    /// Ids fetched anew, updated or removed, the first few of each.
    pub changed: Vec<(String, &'static str)>,
}

/// The cache's files.
struct Layout {
    root: PathBuf,
}

impl Layout {
    fn locations(&self) -> PathBuf {
        self.root.join("locations")
    }
    fn providers(&self) -> PathBuf {
        self.root.join("providers")
    }
    fn location(&self, id: &str) -> PathBuf {
        self.locations().join(format!("{id}.json"))
    }
    fn provider(&self, id: &str) -> PathBuf {
        self.providers().join(format!("{id}.json"))
    }
    fn state(&self) -> PathBuf {
        self.root.join("state.json")
    }
    fn plan(&self) -> PathBuf {
        self.root.join("sync_plan.json")
    }
    fn journal(&self) -> PathBuf {
        self.root.join("sync_journal.txt")
    }
}

/// The folder of location files `cqc ingest` reads from a cache.
pub fn locations_folder(cache: &Path) -> PathBuf {
    Layout {
        root: cache.to_path_buf(),
    }
    .locations()
}

/// Reads the key from the environment.
pub fn key_from_environment() -> Result<String, String> {
    match std::env::var(KEY_VARIABLE) {
        Ok(key) if !key.trim().is_empty() => Ok(key.trim().to_string()),
        _ => Err(format!(
            "set {KEY_VARIABLE} to your CQC API subscription key (free registration on CQC's API portal); it is sent as the {KEY_HEADER} header"
        )),
    }
}

/// Brings the cache at `root` up to date: resumes a sync under way, or plans a full or an
/// incremental one.
pub fn sync(
    options: &ApiOptions,
    root: &Path,
    settings: &HttpSettings,
) -> Result<SyncSummary, String> {
    let key = key_from_environment()?;
    let client = Client::new(settings)?.with_header(KEY_HEADER, &key);
    let layout = Layout {
        root: root.to_path_buf(),
    };
    for folder in [layout.root.clone(), layout.locations(), layout.providers()] {
        std::fs::create_dir_all(&folder)
            .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
        cache::sweep_temporaries(&folder);
    }
    let started = Instant::now();
    let base = options.api_base.trim_end_matches('/');
    let (plan, resumed) = match state::read::<SyncPlan>(&layout.plan())? {
        Some(plan) => (plan, true),
        None => {
            let plan = make_plan(&client, base, options, &layout)?;
            cache::remove(&layout.journal())?;
            state::write(&layout.plan(), &plan)?;
            (plan, false)
        }
    };
    if resumed {
        eprintln!(
            "resuming the {} sync planned earlier ({} locations)",
            kind_name(plan.kind),
            plan.location_ids.len()
        );
    }
    let (mut journal, done_lines) = Journal::open(&layout.journal())?;
    let mut done: HashMap<String, String> = HashMap::new();
    for line in done_lines {
        if let Some((entry, outcome)) = line.rsplit_once(' ') {
            done.insert(entry.to_string(), outcome.to_string());
        }
    }
    let mut figures = SyncFigures {
        locations_planned: plan.location_ids.len() as u64,
        ..SyncFigures::default()
    };
    let mut changed = Vec::new();
    let progress = bar(plan.location_ids.len() as u64, "locations");
    for id in &plan.location_ids {
        let entry = format!("L {id}");
        let outcome = match done.get(&entry) {
            Some(outcome) => outcome.clone(),
            None => {
                let url = format!("{base}/locations/{id}");
                let outcome = store(&client, &url, &layout.location(id), "locationId", id)?;
                journal.finished(&format!("{entry} {outcome}"))?;
                outcome.to_string()
            }
        };
        tally(plan.kind, &mut figures, &mut changed, id, &outcome);
        progress.inc(1);
    }
    progress.finish_and_clear();
    let providers = providers_of(&layout, &plan.location_ids);
    let progress = bar(providers.len() as u64, "providers");
    for id in &providers {
        let entry = format!("P {id}");
        let outcome = match done.get(&entry) {
            Some(outcome) => outcome.clone(),
            None => {
                let url = format!("{base}/providers/{id}");
                let outcome = store(&client, &url, &layout.provider(id), "providerId", id)?;
                journal.finished(&format!("{entry} {outcome}"))?;
                outcome.to_string()
            }
        };
        if outcome == "not-found" {
            figures.not_found += 1;
        } else {
            figures.providers += 1;
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    for id in &plan.stale_ids {
        cache::remove(&layout.location(id))?;
        tally(plan.kind, &mut figures, &mut changed, id, "removed");
    }
    let stats = client.stats();
    figures.requests = stats.requests;
    figures.retries = stats.retries;
    figures.bytes = stats.bytes;
    figures.seconds = (started.elapsed().as_secs_f64() * 100.0).round() / 100.0;
    let record = ApiState {
        kind: plan.kind,
        window_start: plan.window_start.clone(),
        window_end: plan.window_end.clone(),
        finished_at: chrono::Utc::now().format(TIMESTAMP_FORMAT).to_string(),
        figures,
    };
    state::write(&layout.state(), &record)?;
    cache::remove(&layout.plan())?;
    cache::remove(&layout.journal())?;
    Ok(SyncSummary {
        state: record,
        resumed,
        changed,
    })
}

fn kind_name(kind: SyncKind) -> &'static str {
    match kind {
        SyncKind::Full => "full",
        SyncKind::Incremental => "incremental",
    }
}

fn bar(length: u64, what: &str) -> indicatif::ProgressBar {
    let progress = indicatif::ProgressBar::new(length);
    progress.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:30}} {{pos}}/{{len}} {what} {{eta}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    progress
}

/// Counts one outcome; an incremental sync also names the first few ids that changed (a full
/// sync's are all "new", and naming them says nothing).
fn tally(
    kind: SyncKind,
    figures: &mut SyncFigures,
    changed: &mut Vec<(String, &'static str)>,
    id: &str,
    outcome: &str,
) {
    let label = match outcome {
        "new" => {
            figures.new += 1;
            "new"
        }
        "updated" => {
            figures.updated += 1;
            "updated"
        }
        "removed" => {
            figures.removed += 1;
            "removed"
        }
        "not-found" => {
            figures.not_found += 1;
            "not found"
        }
        _ => {
            figures.unchanged += 1;
            return;
        }
    };
    if kind == SyncKind::Incremental && changed.len() < LISTED_CHANGES {
        changed.push((id.to_string(), label));
    }
}

/// Decides what this sync fetches.
fn make_plan(
    client: &Client,
    base: &str,
    options: &ApiOptions,
    layout: &Layout,
) -> Result<SyncPlan, String> {
    let window_end = match &options.until {
        Some(until) => timestamp(until)?,
        None => chrono::Utc::now().format(TIMESTAMP_FORMAT).to_string(),
    };
    let last = if options.full {
        None
    } else {
        state::read::<ApiState>(&layout.state())?
    };
    let per_page = options.per_page.max(1);
    match last {
        None => {
            let listed = pages(
                client,
                &format!("{base}/locations?perPage={per_page}"),
                |page| ids_in(page, "locations", |item| item.get("locationId")),
            )?;
            let listed_set: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
            let stale_ids = cached_ids(&layout.locations())
                .into_iter()
                .filter(|id| !listed_set.contains(id.as_str()))
                .collect();
            Ok(SyncPlan {
                kind: SyncKind::Full,
                window_start: None,
                window_end,
                location_ids: listed,
                stale_ids,
            })
        }
        Some(last) => {
            let window_start = last.window_end;
            if window_end <= window_start {
                return Err(format!(
                    "the changes window would end ({window_end}) before it starts ({window_start}, where the last sync ended); give a later --until"
                ));
            }
            let changed = pages(
                client,
                &format!("{base}/changes/location?startTimestamp={window_start}&endTimestamp={window_end}&perPage={per_page}"),
                |page| ids_in(page, "changes", |item| Some(item)),
            )?;
            Ok(SyncPlan {
                kind: SyncKind::Incremental,
                window_start: Some(window_start),
                window_end,
                location_ids: changed,
                stale_ids: Vec::new(),
            })
        }
    }
}

/// A timestamp given on the command line, checked and written as the API expects.
fn timestamp(text: &str) -> Result<String, String> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .format(TIMESTAMP_FORMAT)
                .to_string()
        })
        .map_err(|e| format!("--until {text}: not a timestamp such as 2026-11-30T00:00:00Z ({e})"))
}

/// Every page of a paged listing at `first` (page 1, 2, … up to its totalPages), each page's
/// ids taken out by `ids`, in order and without repeats.
fn pages(
    client: &Client,
    first: &str,
    ids: impl Fn(&Value) -> Result<Vec<String>, String>,
) -> Result<Vec<String>, String> {
    let mut all = Vec::new();
    let mut seen = BTreeSet::new();
    let mut page = 1u32;
    loop {
        let url = format!("{first}&page={page}");
        let body = client
            .get(&url, Expect::Json, RESPONSE_LIMIT)?
            .ok_or_else(|| format!("{url}: not found (404); is --api-base CQC's API?"))?;
        let json: Value =
            serde_json::from_slice(&body).map_err(|e| format!("{url}: not JSON: {e}"))?;
        let found = ids(&json).map_err(|e| format!("{url}: {e}"))?;
        let empty = found.is_empty();
        for id in found {
            if seen.insert(id.clone()) {
                all.push(id);
            }
        }
        let more = match json.get("totalPages").and_then(Value::as_u64) {
            Some(total) => u64::from(page) < total,
            None => json.get("nextPageUri").is_some_and(|n| !n.is_null()),
        };
        if !more || empty {
            return Ok(all);
        }
        page += 1;
        if page > MAX_PAGES {
            return Err(format!("{first}: more than {MAX_PAGES} pages; stopping"));
        }
    }
}

/// The ids in `page[field]`, each taken from an item by `id_of`, checked to be safe file names.
fn ids_in(
    page: &Value,
    field: &str,
    id_of: impl Fn(&Value) -> Option<&Value>,
) -> Result<Vec<String>, String> {
    let items = page
        .get(field)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("expected a \"{field}\" list in the response"))?;
    items
        .iter()
        .map(|item| {
            let id = id_of(item)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("an item of \"{field}\" has no id: {item}"))?;
            checked_id(id)
        })
        .collect()
}

/// CQC ids are like 1-10000302982; anything else could name a file outside the cache.
fn checked_id(id: &str) -> Result<String, String> {
    let plausible = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !id.starts_with('-');
    if plausible {
        Ok(id.to_string())
    } else {
        Err(format!(
            "\"{id}\" is not a CQC id (letters, digits and hyphens)"
        ))
    }
}

/// The ids of the JSON files in `folder`.
fn cached_ids(folder: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.strip_suffix(".json").map(str::to_string)
                })
                .filter(|id| checked_id(id).is_ok())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// The providers of the cached locations among `ids`, each once.
fn providers_of(layout: &Layout, ids: &[String]) -> Vec<String> {
    let mut providers = BTreeSet::new();
    for id in ids {
        let Ok(bytes) = std::fs::read(layout.location(id)) else {
            continue;
        };
        let provider = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|json| {
                json.get("providerId")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            });
        if let Some(provider) = provider.and_then(|p| checked_id(&p).ok()) {
            providers.insert(provider);
        }
    }
    providers.into_iter().collect()
}

/// Fetches one location or provider and writes it, without contacts, to `path`; says whether
/// it was new, updated, unchanged, or removed (404: no longer published).
fn store(
    client: &Client,
    url: &str,
    path: &Path,
    id_field: &str,
    id: &str,
) -> Result<&'static str, String> {
    let Some(body) = client.get(url, Expect::Json, RESPONSE_LIMIT)? else {
        let existed = path.exists();
        cache::remove(path)?;
        return Ok(if existed { "removed" } else { "not-found" });
    };
    let mut json: Value =
        serde_json::from_slice(&body).map_err(|e| format!("{url}: not JSON: {e}"))?;
    match json.get(id_field).and_then(Value::as_str) {
        Some(answered) if answered == id => {}
        other => {
            return Err(format!(
                "{url}: expected a response with \"{id_field}\": \"{id}\", got {}",
                other
                    .map(|o| format!("\"{o}\""))
                    .unwrap_or_else(|| "none".into())
            ))
        }
    }
    strip_contacts(&mut json);
    let bytes = serde_json::to_vec(&json).map_err(|e| format!("{url}: cannot encode: {e}"))?;
    let outcome = match std::fs::read(path) {
        Ok(old) if old == bytes => return Ok("unchanged"),
        Ok(_) => "updated",
        Err(_) => "new",
    };
    cache::write_atomically(path, &bytes)?;
    Ok(outcome)
}

/// Removes every `contacts` field, at any depth: they name registered managers, and the
/// project never stores a person's name.
pub fn strip_contacts(value: &mut Value) -> usize {
    match value {
        Value::Object(fields) => {
            let mut removed = usize::from(fields.remove("contacts").is_some());
            for field in fields.values_mut() {
                removed += strip_contacts(field);
            }
            removed
        }
        Value::Array(items) => items.iter_mut().map(strip_contacts).sum(),
        _ => 0,
    }
}

/// The lines a sync ends with.
pub fn describe(summary: &SyncSummary, root: &Path) -> Vec<String> {
    let s = &summary.state;
    let f = &s.figures;
    let mut lines = vec![
        format!(
            "{} sync of CQC's API into {}{}: {} locations ({} new, {} updated, {} unchanged, {} removed), {} providers, {} not found",
            kind_name(s.kind),
            root.display(),
            if summary.resumed { " (resumed)" } else { "" },
            f.locations_planned,
            f.new,
            f.updated,
            f.unchanged,
            f.removed,
            f.providers,
            f.not_found
        ),
        format!(
            "  {} requests, {} retries, {} bytes, {:.2} s; changes window {} to {}",
            f.requests,
            f.retries,
            f.bytes,
            f.seconds,
            s.window_start.as_deref().unwrap_or("(full list)"),
            s.window_end
        ),
    ];
    for (id, what) in &summary.changed {
        lines.push(format!("  {what}: {id}"));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contacts_are_removed_at_any_depth() {
        let mut json: Value = serde_json::from_str(
            r#"{"contacts":[1],"regulatedActivities":[{"name":"x","contacts":[{"personFamilyName":"Example"}]}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(strip_contacts(&mut json), 2);
        assert!(!json.to_string().contains("contacts"));
        assert!(json.to_string().contains("regulatedActivities"));
    }

    #[test]
    fn ids_that_could_leave_the_cache_are_refused() {
        assert!(checked_id("1-10000302982").is_ok());
        assert!(checked_id("../../etc/passwd").is_err());
        assert!(checked_id("").is_err());
        assert!(checked_id("-rf").is_err());
    }
}
