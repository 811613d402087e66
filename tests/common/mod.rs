//! Helpers the CLI test files share: where the project is, a scratch folder per test file,
//! running the built `cqc` binary, and reading a snapshot it wrote.
#![allow(dead_code)] // each test file uses its own subset

use cqc_engine::model::Snapshot;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// What a `cqc` run returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// A fresh path `name` in the scratch folder `folder` (created if missing; any old file removed).
pub fn scratch(folder: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(folder);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

/// Runs the built `cqc` with `args`, from the project folder.
pub fn cqc(args: &[&OsStr]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cqc"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("running cqc: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn decode(path: &Path) -> Snapshot {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    cqc_engine::snapshot::decode(&bytes).unwrap_or_else(|e| panic!("decode: {e}"))
}
