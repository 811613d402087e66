//! The browser app (Leptos, client-side only): search, location pages with the explanation and
//! what-if, provider pages, the national view and the methodology page. It reads the engine;
//! it never re-implements a rule.

mod data;
mod format;
pub mod ingest_job;
mod pages;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

pub use data::{AppData, LoadState};

/// The whole app: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    let state = RwSignal::new(LoadState::Loading);
    provide_context(state);
    data::load_bundled(state);
    view! {
        <Router>
            <a class="skip-link" href="#main">"Skip to main content"</a>
            <header class="site">
                <A href="/" attr:class="brand">"CQC Ratings Explorer"</A>
                <nav aria-label="Main">
                    <A href="/">"Search"</A>
                    <A href="/national">"National view"</A>
                    <A href="/councils">"Councils"</A>
                    <A href="/methodology">"How ratings are calculated"</A>
                    <A href="/load">"Load newer data"</A>
                </nav>
                <span class="data-date" data-testid="data-date">{move || data::header_line(&state.get())}</span>
                <p class="banner">
                    "Unofficial and independent: not affiliated with or endorsed by the Care Quality Commission (CQC). Everything runs in your browser; nothing you do here is sent anywhere."
                </p>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <pages::NotFound/> }>
                    <Route path=path!("/") view=pages::SearchPage/>
                    <Route path=path!("/location/:id") view=pages::LocationPage/>
                    <Route path=path!("/provider/:id") view=pages::ProviderPage/>
                    <Route path=path!("/national") view=pages::NationalPage/>
                    <Route path=path!("/councils") view=pages::CouncilsPage/>
                    <Route path=path!("/council/:slug") view=pages::CouncilPage/>
                    <Route path=path!("/methodology") view=pages::MethodologyPage/>
                    <Route path=path!("/load") view=pages::LoadPage/>
                </Routes>
            </main>
            <footer class="site">
                <p>{cqc_explorer_licence()}</p>
                <p>"Ratings are CQC's; the recomputation, explanations and what-if are this project's reading of CQC's published rules. Rules CQC has not confirmed in writing are marked provisional."</p>
            </footer>
        </Router>
    }
}

/// Puts a readable banner at the top of the page saying the explorer stopped, with `details`.
/// Called by the panic hook, so it touches only the DOM, never the app's state.
pub fn show_fatal_error(details: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = document.body() else { return };
    if let Ok(banner) = document.create_element("div") {
        banner.set_class_name("panic-banner");
        let _ = banner.set_attribute("role", "alert");
        // Text, never HTML: the message may quote data.
        banner.set_text_content(Some(&format!(
            "Something went wrong in the explorer and it stopped. Please reload the page. Details: {details}"
        )));
        let _ = body.prepend_with_node_1(&banner);
    }
}

fn cqc_explorer_licence() -> &'static str {
    cqc_engine::ingest::LICENCE
}
