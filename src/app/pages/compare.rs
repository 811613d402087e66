//! Up to three locations side by side: every published rating with its date and age, the
//! facts, and each difference marked in words as well as colour. The address is the state
//! (`/compare?ids=1-…,1-…`); the selection being built from search rows and location pages is
//! kept for the browser tab in sessionStorage, so it survives moving between pages and is
//! never sent anywhere.

use crate::app::components::{age_badge, date, rating_badge, TableRegion};
use crate::app::data::{with_data, AppData};
use crate::app::pages::location::facts::{
    beds_text, care_home_kind, fact_or_missing, list_text, phone_view, website_view,
};
use crate::app::routes::{compare_href, location_href, provider_href};
use crate::app::today::today;
use cqc_engine::audit::sector_of;
use cqc_engine::compare::{differing, parse_ids, MAX_COMPARED};
use cqc_engine::model::{format_date, Domain, KeyQuestion, Location};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The sessionStorage key of the selection.
const STORAGE_KEY: &str = "cqc-compare";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

/// The locations chosen for comparing, shared by every page (provided by the route table).
#[derive(Clone, Copy)]
pub struct CompareSelection(RwSignal<Vec<String>>);

impl CompareSelection {
    /// The selection kept for this tab, or none.
    pub fn load() -> CompareSelection {
        let stored = session_storage()
            .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
            .map(|text| parse_ids(&text))
            .unwrap_or_default();
        CompareSelection(RwSignal::new(stored))
    }

    pub fn ids(&self) -> Vec<String> {
        self.0.get()
    }

    pub fn set(&self, ids: Vec<String>) {
        if let Some(storage) = session_storage() {
            // Keeping it is a convenience: private browsing may refuse, and the page still
            // works from the address.
            let _ = storage.set_item(STORAGE_KEY, &ids.join(","));
        }
        self.0.set(ids);
    }

    /// Adds or removes `id`; at the limit nothing is added, and the message to show is given.
    pub fn toggle(&self, id: &str) -> Result<(), String> {
        let mut ids = self.0.get_untracked();
        if let Some(at) = ids.iter().position(|known| known == id) {
            ids.remove(at);
        } else if ids.len() >= MAX_COMPARED {
            return Err(format!(
                "You can compare up to {MAX_COMPARED} services at once. Remove one from the comparison first."
            ));
        } else {
            ids.push(id.to_string());
        }
        self.set(ids);
        Ok(())
    }
}

/// "Add to compare" for one location, with a link to the comparison once it holds this one.
#[component]
pub fn AddToCompare(#[prop(into)] id: String, #[prop(into)] name: String) -> impl IntoView {
    let Some(selection) = use_context::<CompareSelection>() else {
        return ().into_any();
    };
    let message = RwSignal::new(String::new());
    let chosen = {
        let id = id.clone();
        Memo::new(move |_| selection.ids().contains(&id))
    };
    let on_click = {
        let id = id.clone();
        move |_| message.set(selection.toggle(&id).err().unwrap_or_default())
    };
    let label = move || {
        if chosen.get() {
            "Remove from compare"
        } else {
            "Add to compare"
        }
    };
    // The name is in the accessible name only: a hidden span would be positioned against the
    // page, not the table's scrolling region, and push a phone's page sideways.
    let accessible = move || format!("{}: {name}", label());
    let link = move || {
        let ids = selection.ids();
        (chosen.get() && ids.len() >= 2).then(|| {
            view! {
                <a class="nowrap" href=compare_href(&ids)>{format!("Compare {} services", ids.len())}</a>
            }
        })
    };
    view! {
        <span class="compare-add">
            <button type="button" class="small" aria-label=accessible on:click=on_click>
                {label}
            </button>
            " "
            {link}
            <span class="compare-limit" role="status">{move || message.get()}</span>
        </span>
    }
    .into_any()
}

/// The selection's link for the top of a list: "Compare the 2 services you chose".
#[component]
pub fn CompareChosen() -> impl IntoView {
    let selection = use_context::<CompareSelection>();
    move || {
        let ids = selection.map(|s| s.ids()).unwrap_or_default();
        (!ids.is_empty()).then(|| {
            let text = match ids.len() {
                1 => "Compare: 1 service chosen (choose up to 3)".to_string(),
                n => format!("Compare the {n} services you chose"),
            };
            view! { <p class="compare-chosen"><a href=compare_href(&ids)>{text}</a></p> }
        })
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let query = use_query_map();
    let selection = use_context::<CompareSelection>();
    let ids = Memo::new(move |_| {
        let from_address = parse_ids(&query.get().get("ids").unwrap_or_default());
        if from_address.is_empty() {
            selection.map(|s| s.ids()).unwrap_or_default()
        } else {
            from_address
        }
    });
    // The address wins: opening a shared comparison makes it the tab's selection.
    Effect::new(move |_| {
        let ids = ids.get();
        if let Some(s) = selection {
            if s.0.get_untracked() != ids && !ids.is_empty() {
                s.set(ids);
            }
        }
    });
    view! {
        <h1>"Compare services"</h1>
        {with_data(move |d: AppData| view! { <CompareView data=d ids=ids.get()/> })}
    }
}

#[component]
fn CompareView(data: AppData, ids: Vec<String>) -> impl IntoView {
    let (found, missing): (Vec<_>, Vec<_>) = ids
        .iter()
        .partition(|id| data.snapshot.locations.iter().any(|l| &l.id == *id));
    let locations: Vec<Location> = found
        .iter()
        .filter_map(|id| {
            data.snapshot
                .locations
                .iter()
                .find(|l| &l.id == *id)
                .cloned()
        })
        .collect();
    let missing_note = (!missing.is_empty()).then(|| {
        let list = missing
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        view! {
            <p class="panel warn" role="status">
                {format!("Not in this data, so left out: {list}.")}
            </p>
        }
    });
    let today = today();
    let dates_line = format!(
        "Ages are to today{}; CQC's data is to {}.",
        today
            .map(|t| format!(", {}", format_date(t)))
            .unwrap_or_default(),
        data.snapshot
            .meta
            .data_date
            .map(format_date)
            .unwrap_or_else(|| "an unknown date".into())
    );
    if locations.is_empty() {
        return view! {
            {missing_note}
            <p>
                "Choose up to three services with the \u{201c}Add to compare\u{201d} button on "
                <a href="/">"search results"</a>
                " or on a service's page, then come back here."
            </p>
        }
        .into_any();
    }
    view! {
        {missing_note}
        <p class="muted">
            {dates_line}
            " A cell marked \u{201c}Differs\u{201d} is unlike every other service's in its row."
        </p>
        {(locations.len() == 1).then(|| view! {
            <p>"Add one or two more services from " <a href="/">"search"</a> " to compare them."</p>
        })}
        <CompareTable locations=locations/>
    }
    .into_any()
}

/// One row of the comparison: what each cell shows, and what is compared to mark differences
/// (`None` for rows where a difference means nothing, such as phone numbers).
struct CompareRow {
    label: String,
    cells: Vec<AnyView>,
    keys: Option<Vec<Option<String>>>,
}

fn rating_row(label: String, locations: &[Location], domain: Domain) -> CompareRow {
    let rows: Vec<_> = locations
        .iter()
        .map(|l| l.published(domain).cloned())
        .collect();
    CompareRow {
        label,
        keys: Some(
            rows.iter()
                .map(|r| r.as_ref().map(|r| r.value.label().to_string()))
                .collect(),
        ),
        cells: rows
            .into_iter()
            .map(|r| {
                let published = r.as_ref().and_then(|r| r.published);
                view! {
                    {rating_badge(r.as_ref().map(|r| r.value))}
                    <br/>
                    <span class="nowrap">{date(published)}</span>
                    " "
                    {age_badge(published)}
                }
                .into_any()
            })
            .collect(),
    }
}

fn text_row(
    label: &str,
    locations: &[Location],
    value: impl Fn(&Location) -> Option<String>,
    compared: bool,
) -> CompareRow {
    let values: Vec<Option<String>> = locations.iter().map(&value).collect();
    CompareRow {
        label: label.to_string(),
        cells: values.iter().cloned().map(fact_or_missing).collect(),
        keys: compared.then_some(values),
    }
}

#[component]
fn CompareTable(locations: Vec<Location>) -> impl IntoView {
    let mut rows = vec![rating_row(
        "Overall rating".into(),
        &locations,
        Domain::Overall,
    )];
    rows.extend(
        KeyQuestion::ALL
            .iter()
            .map(|kq| rating_row(kq.label().to_string(), &locations, Domain::KeyQuestion(*kq))),
    );
    // The engine's clock, to today, as on each location's page (each sentence names its own
    // dates, so the row is shown, not compared).
    if let Some(today) = crate::app::today::today() {
        rows.push(text_row(
            "Re-inspection clock",
            &locations,
            |l| Some(cqc_engine::story::reinspection_clock(l, today).sentence()),
            false,
        ));
    }
    rows.push(text_row(
        "Type of service",
        &locations,
        |l| Some(sector_of(l).to_string()),
        true,
    ));
    rows.push(text_row(
        "Type of care home",
        &locations,
        |l| care_home_kind(l).map(String::from),
        true,
    ));
    rows.push(text_row("Beds", &locations, beds_text, true));
    rows.push(text_row(
        "Specialisms",
        &locations,
        |l| list_text(&l.detail.facts.specialisms),
        true,
    ));
    rows.push(text_row(
        "Service types",
        &locations,
        |l| list_text(&l.detail.facts.service_types),
        true,
    ));
    rows.push(text_row(
        "Regulated activities",
        &locations,
        |l| list_text(&l.detail.facts.regulated_activities),
        true,
    ));
    rows.push(CompareRow {
        label: "Phone".into(),
        cells: locations
            .iter()
            .map(|l| phone_view(&l.detail.facts))
            .collect(),
        keys: None,
    });
    rows.push(CompareRow {
        label: "Website".into(),
        cells: locations
            .iter()
            .map(|l| website_view(&l.detail.facts))
            .collect(),
        keys: None,
    });
    rows.push(text_row(
        "Address",
        &locations,
        |l| Some(format!("{}, {} {}", l.street, l.city, l.postcode)),
        false,
    ));
    let ids: Vec<String> = locations.iter().map(|l| l.id.clone()).collect();
    let header = locations
        .iter()
        .map(|l| {
            let provider = (!l.provider_name.is_empty()).then(|| {
                view! { <br/><a class="muted" href=provider_href(&l.provider_id)>{l.provider_name.clone()}</a> }
            });
            view! {
                <th scope="col" data-testid="compare-name">
                    <a href=location_href(&l.id)>{l.name.clone()}</a>
                    {provider}
                    <br/>
                    <RemoveFromComparison id=l.id.clone() name=l.name.clone() ids=ids.clone()/>
                </th>
            }
        })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let marks = row.keys.as_deref().map(differing).unwrap_or_else(|| vec![false; row.cells.len()]);
            let any_differs = marks.iter().any(|m| *m);
            let cells = row
                .cells
                .into_iter()
                .zip(marks)
                .map(|(cell, differs)| {
                    view! {
                        <td class:differs=differs data-differs=differs.to_string()>
                            {differs.then(|| view! { <span class="differs-mark">"Differs"</span><br/> })}
                            {cell}
                        </td>
                    }
                })
                .collect_view();
            view! {
                <tr class:row-differs=any_differs>
                    <th scope="row">{row.label}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableRegion label="The services side by side">
            <table class="compare" data-testid="compare-table">
                <caption class="visually-hidden">"The services side by side"</caption>
                <thead>
                    <tr>
                        <td></td>
                        {header}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </TableRegion>
    }
}

/// Takes one service out of the comparison: out of the address and the tab's selection.
#[component]
fn RemoveFromComparison(id: String, name: String, ids: Vec<String>) -> impl IntoView {
    let navigate = use_navigate();
    let selection = use_context::<CompareSelection>();
    let on_click = move |_| {
        let rest: Vec<String> = ids.iter().filter(|other| **other != id).cloned().collect();
        if let Some(s) = selection {
            s.set(rest.clone());
        }
        navigate(&compare_href(&rest), Default::default());
    };
    view! {
        <button type="button" class="small" aria-label=format!("Remove {name} from the comparison") on:click=on_click>
            "Remove"
        </button>
    }
}
