//! Whether this registration is still open, and the registrations before and after it. A
//! closed or dormant location keeps its page (a direct link still opens it), but says so at
//! the top, with a link to the registration that took the service over where CQC's data names
//! one, so nobody chooses a home that no longer operates under this registration. A current
//! location's predecessors are told in its registration history, further down, not here.

use crate::app::components::date;
use crate::app::routes::location_href;
use cqc_engine::model::{Location, RegistrationStatus, Relationship, RelationshipKind};
use leptos::prelude::*;

/// The notice for a closed or dormant registration, with the links to its successors and
/// predecessors, or for a current one whose service CQC says continues elsewhere; nothing
/// otherwise.
#[component]
pub fn RegistrationNotice(location: Location) -> impl IntoView {
    let registration = &location.detail.registration;
    let closed = match (registration.status, registration.deregistered) {
        (RegistrationStatus::Deregistered, Some(d)) => {
            Some(format!("This registration closed on {}.", date(Some(d))))
        }
        (RegistrationStatus::Deregistered, None) => {
            Some("This registration has closed (CQC's data does not give the date).".to_string())
        }
        _ if registration.dormant => Some(
            "This location is dormant: registered with CQC, but providing no regulated \
             activity at present."
                .to_string(),
        ),
        _ => None,
    };
    let related = |kind: RelationshipKind| -> Vec<Relationship> {
        location
            .detail
            .relationships
            .iter()
            .filter(|r| r.kind == kind)
            .cloned()
            .collect()
    };
    let is_closed = closed.is_some();
    let successors = related(RelationshipKind::Successor);
    let predecessors = if is_closed {
        related(RelationshipKind::Predecessor)
    } else {
        Vec::new()
    };
    if !is_closed && successors.is_empty() {
        return None;
    }
    Some(view! {
        <div
            class=if is_closed { "registration closed" } else { "registration" }
            role=is_closed.then_some("note")
            data-testid="registration"
        >
            {closed.map(|text| view! {
                <p class="flush-top"><strong>{text}</strong>" Its ratings are history, not a current service's."</p>
            })}
            <RelatedList
                lead="The service continues as"
                relationships=successors
                testid="successor"
            />
            <RelatedList
                lead="Before this registration, the service was"
                relationships=predecessors
                testid="predecessor"
            />
        </div>
    })
}

/// One line per related registration: "The service continues as <link> (1-…)".
#[component]
fn RelatedList(
    lead: &'static str,
    relationships: Vec<Relationship>,
    testid: &'static str,
) -> impl IntoView {
    relationships
        .into_iter()
        .map(|r| {
            let name = if r.location_name.is_empty() {
                r.location_id.clone()
            } else {
                r.location_name.clone()
            };
            let reason = (!r.reason.is_empty()).then(|| format!(" · {}", r.reason));
            view! {
                <p class="flush">
                    {format!("{lead} ")}
                    <a href=location_href(&r.location_id) data-testid=testid>{name}</a>
                    " (CQC id "<span class="nowrap">{r.location_id.clone()}</span>")"
                    {reason}
                    "."
                </p>
            }
        })
        .collect_view()
}
