//! A location's ratings over time: a chart of the overall rating held from each publication to
//! the next (with a key, HTML labels that stay readable on a phone, and an accessible name),
//! and the same as a table, one row per published overall rating with its date and report.
//! "Inspected but not rated" is shown as CQC says it, not folded into "Not rated".

use super::registration_history::InheritedFrom;
use crate::app::components::{date, rating_badge, TableRegion};
use crate::app::today::today;
use cqc_engine::model::{
    format_date, Date, Location, NotRatedKind, Rating, RatingValue, RegistrationStatus,
};
use cqc_engine::story::{rating_timeline, RatingTimeline, TimelineEntry, TimelineSource};
use leptos::prelude::*;

/// The colour class of a rating in the chart and its key.
fn colour_class(value: Option<RatingValue>) -> &'static str {
    match value.and_then(RatingValue::rated) {
        Some(r) => r.slug(),
        None => "unrated",
    }
}

/// The rating as the timeline says it: "Inspected but not rated" kept, since it means CQC
/// came and inspected, unlike the other not-rated states.
pub fn timeline_label(value: Option<RatingValue>) -> &'static str {
    match value {
        Some(RatingValue::Unrated(NotRatedKind::InspectedButNotRated)) => {
            NotRatedKind::InspectedButNotRated.label()
        }
        other => RatingValue::plain_label(other),
    }
}

/// The rating's badge; "Inspected but not rated" has one of its own (see [`timeline_label`]).
fn badge(value: Option<RatingValue>) -> AnyView {
    match value {
        Some(RatingValue::Unrated(NotRatedKind::InspectedButNotRated)) => view! {
            <span class="rating inspected-not-rated">{NotRatedKind::InspectedButNotRated.label()}</span>
        }
        .into_any(),
        other => rating_badge(other).into_any(),
    }
}

/// The chart: a band coloured by the rating held from each publication to the next, and to
/// today for the current one (to the day it closed, for a closed registration). Decorative
/// beside its table, so the band is hidden from screen readers and the figure is named by its
/// caption.
#[component]
fn TimelineChart(entries: Vec<TimelineEntry>, closed_on: Option<Date>) -> impl IntoView {
    let dated: Vec<(Date, RatingValue)> = entries
        .iter()
        .filter_map(|e| e.date.map(|d| (d, e.overall)))
        .collect();
    let end = closed_on
        .or_else(today)
        .or_else(|| dated.last().map(|(d, _)| *d));
    let (Some((start, _)), Some(end)) = (dated.first().copied(), end) else {
        return None;
    };
    let total = (end - start).num_days().max(1) as f64;
    let mut x = 0.0;
    let rects = dated
        .iter()
        .enumerate()
        .map(|(i, (from, value))| {
            let to = dated.get(i + 1).map(|(d, _)| *d).unwrap_or(end);
            let width = 1000.0 * ((to - *from).num_days().max(0) as f64 / total);
            let rect = view! {
                <rect class=format!("seg {}", colour_class(Some(*value))) x=x y="0" width=width height="10"></rect>
            };
            x += width;
            rect
        })
        .collect_view();
    let mut key: Vec<(&'static str, &'static str)> = Vec::new();
    for (_, value) in &dated {
        let entry = (colour_class(Some(*value)), timeline_label(Some(*value)));
        if !key.contains(&entry) {
            key.push(entry);
        }
    }
    let key = order_key(key);
    Some(view! {
        <figure class="chart timeline-chart" data-testid="timeline-chart">
            <figcaption id="timeline-title">"Overall rating over time"</figcaption>
            <ul class="chart-key" aria-label="Key to the colours">
                {key
                    .into_iter()
                    .map(|(class, label)| view! {
                        <li><span class=format!("swatch seg {class}") aria-hidden="true"></span>{label}</li>
                    })
                    .collect_view()}
            </ul>
            <div class="bars" role="img" aria-labelledby="timeline-title">
                <svg class="bar timeline-band" viewBox="0 0 1000 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                    {rects}
                </svg>
                <div class="timeline-axis">
                    <span class="bar-label">{format_date(start)}</span>
                    <span class="bar-label">
                        {if closed_on.is_some() { "closed, " } else { "today, " }}{format_date(end)}
                    </span>
                </div>
            </div>
        </figure>
    })
}

/// The key in the order of the scale, best first, then the not-rated states.
fn order_key(mut key: Vec<(&'static str, &'static str)>) -> Vec<(&'static str, &'static str)> {
    let rank = |class: &str| {
        Rating::ALL
            .iter()
            .rev()
            .position(|r| r.slug() == class)
            .unwrap_or(Rating::ALL.len())
    };
    cqc_engine::order::sort_by_key(&mut key, |(class, label)| (rank(class), *label));
    key
}

/// Where an entry came from, in the reader's words; the newest is "current", or "last" once
/// the registration has closed.
fn source_words(entry: &TimelineEntry, newest: bool, closed: bool) -> String {
    let what = match entry.source {
        TimelineSource::Assessment => "Assessment",
        TimelineSource::Current => "Inspection",
        TimelineSource::History(_) => "Inspection",
    };
    let mut words = what.to_string();
    if newest {
        words.push_str(if closed { " (last)" } else { " (current)" });
    }
    if entry.inherited {
        words.push_str(", inherited");
    }
    words
}

#[component]
fn TimelineTable(
    entries: Vec<TimelineEntry>,
    current_link: Option<String>,
    closed: bool,
) -> impl IntoView {
    let newest = entries.len().saturating_sub(1);
    let body = entries
        .into_iter()
        .enumerate()
        .rev()
        .map(|(i, entry)| {
            // The current rating's row may name no report record (a Latest ratings row
            // carries only its URL); that URL, checked by `Location::report_link`, stands in.
            let fallback = (i == newest).then(|| current_link.clone()).flatten();
            let link = match entry.report_link.clone().or(fallback) {
                Some(url) => view! {
                    <a href=url rel="noopener noreferrer">{format!("Report of {}", date(entry.date))}</a>
                }
                .into_any(),
                None => view! { <span class="muted">"No report linked"</span> }.into_any(),
            };
            view! {
                <tr>
                    <td class="nowrap">{date(entry.date)}</td>
                    <td>{badge(Some(entry.overall))}</td>
                    <td>{source_words(&entry, i == newest, closed)}</td>
                    <td class="nowrap">{link}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableRegion label="Published overall ratings, newest first">
            <table data-testid="timeline-table">
                <thead>
                    <tr>
                        <th scope="col">"Published"</th>
                        <th scope="col">"Overall rating"</th>
                        <th scope="col">"From"</th>
                        <th scope="col">"Report"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </TableRegion>
    }
}

/// "Rated Good since 18 Jan 2019" or "Requires improvement since 14 Dec 2022; 4 inspections
/// in a row at Requires improvement or worse", from the engine's timeline; for a closed
/// registration, "Rated Good from 19 Jul 2016 until the registration closed on 18 Jun 2018".
fn story_sentence(timeline: &RatingTimeline, closed_on: Option<Date>) -> Option<String> {
    let current = timeline.current?;
    let since = match (timeline.current_since, closed_on) {
        (Some(from), Some(closed)) => format!(
            " from {} until the registration closed on {}",
            format_date(from),
            format_date(closed)
        ),
        (Some(from), None) => format!(" since {}", format_date(from)),
        (None, _) => String::new(),
    };
    let mut sentence = match current {
        Rating::RequiresImprovement | Rating::Inadequate => format!("{}{since}", current.label()),
        _ => format!("Rated {}{since}", current.label()),
    };
    let run = timeline.requires_improvement_or_worse_in_a_row;
    if run > 1 {
        sentence.push_str(&format!(
            "; {run} inspections in a row at Requires improvement or worse"
        ));
    }
    sentence.push('.');
    Some(sentence)
}

/// The first rating and how many times it changed since.
fn first_and_changes(timeline: &RatingTimeline) -> Option<String> {
    let first = timeline.entries.get(timeline.first_rating?)?;
    let changes = timeline.changes.iter().filter(|c| c.from != c.to).count();
    let changed = match changes {
        0 => "It has not changed since.".to_string(),
        n => format!(
            "It has changed {} since.",
            crate::app::components::counted(n, "time", "times")
        ),
    };
    Some(format!(
        "First rating in this data: {}, published {}. {changed}",
        timeline_label(Some(first.overall)),
        date(first.date)
    ))
}

/// The section: the story sentence, the chart, the table and, for an inherited rating, where
/// it came from.
#[component]
pub fn RatingHistory(location: Location) -> impl IntoView {
    let timeline = rating_timeline(&location);
    let registration = &location.detail.registration;
    let closed_on = (registration.status == RegistrationStatus::Deregistered)
        .then_some(registration.deregistered)
        .flatten();
    (!timeline.entries.is_empty()).then(|| {
        view! {
            <section aria-labelledby="rating-history" data-testid="rating-history">
                <h2 id="rating-history">"Ratings over time"</h2>
                {story_sentence(&timeline, closed_on).map(|s| view! { <p class="story-sentence" data-testid="story-sentence">{s}</p> })}
                {first_and_changes(&timeline).map(|s| view! { <p>{s}</p> })}
                <InheritedFrom location=location.clone()/>
                <TimelineChart entries=timeline.entries.clone() closed_on=closed_on/>
                <TimelineTable
                    entries=timeline.entries
                    current_link=location.report_link()
                    closed=closed_on.is_some()
                />
            </section>
        }
    })
}
