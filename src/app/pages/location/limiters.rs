//! What-if switches for the limiters the open data does not carry (an enforcement notice
//! against a key question, no registered manager): CQC applies them, the explorer cannot know
//! them, so the reader may say one applies and see what it does. Each is in the link (`limit=`).

use cqc_engine::model::KeyQuestion;
use cqc_engine::rules::{Evidence, Limiter, LimiterKind};
use cqc_engine::whatif::scenario::Scenario;
use cqc_engine::whatif::Edit;
use leptos::prelude::*;

fn switch_label(limiter: Limiter) -> String {
    match limiter.kind {
        LimiterKind::RequirementNotice => {
            format!(
                "A Requirement Notice against {}",
                limiter.key_question.label()
            )
        }
        LimiterKind::WarningNotice => format!(
            "A Warning Notice or other enforcement action against {}",
            limiter.key_question.label()
        ),
        LimiterKind::NoRegisteredManager => {
            "No registered manager where one is required (limits Well-led)".to_string()
        }
    }
}

/// One checkbox per limiter that can apply, checked when the scenario says it does.
pub fn limiter_switches(
    e: &Evidence,
    s: Scenario,
    go: impl Fn(Scenario) + Clone + 'static,
) -> impl IntoView {
    let limiters: Vec<Limiter> = LimiterKind::ALL
        .iter()
        .flat_map(|kind| {
            KeyQuestion::ALL
                .iter()
                .filter_map(move |kq| Limiter::new(*kq, *kind))
        })
        .collect();
    let switches = limiters
        .into_iter()
        .map(|limiter| {
            let id = format!(
                "limit-{}-{}",
                limiter.key_question.slug(),
                limiter.kind.slug()
            );
            let checked = e.limiters.contains(&limiter);
            let go = go.clone();
            let s = s.clone();
            let on_change = move |ev: leptos::ev::Event| {
                go(s.with_edit(Edit::Limiter {
                    limiter,
                    applies: event_target_checked(&ev),
                }))
            };
            view! {
                <div>
                    <label for=id.clone()>
                        <input id=id.clone() type="checkbox" prop:checked=checked on:change=on_change/>
                        " "{switch_label(limiter)}
                    </label>
                </div>
            }
        })
        .collect_view();
    view! {
        <details data-testid="limiter-switches">
            <summary>"Facts the open data does not carry"</summary>
            <p class="muted">
                "CQC limits a key question for these, but its open data does not say when they "
                "apply. Tick one to see what it would do."
            </p>
            <div class="filters">{switches}</div>
        </details>
    }
}
