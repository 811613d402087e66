//! `read_latest_ratings` with a `.ods` file name, seeded with real ODS, XLSX and XLS bytes so
//! the spreadsheet paths are what gets mutated (ODS: the streaming reader in
//! crates/engine/src/ingest/ods/, on its reading thread; XLSX: calamine): never a panic, and an accepted
//! file's row accounting reconciles as for CSV.
#![no_main]

use cqc_engine::ingest::read_latest_ratings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ingested) = read_latest_ratings("fuzz.ods", data) {
        cqc_explorer_fuzz::check_ingested(&ingested);
    }
});
