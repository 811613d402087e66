//! Moving the keyboard focus to what an action produced (a new page's heading, a what-if
//! result), so a screen-reader or keyboard user lands where the change happened instead of on
//! the page's body.

use wasm_bindgen::JsCast;

/// Focuses the first element matching `selector` once it exists (the view it belongs to may
/// render a frame later), without scrolling the page when `scroll` is false. Gives up after a
/// second: an element that never appears is not worth a loop.
pub fn focus_when_ready(selector: &'static str, scroll: bool) {
    leptos::task::spawn_local(async move {
        for _ in 0..20 {
            gloo::timers::future::TimeoutFuture::new(50).await;
            let element = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector(selector).ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(element) = element {
                if element.get_attribute("tabindex").is_none() {
                    let _ = element.set_attribute("tabindex", "-1");
                }
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(!scroll);
                let _ = element.focus_with_options(&options);
                return;
            }
        }
    });
}
