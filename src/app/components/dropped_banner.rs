//! The line in every page's frame while a dropped file's data is shown instead of the bundled
//! data: which file, whether a reload keeps it, and a button back to the bundled data.

use crate::app::data::{self, LoadState};
use leptos::prelude::*;

#[component]
pub fn DroppedDataBanner(state: RwSignal<LoadState>) -> impl IntoView {
    move || {
        let LoadState::Ready(d) = state.get() else {
            return None;
        };
        if d.is_bundled() {
            return None;
        }
        let kept = if d.kept {
            "It is kept in this browser, so a reload shows it again, until you go back."
        } else {
            "This browser could not keep it: a reload returns to the bundled data."
        };
        Some(view! {
            <div class="dropped-banner" role="status" data-testid="dropped-banner">
                <p>
                    <strong>{format!("Showing data from {}, ", d.origin)}</strong>
                    {format!("loaded in this browser, not the data published with this site. {kept} ")}
                    <button type="button" on:click=move |_| data::back_to_bundled(state)>
                        "Back to the bundled data"
                    </button>
                </p>
            </div>
        })
    }
}
