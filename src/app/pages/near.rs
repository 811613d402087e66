//! Services near a place (`/near?q=OL1 2DP`): a postcode or town is placed by the locations in
//! the data that share it (no lookup service is asked), or by the browser's own position when
//! the reader asks for it; the results are the nearest services that pass the filters, with
//! their rating, its age and the distance. The typed place is in the address so a search can
//! be shared; the browser's position never is, and never leaves the page.

use crate::app::components::{age_badge, counted, date, rating_badge, TableRegion};
use crate::app::data::{with_data, AppData};
use crate::app::pages::compare::{AddToCompare, CompareChosen};
use crate::app::routes::location_href;
use cqc_engine::audit::sector_of;
use cqc_engine::model::{Domain, Location, Rating};
use cqc_engine::near::{
    km_to_miles, nearest, place_coordinates, unknown_nursing, NearFilters, NursingFilter, PlaceFix,
    Point,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use wasm_bindgen::JsCast;

/// How many of the nearest services are listed.
const SHOWN: usize = 25;

/// The page's state in the address: the place typed and the filters.
#[derive(Debug, Clone, PartialEq, Default)]
struct NearQuery {
    place: String,
    filters: NearFilters,
}

impl NearQuery {
    fn from_map(map: &ParamsMap) -> NearQuery {
        NearQuery {
            place: map.get("q").unwrap_or_default(),
            filters: NearFilters {
                at_least: map.get("rating").and_then(|r| Rating::from_slug(&r)),
                nursing: NursingFilter::from_slug(&map.get("nursing").unwrap_or_default()),
                sector: map.get("type").unwrap_or_default(),
            },
        }
    }

    fn to_url(&self) -> String {
        let enc = |s: &str| {
            js_sys::encode_uri_component(s)
                .as_string()
                .unwrap_or_default()
        };
        let pairs = [
            ("q", self.place.trim().to_string()),
            (
                "rating",
                self.filters
                    .at_least
                    .map(|r| r.slug().to_string())
                    .unwrap_or_default(),
            ),
            ("nursing", self.filters.nursing.slug().to_string()),
            ("type", self.filters.sector.clone()),
        ];
        let query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        if query.is_empty() {
            "/near".into()
        } else {
            format!("/near?{}", query.join("&"))
        }
    }
}

/// Where the distances are measured from.
#[derive(Debug, Clone, PartialEq)]
enum Origin {
    Typed(PlaceFix),
    /// The browser's position, given at the reader's request.
    Browser(Point),
}

impl Origin {
    fn point(&self) -> Point {
        match self {
            Origin::Typed(fix) => fix.point,
            Origin::Browser(point) => *point,
        }
    }
}

#[component]
pub fn NearPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| NearQuery::from_map(&query_map.get()));
    // Kept in the page only: it is never written to the address, so it cannot be shared or
    // end up in history.
    let here = RwSignal::new(None::<Point>);
    view! {
        <h1>"Find services near a place"</h1>
        <p>
            "Type a postcode or a town. It is placed using the services in this data that share "
            "it, so nothing you type is sent anywhere."
        </p>
        {with_data(move |d: AppData| view! { <NearView data=d query=query here=here/> })}
    }
}

#[component]
fn NearView(data: AppData, query: Memo<NearQuery>, here: RwSignal<Option<Point>>) -> impl IntoView {
    let navigate = use_navigate();
    let go = move |q: NearQuery| {
        navigate(
            &q.to_url(),
            leptos_router::NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        )
    };
    let origin = {
        let d = data.clone();
        Memo::new(move |_| match here.get() {
            Some(point) => Some(Origin::Browser(point)),
            None => place_coordinates(&query.get().place, &d.snapshot.locations).map(Origin::Typed),
        })
    };
    let placed = data
        .snapshot
        .locations
        .iter()
        .filter(|l| Point::of(l).is_some())
        .count();
    let coverage = format!(
        "{} of the {} in this data have coordinates: CQC publishes them in its API, not in its \
         Latest ratings file. Only these can be placed or found.",
        counted(placed, "service", "services"),
        data.snapshot.locations.len()
    );
    let mut sectors: Vec<&'static str> = data
        .snapshot
        .locations
        .iter()
        .filter(|l| Point::of(l).is_some())
        .map(sector_of)
        .collect();
    cqc_engine::order::sort(&mut sectors);
    sectors.dedup();
    let results = {
        let d = data.clone();
        Memo::new(move |_| {
            origin
                .get()
                .map(|o| nearest(&d.snapshot.locations, o.point(), &query.get().filters))
        })
    };
    let left_out = {
        let d = data.clone();
        move || unknown_nursing(&d.snapshot.locations, &query.get().filters)
    };
    let summary = move || {
        let place = query.get().place;
        match origin.get() {
            None if place.trim().is_empty() => None,
            None => Some(view! {
                <p class="panel warn" role="status" data-testid="near-fix">
                    {format!(
                        "No service in this data has the postcode, postcode district or town \u{201c}{}\u{201d}, so it cannot be placed.",
                        place.trim()
                    )}
                </p>
            }.into_any()),
            Some(Origin::Browser(_)) => Some(view! {
                <p class="panel" role="status" data-testid="near-fix">
                    "Distances are from the position your browser gave. It stays in this page: "
                    "it is not sent anywhere or put in the address."
                </p>
            }.into_any()),
            Some(Origin::Typed(fix)) => {
                let fallback = fix.unmatched_postcode.as_ref().map(|p| {
                    format!("No service in this data has the postcode {p}, so its district is used. ")
                });
                let precision = match fix.source {
                    cqc_engine::near::FixSource::Postcode(_) => "as precise as a postcode",
                    cqc_engine::near::FixSource::District(_) => "to within a few kilometres",
                    cqc_engine::near::FixSource::Town(_) => "to within a few kilometres, more in a large town",
                };
                Some(view! {
                    <p class="panel" role="status" data-testid="near-fix">
                        {fallback}
                        "Distances are from the middle of the "
                        <strong>{fix.describe()}</strong>
                        {format!(
                            ", worked out from the {} in this data there: {precision}.",
                            counted(fix.services, "service", "services")
                        )}
                    </p>
                }.into_any())
            }
        }
    };
    let count_line = {
        let left_out = left_out.clone();
        move || {
            results.get().map(|found| {
                let shown = found.len().min(SHOWN);
                let unknown = left_out();
                let unknown_note = (unknown > 0).then(|| {
                    format!(
                        " {} whose nursing care this data does not give {} left out.",
                        counted(unknown, "service", "services"),
                        if unknown == 1 { "is" } else { "are" }
                    )
                });
                format!(
                    "{} {} the filters; the nearest {shown} shown.{}",
                    counted(found.len(), "service", "services"),
                    if found.len() == 1 { "passes" } else { "pass" },
                    unknown_note.unwrap_or_default()
                )
            })
        }
    };
    let rows = {
        let d = data.clone();
        move || {
            results
                .get()
                .unwrap_or_default()
                .into_iter()
                .take(SHOWN)
                .map(|(i, km)| view! { <NearRow location=d.snapshot.locations[i].clone() km=km/> })
                .collect_view()
        }
    };
    view! {
        <NearForm query=query here=here go=go.clone() sectors=sectors/>
        <p class="muted">{coverage}</p>
        {summary}
        <CompareChosen/>
        {move || {
            let (rows, count_line) = (rows.clone(), count_line.clone());
            results.get().is_some().then(move || view! {
            <p aria-live="polite" data-testid="near-count">{count_line}</p>
            <TableRegion label="Services by distance">
                <table data-testid="near-results">
                    <caption class="visually-hidden">"Services by distance, nearest first"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Distance"</th>
                            <th scope="col">"Service"</th>
                            <th scope="col">"Overall rating"</th>
                            <th scope="col">"Published"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableRegion>
        })}}
    }
}

#[component]
fn NearRow(location: Location, km: f64) -> impl IntoView {
    let overall = location.published(Domain::Overall);
    let published = overall.and_then(|p| p.published);
    let nursing = match location.detail.facts.with_nursing() {
        Some(true) => " · with nursing",
        _ => "",
    };
    view! {
        <tr>
            <td class="num">
                <span class="nowrap">{format!("{km:.1} km")}</span>
                <br/>
                <span class="muted nowrap">{format!("{:.1} miles", km_to_miles(km))}</span>
            </td>
            <td>
                <a href=location_href(&location.id)>{location.name.clone()}</a>
                <br/>
                <span class="muted">
                    {format!("{}{nursing} · {} ", sector_of(&location), location.city)}
                    <span class="nowrap">{location.postcode.clone()}</span>
                </span>
                <br/>
                <AddToCompare id=location.id.clone() name=location.name.clone()/>
            </td>
            <td>{rating_badge(overall.map(|p| p.value))}</td>
            <td><span class="nowrap">{date(published)}</span>" "{age_badge(published)}</td>
        </tr>
    }
}

#[component]
fn NearForm(
    query: Memo<NearQuery>,
    here: RwSignal<Option<Point>>,
    go: impl Fn(NearQuery) + Clone + Send + Sync + 'static,
    sectors: Vec<&'static str>,
) -> impl IntoView {
    let draft = RwSignal::new(query.get_untracked().place);
    let on_submit = {
        let go = go.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            here.set(None);
            let mut q = query.get_untracked();
            q.place = draft.get_untracked();
            go(q);
        }
    };
    let set = move |edit: &dyn Fn(&mut NearFilters)| {
        let mut q = query.get_untracked();
        edit(&mut q.filters);
        go(q);
    };
    let on_rating = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f| f.at_least = Rating::from_slug(&v));
        }
    };
    let on_nursing = {
        let set = set.clone();
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            set(&|f| f.nursing = NursingFilter::from_slug(&v));
        }
    };
    let on_type = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        set(&|f| f.sector = v.clone());
    };
    let status = RwSignal::new(String::new());
    view! {
        <form class="near-form" role="search" on:submit=on_submit>
            <label for="near-q">"Postcode or town"</label>
            <div class="near-place">
                <input
                    id="near-q"
                    type="search"
                    autocomplete="postal-code"
                    placeholder="e.g. OL1 2DP, OL8 or Oldham"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                />
                <button type="submit">"Find services"</button>
                <button type="button" on:click=move |_| use_my_location(here, status)>
                    "Use my location"
                </button>
            </div>
            <p class="muted" role="status">{move || status.get()}</p>
            <div class="filters">
                <div>
                    <label for="near-rating">"Overall rating"</label>
                    <select
                        id="near-rating"
                        prop:value=move || query.get().filters.at_least.map(|r| r.slug()).unwrap_or("")
                        on:change=on_rating
                    >
                        <option value="">"Any rating"</option>
                        <option value=Rating::Good.slug()>"Good or Outstanding"</option>
                        <option value=Rating::Outstanding.slug()>"Outstanding"</option>
                    </select>
                </div>
                <div>
                    <label for="near-nursing">"Nursing care"</label>
                    <select
                        id="near-nursing"
                        prop:value=move || query.get().filters.nursing.slug()
                        on:change=on_nursing
                    >
                        {NursingFilter::ALL
                            .iter()
                            .map(|n| view! { <option value=n.slug()>{n.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div>
                    <label for="near-type">"Type of service"</label>
                    <select id="near-type" prop:value=move || query.get().filters.sector on:change=on_type>
                        <option value="">"All types"</option>
                        {sectors
                            .into_iter()
                            .map(|s| view! { <option value=s>{s}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
        </form>
    }
}

/// Asks the browser for its position, only now that the reader pressed the button; the answer
/// goes into `here` and nowhere else.
fn use_my_location(here: RwSignal<Option<Point>>, status: RwSignal<String>) {
    let geolocation = web_sys::window().and_then(|w| w.navigator().geolocation().ok());
    let Some(geolocation) = geolocation else {
        status
            .set("This browser cannot give its position. Type a postcode or town instead.".into());
        return;
    };
    status.set("Asking your browser for its position…".into());
    let found = wasm_bindgen::closure::Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        here.set(Some(Point {
            lat: coords.latitude(),
            lon: coords.longitude(),
        }));
        status.set(String::new());
    });
    let failed = wasm_bindgen::closure::Closure::once_into_js(
        move |_error: wasm_bindgen::JsValue| {
            status.set(
            "Your browser did not give a position (it may have been refused). Type a postcode or town instead."
                .into(),
        );
        },
    );
    if geolocation
        .get_current_position_with_error_callback(
            found.unchecked_ref(),
            Some(failed.unchecked_ref()),
        )
        .is_err()
    {
        status
            .set("This browser cannot give its position. Type a postcode or town instead.".into());
    }
}
