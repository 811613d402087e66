//! Search and browse: every location, filtered and sorted, state in the URL, 25 a page,
//! exportable as CSV.

use crate::app::data::{with_data, AppData};
use crate::app::format::{age_badge, date, rating_badge};
use cqc_engine::audit::{sector_of, Agreement};
use cqc_engine::model::{Domain, KeyQuestion, Location, Rating};
use cqc_engine::search::{rating_counts, select, AgeBand, Filters, Sort};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

const PAGE_SIZE: usize = 25;

/// The page's state in the URL: the filters plus the page number.
#[derive(Clone, Debug, PartialEq, Default)]
struct Query {
    filters: Filters,
    page: usize,
}

impl Query {
    fn to_url(&self) -> String {
        let enc = |s: &str| {
            js_sys::encode_uri_component(s)
                .as_string()
                .unwrap_or_default()
        };
        let mut parts: Vec<String> = self
            .filters
            .to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", enc(&v)))
            .collect();
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

/// Distinct non-empty values of a field, sorted, for a filter's options. Borrowed until the
/// few distinct values are known: this runs over every location on the first paint.
fn distinct<'a>(d: &'a AppData, field: impl Fn(&'a Location) -> &'a str) -> Vec<String> {
    let mut values: Vec<&str> = d
        .snapshot
        .locations
        .iter()
        .map(field)
        .filter(|v| !v.is_empty())
        .collect();
    values.sort_unstable();
    values.dedup();
    values.into_iter().map(str::to_string).collect()
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let m = query_map.get();
        let keys = [
            "q",
            "sector",
            "region",
            "la",
            "rating",
            "kq",
            "kqr",
            "age",
            "inherited",
            "carehome",
            "mixed",
            "diverges",
            "sort",
        ];
        let values: Vec<(&str, String)> = keys
            .iter()
            .filter_map(|k| m.get(k).map(|v| (*k, v)))
            .collect();
        Query {
            filters: Filters::from_pairs(values.iter().map(|(k, v)| (*k, v.as_str()))),
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
            let sectors = distinct(&d, |l| sector_of(l));
            let regions = distinct(&d, |l| &l.region);
            let authorities = distinct(&d, |l| &l.local_authority);
            let d2 = d.clone();
            // A typed search waits for the index (built just after the first paint); until then
            // it has no results rather than wrong ones, and says so.
            let search_pending = {
                let search = d.search;
                move || !query.get().filters.text.trim().is_empty() && search.get().is_none()
            };
            // The index and the audit are read (and so waited for) only by the filters that use
            // them: otherwise each one's arrival would redo the selection for nothing.
            let results = Memo::new(move |_| {
                let filters = query.get().filters;
                let index = if filters.text.trim().is_empty() {
                    None
                } else {
                    d2.search.get()
                };
                let audit = if filters.mixed_dates || filters.diverges {
                    d2.audit_or_empty()
                } else {
                    untrack(|| d2.audit_or_empty())
                };
                select(&d2.snapshot, &index.unwrap_or_default(), &audit, &filters)
            });
            let audit_pending = {
                let audit = d.audit;
                move || {
                    let f = query.get().filters;
                    (f.diverges || f.mixed_dates) && audit.get().is_none()
                }
            };
            let as_of = d.snapshot.meta.data_date;
            let d3 = d.clone();
            let d4 = d.clone();
            let set = {
                let go = go.clone();
                move |f: &dyn Fn(&mut Filters)| {
                    let mut q = query.get_untracked();
                    f(&mut q.filters);
                    q.page = 0;
                    go(q);
                }
            };
            let set = std::sync::Arc::new(set);
            let page_go = {
                let go = go.clone();
                move |page: usize| {
                    let mut q = query.get_untracked();
                    q.page = page;
                    go(q);
                }
            };
            let set_text = set.clone();
            let set_check = set.clone();
            let check_filter = move |id: &'static str, label: &'static str, get: fn(&Filters) -> bool, put: fn(&mut Filters, bool)| {
                let set = set_check.clone();
                view! {
                    <label for=id>
                        <input id=id type="checkbox" prop:checked=move || get(&query.get().filters)
                            on:change=move |ev| { let v = event_target_checked(&ev); set(&move |f| put(f, v)) } />
                        {label}
                    </label>
                }
            };
            let select_filter = move |id: &'static str, label: &'static str, any: &'static str, options: Vec<(String, String)>, get: fn(&Filters) -> String, put: fn(&mut Filters, String)| {
                let set = set.clone();
                view! {
                    <div>
                        <label for=id>{label}</label>
                        <select id=id prop:value=move || get(&query.get().filters) on:change=move |ev| { let v = event_target_value(&ev); set(&move |f| put(f, v.clone())) }>
                            <option value="">{any}</option>
                            {options.into_iter().map(|(value, text)| view! { <option value=value>{text}</option> }).collect_view()}
                        </select>
                    </div>
                }
            };
            let pairs = |values: Vec<String>| values.into_iter().map(|v| (v.clone(), v)).collect::<Vec<_>>();
            let mut rating_options: Vec<(String, String)> = Rating::ALL.iter().rev().map(|r| (r.slug().to_string(), r.label().to_string())).collect();
            rating_options.push(("none".into(), "Not rated".into()));
            view! {
                <form role="search" on:submit=|ev| ev.prevent_default()>
                    <label for="q">"Search by name, town, postcode, provider or brand"</label>
                    <input id="q" type="search" autocomplete="off" placeholder="e.g. Shrewsbury, SY3, Beech House"
                        prop:value=move || query.get().filters.text
                        on:input=move |ev| { let v = event_target_value(&ev); set_text(&move |f| f.text = v.clone()) } />
                    <div class="filters">
                        {select_filter("sector", "Type of service", "All types", pairs(sectors), |f| f.sector.clone(), |f, v| f.sector = v)}
                        {select_filter("region", "Region", "All regions", pairs(regions), |f| f.region.clone(), |f, v| f.region = v)}
                        {select_filter("la", "Local authority", "All local authorities", pairs(authorities), |f| f.local_authority.clone(), |f, v| f.local_authority = v)}
                        {select_filter("rating", "Overall rating", "Any rating", rating_options.clone(), |f| f.rating.clone(), |f, v| f.rating = v)}
                        {select_filter("kq", "Key question", "Any key question", KeyQuestion::ALL.iter().map(|k| (k.slug().to_string(), k.label().to_string())).collect(), |f| f.key_question.map(|k| k.slug().to_string()).unwrap_or_default(), |f, v| f.key_question = KeyQuestion::from_slug(&v))}
                        {select_filter("kqr", "…rated", "Any rating", rating_options, |f| f.key_question_rating.clone(), |f, v| f.key_question_rating = v)}
                        {select_filter("age", "Age of overall rating", "Any age", AgeBand::ALL.iter().map(|b| (b.slug().to_string(), b.label().to_string())).collect(), |f| f.age.map(|b| b.slug().to_string()).unwrap_or_default(), |f, v| f.age = AgeBand::from_slug(&v))}
                        {select_filter("sort", "Sort by", "Best match", Sort::ALL[1..].iter().map(|s| (s.slug().to_string(), s.label().to_string())).collect(), |f| f.sort.slug().to_string(), |f, v| f.sort = Sort::from_slug(&v))}
                        <div class="checks">
                            {check_filter("inherited", " Has an inherited rating", |f| f.inherited, |f, v| f.inherited = v)}
                            {check_filter("carehome", " Care homes only", |f| f.care_home, |f, v| f.care_home = v)}
                            {check_filter("mixed", " Overall built from ratings of different dates", |f| f.mixed_dates, |f, v| f.mixed_dates = v)}
                            {check_filter("diverges", " Published rating differs from the rules", |f| f.diverges, |f, v| f.diverges = v)}
                        </div>
                    </div>
                </form>
                {move || audit_pending().then(|| view! { <p class="panel" role="status">"Checking every published rating against the rules; this filter fills in when that is done…"</p> })}
                <p aria-live="polite" data-testid="result-count">
                    {move || if search_pending() {
                        "Preparing the search; the results appear in a moment…".to_string()
                    } else {
                        format!("{} of {} locations", results.get().len(), d3.snapshot.locations.len())
                    }}
                </p>
                <p class="muted" data-testid="result-ratings">
                    {move || {
                        if search_pending() {
                            return String::new();
                        }
                        let (counts, unrated) = rating_counts(&d4.snapshot, &results.get());
                        let mut parts: Vec<String> = Rating::ALL.iter().rev().zip(counts).map(|(r, n)| format!("{} {n}", r.label())).collect();
                        parts.push(format!("not rated {unrated}"));
                        parts.join(" · ")
                    }}
                </p>
                <button type="button" disabled=search_pending on:click={
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
                            <button type="button" disabled={page == 0} on:click=move |_| { prev(page.saturating_sub(1)) }>"Previous"</button>
                            <span>{format!("Page {} of {}", page + 1, pages)}</span>
                            <button type="button" disabled={page + 1 >= pages} on:click=move |_| { next(page + 1) }>"Next"</button>
                        }
                    }}
                </nav>
            }
        })}
    }
}

/// Downloads the matching rows as CSV (generated in the browser; nothing is uploaded).
fn export_csv(d: &AppData, rows: &[usize]) {
    let audit = d.audit_or_empty();
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
        let audit = audit.locations.get(*i);
        // Names come from dropped files: a cell such as "=HYPERLINK(…)" must open as text.
        let cells: [&str; 10] = [
            l.id.as_str(),
            l.name.as_str(),
            l.city.as_str(),
            l.postcode.as_str(),
            l.provider_name.as_str(),
            sector_of(l),
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
        ];
        let _ = w.write_record(cells.map(|c| cqc_engine::ingest::spreadsheet_safe(c).into_owned()));
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
