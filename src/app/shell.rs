//! The frame around every page: skip link, header with the data's date, the disclaimer banner,
//! the main region the routes fill, and the footer.

use crate::app::components::focus_when_ready;
use crate::app::data::{self, LoadState};
use crate::app::routes::AppRoutes;
use leptos::prelude::*;
use leptos_router::components::{Router, A};
use leptos_router::hooks::use_location;

/// The whole app: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    let state = RwSignal::new(LoadState::Loading);
    provide_context(state);
    data::load_initial(state);
    crate::app::offline::register_service_worker();
    crate::app::prefetch::listen_for_location_links(state);
    view! {
        <Router>
            <SkipLink/>
            <FocusOnNewPage/>
            <SiteHeader state=state/>
            // The page itself is drawn after the frame around it: a cold start's first draw
            // also compiles, as it first runs, all the code it calls, and drawing both in one
            // task was its longest (45-55 ms on a 2-core machine, under a trace).
            <main id="main" tabindex="-1">
                {crate::app::components::after_first_draw(|| view! { <AppRoutes/> })}
            </main>
            <SiteFooter/>
        </Router>
    }
}

/// The first link on every page. The router would only change the address, so the click moves
/// the focus to the main region itself, where the next Tab continues.
#[component]
fn SkipLink() -> impl IntoView {
    let on_click = |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        focus_when_ready("main#main", true);
    };
    view! { <a class="skip-link" href="#main" on:click=on_click>"Skip to main content"</a> }
}

/// When the address moves to another page (not just its query, as filters and scenarios do),
/// the focus goes to the new page's heading: otherwise it stays on the link that was clicked,
/// now gone, and falls to the body.
#[component]
fn FocusOnNewPage() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            focus_when_ready("main h1", false);
        }
        path
    });
}

#[component]
fn SiteHeader(state: RwSignal<LoadState>) -> impl IntoView {
    view! {
        <header class="site">
            <A href="/" attr:class="brand">"CQC Ratings Explorer"</A>
            <nav aria-label="Main">
                <A href="/">"Search"</A>
                <A href="/national">"National view"</A>
                <A href="/councils">"Councils"</A>
                <A href="/methodology">"How ratings are calculated"</A>
                <A href="/load">"Load newer data"</A>
            </nav>
            <span class="data-date" data-testid="data-date">
                {move || data::header_line(&state.get())}
            </span>
            <p class="banner">
                "Unofficial and independent: not affiliated with or endorsed by the Care Quality "
                "Commission (CQC). Everything runs in your browser; nothing you do here is sent "
                "anywhere."
            </p>
            <crate::app::components::DroppedDataBanner state=state/>
            <crate::app::components::OfflineBanner state=state/>
        </header>
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site">
            <p>{cqc_engine::ingest::LICENCE}</p>
            <p>
                "Ratings are CQC's; the recomputation, explanations and what-if are this "
                "project's reading of CQC's published rules. Rules CQC has not confirmed in "
                "writing are marked provisional."
            </p>
        </footer>
    }
}
