//! A table's scrolling region: on a narrow screen a wide table scrolls sideways inside it, so
//! no cell has to break a word or a number to fit. The region is focusable and named, so a
//! keyboard user can scroll it too.

use leptos::prelude::*;

#[component]
pub fn TableRegion(#[prop(into)] label: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-wrap" role="region" aria-label=label tabindex="0">
            {children()}
        </div>
    }
}
