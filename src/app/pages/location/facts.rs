//! The facts people choose a service by, as CQC's API gives them: what kind of care home it is,
//! beds, specialisms, service types, regulated activities, phone and website. Where the data
//! has a fact missing (the Latest ratings file carries none) the page says so rather than
//! leaving a gap a reader could take for "none". The compare page shows the same lines.

use cqc_engine::contact::{phone_link, website_link};
use cqc_engine::model::{Facts, Location};
use leptos::prelude::*;

/// The words for a fact the data does not have.
pub const NOT_PUBLISHED: &str = "not published in this data";

/// "Care home with nursing", "Care home without nursing (residential)", "Not a care home", or
/// `None` where the data does not say.
pub fn care_home_kind(location: &Location) -> Option<&'static str> {
    let facts = &location.detail.facts;
    let care_home = location.care_home
        || facts
            .service_types
            .iter()
            .any(|t| t.to_ascii_lowercase().starts_with("care home service"));
    match (care_home, facts.with_nursing()) {
        (true, Some(true)) => Some("Care home with nursing"),
        (true, Some(false)) => Some("Care home without nursing (residential)"),
        (true, None) => Some("Care home (whether with nursing is not published in this data)"),
        (false, Some(_)) => Some("Not a care home"),
        (false, None) => None,
    }
}

/// The number of beds in words, or `None` where the data does not give it.
pub fn beds_text(location: &Location) -> Option<String> {
    let beds = location.detail.facts.beds?;
    Some(match beds {
        0 if !location.care_home => "None (not a residential service)".to_string(),
        1 => "1 bed".to_string(),
        n => format!("{n} beds"),
    })
}

/// A list fact as one line, or `None` when the data lists nothing.
pub fn list_text(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| items.join("; "))
}

/// One fact's value, or the muted words for one the data does not have.
pub fn fact_or_missing(value: Option<String>) -> AnyView {
    match value {
        Some(text) => text.into_any(),
        None => view! { <span class="muted">{NOT_PUBLISHED}</span> }.into_any(),
    }
}

/// The phone number, linked to call it when it is plainly a phone number.
pub fn phone_view(facts: &Facts) -> AnyView {
    match facts.phone.clone() {
        Some(phone) => match phone_link(&phone) {
            Some(href) => view! { <a class="nowrap" href=href>{phone}</a> }.into_any(),
            None => phone.into_any(),
        },
        None => fact_or_missing(None),
    }
}

/// The website, linked only when it is an ordinary web address on a plain domain.
pub fn website_view(facts: &Facts) -> AnyView {
    match facts.website.clone() {
        Some(site) => match website_link(&site) {
            Some(href) => {
                view! { <a href=href rel="noopener noreferrer nofollow">{site}</a> }.into_any()
            }
            None => site.into_any(),
        },
        None => fact_or_missing(None),
    }
}

/// The facts section of a location's page.
#[component]
pub fn LocationFacts(location: Location) -> impl IntoView {
    let facts = location.detail.facts.clone();
    let none_at_all = facts == Facts::default();
    let row = |label: &'static str, value: AnyView| {
        view! {
            <div class="fact">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    view! {
        <section aria-labelledby="facts-heading">
            <h2 id="facts-heading">"About this service"</h2>
            {none_at_all.then(|| view! {
                <p class="muted">
                    "CQC's Latest ratings file, where this location comes from, does not carry "
                    "these facts; CQC's API does, for the locations loaded from it."
                </p>
            })}
            // With none of the facts, the sentence above says so once rather than seven
            // "not published" lines; a care home still says what kind it is, as far as known.
            <dl class="facts" data-testid="facts">
                {care_home_kind(&location).map(|kind| row("Type of care home", kind.into_any()))}
                {(!none_at_all).then(|| view! {
                    {row("Beds", fact_or_missing(beds_text(&location)))}
                    {row("Specialisms", fact_or_missing(list_text(&facts.specialisms)))}
                    {row("Service types", fact_or_missing(list_text(&facts.service_types)))}
                    {row("Regulated activities", fact_or_missing(list_text(&facts.regulated_activities)))}
                    {row("Phone", phone_view(&facts))}
                    {row("Website", website_view(&facts))}
                })}
            </dl>
        </section>
    }
}
