//! Which locations the national counts cover. The charts and lists of ratings count current
//! locations only unless closed registrations are included (`?closed=1`, as on the search
//! page). The audit's figures (agreement, mean and median age) stay over every published rating
//! in the data, measured to the data's date, so that they equal `cqc audit`'s for the same
//! file; the page says so beside them.

use crate::app::components::{counted, date};
use cqc_engine::model::{Date, Location};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

/// The query key shared with the search page, so a chart's links keep the choice.
const CLOSED_KEY: &str = "closed";

/// Whether the address asks for closed registrations to be counted.
pub fn include_closed() -> Memo<bool> {
    let query = use_query_map();
    Memo::new(move |_| query.get().get(CLOSED_KEY).is_some_and(|v| v == "1"))
}

/// What to add to a link into the search list so it counts the same locations as this page.
pub fn link_suffix(include: bool) -> &'static str {
    if include {
        "&closed=1"
    } else {
        ""
    }
}

/// The locations the counts cover.
pub fn counted_locations(locations: &[Location], include: bool) -> Vec<&Location> {
    locations
        .iter()
        .filter(|l| include || l.is_current())
        .collect()
}

/// The line saying what is counted, the filter that includes closed registrations, and why the
/// audit's figures include them regardless.
#[component]
pub fn ScopeNote(
    locations: Vec<Location>,
    include: Memo<bool>,
    data_date: Option<Date>,
) -> impl IntoView {
    let closed = locations.iter().filter(|l| !l.is_current()).count();
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let url = if event_target_checked(&ev) {
            format!("/national?{CLOSED_KEY}=1")
        } else {
            "/national".to_string()
        };
        navigate(
            &url,
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    };
    let closed_phrase = counted(closed, "closed registration", "closed registrations");
    let counts_line = {
        let closed_phrase = closed_phrase.clone();
        move || {
            if include.get() {
                format!(
                    "The charts and lists of ratings below count every location in this data, \
                     the {closed_phrase} (deregistered or dormant) included."
                )
            } else {
                format!(
                    "The charts and lists of ratings below count current locations only: the \
                     {closed_phrase} (deregistered or dormant) in this data are left out."
                )
            }
        }
    };
    view! {
        <div class="panel" data-testid="national-scope">
            <p class="flush-top">{counts_line}</p>
            {(closed > 0).then(|| view! {
                <p class="include-closed">
                    <label for="closed">
                        <input id="closed" type="checkbox" prop:checked=move || include.get() on:change=on_change/>
                        {format!(" Include {closed_phrase}")}
                    </label>
                </p>
            })}
            <p class="flush" data-testid="audit-scope">
                {format!(
                    "The agreement figures and the mean and median ages are the audit's: they \
                     cover every published rating in the data, closed registrations included, \
                     and measure ages to the data's date ({}), so that they are exactly what \
                     the cqc audit command prints for the same data. Ages elsewhere on the \
                     site are measured to today.",
                    date(data_date)
                )}
            </p>
        </div>
    }
}
