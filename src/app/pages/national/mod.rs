//! The national view: how ratings are distributed by type of service and key question, how old
//! they are, and how often the published rating is what the rules give. Every chart is SVG with
//! a table alternative whose every figure links to the filtered list of locations behind it
//! (links inside the SVG would be HTML anchors in Leptos's view macro and stop it drawing).

use crate::app::components::{age_badge, date, rated_badge, rating_badge};
use crate::app::data::{with_data, AppData};
use cqc_engine::audit::{sector_of, Agreement, AgreementCount};
use cqc_engine::model::years_between;
use cqc_engine::model::{Domain, KeyQuestion, Location, Rating};
use cqc_engine::search::AgeBand;
use leptos::prelude::*;

/// One bar of a stacked chart: a label and, per segment, its count and the list it links to.
struct Bar {
    label: String,
    href: String,
    segments: Vec<Segment>,
}

struct Segment {
    class: &'static str,
    label: &'static str,
    count: usize,
    href: String,
}

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
    let mut segments: Vec<Segment> = Rating::ALL
        .iter()
        .rev()
        .map(|r| Segment {
            class: r.slug(),
            label: r.label(),
            count: locations
                .iter()
                .filter(|l| l.published(domain).and_then(|p| p.value.rated()) == Some(*r))
                .count(),
            href: href(r.slug()),
        })
        .collect();
    segments.push(Segment {
        class: "unrated",
        label: "Not rated",
        count: locations
            .iter()
            .filter(|l| l.published(domain).and_then(|p| p.value.rated()).is_none())
            .count(),
        href: href("none"),
    });
    segments
}

/// A horizontal stacked bar chart (each bar scaled to 100 %) and its table alternative.
fn stacked_chart(
    id: &'static str,
    title: &'static str,
    first_column: &'static str,
    bars: Vec<Bar>,
) -> impl IntoView {
    let label_width = 260.0;
    let bar_width = 320.0;
    let row = 26.0;
    let height = row * bars.len() as f64 + 10.0;
    let headers: Vec<&'static str> = bars
        .first()
        .map(|b| b.segments.iter().map(|s| s.label).collect())
        .unwrap_or_default();
    let svg_rows = bars
        .iter()
        .enumerate()
        .map(|(i, bar)| {
            let total: usize = bar.segments.iter().map(|s| s.count).sum();
            let y = 5.0 + i as f64 * row;
            let mut x = label_width;
            let segments = bar
                .segments
                .iter()
                .filter(|s| s.count > 0)
                .map(|s| {
                    let w = bar_width * s.count as f64 / total.max(1) as f64;
                    let view = view! {
                        <rect class=format!("seg {}", s.class) x=x y=y width=w height=row - 6.0></rect>
                    };
                    x += w;
                    view
                })
                .collect_view();
            view! {
                <text x="0" y=y + 14.0 class="chart-label">{bar.label.clone()}</text>
                {segments}
            }
        })
        .collect_view();
    let table_rows = bars
        .iter()
        .map(|bar| {
            view! {
                <tr>
                    <th scope="row"><a href=bar.href.clone()>{bar.label.clone()}</a></th>
                    {bar.segments.iter().map(|s| view! { <td><a href=s.href.clone()>{s.count}</a></td> }).collect_view()}
                </tr>
            }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    view! {
        <figure class="chart" id=id>
            <svg viewBox=format!("0 0 {} {height}", label_width + bar_width) role="img" aria-labelledby=labelled_by>
                <title id=title_id>{title}</title>
                {svg_rows}
            </svg>
            <figcaption>{format!("{title}. Colours: outstanding, good, requires improvement, inadequate, not rated. Table alternative:")}</figcaption>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">{first_column}</th>{headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}</tr></thead>
                <tbody>{table_rows}</tbody>
            </table></div>
        </figure>
    }
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
                Some(a) => national(&d, a).into_any(),
                None => view! { <p role="status" aria-live="polite">"Checking every published rating against the rules…"</p> }.into_any(),
            }
        })}
    }
}

fn national(d: &AppData, a: std::sync::Arc<cqc_engine::audit::AuditReport>) -> impl IntoView {
    let as_of = d.snapshot.meta.data_date;
    let all: Vec<&Location> = d.snapshot.locations.iter().collect();
    let mut sectors: Vec<&str> = all.iter().map(|l| sector_of(l)).collect();
    sectors.sort();
    sectors.dedup();
    let sector_bars: Vec<Bar> = sectors
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
                href: format!("/?sector={s}"),
                segments: rating_segments(&in_sector, Domain::Overall, |r| {
                    format!("/?sector={s}&rating={r}")
                }),
            }
        })
        .collect();
    let kq_bars: Vec<Bar> = std::iter::once(Bar {
        label: "Overall".into(),
        href: "/".into(),
        segments: rating_segments(&all, Domain::Overall, |r| format!("/?rating={r}")),
    })
    .chain(KeyQuestion::ALL.iter().map(|kq| Bar {
        label: kq.label().into(),
        href: format!("/?kq={}", kq.slug()),
        segments: rating_segments(&all, Domain::KeyQuestion(*kq), |r| {
            format!("/?kq={}&kqr={r}", kq.slug())
        }),
    }))
    .collect();
    let ages: Vec<(AgeBand, usize)> = AgeBand::ALL
        .iter()
        .map(|band| {
            let n = all
                .iter()
                .filter(|l| {
                    l.published(Domain::Overall)
                        .and_then(|p| p.published)
                        .zip(as_of)
                        .is_some_and(|(p, at)| AgeBand::of_years(years_between(p, at)) == *band)
                })
                .count();
            (*band, n)
        })
        .collect();
    let age_max = ages.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    let mut oldest: Vec<&Location> = all
        .iter()
        .copied()
        .filter(|l| {
            l.published(Domain::Overall)
                .and_then(|p| p.value.rated())
                .is_some()
        })
        .collect();
    oldest.sort_by_key(|l| {
        l.published(Domain::Overall)
            .and_then(|p| p.published)
            .unwrap_or(cqc_engine::model::Date::MAX)
    });
    oldest.truncate(10);
    let years = |y: Option<f64>| {
        y.map(|v| format!("{v:.1} years"))
            .unwrap_or_else(|| "n/a".into())
    };
    let share = |s: Option<f64>| {
        s.map(|v| format!("{:.0} %", v * 100.0))
            .unwrap_or_else(|| "n/a".into())
    };
    view! {
        <section aria-labelledby="agreement-h">
            <h2 id="agreement-h">"Do CQC's published ratings follow its own rules?"</h2>
            <p class="lead" data-testid="agreement-rate">{format!("The published overall rating is what the rules give for {} of {} locations ({}).", a.overall.agree, a.overall.compared, percent(&a.overall))}</p>
            <div class="table-wrap"><table>
                <caption>"Agreement by type of service and by methodology"</caption>
                <thead><tr><th scope="col">"Group"</th><th scope="col">"Agree"</th><th scope="col">"Compared"</th><th scope="col">"Rate"</th></tr></thead>
                <tbody>
                    {a.by_sector.iter().map(|g| view! { <tr><th scope="row"><a href=format!("/?sector={}", enc(&g.group))>{g.group.clone()}</a></th><td>{g.agree}</td><td>{g.compared}</td><td>{percent(g)}</td></tr> }).collect_view()}
                    {a.by_rule_set.iter().map(|g| view! { <tr><th scope="row">{g.group.clone()}</th><td>{g.agree}</td><td>{g.compared}</td><td>{percent(g)}</td></tr> }).collect_view()}
                </tbody>
            </table></div>
            <p><a href="/?diverges=1">{format!("See the {} locations whose published rating differs from the rules", a.divergences().count())}</a>" (classified below)."</p>
        </section>
        <section aria-labelledby="sector-h">
            <h2 id="sector-h">"Overall ratings by type of service"</h2>
            {stacked_chart("by-sector", "Overall ratings by type of service", "Type of service", sector_bars)}
        </section>
        <section aria-labelledby="kq-h">
            <h2 id="kq-h">"Ratings by key question"</h2>
            {stacked_chart("by-key-question", "Ratings for each key question", "Key question", kq_bars)}
        </section>
        <section aria-labelledby="age-h">
            <h2 id="age-h">"How old are the ratings?"</h2>
            <ul>
                <li>{format!("Mean age {}, median {} ({} rated locations).", years(a.ages.mean_years), years(a.ages.median_years), a.ages.count)}</li>
                <li>{format!("Older than 2 years: {}; older than 4: {}; older than 6: {}.", share(a.ages.share_older_than_2), share(a.ages.share_older_than_4), share(a.ages.share_older_than_6))}</li>
                <li>{format!("{} overall ratings combine key-question ratings from different dates; {} span more than a year. ", a.mixed_dates, a.spanning_more_than_a_year)}<a href="/?mixed=1" data-testid="mixed-link">"List them (and download the list)"</a></li>
            </ul>
            <figure class="chart" id="by-age">
                <svg viewBox="0 0 580 120" role="img" aria-labelledby="age-title">
                    <title id="age-title">"Overall ratings by age"</title>
                    {ages.iter().enumerate().map(|(i, (band, n))| {
                        let w = 330.0 * *n as f64 / age_max as f64;
                        let y = 5.0 + i as f64 * 28.0;
                        view! {
                            <text x="0" y=y + 15.0 class="chart-label">{band.label()}</text>
                            <rect class=format!("seg age-{}", band.slug()) x="200" y=y width=w.max(1.0) height="20"></rect>
                            <text x=205.0 + w y=y + 15.0 class="chart-label">{n.to_string()}</text>
                        }
                    }).collect_view()}
                </svg>
                <figcaption>"Overall ratings by age at the data's date. Table alternative:"</figcaption>
                <table>
                    <thead><tr><th scope="col">"Age"</th><th scope="col">"Locations"</th></tr></thead>
                    <tbody>{ages.iter().map(|(band, n)| view! { <tr><td><a href=format!("/?age={}", band.slug())>{band.label()}</a></td><td>{*n}</td></tr> }).collect_view()}</tbody>
                </table>
            </figure>
            <h3>"The oldest overall ratings"</h3>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">"Location"</th><th scope="col">"Overall"</th><th scope="col">"Published"</th></tr></thead>
                <tbody>{oldest.iter().map(|l| {
                    let o = l.published(Domain::Overall);
                    view! { <tr><th scope="row"><a href=format!("/location/{}", l.id)>{l.name.clone()}</a></th><td>{rating_badge(o.map(|p| p.value))}</td><td>{date(o.and_then(|p| p.published))}" "{age_badge(o.and_then(|p| p.published), as_of)}</td></tr> }
                }).collect_view()}</tbody>
            </table></div>
            <p><a href="/?sort=oldest">"All locations, oldest rating first"</a></p>
        </section>
        <section aria-labelledby="div-h">
            <h2 id="div-h">"Every divergence"</h2>
            <ul>{a.by_class.iter().map(|(class, n)| view! { <li>{format!("{}: {n}", class.label())}</li> }).collect_view()}</ul>
            <div class="table-wrap"><table>
                <thead><tr><th scope="col">"Location"</th><th scope="col">"Published"</th><th scope="col">"Rules give"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>{a.divergences().filter_map(|(i, l)| Some((d.snapshot.locations.get(i)?, l))).map(|(location, l)| {
                    let why = match l.agreement { Agreement::Diverges(c) => c.label(), _ => "" };
                    view! { <tr><th scope="row"><a href=format!("/location/{}", location.id)>{location.name.clone()}</a></th><td>{rating_badge(l.published)}</td><td>{rated_badge(l.recomputed)}</td><td>{why}</td></tr> }
                }).collect_view()}</tbody>
            </table></div>
        </section>
    }
}
