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

/// The whole data set from a manifest and a way to get each file's bytes by name: every
/// location whole, in the layout's order, checked against the rows files (the same locations,
/// in that order) so a bucket that lost or gained a location is an error.
pub fn assemble(
    manifest: &Manifest,
    mut get: impl FnMut(&str) -> Result<Vec<u8>, LayoutError>,
) -> Result<Snapshot, LayoutError> {
    let mut order: HashMap<String, usize> = HashMap::with_capacity(manifest.location_count);
    for name in &manifest.rows {
        for row in decode_locations(name, &get(name)?)? {
            let number = order.len();
            if order.insert(row.id.clone(), number).is_some() {
                return Err(LayoutError::file(
                    name,
                    format!("location {} is listed twice", row.id),
                ));
            }
        }
    }
    if order.len() != manifest.location_count {
        return Err(LayoutError::Manifest(format!(
            "the rows files hold {} locations; the manifest says {}",
            order.len(),
            manifest.location_count
        )));
    }
    let mut locations: Vec<Option<Location>> = vec![None; order.len()];
    for (bucket, name) in manifest.buckets.iter().enumerate() {
        for location in decode_locations(name, &get(name)?)? {
            if super::bucket_of(&location.id, manifest.buckets.len()) != bucket {
                return Err(LayoutError::file(
                    name,
                    format!("location {} belongs in another bucket", location.id),
                ));
            }
            let slot = order
                .get(&location.id)
                .and_then(|&n| locations.get_mut(n))
                .ok_or_else(|| {
                    LayoutError::file(name, format!("location {} has no row", location.id))
                })?;
            if slot.replace(location).is_some() {
                return Err(LayoutError::file(name, "a location is in its bucket twice"));
            }
        }
    }
    let locations: Vec<Location> = locations.into_iter().flatten().collect();
    if locations.len() != manifest.location_count {
        return Err(LayoutError::Manifest(format!(
            "the buckets hold {} of the {} locations",
            locations.len(),
            manifest.location_count
        )));
    }
    Ok(Snapshot {
        meta: manifest.meta.clone(),
        locations,
    })
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
