//! The national re-inspection figures: how many current locations rated Requires improvement
//! or Inadequate are past the re-inspection target CQC stated for their rating, by type of
//! service and by local authority. Each past-target figure links to the search list it counts
//! (the same engine filter), and the whole table downloads as CSV. The engine's
//! `story::clock_summary` decides every figure; this module lays them out.

use crate::app::components::{counted, provisional_badge, TableRegion};
use crate::app::pages::search::export::download;
use crate::app::today::today;
use cqc_engine::model::{format_date, Date, Location, Rating};
use cqc_engine::rules::params::{ReinspectionExpectation, REINSPECTION_EXPECTATIONS};
use cqc_engine::search::Filters;
use cqc_engine::story::{clock_summary, ClockGroup, ClockSummary};
use leptos::prelude::*;

/// Which grouping a table is by, and the search filter a group's name sets.
#[derive(Clone, Copy)]
enum Grouping {
    Sector,
    LocalAuthority,
}

impl Grouping {
    fn heading(self) -> &'static str {
        match self {
            Grouping::Sector => "Type of service",
            Grouping::LocalAuthority => "Local authority",
        }
    }

    fn csv_name(self) -> &'static str {
        match self {
            Grouping::Sector => "type of service",
            Grouping::LocalAuthority => "local authority",
        }
    }
}

/// The search list of a group's locations past target: the same filters the search page reads
/// from its URL, so the list is exactly the figure.
fn list_href(grouping: Grouping, group: &ClockGroup) -> String {
    let mut filters = Filters {
        rating: group.rating.slug().to_string(),
        past_target: true,
        ..Filters::default()
    };
    match grouping {
        Grouping::Sector => filters.sector = group.group.clone(),
        Grouping::LocalAuthority => filters.local_authority = group.group.clone(),
    }
    let query: Vec<String> = filters
        .to_pairs()
        .into_iter()
        .map(|(k, v)| format!("{k}={}", encode(&v)))
        .collect();
    format!("/?{}", query.join("&"))
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text)
        .as_string()
        .unwrap_or_default()
}

/// The figures as CSV, one row per rating and group of both groupings, with the ids behind
/// each count so a reader can check them.
fn summary_csv(summary: &ClockSummary) -> Vec<u8> {
    let mut w = cqc_engine::ingest::CsvText::new();
    w.record([
        "measured_to",
        "grouping",
        "group",
        "rating",
        "locations_measured",
        "past_target",
        "past_proposed_cycle_only",
        "past_target_location_ids",
    ]);
    let day = summary.today.map(|d| d.to_string()).unwrap_or_default();
    for (grouping, groups) in [
        (Grouping::Sector, &summary.by_sector),
        (Grouping::LocalAuthority, &summary.by_local_authority),
    ] {
        for g in groups {
            let cells = [
                day.clone(),
                grouping.csv_name().to_string(),
                g.group.clone(),
                g.rating.label().to_string(),
                g.measured.to_string(),
                g.past_target.len().to_string(),
                g.past_proposed_cycle.len().to_string(),
                g.past_target.join(" "),
            ];
            // Group names come from data: `record` makes a cell such as "=HYPERLINK(…)" text.
            w.record(cells);
        }
    }
    w.into_bytes()
}

#[component]
fn ClockTable(grouping: Grouping, groups: Vec<ClockGroup>, id: &'static str) -> impl IntoView {
    let rows = groups
        .into_iter()
        .map(|g| {
            let past = g.past_target.len();
            let figure = if past > 0 {
                view! { <a href=list_href(grouping, &g)>{past}</a> }.into_any()
            } else {
                view! { <span>"0"</span> }.into_any()
            };
            view! {
                <tr>
                    <th scope="row">{g.group.clone()}</th>
                    <td>{g.rating.label()}</td>
                    <td class="num">{g.measured}</td>
                    <td class="num" data-testid="past-target">{figure}</td>
                    <td class="num">{g.past_proposed_cycle.len()}</td>
                </tr>
            }
        })
        .collect_view();
    let caption = format!(
        "Requires improvement and Inadequate past target, by {}",
        grouping.csv_name()
    );
    view! {
        <TableRegion label=caption.clone()>
            <table id=id>
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{grouping.heading()}</th>
                        <th scope="col">"Rating"</th>
                        <th scope="col">"Locations"</th>
                        <th scope="col">"Past target"</th>
                        <th scope="col">"Past the proposed cycle only (provisional)"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableRegion>
    }
}

/// The headline: past-target counts for each rating over every sector.
fn headline(summary: &ClockSummary) -> String {
    let past = |rating: Rating| -> (usize, u32) {
        summary
            .by_sector
            .iter()
            .filter(|g| g.rating == rating)
            .fold((0, 0), |(p, m), g| {
                (p + g.past_target.len(), m + g.measured)
            })
    };
    let (ri_past, ri_all) = past(Rating::RequiresImprovement);
    let (inadequate_past, inadequate_all) = past(Rating::Inadequate);
    format!(
        "Requires improvement: {ri_past} of {} past a stated re-inspection target. Inadequate: {inadequate_past} of {}. The stated targets are adult social care's; other sectors have only the proposed cycle, counted apart below.",
        counted(ri_all as usize, "current location", "current locations"),
        counted(inadequate_all as usize, "current location", "current locations"),
    )
}

/// One expectation as the page lists it: what it asks, for which ratings and sector, and its
/// source, linked where it has an address.
fn expectation_item(e: &ReinspectionExpectation) -> impl IntoView {
    let ratings: Vec<&str> = e.ratings.iter().rev().map(|r| r.label()).collect();
    let scope = match &e.sector {
        Some(sector) => format!("{} in {sector}", ratings.join(" or ")),
        None => "Every rating in every sector".to_string(),
    };
    let interval = if e.earliest_months == e.within_months {
        format!("within {} months", e.within_months)
    } else {
        format!(
            "every {} to {} years",
            e.earliest_months / 12,
            e.within_months / 12
        )
    };
    let source = e.source.to_string();
    view! {
        <li>
            {format!("{scope}: re-inspect {interval}. ")}
            {e.provisional.then(provisional_badge)}
            {e.provisional.then_some(" ")}
            <span class="small-print">
                "Source: "
                {match &e.source_url {
                    Some(url) => view! { <a href=url.to_string() rel="noopener noreferrer">{source}</a> }.into_any(),
                    None => view! { <span>{source}</span> }.into_any(),
                }}
            </span>
        </li>
    }
}

/// The section; `as_of` (the data's date) stands in where the browser gives no today.
#[component]
pub fn ClockFigures(locations: Vec<Location>, as_of: Option<Date>) -> impl IntoView {
    let day = today().or(as_of)?;
    let summary = clock_summary(&locations, day);
    let csv = summary_csv(&summary);
    let on_export = move |_| download("cqc-reinspection-clock.csv", "text/csv", &csv);
    Some(view! {
        <section aria-labelledby="clock-national-h" data-testid="clock-national">
            <h2 id="clock-national-h">"Past the re-inspection target"</h2>
            <p class="lead" data-testid="clock-headline">{headline(&summary)}</p>
            <p class="muted">
                {format!("Measured to today, {}, ", format_date(day))}
                "over current locations (not deregistered, not dormant), from each location's last "
                "inspection or assessment, against these expectations (a location past only the "
                "provisional one is counted apart). Each past-target figure lists its locations."
            </p>
            <ul data-testid="clock-expectations">
                {REINSPECTION_EXPECTATIONS.iter().map(expectation_item).collect_view()}
            </ul>
            <p><button type="button" on:click=on_export>"Download these figures (CSV)"</button></p>
            <h3>"By type of service"</h3>
            <ClockTable grouping=Grouping::Sector groups=summary.by_sector.clone() id="clock-by-sector"/>
            <h3>"By local authority"</h3>
            <ClockTable grouping=Grouping::LocalAuthority groups=summary.by_local_authority id="clock-by-la"/>
        </section>
    })
}
