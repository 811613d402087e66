//! A location's data asked for as soon as its link is pressed: a pointer pressed on it, or the
//! click itself (a tap, Enter), seen before the router acts on it. The router then takes the
//! page down and builds the location's (8–16 ms on a 2-core machine) while its bucket is
//! already on its way, instead of before it asks.

use crate::app::data::LoadState;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The path every location page's link begins with (`routes::location_href`).
const LOCATION_PATH: &str = "/location/";

/// Listens, for the life of the page, to presses on location links anywhere in it.
pub fn listen_for_location_links(state: RwSignal<LoadState>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_press = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        let Some(id) = event.target().and_then(|t| location_link(&t)) else {
            return;
        };
        if let Some(LoadState::Ready(store)) = state.try_get_untracked() {
            store.prefetch_location(&id);
        }
    });
    for kind in ["pointerdown", "click"] {
        // Capturing, so that this runs before the router's own listener handles the click.
        let _ = window.add_event_listener_with_callback_and_bool(
            kind,
            on_press.as_ref().unchecked_ref(),
            true,
        );
    }
    // The listeners last as long as the page: the closure must too.
    on_press.forget();
}

/// The location id of the same-site link `target` is in, if it is in one.
fn location_link(target: &web_sys::EventTarget) -> Option<String> {
    let element = target.dyn_ref::<web_sys::Element>()?;
    let link = element.closest("a[href]").ok()??;
    let href = link.get_attribute("href")?;
    let rest = href.strip_prefix(LOCATION_PATH)?;
    let segment = rest.split(['?', '#', '/']).next()?;
    let id = js_sys::decode_uri_component(segment).ok()?.as_string()?;
    (!id.is_empty()).then_some(id)
}
