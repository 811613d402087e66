//! `Scenario::from_query` on any text: never a panic, and a scenario link is stable: the query
//! `to_query` writes for the parsed scenario reads back as the same scenario with nothing
//! rejected, and writing it again gives the same text.
#![no_main]

use cqc_engine::whatif::scenario::Scenario;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Browsers hand the page a string; bytes that are not UTF-8 never reach the parser.
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let (scenario, _rejected) = Scenario::from_query(query);
    let link = scenario.to_query();
    let (back, rejected) = Scenario::from_query(&link);
    assert!(rejected.is_empty(), "{link:?} rejects {rejected:?}");
    assert_eq!(back, scenario, "the link {link:?} reads back differently");
    assert_eq!(back.to_query(), link, "to_query is stable");
    // The leading `?` a browser's location.search carries is accepted too.
    assert_eq!(Scenario::from_query(&format!("?{link}")).0, scenario);
});
