//! What the explorer can and cannot recompute under each methodology, in plain words: the
//! rules give a number only where CQC's method is a rule, and take the rest as published.

use cqc_engine::rules::{rule_info, RuleSetInfo, RULE_SETS};
use leptos::prelude::*;

/// Per methodology: what the rules recompute, what they take as given, and which of the rules
/// it uses are provisional.
#[component]
pub fn RecomputeSection() -> impl IntoView {
    view! {
        <h2 id="what-is-recomputed">"What the explorer can and cannot recompute"</h2>
        <div class="table-wrap">
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
        </div>
    }
}

#[component]
fn RecomputeRow(set: &'static RuleSetInfo) -> impl IntoView {
    let provisional: Vec<&str> = set
        .rules
        .iter()
        .map(|r| rule_info(*r))
        .filter(|r| r.status.is_provisional())
        .map(|r| r.code)
        .collect();
    let provisional = if provisional.is_empty() {
        "none".to_string()
    } else {
        provisional.join(", ")
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
