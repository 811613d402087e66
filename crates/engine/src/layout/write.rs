//! Writing the layout into a directory (`cqc ingest -o public/data`): each file under its
//! hashed name, then the manifest, so a reader never sees a manifest naming a file that is not
//! there yet; then the files of an earlier layout that the new manifest no longer names are
//! removed.

use super::{hash_in_name, Layout, LayoutError, MANIFEST};
use std::path::Path;

/// What writing a layout did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Files of an earlier layout removed.
    pub removed: usize,
}

/// Whether `name` is a file this module writes (a hashed layout file), so only those are ever
/// removed from a directory that may hold other things.
fn is_layout_file(name: &str) -> bool {
    ["rows-", "loc-", "search-", "prefix-", "cards-", "status."]
        .iter()
        .any(|kind| name.starts_with(kind))
        && hash_in_name(name).is_some()
}

impl Layout {
    pub fn write_to(&self, dir: &Path) -> Result<Written, LayoutError> {
        let fail = |what: &Path, e: std::io::Error| LayoutError::File {
            file: what.display().to_string(),
            why: format!("cannot write it: {e}"),
        };
        std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
        let mut written = Written::default();
        for (name, bytes) in &self.files {
            let path = dir.join(name);
            // A hashed name already present holds these bytes (or is damaged: rewrite it).
            let same = std::fs::read(&path).is_ok_and(|present| present == *bytes);
            if !same {
                std::fs::write(&path, bytes).map_err(|e| fail(&path, e))?;
            }
            written.files += 1;
            written.bytes += bytes.len() as u64;
        }
        let manifest = self.manifest.to_json();
        let temporary = dir.join(format!("{MANIFEST}.partial"));
        std::fs::write(&temporary, &manifest).map_err(|e| fail(&temporary, e))?;
        let path = dir.join(MANIFEST);
        std::fs::rename(&temporary, &path).map_err(|e| fail(&path, e))?;
        written.bytes += manifest.len() as u64;
        let entries = std::fs::read_dir(dir).map_err(|e| fail(dir, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_layout_file(&name) && !self.files.contains_key(&name) {
                std::fs::remove_file(entry.path()).map_err(|e| fail(&entry.path(), e))?;
                written.removed += 1;
            }
        }
        Ok(written)
    }
}
