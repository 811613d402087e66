//! The route table: which page each address shows, and the addresses pages link to.

use crate::app::pages;
use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::path;

/// Every page of the site, by address; anything else is the not-found page.
#[component]
pub fn AppRoutes() -> impl IntoView {
    provide_context(pages::CompareSelection::load());
    view! {
        <Routes fallback=|| view! { <pages::NotFound/> }>
            <Route path=path!("/") view=pages::SearchPage/>
            <Route path=path!("/location/:id") view=pages::LocationPage/>
            <Route path=path!("/provider/:id") view=pages::ProviderPage/>
            <Route path=path!("/national") view=pages::NationalPage/>
            <Route path=path!("/councils") view=pages::CouncilsPage/>
            <Route path=path!("/council/:slug") view=pages::CouncilPage/>
            <Route path=path!("/methodology") view=pages::MethodologyPage/>
            <Route path=path!("/load") view=pages::LoadPage/>
            <Route path=path!("/near") view=pages::NearPage/>
            <Route path=path!("/compare") view=pages::ComparePage/>
        </Routes>
    }
}

pub fn location_href(id: &str) -> String {
    format!("/location/{id}")
}

pub fn provider_href(id: &str) -> String {
    format!("/provider/{id}")
}

pub fn compare_href(ids: &[String]) -> String {
    if ids.is_empty() {
        "/compare".into()
    } else {
        format!("/compare?ids={}", ids.join(","))
    }
}
