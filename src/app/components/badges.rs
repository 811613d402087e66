//! Rating badges, age badges and dates, written the same way on every page.

use cqc_engine::model::{
    format_date, format_years, years_between, Date, Rating, RatingValue, Registration,
};
use cqc_engine::search::AgeBand;
use leptos::prelude::*;

/// A published date, or "no date" where CQC's data has none.
pub fn date(d: Option<Date>) -> String {
    d.map(format_date).unwrap_or_else(|| "no date".into())
}

/// A published rating: the level in its colour, or "Not rated" for every state without one
/// (CQC's own reason, where it says more, on hover).
pub fn rating_badge(value: Option<RatingValue>) -> impl IntoView {
    let class = match value.and_then(RatingValue::rated) {
        Some(r) => format!("rating {}", r.slug()),
        None => "rating unrated".to_string(),
    };
    let reason = value
        .and_then(RatingValue::unrated_reason)
        .map(|r| format!("CQC publishes: {r}"));
    view! { <span class=class title=reason>{RatingValue::plain_label(value)}</span> }
}

pub fn rated_badge(rating: Option<Rating>) -> impl IntoView {
    rating_badge(rating.map(RatingValue::Rated))
}

/// How old a rating is today (the browser's clock), coloured by its age band. Where the age is
/// shown prominently, `freshness::as_of_line` says beside it which day that is and the data's
/// own date.
pub fn age_badge(published: Option<Date>) -> impl IntoView {
    match published.zip(crate::app::today::today()) {
        Some((p, at)) => {
            let years = years_between(p, at);
            let band = AgeBand::of_years(years);
            let class = format!("age {}", band.slug());
            let label = format!("{} old", format_years(years));
            view! { <span class=class title=band.label()>{label}</span> }.into_any()
        }
        None => view! { <span class="age">"age unknown"</span> }.into_any(),
    }
}

/// "Deregistered" or "Dormant" beside a location's name, nothing for a current one.
pub fn closed_badge(registration: &Registration) -> Option<impl IntoView> {
    let label = registration.closed_label()?;
    let title = match registration.deregistered {
        Some(d) => format!(
            "CQC's registration of this location closed on {}",
            format_date(d)
        ),
        None if registration.dormant => {
            "Registered with CQC but providing no regulated activity".to_string()
        }
        None => "CQC's registration of this location has closed".to_string(),
    };
    Some(view! { <span class="badge closed" title=title data-testid="closed-badge">{label}</span> })
}

pub fn provisional_badge() -> impl IntoView {
    view! {
        <span class="badge" title="Not CQC's confirmed rule: a parameter of this explorer">
            "provisional"
        </span>
    }
}
