//! The site's bar charts (the national view's, a provider's spread): each bar's label is HTML text (so it stays at least 12 px at any
//! width, where text inside a scaled SVG shrank to 5 px on a phone), the bar itself a small SVG,
//! a key says which colour is which, and a table alternative gives every figure, as a link to
//! the locations behind it where there is a list to link to.

use crate::app::components::TableRegion;
use leptos::prelude::*;

/// One bar of a stacked chart: a label and, per segment, its count and the list it links to
/// (`None`: the table gives the figure as text).
pub struct Bar {
    pub label: String,
    pub href: Option<String>,
    pub segments: Vec<Segment>,
}

pub struct Segment {
    /// The CSS class of its colour (`seg <class>`), shared with the key.
    pub class: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub href: Option<String>,
}

/// A figure of the table: a link to its list where it has one, else the text.
fn cell(text: String, href: &Option<String>) -> AnyView {
    match href {
        Some(href) => view! { <a href=href.clone()>{text}</a> }.into_any(),
        None => text.into_any(),
    }
}

/// The width of a bar in the SVG's own units: segments are fractions of it.
const BAR_UNITS: f64 = 1000.0;

/// An SVG bar of coloured segments, each `(class, fraction of the full width)`. Decorative:
/// the figures are in the table alternative.
fn bar_svg(segments: Vec<(String, f64)>) -> impl IntoView {
    let mut x = 0.0;
    let rects = segments
        .into_iter()
        .filter(|(_, share)| *share > 0.0)
        .map(|(class, share)| {
            let width = BAR_UNITS * share;
            let rect = view! { <rect class=format!("seg {class}") x=x y="0" width=width height="10"></rect> };
            x += width;
            rect
        })
        .collect_view();
    view! {
        <svg
            class="bar"
            viewBox=format!("0 0 {BAR_UNITS} 10")
            preserveAspectRatio="none"
            aria-hidden="true"
            focusable="false"
        >
            {rects}
        </svg>
    }
}

/// A key: a swatch and the name of each colour, in the chart's order.
fn chart_key(entries: Vec<(&'static str, &'static str)>) -> impl IntoView {
    view! {
        <ul class="chart-key" aria-label="Key to the colours">
            {entries
                .into_iter()
                .map(|(class, label)| view! {
                    <li><span class=format!("swatch seg {class}") aria-hidden="true"></span>{label}</li>
                })
                .collect_view()}
        </ul>
    }
}

/// A horizontal stacked bar chart (each bar scaled to 100 %), its key and its table.
pub fn stacked_chart(
    id: &'static str,
    title: &'static str,
    first_column: &'static str,
    bars: Vec<Bar>,
) -> impl IntoView {
    let key: Vec<(&'static str, &'static str)> = bars
        .first()
        .map(|b| b.segments.iter().map(|s| (s.class, s.label)).collect())
        .unwrap_or_default();
    let headers: Vec<&'static str> = key.iter().map(|(_, label)| *label).collect();
    let rows = bars
        .iter()
        .map(|bar| {
            let total = bar.segments.iter().map(|s| s.count).sum::<usize>().max(1) as f64;
            let shares = bar
                .segments
                .iter()
                .map(|s| (s.class.to_string(), s.count as f64 / total))
                .collect();
            view! {
                <div class="bar-row">
                    <span class="bar-label">{bar.label.clone()}</span>
                    {bar_svg(shares)}
                </div>
            }
        })
        .collect_view();
    let table_rows = bars
        .iter()
        .map(|bar| {
            view! {
                <tr>
                    <th scope="row">{cell(bar.label.clone(), &bar.href)}</th>
                    {bar
                        .segments
                        .iter()
                        .map(|s| view! { <td class="num">{cell(s.count.to_string(), &s.href)}</td> })
                        .collect_view()}
                </tr>
            }
        })
        .collect_view();
    let linked = bars
        .iter()
        .any(|b| b.segments.iter().any(|s| s.href.is_some()));
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{title}</figcaption>
            {chart_key(key)}
            <div class="bars" role="img" aria-labelledby=title_id>{rows}</div>
            <p class="muted">
                {if linked {
                    "The same figures as a table; each number lists its locations:"
                } else {
                    "The same figures as a table:"
                }}
            </p>
            <TableRegion label=format!("{title}, as a table")>
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{first_column}</th>
                            {headers.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </TableRegion>
        </figure>
    }
}

/// One bar per row, each scaled to the largest: `(label, colour class, count, link)`.
pub fn count_chart(
    id: &'static str,
    title: &'static str,
    first_column: &'static str,
    rows: Vec<(&'static str, String, usize, String)>,
) -> impl IntoView {
    let max = rows.iter().map(|r| r.2).max().unwrap_or(1).max(1) as f64;
    let bars = rows
        .iter()
        .map(|(label, class, n, _)| {
            view! {
                <div class="bar-row">
                    <span class="bar-label">{*label}</span>
                    {bar_svg(vec![(class.clone(), *n as f64 / max)])}
                    <span class="bar-count">{n.to_string()}</span>
                </div>
            }
        })
        .collect_view();
    let table_rows = rows
        .iter()
        .map(|(label, _, n, href)| {
            view! { <tr><th scope="row"><a href=href.clone()>{*label}</a></th><td class="num">{*n}</td></tr> }
        })
        .collect_view();
    let title_id = format!("{id}-title");
    view! {
        <figure class="chart" id=id>
            <figcaption id=title_id.clone()>{title}</figcaption>
            <div class="bars" role="img" aria-labelledby=title_id>{bars}</div>
            <TableRegion label=format!("{title}, as a table")>
                <table>
                    <thead>
                        <tr><th scope="col">{first_column}</th><th scope="col">"Locations"</th></tr>
                    </thead>
                    <tbody>{table_rows}</tbody>
                </table>
            </TableRegion>
        </figure>
    }
}
