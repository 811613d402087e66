//! Loading newer data: a dropped or chosen CQC file, read in a web worker by the same ingest as
//! the command-line tool, then shown in place of the bundled snapshot.

use crate::app::data::{AppData, LoadState};
use leptos::prelude::*;

#[component]
pub fn LoadPage() -> impl IntoView {
    let state = use_context::<RwSignal<LoadState>>();
    let (status, set_status) = signal(String::new());
    let (issues, set_issues) = signal(Vec::<String>::new());
    let (error, set_error) = signal(false);
    let load = move |file: web_sys::File| {
        let name = file.name();
        set_status.set(format!("Reading {name}…"));
        let gloo_file = gloo::file::File::from(file);
        leptos::task::spawn_local(async move {
            let bytes = match gloo::file::futures::read_as_bytes(&gloo_file).await {
                Ok(b) => b,
                Err(e) => {
                    set_status.set(format!("{name}: could not read the file: {e}"));
                    return;
                }
            };
            set_issues.set(Vec::new());
            set_error.set(false);
            let result = crate::app::ingest_job::ingest_in_worker(name.clone(), bytes, move |p| {
                set_status.set(p)
            })
            .await;
            match result {
                Ok(loaded) => {
                    set_issues.set(loaded.issues);
                    // The data shows at once; its search index and audit follow in the
                    // background (see `AppData::build`).
                    if let Some(s) = state {
                        s.set(LoadState::Ready(
                            AppData::build(loaded.snapshot, name).await,
                        ));
                    }
                    set_status.set(loaded.summary);
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
    view! {
        <h1>"Load newer CQC data"</h1>
        <p>
            "Choose CQC's monthly Latest ratings file (ODS, XLSX or CSV) from cqc.org.uk, or an "
            "API location response (JSON). It is read here, in your browser: nothing is uploaded."
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
        {move || {
            let list = issues.get();
            (!list.is_empty()).then(|| view! { <ReportedRows rows=list/> })
        }}
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
