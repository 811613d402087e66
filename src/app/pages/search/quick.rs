//! The list before every row is here: a query answered from the search shards its words begin
//! with, counted and split (closed or not) by the status column, and only the page shown read
//! from its cards files. The same results, in the same order, as the full list gives once every
//! row has arrived (`layout` numbers locations in the index's name order).

use super::query::Query;
use super::{closed, correction, ratings_summary, Go, Pager, ResultRow, ResultsTable, PAGE_SIZE};
use crate::app::data::Store;
use cqc_engine::search::Sort;
use leptos::prelude::*;

/// The matching locations' numbers (closed ones left out unless asked for, then last, as the
/// full list does), and how many closed registrations matched; `None` while a part is on its
/// way.
fn matching(store: &Store, query: &Query) -> Option<(Vec<usize>, usize)> {
    store.request_status();
    let status = store.status.get()?;
    let text = query.filters.text.trim();
    let found: Vec<usize> = if text.is_empty() {
        (0..store.manifest.location_count).collect()
    } else {
        let index = store.search_index(text)?;
        let mut found: Vec<usize> = index.search(text).into_iter().map(|n| n as usize).collect();
        if query.filters.sort == Sort::Name {
            found.sort_unstable();
        }
        found
    };
    let current = |n: &usize| status.get(*n).is_some_and(|s| s.is_current());
    let (mut shown, closed): (Vec<usize>, Vec<usize>) = found.into_iter().partition(current);
    let closed_count = closed.len();
    if query.include_closed {
        shown.extend(closed);
    }
    Some((shown, closed_count))
}

#[component]
pub fn QuickResults(store: Store, query: Memo<Query>, go: Go) -> impl IntoView {
    let selection = {
        let store = store.clone();
        Memo::new(move |_| matching(&store, &query.get()))
    };
    let results = Memo::new(move |_| selection.get().map(|(r, _)| r).unwrap_or_default());
    let closed_matching = Signal::derive(move || selection.get().map_or(0, |(_, c)| c));
    let pending = move || selection.get().is_none();
    let manifest = store.manifest.clone();
    let any_closed = manifest.current_count < manifest.location_count;
    let count_line = move || {
        if pending() {
            "Preparing the search; the results appear in a moment…".to_string()
        } else {
            if !query.get().filters.text.trim().is_empty() {
                // The query is answered (counted, split, ordered): its lines follow.
                crate::app::data::mark("cqc:search-answered");
            }
            closed::count_line(
                results.get().len(),
                manifest.location_count,
                query.get().include_closed,
                any_closed,
            )
        }
    };
    let ratings_line = {
        let store = store.clone();
        move || {
            let status = store.status.get()?;
            let (counts, unrated) = status.rating_counts(&results.get());
            Some(ratings_summary(counts, unrated))
        }
    };
    let correction = {
        let store = store.clone();
        move || {
            let text = query.get().filters.text;
            if text.trim().is_empty() {
                return None;
            }
            let best = *results.get().first()?;
            // Only a result resting on a typo has a correction: the best result's row (from
            // its rows file) is fetched for those alone.
            if store.search_index(&text)?.matches_without_typos(&text) {
                return None;
            }
            let row = store.rows(&[best])?.into_iter().next()?;
            let corrected = correction::corrected_query(&text, &row)?;
            Some(correction::correction_panel(&text, corrected))
        }
    };
    // The page's lines: each drawn on its own, and redrawn only when its own card arrives. Drawn
    // as one list, every line was redrawn whenever any cards file arrived (a cold search's two
    // dozen files redrew the page two dozen times).
    let page_numbers = Memo::new(move |_| {
        let page = query.get().page;
        results.with(|r| {
            r.iter()
                .skip(page * PAGE_SIZE)
                .take(PAGE_SIZE)
                .copied()
                .collect::<Vec<usize>>()
        })
    });
    // Asking for every line's card at once sends the missing files' requests together.
    let page_cards = {
        let store = store.clone();
        Memo::new(move |_| {
            let numbers = page_numbers.get();
            let cards = store.cards(&numbers);
            numbers.into_iter().zip(cards).collect::<Vec<_>>()
        })
    };
    let all_shown = move || {
        page_cards.with(|cards| {
            if !cards.is_empty() && cards.iter().all(|(_, card)| card.is_some()) {
                crate::app::data::mark("cqc:results-shown");
            }
        })
    };
    let line = move |number: usize| {
        let card = Memo::new(move |_| {
            page_cards.with(|cards| {
                cards
                    .iter()
                    .find(|(n, _)| *n == number)
                    .and_then(|(_, card)| card.clone())
            })
        });
        move || match card.get() {
            Some(card) => view! { <ResultRow card=card/> }.into_any(),
            None => view! {
                <tr><td colspan="4" class="muted">"Loading this result…"</td></tr>
            }
            .into_any(),
        }
    };
    let rows = view! {
        <For each=move || page_numbers.get() key=|number| *number children=line/>
        {all_shown}
    };
    let failure =
        {
            let store = store.clone();
            move || {
                let retry = store.clone();
                store.failure().map(|message| view! {
                <div class="error-panel" role="alert">
                    <p>{format!("Part of the data could not be loaded: {message}")}</p>
                    <button type="button" on:click=move |_| retry.retry()>"Try again"</button>
                </div>
            })
            }
        };
    // The download has the rules' result for each row: it waits for every row (and then the
    // full list makes it).
    let on_download = {
        let store = store.clone();
        move |_| {
            store.export_wanted.set(true);
            store.request_all();
        }
    };
    let pages = Signal::derive(move || results.get().len().div_ceil(PAGE_SIZE).max(1));
    view! {
        <closed::IncludeClosed query=query closed_matching=closed_matching go=go.clone()/>
        {failure}
        {correction}
        <p aria-live="polite" data-testid="result-count">{count_line}</p>
        <crate::app::pages::compare::CompareChosen/>
        <p class="muted" data-testid="result-ratings">{ratings_line}</p>
        <button type="button" disabled=pending on:click=on_download>
            "Download these results (CSV)"
        </button>
        <ResultsTable rows=rows/>
        <Pager query=query pages=pages go=go/>
    }
}
