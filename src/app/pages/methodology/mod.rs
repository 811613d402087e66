//! The methodology page, for a lay reader first: what each rating means, how five answers
//! become one overall rating, and each rule in a plain sentence with a link to the CQC page it
//! comes from. The engine's rule codes and spec references are small print for the curious.
//! Everything is generated from the rule catalogue the engine computes with.

mod not_applied;
mod recompute;
mod sources;

use crate::app::components::{rated_badge, TableRegion};
use cqc_engine::model::{KeyQuestion, Rating};
use cqc_engine::rules::{
    fill, rule_info, AggregationBand, PercentageBand, Rule, RuleParams, RuleSetInfo, RuleStatus,
    RULES, RULE_SETS,
};
use leptos::prelude::*;
use not_applied::NotAppliedSection;
use recompute::RecomputeSection;
use sources::cqc_page;

#[component]
pub fn MethodologyPage() -> impl IntoView {
    let p = RuleParams::default();
    let questions: Vec<&str> = KeyQuestion::ALL.iter().map(|k| k.label()).collect();
    view! {
        <h1>"How CQC ratings are calculated"</h1>
        <p>
            {format!(
                "CQC rates a care service by asking five key questions: is it {}? Inspectors \
                 rate each one. The overall rating then follows from those five ratings by a \
                 few published rules, which this page sets out in plain words.",
                in_a_sentence(&questions).to_lowercase()
            )}
        </p>
        <p>
            "Where CQC has written a rule down, it links to CQC's page. Where CQC's text is "
            "silent, the explorer uses its best reading and marks it provisional, here and "
            "everywhere it is used."
        </p>
        <h2>"What each rating means"</h2>
        <ul>
            {Rating::ALL
                .iter()
                .rev()
                .map(|r| view! { <li>{rated_badge(Some(*r))}" "{r.meaning()}</li> })
                .collect_view()}
        </ul>
        <Thresholds bands=p.aggregation_bands.to_vec()/>
        <h2>"The rules, one by one"</h2>
        {RULES.iter().map(|r| view! { <RuleEntry rule=r/> }).collect_view()}
        <h2>"The methods CQC has used over the years"</h2>
        {RULE_SETS.iter().map(|s| view! { <RuleSetSection set=s/> }).collect_view()}
        <RecomputeSection/>
        <NotAppliedSection/>
        <ScoreBands bands=p.percentage_bands.to_vec() params=p.clone()/>
    }
}

/// "safe, effective, caring, responsive and well-led".
fn in_a_sentence(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The aggregation table, each row also said as a sentence.
#[component]
fn Thresholds(bands: Vec<AggregationBand>) -> impl IntoView {
    let rows = bands
        .iter()
        .map(|b| view! { <BandRow band=*b/> })
        .collect_view();
    view! {
        <h2>"Thresholds by number of ratings: how many of each it takes"</h2>
        <p>
            "The overall rating depends on how many key questions have each rating. With five "
            "rated key questions, for example, two outstanding and the rest good make it "
            "outstanding. Where fewer key questions are rated, the thresholds change:"
        </p>
        <TableRegion label="Thresholds by number of ratings">
            <table>
                <thead>
                    <tr>
                        <th scope="col">"Ratings combined"</th>
                        <th scope="col">"Outstanding if"</th>
                        <th scope="col">"Requires improvement if at least"</th>
                        <th scope="col">"Inadequate if at least"</th>
                        <th scope="col">"How sure"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableRegion>
    }
}

#[component]
fn BandRow(band: AggregationBand) -> impl IntoView {
    let range = match band.max_n {
        Some(max) if max == band.min_n => band.min_n.to_string(),
        Some(max) => format!("{} to {max}", band.min_n),
        None => format!("{} or more", band.min_n),
    };
    view! {
        <tr>
            <td>{range}</td>
            <td>{format!("{} or more outstanding and the rest good", band.outstanding_at_least)}</td>
            <td class="num">{band.ri_at_least}</td>
            <td class="num">{band.inadequate_at_least}</td>
            <td>{status_in_words(band.ri_and_inadequate_status)}</td>
        </tr>
    }
}

/// A rule's status as a reader would say it.
fn status_in_words(status: RuleStatus) -> &'static str {
    match status {
        RuleStatus::Confirmed => "CQC states this",
        RuleStatus::Empirical => "Matches CQC's published ratings",
        RuleStatus::Inferred | RuleStatus::Unconfirmed => "Provisional",
    }
}

#[component]
fn RuleEntry(rule: &'static Rule) -> impl IntoView {
    let source = match cqc_page(rule.source) {
        Some((title, url)) => view! {
            <p>
                "Source: "
                <a href=url rel="noopener noreferrer">{format!("CQC, \u{201c}{title}\u{201d}")}</a>
            </p>
        }
        .into_any(),
        None => view! {
            <p>"Source: no CQC page states this; it is the explorer's reading of CQC's published ratings."</p>
        }
        .into_any(),
    };
    view! {
        <section class="rule" id=format!("rule-{}", rule.code)>
            <h3>{rule.title_text(&RuleParams::default())}</h3>
            <p>{rule.statement_text(&RuleParams::default())}</p>
            <p><strong>{status_in_words(rule.status)}</strong></p>
            {source}
            <p class="small-print">
                {format!(
                    "Code {} · {} · source as recorded: {} · algorithm spec {}",
                    rule.code,
                    rule.status.label(),
                    rule.source,
                    rule.spec_ref
                )}
            </p>
        </section>
    }
}

#[component]
fn RuleSetSection(set: &'static RuleSetInfo) -> impl IntoView {
    let codes: Vec<&str> = set.rules.iter().map(|r| rule_info(*r).code).collect();
    let params = RuleParams::default();
    let titles: Vec<String> = set
        .rules
        .iter()
        .map(|r| rule_info(*r).title_text(&params))
        .collect();
    let source = cqc_page(set.source).map(|(title, url)| {
        view! {
            <p>"Source: "<a href=url rel="noopener noreferrer">{format!("CQC, \u{201c}{title}\u{201d}")}</a></p>
        }
    });
    view! {
        <section>
            <h3>{set.name}</h3>
            <p>{in_force(&set.period())}</p>
            <p>{fill(set.key_question_method, &params)}" "{set.overall_method}</p>
            {source}
            <details>
                <summary>"The rules it applies, in order"</summary>
                <ol>{titles.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ol>
            </details>
            <p class="small-print">
                {format!("Source as recorded: {} · rule codes {}", set.source, codes.join(", "))}
            </p>
        </section>
    }
}

/// "In force from 2 December 2024.", but "Proposed for late 2026.": a method not yet in force
/// is not said to be.
fn in_force(period: &str) -> String {
    match period.strip_prefix("proposed") {
        Some(rest) => format!("Proposed{rest}."),
        None => format!("In force {period}."),
    }
}

/// The single assessment framework's score bands, and the limiters and tie policy.
#[component]
fn ScoreBands(bands: Vec<PercentageBand>, params: RuleParams) -> impl IntoView {
    let rows = bands
        .iter()
        .map(|b| {
            view! {
                <tr>
                    <td class="num">{format!("{} to {} %", b.from_percent, b.to_percent)}</td>
                    <td>{rated_badge(Some(b.rating))}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h2>"Single assessment framework: from scores to a rating"</h2>
        <p>
            "Since November 2023 CQC scores each quality statement from 1 to 4. A key question's "
            "scores add up to a percentage of the most it could score, and the percentage gives "
            "its rating:"
        </p>
        <TableRegion label="Percentage bands">
            <table>
                <thead>
                    <tr><th scope="col">"Key-question score"</th><th scope="col">"Rating"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </TableRegion>
        <p>
            {format!(
                "One low statement can hold a key question back: a statement scored {} or less \
                 stops it being outstanding, and a statement scored {} or less stops it being \
                 good. Both limits are provisional. A score exactly on a band's edge is settled \
                 by the tie policy ({}).",
                params.outstanding_limiter_max_score,
                params.good_limiter_max_score,
                params.tie_policy.label()
            )}
        </p>
    }
}
