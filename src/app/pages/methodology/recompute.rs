//! What the explorer can and cannot recompute under each methodology, in plain words: the
//! rules give a number only where CQC's method is a rule, and take the rest as published.

use crate::app::components::TableRegion;
use cqc_engine::rules::{rule_info, RuleSetInfo, RULE_SETS};
use leptos::prelude::*;

/// Per methodology: what the rules recompute, what they take as given, and which of the rules
/// it uses are provisional (by title: the codes are small print elsewhere on the page).
#[component]
pub fn RecomputeSection() -> impl IntoView {
    view! {
        <h2 id="what-is-recomputed">"What the explorer can and cannot recompute"</h2>
        <TableRegion label="What the explorer can and cannot recompute">
            <table data-testid="recompute-table">
                <thead>
                    <tr>
                        <th scope="col">"Methodology"</th>
                        <th scope="col">"Recomputed by the rules"</th>
                        <th scope="col">"Taken as published"</th>
                        <th scope="col">"Provisional rules it uses"</th>
                    </tr>
                </thead>
                <tbody>
                    {RULE_SETS.iter().map(|s| view! { <RecomputeRow set=s/> }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

#[component]
fn RecomputeRow(set: &'static RuleSetInfo) -> impl IntoView {
    let params = cqc_engine::rules::RuleParams::default();
    let provisional: Vec<String> = set
        .rules
        .iter()
        .map(|r| rule_info(*r))
        .filter(|r| r.status.is_provisional())
        .map(|r| r.title_text(&params))
        .collect();
    let provisional = if provisional.is_empty() {
        "none".to_string()
    } else {
        provisional.join("; ")
    };
    view! {
        <tr>
            <th scope="row">{set.name}<br/><span class="muted">{set.period()}</span></th>
            <td>{set.recomputes}</td>
            <td>{set.takes_as_given}</td>
            <td>{provisional}</td>
        </tr>
    }
}
