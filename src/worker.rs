//! The web worker that ingests a dropped CQC file off the page's thread (see
//! `app::ingest_job`). Trunk builds it with a loader shim next to the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The panic hook (the console, and the page told which file failed) is set by worker_main.
    cqc_explorer::app::ingest_job::worker_main();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the browser app's file-reading worker; it runs only in a browser.");
}
