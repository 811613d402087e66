//! A part of a page drawn after the rest has been painted. A cold start's first render also
//! compiles (lazily, in the browser) every function it runs, so drawing the whole first screen
//! in one go was one long task; drawn in two, neither keeps the page's thread busy for long, and
//! the part drawn first (the search box, a location's ratings) is on screen, and can be used,
//! while the rest is drawn.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Draws `part` once the browser has painted the rest of the page and had its turn after it.
pub fn after_first_draw<V: IntoView + 'static>(
    part: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        next_paint().await;
        // The page may have been left in the meantime.
        let _ = ready.try_set(true);
    });
    move || ready.get().then(&part)
}

/// Resolves after the browser's next frame: its animation-frame callback runs just before the
/// frame is drawn, and a task queued from there runs after it. A timer alone may fire before
/// any frame, and then the "later" part is drawn in the same frame as the rest. A page in a
/// hidden tab draws no frames: its part is drawn when the tab is shown.
async fn next_paint() {
    let (drawn, wait) = futures_channel::oneshot::channel::<()>();
    let on_frame = wasm_bindgen::closure::Closure::once(move || {
        let _ = drawn.send(());
    });
    let asked = web_sys::window().and_then(|w| {
        w.request_animation_frame(on_frame.as_ref().unchecked_ref())
            .ok()
    });
    if asked.is_some() {
        let _ = wait.await;
    }
    // Kept alive until the frame has called it.
    drop(on_frame);
    gloo::timers::future::TimeoutFuture::new(0).await;
}
