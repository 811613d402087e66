//! The what-if: editors for the inputs, the smallest change that would raise the rating, the
//! single slip that would lower it, and the same evidence under each methodology.

use super::limiters::limiter_switches;
use super::suggestions::{group, Suggestion};
use super::Computed;
use crate::app::components::{counted, focus_when_ready, rated_badge, TableRegion};
use cqc_engine::explain::Explanation;
use cqc_engine::model::{
    quality_statements_for, KeyQuestion, Rating, ScoreSource, NOT_RATED_LABEL,
};
use cqc_engine::rules::{rate, rule_set_info, Evidence, RuleParams, RuleSetId};
use cqc_engine::whatif::scenario::Scenario;
use cqc_engine::whatif::{minimal_change, single_slips, Edit};
use leptos::prelude::*;

/// Where the what-if's result is shown: beside the controls on a wide screen, pinned above them
/// on a phone. "Try it" moves the focus here.
const RESULT_ID: &str = "scenario-result";

#[component]
pub fn WhatIf(
    computed: Computed,
    go: impl Fn(Scenario) + Clone + Send + Sync + 'static,
    try_scenario: impl Fn(Scenario) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let Computed {
        scenario,
        edited,
        result,
        published_result,
        ..
    } = computed;
    let copied = RwSignal::new(String::new());
    let editors = move || {
        let e = edited.get();
        let s = scenario.get().0;
        let explained = result.get().ok();
        // A key question with no scores from CQC is changed through its rating (the engine
        // seeds its statements from it); statement scores can be typed in under SAF rules.
        let ratings = kq_editors(&e, s.clone(), go.clone());
        let statements = e
            .rule_set
            .scores_statements()
            .then(|| statement_editors(explained.as_ref(), s.clone(), go.clone()));
        let edits = view! { {ratings} {statements} };
        let has_edits = !s.edits.is_empty();
        let go_reset = go.clone();
        let limiters = limiter_switches(&e, s.clone(), go.clone());
        view! {
            {edits}
            {limiters}
            <p>
                <button type="button" disabled=!has_edits on:click=move |_| go_reset(s.without_edits())>
                    "Reset to the published inputs"
                </button>
                " "
                <button type="button" on:click=move |_| copy_link(copied)>"Copy scenario link"</button>
                " "
                <span role="status" aria-live="polite" data-testid="copy-status">{move || copied.get()}</span>
            </p>
        }
    };
    let outcome = move || {
        let now = result.get().ok().and_then(|e| e.overall);
        let before = published_result.get().and_then(|e| e.overall);
        let changes = scenario.get().0.edits.len();
        let note = if changes == 0 {
            "The published inputs, unchanged.".to_string()
        } else {
            format!(
                "With {} ({} with the published inputs).",
                counted(changes, "change", "changes"),
                Rating::plain_label(before).to_lowercase()
            )
        };
        view! {
            <p class="flush-top"><strong>"The rules give: "</strong>{rated_badge(now)}</p>
            <p class="muted flush">{note}</p>
        }
    };
    let suggestions = move || {
        let e = edited.get();
        let s = scenario.get().0;
        let p = s.params();
        view! {
            <Raise evidence=e.clone() params=p.clone() scenario=s try_scenario=try_scenario.clone()/>
            <Slips evidence=e.clone() params=p.clone()/>
            <EachMethodology evidence=e params=p/>
        }
    };
    view! {
        <h2 id="what-if">"What if?"</h2>
        <p>
            "Change any input and its result (\u{201c}The rules give\u{201d}), and the trace and narrative above, update "
            "at once. The link in the address bar holds the scenario: copy it to share exactly "
            "this scenario."
        </p>
        <div class="whatif-layout">
            <div class="whatif-controls">{editors}</div>
            <aside
                class="whatif-result panel"
                id=RESULT_ID
                tabindex="-1"
                aria-label="What-if result"
                data-testid="whatif-result"
            >
                {outcome}
            </aside>
        </div>
        {suggestions}
    }
}

/// The smallest changes that would raise the overall rating, for each better level, grouped
/// where they are every combination of a few inputs.
#[component]
fn Raise(
    evidence: Evidence,
    params: RuleParams,
    scenario: Scenario,
    try_scenario: impl Fn(Scenario) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let now = rate(&evidence, &params).ok().and_then(|x| x.overall);
    let targets: Vec<Rating> = Rating::ALL
        .iter()
        .copied()
        .filter(|r| Some(*r) > now && *r >= Rating::Good)
        .collect();
    let body = if targets.is_empty() {
        view! { <p>"Nothing: it is already outstanding, or has no rated inputs."</p> }.into_any()
    } else {
        targets
            .into_iter()
            .map(|target| {
                let solutions = minimal_change(&evidence, &params, target).unwrap_or_default();
                let list = if solutions.is_empty() {
                    view! {
                        <p>"Not reachable by changing ratings or scores (for example, a breach caps it)."</p>
                    }
                    .into_any()
                } else {
                    let items = group(solutions)
                        .into_iter()
                        .map(|suggestion| {
                            view! {
                                <SuggestionItem
                                    suggestion=suggestion
                                    scenario=scenario.clone()
                                    try_scenario=try_scenario.clone()
                                />
                            }
                        })
                        .collect_view();
                    view! { <ul data-testid=format!("solutions-{}", target.slug())>{items}</ul> }.into_any()
                };
                view! {
                    <h4>{format!("To reach {}", target.label().to_lowercase())}</h4>
                    {list}
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <h3>"The smallest change that would raise it"</h3>
        {body}
    }
}

/// One grouped suggestion: its sentence, a "try it" for its first combination and, for a group,
/// each combination to try.
#[component]
fn SuggestionItem(
    suggestion: Suggestion,
    scenario: Scenario,
    try_scenario: impl Fn(Scenario) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let changes = suggestion
        .solutions
        .first()
        .map_or(0, |s| s.changes as usize);
    let with_edits = |edits: &[Edit]| {
        edits
            .iter()
            .fold(scenario.clone(), |next, edit| next.with_edit(*edit))
    };
    let try_link = {
        let try_scenario = try_scenario.clone();
        move |next: Scenario, text: &'static str| {
            let href = format!("?{}", next.to_query());
            let try_scenario = try_scenario.clone();
            let on_click = move |ev: leptos::ev::MouseEvent| {
                ev.prevent_default();
                try_scenario(next.clone());
                focus_when_ready("#scenario-result", false);
            };
            view! { <a href=href on:click=on_click>{text}</a> }
        }
    };
    let first = suggestion
        .solutions
        .first()
        .map(|s| try_link(with_edits(&s.edits), "try it"));
    let each = (suggestion.solutions.len() > 1).then(|| {
        let items = suggestion
            .solutions
            .iter()
            .map(|s| {
                view! { <li>{s.descriptions.join("; ")}" "{try_link(with_edits(&s.edits), "try it")}</li> }
            })
            .collect_view();
        view! {
            <details>
                <summary>{format!("Each of the {} combinations", suggestion.solutions.len())}</summary>
                <ul>{items}</ul>
            </details>
        }
    });
    view! {
        <li>
            {capitalised(&suggestion.sentence)}
            {format!(" ({}) ", counted(changes, "change", "changes"))}
            {first}
            {each}
        </li>
    }
}

/// The engine's sentence with a capital: it starts with the engine's own English words, so
/// ASCII case is enough (Unicode uppercasing would link a 12 kB table into the page).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// Each one-step drop of one input that would lower the overall rating.
#[component]
fn Slips(evidence: Evidence, params: RuleParams) -> impl IntoView {
    let body = match single_slips(&evidence, &params) {
        Ok(slips) if !slips.is_empty() => {
            let items = slips
                .into_iter()
                .map(|slip| {
                    let result = Rating::plain_label(slip.result);
                    view! { <li>{format!("{} → {result}", slip.description)}</li> }
                })
                .collect_view();
            view! { <ul>{items}</ul> }.into_any()
        }
        _ => view! { <p>"No single one-step drop would lower the overall rating."</p> }.into_any(),
    };
    view! {
        <h3>"What single slip would lower it"</h3>
        {body}
    }
}

#[component]
fn EachMethodology(evidence: Evidence, params: RuleParams) -> impl IntoView {
    let rows = RuleSetId::ALL
        .iter()
        .map(|rs| {
            let mut other = evidence.clone();
            other.rule_set = *rs;
            let overall = rate(&other, &params).ok().and_then(|x| x.overall);
            view! { <tr><th scope="row">{rule_set_info(*rs).name}</th><td>{rated_badge(overall)}</td></tr> }
        })
        .collect_view();
    view! {
        <h3>"The same evidence under each methodology"</h3>
        <TableRegion label="The same evidence under each methodology">
            <table>
                <thead><tr><th scope="col">"Methodology"</th><th scope="col">"Overall"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </TableRegion>
    }
}

/// One select per key question whose input is its rating (every key question under the legacy
/// and 2026 rules; under SAF rules, those CQC published no statement scores for), and the
/// breach switch.
fn kq_editors(e: &Evidence, s: Scenario, go: impl Fn(Scenario) + Clone + 'static) -> impl IntoView {
    let selects = KeyQuestion::ALL
        .iter()
        .filter(|kq| e.rated_by_its_rating(**kq))
        .map(|kq| {
            let current = e
                .key_question(*kq)
                .and_then(|k| k.rating.as_ref())
                .and_then(|r| r.value.rated());
            let id = format!("edit-{}", kq.slug());
            let go = go.clone();
            let s = s.clone();
            let kq = *kq;
            let on_change = move |ev: leptos::ev::Event| {
                let rating = Rating::from_slug(&event_target_value(&ev));
                go(s.with_edit(Edit::KqRating { key_question: kq, rating }));
            };
            view! {
                <div>
                    <label for=id.clone()>{kq.label()}</label>
                    <select id=id prop:value=current.map(|r| r.slug()).unwrap_or("none") on:change=on_change>
                        {Rating::ALL
                            .iter()
                            .rev()
                            .map(|r| view! { <option value=r.slug()>{r.label()}</option> })
                            .collect_view()}
                        <option value="none">{NOT_RATED_LABEL}</option>
                    </select>
                </div>
            }
        })
        .collect_view();
    let on_breach =
        move |ev: leptos::ev::Event| go(s.with_edit(Edit::Breach(event_target_checked(&ev))));
    view! {
        <div class="filters">
            {selects}
            <div>
                <label for="edit-breach">
                    <input id="edit-breach" type="checkbox" prop:checked=e.breach on:change=on_breach/>
                    " A breach of regulations"
                </label>
            </div>
        </div>
    }
}

/// Score inputs for every quality statement (SAF rules), starting from CQC's published or
/// seeded scores, labelled as such.
fn statement_editors(
    explained: Option<&Explanation>,
    s: Scenario,
    go: impl Fn(Scenario) + Clone + 'static,
) -> impl IntoView {
    let fieldsets =
        KeyQuestion::ALL
            .iter()
            .map(|kq| {
                let result = explained.and_then(|x| x.key_question(*kq)).cloned();
                let legend = format!(
                    "{}{}",
                    kq.label(),
                    result
                        .as_ref()
                        .and_then(|r| r.score.as_ref())
                        .map(|sc| format!(": {} % ({})", sc.displayed_percent, sc.rating.label()))
                        .unwrap_or_default()
                );
                let selects = quality_statements_for(*kq)
                .filter_map(|def| {
                    let st = result.as_ref()?.statements.iter().find(|x| x.id == def.id)?.clone();
                    let id = format!("qs-{}", def.id);
                    let go = go.clone();
                    let s = s.clone();
                    let seeded = matches!(st.source, ScoreSource::SeededFromRating { .. });
                    let def_id = def.id;
                    let on_change = move |ev: leptos::ev::Event| {
                        if let Ok(score) = event_target_value(&ev).parse::<u8>() {
                            go(s.with_edit(Edit::StatementScore { id: def_id, score }));
                        }
                    };
                    let current = st.score.map(|x| x.to_string()).unwrap_or_default();
                    Some(view! {
                        <div>
                            <label for=id.clone()>{def.title}{seeded.then_some(" (seeded)")}</label>
                            <select id=id prop:value=current on:change=on_change>
                                <option value="4">"4 exceptional"</option>
                                <option value="3">"3 good"</option>
                                <option value="2">"2 some shortfalls"</option>
                                <option value="1">"1 significant shortfalls"</option>
                            </select>
                        </div>
                    })
                })
                .collect_view();
                view! {
                    <fieldset>
                        <legend>{legend}</legend>
                        <div class="filters">{selects}</div>
                    </fieldset>
                }
            })
            .collect_view();
    view! {
        <p>
            "Scores start from CQC's published quality-statement scores where the data has them, "
            "and otherwise from the scores CQC seeds from the published rating (marked "
            "“seeded”). Type in the scores from your report."
        </p>
        {fieldsets}
    }
}

/// Copies the page's address, which holds the scenario, and says whether it worked.
fn copy_link(status: RwSignal<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(href) = window.location().href() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(&href);
    leptos::task::spawn_local(async move {
        let message = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => "Copied: the link to this scenario is on your clipboard.",
            Err(_) => "Could not copy here: copy the address from the address bar instead.",
        };
        status.set(message.to_string());
    });
}
