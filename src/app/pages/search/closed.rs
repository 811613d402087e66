//! Closed registrations in the search list: left out by default (a member of the public looking
//! for a service should not pick one that no longer operates), counted, and brought back by a
//! filter whose state is in the URL. When included, current locations still come first, so
//! "Treetops" opens on the home that exists today.

use super::query::Query;
use super::Go;
use crate::app::components::counted;
use cqc_engine::model::Snapshot;
use leptos::prelude::*;

/// The rows to show, and how many closed or dormant registrations matched the other filters.
/// Included, closed rows follow the current ones, each group keeping the chosen order.
pub fn split_closed(
    snapshot: &Snapshot,
    selected: Vec<usize>,
    include: bool,
) -> (Vec<usize>, usize) {
    let is_current = |i: &usize| snapshot.locations.get(*i).is_some_and(|l| l.is_current());
    let (mut current, closed): (Vec<usize>, Vec<usize>) =
        selected.into_iter().partition(is_current);
    let closed_count = closed.len();
    if include {
        current.extend(closed);
    }
    (current, closed_count)
}

/// "466 of 711 locations (closed registrations left out)", or with them included "711 of 711
/// locations": the total is always every location in the data, so a count never changes
/// meaning with the filter.
pub fn count_line(shown: usize, total: usize, include: bool, any_closed: bool) -> String {
    // Data with no closed registration (a Latest ratings file lists registered locations only)
    // has nothing left out to mention.
    if include || !any_closed {
        format!("{shown} of {total} locations")
    } else {
        format!("{shown} of {total} locations (closed registrations left out)")
    }
}

/// The checkbox that includes closed registrations, with how many match; shown only while
/// some match or it is ticked.
#[component]
pub fn IncludeClosed(query: Memo<Query>, closed_matching: Signal<usize>, go: Go) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let mut q = query.get_untracked();
        q.include_closed = event_target_checked(&ev);
        q.page = 0;
        go(q, false);
    };
    move || {
        let n = closed_matching.get();
        let include = query.get().include_closed;
        (n > 0 || include).then(|| {
            let on_change = on_change.clone();
            let label = format!(
                " Include {} (deregistered or dormant)",
                counted(n, "closed registration", "closed registrations")
            );
            view! {
                <p class="include-closed">
                    <label for="closed">
                        <input id="closed" type="checkbox" prop:checked=include on:change=on_change/>
                        {label}
                    </label>
                </p>
            }
        })
    }
}
