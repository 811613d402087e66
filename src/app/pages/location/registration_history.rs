//! A location's registration history: when it was registered (and deregistered), the
//! registrations before and after it (CQC's "HSCA Predecessor" / "HSCA Successor" links), each
//! linked both ways, and where its current rating was inherited, the registration it came from.
//! A link is a link only when that location is in the data; otherwise its name and id are given.

use crate::app::components::date;
use crate::app::data::{with_store, Lookup, Store};
use crate::app::routes::location_href;
use cqc_engine::model::{Domain, Location, RelationshipKind};
use leptos::prelude::*;

/// One related registration as the page lists it: found in this location's own links, or only
/// in the other location's (the data may carry one side of a pair).
#[derive(Clone)]
struct Related {
    kind: RelationshipKind,
    id: String,
    name: String,
    reason: String,
    in_data: bool,
}

/// Both directions of the links: this location's own, then, once every row is here, any other
/// location in the data that names this one and is not listed yet, with the relation turned
/// round. Until then whether an own link's location is in the data is read from its bucket.
fn related_registrations(location: &Location, store: &Store) -> Vec<Related> {
    let all = store.all.get();
    let in_data = |id: &str| match &all {
        Some(d) => d.snapshot.locations.iter().any(|l| l.id == id),
        None => matches!(store.location(id), Lookup::Found(_)),
    };
    let mut related: Vec<Related> = location
        .detail
        .relationships
        .iter()
        .map(|r| Related {
            kind: r.kind.clone(),
            id: r.location_id.clone(),
            name: r.location_name.clone(),
            reason: r.reason.clone(),
            in_data: in_data(&r.location_id),
        })
        .collect();
    let Some(d) = all else { return related };
    for other in &d.snapshot.locations {
        if other.id == location.id || related.iter().any(|r| r.id == other.id) {
            continue;
        }
        let names_this = other
            .detail
            .relationships
            .iter()
            .find(|r| r.location_id == location.id);
        if let Some(r) = names_this {
            let kind = match &r.kind {
                RelationshipKind::Predecessor => RelationshipKind::Successor,
                RelationshipKind::Successor => RelationshipKind::Predecessor,
                RelationshipKind::Other(text) => RelationshipKind::Other(text.clone()),
            };
            related.push(Related {
                kind,
                id: other.id.clone(),
                name: other.name.clone(),
                reason: r.reason.clone(),
                in_data: true,
            });
        }
    }
    related
}

/// Until every row is here, a way to look for registrations that name this one (their links
/// are in their own data, anywhere in the country).
fn look_further(store: &Store) -> Option<impl IntoView> {
    if store.all.get().is_some() {
        return None;
    }
    let loading = store.all_progress.get().1 > 0;
    let store = store.clone();
    Some(view! {
        <p>
            <button type="button" disabled=loading on:click=move |_| store.request_all()>
                "Also look for registrations that name this one"
            </button>
            {loading.then_some(" Looking through every location's registration…")}
        </p>
    })
}

fn kind_sentence(kind: &RelationshipKind) -> String {
    match kind {
        RelationshipKind::Predecessor => {
            "Registered before this one: this location took the service over from it".into()
        }
        RelationshipKind::Successor => {
            "Registered after this one: it took the service over from this location".into()
        }
        RelationshipKind::Other(text) => format!("Related registration ({text})"),
    }
}

#[component]
fn RelatedItem(related: Related) -> impl IntoView {
    let label = if related.name.trim().is_empty() {
        related.id.clone()
    } else {
        related.name.clone()
    };
    let name = if related.in_data {
        view! { <a href=location_href(&related.id)>{label}</a> }.into_any()
    } else {
        view! { <span>{label}</span> }.into_any()
    };
    let reason = (!related.reason.trim().is_empty())
        .then(|| format!(" CQC gives the reason: {}.", related.reason.trim()));
    let absent = (!related.in_data).then_some(" That location is not in this data.");
    view! {
        <li data-testid="related-registration">
            {format!("{}: ", kind_sentence(&related.kind))}
            {name}
            " (CQC id "<span class="nowrap">{related.id.clone()}</span>")."
            {reason}
            {absent}
        </li>
    }
}

/// The registration history section; nothing when the data says nothing about it.
#[component]
pub fn RegistrationHistory(location: Location) -> impl IntoView {
    view! {
        {with_store(move |store: Store| {
            let location = location.clone();
            move || {
            let related = related_registrations(&location, &store);
            let further = look_further(&store);
            let registration = location.detail.registration.clone();
            let dates = [
                registration.registered.map(|r| format!("Registered with CQC on {}.", date(Some(r)))),
                registration.deregistered.map(|r| format!("Deregistered on {}.", date(Some(r)))),
            ];
            let has_dates = dates.iter().any(Option::is_some);
            (has_dates || !related.is_empty()).then(|| view! {
                <section aria-labelledby="registration-history" data-testid="registration-history">
                    <h2 id="registration-history">"Registration history"</h2>
                    {dates.into_iter().flatten().map(|t| view! { <p>{t}</p> }).collect_view()}
                    {(!related.is_empty()).then(|| view! {
                        <ul>
                            {related.into_iter().map(|r| view! { <RelatedItem related=r/> }).collect_view()}
                        </ul>
                    })}
                    {further}
                </section>
            })
            }
        })}
    }
}

/// Where the current overall rating was inherited: the predecessor it came from, linked to its
/// page when that is in the data. Nothing for a rating of the location's own.
#[component]
pub fn InheritedFrom(location: Location) -> impl IntoView {
    let inherited = location
        .published(Domain::Overall)
        .is_some_and(|o| o.inherited);
    inherited.then(|| {
        view! {
            {with_store(move |store: Store| {
                let location = location.clone();
                move || {
                let predecessors: Vec<Related> = related_registrations(&location, &store)
                    .into_iter()
                    .filter(|r| r.kind == RelationshipKind::Predecessor)
                    .collect();
                if predecessors.is_empty() {
                    return view! {
                        <p data-testid="inherited-from">
                            "The current overall rating was inherited from an earlier registration "
                            "of this service; CQC's data here does not say which."
                        </p>
                    }
                    .into_any();
                }
                view! {
                    <div data-testid="inherited-from">
                        <p>"The current overall rating was inherited from the registration before this one:"</p>
                        <ul>
                            {predecessors.into_iter().map(|r| view! { <RelatedItem related=r/> }).collect_view()}
                        </ul>
                    </div>
                }
                .into_any()
                }
            })}
        }
    })
}
