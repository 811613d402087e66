//! Small view helpers shared by the pages: rating badges, age badges, dates.

use cqc_engine::model::{Date, Rating, RatingValue};
use cqc_engine::search::{years_between, AgeBand};
use leptos::prelude::*;

pub fn date(d: Option<Date>) -> String {
    d.map(cqc_engine::explain::narrative::date)
        .unwrap_or_else(|| "no date".into())
}

pub fn rating_badge(value: Option<RatingValue>) -> impl IntoView {
    let (class, label) = match value {
        Some(RatingValue::Rated(r)) => (format!("rating {}", r.slug()), r.label()),
        Some(RatingValue::Unrated(k)) => ("rating unrated".to_string(), k.label()),
        None => ("rating unrated".to_string(), "No rating"),
    };
    view! { <span class=class>{label}</span> }
}

pub fn rated_badge(rating: Option<Rating>) -> impl IntoView {
    rating_badge(rating.map(RatingValue::Rated))
}

pub fn age_badge(published: Option<Date>, as_of: Option<Date>) -> impl IntoView {
    match published.zip(as_of) {
        Some((p, at)) => {
            let years = years_between(p, at);
            let band = AgeBand::of_years(years);
            let (class, band) = (band.slug(), band.label());
            let label = format!("{years:.1} years old");
            view! { <span class=format!("age {class}") title=band>{label}</span> }.into_any()
        }
        None => view! { <span class="age">"age unknown"</span> }.into_any(),
    }
}

pub fn provisional_badge() -> impl IntoView {
    view! { <span class="badge" title="Not CQC's confirmed rule: a parameter of this explorer">"provisional"</span> }
}
