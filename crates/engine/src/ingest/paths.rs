//! Natively, the files a list of paths names and how each is read, the same for every native
//! caller: folders are read for the files in them a reader takes (by name: `.csv`, `.ods`,
//! `.xlsx`, `.json`); pipes and devices are refused, since their size is unknown and reading
//! one may never end; a CSV is streamed from disk, so memory does not grow with its size; a
//! workbook or an API response is read whole, after its size is checked against what such a
//! file can be; and a reader that panics on a file fails that file with a message rather than
//! the process.

use super::any_file::{read_file, FileContent};
use super::api::read_api_response;
use super::history::{is_rating_history, read_rating_history};
use super::kind::{has_extension, FileKind};
use super::report::IngestError;
use super::screen::read_latest_ratings_csv_as_of;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

/// How much of a file is looked at to tell its kind.
const HEAD_BYTES: usize = 64 << 10;

/// The names in a folder that are read.
const READ_FROM_FOLDERS: [&str; 4] = ["csv", "ods", "xlsx", "json"];

/// Every file named, and the readable files inside each named folder (sorted), in order.
pub fn files_to_read(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, IngestError> {
    let mut files = Vec::new();
    for input in inputs {
        let display = input.display().to_string();
        let metadata = std::fs::metadata(input).map_err(|e| IngestError::CannotRead {
            file: display.clone(),
            detail: e.to_string(),
        })?;
        if !metadata.is_dir() {
            files.push(input.clone());
            continue;
        }
        let mut readable = Vec::new();
        let mut others = Vec::new();
        let entries = std::fs::read_dir(input).map_err(|e| IngestError::CannotRead {
            file: display.clone(),
            detail: e.to_string(),
        })?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if name.starts_with('.') || !is_file {
                continue;
            }
            if READ_FROM_FOLDERS.iter().any(|x| has_extension(&name, x)) {
                readable.push(path);
            } else {
                others.push(name);
            }
        }
        if readable.is_empty() {
            others.sort();
            let seen = match others.len() {
                0 => "it is empty".to_string(),
                n => format!(
                    "it holds {n} other file{}: {}",
                    if n == 1 { "" } else { "s" },
                    others
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(IngestError::NothingToRead {
                folder: display,
                detail: seen,
            });
        }
        readable.sort();
        files.extend(readable);
    }
    Ok(files)
}

/// Reads one file by its kind. A panic in a reader (a dependency's bug on a hostile file) is
/// caught here and fails this file alone, with its name.
pub fn read_path(
    name: &str,
    path: &Path,
    today: Option<crate::model::Date>,
) -> Result<FileContent, IngestError> {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_path_inner(name, path, today)
    }));
    read.unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        Err(IngestError::ReaderFailed {
            file: name.into(),
            detail,
        })
    })
}

fn read_path_inner(
    name: &str,
    path: &Path,
    today: Option<crate::model::Date>,
) -> Result<FileContent, IngestError> {
    let cannot_read = |e: std::io::Error| IngestError::CannotRead {
        file: name.into(),
        detail: e.to_string(),
    };
    let metadata = std::fs::metadata(path).map_err(cannot_read)?;
    if !metadata.is_file() {
        return Err(IngestError::NotAFile {
            file: name.into(),
            what: what_it_is(&metadata),
        });
    }
    let size = metadata.len();
    let mut file = File::open(path).map_err(cannot_read)?;
    let mut head = Vec::with_capacity(HEAD_BYTES);
    (&mut file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(cannot_read)?;
    let mut kind = FileKind::of(name, &head);
    if kind == FileKind::Empty && size > head.len() as u64 {
        kind = FileKind::Csv;
    }
    if let Some(refusal) = kind.refusal(name) {
        return Err(refusal);
    }
    let Some(limit) = kind.most_bytes_read_whole() else {
        if is_rating_history(&head) {
            let source = Cursor::new(head).chain(file);
            return Ok(FileContent::RatingHistory(read_rating_history(
                name, source,
            )));
        }
        let source = Cursor::new(head).chain(file);
        return read_latest_ratings_csv_as_of(name, source, today).map(FileContent::LatestRatings);
    };
    if size > limit {
        return Err(IngestError::TooLarge {
            file: name.into(),
            bytes: size,
            limit,
        });
    }
    let mut bytes = head;
    file.take(limit + 1 - bytes.len() as u64)
        .read_to_end(&mut bytes)
        .map_err(cannot_read)?;
    if bytes.len() as u64 > limit {
        return Err(IngestError::TooLarge {
            file: name.into(),
            bytes: bytes.len() as u64,
            limit,
        });
    }
    if kind == FileKind::ApiJson {
        return Ok(read_api_response(name, &bytes));
    }
    read_file(name, &bytes, today)
}

#[cfg(unix)]
fn what_it_is(metadata: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = metadata.file_type();
    if metadata.is_dir() {
        "a folder, named where a file was expected"
    } else if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn what_it_is(metadata: &std::fs::Metadata) -> &'static str {
    if metadata.is_dir() {
        "a folder, named where a file was expected"
    } else {
        "not a regular file"
    }
}
