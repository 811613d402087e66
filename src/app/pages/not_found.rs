//! The page for an address the site does not have.

use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>
            "There is no page at this address. "
            <a href="/">"Search for a care service"</a>
            " or read "
            <a href="/methodology">"how ratings are calculated"</a>
            "."
        </p>
    }
}
