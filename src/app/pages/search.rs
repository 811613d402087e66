//! Search and browse: every location, filtered and sorted, state in the URL, 25 a page,
//! exportable as CSV.

use crate::app::data::{with_data, AppData};
use crate::app::format::{age_badge, date, rating_badge};
use crate::audit::{sector_of, Agreement};
use crate::model::{Domain, Rating};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const PAGE_SIZE: usize = 25;

/// The filter state, read from and written to the URL query.
#[derive(Clone, Debug, PartialEq, Default)]
struct Query {
    text: String,
    sector: String,
    rating: String,
    age: String,
    diverges: bool,
    sort: String,
    page: usize,
}

impl Query {
    fn to_url(&self) -> String {
        let mut parts = Vec::new();
        let enc = |s: &str| {
            js_sys::encode_uri_component(s)
                .as_string()
                .unwrap_or_default()
        };
        if !self.text.is_empty() {
            parts.push(format!("q={}", enc(&self.text)));
        }
        if !self.sector.is_empty() {
            parts.push(format!("sector={}", enc(&self.sector)));
        }
        if !self.rating.is_empty() {
            parts.push(format!("rating={}", self.rating));
        }
        if !self.age.is_empty() {
            parts.push(format!("age={}", self.age));
        }
        if self.diverges {
            parts.push("diverges=1".into());
        }
        if !self.sort.is_empty() {
            parts.push(format!("sort={}", self.sort));
        }
        if self.page > 0 {
            parts.push(format!("page={}", self.page + 1));
        }
        if parts.is_empty() {
            "/".into()
        } else {
            format!("/?{}", parts.join("&"))
        }
    }
}

/// Indices of the locations that match, in display order.
fn matches(d: &AppData, q: &Query) -> Vec<usize> {
    let terms: Vec<String> = q
        .text
        .to_lowercase()
        .split_whitespace()
        .map(String::from)
        .collect();
    let as_of = d.snapshot.meta.data_date;
    let mut out: Vec<usize> = d
        .snapshot
        .locations
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let hay = &d.haystacks[*i];
            if !terms.iter().all(|t| hay.contains(t.as_str())) {
                return false;
            }
            if !q.sector.is_empty() && sector_of(l) != q.sector {
                return false;
            }
            let overall = l.published(Domain::Overall);
            if !q.rating.is_empty() {
                let slug = overall
                    .and_then(|p| p.value.rated())
                    .map(|r| r.slug())
                    .unwrap_or("none");
                if slug != q.rating {
                    return false;
                }
            }
            if !q.age.is_empty() {
                let years = overall
                    .and_then(|p| p.published)
                    .zip(as_of)
                    .map(|(p, a)| (a - p).num_days() as f64 / 365.25);
                let band = years
                    .map(|y| crate::app::format::age_band(y).0)
                    .unwrap_or("unknown");
                if band != q.age {
                    return false;
                }
            }
            if q.diverges
                && !matches!(
                    d.audit.locations.get(*i).map(|a| a.agreement),
                    Some(Agreement::Diverges(_))
                )
            {
                return false;
            }
            true
        })
        .map(|(i, _)| i)
        .collect();
    let rating_of = |i: usize| {
        d.snapshot.locations[i]
            .published(Domain::Overall)
            .and_then(|p| p.value.rated())
            .map(|r| r.score())
            .unwrap_or(0)
    };
    let date_of = |i: usize| {
        d.snapshot.locations[i]
            .published(Domain::Overall)
            .and_then(|p| p.published)
    };
    match q.sort.as_str() {
        "rating" => out.sort_by_key(|i| std::cmp::Reverse(rating_of(*i))),
        "oldest" => out.sort_by_key(|i| date_of(*i).unwrap_or(chrono::NaiveDate::MAX)),
        "newest" => out.sort_by_key(|i| std::cmp::Reverse(date_of(*i))),
        _ => {}
    }
    out
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let m = query_map.get();
        Query {
            text: m.get("q").unwrap_or_default(),
            sector: m.get("sector").unwrap_or_default(),
            rating: m.get("rating").unwrap_or_default(),
            age: m.get("age").unwrap_or_default(),
            diverges: m.get("diverges").as_deref() == Some("1"),
            sort: m.get("sort").unwrap_or_default(),
            page: m
                .get("page")
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1)
                - 1,
        }
    });
    let navigate = use_navigate();
    let go = move |q: Query| {
        navigate(
            &q.to_url(),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        )
    };
    view! {
        <h1>"Find a care service and see how its rating was built"</h1>
        {with_data(move |d: AppData| {
            let go = go.clone();
            let sectors: Vec<String> = {
                let mut s: Vec<String> = d.snapshot.locations.iter().map(sector_of).collect();
                s.sort();
                s.dedup();
                s
            };
            let d2 = d.clone();
            let results = Memo::new(move |_| matches(&d2, &query.get()));
            let as_of = d.snapshot.meta.data_date;
            let d3 = d.clone();
            let set = move |f: &dyn Fn(&mut Query)| {
                let mut q = query.get_untracked();
                f(&mut q);
                q.page = 0;
                go(q);
            };
            let set = std::sync::Arc::new(set);
            let (s1, s2, s3, s4, s5, s6) = (set.clone(), set.clone(), set.clone(), set.clone(), set.clone(), set.clone());
            let page_go = set.clone();
            view! {
                <form role="search" on:submit=|ev| ev.prevent_default()>
                    <label for="q">"Search by name, town, postcode, provider or brand"</label>
                    <input id="q" type="search" autocomplete="off" placeholder="e.g. Shrewsbury, SY3, Beech House"
                        prop:value=move || query.get().text
                        on:input=move |ev| { let v = event_target_value(&ev); s1(&move |q| q.text = v.clone()) } />
                    <div class="filters">
                        <div>
                            <label for="sector">"Type of service"</label>
                            <select id="sector" prop:value=move || query.get().sector on:change=move |ev| { let v = event_target_value(&ev); s2(&move |q| q.sector = v.clone()) }>
                                <option value="">"All types"</option>
                                {sectors.into_iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div>
                            <label for="rating">"Overall rating"</label>
                            <select id="rating" prop:value=move || query.get().rating on:change=move |ev| { let v = event_target_value(&ev); s3(&move |q| q.rating = v.clone()) }>
                                <option value="">"Any rating"</option>
                                {Rating::ALL.iter().rev().map(|r| view! { <option value=r.slug()>{r.label()}</option> }).collect_view()}
                                <option value="none">"Not rated"</option>
                            </select>
                        </div>
                        <div>
                            <label for="age">"Age of overall rating"</label>
                            <select id="age" prop:value=move || query.get().age on:change=move |ev| { let v = event_target_value(&ev); s4(&move |q| q.age = v.clone()) }>
                                <option value="">"Any age"</option>
                                <option value="fresh">"Under 2 years"</option>
                                <option value="ageing">"2 to 4 years"</option>
                                <option value="old">"4 to 6 years"</option>
                                <option value="very-old">"Over 6 years"</option>
                            </select>
                        </div>
                        <div>
                            <label for="sort">"Sort by"</label>
                            <select id="sort" prop:value=move || query.get().sort on:change=move |ev| { let v = event_target_value(&ev); s5(&move |q| q.sort = v.clone()) }>
                                <option value="">"Name"</option>
                                <option value="rating">"Best rating first"</option>
                                <option value="oldest">"Oldest rating first"</option>
                                <option value="newest">"Newest rating first"</option>
                            </select>
                        </div>
                        <div>
                            <label for="diverges">
                                <input id="diverges" type="checkbox" prop:checked=move || query.get().diverges
                                    on:change=move |ev| { let v = event_target_checked(&ev); s6(&move |q| q.diverges = v) } />
                                " Published rating differs from the rules"
                            </label>
                        </div>
                    </div>
                </form>
                <p aria-live="polite" data-testid="result-count">
                    {move || format!("{} of {} locations", results.get().len(), d3.snapshot.locations.len())}
                </p>
                <button type="button" on:click={
                    let d = d.clone();
                    move |_| export_csv(&d, &results.get_untracked())
                }>"Download these results (CSV)"</button>
                <div class="table-wrap">
                <table>
                    <caption class="visually-hidden">"Matching locations"</caption>
                    <thead><tr><th scope="col">"Location"</th><th scope="col">"Type"</th><th scope="col">"Overall rating"</th><th scope="col">"Published"</th></tr></thead>
                    <tbody>
                        {
                            let d = d.clone();
                            move || {
                                let q = query.get();
                                let all = results.get();
                                all.iter().skip(q.page * PAGE_SIZE).take(PAGE_SIZE).map(|i| {
                                    let l = &d.snapshot.locations[*i];
                                    let overall = l.published(Domain::Overall);
                                    let href = format!("/location/{}", l.id);
                                    view! {
                                        <tr>
                                            <td><a href=href>{l.name.clone()}</a><br/><span class="muted">{format!("{} {}", l.city, l.postcode)}</span></td>
                                            <td>{sector_of(l)}</td>
                                            <td>{rating_badge(overall.map(|p| p.value))}</td>
                                            <td>{date(overall.and_then(|p| p.published))}" "{age_badge(overall.and_then(|p| p.published), as_of)}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            }
                        }
                    </tbody>
                </table>
                </div>
                <nav class="pager" aria-label="Result pages">
                    {move || {
                        let q = query.get();
                        let pages = results.get().len().div_ceil(PAGE_SIZE).max(1);
                        let prev = page_go.clone();
                        let next = page_go.clone();
                        let page = q.page;
                        view! {
                            <button type="button" disabled=page == 0 on:click=move |_| { let p = page - 1; prev(&move |q| q.page = p); }>"Previous"</button>
                            <span>{format!("Page {} of {}", page + 1, pages)}</span>
                            <button type="button" disabled=page + 1 >= pages on:click=move |_| { let p = page + 1; next(&move |q| q.page = p); }>"Next"</button>
                        }
                    }}
                </nav>
            }
        })}
    }
}

/// Downloads the matching rows as CSV (generated in the browser; nothing is uploaded).
fn export_csv(d: &AppData, rows: &[usize]) {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "location_id",
        "name",
        "town",
        "postcode",
        "provider",
        "type",
        "overall_rating",
        "published",
        "rules_give",
        "agreement",
    ]);
    for i in rows {
        let l = &d.snapshot.locations[*i];
        let overall = l.published(Domain::Overall);
        let audit = d.audit.locations.get(*i);
        let _ = w.write_record([
            l.id.as_str(),
            l.name.as_str(),
            l.city.as_str(),
            l.postcode.as_str(),
            l.provider_name.as_str(),
            &sector_of(l),
            overall.map(|p| p.value.label()).unwrap_or(""),
            &overall
                .and_then(|p| p.published)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            audit
                .and_then(|a| a.recomputed)
                .map(|r| r.label())
                .unwrap_or(""),
            match audit.map(|a| a.agreement) {
                Some(Agreement::Agrees) => "agrees",
                Some(Agreement::Diverges(c)) => c.label(),
                _ => "not comparable",
            },
        ]);
    }
    let bytes = w.into_inner().unwrap_or_default();
    download("cqc-locations.csv", "text/csv", &bytes);
}

/// Offers bytes as a file download via an object URL.
pub fn download(name: &str, mime: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = leptos::prelude::document();
    if let Ok(a) = document.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&a) {
            el.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
