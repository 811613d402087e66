//! What CQC published for a location: its address, whether its registration is still open,
//! its overall rating, the five key questions and the ratings of each service or population
//! group.

use crate::app::components::{
    age_badge, as_of_line, closed_badge, date, rating_badge, StaleDataNotice, TableRegion,
};
use crate::app::routes::provider_href;
use cqc_engine::model::{
    format_year, Date, Domain, KeyQuestion, Location, RatingValue, RegistrationStatus,
};
use cqc_engine::rules::{rate_outcome, rule_set_in_force, Evidence, RuleParams};
use leptos::prelude::*;

/// "built from inspections between 2016 and 2022" when the ratings the overall rests on were
/// published in different years, so the headline never hides that part of it is old. The
/// years are the engine's evidence age (`EvidenceAge::oldest`/`newest`) of the published
/// ratings under the rules in force; within one year, nothing is added.
fn input_span(location: &Location, data_date: Option<Date>) -> Option<String> {
    let evidence = Evidence::from_location(location, rule_set_in_force(location), data_date);
    let age = rate_outcome(&evidence, &RuleParams::default())
        .ok()?
        .evidence_age;
    // Years through the engine: the app does not depend on chrono.
    let (oldest, newest) = age.oldest.zip(age.newest)?;
    let (from, to) = (format_year(oldest), format_year(newest));
    (from != to).then(|| format!("built from inspections between {from} and {to}"))
}

/// `as_of` is the data's own date: ages are measured to today, and it is shown beside them.
#[component]
pub fn Published(location: Location, as_of: Option<Date>) -> impl IntoView {
    let overall = location.published(Domain::Overall).cloned();
    let published = overall.as_ref().and_then(|o| o.published);
    let inherited = overall.as_ref().is_some_and(|o| o.inherited);
    // API responses carry the provider's id only; its name comes from a provider response, and
    // an individual's or partnership's is never kept (it is a person's name).
    let provider = if location.provider_name.trim().is_empty() {
        format!("Provider {}", location.provider_id)
    } else {
        location.provider_name.clone()
    };
    let address = format!(
        "{}, {} {} · {} · ",
        location.street, location.city, location.postcode, location.local_authority
    );
    let report_url = location.report_link();
    let span = published.and_then(|_| input_span(&location, as_of));
    view! {
        <h1>{location.name.clone()}" "{closed_badge(&location.detail.registration)}</h1>
        <p class="muted">
            {address}
            <a href=provider_href(&location.provider_id)>{provider}</a>
            " · CQC id "
            <span class="nowrap" data-testid="cqc-id">{location.id.clone()}</span>
        </p>
        <super::registration::RegistrationNotice location=location.clone()/>
        <div class="panel">
            <h2 class="flush-top">"Overall: " {rating_badge(overall.as_ref().map(|o| o.value))}</h2>
            <p data-testid="headline">
                {format!("Published {}", date(published))}" "{age_badge(published)}
                {span.map(|s| view! { " · " <strong data-testid="input-span">{s}</strong> })}
                {inherited.then_some(" · inherited from a previous registration")}
                <br/>
                <span class="muted" data-testid="as-of">{as_of_line(as_of)}</span>
            </p>
            // A closed registration's rating is history whatever the data's age (its notice
            // above says so); the warning is for ratings still standing.
            {(location.detail.registration.status != RegistrationStatus::Deregistered)
                .then(|| view! { <StaleDataNotice data_date=as_of/> })}
            <AssessmentNote location=location.clone()/>
            {report_url.map(|u| view! {
                <p><a href=u rel="noopener noreferrer">"Read CQC's report on cqc.org.uk"</a></p>
            })}
        </div>
        <h2>"The five key questions"</h2>
        <div class="kq-grid">
            {KeyQuestion::ALL
                .iter()
                .map(|kq| view! { <KeyQuestionCard location=location.clone() kq=*kq/> })
                .collect_view()}
        </div>
        <ServiceRatings location=location/>
    }
}

/// Where the overall rating comes from a single-assessment-framework assessment, when CQC
/// assessed it; and where CQC's data gives another overall rating too (the Latest ratings row
/// and an assessment disagreeing), that one, and which of the two is newer.
#[component]
fn AssessmentNote(location: Location) -> impl IntoView {
    let all = location.published_all(Domain::Overall);
    let assessed = all
        .first()
        .and_then(|current| location.assessment_behind(current))
        .map(|a| {
            format!(
                "From CQC's assessment under the single assessment framework ({}), assessed {}.",
                a.service_group,
                date(a.assessment_date)
            )
        });
    let others: Vec<String> = all
        .iter()
        .skip(1)
        .filter(|other| all.first().is_some_and(|current| current.value != other.value))
        .map(|other| {
            format!(
                "CQC's data also gives an older overall rating, {}, published {}: the rating above is the newer and is CQC's current one.",
                other.value.label(),
                date(other.published)
            )
        })
        .collect();
    view! {
        {assessed.map(|text| view! { <p data-testid="assessment-note">{text}</p> })}
        {others.into_iter().map(|text| view! { <p class="panel provisional">{text}</p> }).collect_view()}
    }
}

#[component]
fn KeyQuestionCard(location: Location, kq: KeyQuestion) -> impl IntoView {
    let p = location.published(Domain::KeyQuestion(kq));
    let published = p.and_then(|p| p.published);
    view! {
        <div class="kq-card" data-testid=format!("kq-{}", kq.slug())>
            <h3>{kq.label()}</h3>
            <p class="muted flush">{kq.question()}</p>
            <p>{rating_badge(p.map(|p| p.value))}</p>
            <p><span class="nowrap">{date(published)}</span>" "{age_badge(published)}</p>
        </div>
    }
}

/// Ratings per service or population group, where CQC publishes them.
#[component]
fn ServiceRatings(location: Location) -> impl IntoView {
    let groups: Vec<String> = location
        .service_groups()
        .into_iter()
        .map(String::from)
        .collect();
    let cell = move |group: &str, domain: Domain| -> Option<RatingValue> {
        location
            .ratings
            .iter()
            .find(|r| r.group == group && r.domain == domain)
            .map(|r| r.value)
    };
    (!groups.is_empty()).then(|| {
        let rows = groups
            .iter()
            .map(|g| {
                view! {
                    <tr>
                        <th scope="row">{g.clone()}</th>
                        {KeyQuestion::ALL
                            .iter()
                            .map(|k| {
                                let value = cell(g, Domain::KeyQuestion(*k));
                                view! { <td>{value.map(|v| rating_badge(Some(v)))}</td> }
                            })
                            .collect_view()}
                        <td>{rating_badge(cell(g, Domain::Overall))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h2>"Services and population groups"</h2>
            <TableRegion label="Ratings by service or population group">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Service or group"</th>
                            {KeyQuestion::ALL
                                .iter()
                                .map(|k| view! { <th scope="col">{k.label()}</th> })
                                .collect_view()}
                            <th scope="col">"Overall"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableRegion>
        }
    })
}
