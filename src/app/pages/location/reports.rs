//! CQC's reports on a location, newest first: each with its date, the first day of the visit it
//! describes, its type and its link on cqc.org.uk (only the link `Report::link` builds, so data
//! from a dropped file can never make the page link elsewhere).

use crate::app::components::{date, TableRegion};
use cqc_engine::model::{Location, Report};
use leptos::prelude::*;

/// A report's link, or the words saying there is none to give.
fn report_cell(report: Option<&Report>) -> impl IntoView {
    match report.and_then(|r| r.link().map(|url| (url, r.date))) {
        Some((url, published)) => view! {
            <a href=url rel="noopener noreferrer">{format!("Report of {}", date(published))}</a>
        }
        .into_any(),
        None => view! { <span class="muted">"No report linked"</span> }.into_any(),
    }
}

#[component]
pub fn Reports(location: Location) -> impl IntoView {
    let reports = location.detail.reports.clone();
    (!reports.is_empty()).then(|| {
        let rows = reports
            .iter()
            .map(|r| {
                let kind = if r.report_type.trim().is_empty() {
                    "Report".to_string()
                } else {
                    r.report_type.trim().to_string()
                };
                view! {
                    <tr>
                        <td class="nowrap">{date(r.date)}</td>
                        <td class="nowrap">{date(r.first_visit)}</td>
                        <td>{kind}</td>
                        <td>{report_cell(Some(r))}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="reports" data-testid="reports">
                <h2 id="reports">"CQC's reports"</h2>
                <TableRegion label="CQC's reports on this location">
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Published"</th>
                                <th scope="col">"Visit began"</th>
                                <th scope="col">"Type"</th>
                                <th scope="col">"On cqc.org.uk"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </TableRegion>
            </section>
        }
    })
}
