//! `snapshot::decode` and the chunk-at-a-time `SnapshotReader` on any bytes: a snapshot or a
//! typed `SnapshotError`, never a panic; whatever decodes survives a round trip (encode, then
//! decode, gives the same snapshot), so a snapshot the site accepts is one `cqc ingest` could
//! have written; and the chunks the app decodes one by one add up to exactly the one-shot decode.
#![no_main]

use cqc_engine::snapshot::{decode, encode, SnapshotReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let whole = decode(data);
    if let Ok(snapshot) = &whole {
        let again = decode(&encode(snapshot)).expect("a re-encoded snapshot decodes");
        assert_eq!(&again, snapshot, "decode(encode(s)) == s");
    }
    match SnapshotReader::open(data) {
        Ok(reader) => {
            let mut locations = Vec::new();
            let mut failed = false;
            // Every chunk is tried, even after a bad one: each must stand alone.
            for index in 0..reader.chunk_count() {
                match reader.decode_chunk(index) {
                    Ok(chunk) => locations.extend(chunk),
                    Err(_) => failed = true,
                }
            }
            match &whole {
                Ok(snapshot) => {
                    assert!(!failed, "decode succeeded but a chunk failed");
                    assert_eq!(reader.meta(), &snapshot.meta);
                    assert_eq!(locations, snapshot.locations, "chunks == one-shot decode");
                }
                Err(_) => assert!(failed, "decode failed but every chunk decoded"),
            }
        }
        Err(error) => assert_eq!(whole.err(), Some(error), "open and decode fail alike"),
    }
});
