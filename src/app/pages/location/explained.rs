//! The recomputed result: whether it agrees with CQC's, how old its evidence is, the narrative
//! and every rule that fired.

use super::seeded::SeededStatements;
use crate::app::components::{provisional_badge, rated_badge, TableRegion};
use cqc_engine::audit::Agreement;
use cqc_engine::explain::narrative::score_source_text;
use cqc_engine::explain::{AgeSliceLabel, Explanation, KqResult};
use cqc_engine::rules::rule_set_info;
use leptos::prelude::*;

/// Colours of the evidence-age bar, oldest first; the newest slices take the last ones.
const AGE_COLOURS: [&str; 8] = [
    "#5c0a12", "#8e0b17", "#a35200", "#7a6a00", "#2a7a3a", "#005a30", "#1d4f91", "#6f3c96",
];

/// The recomputed result, agreement, evidence-age bar, narrative and trace.
#[component]
pub fn Explained(explanation: Explanation, agreement: Agreement, scenario: bool) -> impl IntoView {
    let info = rule_set_info(explanation.rule_set);
    view! {
        <p>{format!("Rules: {}. ", info.name)}<a href="/methodology">"How these rules work"</a></p>
        <p class="lead" data-testid="recomputed">
            "The rules give: " {rated_badge(explanation.overall)}
        </p>
        <AgreementPanel agreement=agreement scenario=scenario/>
        <EvidenceAge explanation=explanation.clone()/>
        <SeededStatements explanation=explanation.clone()/>
        <div data-testid="narrative">
            {cqc_engine::explain::narrative::paragraphs(&explanation)
                .into_iter()
                .map(|p| view! { <p>{p}</p> })
                .collect_view()}
        </div>
        <h3>"Every rule that fired, in order"</h3>
        <ol class="trace" data-testid="trace">
            {explanation
                .steps
                .iter()
                .map(|s| view! {
                    <li>
                        <code>{s.code()}</code>" "{cqc_engine::explain::narrative::step_text(s)}" "
                        {s.provisional().then(provisional_badge)}
                    </li>
                })
                .collect_view()}
        </ol>
        {explanation
            .key_questions
            .iter()
            .filter(|k| k.score.is_some())
            .map(|k| view! { <StatementScores result=k.clone()/> })
            .collect_view()}
    }
}

#[component]
fn AgreementPanel(agreement: Agreement, scenario: bool) -> impl IntoView {
    if scenario {
        return view! {
            <div class="panel provisional" role="status">
                "This is a what-if scenario, not CQC's published rating."
            </div>
        }
        .into_any();
    }
    match agreement {
        Agreement::Agrees => view! {
            <div class="panel ok" data-testid="agreement">
                "CQC's published overall rating is what the rules give."
            </div>
        }
        .into_any(),
        Agreement::Diverges(class) => view! {
            <div class="panel warn" data-testid="agreement">
                <strong>
                    {format!("CQC's published rating differs from the rules: {}. ", class.label())}
                </strong>
                {class.explanation()}
            </div>
        }
        .into_any(),
        Agreement::NotComparable => view! {
            <div class="panel" data-testid="agreement">
                "There is no published overall rating to compare with."
            </div>
        }
        .into_any(),
    }
}

/// The share of the evidence from each year, as a bar and as a list.
#[component]
fn EvidenceAge(explanation: Explanation) -> impl IntoView {
    let slices = explanation.evidence_age.slices;
    let n = slices.len();
    let describe =
        |s: &cqc_engine::explain::AgeSlice| format!("{:.0} % from {}", s.share * 100.0, s.label());
    let bar_label = slices.iter().map(describe).collect::<Vec<_>>().join(", ");
    let segments = slices
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let colour = if s.scenario {
                "#1d4f91"
            } else if s.year.is_none() {
                "#b1b4b6"
            } else {
                AGE_COLOURS[(AGE_COLOURS.len() + i).saturating_sub(n) % AGE_COLOURS.len()]
            };
            view! {
                <span
                    style:width=format!("{:.2}%", s.share * 100.0)
                    style:background=colour
                    title=describe(s)
                ></span>
            }
        })
        .collect_view();
    view! {
        <h3>"How old is the evidence?"</h3>
        <div class="age-bar" role="img" aria-label=bar_label>{segments}</div>
        <ul data-testid="age-legend">
            {slices.iter().map(|s| view! { <li>{describe(s)}</li> }).collect_view()}
        </ul>
    }
}

/// A key question's quality-statement scores and where each came from.
#[component]
fn StatementScores(result: KqResult) -> impl IntoView {
    let percent = result
        .score
        .as_ref()
        .map(|s| s.displayed_percent)
        .unwrap_or(0);
    let summary = format!(
        "{}: {percent} % from {} quality statements",
        result.key_question.label(),
        result.statements.len()
    );
    view! {
        <details>
            <summary>{summary}</summary>
            <TableRegion label=format!("{} quality statements", result.key_question.label())>
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Quality statement"</th>
                        <th scope="col">"Score"</th>
                        <th scope="col">"Where the score comes from"</th>
                    </tr>
                </thead>
                <tbody>
                    {result
                        .statements
                        .iter()
                        .map(|st| {
                            let score = st.score.map(|s| s.to_string()).unwrap_or_else(|| "–".into());
                            view! {
                                <tr><td>{st.title}</td><td>{score}</td><td>{score_source_text(result.key_question, st.source)}</td></tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </TableRegion>
        </details>
    }
}
