//! The CQC Ratings Explorer's engine: CQC's published rating rules as code and data, and the
//! readers of CQC's open data. Pure Rust that knows nothing of the browser; the app, the
//! command-line tool and the JavaScript API are thin callers of it.
//!
//! - [`model`]: ratings, key questions, quality statements, dated evidence, locations.
//! - [`rules`]: the rule catalogue, parameters, rule sets per methodology and the engine.
//! - [`explain`]: a result's trace, evidence age and plain-English narrative.
//! - [`whatif`]: edits, the minimal-change solver, single slips, scenarios as URL text.
//! - [`audit`]: published ratings against the rules' results; the national summary.
//! - [`ingest`], [`snapshot`]: the readers of CQC's files; the data the site loads.
//! - [`search`]: the typo-tolerant search index and the filters.
//! - [`story`]: each rating's timeline, the re-inspection clock, the diff of two data sets.
//! - [`council`]: councils' Care Act assessments: the published table, recomputed.
//! - [`trust`]: a provider's spread of ratings; what a single trust rating would give and hide.
//! - [`compare`]: the compare page's limit, its ids and which cells differ.
//! - [`contact`]: safe links from a location's phone number and website.
//! - [`near`]: distances, where a typed postcode or town is, and the nearest services.
//! - [`order`]: the stable sort the browser's code shares, compiled once.

pub mod audit;
pub mod compare;
pub mod contact;
pub mod council;
pub mod explain;
pub mod ingest;
pub mod layout;
pub mod model;
pub mod near;
pub mod order;
pub mod rules;
pub mod search;
pub mod snapshot;
pub mod story;
pub mod trust;
pub mod whatif;
