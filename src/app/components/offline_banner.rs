//! The line in every page's frame while the browser is offline: what is shown comes from this
//! device (the service worker's copy, or a dropped file's kept data), and of which date, so
//! nobody takes it for the latest. It goes as soon as the browser is online again.

use crate::app::data::LoadState;
use crate::app::offline::browser_online;
use leptos::prelude::*;

#[component]
pub fn OfflineBanner(state: RwSignal<LoadState>) -> impl IntoView {
    let online = RwSignal::new(browser_online());
    let went_online = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let went_offline = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        went_online.remove();
        went_offline.remove();
    });
    move || {
        if online.get() {
            return None;
        }
        Some(view! {
            <div class="offline-banner" role="status" data-testid="offline-banner">
                <p>{offline_line(&state.get())}</p>
            </div>
        })
    }
}

fn offline_line(state: &LoadState) -> String {
    match state {
        LoadState::Ready(d) => {
            let date = d
                .manifest
                .meta
                .data_date
                .map(cqc_engine::model::format_date)
                .unwrap_or_else(|| "an unknown date".into());
            format!("You are offline: showing the data saved on this device from {date}.")
        }
        LoadState::Loading => {
            "You are offline: opening the data saved on this device, if there is any.".into()
        }
        LoadState::Failed(_) => {
            "You are offline, and no data was saved on this device to show: connect to load it."
                .into()
        }
    }
}
