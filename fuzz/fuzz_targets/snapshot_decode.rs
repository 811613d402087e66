//! `snapshot::decode` on any bytes: a snapshot or a typed `SnapshotError`, never a panic, and
//! whatever decodes survives a round trip (encode, then decode, gives the same snapshot), so a
//! snapshot the site accepts is one `cqc ingest` could have written.
#![no_main]

use cqc_explorer::snapshot::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(snapshot) = decode(data) {
        let again = decode(&encode(&snapshot)).expect("a re-encoded snapshot decodes");
        assert_eq!(again, snapshot, "decode(encode(s)) == s");
    }
});
