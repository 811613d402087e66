//! A provider: every location it runs in this data, with their published ratings.

use crate::app::components::{age_badge, counted, date, rating_badge, TableRegion};
use crate::app::data::{with_data, AppData};
use crate::app::routes::location_href;
use cqc_engine::model::{Date, Domain, KeyQuestion, Location, Rating};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ProviderPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        {with_data(move |d: AppData| {
            let id = params.get().get("id").unwrap_or_default();
            let locations: Vec<Location> = d
                .snapshot
                .locations
                .iter()
                .filter(|l| l.provider_id == id)
                .cloned()
                .collect();
            let as_of = d.snapshot.meta.data_date;
            if locations.is_empty() {
                view! { <ProviderNotFound id=id/> }.into_any()
            } else {
                view! { <ProviderView id=id locations=locations as_of=as_of/> }.into_any()
            }
        })}
    }
}

/// An id no location in this data is run by: say so, rather than an empty table.
#[component]
fn ProviderNotFound(id: String) -> impl IntoView {
    view! {
        <h1>"Provider not found"</h1>
        <p>
            {format!("No location in this data is run by a provider with the id \u{201c}{id}\u{201d}. ")}
            <a href="/">"Search for a care service"</a>
            " by its name, town or provider."
        </p>
    }
}

#[component]
fn ProviderView(id: String, locations: Vec<Location>, as_of: Option<Date>) -> impl IntoView {
    let name = locations
        .iter()
        .map(|l| l.provider_name.clone())
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| format!("Provider {id}"));
    let counts = overall_counts(&locations);
    let spread_locations = locations.clone();
    view! {
        <h1>{name}</h1>
        <p>{format!("{} in this data. {counts}", counted(locations.len(), "location", "locations"))}</p>
        <TableRegion label="The provider's locations">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Overall"</th>
                        {KeyQuestion::ALL
                            .iter()
                            .map(|k| view! { <th scope="col">{k.label()}</th> })
                            .collect_view()}
                        <th scope="col">"Published"</th>
                    </tr>
                </thead>
                <tbody>
                    {locations
                        .iter()
                        .map(|l| view! { <ProviderRow location=l.clone() as_of=as_of/> })
                        .collect_view()}
                </tbody>
            </table>
        </TableRegion>
        <super::provider_spread::ProviderSpreadSections locations=spread_locations/>
    }
}

#[component]
fn ProviderRow(location: Location, as_of: Option<Date>) -> impl IntoView {
    let overall = location.published(Domain::Overall);
    let published = overall.and_then(|p| p.published);
    view! {
        <tr>
            <th scope="row"><a href=location_href(&location.id)>{location.name.clone()}</a></th>
            <td>{rating_badge(overall.map(|p| p.value))}</td>
            {KeyQuestion::ALL
                .iter()
                .map(|k| {
                    let value = location.published(Domain::KeyQuestion(*k)).map(|p| p.value);
                    view! { <td>{rating_badge(value)}</td> }
                })
                .collect_view()}
            <td><span class="nowrap">{date(published)}</span>" "{age_badge(published, as_of)}</td>
        </tr>
    }
}

/// "3 good, 1 requires improvement": the overall ratings of the provider's locations.
fn overall_counts(locations: &[Location]) -> String {
    Rating::ALL
        .iter()
        .rev()
        .map(|r| {
            let n = locations
                .iter()
                .filter(|l| l.published(Domain::Overall).and_then(|p| p.value.rated()) == Some(*r))
                .count();
            (*r, n)
        })
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| format!("{n} {}", r.label().to_lowercase()))
        .collect::<Vec<_>>()
        .join(", ")
}
