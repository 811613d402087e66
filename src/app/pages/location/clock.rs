//! The re-inspection clock on the location page: when CQC last inspected or assessed the
//! location and how long ago that is (to today, by the browser's clock), the expectation CQC
//! stated for its rating with that expectation's source, and how far past it or how much time
//! is left. The engine's `story::clock` decides all of it; this module only words it.

use crate::app::components::provisional_badge;
use crate::app::today::today;
use cqc_engine::model::{format_date, Date, Location, Rating};
use cqc_engine::rules::params::ReinspectionExpectation;
use cqc_engine::story::{reinspection_clock, ClockStanding, ReinspectionClock};
use leptos::prelude::*;

/// Average days in a month, for wording a span of days in months.
const DAYS_PER_MONTH: f64 = 30.436_875;

/// A span of days as a reader says it: "12 days", "5 months", "3 years and 2 months".
pub fn span_words(days: i64) -> String {
    let days = days.max(0);
    let months = (days as f64 / DAYS_PER_MONTH).floor() as i64;
    let plural = |n: i64, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if months < 1 {
        return plural(days, "day", "days");
    }
    if months < 24 {
        return plural(months, "month", "months");
    }
    let (years, rest) = (months / 12, months % 12);
    match rest {
        0 => plural(years, "year", "years"),
        _ => format!(
            "{} and {}",
            plural(years, "year", "years"),
            plural(rest, "month", "months")
        ),
    }
}

/// "the 12-month target" or "the proposed 3–5-year cycle".
pub fn expectation_name(expectation: &ReinspectionExpectation) -> String {
    if expectation.provisional {
        format!(
            "the proposed {}–{}-year cycle",
            expectation.earliest_months / 12,
            expectation.within_months / 12
        )
    } else {
        format!("the {}-month target", expectation.within_months)
    }
}

fn standing_sentence(clock: &ReinspectionClock) -> Option<String> {
    let expectation = clock.expectation.as_ref()?;
    let name = expectation_name(expectation);
    let rating = clock.rating.map(Rating::label).unwrap_or("its rating");
    match clock.standing {
        ClockStanding::Past { days_past } => Some(format!(
            "Past {name} for {rating} by {}.",
            span_words(days_past)
        )),
        ClockStanding::Within { days_left } => {
            let due = clock.due.map(format_date).unwrap_or_default();
            Some(format!(
                "Within {name} for {rating}: {} left (due by {due}).",
                span_words(days_left)
            ))
        }
        _ => None,
    }
}

#[component]
fn ExpectationSource(expectation: ReinspectionExpectation) -> impl IntoView {
    let source = expectation.source.to_string();
    let link = expectation.source_url.as_ref().map(|u| u.to_string());
    view! {
        <p class="small-print" data-testid="clock-source">
            {expectation.provisional.then(provisional_badge)}
            {expectation.provisional.then_some(" ")}
            "Source: "
            {match link {
                Some(url) => view! { <a href=url rel="noopener noreferrer">{source}</a> }.into_any(),
                None => view! { <span>{source}</span> }.into_any(),
            }}
            {expectation.provisional.then_some(
                ". A proposal, not yet CQC's practice: the explorer shows it so a reader can see where the location would stand.",
            )}
        </p>
    }
}

/// The clock's section; `as_of` (the data's date) stands in where the browser gives no today.
#[component]
pub fn Clock(location: Location, as_of: Option<Date>) -> impl IntoView {
    let measured_to = today().or(as_of);
    measured_to.map(|day| {
        let clock = reinspection_clock(&location, day);
        let last = clock.last_seen.map(|seen| {
            let ago = clock.days_since.map(span_words).unwrap_or_default();
            format!(
                "Last inspected {} ({}), {ago} ago on {}.",
                format_date(seen.date),
                seen.basis.label(),
                format_date(day)
            )
        });
        let fallback = match clock.standing {
            ClockStanding::Deregistered => Some(
                "Deregistered: CQC no longer inspects it, so there is no re-inspection clock.",
            ),
            ClockStanding::NoDate => Some("The data gives no inspection date to measure from."),
            ClockStanding::NotRated => {
                Some("No re-inspection expectation applies without a current rating.")
            }
            _ => None,
        };
        let standing = standing_sentence(&clock);
        let past = clock.past_target();
        let class = if past { "panel warn" } else { "panel" };
        view! {
            <section aria-labelledby="clock-h" data-testid="clock">
                <h2 id="clock-h">"When CQC last inspected"</h2>
                <div class=class>
                    {last.map(|t| view! { <p data-testid="clock-last">{t}</p> })}
                    {standing.map(|t| view! { <p class="story-sentence" data-testid="clock-standing">{t}</p> })}
                    {fallback.map(|t| view! { <p>{t}</p> })}
                    {clock.expectation.clone().map(|e| view! { <ExpectationSource expectation=e/> })}
                    {today().is_none().then(|| view! {
                        <p class="muted">"Measured to the data's date: the browser's clock gave no date."</p>
                    })}
                </div>
            </section>
        }
    })
}
