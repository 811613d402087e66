//! The web worker that ingests a dropped CQC file off the page's thread (see
//! `app::ingest_job`). Trunk builds it with a loader shim next to the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    cqc_explorer::app::ingest_job::worker_main();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("This is the browser app's file-reading worker; it runs only in a browser.");
}
