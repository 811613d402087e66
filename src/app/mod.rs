//! The browser app (Leptos, client-side only): search, location pages with the explanation and
//! what-if, provider pages, the national view and the methodology page. It reads the engine;
//! it never re-implements a rule.
//!
//! Layout: `shell` is the page frame (header, banner, footer) around `routes`, the route
//! table; each page is one module under `pages`; `data` loads the snapshot and builds the
//! search index and audit; `prefetch` asks for a location's data as its link is pressed;
//! `components` holds the badges every page shares.

mod components;
mod data;
mod data_cache;
pub mod ingest_job;
mod kept_data;
mod offline;
mod pages;
mod prefetch;
mod routes;
mod shell;
pub mod today;

pub use data::{AppData, LoadState};
pub use shell::App;

/// Puts a readable banner at the top of the page saying the explorer stopped, with `details`.
/// Called by the panic hook, so it touches only the DOM, never the app's state.
pub fn show_fatal_error(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if let Ok(banner) = document.create_element("div") {
        banner.set_class_name("panic-banner");
        let _ = banner.set_attribute("role", "alert");
        // Text, never HTML: the message may quote data.
        banner.set_text_content(Some(&format!(
            "Something went wrong in the explorer and it stopped. Please reload the page. Details: {details}"
        )));
        let _ = body.prepend_with_node_1(&banner);
    }
}
