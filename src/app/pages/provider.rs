//! A provider: every location it runs in this data, with their published ratings. Its counts
//! and main table are of its current locations; closed and dormant registrations are listed
//! apart, marked, below.

use crate::app::components::{age_badge, closed_badge, counted, date, rating_badge, TableRegion};
use crate::app::data::{with_data, AppData};
use crate::app::routes::location_href;
use cqc_engine::model::{Domain, KeyQuestion, Location, Rating};
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
            if locations.is_empty() {
                view! { <ProviderNotFound id=id/> }.into_any()
            } else {
                view! { <ProviderView id=id locations=locations/> }.into_any()
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
fn ProviderView(id: String, locations: Vec<Location>) -> impl IntoView {
    let name = locations
        .iter()
        .map(|l| l.provider_name.clone())
        .find(|n| !n.is_empty())
        .unwrap_or_else(|| format!("Provider {id}"));
    // The spread counts current locations and the closed apart, itself.
    let spread_locations = locations.clone();
    let (current, closed): (Vec<Location>, Vec<Location>) =
        locations.into_iter().partition(Location::is_current);
    let counts = overall_counts(&current);
    let closed_count = (!closed.is_empty()).then(|| {
        format!(
            " Not counted: {}, listed below.",
            counted(closed.len(), "closed registration", "closed registrations")
        )
    });
    view! {
        <h1>{name}</h1>
        <p data-testid="provider-counts">
            {format!("{} in this data. {counts}", counted(current.len(), "current location", "current locations"))}
            {closed_count}
        </p>
        <LocationsTable label="The provider's locations" locations=current/>
        <super::provider_spread::ProviderSpreadSections locations=spread_locations/>
        {(!closed.is_empty()).then(|| view! {
            <h2>"Closed registrations"</h2>
            <p>"Locations this provider ran whose registration has closed or is dormant: their ratings are history."</p>
            <LocationsTable label="The provider's closed registrations" locations=closed/>
        })}
    }
}

#[component]
fn LocationsTable(label: &'static str, locations: Vec<Location>) -> impl IntoView {
    view! {
        <TableRegion label=label>
            <table class="ratings-grid">
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
                        .map(|l| view! { <ProviderRow location=l.clone()/> })
                        .collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

#[component]
fn ProviderRow(location: Location) -> impl IntoView {
    let overall = location.published(Domain::Overall);
    let published = overall.and_then(|p| p.published);
    view! {
        <tr>
            <th scope="row">
                <a href=location_href(&location.id)>{location.name.clone()}</a>
                " "{closed_badge(&location.detail.registration)}
            </th>
            <td>{rating_badge(overall.map(|p| p.value))}</td>
            {KeyQuestion::ALL
                .iter()
                .map(|k| {
                    let value = location.published(Domain::KeyQuestion(*k)).map(|p| p.value);
                    view! { <td>{rating_badge(value)}</td> }
                })
                .collect_view()}
            <td><span class="nowrap">{date(published)}</span>" "{age_badge(published)}</td>
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
