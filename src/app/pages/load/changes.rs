//! What the dropped file changes against the data it would replace: the engine's change list
//! (`story::diff::diff_snapshots`, the same as `cqc diff`), counted by kind and listed in a
//! disclosure so a national file's thousands of changes do not push the buttons away.

use crate::app::components::counted;
use cqc_engine::story::diff::ChangeList;
use leptos::prelude::*;
use std::sync::Arc;

/// At most this many changes are listed; the counts are always complete.
const CHANGES_LISTED: usize = 500;

#[component]
pub fn ChangesAgainstCurrent(list: Arc<ChangeList>) -> impl IntoView {
    let total = list.changes.len();
    let counts = list
        .counts
        .iter()
        .map(|(kind, n)| view! { <li>{format!("{}: {n}", kind.label())}</li> })
        .collect_view();
    let listed = list
        .changes
        .iter()
        .take(CHANGES_LISTED)
        .map(|c| view! { <li>{c.describe()}</li> })
        .collect_view();
    let more = (total > CHANGES_LISTED).then(|| {
        view! { <p>{format!("The first {CHANGES_LISTED} are listed; cqc diff lists them all.")}</p> }
    });
    view! {
        <div data-testid="load-changes">
            <h3>"What this file changes, against the data shown now"</h3>
            {if total == 0 {
                view! { <p>"No changes: the file gives the same locations and ratings."</p> }.into_any()
            } else {
                view! {
                    <ul>{counts}</ul>
                    <details>
                        <summary>{format!("List the {}", counted(total, "change", "changes"))}</summary>
                        <ul class="change-list">{listed}</ul>
                        {more}
                    </details>
                }
                .into_any()
            }}
        </div>
    }
}
