//! Rating badges, age badges and dates, written the same way on every page.

use cqc_engine::model::{format_date, format_years, years_between, Date, Rating, RatingValue};
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

/// How old a rating was at the data's date, coloured by its age band.
pub fn age_badge(published: Option<Date>, as_of: Option<Date>) -> impl IntoView {
    match published.zip(as_of) {
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

pub fn provisional_badge() -> impl IntoView {
    view! {
        <span class="badge" title="Not CQC's confirmed rule: a parameter of this explorer">
            "provisional"
        </span>
    }
}
