//! The provider page's spread and trust sections, and the national page's list of trusts. For
//! a provider with several current locations: how their ratings spread (a chart with a key and
//! a table alternative, the oldest rating, the share rated requires improvement or worse). For
//! an NHS trust or independent hospital group: what each option of CQC's 2025 consultation would
//! say (trust key questions, one trust word, no location ratings), each boxed as hypothetical
//! with the reason its rule gives, and the ratings one word would hide. The figures are the
//! engine's (`cqc_engine::trust`); the words come from the engine's narrative.

use crate::app::components::charts::{stacked_chart, Bar, Segment};
use crate::app::components::{counted, date, rated_badge, TableRegion};
use crate::app::routes::{location_href, provider_href};
use crate::app::today::today;
use cqc_engine::explain::narrative::{aggregation_step, exclusion_label, join_names};
use cqc_engine::model::{format_date, format_years, Location, Rating, NOT_RATED_LABEL};
use cqc_engine::rules::{Fact, RuleParams};
use cqc_engine::trust::{
    organisation_kind, provider_spread, trust_hypothetical, HypotheticalFigure, InputLevel,
    LevelCounts, LocationRating, OrganisationKind, ProviderSpread, TrustHypothetical,
    HYPOTHETICAL_LABEL,
};
use leptos::prelude::*;

/// The spread, and the trust options where the provider is a trust or hospital group. Nothing
/// for a provider with fewer than two current locations: there is no spread to show, and a
/// one-location trust's location rating already is its trust rating.
#[component]
pub fn ProviderSpreadSections(locations: Vec<Location>) -> impl IntoView {
    let refs: Vec<&Location> = locations.iter().collect();
    let spread = provider_spread(&refs, today());
    if spread.current_locations < 2 {
        return ().into_any();
    }
    let trust = organisation_kind(&refs)
        .is_some()
        .then(|| trust_hypothetical(&refs, &RuleParams::default()));
    view! {
        <Spread spread=spread/>
        {trust.map(|t| view! { <TrustOptions trust=t/> })}
    }
    .into_any()
}

/// Segment classes and labels, best first, then "Not rated": the chart, its key and its table
/// share them (the classes the national charts use).
const LEVELS: [(&str, &str); 5] = [
    ("outstanding", "Outstanding"),
    ("good", "Good"),
    ("ri", "Requires improvement"),
    ("inadequate", "Inadequate"),
    ("unrated", NOT_RATED_LABEL),
];

fn level_counts(c: &LevelCounts) -> [u32; 5] {
    [
        c.rated.outstanding,
        c.rated.good,
        c.rated.requires_improvement,
        c.rated.inadequate,
        c.not_rated,
    ]
}

#[component]
fn Spread(spread: ProviderSpread) -> impl IntoView {
    let rows: Vec<(&'static str, [u32; 5])> =
        std::iter::once(("Overall", level_counts(&spread.overall)))
            .chain(
                spread
                    .key_questions
                    .iter()
                    .map(|(kq, c)| (kq.label(), level_counts(c))),
            )
            .collect();
    let share = match spread.share_requires_improvement_or_worse {
        Some(share) => format!(
            "{} of the {} with an overall rating ({:.0} %) are rated requires improvement or inadequate.",
            spread.requires_improvement_or_worse,
            counted(spread.overall.rated.total() as usize, "location", "locations"),
            share * 100.0
        ),
        None => "None has an overall rating.".to_string(),
    };
    let oldest = spread.oldest_input.as_ref().map(|r| {
        let age = spread
            .oldest_input_years
            .map(|y| format!(", {} old today", format_years(y)))
            .unwrap_or_default();
        format!(
            "The oldest rating among them: {} for {}, published {}{age}.",
            r.domain.label(),
            r.location_name,
            date(r.published)
        )
    });
    let closed = (spread.closed_locations > 0).then(|| {
        format!(
            "{} no longer registered (or dormant) {} not counted.",
            counted(spread.closed_locations as usize, "location", "locations"),
            if spread.closed_locations == 1 {
                "is"
            } else {
                "are"
            }
        )
    });
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, counts)| Bar {
            label: label.to_string(),
            href: None,
            segments: LEVELS
                .iter()
                .zip(counts)
                .map(|((class, level), n)| Segment {
                    class,
                    label: level,
                    count: *n as usize,
                    href: None,
                })
                .collect(),
        })
        .collect();
    view! {
        <section aria-labelledby="spread-h" class="provider-spread">
            <h2 id="spread-h">"How its locations are rated"</h2>
            <p data-testid="spread-summary">
                {format!("{} in this data. ", counted(spread.current_locations as usize, "current location", "current locations"))}
                {share}
            </p>
            {oldest.map(|o| view! { <p>{o}</p> })}
            {closed.map(|c| view! { <p class="muted">{c}</p> })}
            {stacked_chart(
                "provider-spread",
                "The locations' ratings, overall and for each key question",
                "Rating for",
                bars,
            )}
        </section>
    }
}

/// What the inputs of an option A figure are called in its reason.
fn inputs_noun(level: Option<InputLevel>) -> &'static str {
    match level {
        Some(InputLevel::CoreServices) => "core-service ratings",
        Some(InputLevel::LocationsAndCoreServices) => "location and core-service ratings",
        Some(InputLevel::Locations) | None => "location ratings",
    }
}

/// The plain-English reason a figure's deciding rule gives.
fn reason(figure: &HypotheticalFigure, inputs: &str) -> String {
    match figure.deciding_step() {
        Some(step) => match &step.fact {
            Fact::Aggregated { counts, band, .. } => {
                aggregation_step(step.rule, counts, band, inputs)
            }
            _ => String::new(),
        },
        None => format!("No rating: none of the {inputs} is rated."),
    }
}

/// A box holding one hypothetical figure, with the label CQC's own ratings never carry.
#[component]
fn Hypothetical(id: &'static str, title: &'static str, children: Children) -> impl IntoView {
    let heading = format!("{id}-h");
    let labelled_by = heading.clone();
    view! {
        <section class="hypothetical" aria-labelledby=labelled_by data-testid=id>
            <p class="hypothetical-label">{HYPOTHETICAL_LABEL}</p>
            <h3 id=heading>{title}</h3>
            {children()}
        </section>
    }
}

fn location_link(r: &LocationRating) -> AnyView {
    view! { <a href=location_href(&r.location_id)>{r.location_name.clone()}</a> }.into_any()
}

/// "Safe", or "Safe (Maternity)" for a core service's rating.
fn rating_for(r: &LocationRating) -> String {
    match &r.core_service {
        Some(service) => format!("{} ({service})", r.domain.label()),
        None => r.domain.label().to_string(),
    }
}

/// "Combining Royal Shrewsbury Hospital: requires improvement (15 May 2024) and …": the inputs
/// of an option A figure, so its reason can be checked against CQC's published ratings.
fn combining(inputs: &[LocationRating]) -> String {
    let parts: Vec<String> = inputs
        .iter()
        .map(|r| {
            let whose = match &r.core_service {
                Some(service) => format!("{}, {service}", r.location_name),
                None => r.location_name.clone(),
            };
            format!(
                "{whose}: {} ({})",
                r.rating.label().to_lowercase(),
                date(r.published)
            )
        })
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    format!("Combining {}.", join_names(&parts))
}

fn rating_rows(ratings: &[LocationRating]) -> AnyView {
    ratings
        .iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{location_link(r)}</th>
                    <td>{rating_for(r)}</td>
                    <td>{rated_badge(Some(r.rating))}</td>
                    <td><span class="nowrap">{date(r.published)}</span></td>
                </tr>
            }
        })
        .collect_view()
        .into_any()
}

fn ratings_table(label: &'static str, ratings: &[LocationRating]) -> AnyView {
    let rows = rating_rows(ratings);
    view! {
        <TableRegion label=label>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Location"</th>
                        <th scope="col">"Rating for"</th>
                        <th scope="col">"Rating"</th>
                        <th scope="col">"Published"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableRegion>
    }
    .into_any()
}

#[component]
fn TrustOptions(trust: TrustHypothetical) -> impl IntoView {
    let intro = match trust.kind {
        Some(OrganisationKind::IndependentHospitalGroup) => {
            "CQC rates each hospital of an independent group, never the group as a whole. "
        }
        _ => "Since 2024 CQC has rated an NHS trust as a whole for Well-led only, with no overall rating. ",
    };
    let as_one = match trust.kind {
        Some(OrganisationKind::IndependentHospitalGroup) => {
            "If CQC rated the hospital group as one"
        }
        _ => "If CQC rated the trust as one",
    };
    let option_a_rows = trust
        .key_questions
        .iter()
        .map(|k| {
            let left_out: Vec<String> = k
                .left_out
                .iter()
                .map(|l| format!("{} ({})", l.location_name, exclusion_label(l.why)))
                .collect();
            let left_out = (!left_out.is_empty()).then(|| {
                let names: Vec<&str> = left_out.iter().map(String::as_str).collect();
                format!(" Left out: {}.", join_names(&names))
            });
            view! {
                <div class="trust-kq">
                    <dt>{k.key_question.label()}": "{rated_badge(k.figure.rating)}</dt>
                    <dd>
                        {reason(&k.figure, inputs_noun(k.level))}{left_out}
                        {(!k.inputs.is_empty()).then(|| view! { <span class="muted trust-inputs">{combining(&k.inputs)}</span> })}
                    </dd>
                </div>
            }
        })
        .collect_view();
    let word = trust.overall.rating;
    let option_b_reason = reason(&trust.overall, "trust key-question ratings");
    let stopped = trust.location_ratings_stopped.clone();
    let without = (!trust.locations_without_overall.is_empty()).then(|| {
        let names: Vec<&str> = trust
            .locations_without_overall
            .iter()
            .map(String::as_str)
            .collect();
        format!("{} no overall rating, so nothing of theirs would stop.", {
            let n = names.len();
            format!(
                "{} {}",
                join_names(&names),
                if n == 1 { "has" } else { "have" }
            )
        })
    });
    view! {
        <section aria-labelledby="trust-h" class="trust-options">
            <h2 id="trust-h">{as_one}</h2>
            <p>
                {intro}
                "CQC's 2025 consultation asked whether it should: give each key question a rating for the whole organisation (option A), bring back one overall rating (option B), or stop rating the locations (option C). "
                "Below, CQC's ratings principles are applied to the ratings CQC publishes for the locations in this data, to show what each option would say."
            </p>
            <p class="muted">
                "Only the locations in this data count: a location of the same provider outside the data's area is not included. "
                "CQC's own trust Well-led rating comes from a separate assessment of the whole organisation, which this data does not carry, so Well-led here is its locations' ratings combined."
            </p>
            <Hypothetical id="option-a" title="Option A: a rating for each key question">
                <dl class="trust-kqs">{option_a_rows}</dl>
            </Hypothetical>
            <Hypothetical id="option-b" title="Option B: one word for the whole organisation">
                <p class="single-word">{rated_badge(word)}</p>
                <p>{option_b_reason}</p>
            </Hypothetical>
            <Hypothetical id="option-c" title="Option C: no ratings for the locations">
                <p>
                    {format!(
                        "These {} would no longer be awarded:",
                        counted(stopped.len(), "location rating", "location ratings")
                    )}
                </p>
                {ratings_table("Option C: the location ratings that would stop", &stopped)}
                {without.map(|w| view! { <p>{w}</p> })}
            </Hypothetical>
            <SingleWordHides trust=trust/>
        </section>
    }
}

#[component]
fn SingleWordHides(trust: TrustHypothetical) -> impl IntoView {
    let hides = trust.hides;
    let word = hides
        .word
        .map(|w| format!("\u{201c}{}\u{201d}", w.label()))
        .unwrap_or_else(|| "a single word".into());
    let range = match (hides.best, hides.worst) {
        (Some(best), Some(worst)) if best != worst => format!(
            "The ratings the single word combines range from {} to {}",
            best.label().to_lowercase(),
            worst.label().to_lowercase()
        ),
        (Some(only), _) => format!(
            "The ratings the single word combines are all {}",
            only.label().to_lowercase()
        ),
        _ => "The single word combines no rating".to_string(),
    };
    let span = match (hides.earliest, hides.latest) {
        (Some(from), Some(to)) if from != to => {
            format!(
                ", published between {} and {}.",
                format_date(from),
                format_date(to)
            )
        }
        (Some(on), _) => format!(", published {}.", format_date(on)),
        _ => ".".to_string(),
    };
    // By location (a stable sort: each location's ratings stay in CQC's key-question order), so
    // a reader sees each location's hidden ratings together.
    let mut differing = hides.differing.clone();
    cqc_engine::order::sort_by(&mut differing, |a, b| a.location_name.cmp(&b.location_name));
    let beneath = hides.beneath.clone();
    let below_or_above = beneath_words(&beneath, hides.best, hides.worst);
    view! {
        <section class="single-word-hides" aria-labelledby="hides-h" data-testid="single-word-hides">
            <h3 id="hides-h">"What a single word would hide"</h3>
            <p>{format!("{range}{span}")}</p>
            {if differing.is_empty() {
                view! { <p>{format!("Every rating the single word combines is {word}.")}</p> }.into_any()
            } else {
                view! {
                    <p>{format!("{word} would hide {}:", counted(differing.len(), "rating that differs from it", "ratings that differ from it"))}</p>
                    {ratings_table("The ratings a single word would hide", &differing)}
                }
                .into_any()
            }}
            {(!beneath.is_empty()).then(|| view! {
                <p>{format!("Beneath the locations' ratings, {below_or_above}:")}</p>
                {ratings_table("Core-service ratings beneath the locations' ratings", &beneath)}
            })}
        </section>
    }
}

/// "core services rated below requires improvement", for the list under the locations: only
/// the directions the list holds.
fn beneath_words(
    beneath: &[LocationRating],
    best: Option<Rating>,
    worst: Option<Rating>,
) -> String {
    let below = worst
        .filter(|w| beneath.iter().any(|r| r.rating < *w))
        .map(|w| format!("below {}", w.label().to_lowercase()));
    let above = best
        .filter(|b| beneath.iter().any(|r| r.rating > *b))
        .map(|b| format!("above {}", b.label().to_lowercase()));
    let directions: Vec<String> = below.into_iter().chain(above).collect();
    format!("core services rated {}", directions.join(" or "))
}

/// The national page's list: every NHS trust and independent hospital group in the data with
/// two or more current locations, each linked to its provider page.
pub fn trusts_list(locations: &[Location]) -> impl IntoView {
    let mut providers: Vec<(&str, &str)> = locations
        .iter()
        .map(|l| (l.provider_id.as_str(), l.provider_name.as_str()))
        .collect();
    // The name from any of its locations that has one (some data leaves it empty).
    cqc_engine::order::sort_by(&mut providers, |a, b| a.0.cmp(b.0).then(b.1.cmp(a.1)));
    providers.dedup_by_key(|(id, _)| *id);
    let mut rows: Vec<(String, String, OrganisationKind, u32)> = providers
        .into_iter()
        .filter_map(|(id, name)| {
            let theirs: Vec<&Location> = locations.iter().filter(|l| l.provider_id == id).collect();
            let kind = organisation_kind(&theirs)?;
            let current = theirs.iter().filter(|l| l.is_current()).count() as u32;
            let name = if name.is_empty() {
                format!("Provider {id}")
            } else {
                name.to_string()
            };
            (current >= 2).then(|| (name, id.to_string(), kind, current))
        })
        .collect();
    cqc_engine::order::sort_by(&mut rows, |a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let items = rows
        .into_iter()
        .map(|(name, id, kind, n)| {
            view! {
                <li>
                    <a href=provider_href(&id)>{name}</a>
                    {format!(" ({}, {})", kind.label(), counted(n as usize, "location", "locations"))}
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="trusts-h">
            <h2 id="trusts-h">"Trusts and hospital groups"</h2>
            <p>"What a single rating for the whole organisation would say, and what it would hide, is on each one's page."</p>
            <ul class="trusts-list">{items}</ul>
        </section>
    }
}
