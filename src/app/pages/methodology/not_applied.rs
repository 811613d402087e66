//! The rules CQC applies that the explorer cannot, because the open data does not carry the
//! fact they need: each with what is missing and the what-if switch that applies it.

use cqc_engine::rules::unapplied::NOT_APPLIED;
use cqc_engine::rules::RuleParams;
use leptos::prelude::*;

#[component]
pub fn NotAppliedSection() -> impl IntoView {
    let p = RuleParams::default();
    let rows = NOT_APPLIED
        .iter()
        .map(|r| {
            let t = r.text(&p);
            let what_if = t
                .what_if
                .map(|w| format!("What-if: {w}."))
                .unwrap_or_else(|| "No what-if: the explorer cannot model it.".to_string());
            view! {
                <tr id=format!("not-applied-{}", t.code)>
                    <td><code>{t.code}</code></td>
                    <td><strong>{t.title}</strong><br/>{t.statement}</td>
                    <td>
                        {format!("Not applied: the open data does not say {}.", t.missing)}
                        <br/>{what_if}
                    </td>
                    <td>
                        {t.status.label()}<br/>
                        <span class="muted">{format!("{} (spec {})", t.source, t.spec_ref)}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2 id="not-applied">"Rules not applied: the open data does not say"</h2>
        <p>
            "CQC applies these rules, but they rest on facts its open data does not carry. The "
            "explorer never applies them to a published rating, so where CQC did, its rating can "
            "be lower than the rules here give. Where a switch fits, the what-if applies the rule "
            "when you say the fact is true."
        </p>
        <div class="table-wrap">
            <table data-testid="not-applied">
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Rule"</th>
                        <th scope="col">"Why not applied"</th>
                        <th scope="col">"Status and source"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
