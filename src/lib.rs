//! The CQC Ratings Explorer's browser app (wasm32 only): routes, pages, the data they load and
//! the worker that reads dropped files. Every rule lives in the engine crate (`cqc_engine`),
//! which the app only calls.

#[cfg(target_arch = "wasm32")]
pub mod app;
