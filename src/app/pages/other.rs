//! The provider page, national view, methodology page, data loading page and not-found page.

use crate::app::data::{with_data, AppData, LoadState};
use crate::app::format::{age_badge, date, rated_badge, rating_badge};
use crate::audit::{Agreement, DivergenceClass};
use crate::model::{Domain, KeyQuestion, Rating};
use crate::rules::{rule_info, RuleParams, RULE_SETS};
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
pub fn NationalPage() -> impl IntoView {
    view! {
        <h1>"All ratings in this data"</h1>
        {with_data(|d: AppData| {
            let a = d.audit.clone();
            let pct = |n: u32, of: u32| if of == 0 { "n/a".to_string() } else { format!("{:.1} %", 100.0 * n as f64 / of as f64) };
            let dist: Vec<(Rating, usize)> = Rating::ALL.iter().rev().map(|r| (*r, d.snapshot.locations.iter().filter(|l| l.published(Domain::Overall).and_then(|p| p.value.rated()) == Some(*r)).count())).collect();
            let max = dist.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
            let years = |y: Option<f64>| y.map(|v| format!("{v:.1} years")).unwrap_or_else(|| "n/a".into());
            let share = |s: Option<f64>| s.map(|v| format!("{:.0} %", v * 100.0)).unwrap_or_else(|| "n/a".into());
            view! {
                <h2>"Do CQC's published ratings follow its own rules?"</h2>
                <p data-testid="agreement-rate">{format!("The published overall rating is what the rules give for {} of {} locations ({}).", a.overall.agree, a.overall.compared, pct(a.overall.agree, a.overall.compared))}</p>
                <div class="table-wrap"><table>
                    <caption>"Agreement by type of service"</caption>
                    <thead><tr><th scope="col">"Type"</th><th scope="col">"Agree"</th><th scope="col">"Compared"</th><th scope="col">"Rate"</th></tr></thead>
                    <tbody>{a.by_sector.iter().map(|g| view! { <tr><th scope="row"><a href=format!("/?sector={}", js_sys::encode_uri_component(&g.group))>{g.group.clone()}</a></th><td>{g.agree}</td><td>{g.compared}</td><td>{pct(g.agree, g.compared)}</td></tr> }).collect_view()}</tbody>
                </table></div>
                <h2>"Overall ratings by level"</h2>
                <figure class="chart">
                    <svg viewBox="0 0 400 130" role="img" aria-labelledby="dist-title">
                        <title id="dist-title">"Number of locations at each overall rating"</title>
                        {dist.iter().enumerate().map(|(i, (r, n))| {
                            let w = 260.0 * *n as f64 / max as f64;
                            let y = 10.0 + i as f64 * 28.0;
                            let fill = match r { Rating::Outstanding => "#00703c", Rating::Good => "#2a7a3a", Rating::RequiresImprovement => "#a35200", Rating::Inadequate => "#b10e1e" };
                            view! {
                                <a href=format!("/?rating={}", r.slug())>
                                    <text x="0" y=y + 15.0 font-size="12">{r.label()}</text>
                                    <rect x="135" y=y width=w.max(1.0) height="20" fill=fill></rect>
                                    <text x=140.0 + w y=y + 15.0 font-size="12">{n.to_string()}</text>
                                </a>
                            }
                        }).collect_view()}
                    </svg>
                    <figcaption>"Table alternative:"</figcaption>
                    <table><thead><tr><th scope="col">"Overall rating"</th><th scope="col">"Locations"</th></tr></thead>
                    <tbody>{dist.iter().map(|(r, n)| view! { <tr><td><a href=format!("/?rating={}", r.slug())>{r.label()}</a></td><td>{*n}</td></tr> }).collect_view()}</tbody></table>
                </figure>
                <h2>"How old are the ratings?"</h2>
                <ul>
                    <li>{format!("Mean age {}, median {} ({} rated locations).", years(a.ages.mean_years), years(a.ages.median_years), a.ages.count)}</li>
                    <li>{format!("Older than 2 years: {}; older than 4: {}; older than 6: {}.", share(a.ages.share_older_than_2), share(a.ages.share_older_than_4), share(a.ages.share_older_than_6))}</li>
                    <li>{format!("{} overall ratings combine key-question ratings from different dates; {} span more than a year.", a.mixed_dates, a.spanning_more_than_a_year)}</li>
                </ul>
                <h2>"Every divergence"</h2>
                <div class="table-wrap"><table>
                    <thead><tr><th scope="col">"Location"</th><th scope="col">"Published"</th><th scope="col">"Rules give"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>{a.divergences().map(|l| {
                        let class = match l.agreement { Agreement::Diverges(c) => c, _ => DivergenceClass::ProfessionalJudgement };
                        view! { <tr><th scope="row"><a href=format!("/location/{}", l.location_id)>{l.name.clone()}</a></th><td>{rating_badge(l.published)}</td><td>{rated_badge(l.recomputed)}</td><td>{class.label()}</td></tr> }
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
                <p>{format!("In force {}. ", s.period)}{s.key_question_method}" "{s.overall_method}</p>
                <p class="muted">{format!("Source: {}", s.source)}</p>
                <p>"Rules applied, in order: "{s.rules.iter().map(|r| rule_info(*r).code).collect::<Vec<_>>().join(", ")}</p>
            </section>
        }).collect_view()}
        <h2>"The rules"</h2>
        <div class="table-wrap"><table>
            <thead><tr><th scope="col">"Code"</th><th scope="col">"Rule"</th><th scope="col">"Status and source"</th></tr></thead>
            <tbody>{crate::rules::RULES.iter().map(|r| view! {
                <tr id=format!("rule-{}", r.code)>
                    <td><code>{r.code}</code></td>
                    <td><strong>{r.title}</strong><br/>{r.statement}</td>
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
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(t).ok())
        else {
            return;
        };
        let Some(files) = input.files() else { return };
        let Some(file) = files.get(0) else { return };
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
            set_status.set(format!(
                "Checking {} rows of {name}…",
                bytes.iter().filter(|b| **b == b'\n').count()
            ));
            let result = if name.to_lowercase().ends_with(".json") {
                crate::ingest::read_api_location(&name, &bytes)
                    .map(|l| crate::ingest::Ingested {
                        locations: vec![l],
                        report: Default::default(),
                    })
                    .map_err(|e| e.to_string())
            } else {
                crate::ingest::read_latest_ratings(&name, &bytes).map_err(|e| e.to_string())
            };
            match result {
                Ok(ingested) => {
                    let (snapshot, report) = crate::ingest::build_snapshot(
                        vec![ingested],
                        vec![format!("{name}: loaded in this browser")],
                    );
                    set_issues.set(
                        report
                            .issues
                            .iter()
                            .take(500)
                            .map(|i| i.to_string())
                            .collect(),
                    );
                    set_status.set(format!(
                        "{name}: {} rows read = {} accepted + {} reported; {} locations.",
                        report.rows_read(),
                        report.rows_accepted(),
                        report.rows_reported(),
                        snapshot.locations.len()
                    ));
                    if let Some(s) = state {
                        s.set(LoadState::Ready(AppData::new(snapshot, name)));
                    }
                }
                Err(message) => {
                    set_issues.set(Vec::new());
                    set_status.set(message);
                }
            }
        });
    };
    view! {
        <h1>"Load newer CQC data"</h1>
        <p>"Choose CQC's monthly Latest ratings file (ODS, XLSX or CSV) from cqc.org.uk, or an API location response (JSON). It is read here, in your browser: nothing is uploaded."</p>
        <div class="drop-zone">
            <label for="file">"Latest ratings file"</label>
            <input id="file" type="file" accept=".ods,.xlsx,.csv,.json" on:change=on_change />
        </div>
        <p role="status" aria-live="polite" data-testid="load-status">{move || status.get()}</p>
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
