//! A location's ratings over time: a chart of the overall rating held from each publication to
//! the next (with a key, HTML labels that stay readable on a phone, and an accessible name),
//! and the same as a table, one row per published overall rating with its date and report.
//! "Inspected but not rated" is shown as CQC says it, not folded into "Not rated".

use super::registration::InheritedFrom;
use super::reports::{report_cell, report_for};
use crate::app::components::{date, rating_badge, TableRegion};
use crate::app::today::today;
use cqc_engine::model::{format_date, Date, Domain, Location, NotRatedKind, Rating, RatingValue};
use leptos::prelude::*;

/// One published overall rating, as the chart and table show it.
#[derive(Clone)]
pub struct TimelineRow {
    pub published: Option<Date>,
    pub value: Option<RatingValue>,
    pub report: Option<cqc_engine::model::Report>,
    /// The current rating's link where it has no report record (the Latest ratings row's URL).
    pub current_link: Option<String>,
}

/// Every published overall rating the data has, oldest first: the earlier ones CQC lists
/// (`historicRatings`) and the current one.
pub fn rows_of(location: &Location) -> Vec<TimelineRow> {
    let mut rows: Vec<TimelineRow> = location
        .detail
        .history
        .iter()
        .rev()
        .map(|h| TimelineRow {
            published: h.report_date,
            value: h.overall,
            report: report_for(location, h.report_link_id.as_deref()).cloned(),
            current_link: None,
        })
        .collect();
    if let Some(current) = location.published(Domain::Overall) {
        let already = rows
            .iter()
            .any(|r| r.published == current.published && r.value == Some(current.value));
        if !already {
            rows.push(TimelineRow {
                published: current.published,
                value: Some(current.value),
                report: None,
                current_link: location.report_link(),
            });
        }
    }
    rows
}

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

fn badge(value: Option<RatingValue>) -> AnyView {
    match value {
        Some(RatingValue::Unrated(NotRatedKind::InspectedButNotRated)) => view! {
            <span class="rating unrated">{NotRatedKind::InspectedButNotRated.label()}</span>
        }
        .into_any(),
        other => rating_badge(other).into_any(),
    }
}

/// The chart: a band coloured by the rating held from each publication to the next, and to
/// today for the current one. Decorative beside its table, so the band is hidden from screen
/// readers and the figure is named by its caption.
#[component]
fn TimelineChart(rows: Vec<TimelineRow>) -> impl IntoView {
    let dated: Vec<(Date, Option<RatingValue>)> = rows
        .iter()
        .filter_map(|r| r.published.map(|d| (d, r.value)))
        .collect();
    let end = today().or_else(|| dated.last().map(|(d, _)| *d));
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
                <rect class=format!("seg {}", colour_class(*value)) x=x y="0" width=width height="10"></rect>
            };
            x += width;
            rect
        })
        .collect_view();
    let mut key: Vec<(&'static str, &'static str)> = Vec::new();
    for (_, value) in &dated {
        let entry = (colour_class(*value), timeline_label(*value));
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
                    <span class="bar-label">{format!("today, {}", format_date(end))}</span>
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
            .position(|r| r.slug() == class)
            .unwrap_or(Rating::ALL.len())
    };
    key.sort_by_key(|(class, label)| (rank(class), *label));
    key
}

#[component]
fn TimelineTable(rows: Vec<TimelineRow>) -> impl IntoView {
    let last = rows.len().saturating_sub(1);
    let body = rows
        .into_iter()
        .enumerate()
        .rev()
        .map(|(i, row)| {
            let link = match (&row.report, &row.current_link) {
                (Some(_), _) => report_cell(row.report.as_ref()).into_any(),
                (None, Some(url)) => view! {
                    <a href=url.clone() rel="noopener noreferrer">"CQC's report"</a>
                }
                .into_any(),
                (None, None) => view! { <span class="muted">"No report linked"</span> }.into_any(),
            };
            let when = if i == last { "Current" } else { "Earlier" };
            view! {
                <tr>
                    <td class="nowrap">{date(row.published)}</td>
                    <td>{badge(row.value)}</td>
                    <td>{when}</td>
                    <td>{link}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <TableRegion label="Published overall ratings, newest first">
            <table data-testid="timeline-table">
                <caption class="visually-hidden">"Published overall ratings, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Published"</th>
                        <th scope="col">"Overall rating"</th>
                        <th scope="col">"Rating"</th>
                        <th scope="col">"Report"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </TableRegion>
    }
}

/// The section: the story sentence, the chart, the table and, for an inherited rating, where
/// it came from.
#[component]
pub fn RatingHistory(location: Location) -> impl IntoView {
    let rows = rows_of(&location);
    (!rows.is_empty()).then(|| {
        let first = rows.first().map(|r| {
            format!(
                "First rating in this data: {}, published {}.",
                timeline_label(r.value),
                date(r.published)
            )
        });
        view! {
            <section aria-labelledby="rating-history" data-testid="rating-history">
                <h2 id="rating-history">"Ratings over time"</h2>
                <p>{first}</p>
                <InheritedFrom location=location.clone()/>
                <TimelineChart rows=rows.clone()/>
                <TimelineTable rows=rows/>
            </section>
        }
    })
}
