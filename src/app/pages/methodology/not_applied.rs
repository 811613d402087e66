//! The rules CQC applies that the explorer cannot, because the open data does not carry the
//! fact they need: each with what is missing and the what-if switch that applies it.

use cqc_engine::rules::unapplied::NOT_APPLIED;
use cqc_engine::rules::RuleParams;
use leptos::prelude::*;

#[component]
pub fn NotAppliedSection() -> impl IntoView {
    let p = RuleParams::default();
    let entries = NOT_APPLIED
        .iter()
        .map(|r| {
            let t = r.text(&p);
            let what_if = t
                .what_if
                .map(|w| format!("In the what-if: {w}."))
                .unwrap_or_else(|| "The what-if cannot model it.".to_string());
            view! {
                <section class="not-applied" id=format!("not-applied-{}", t.code)>
                    <h3>{t.title}</h3>
                    <p>{t.statement}</p>
                    <p>
                        <strong>{format!("Not applied: the open data does not say {}.", t.missing)}</strong>
                        " "{what_if}
                    </p>
                    <p class="small-print">
                        {format!(
                            "Code {} · {} · source as recorded: {} · algorithm spec {}",
                            t.code,
                            t.status.label(),
                            t.source,
                            t.spec_ref
                        )}
                    </p>
                </section>
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
        <div data-testid="not-applied">{entries}</div>
    }
}
