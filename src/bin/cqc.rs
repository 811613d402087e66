//! `cqc`: the native command-line tool (ingest, audit, synth, export); see `cqc_explorer::cli`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cqc_explorer::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
