//! The provider page, methodology page, data loading page and not-found page.

use crate::app::data::{with_data, AppData, LoadState};
use crate::app::format::{age_badge, date, rated_badge, rating_badge};
use cqc_engine::model::{Domain, KeyQuestion, Rating};
use cqc_engine::rules::{fill, rule_info, RuleParams, RULE_SETS};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        {with_data(move |d: AppData| {
            let id = params.get().get("id").unwrap_or_default();
            let locations: Vec<_> = d.snapshot.locations.iter().filter(|l| l.provider_id == id).cloned().collect();
            let as_of = d.snapshot.meta.data_date;
            let name = locations.iter().map(|l| l.provider_name.clone()).find(|n| !n.is_empty()).unwrap_or_else(|| format!("Provider {id}"));
            let counts: Vec<(Rating, usize)> = Rating::ALL.iter().rev().map(|r| (*r, locations.iter().filter(|l| l.published(Domain::Overall).and_then(|p| p.value.rated()) == Some(*r)).count())).collect();
            view! {
                <h1>{name}</h1>
                <p>{format!("{} locations in this data. ", locations.len())}
                   {counts.iter().filter(|(_, n)| *n > 0).map(|(r, n)| format!("{n} {}", r.label().to_lowercase())).collect::<Vec<_>>().join(", ")}</p>
                <div class="table-wrap"><table>
                    <thead><tr><th scope="col">"Location"</th><th scope="col">"Overall"</th>{KeyQuestion::ALL.iter().map(|k| view! { <th scope="col">{k.label()}</th> }).collect_view()}<th scope="col">"Published"</th></tr></thead>
                    <tbody>{locations.iter().map(|l| {
                        let o = l.published(Domain::Overall);
                        view! { <tr>
                            <th scope="row"><a href=format!("/location/{}", l.id)>{l.name.clone()}</a></th>
                            <td>{rating_badge(o.map(|p| p.value))}</td>
                            {KeyQuestion::ALL.iter().map(|k| view! { <td>{rating_badge(l.published(Domain::KeyQuestion(*k)).map(|p| p.value))}</td> }).collect_view()}
                            <td>{date(o.and_then(|p| p.published))}" "{age_badge(o.and_then(|p| p.published), as_of)}</td>
                        </tr> }
                    }).collect_view()}</tbody>
                </table></div>
            }
        })}
    }
}

#[component]
pub fn MethodologyPage() -> impl IntoView {
    let p = RuleParams::default();
    view! {
        <h1>"How CQC ratings are calculated"</h1>
        <p>"This page is generated from the same rule data the explorer computes with. Rules marked provisional are this explorer's reading where CQC's published text is silent; they can be changed, and are labelled wherever they are used."</p>
        <h2>"Methodologies"</h2>
        {RULE_SETS.iter().map(|s| view! {
            <section>
                <h3>{s.name}</h3>
                <p>{format!("In force {}. ", s.period())}{fill(s.key_question_method, &p)}" "{s.overall_method}</p>
                <p class="muted">{format!("Source: {}", s.source)}</p>
                <p>"Rules applied, in order: "{s.rules.iter().map(|r| rule_info(*r).code).collect::<Vec<_>>().join(", ")}</p>
            </section>
        }).collect_view()}
        <h2>"The rules"</h2>
        <div class="table-wrap"><table>
            <thead><tr><th scope="col">"Code"</th><th scope="col">"Rule"</th><th scope="col">"Status and source"</th></tr></thead>
            <tbody>{cqc_engine::rules::RULES.iter().map(|r| view! {
                <tr id=format!("rule-{}", r.code)>
                    <td><code>{r.code}</code></td>
                    <td><strong>{r.title_text(&p)}</strong><br/>{r.statement_text(&p)}</td>
                    <td>{r.status.label()}<br/><span class="muted">{format!("{} (spec {})", r.source, r.spec_ref)}</span></td>
                </tr>
            }).collect_view()}</tbody>
        </table></div>
        <h2>"Thresholds by number of ratings"</h2>
        <table>
            <thead><tr><th scope="col">"Ratings combined"</th><th scope="col">"Outstanding if at least"</th><th scope="col">"Requires improvement if at least"</th><th scope="col">"Inadequate if at least"</th><th scope="col">"Status of the last two"</th></tr></thead>
            <tbody>{p.aggregation_bands.iter().map(|b| view! {
                <tr><td>{match b.max_n { Some(m) => format!("{} to {}", b.min_n, m), None => format!("{} or more", b.min_n) }}</td>
                <td>{format!("{} outstanding, the rest good", b.outstanding_at_least)}</td><td>{b.ri_at_least}</td><td>{b.inadequate_at_least}</td><td>{b.ri_and_inadequate_status.label()}</td></tr>
            }).collect_view()}</tbody>
        </table>
        <h2>"Single assessment framework: percentage bands"</h2>
        <table>
            <thead><tr><th scope="col">"Key-question score"</th><th scope="col">"Rating"</th></tr></thead>
            <tbody>{p.percentage_bands.iter().map(|b| view! { <tr><td>{format!("{} to {} %", b.from_percent, b.to_percent)}</td><td>{rated_badge(Some(b.rating))}</td></tr> }).collect_view()}</tbody>
        </table>
        <p>{format!("Default tie policy: {}. Limiters: a statement scored {} or less limits outstanding to good; a statement scored {} or less limits good to requires improvement (both provisional).", p.tie_policy.label(), p.outstanding_limiter_max_score, p.good_limiter_max_score)}</p>
        <h2>"What each rating means"</h2>
        <ul>{Rating::ALL.iter().rev().map(|r| view! { <li>{rated_badge(Some(*r))}" "{r.meaning()}</li> }).collect_view()}</ul>
    }
}

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
    view! {
        <h1>"Load newer CQC data"</h1>
        <p>"Choose CQC's monthly Latest ratings file (ODS, XLSX or CSV) from cqc.org.uk, or an API location response (JSON). It is read here, in your browser: nothing is uploaded."</p>
        <div class="drop-zone" class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); set_dragging.set(true); }
            on:dragleave=move |_| set_dragging.set(false)
            on:drop=on_drop>
            <label for="file">"Drop the file here, or choose it"</label>
            <input id="file" type="file" accept=".ods,.xlsx,.csv,.json" on:change=on_change />
        </div>
        <p role="status" aria-live="polite" data-testid="load-status" class:error-panel=move || error.get()>{move || status.get()}</p>
        {move || {
            let list = issues.get();
            (!list.is_empty()).then(|| view! {
                <div class="error-panel"><h2>"Rows reported (not loaded)"</h2><ul>{list.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul></div>
            })
        }}
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. "<a href="/">"Search for a care service"</a>" or read "<a href="/methodology">"how ratings are calculated"</a>"."</p>
    }
}
