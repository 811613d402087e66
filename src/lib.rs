//! CQC Ratings Explorer: CQC's published rating rules as code and data, the ingest of CQC's open
//! data, and (on wasm32) the browser app and JavaScript API.
//!
//! The engine modules (`model`, `rules`, `explain`, `whatif`, `ingest`, `snapshot`, `audit`)
//! are pure Rust and know nothing of the browser.

pub mod audit;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod explain;
pub mod ingest;
pub mod model;
pub mod rules;
pub mod search;
pub mod snapshot;
pub mod whatif;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod js;
