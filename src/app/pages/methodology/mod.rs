//! The methodology page, generated from the rule catalogue the engine computes with.

mod not_applied;
mod recompute;

use crate::app::components::rated_badge;
use cqc_engine::model::Rating;
use cqc_engine::rules::{
    fill, rule_info, AggregationBand, PercentageBand, Rule, RuleParams, RuleSetInfo,
};
use cqc_engine::rules::{RULES, RULE_SETS};
use leptos::prelude::*;
use not_applied::NotAppliedSection;
use recompute::RecomputeSection;

#[component]
pub fn MethodologyPage() -> impl IntoView {
    let p = RuleParams::default();
    let limiters = format!(
        "Default tie policy: {}. Limiters: a statement scored {} or less limits outstanding to \
         good; a statement scored {} or less limits good to requires improvement (both \
         provisional).",
        p.tie_policy.label(),
        p.outstanding_limiter_max_score,
        p.good_limiter_max_score
    );
    view! {
        <h1>"How CQC ratings are calculated"</h1>
        <p>
            "This page is generated from the same rule data the explorer computes with. Rules "
            "marked provisional are this explorer's reading where CQC's published text is "
            "silent; they can be changed, and are labelled wherever they are used."
        </p>
        <h2>"Methodologies"</h2>
        {RULE_SETS.iter().map(|s| view! { <RuleSetSection set=s/> }).collect_view()}
        <RecomputeSection/>
        <h2>"The rules"</h2>
        <div class="table-wrap">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Code"</th>
                        <th scope="col">"Rule"</th>
                        <th scope="col">"Status and source"</th>
                    </tr>
                </thead>
                <tbody>{RULES.iter().map(|r| view! { <RuleRow rule=r/> }).collect_view()}</tbody>
            </table>
        </div>
        <NotAppliedSection/>
        <h2>"Thresholds by number of ratings"</h2>
        <table>
            <thead>
                <tr>
                    <th scope="col">"Ratings combined"</th>
                    <th scope="col">"Outstanding if at least"</th>
                    <th scope="col">"Requires improvement if at least"</th>
                    <th scope="col">"Inadequate if at least"</th>
                    <th scope="col">"Status of the last two"</th>
                </tr>
            </thead>
            <tbody>
                {p.aggregation_bands.iter().map(|b| view! { <BandRow band=*b/> }).collect_view()}
            </tbody>
        </table>
        <h2>"Single assessment framework: percentage bands"</h2>
        <table>
            <thead>
                <tr><th scope="col">"Key-question score"</th><th scope="col">"Rating"</th></tr>
            </thead>
            <tbody>
                {p.percentage_bands.iter().map(|b| view! { <PercentRow band=*b/> }).collect_view()}
            </tbody>
        </table>
        <p>{limiters}</p>
        <h2>"What each rating means"</h2>
        <ul>
            {Rating::ALL
                .iter()
                .rev()
                .map(|r| view! { <li>{rated_badge(Some(*r))}" "{r.meaning()}</li> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn RuleSetSection(set: &'static RuleSetInfo) -> impl IntoView {
    let codes: Vec<&str> = set.rules.iter().map(|r| rule_info(*r).code).collect();
    view! {
        <section>
            <h3>{set.name}</h3>
            <p>
                {format!("In force {}. ", set.period())}
                {fill(set.key_question_method, &RuleParams::default())}" "{set.overall_method}
            </p>
            <p class="muted">{format!("Source: {}", set.source)}</p>
            <p>{format!("Rules applied, in order: {}", codes.join(", "))}</p>
        </section>
    }
}

#[component]
fn RuleRow(rule: &'static Rule) -> impl IntoView {
    view! {
        <tr id=format!("rule-{}", rule.code)>
            <td><code>{rule.code}</code></td>
            <td>
                <strong>{rule.title_text(&RuleParams::default())}</strong><br/>
                {rule.statement_text(&RuleParams::default())}
            </td>
            <td>
                {rule.status.label()}<br/>
                <span class="muted">{format!("{} (spec {})", rule.source, rule.spec_ref)}</span>
            </td>
        </tr>
    }
}

#[component]
fn BandRow(band: AggregationBand) -> impl IntoView {
    let range = match band.max_n {
        Some(max) => format!("{} to {max}", band.min_n),
        None => format!("{} or more", band.min_n),
    };
    view! {
        <tr>
            <td>{range}</td>
            <td>{format!("{} outstanding, the rest good", band.outstanding_at_least)}</td>
            <td>{band.ri_at_least}</td>
            <td>{band.inadequate_at_least}</td>
            <td>{band.ri_and_inadequate_status.label()}</td>
        </tr>
    }
}

#[component]
fn PercentRow(band: PercentageBand) -> impl IntoView {
    view! {
        <tr>
            <td>{format!("{} to {} %", band.from_percent, band.to_percent)}</td>
            <td>{rated_badge(Some(band.rating))}</td>
        </tr>
    }
}
