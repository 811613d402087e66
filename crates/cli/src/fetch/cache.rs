//! Files that are either wholly there or not there at all: every file the fetch commands keep
//! is written to a temporary file in the same folder, flushed to disk and renamed over the old
//! one, so a run killed at any moment leaves the previous version or the new one, never half
//! of either.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The prefix of the temporary files, so a later run can sweep up a killed run's leftovers.
const TEMPORARY_PREFIX: &str = ".tmp-";

/// Writes `bytes` to `path` atomically (creating its folder).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let folder = folder_of(path);
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let temporary = temporary_beside(path);
    let written = File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temporary);
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    sync_folder(&folder);
    Ok(())
}

/// Moves a finished file (already synced) into place atomically.
pub fn replace_with(path: &Path, finished: &Path) -> Result<(), String> {
    std::fs::rename(finished, path).map_err(|e| {
        format!(
            "cannot move {} to {}: {e}",
            finished.display(),
            path.display()
        )
    })?;
    sync_folder(&folder_of(path));
    Ok(())
}

/// Removes `path` if it is there.
pub fn remove(path: &Path) -> Result<(), String> {
    match std::fs::remove_file(path) {
        Ok(()) => {
            sync_folder(&folder_of(path));
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", path.display())),
    }
}

/// Deletes the temporary files a killed run left in `folder`; returns how many.
pub fn sweep_temporaries(folder: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(TEMPORARY_PREFIX)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Not ending in .json, so `cqc ingest` of the folder never reads a half-written file.
    folder_of(path).join(format!(
        "{TEMPORARY_PREFIX}{}-{name}.partial",
        std::process::id()
    ))
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Makes a rename durable: without it a power cut can lose the new name. Best effort, since
/// some file systems cannot open a folder for syncing, and the rename itself has happened.
fn sync_folder(folder: &Path) {
    if let Ok(handle) = File::open(folder) {
        let _ = handle.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_leaves_only_the_new_file() {
        let folder = std::env::temp_dir().join(format!("cqc-cache-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&folder);
        let path = folder.join("state.json");
        write_atomically(&path, b"old").unwrap_or_else(|e| panic!("{e}"));
        write_atomically(&path, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            std::fs::read(&path).ok().as_deref(),
            Some(b"new".as_slice())
        );
        let names: Vec<_> = std::fs::read_dir(&folder)
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert_eq!(names, vec![std::ffi::OsString::from("state.json")]);
        std::fs::write(folder.join(".tmp-1-x.json"), b"half").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sweep_temporaries(&folder), 1);
        let _ = std::fs::remove_dir_all(&folder);
    }
}
