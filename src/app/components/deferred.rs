//! A part of a page drawn one task after the rest. A cold start's first render also compiles
//! (lazily, in the browser) every function it runs, so drawing the whole first screen in one go
//! was one long task; drawn in two, neither keeps the page's thread busy for long, and the part
//! drawn first (the search box) can be typed into sooner.

use leptos::prelude::*;

/// Draws `part` once the browser has had its turn after the rest of the page was drawn.
pub fn after_first_draw<V: IntoView + 'static>(
    part: impl Fn() -> V + Send + Sync + 'static,
) -> impl IntoView {
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        gloo::timers::future::TimeoutFuture::new(0).await;
        // The page may have been left in the meantime.
        let _ = ready.try_set(true);
    });
    move || ready.get().then(&part)
}
