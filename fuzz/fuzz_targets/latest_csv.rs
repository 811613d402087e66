//! `read_latest_ratings` with a `.csv` file name: any bytes give locations or a typed
//! `IngestError`, never a panic, and an accepted file's row accounting reconciles (every row
//! accepted or reported, one issue per reported row, one rating per accepted row).
#![no_main]

use cqc_engine::ingest::read_latest_ratings;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ingested) = read_latest_ratings("fuzz.csv", data) {
        cqc_explorer_fuzz::check_ingested(&ingested);
    }
});
