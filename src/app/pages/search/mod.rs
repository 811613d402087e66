//! Search and browse: every location, filtered and sorted, state in the URL, 25 a page,
//! exportable as CSV. Closed registrations are left out unless asked for (`closed`).

mod closed;
mod correction;
pub(crate) mod export;
mod query;
mod quick;
mod typing;

use crate::app::components::{
    after_first_draw, age_badge, closed_badge, date, rating_badge, TableRegion,
};
use crate::app::data::{with_store, AppData, Store};
use crate::app::routes::location_href;
use cqc_engine::layout::{Card, Vocabulary};
use cqc_engine::model::{KeyQuestion, Rating, NOT_RATED_LABEL};
use cqc_engine::near::NursingFilter;
use cqc_engine::search::{rating_counts, select, unknown_facts, AgeBand, Filters, Sort};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use query::Query;
use std::sync::Arc;
use typing::Typing;

const PAGE_SIZE: usize = 25;

/// Moves to a query. A filter or page change is a history entry of its own, so Back undoes it;
/// typing into the search box replaces the entry it started, so Back does not replay it letter
/// by letter.
type Go = Arc<dyn Fn(Query, bool) + Send + Sync>;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query_map = use_query_map();
    let address = Memo::new(move |_| {
        let mut q = Query::from_map(&query_map.get());
        // The re-inspection clock's filter and sort are measured to today, as on every page.
        q.filters.today = crate::app::today::today();
        q
    });
    let typing = Typing::new(address);
    let query = Memo::new(move |_| typing.query());
    let navigate = use_navigate();
    let go: Go = Arc::new(move |q: Query, replace: bool| {
        navigate(
            &q.to_url(),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        )
    });
    view! {
        <h1>"Find a care service and see how its rating was built"</h1>
        <p><a href="/near">"Find services near a postcode or town"</a></p>
        {with_store(move |store: Store| view! { <SearchBody store=store query=query typing=typing go=go.clone()/> })}
    }
}

/// Where a list's results come from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every row is here: every filter and sort, as before the layout.
    Full,
    /// Only a query (or nothing): the search shards, the status column and the rows files of
    /// the page shown are enough.
    Quick,
    /// A filter or sort that reads every location, whose rows are on their way.
    Waiting,
}

/// Whether `query` needs no more than the shards, the status column and a page of rows: a
/// text, the closed switch, the page, and name order.
fn is_quick(query: &Query) -> bool {
    let mut rest = query.filters.clone();
    rest.text = String::new();
    rest.today = None;
    if rest.sort == Sort::Name {
        rest.sort = Sort::default();
    }
    rest == Filters::default()
}

/// The search form, once, and under it the results from wherever they can come from now: the
/// form is never rebuilt as the results change, so typing keeps its focus.
#[component]
fn SearchBody(store: Store, query: Memo<Query>, typing: Typing, go: Go) -> impl IntoView {
    let mode = {
        let store = store.clone();
        Memo::new(move |_| {
            if store.all.get().is_some() {
                Mode::Full
            } else if is_quick(&query.get()) {
                Mode::Quick
            } else {
                Mode::Waiting
            }
        })
    };
    let vocabulary = store.manifest.vocabulary.clone();
    let store_for_form = store.clone();
    let results = {
        let go = go.clone();
        move || {
            match (mode.get(), store.all.get_untracked()) {
            (Mode::Full, Some(d)) => view! { <SearchView data=d query=query go=go.clone() export_wanted=store.export_wanted/> }.into_any(),
            (Mode::Quick, _) => view! { <quick::QuickResults store=store.clone() query=query go=go.clone()/> }.into_any(),
            _ => {
                store.request_all();
                let store = store.clone();
                view! {
                    <p class="panel" role="status" data-testid="rows-loading">
                        {move || {
                            let (done, total) = store.all_progress.get();
                            match store.failure() {
                                Some(message) => format!("The data for this filter could not be loaded: {message}"),
                                None => format!("Loading every location's ratings for this filter ({done} of {total} parts)…"),
                            }
                        }}
                    </p>
                }
                .into_any()
            }
        }
        }
    };
    view! {
        <SearchForm vocabulary=vocabulary query=query typing=typing go=go store=store_for_form/>
        {results}
    }
}

#[component]
fn SearchView(
    data: AppData,
    query: Memo<Query>,
    go: Go,
    export_wanted: RwSignal<bool>,
) -> impl IntoView {
    // A typed search waits for the index (built just after the first paint); until then it has
    // no results rather than wrong ones, and says so.
    let search_pending = {
        let search = data.search;
        move || !query.get().filters.text.trim().is_empty() && search.get().is_none()
    };
    // The index and the audit are read (and so waited for) only by the filters that use them:
    // otherwise each one's arrival would redo the selection for nothing.
    let selection = {
        let d = data.clone();
        Memo::new(move |_| {
            let Query {
                filters,
                include_closed,
                ..
            } = query.get();
            let index = if filters.text.trim().is_empty() {
                None
            } else {
                d.search.get()
            };
            let audit = if filters.mixed_dates || filters.diverges {
                d.audit_or_empty()
            } else {
                untrack(|| d.audit_or_empty())
            };
            let selected = select(&d.snapshot, &index.unwrap_or_default(), &audit, &filters);
            closed::split_closed(&d.snapshot, selected, include_closed)
        })
    };
    let results = Memo::new(move |_| selection.get().0);
    let closed_matching = Signal::derive(move || selection.get().1);
    let audit_pending = {
        let audit = data.audit;
        move || {
            let f = query.get().filters;
            (f.diverges || f.mixed_dates) && audit.get().is_none()
        }
    };
    let total = data.snapshot.locations.len();
    let any_closed = data.snapshot.locations.iter().any(|l| !l.is_current());
    let count_line = move || {
        if search_pending() {
            "Preparing the search; the results appear in a moment…".to_string()
        } else {
            closed::count_line(
                results.get().len(),
                total,
                query.get().include_closed,
                any_closed,
            )
        }
    };
    let facts_line = {
        let d = data.clone();
        move || {
            let filters = query.get().filters;
            if !filters.uses_facts() || search_pending() {
                return None;
            }
            let index = d.search.get().unwrap_or_default();
            let left_out = unknown_facts(
                &d.snapshot,
                &index,
                &untrack(|| d.audit_or_empty()),
                &filters,
            );
            (left_out > 0).then(|| format!(
                "{} not counted: this data does not give {} CQC's facts (nursing care, specialisms). Only locations loaded from CQC's API have them.",
                crate::app::components::counted(left_out, "location is", "locations are"),
                if left_out == 1 { "its" } else { "their" }
            ))
        }
    };
    let ratings_line = {
        let d = data.clone();
        move || {
            if search_pending() {
                return String::new();
            }
            let (counts, unrated) = rating_counts(&d.snapshot, &results.get());
            ratings_summary(counts, unrated)
        }
    };
    let correction = {
        let d = data.clone();
        move || {
            let text = query.get().filters.text;
            if text.trim().is_empty() || search_pending() {
                return None;
            }
            let best = *results.get().first()?;
            let corrected = correction::corrected_query(&text, &d.snapshot.locations[best])?;
            Some(correction::correction_panel(&text, corrected))
        }
    };
    let on_download = {
        let d = data.clone();
        move |_| export::export_csv(&d, &results.get_untracked())
    };
    let rows = {
        let d = data.clone();
        move || {
            let page = query.get().page;
            results
                .get()
                .iter()
                .skip(page * PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(|i| view! { <ResultRow card=Card::of(&d.snapshot.locations[*i])/> })
                .collect_view()
        }
    };
    let pages = Signal::derive(move || results.get().len().div_ceil(PAGE_SIZE).max(1));
    // A download asked for before every row was here: made now that they are.
    if export_wanted.get_untracked() {
        export_wanted.set(false);
        let d = data.clone();
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) || search_pending() {
                return done.unwrap_or(false);
            }
            export::export_csv(&d, &results.get_untracked());
            true
        });
    }
    view! {
        <closed::IncludeClosed query=query closed_matching=closed_matching go=go.clone()/>
        {move || audit_pending().then(|| view! {
            <p class="panel" role="status">
                "Checking every published rating against the rules; this filter fills in when that is done…"
            </p>
        })}
        {correction}
        <p aria-live="polite" data-testid="result-count">{count_line}</p>
        {move || facts_line().map(|t| view! { <p class="muted" data-testid="facts-unknown">{t}</p> })}
        <crate::app::pages::compare::CompareChosen/>
        <p class="muted" data-testid="result-ratings">{ratings_line}</p>
        <button type="button" disabled=search_pending on:click=on_download>
            "Download these results (CSV)"
        </button>
        <ResultsTable rows=rows/>
        <Pager query=query pages=pages go=go/>
    }
}

/// The matching locations' counts by overall rating, best first: "Outstanding 3 · Good 20 · …".
fn ratings_summary(counts: [u32; 4], unrated: u32) -> String {
    let mut parts: Vec<String> = Rating::ALL
        .iter()
        .rev()
        .zip(counts)
        .map(|(r, n)| format!("{}\u{a0}{n}", r.label()))
        .collect();
    parts.push(format!("{NOT_RATED_LABEL}\u{a0}{unrated}"));
    parts.join(" · ")
}

/// The table of a page of results, whichever way its rows were found.
#[component]
fn ResultsTable<R: IntoView + 'static>(rows: R) -> impl IntoView {
    view! {
        <TableRegion label="Matching locations">
            <table>
                <caption class="visually-hidden">"Matching locations"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Overall rating"</th>
                        <th scope="col">"Published"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableRegion>
    }
}

#[component]
fn ResultRow(card: Card) -> impl IntoView {
    view! {
        <tr>
            <td>
                <a href=location_href(&card.id)>{card.name.clone()}</a>
                " "{closed_badge(&card.registration)}
                <br/>
                <span class="muted">
                    {format!("{} ", card.city)}
                    <span class="nowrap">{card.postcode.clone()}</span>
                </span>
                <br/>
                <crate::app::pages::compare::AddToCompare id=card.id.clone() name=card.name.clone()/>
            </td>
            <td>{card.sector.clone()}</td>
            <td>{rating_badge(card.overall)}</td>
            <td><span class="nowrap">{date(card.published)}</span>" "{age_badge(card.published)}</td>
        </tr>
    }
}

#[component]
fn Pager(query: Memo<Query>, pages: Signal<usize>, go: Go) -> impl IntoView {
    let to_page = move |page: usize| {
        let mut q = query.get_untracked();
        q.page = page;
        go(q, false);
    };
    view! {
        <nav class="pager" aria-label="Result pages">
            {move || {
                let page = query.get().page;
                let pages = pages.get();
                let to_page = to_page.clone();
                let to_next = to_page.clone();
                view! {
                    <button type="button" disabled={page == 0} on:click=move |_| to_page(page.saturating_sub(1))>
                        "Previous"
                    </button>
                    <span>{format!("Page {} of {pages}", page + 1)}</span>
                    <button type="button" disabled={page + 1 >= pages} on:click=move |_| to_next(page + 1)>
                        "Next"
                    </button>
                }
            }}
        </nav>
    }
}

/// A filter's options: each value shown as itself.
fn options(values: &[String]) -> Vec<(String, String)> {
    values.iter().map(|v| (v.clone(), v.clone())).collect()
}

/// Changes the filters with the given edit, going back to the first page; `true` replaces the
/// history entry instead of adding one.
type SetFilters = Arc<dyn Fn(&dyn Fn(&mut Filters), bool) + Send + Sync>;

/// The search box and every filter; each change goes to the first page of its results.
#[component]
fn SearchForm(
    vocabulary: Vocabulary,
    query: Memo<Query>,
    typing: Typing,
    go: Go,
    store: Store,
) -> impl IntoView {
    let settle = {
        let go = go.clone();
        move || typing.settle(go.clone())
    };
    let on_input = {
        let go = go.clone();
        move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            // Ask for the shards the words need now, before the list catches up: a cold
            // shard's fetch starts with the keystroke.
            if store.all.get_untracked().is_none() {
                untrack(|| store.search_index(&text));
            }
            typing.typed(text, go.clone());
        }
    };
    let set: SetFilters = Arc::new(move |f, replace| {
        let mut q = query.get_untracked();
        f(&mut q.filters);
        q.page = 0;
        go(q, replace);
    });
    // Leaving the box (a click on a result, Tab) or pressing Enter puts the text in the address
    // first, so Back returns to this search as it was typed.
    let on_change = {
        let settle = settle.clone();
        move |_| settle()
    };
    let select = {
        let set = set.clone();
        move |id: &'static str,
              label: &'static str,
              any: &'static str,
              options: Vec<(String, String)>,
              get: fn(&Filters) -> String,
              put: fn(&mut Filters, String)| {
            let set = set.clone();
            let on_change = move |ev: leptos::ev::Event| {
                let value = event_target_value(&ev);
                set(&move |f| put(f, value.clone()), false);
            };
            view! {
                <div>
                    <label for=id>{label}</label>
                    <select id=id prop:value=move || get(&query.get().filters) on:change=on_change>
                        <option value="">{any}</option>
                        {options
                            .into_iter()
                            .map(|(value, text)| view! { <option value=value>{text}</option> })
                            .collect_view()}
                    </select>
                </div>
            }
        }
    };
    let check = move |id: &'static str,
                      label: &'static str,
                      get: fn(&Filters) -> bool,
                      put: fn(&mut Filters, bool)| {
        let set = set.clone();
        let on_change = move |ev: leptos::ev::Event| {
            let checked = event_target_checked(&ev);
            set(&move |f| put(f, checked), false);
        };
        view! {
            <label for=id>
                <input id=id type="checkbox" prop:checked=move || get(&query.get().filters) on:change=on_change/>
                {label}
            </label>
        }
    };
    let mut ratings: Vec<(String, String)> = Rating::ALL
        .iter()
        .rev()
        .map(|r| (r.slug().to_string(), r.label().to_string()))
        .collect();
    ratings.push(("none".into(), NOT_RATED_LABEL.into()));
    let key_questions: Vec<(String, String)> = KeyQuestion::ALL
        .iter()
        .map(|k| (k.slug().to_string(), k.label().to_string()))
        .collect();
    let ages: Vec<(String, String)> = AgeBand::ALL
        .iter()
        .map(|b| (b.slug().to_string(), b.label().to_string()))
        .collect();
    let sorts: Vec<(String, String)> = Sort::ALL[1..]
        .iter()
        .map(|s| (s.slug().to_string(), s.label().to_string()))
        .collect();
    view! {
        <form role="search" on:submit=move |ev| {
            ev.prevent_default();
            settle();
        }>
            <label for="q">"Search by name, town, postcode, provider or brand"</label>
            <input
                id="q"
                type="search"
                autocomplete="off"
                placeholder="e.g. Shrewsbury, SY3, Beech House"
                prop:value=move || query.get().filters.text
                on:input=on_input
                on:change=on_change
            />
            {after_first_draw(move || {
            let (select, check, vocabulary) = (select.clone(), check.clone(), vocabulary.clone());
            let (ratings, key_questions, ages, sorts) = (ratings.clone(), key_questions.clone(), ages.clone(), sorts.clone());
            view! {
            <div class="filters">
                {select("sector", "Type of service", "All types", options(&vocabulary.sectors),
                    |f| f.sector.clone(), |f, v| f.sector = v)}
                {select("region", "Region", "All regions", options(&vocabulary.regions),
                    |f| f.region.clone(), |f, v| f.region = v)}
                {select("la", "Local authority", "All local authorities", options(&vocabulary.local_authorities),
                    |f| f.local_authority.clone(), |f, v| f.local_authority = v)}
                {select("rating", "Overall rating", "Any rating", ratings.clone(),
                    |f| f.rating.clone(), |f, v| f.rating = v)}
                {select("kq", "Key question", "Any key question", key_questions,
                    |f| f.key_question.map(|k| k.slug().to_string()).unwrap_or_default(),
                    |f, v| f.key_question = KeyQuestion::from_slug(&v))}
                {select("kqr", "…rated", "Any rating", ratings,
                    |f| f.key_question_rating.clone(), |f, v| f.key_question_rating = v)}
                {select("age", "Age of overall rating", "Any age", ages,
                    |f| f.age.map(|b| b.slug().to_string()).unwrap_or_default(),
                    |f, v| f.age = AgeBand::from_slug(&v))}
                {select("nursing", "Nursing care", "With or without nursing",
                    NursingFilter::ALL[1..].iter().map(|n| (n.slug().to_string(), n.label().to_string())).collect(),
                    |f| f.nursing.slug().to_string(), |f, v| f.nursing = NursingFilter::from_slug(&v))}
                {select("spec", "Specialism", "Any specialism",
                    options(&vocabulary.specialisms),
                    |f| f.specialism.clone(), |f, v| f.specialism = v)}
                {select("sort", "Sort by", "Best match", sorts,
                    |f| f.sort.slug().to_string(), |f, v| f.sort = Sort::from_slug(&v))}
                <div class="checks">
                    {check("inherited", " Has an inherited rating", |f| f.inherited, |f, v| f.inherited = v)}
                    {check("carehome", " Care homes only", |f| f.care_home, |f, v| f.care_home = v)}
                    {check("mixed", " Overall built from ratings of different dates",
                        |f| f.mixed_dates, |f, v| f.mixed_dates = v)}
                    {check("diverges", " Published rating differs from the rules",
                        |f| f.diverges, |f, v| f.diverges = v)}
                    {check("overdue", " Past its re-inspection target",
                        |f| f.past_target, |f, v| f.past_target = v)}
                </div>
            </div>
            }
            })}
        </form>
    }
}
