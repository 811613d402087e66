//! The catalogue of CQC rules: one entry per rule the engine can fire, with its plain-English
//! statement, its status and its source. The methodology page, the explanation trace and the
//! what-if all read this one table, so a rule is described in exactly one place. A statement
//! that names a number of the rules is a template (`{max_score}`, `{good_limiter_scores}`, …)
//! filled from the parameters by [`fill`], so the text follows the parameters.

use super::params::{RuleParams, MAX_SCORE, MIN_SCORE};
use super::sets::{KeyQuestionMethod, RULE_SETS};
use crate::model::{KeyQuestion, Rating};
use serde::{Deserialize, Serialize};

/// How sure we are that a rule is CQC's (spec §0.2). Anything but `Confirmed` is shown as
/// provisional in the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RuleStatus {
    /// Read in CQC's own published text.
    Confirmed,
    /// Not found in CQC's text, but reproduced by CQC's published ratings in real data.
    Empirical,
    /// Follows from confirmed rules or data; no published text found.
    Inferred,
    /// From secondary sources or weak evidence: a parameter, not yet CQC's confirmed rule.
    Unconfirmed,
}

impl RuleStatus {
    pub fn is_provisional(self) -> bool {
        !matches!(self, RuleStatus::Confirmed)
    }

    pub fn label(self) -> &'static str {
        match self {
            RuleStatus::Confirmed => "Confirmed (CQC's published text)",
            RuleStatus::Empirical => {
                "Provisional: reproduced by CQC's published ratings, CQC text not found"
            }
            RuleStatus::Inferred => "Provisional: inferred from CQC's rules, not stated by CQC",
            RuleStatus::Unconfirmed => "Provisional: unconfirmed parameter",
        }
    }
}

/// Identifies a rule in traces, URLs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    /// Adult social care principle 1: a breach of regulations caps the overall at RI.
    BreachCap,
    /// n-input aggregation: enough inadequate inputs make the result inadequate.
    InadequateThreshold,
    /// n-input aggregation: enough RI inputs make the result RI.
    RequiresImprovementThreshold,
    /// n-input aggregation: enough outstanding inputs, the rest good, make it outstanding.
    OutstandingThreshold,
    /// No inadequate and RI below its threshold: good.
    GoodDefault,
    /// One inadequate input below the inadequate threshold: RI (no CQC rule covers it).
    SingleInadequateFallback,
    /// When both the inadequate and RI thresholds are met, inadequate wins.
    InadequatePrecedence,
    /// Unrated inputs are left out of the aggregation and n shrinks.
    UnratedExcluded,
    /// Ratings inherited from a previous provider are not aggregated with new ones.
    InheritedNotMixed,
    /// SAF: key-question percentage = sum of statement scores / (maximum score × statements).
    SafKeyQuestionPercentage,
    /// SAF: the percentage bands (`RuleParams::percentage_bands`).
    SafBands,
    /// SAF: how a percentage half a point below a band edge is read (`TiePolicy`).
    SafTiePolicy,
    /// SAF limiter SL-1: an outstanding score with a statement at or below
    /// `RuleParams::outstanding_limiter_max_score` is limited to good.
    SafOutstandingLimiter,
    /// SAF limiter SL-2: a good score with a statement at or below
    /// `RuleParams::good_limiter_max_score` is limited to RI.
    SafGoodLimiter,
    /// SAF: statements not assessed carry the score seeded from the previous rating.
    SafSeedFromRating,
    /// SAF before Dec 2024: evidence-category scores → statement score.
    SafEvidenceCategoryConversion,
    /// SAF: the overall rating = the legacy principles over the five key-question ratings.
    SafOverallByPrinciples,
    /// Local authorities: overall percentage over the 9 statements, same bands.
    LocalAuthorityOverall,
    /// 2026 draft: key-question ratings are judgements, not computed.
    DraftJudgementLeaf,
    /// 2026 draft: the overall is assumed to follow the ratings principles.
    DraftOverallAssumed,
    /// Legacy: a key-question rating is the inspectors' judgement, an input leaf.
    LegacyJudgementLeaf,
    /// A Requirement Notice limits the key question of the breach (L-RN).
    RequirementNoticeLimiter,
    /// A Warning Notice or other enforcement action makes that key question inadequate (L-WN).
    WarningNoticeLimiter,
    /// No registered manager where one is required limits Well-led (L-ASC-RM).
    RegisteredManagerLimiter,
}

/// One rule, described once.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: RuleId,
    /// Short code used in CQC-style references (P1, P6, SL-1, …).
    pub code: &'static str,
    /// A template: read it through [`Rule::title_text`].
    pub title: &'static str,
    /// The rule in plain English, a template: read it through [`Rule::statement_text`].
    pub statement: &'static str,
    pub status: RuleStatus,
    /// Where it comes from (CQC page, data check); with `spec_ref` into the algorithm spec.
    pub source: &'static str,
    pub spec_ref: &'static str,
}

const fn rule(
    id: RuleId,
    code: &'static str,
    title: &'static str,
    statement: &'static str,
    status: RuleStatus,
    source: &'static str,
    spec_ref: &'static str,
) -> Rule {
    Rule {
        id,
        code,
        title,
        statement,
        status,
        source,
        spec_ref,
    }
}

use RuleStatus::{Confirmed, Empirical, Inferred, Unconfirmed};

/// Every rule, in the order the methodology page presents them.
pub const RULES: &[Rule] = &[
    rule(
        RuleId::LegacyJudgementLeaf,
        "KQ",
        "Key-question ratings are inspectors' judgements",
        "Inspectors rate each key question against the key lines of enquiry and rating characteristics. The explorer takes these ratings as published; only the steps that combine them are recomputed.",
        Confirmed,
        "CQC, \"Ratings\" pages for adult social care, independent healthcare and GP services",
        "§3.1",
    ),
    rule(
        RuleId::UnratedExcluded,
        "N",
        "Unrated inputs are left out",
        "Key questions or services that are not rated (Not rated, Inspected but not rated, Insufficient evidence, Regulations met, Not applicable) are left out of the aggregation, and the number of underlying ratings falls accordingly.",
        Confirmed,
        "CQC, \"Ratings principles: primary medical services\": \"the number of underlying ratings will be fewer\"",
        "§2.2",
    ),
    rule(
        RuleId::InadequateThreshold,
        "P6",
        "Enough inadequate ratings make it inadequate",
        "If at least the threshold number of underlying ratings are inadequate (see the thresholds by number of ratings), the aggregated rating is inadequate.",
        Confirmed,
        "CQC, \"How we aggregate ratings using the rating principles: adult social care services\" (12 May 2022), principle 6; thresholds for other n inferred",
        "§3.3, §3.4",
    ),
    rule(
        RuleId::InadequatePrecedence,
        "P6>P5",
        "Inadequate before requires improvement",
        "When both the inadequate and the requires-improvement thresholds are met, the result is inadequate.",
        Empirical,
        "Inferred; a hospital core service rated G, I, I, RI, RI was published as Inadequate",
        "§3.3",
    ),
    rule(
        RuleId::RequiresImprovementThreshold,
        "P5",
        "Enough ratings of requires improvement make it requires improvement",
        "If at least the threshold number of underlying ratings are requires improvement (see the thresholds by number of ratings), the aggregated rating is requires improvement.",
        Confirmed,
        "CQC adult social care aggregation principle 5; thresholds for other n inferred",
        "§3.3, §3.4",
    ),
    rule(
        RuleId::OutstandingThreshold,
        "P3",
        "Enough outstanding ratings, the rest good, make it outstanding",
        "The aggregated rating is outstanding when at least the threshold number of the underlying ratings are outstanding and all the others are good (see the thresholds by number of ratings).",
        Confirmed,
        "CQC, \"Ratings principles: NHS trusts\" (12 May 2022) outstanding table; adult social care principle 3",
        "§3.3, §3.4",
    ),
    rule(
        RuleId::GoodDefault,
        "P4",
        "Otherwise good",
        "With no inadequate rating and fewer ratings of requires improvement than the threshold, the aggregated rating is good.",
        Confirmed,
        "CQC adult social care aggregation principle 4",
        "§3.3",
    ),
    rule(
        RuleId::SingleInadequateFallback,
        "FB",
        "One inadequate rating on its own",
        "No CQC principle covers a single inadequate rating below the inadequate threshold. CQC's published ratings in this situation are requires improvement, so the explorer uses that.",
        Inferred,
        "Inferred; one published case (Safe inadequate, one key question RI, three good) was rated requires improvement",
        "§3.3",
    ),
    rule(
        RuleId::BreachCap,
        "P1",
        "A breach of regulations caps the overall rating",
        "The overall rating cannot be better than {breach_cap} if there is a breach of regulations.",
        Confirmed,
        "CQC adult social care aggregation principle 1 (enforcement policy)",
        "§3.2, §3.3",
    ),
    rule(
        RuleId::InheritedNotMixed,
        "RH",
        "Inherited ratings are not mixed with new ones",
        "After a change of provider, ratings awarded to the previous provider are not aggregated with ratings awarded to the new provider. Where a location's key questions are partly inherited and partly the new provider's, the explorer leaves the inherited ones out of the overall and flags the data.",
        Confirmed,
        "CQC, \"Continuation of regulatory history\" (from 1 April 2019): \"any ratings awarded to a previous provider cannot be aggregated with any new ratings awarded to the new provider\"; adult social care: \"Ratings from the previous provider are not used to produce a new aggregated rating\"",
        "§3.7",
    ),
    rule(
        RuleId::SafKeyQuestionPercentage,
        "SAF-%",
        "Key-question score",
        "Each quality statement is scored {min_score} to {max_score}. A key question's score is the sum of its statement scores divided by the maximum possible ({max_score} for each statement), shown as a whole percentage.",
        Confirmed,
        "CQC, \"How we reach a rating\"; reports print \"This service scored NN (out of 100)\"",
        "§4.5",
    ),
    rule(
        RuleId::SafBands,
        "SAF-bands",
        "Percentage bands",
        "Each key-question percentage falls in one band, and the band is the rating: {bands}.",
        Confirmed,
        "CQC, \"How we score\"; the local authority assessment page; 72 local-authority assessments agree",
        "§4.5",
    ),
    rule(
        RuleId::SafTiePolicy,
        "SAF-tie",
        "Scores on a band edge",
        "With {tie_statement_counts} statements a score can land exactly on {tie_percentages}, half a point below a band edge. The explorer applies the chosen tie policy (in use: {tie_policy}, which reads {tie_example} % as {tie_example_read} %) and marks the result as a boundary case.",
        Unconfirmed,
        "Not stated by CQC; no published report with such a sum found yet",
        "§4.5",
    ),
    rule(
        RuleId::SafOutstandingLimiter,
        "SL-1",
        "An outstanding score with a weak statement is limited to good",
        "If a key question's score is in the outstanding band but any of its quality statements is scored {outstanding_limiter_scores}, the key question is rated good.",
        Unconfirmed,
        "Secondary source (Thornbury Nursing); CQC wording not found",
        "§4.6",
    ),
    rule(
        RuleId::SafGoodLimiter,
        "SL-2",
        "A good score with a statement scored {good_limiter_scores} is limited to requires improvement",
        "If a key question's score is in the good band but any of its quality statements is scored {good_limiter_scores}, the key question is rated requires improvement.",
        Unconfirmed,
        "Secondary source (Thornbury Nursing), trigger uncertain (1, or 1 and 2)",
        "§4.6",
    ),
    rule(
        RuleId::SafSeedFromRating,
        "SAF-seed",
        "Statements not yet assessed are seeded from the last rating",
        "When a service had a rating before the single assessment framework, CQC transferred it by giving each statement not yet assessed the score that matches the rating ({seed_scores}). Those seeded scores keep the date of the old rating.",
        Unconfirmed,
        "CQC, \"Assessing quality and performance\" (21 May 2024) says ratings were transferred to statement scores; the exact mapping is not published",
        "§4.7",
    ),
    rule(
        RuleId::SafEvidenceCategoryConversion,
        "SAF-EC",
        "Evidence-category scores make a statement score",
        "Before {statements_scored_from} each evidence category was scored {min_score} to {max_score}; a statement's percentage is their sum over {max_score} × the number of categories, converted back to a score with the same bands ({seed_scores}).",
        Unconfirmed,
        "CQC worked example (69 % for 11 of 16); the conversion back to a score is not published",
        "§4.4",
    ),
    rule(
        RuleId::SafOverallByPrinciples,
        "SAF-overall",
        "The overall rating follows the ratings principles",
        "Under the single assessment framework, the overall rating is the ratings principles applied to the five key-question ratings.",
        Empirical,
        "40 of 40 overall ratings published from January 2024 in the Shropshire extract agree; CQC text not located",
        "§4.8",
    ),
    rule(
        RuleId::LocalAuthorityOverall,
        "LA",
        "Local authority overall score",
        "For local authority assessments, the scores of all 9 quality statements are combined into one percentage, all weighted equally, and rated with the same bands.",
        Confirmed,
        "CQC, local authority assessment page",
        "§4.8",
    ),
    rule(
        RuleId::DraftJudgementLeaf,
        "G4",
        "2026 draft: judgement at key-question level",
        "Under the 2026 draft frameworks CQC no longer scores quality statements: inspectors judge each key question in the round against published rating characteristics, with Good as the baseline. No number decides it, so the explorer takes each key-question rating as given and says whether it is at, above or below the baseline.",
        Unconfirmed,
        "CQC draft sector frameworks (24 Mar 2026) and consultation response; final frameworks and characteristics not yet published",
        "§5.2, §11",
    ),
    rule(
        RuleId::DraftOverallAssumed,
        "G4-overall",
        "2026 draft: overall rating assumed to follow the ratings principles",
        "The drafts do not say whether a location keeps an overall rating, nor how it would be made. The explorer assumes the ratings principles over the key-question ratings, as today.",
        Unconfirmed,
        "Not in the drafts; CQC's consultation left location-level ratings for hospitals open",
        "§5.2",
    ),
    rule(
        RuleId::RequirementNoticeLimiter,
        "L-RN",
        "A Requirement Notice limits its key question",
        "Where CQC finds a breach of a regulation and issues a Requirement Notice, the rating of the key question the breach belongs to is normally {requirement_notice_cap} at best.",
        Confirmed,
        "CQC, \"Ratings principles: NHS trusts\" and \"Ratings principles: primary medical services\"",
        "§3.2, §11",
    ),
    rule(
        RuleId::WarningNoticeLimiter,
        "L-WN",
        "Enforcement action makes its key question {warning_notice_cap}",
        "Where CQC finds a breach and takes enforcement action (a Warning Notice, a condition on registration), the rating of the key question the breach belongs to will normally be {warning_notice_cap}.",
        Confirmed,
        "CQC, \"Ratings principles: NHS trusts\" and \"Ratings principles: primary medical services\"",
        "§3.2, §11",
    ),
    rule(
        RuleId::RegisteredManagerLimiter,
        "L-ASC-RM",
        "No registered manager limits Well-led",
        "An adult social care location whose registration requires a registered manager, with none in post and no satisfactory recruitment under way, is rated {registered_manager_cap} at best for Well-led.",
        Unconfirmed,
        "Secondary source (Ridouts, \"Ratings limiters under the CQC's new methodology\")",
        "§3.2",
    ),
];

/// The catalogue entry for a rule.
pub fn rule_info(id: RuleId) -> &'static Rule {
    // Every RuleId has an entry (checked by a test), so the fallback is never reached; it keeps
    // this total without a panic path.
    RULES.iter().find(|r| r.id == id).unwrap_or(&RULES[0])
}

impl Rule {
    /// The title with the parameters' numbers in it.
    pub fn title_text(&self, params: &RuleParams) -> String {
        fill(self.title, params)
    }

    /// The plain-English rule with the parameters' numbers in it.
    pub fn statement_text(&self, params: &RuleParams) -> String {
        fill(self.statement, params)
    }
}

/// A rule as the methodology page and the JavaScript API show it: its texts filled in.
#[derive(Debug, Clone, Serialize)]
pub struct RuleText {
    pub id: RuleId,
    pub code: &'static str,
    pub title: String,
    pub statement: String,
    pub status: RuleStatus,
    pub source: &'static str,
    pub spec_ref: &'static str,
}

/// Every rule with its texts filled from `params`, in the catalogue's order.
pub fn rule_texts(params: &RuleParams) -> Vec<RuleText> {
    RULES
        .iter()
        .map(|r| RuleText {
            id: r.id,
            code: r.code,
            title: r.title_text(params),
            statement: r.statement_text(params),
            status: r.status,
            source: r.source,
            spec_ref: r.spec_ref,
        })
        .collect()
}

/// Fills a rule text's `{placeholders}` from the parameters. An unknown placeholder is left as
/// it is, so a typo shows on the page (and fails the catalogue's test) instead of vanishing.
pub fn fill(template: &str, params: &RuleParams) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = &after[..close];
        match placeholder(name, params) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

fn placeholder(name: &str, params: &RuleParams) -> Option<String> {
    let lower = |r: Rating| r.label().to_lowercase();
    Some(match name {
        "min_score" => MIN_SCORE.to_string(),
        "max_score" => MAX_SCORE.to_string(),
        "outstanding_limiter_scores" => scores_up_to(params.outstanding_limiter_max_score),
        "good_limiter_scores" => scores_up_to(params.good_limiter_max_score),
        "breach_cap" => lower(super::params::BREACH_CAP),
        "requirement_notice_cap" => lower(super::params::REQUIREMENT_NOTICE_CAP),
        "warning_notice_cap" => lower(super::params::WARNING_NOTICE_CAP),
        "registered_manager_cap" => lower(super::params::REGISTERED_MANAGER_CAP),
        "seed_scores" => Rating::ALL
            .iter()
            .rev()
            .map(|r| format!("{} {}", lower(*r), super::params::seed_score(*r)))
            .collect::<Vec<_>>()
            .join(", "),
        "bands" => params
            .percentage_bands
            .iter()
            .map(|b| format!("{} {}–{} %", lower(b.rating), b.from_percent, b.to_percent))
            .collect::<Vec<_>>()
            .join(", "),
        "tie_statement_counts" => or_list(
            &tie_cases(params)
                .statement_counts
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>(),
        ),
        "tie_percentages" => or_list(
            &tie_cases(params)
                .percentages
                .iter()
                .map(|p| format!("{p:.1} %"))
                .collect::<Vec<_>>(),
        ),
        "tie_policy" => params.tie_policy.label().to_string(),
        "tie_example" => format!("{:.1}", tie_example(params)?.0),
        "tie_example_read" => {
            let (_, points, max_points) = tie_example(params)?;
            let read = params.tie_policy.banded_value(points, max_points);
            if read.fract() == 0.0 {
                format!("{read:.0}")
            } else {
                format!("{read:.1}")
            }
        }
        "statements_scored_from" => crate::model::format_long_date(evidence_categories_end()?),
        _ => return None,
    })
}

/// The day statements began to be scored directly: the start of the first rule set in force
/// after the one that scores evidence categories.
fn evidence_categories_end() -> Option<crate::model::Date> {
    let scores_categories = RULE_SETS.iter().find(|s| {
        s.key_questions
            == KeyQuestionMethod::StatementScores {
                from_evidence_categories: true,
            }
    })?;
    let from = scores_categories.in_force_from?;
    RULE_SETS
        .iter()
        .filter_map(|s| s.in_force_from)
        .filter(|d| *d > from)
        .min()
}

/// "1", "1 or 2", "1, 2 or 3": the scores at or below `max`.
fn scores_up_to(max: u8) -> String {
    let scores: Vec<String> = (MIN_SCORE..=max.min(MAX_SCORE))
        .map(|s| s.to_string())
        .collect();
    if scores.is_empty() {
        return format!("below {MIN_SCORE}");
    }
    or_list(&scores)
}

fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The percentages half a point below a band edge that a key question can score exactly, and
/// with how many statements (up to the most any key question has).
struct TieCases {
    statement_counts: Vec<u32>,
    /// Each with the points and maximum points of its first reachable case.
    percentages: Vec<f64>,
    first: Option<(f64, u32, u32)>,
}

fn tie_cases(params: &RuleParams) -> TieCases {
    let most_statements = KeyQuestion::ALL
        .iter()
        .map(|kq| crate::model::quality_statements_for(*kq).count() as u32)
        .max()
        .unwrap_or(0);
    let mut cases = TieCases {
        statement_counts: Vec::new(),
        percentages: Vec::new(),
        first: None,
    };
    let mut edges: Vec<u32> = params
        .percentage_bands
        .iter()
        .map(|b| b.from_percent)
        .filter(|from| *from > 0)
        .collect();
    crate::order::sort(&mut edges);
    for n in 1..=most_statements {
        let max_points = super::params::max_points(n as usize);
        for edge in &edges {
            // points / max_points = (edge − ½) / 100 exactly ⇔ 200 × points = (2 × edge − 1) × max_points.
            let twice_hundredths = (2 * edge - 1) * max_points;
            if !twice_hundredths.is_multiple_of(200) {
                continue;
            }
            let points = twice_hundredths / 200;
            let percent = f64::from(*edge) - 0.5;
            if !cases.statement_counts.contains(&n) {
                cases.statement_counts.push(n);
            }
            if !cases.percentages.contains(&percent) {
                cases.percentages.push(percent);
            }
            if cases.first.is_none() {
                cases.first = Some((percent, points, max_points));
            }
        }
    }
    crate::order::sort_by(&mut cases.percentages, f64::total_cmp);
    cases
}

/// The first band-edge case: (percentage, points, maximum points).
fn tie_example(params: &RuleParams) -> Option<(f64, u32, u32)> {
    tie_cases(params).first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::params::TiePolicy;

    fn statement(id: RuleId, params: &RuleParams) -> String {
        rule_info(id).statement_text(params)
    }

    #[test]
    fn every_placeholder_is_filled() {
        let p = RuleParams::default();
        for r in RULES {
            for text in [r.title_text(&p), r.statement_text(&p)] {
                assert!(!text.contains('{'), "{:?}: {text}", r.id);
            }
        }
        for set in RULE_SETS {
            let text = fill(set.key_question_method, &p);
            assert!(!text.contains('{'), "{:?}: {text}", set.id);
        }
    }

    #[test]
    fn the_limiter_texts_follow_their_cut_offs() {
        let p = RuleParams::default();
        assert!(statement(RuleId::SafOutstandingLimiter, &p).contains("is scored 1 or 2,"));
        assert!(statement(RuleId::SafGoodLimiter, &p).contains("is scored 1,"));
        assert!(rule_info(RuleId::SafGoodLimiter)
            .title_text(&p)
            .contains("a statement scored 1 is limited"));
        let changed = RuleParams {
            outstanding_limiter_max_score: 3,
            good_limiter_max_score: 2,
            ..p.clone()
        };
        assert!(statement(RuleId::SafOutstandingLimiter, &changed).contains("is scored 1, 2 or 3,"));
        assert!(statement(RuleId::SafGoodLimiter, &changed).contains("is scored 1 or 2,"));
        assert!(rule_info(RuleId::SafGoodLimiter)
            .title_text(&changed)
            .contains("a statement scored 1 or 2 is limited"));
    }

    #[test]
    fn the_band_and_tie_texts_follow_the_bands_and_the_tie_policy() {
        let p = RuleParams::default();
        let bands = statement(RuleId::SafBands, &p);
        assert!(bands.contains("outstanding 88–100 %, good 63–87 %, requires improvement 39–62 %, inadequate 25–38 %"), "{bands}");
        let tie = statement(RuleId::SafTiePolicy, &p);
        assert!(
            tie.contains(
                "With 2, 4, 6 or 8 statements a score can land exactly on 62.5 % or 87.5 %"
            ),
            "{tie}"
        );
        assert!(
            tie.contains("round half up, which reads 62.5 % as 63 %"),
            "{tie}"
        );

        let mut moved = p.clone();
        moved.percentage_bands[1].from_percent = 65;
        moved.percentage_bands[2].to_percent = 64;
        assert!(statement(RuleId::SafBands, &moved)
            .contains("good 65–87 %, requires improvement 39–64 %"));
        let tie = statement(RuleId::SafTiePolicy, &moved);
        assert!(
            tie.contains("exactly on 87.5 %") && !tie.contains("62.5"),
            "{tie}"
        );

        let strict = RuleParams {
            tie_policy: TiePolicy::StrictBands,
            ..p.clone()
        };
        assert!(statement(RuleId::SafTiePolicy, &strict)
            .contains("strict bands, which reads 62.5 % as 62.5 %"));
        let even = RuleParams {
            tie_policy: TiePolicy::RoundHalfEven,
            ..p
        };
        assert!(statement(RuleId::SafTiePolicy, &even)
            .contains("round half to even, which reads 62.5 % as 62 %"));
    }

    #[test]
    fn the_score_scale_seed_scores_breach_cap_and_start_date_come_from_their_homes() {
        let p = RuleParams::default();
        let percentage = statement(RuleId::SafKeyQuestionPercentage, &p);
        assert!(percentage.contains(&format!("scored {MIN_SCORE} to {MAX_SCORE}")));
        assert!(percentage.contains(&format!("({MAX_SCORE} for each statement)")));
        let seeds = "outstanding 4, good 3, requires improvement 2, inadequate 1";
        assert!(statement(RuleId::SafSeedFromRating, &p).contains(seeds));
        let categories = statement(RuleId::SafEvidenceCategoryConversion, &p);
        assert!(categories
            .starts_with("Before 2 December 2024 each evidence category was scored 1 to 4"));
        assert!(categories.contains(seeds));
        assert!(statement(RuleId::BreachCap, &p).contains("better than requires improvement"));
        for set in RULE_SETS.iter().filter(|s| {
            matches!(
                s.key_questions,
                crate::rules::KeyQuestionMethod::StatementScores { .. }
            )
        }) {
            assert!(fill(set.key_question_method, &p)
                .contains(&format!("scored {MIN_SCORE}–{MAX_SCORE}")));
        }
    }

    #[test]
    fn every_rule_id_has_exactly_one_entry() {
        let ids = [
            RuleId::BreachCap,
            RuleId::InadequateThreshold,
            RuleId::RequiresImprovementThreshold,
            RuleId::OutstandingThreshold,
            RuleId::GoodDefault,
            RuleId::SingleInadequateFallback,
            RuleId::InadequatePrecedence,
            RuleId::UnratedExcluded,
            RuleId::InheritedNotMixed,
            RuleId::SafKeyQuestionPercentage,
            RuleId::SafBands,
            RuleId::SafTiePolicy,
            RuleId::SafOutstandingLimiter,
            RuleId::SafGoodLimiter,
            RuleId::SafSeedFromRating,
            RuleId::SafEvidenceCategoryConversion,
            RuleId::SafOverallByPrinciples,
            RuleId::LocalAuthorityOverall,
            RuleId::DraftJudgementLeaf,
            RuleId::DraftOverallAssumed,
            RuleId::LegacyJudgementLeaf,
            RuleId::RequirementNoticeLimiter,
            RuleId::WarningNoticeLimiter,
            RuleId::RegisteredManagerLimiter,
        ];
        for id in ids {
            assert_eq!(RULES.iter().filter(|r| r.id == id).count(), 1, "{id:?}");
        }
        assert_eq!(RULES.len(), ids.len());
    }
}
