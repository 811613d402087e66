//! A location: its published ratings with dates and ages, how the rating was built (trace,
//! evidence-age bar, narrative, agreement with the rules), and the what-if.

mod explained;
pub mod facts;
mod limiters;
mod published;
mod registration;
mod seeded;
mod suggestions;
mod whatif;

// Each rating's story (issue 15): its timeline, clock, CQC's words, reports and registrations.
mod clock;
mod commentary;
mod history;
mod registration_history;
mod reports;

use crate::app::data::{with_store, Lookup, Store};
use cqc_engine::audit::compare;
use cqc_engine::model::{Domain, Location};
use cqc_engine::rules::{rate, rule_set_info, Evidence, RuleSetId};
use cqc_engine::whatif::apply;
use cqc_engine::whatif::scenario::Scenario;
use explained::Explained;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use published::Published;
use whatif::WhatIf;

#[component]
pub fn LocationPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        {with_store(move |store: Store| {
            let id = params.get().get("id").unwrap_or_default();
            let as_of = store.manifest.meta.data_date;
            // Only this location's bucket is fetched: one file, whatever the size of the data.
            // The page is drawn again only when its own lookup changes, not whenever any other
            // bucket arrives.
            let lookup = {
                let (store, id) = (store.clone(), id.clone());
                Memo::new(move |_| store.location(&id))
            };
            move || match lookup.get() {
                Lookup::Found(l) => {
                    view! { <LocationView location=(*l).clone() as_of=as_of/> }.into_any()
                }
                Lookup::Missing => view! { <LocationNotFound id=id.clone()/> }.into_any(),
                Lookup::Failed(message) => {
                    let retry = store.clone();
                    view! {
                        <div class="error-panel" role="alert">
                            <h2>"This location could not be loaded"</h2>
                            <p>{message}</p>
                            <button type="button" on:click=move |_| retry.retry()>"Try again"</button>
                        </div>
                    }
                    .into_any()
                }
                Lookup::Loading => view! { <p aria-live="polite">"Loading this location…"</p> }.into_any(),
            }
        })}
    }
}

#[component]
fn LocationNotFound(id: String) -> impl IntoView {
    view! {
        <h1>"Location not found"</h1>
        <p>
            {format!("No location with the id \"{id}\" is in this data. ")}
            <a href="/">"Search for a location"</a>
        </p>
    }
}

/// The scenario in the address bar, and everything the page computes from it.
#[derive(Clone, Copy)]
struct Computed {
    scenario: Memo<(Scenario, Vec<String>)>,
    rule_set: Memo<RuleSetId>,
    edited: Memo<Evidence>,
    result: Memo<Result<cqc_engine::explain::Explanation, String>>,
    published_result: Memo<Option<cqc_engine::explain::Explanation>>,
}

impl Computed {
    fn new(location: &Location, as_of: Option<cqc_engine::model::Date>) -> Computed {
        let query = use_query_map();
        let scenario = Memo::new(move |_| {
            let q = query.get();
            Scenario::parse(
                q.get("rs").as_deref(),
                q.get("kq").as_deref(),
                q.get("qs").as_deref(),
                q.get("breach").as_deref(),
                q.get("limit").as_deref(),
                q.get("tie").as_deref(),
            )
        });
        let default = cqc_engine::rules::rule_set_in_force(location);
        let rule_set = Memo::new(move |_| scenario.get().0.rule_set.unwrap_or(default));
        let loc = location.clone();
        let base = Memo::new(move |_| Evidence::from_location(&loc, rule_set.get(), as_of));
        let edited = Memo::new(move |_| apply(&base.get(), &scenario.get().0.edits));
        let result = Memo::new(move |_| {
            rate(&edited.get(), &scenario.get().0.params()).map_err(|e| e.to_string())
        });
        let published_result =
            Memo::new(move |_| rate(&base.get(), &scenario.get().0.params()).ok());
        Computed {
            scenario,
            rule_set,
            edited,
            result,
            published_result,
        }
    }
}

/// Moves to `scenario` on this location's page, keeping the scroll position. An edit of an
/// input replaces the history entry (each change of a select is not a page of its own); a
/// suggestion tried is a new entry, so Back returns to the scenario before it.
fn scenario_navigator(location_id: &str, replace: bool) -> impl Fn(Scenario) + Clone + 'static {
    let navigate = use_navigate();
    let path = crate::app::routes::location_href(location_id);
    move |s: Scenario| {
        let q = s.to_query();
        let url = if q.is_empty() {
            path.clone()
        } else {
            format!("{path}?{q}")
        };
        navigate(
            &url,
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    }
}

#[component]
fn LocationView(location: Location, as_of: Option<cqc_engine::model::Date>) -> impl IntoView {
    // Made here, not in the part drawn later, so that the scenario in the address is read as
    // the page opens.
    let computed = Computed::new(&location, as_of);
    let published_location = location.clone();
    let (compare_id, compare_name) = (location.id.clone(), location.name.clone());
    // The published ratings are drawn first and painted; the rest of the page, the larger part
    // (history, the trace, CQC's words, the what-if), is drawn after them, so that opening a
    // location shows its ratings in one short task.
    let rest = move || {
        // The ratings are on screen now: the browser benchmark times a location page to here.
        crate::app::data::mark("cqc:location-ready");
        view! { <LocationDetails location=location.clone() as_of=as_of computed=computed/> }
    };
    view! {
        <Published location=published_location as_of=as_of/>
        <crate::app::pages::compare::AddToCompare id=compare_id name=compare_name/>
        {crate::app::components::after_first_draw(rest)}
    }
}

/// Everything on a location's page below its published ratings.
#[component]
fn LocationDetails(
    location: Location,
    as_of: Option<cqc_engine::model::Date>,
    computed: Computed,
) -> impl IntoView {
    let go = scenario_navigator(&location.id, true);
    let try_scenario = scenario_navigator(&location.id, false);
    let overall = location.published(Domain::Overall).cloned();
    let no_scores = location.assessments.is_empty();
    let Computed {
        scenario,
        rule_set,
        result,
        published_result,
        ..
    } = computed;
    let on_rule_set = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let mut s = scenario.get_untracked().0;
            s.rule_set = RuleSetId::from_slug(&event_target_value(&ev));
            go(s);
        }
    };
    let explanation = move || match (result.get(), published_result.get()) {
        (Ok(e), Some(published_e)) => {
            let edited_scenario = !scenario.get().0.edits.is_empty();
            let agreement = compare(
                overall.as_ref().map(|o| o.value),
                overall.as_ref().and_then(|o| o.published),
                &published_e,
            );
            view! { <Explained explanation=e agreement=agreement scenario=edited_scenario/> }
                .into_any()
        }
        (Err(message), _) => {
            view! { <div class="error-panel" role="alert">{message}</div> }.into_any()
        }
        _ => view! { <p>"No result."</p> }.into_any(),
    };
    // The wrapper's test id tells the end-to-end tests that this part has been drawn: a check
    // that some text is absent from the page means nothing before it is.
    view! {
        <div data-testid="location-details">
            <facts::LocationFacts location=location.clone()/>
            <history::RatingHistory location=location.clone()/>
            <clock::Clock location=location.clone() as_of=as_of/>
            <h2 id="how">"How this rating was built"</h2>
            <div>
                <label for="ruleset">"Methodology"</label>
                <select id="ruleset" prop:value=move || rule_set.get().slug() on:change=on_rule_set>
                    {RuleSetId::ALL
                        .iter()
                        .map(|r| view! { <option value=r.slug()>{rule_set_info(*r).name}</option> })
                        .collect_view()}
                </select>
                {no_scores.then(|| view! {
                    <p class="muted">
                        "CQC's data has no quality-statement scores for this location, so the rules "
                        "start from its five key-question ratings. Choose a single assessment "
                        "framework methodology to type in the quality-statement scores from the "
                        "report; until you do, they are the scores CQC seeds from the published "
                        "ratings."
                    </p>
                })}
            </div>
            {move || {
                let rejected = scenario.get().1;
                (!rejected.is_empty()).then(|| view! {
                    <div class="panel warn" role="status">
                        {format!(
                            "Parts of this link could not be used and were ignored: {}",
                            rejected.join(", ")
                        )}
                    </div>
                })
            }}
            {explanation}
            <commentary::CqcWords location=location.clone()/>
            <reports::Reports location=location.clone()/>
            <registration_history::RegistrationHistory location=location.clone()/>
            <WhatIf computed=computed go=go try_scenario=try_scenario/>
        </div>
    }
}
