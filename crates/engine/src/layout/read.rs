//! Reading the layout back: one file checked against the hash in its name and decoded, or the
//! whole data set put together again (the CLI's commands read a layout directory this way).

use super::{content_hash, hash_in_name, Manifest, MANIFEST};
use crate::model::{Location, Snapshot};
use crate::snapshot::{self, SnapshotError};
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("{MANIFEST}: {0}")]
    Manifest(String),
    #[error("{file}: {why}")]
    File { file: String, why: String },
}

impl LayoutError {
    fn file(file: &str, why: impl Into<String>) -> LayoutError {
        LayoutError::File {
            file: file.to_string(),
            why: why.into(),
        }
    }
}

/// Checks `bytes` against the hash in `name`: a file changed after it was named (a partial
/// download, a cache serving an old copy under a new name) is an error, never other data.
pub fn check_hash(name: &str, bytes: &[u8]) -> Result<(), LayoutError> {
    let expected = hash_in_name(name)
        .ok_or_else(|| LayoutError::file(name, "the name carries no content hash"))?;
    let found = content_hash(bytes);
    if found != expected {
        return Err(LayoutError::file(
            name,
            format!("the file's content hash is {found}, not the {expected} its name gives: it changed after it was written (fetch or rebuild it)"),
        ));
    }
    Ok(())
}

/// The locations of a `rows` or `loc` file, checked against its name's hash.
pub fn decode_locations(name: &str, bytes: &[u8]) -> Result<Vec<Location>, LayoutError> {
    check_hash(name, bytes)?;
    snapshot::decode(bytes)
        .map(|s| s.locations)
        .map_err(|e: SnapshotError| LayoutError::file(name, e.to_string()))
}

/// Puts a layout's locations back together in its order, a file at a time: the rows files
/// give the order (each id once), then each bucket's locations go to their places (each in the
/// bucket its id names, each once). `assemble` feeds it every file at once; the page feeds it a
/// file at a time, yielding in between.
pub struct WholeBuilder {
    location_count: usize,
    buckets: usize,
    place: HashMap<String, usize>,
    /// Every location in its place, filled bucket by bucket (a placeholder until then, so
    /// that finishing moves nothing: a national data set of `Option`s took 60 ms to unwrap).
    locations: Vec<Location>,
    filled: Vec<bool>,
}

impl WholeBuilder {
    pub fn new(manifest: &Manifest) -> WholeBuilder {
        WholeBuilder {
            location_count: manifest.location_count,
            buckets: manifest.buckets.len(),
            place: HashMap::with_capacity(manifest.location_count),
            locations: Vec::new(),
            filled: Vec::new(),
        }
    }

    /// The next rows file's locations, in order.
    pub fn add_rows(&mut self, name: &str, rows: &[Location]) -> Result<(), LayoutError> {
        for row in rows {
            let number = self.place.len();
            if self.place.insert(row.id.clone(), number).is_some() {
                return Err(LayoutError::file(
                    name,
                    format!("location {} is listed twice", row.id),
                ));
            }
        }
        Ok(())
    }

    /// Bucket `bucket`'s locations (every rows file added first).
    pub fn add_bucket(
        &mut self,
        bucket: usize,
        name: &str,
        locations: Vec<Location>,
    ) -> Result<(), LayoutError> {
        if self.locations.is_empty() {
            if self.place.len() != self.location_count {
                return Err(LayoutError::Manifest(format!(
                    "the rows files hold {} locations; the manifest says {}",
                    self.place.len(),
                    self.location_count
                )));
            }
            self.locations = vec![Location::default(); self.location_count];
            self.filled = vec![false; self.location_count];
        }
        for location in locations {
            if super::bucket_of(&location.id, self.buckets) != bucket {
                return Err(LayoutError::file(
                    name,
                    format!("location {} belongs in another bucket", location.id),
                ));
            }
            let number = self
                .place
                .get(&location.id)
                .copied()
                .filter(|&n| n < self.locations.len())
                .ok_or_else(|| {
                    LayoutError::file(name, format!("location {} has no row", location.id))
                })?;
            if std::mem::replace(&mut self.filled[number], true) {
                return Err(LayoutError::file(name, "a location is in its bucket twice"));
            }
            self.locations[number] = location;
        }
        Ok(())
    }

    /// The whole data set, once every location has arrived.
    pub fn finish(self, manifest: &Manifest) -> Result<Snapshot, LayoutError> {
        let arrived = self.filled.iter().filter(|&&f| f).count();
        if arrived != manifest.location_count || self.locations.len() != arrived {
            return Err(LayoutError::Manifest(format!(
                "the buckets hold {arrived} of the {} locations",
                manifest.location_count
            )));
        }
        Ok(Snapshot {
            meta: manifest.meta.clone(),
            locations: self.locations,
        })
    }
}

/// The whole data set from a manifest and a way to get each file's bytes by name: every
/// location whole, in the layout's order, checked against the rows files (the same locations,
/// in that order) so a bucket that lost or gained a location is an error.
pub fn assemble(
    manifest: &Manifest,
    mut get: impl FnMut(&str) -> Result<Vec<u8>, LayoutError>,
) -> Result<Snapshot, LayoutError> {
    let mut whole = WholeBuilder::new(manifest);
    for name in &manifest.rows {
        whole.add_rows(name, &decode_locations(name, &get(name)?)?)?;
    }
    for (bucket, name) in manifest.buckets.iter().enumerate() {
        whole.add_bucket(bucket, name, decode_locations(name, &get(name)?)?)?;
    }
    whole.finish(manifest)
}

/// The manifest of the layout in `dir`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, LayoutError> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| LayoutError::Manifest(format!("cannot read {}: {e}", path.display())))?;
    Manifest::from_json(&text)
}

/// The whole data set in the layout directory `dir`.
pub fn read_layout(dir: &Path) -> Result<Snapshot, LayoutError> {
    let manifest = read_manifest(dir)?;
    assemble(&manifest, |name| {
        std::fs::read(dir.join(name))
            .map_err(|e| LayoutError::file(name, format!("cannot read it: {e}")))
    })
}
