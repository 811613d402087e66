//! What the fetch commands remember between runs, as small JSON files written atomically: the
//! manifest of the Latest ratings file in hand (URL, date, size, SHA-256), the API cache's last
//! completed sync, and the plan of a sync under way with its journal of finished ids, which is
//! what lets a killed sync carry on where it stopped.

use super::cache;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

/// The Latest ratings file a `cqc fetch latest` put in place.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LatestManifest {
    /// Where it was downloaded from.
    pub url: String,
    /// CQC's own file name, which carries the publication date.
    pub file_name: String,
    /// That date, as YYYY-MM-DD.
    pub date: String,
    pub size: u64,
    pub sha256: String,
    /// When it was downloaded (UTC, RFC 3339).
    pub fetched_at: String,
}

/// Whether a sync read the whole list of locations or only the changes feed.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SyncKind {
    Full,
    Incremental,
}

/// What one sync did, as its summary says it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SyncFigures {
    pub locations_planned: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    /// Locations or providers the API answered 404 for that were not in the cache either.
    pub not_found: u64,
    pub providers: u64,
    pub requests: u64,
    pub retries: u64,
    pub bytes: u64,
    pub seconds: f64,
}

/// The API cache's record of its last completed sync.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ApiState {
    pub kind: SyncKind,
    /// The changes window covered, start inclusive and end exclusive (UTC timestamps); a full
    /// sync has no start. The next incremental sync starts at `window_end`.
    pub window_start: Option<String>,
    pub window_end: String,
    pub finished_at: String,
    pub figures: SyncFigures,
}

/// A sync under way: written before the first location is fetched, removed when the sync's
/// state is recorded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SyncPlan {
    pub kind: SyncKind,
    pub window_start: Option<String>,
    pub window_end: String,
    pub location_ids: Vec<String>,
    /// Cached locations the full list no longer has (removed once the sync completes).
    pub stale_ids: Vec<String>,
}

/// Reads a JSON file written by this module; `Ok(None)` when there is none.
pub fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Option<T>, String> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
            format!(
                "{}: not a state file this version can read: {e}; remove it to start afresh",
                path.display()
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

pub fn write<T: Serialize>(path: &Path, value: &T) -> Result<(), String> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|e| format!("cannot encode {}: {e}", path.display()))?;
    bytes.push(b'\n');
    cache::write_atomically(path, &bytes)
}

/// The ids a sync has finished, one line each, appended as it goes. A line cut short by a
/// kill has no newline and is not counted, so that id is simply fetched again.
pub struct Journal {
    file: std::fs::File,
    path: String,
}

impl Journal {
    /// Opens (or creates) the journal and reads the ids already finished.
    pub fn open(path: &Path) -> Result<(Self, HashSet<String>), String> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let complete = text.rfind('\n').map_or(0, |at| at + 1);
        let done = text[..complete].lines().map(str::to_string).collect();
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        // Drop a line cut short, or the next entry would be glued to it.
        file.set_len(complete as u64)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        Ok((
            Journal {
                file,
                path: path.display().to_string(),
            },
            done,
        ))
    }

    /// Records `entry` as finished (after its file is in place).
    pub fn finished(&mut self, entry: &str) -> Result<(), String> {
        writeln!(self.file, "{entry}").map_err(|e| format!("cannot write {}: {e}", self.path))
    }
}
