//! The national view: how ratings are distributed by type of service and key question, how old
//! they are, and how often the published rating is what the rules give. Every chart has a key
//! and a table alternative whose every figure links to the filtered list of locations behind it.

mod scope;

use crate::app::components::charts::{count_chart, stacked_chart, Bar, Segment};
use crate::app::components::{
    age_badge, closed_badge, counted, date, rated_badge, rating_badge, TableRegion,
};
use crate::app::data::{with_data, AppData};
use crate::app::routes::location_href;
use cqc_engine::audit::{sector_of, Agreement, AgreementCount, AuditReport};
use cqc_engine::model::{
    years_between, Date, Domain, KeyQuestion, Location, Rating, NOT_RATED_LABEL,
};
use cqc_engine::search::AgeBand;
use leptos::prelude::*;
use std::sync::Arc;

// Issue 15: Requires improvement and Inadequate past their re-inspection target.
mod clock;

fn enc(s: &str) -> String {
    js_sys::encode_uri_component(s)
        .as_string()
        .unwrap_or_default()
}

/// The four levels best first, then "not rated", as segments of `locations` for `domain`.
fn rating_segments(
    locations: &[&Location],
    domain: Domain,
    href: impl Fn(&str) -> String,
) -> Vec<Segment> {
    let rated = |l: &Location| l.published(domain).and_then(|p| p.value.rated());
    let mut segments: Vec<Segment> = Rating::ALL
        .iter()
        .rev()
        .map(|r| Segment {
            class: r.slug(),
            label: r.label(),
            count: locations.iter().filter(|l| rated(l) == Some(*r)).count(),
            href: Some(href(r.slug())),
        })
        .collect();
    segments.push(Segment {
        class: "unrated",
        label: NOT_RATED_LABEL,
        count: locations.iter().filter(|l| rated(l).is_none()).count(),
        href: Some(href("none")),
    });
    segments
}

fn percent(count: &AgreementCount) -> String {
    count
        .rate()
        .map(|r| format!("{:.1} %", r * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

#[component]
pub fn NationalPage() -> impl IntoView {
    view! {
        <h1>"All ratings in this data"</h1>
        {with_data(|d: AppData| {
            let audit = d.audit;
            move || match audit.get() {
                Some(a) => view! { <National data=d.clone() audit=a/> }.into_any(),
                None => view! {
                    <p role="status" aria-live="polite">"Checking every published rating against the rules…"</p>
                }
                .into_any(),
            }
        })}
    }
}

#[component]
fn National(data: AppData, audit: Arc<AuditReport>) -> impl IntoView {
    let include = scope::include_closed();
    let as_of = data.snapshot.meta.data_date;
    // The charts and lists follow the closed-registrations choice; the audit's figures do not.
    let counted_sections = {
        let data = data.clone();
        let audit = audit.clone();
        move || {
            let include = include.get();
            let all = scope::counted_locations(&data.snapshot.locations, include);
            let suffix = scope::link_suffix(include);
            let locations: Vec<Location> = all.iter().map(|l| (*l).clone()).collect();
            view! {
                <section aria-labelledby="sector-h">
                    <h2 id="sector-h">"Overall ratings by type of service"</h2>
                    {stacked_chart("by-sector", "Overall ratings by type of service", "Type of service", sector_bars(&all, suffix))}
                </section>
                <section aria-labelledby="kq-h">
                    <h2 id="kq-h">"Ratings by key question"</h2>
                    {stacked_chart("by-key-question", "Ratings for each key question", "Key question", key_question_bars(&all, suffix))}
                </section>
                <Ages audit=audit.clone() locations=locations as_of=as_of suffix=suffix/>
            }
        }
    };
    view! {
        <scope::ScopeNote locations=data.snapshot.locations.clone() include=include data_date=as_of/>
        <AgreementSection audit=audit.clone()/>
        {counted_sections}
        <Divergences audit=audit data=data.clone()/>
        <clock::ClockFigures locations=data.snapshot.locations.clone() as_of=as_of/>
        {super::provider_spread::trusts_list(&data.snapshot.locations)}
    }
}

fn sector_bars(all: &[&Location], suffix: &str) -> Vec<Bar> {
    let mut sectors: Vec<&str> = all.iter().map(|l| sector_of(l)).collect();
    cqc_engine::order::sort(&mut sectors);
    sectors.dedup();
    sectors
        .iter()
        .map(|sector| {
            let in_sector: Vec<&Location> = all
                .iter()
                .copied()
                .filter(|l| sector_of(l) == *sector)
                .collect();
            let s = enc(sector);
            Bar {
                label: format!("{sector} ({})", in_sector.len()),
                href: Some(format!("/?sector={s}{suffix}")),
                segments: rating_segments(&in_sector, Domain::Overall, |r| {
                    format!("/?sector={s}&rating={r}{suffix}")
                }),
            }
        })
        .collect()
}

fn key_question_bars(all: &[&Location], suffix: &str) -> Vec<Bar> {
    std::iter::once(Bar {
        label: "Overall".into(),
        href: Some(if suffix.is_empty() {
            "/".into()
        } else {
            format!("/?{}", &suffix[1..])
        }),
        segments: rating_segments(all, Domain::Overall, |r| format!("/?rating={r}{suffix}")),
    })
    .chain(KeyQuestion::ALL.iter().map(|kq| Bar {
        label: kq.label().into(),
        href: Some(format!("/?kq={}{suffix}", kq.slug())),
        segments: rating_segments(all, Domain::KeyQuestion(*kq), |r| {
            format!("/?kq={}&kqr={r}{suffix}", kq.slug())
        }),
    }))
    .collect()
}

#[component]
fn AgreementSection(audit: Arc<AuditReport>) -> impl IntoView {
    let group_row = |g: &AgreementCount, href: Option<String>| {
        let name = match href {
            Some(href) => view! { <a href=href>{g.group.clone()}</a> }.into_any(),
            None => g.group.clone().into_any(),
        };
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num">{g.agree}</td>
                <td class="num">{g.compared}</td>
                <td class="num">{percent(g)}</td>
            </tr>
        }
    };
    let differ = audit.divergences().count();
    let differ_link = format!(
        "See the {} whose published rating differs from the rules",
        counted(differ, "location", "locations")
    );
    view! {
        <section aria-labelledby="agreement-h">
            <h2 id="agreement-h">"Do CQC's published ratings follow its own rules?"</h2>
            <p class="lead" data-testid="agreement-rate">
                {format!(
                    "The published overall rating is what the rules give for {} of {} locations ({}).",
                    audit.overall.agree,
                    audit.overall.compared,
                    percent(&audit.overall)
                )}
            </p>
            <TableRegion label="Agreement by type of service and by methodology">
                <table>
                    <caption>"Agreement by type of service and by methodology"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Group"</th>
                            <th scope="col">"Agree"</th>
                            <th scope="col">"Compared"</th>
                            <th scope="col">"Rate"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {audit
                            .by_sector
                            .iter()
                            .map(|g| group_row(g, Some(format!("/?sector={}", enc(&g.group)))))
                            .collect_view()}
                        {audit.by_rule_set.iter().map(|g| group_row(g, None)).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
            // The audit counts closed registrations too, so its list includes them.
            <p><a href="/?diverges=1&closed=1">{differ_link}</a>" (classified below)."</p>
        </section>
    }
}

#[component]
fn Ages(
    audit: Arc<AuditReport>,
    locations: Vec<Location>,
    as_of: Option<Date>,
    suffix: &'static str,
) -> impl IntoView {
    let overall_date = |l: &Location| l.published(Domain::Overall).and_then(|p| p.published);
    let age_rows = AgeBand::ALL
        .iter()
        .map(|band| {
            let n = locations
                .iter()
                .filter(|l| {
                    overall_date(l)
                        .zip(as_of)
                        .is_some_and(|(p, at)| AgeBand::of_years(years_between(p, at)) == *band)
                })
                .count();
            (
                band.label(),
                format!("age-{}", band.slug()),
                n,
                format!("/?age={}{suffix}", band.slug()),
            )
        })
        .collect();
    let mut oldest: Vec<&Location> = locations
        .iter()
        .filter(|l| {
            l.published(Domain::Overall)
                .and_then(|p| p.value.rated())
                .is_some()
        })
        .collect();
    cqc_engine::order::sort_by_key(&mut oldest, |l| overall_date(l).unwrap_or(Date::MAX));
    oldest.truncate(10);
    let years = |y: Option<f64>| {
        y.map(|v| format!("{v:.1} years"))
            .unwrap_or_else(|| "n/a".into())
    };
    let share = |s: Option<f64>| {
        s.map(|v| format!("{:.0} %", v * 100.0))
            .unwrap_or_else(|| "n/a".into())
    };
    let a = &audit.ages;
    let mixed = if audit.mixed_dates == 1 {
        "1 overall rating combines key-question ratings from different dates".to_string()
    } else {
        format!(
            "{} overall ratings combine key-question ratings from different dates",
            audit.mixed_dates
        )
    };
    let spanning = if audit.spanning_more_than_a_year == 1 {
        "1 spans more than a year".to_string()
    } else {
        format!("{} span more than a year", audit.spanning_more_than_a_year)
    };
    let oldest_rows = oldest
        .iter()
        .map(|l| {
            let o = l.published(Domain::Overall);
            let published = o.and_then(|p| p.published);
            view! {
                <tr>
                    <th scope="row">
                        <a href=location_href(&l.id)>{l.name.clone()}</a>
                        " "{closed_badge(&l.detail.registration)}
                    </th>
                    <td>{rating_badge(o.map(|p| p.value))}</td>
                    <td><span class="nowrap">{date(published)}</span>" "{age_badge(published)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="age-h">
            <h2 id="age-h">"How old are the ratings?"</h2>
            <ul>
                <li>
                    {format!(
                        "Mean age {}, median {} ({}).",
                        years(a.mean_years),
                        years(a.median_years),
                        counted(a.count as usize, "rated location", "rated locations")
                    )}
                </li>
                <li>
                    {format!(
                        "Older than 2 years: {}; older than 4: {}; older than 6: {}.",
                        share(a.share_older_than_2),
                        share(a.share_older_than_4),
                        share(a.share_older_than_6)
                    )}
                </li>
                <li>
                    {format!("{mixed}; {spanning}. ")}
                    <a href="/?mixed=1&closed=1" data-testid="mixed-link">"List them (and download the list)"</a>
                </li>
            </ul>
            {count_chart("by-age", "Overall ratings by age at the data's date", "Age", age_rows)}
            <h3>"The oldest overall ratings"</h3>
            <TableRegion label="The oldest overall ratings">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Location"</th>
                            <th scope="col">"Overall"</th>
                            <th scope="col">"Published"</th>
                        </tr>
                    </thead>
                    <tbody>{oldest_rows}</tbody>
                </table>
            </TableRegion>
            <p><a href=format!("/?sort=oldest{suffix}")>"All locations, oldest rating first"</a></p>
        </section>
    }
}

#[component]
fn Divergences(audit: Arc<AuditReport>, data: AppData) -> impl IntoView {
    let rows = audit
        .divergences()
        .filter_map(|(i, line)| Some((data.snapshot.locations.get(i)?, line)))
        .map(|(location, line)| {
            let why = match line.agreement {
                Agreement::Diverges(c) => c.label(),
                _ => "",
            };
            view! {
                <tr>
                    <th scope="row">
                        <a href=location_href(&location.id)>{location.name.clone()}</a>
                        " "{closed_badge(&location.detail.registration)}
                    </th>
                    <td>{rating_badge(line.published)}</td>
                    <td>{rated_badge(line.recomputed)}</td>
                    <td>{why}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="div-h">
            <h2 id="div-h">"Every divergence"</h2>
            <ul>
                {audit
                    .by_class
                    .iter()
                    .map(|(class, n)| view! { <li>{format!("{}: {n}", class.label())}</li> })
                    .collect_view()}
            </ul>
            <TableRegion label="Every divergence, location by location">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">"Location"</th>
                            <th scope="col">"Published"</th>
                            <th scope="col">"Rules give"</th>
                            <th scope="col">"Why"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </TableRegion>
        </section>
    }
}
