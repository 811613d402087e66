//! Loading newer data: a dropped or chosen CQC file, read in a web worker by the same ingest as
//! the command-line tool. Before anything changes, the page says what the file would replace
//! and offers to add it to the current data instead (the CLI's merge, with its report). The
//! data chosen is kept in the browser, so a reload shows it again until the user goes back.

mod changes;

use crate::app::components::counted;
use crate::app::data::{self, LoadState, Store};
use crate::app::ingest_job::{add_to_current, Loaded};
use cqc_engine::model::Snapshot;
use cqc_engine::story::{ChangeKind, ChangeList};
use leptos::prelude::*;
use std::sync::Arc;

/// A file read and waiting for the user's choice.
struct Pending {
    name: String,
    loaded: Loaded,
}

/// How the current data is named in the page's sentences.
fn current_name(d: &Store) -> String {
    if d.is_bundled() {
        "the bundled data".to_string()
    } else {
        d.origin.clone()
    }
}

#[component]
pub fn LoadPage() -> impl IntoView {
    let state = use_context::<RwSignal<LoadState>>();
    let (status, set_status) = signal(String::new());
    let (issues, set_issues) = signal(Vec::<String>::new());
    let (error, set_error) = signal(false);
    let (applied, set_applied) = signal(String::new());
    let pending = RwSignal::new(None::<Arc<Pending>>);
    let load = move |file: web_sys::File| {
        let name = file.name();
        set_status.set(format!("Reading {name}…"));
        set_applied.set(String::new());
        pending.set(None);
        leptos::task::spawn_local(async move {
            set_issues.set(Vec::new());
            set_error.set(false);
            let result = crate::app::ingest_job::ingest_in_worker(name.clone(), file, move |p| {
                set_status.set(p)
            })
            .await;
            match result {
                Ok(loaded) => {
                    set_issues.set(loaded.issues.clone());
                    set_status.set(loaded.summary.clone());
                    pending.set(Some(Arc::new(Pending { name, loaded })));
                }
                Err(message) => {
                    set_error.set(true);
                    set_status.set(message);
                }
            }
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        let file = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(file) = file {
            load(file);
        }
    };
    let (dragging, set_dragging) = signal(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        set_dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            load(file);
        }
    };
    let on_drag_over = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        set_dragging.set(true);
    };
    let choice = move || {
        let p = pending.get()?;
        let Some(LoadState::Ready(current)) = state.map(|s| s.get()) else {
            return None;
        };
        let state = state?;
        // What the file would change is measured against every location whole: for the
        // bundled data that is every file of its layout, fetched now.
        let Some(whole) = current.whole.get() else {
            current.request_whole();
            return Some(
                view! {
                    <p role="status" data-testid="load-choice-waiting">
                        "Fetching the data shown now, to compare this file with it…"
                    </p>
                }
                .into_any(),
            );
        };
        Some(view! {
            <Choice pending=p current=current whole=whole state=state pending_slot=pending set_applied=set_applied set_issues=set_issues/>
        }
        .into_any())
    };
    view! {
        <h1>"Load newer CQC data"</h1>
        <p>
            "Choose CQC's monthly Latest ratings file (ODS, XLSX or CSV) from cqc.org.uk, or an "
            "API location response (JSON). It is read here, in your browser: nothing is uploaded. "
            "Before anything changes you choose whether it replaces the data shown or is added "
            "to it. The data you choose is kept in this browser, so a reload shows it again, "
            "until you go back to the bundled data (the button at the top of every page)."
        </p>
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=on_drag_over
            on:dragleave=move |_| set_dragging.set(false)
            on:drop=on_drop
        >
            <label for="file">"Drop the file here, or choose it"</label>
            <input id="file" type="file" accept=".ods,.xlsx,.csv,.json" on:change=on_change/>
        </div>
        <p
            role="status"
            aria-live="polite"
            data-testid="load-status"
            class:error-panel=move || error.get()
        >
            {move || status.get()}
        </p>
        {choice}
        <p role="status" aria-live="polite" data-testid="load-applied">{move || applied.get()}</p>
        {move || {
            let list = issues.get();
            (!list.is_empty()).then(|| view! { <ReportedRows rows=list/> })
        }}
    }
}

/// What the read file would replace, what adding it would give, and the two buttons.
#[component]
fn Choice(
    pending: Arc<Pending>,
    current: Store,
    whole: Arc<Snapshot>,
    state: RwSignal<LoadState>,
    pending_slot: RwSignal<Option<Arc<Pending>>>,
    set_applied: WriteSignal<String>,
    set_issues: WriteSignal<Vec<String>>,
) -> impl IntoView {
    let new_count = pending.loaded.snapshot.locations.len();
    let current_count = whole.locations.len();
    let current_label = current_name(&current);
    // The two data sets are compared in slices, so that the page is never busy for long even
    // with national ones; the counts and the list show when the comparison is done.
    let compared = RwSignal::new(None::<Arc<ChangeList>>);
    leptos::task::spawn_local({
        let (whole, pending) = (whole.clone(), pending.clone());
        async move {
            let list = data::diff_in_slices(&whole, &pending.loaded.snapshot).await;
            // The page may have been left, or another file chosen, while comparing.
            let _ = compared.try_set(Some(Arc::new(list)));
        }
    });
    let replace_text = format!(
        "Replace: replaces {} with {new_count} from {}. Locations only in {current_label} are no longer shown.",
        counted(current_count, "location", "locations"),
        pending.name
    );
    // The file's locations not in the data shown are exactly its "new location" changes (a
    // file read has each location once).
    let add_text = move |list: &ChangeList| {
        let fresh = (list.count(ChangeKind::NewLocation) as usize).min(new_count);
        let already = new_count - fresh;
        format!(
            "Add to the current data: {already} of this file's {new_count} locations are already shown, {fresh} new, giving {}. Where a location is in both, this file's ratings are kept, as the cqc command keeps the first file given, and the merge reports what it leaves out.",
            counted(current_count + fresh, "location", "locations")
        )
    };
    let on_replace = {
        let pending = pending.clone();
        move |_| {
            pending_slot.set(None);
            let name = pending.name.clone();
            let snapshot = pending.loaded.snapshot.clone();
            let encoded = pending.loaded.encoded.clone();
            leptos::task::spawn_local(async move {
                let kept = data::use_dropped(state, snapshot, Some(encoded), name.clone()).await;
                set_applied.set(format!(
                    "Now showing {new_count} locations from {name}.{}",
                    kept_note(&kept)
                ));
            });
        }
    };
    let on_add = {
        let pending = pending.clone();
        let current_label = current_label.clone();
        move |_| {
            pending_slot.set(None);
            let merged = add_to_current(
                (*pending.loaded.snapshot).clone(),
                &pending.name,
                &whole,
                &current_label,
            );
            let origin = format!("{} added to {current_label}", pending.name);
            set_issues.update(|list| list.extend(merged.issues));
            let summary = merged.summary;
            let snapshot = merged.snapshot;
            leptos::task::spawn_local(async move {
                let kept = data::use_dropped(state, Arc::new(snapshot), None, origin).await;
                set_applied.set(format!("{summary}{}", kept_note(&kept)));
            });
        }
    };
    view! {
        <section class="panel" aria-labelledby="choice-h" data-testid="load-choice">
            <h2 id="choice-h" class="flush-top">"Use this file's data?"</h2>
            <p data-testid="replace-summary">{replace_text}</p>
            {move || match compared.get() {
                Some(list) => view! {
                    <p data-testid="add-summary">{add_text(&list)}</p>
                    <changes::ChangesAgainstCurrent list=list/>
                }
                .into_any(),
                None => view! {
                    <p role="status" data-testid="load-comparing">
                        "Comparing this file with the data shown now…"
                    </p>
                }
                .into_any(),
            }}
            <p>
                <button type="button" on:click=on_replace>"Replace the current data"</button>
                " "
                <button type="button" on:click=on_add>"Add to the current data"</button>
                " "
                <button type="button" on:click=move |_| pending_slot.set(None)>"Cancel"</button>
            </p>
        </section>
    }
}

/// What the user needs to know about a reload after loading.
fn kept_note(kept: &Result<(), String>) -> String {
    match kept {
        Ok(()) => " It is kept in this browser: a reload shows it again.".to_string(),
        Err(e) => {
            format!(" This browser could not keep it ({e}): a reload returns to the bundled data.")
        }
    }
}

/// The rows of the file that were reported and not loaded, each with its reason.
#[component]
fn ReportedRows(rows: Vec<String>) -> impl IntoView {
    view! {
        <div class="error-panel">
            <h2>"Rows reported (not loaded)"</h2>
            <ul>{rows.into_iter().map(|row| view! { <li>{row}</li> }).collect_view()}</ul>
        </div>
    }
}
