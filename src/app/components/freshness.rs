//! How fresh the data is against today: the line that goes beside a prominent age ("as of 1 Dec
//! 2026 · data of 22 Sep 2025"), and the plain warning shown when today is so long after the
//! data's date that the data cannot vouch for a rating still being CQC's current one.

use crate::app::today::today;
use cqc_engine::model::{format_date, Date};
use leptos::prelude::*;

/// Past this many days between the data's date and today the pages say the data cannot vouch
/// for a rating still being current. CQC republishes its Latest ratings file every month, so
/// data this old has missed three releases and any inspection published in them.
pub const STALE_AFTER_DAYS: i64 = 90;

/// "as of 1 Dec 2026 · data of 22 Sep 2025": the day an age is measured to, and the data's own
/// date, so an age is never read as the data's.
pub fn as_of_line(data_date: Option<Date>) -> String {
    let measured = today()
        .map(|t| format!("as of {}", format_date(t)))
        .unwrap_or_else(|| "as of today".into());
    match data_date {
        Some(d) => format!("{measured} · data of {}", format_date(d)),
        None => format!("{measured} · the data's date is not known"),
    }
}

/// Days from the data's date to today, when both are known and today is later.
fn days_since_data(data_date: Option<Date>) -> Option<i64> {
    let (data, now) = data_date.zip(today())?;
    Some((now - data).num_days()).filter(|d| *d > 0)
}

/// Whether the data is old enough that its ratings may no longer be CQC's current ones.
pub fn is_stale(data_date: Option<Date>) -> bool {
    days_since_data(data_date).is_some_and(|d| d > STALE_AFTER_DAYS)
}

/// The warning, when [`is_stale`]; nothing otherwise.
#[component]
pub fn StaleDataNotice(data_date: Option<Date>) -> impl IntoView {
    let days = days_since_data(data_date).filter(|_| is_stale(data_date));
    days.zip(data_date).map(|(days, d)| {
        let months = days / 30;
        view! {
            <p class="panel warn" data-testid="stale-data">
                {format!(
                    "This data is from {}, about {months} months before today. It cannot vouch \
                     for this rating still being CQC's current one: CQC may have inspected and \
                     published a new rating since. Check CQC's website, or load newer data.",
                    format_date(d)
                )}
            </p>
        }
    })
}
