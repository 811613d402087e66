//! Today's date from the browser's clock: ages and the re-inspection clock are measured to it
//! (the data's own date is shown beside them), and ingest refuses ratings published after it.

use cqc_engine::model::Date;

/// Today, or `None` if the browser's clock reads before 1970.
pub fn today() -> Option<Date> {
    let seconds = js_sys::Date::now() / 1000.0;
    (seconds >= 0.0)
        .then_some(seconds as u64)
        .and_then(cqc_engine::ingest::validate::date_from_unix_seconds)
}
