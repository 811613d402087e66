//! Plain-English wording for every step of a trace and for the narrative paragraphs. All the
//! words the engine produces live here, so they read consistently across the site.

use crate::model::{format_date as date, format_years, years_between, Date, Rating};
use crate::rules::{AggregationBand, Counts, KqScore, RuleId, RuleParams};

pub fn maybe_date(d: Option<Date>) -> String {
    d.map(date).unwrap_or_else(|| "an unknown date".into())
}

/// "1 key question", "3 key questions".
pub fn count(n: u32, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

pub fn lower(rating: Rating) -> String {
    rating.label().to_lowercase()
}

/// "2 outstanding, 3 good".
pub fn describe_counts(counts: &Counts) -> String {
    let parts: Vec<String> = [
        (counts.outstanding, "outstanding"),
        (counts.good, "good"),
        (counts.requires_improvement, "requires improvement"),
        (counts.inadequate, "inadequate"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, label)| format!("{n} {label}"))
    .collect();
    parts.join(", ")
}

/// The sentence for the rule that decided an aggregation of `inputs` (e.g. "key questions").
pub fn aggregation_step(
    rule: RuleId,
    counts: &Counts,
    band: &AggregationBand,
    inputs: &str,
) -> String {
    let n = counts.total();
    match rule {
        RuleId::InadequateThreshold => format!(
            "Inadequate because {} of the {n} {inputs} are inadequate (with {n} ratings, {} or more inadequate make it inadequate).",
            counts.inadequate, band.inadequate_at_least
        ),
        RuleId::RequiresImprovementThreshold => format!(
            "Requires improvement because {} of the {n} {inputs} require improvement (with {n} ratings, {} or more make it requires improvement).",
            counts.requires_improvement, band.ri_at_least
        ),
        RuleId::OutstandingThreshold => format!(
            "Outstanding because {} of the {n} {inputs} are outstanding and the rest are good (CQC needs at least {}).",
            counts.outstanding, band.outstanding_at_least
        ),
        RuleId::GoodDefault => {
            let why_not_outstanding = if counts.outstanding > 0
                && counts.outstanding < band.outstanding_at_least
            {
                format!(
                    " It is not outstanding: that needs at least {} outstanding.",
                    band.outstanding_at_least
                )
            } else if counts.outstanding >= band.outstanding_at_least {
                " It is not outstanding: that needs all the others to be good.".to_string()
            } else {
                String::new()
            };
            format!(
                "Good because none of the {n} {inputs} is inadequate and {} {} (fewer than {}).{why_not_outstanding}",
                counts.requires_improvement,
                if counts.requires_improvement == 1 { "requires improvement" } else { "require improvement" },
                band.ri_at_least
            )
        }
        RuleId::SingleInadequateFallback => format!(
            "Requires improvement: one of the {n} {inputs} is inadequate, fewer than the {} that would make it inadequate. No CQC principle covers this case; CQC's published ratings in this situation are requires improvement.",
            band.inadequate_at_least
        ),
        _ => String::new(),
    }
}

pub fn precedence_step(counts: &Counts) -> String {
    format!(
        "Both thresholds are met ({} inadequate, {} requires improvement): inadequate takes precedence.",
        counts.inadequate, counts.requires_improvement
    )
}

pub fn breach_step(uncapped: Rating) -> String {
    format!(
        "Capped at requires improvement because CQC found a breach of regulations. Would be {} on the aggregation rule.",
        lower(uncapped)
    )
}

pub fn judgement_leaf_step(
    label: &str,
    rating: Rating,
    published: Option<Date>,
    draft: bool,
) -> String {
    let whose = if draft {
        "a judgement against the rating characteristics"
    } else {
        "the inspectors' judgement"
    };
    format!(
        "{label}: {}, published {} ({whose}, taken as given).",
        rating.label(),
        maybe_date(published)
    )
}

pub fn unrated_step(label: &str, state: &str) -> String {
    format!("{label} is left out: \"{state}\" is not a rating, so the number of ratings falls.")
}

pub fn seeded_step(
    label: &str,
    seeded: usize,
    total: usize,
    rating: Rating,
    published: Option<Date>,
) -> String {
    format!(
        "{label}: {seeded} of {total} quality statements have no new score, so each is seeded with {} from the {} rating published {}.",
        rating.score(),
        lower(rating),
        maybe_date(published)
    )
}

pub fn percentage_step(label: &str, score: &KqScore) -> String {
    format!(
        "{label}: {} of {} points = {:.1} %, shown as {} %.",
        score.points, score.max_points, score.exact_percent, score.displayed_percent
    )
}

pub fn band_step(label: &str, score: &KqScore, params: &RuleParams) -> String {
    let band = params
        .percentage_bands
        .iter()
        .find(|b| b.rating == score.band_rating);
    match band {
        Some(b) => format!(
            "{label}: {} % is in the {} band ({}–{} %).",
            score.displayed_percent,
            lower(score.band_rating),
            b.from_percent,
            b.to_percent
        ),
        None => format!(
            "{label}: {} % gives {}.",
            score.displayed_percent,
            lower(score.band_rating)
        ),
    }
}

pub fn tie_step(label: &str, score: &KqScore, params: &RuleParams) -> String {
    format!(
        "{label}: {:.1} % is a boundary case. Under the tie policy in use ({}) it is {}; another reading of CQC's bands gives a different rating.",
        score.exact_percent,
        params.tie_policy.label(),
        lower(score.band_rating)
    )
}

pub fn limiter_step(label: &str, rule: RuleId, score: &KqScore) -> String {
    match rule {
        RuleId::SafOutstandingLimiter => format!(
            "{label}: the score is in the outstanding band, but a quality statement is scored {}, so the key question is limited to good.",
            score.lowest_score
        ),
        RuleId::SafGoodLimiter => format!(
            "{label}: the score is in the good band, but a quality statement is scored {}, so the key question is limited to requires improvement.",
            score.lowest_score
        ),
        _ => String::new(),
    }
}

pub fn inherited_mixed_step(inherited: &[&str], new: &[&str]) -> String {
    format!(
        "Warning: {} inherited from a previous provider, {} not. CQC does not aggregate a previous provider's ratings with new ones, so this combination should not occur.",
        join_names(inherited),
        join_names(new)
    )
}

pub fn saf_overall_step() -> String {
    "The overall rating is the ratings principles applied to the five key-question ratings (reproduced by CQC's published ratings; CQC's text not located).".to_string()
}

/// "Caring and Responsive", "Safe, Caring and Well-led".
pub fn join_names(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The narrative paragraphs of an explanation, generated from its trace.
pub fn paragraphs(e: &super::Explanation) -> Vec<String> {
    let mut out = Vec::new();
    match (
        e.overall,
        e.steps.iter().rev().find(|s| s.scope == "Overall"),
    ) {
        (Some(overall), Some(step)) => {
            out.push(format!("The rules give {}. {}", lower(overall), step.text))
        }
        _ => out
            .push("No key question has a rating, so the rules give no overall rating.".to_string()),
    }
    if let Some(p) = ages_paragraph(e) {
        out.push(p);
    }
    let limited: Vec<String> = e
        .key_questions
        .iter()
        .filter_map(|k| {
            let s = k.score.as_ref()?;
            s.limiter.map(|_| {
                format!(
                    "{} would be {} on its score ({} %) but is limited to {}.",
                    k.key_question.label(),
                    lower(s.band_rating),
                    s.displayed_percent,
                    lower(s.rating)
                )
            })
        })
        .collect();
    if !limited.is_empty() {
        out.push(limited.join(" "));
    }
    let provisional = e.provisional_rules();
    if !provisional.is_empty() {
        let codes: Vec<&str> = provisional
            .iter()
            .map(|r| crate::rules::rule_info(*r).code)
            .collect();
        out.push(format!(
            "This result relies on {} that CQC has not confirmed in its published text ({}); they are marked provisional.",
            count(codes.len() as u32, "rule", "rules"),
            codes.join(", ")
        ));
    }
    out.extend(e.warnings.iter().cloned());
    out
}

/// How old the evidence is: by key-question date for legacy results, by share for SAF.
fn ages_paragraph(e: &super::Explanation) -> Option<String> {
    let rated: Vec<&super::KqResult> = e
        .key_questions
        .iter()
        .filter(|k| k.rating.is_some())
        .collect();
    if rated.is_empty() {
        return None;
    }
    if !e.rule_set.scores_statements() {
        let newest = rated.iter().filter_map(|k| k.published_date).max()?;
        let mut dates: Vec<crate::model::Date> =
            rated.iter().filter_map(|k| k.published_date).collect();
        dates.sort();
        dates.dedup();
        if dates.len() <= 1 {
            return Some(format!(
                "All {} behind this rating were published on {}.",
                count(rated.len() as u32, "key question", "key questions"),
                date(newest)
            ));
        }
        let older: Vec<String> = dates
            .iter()
            .filter(|d| **d < newest)
            .map(|d| {
                let names: Vec<&str> = rated
                    .iter()
                    .filter(|k| k.published_date == Some(*d))
                    .map(|k| k.key_question.label())
                    .collect();
                format!(
                    "{} {} from {} ({} before the newest)",
                    join_names(&names),
                    if names.len() == 1 { "dates" } else { "date" },
                    date(*d),
                    format_years(years_between(*d, newest))
                )
            })
            .collect();
        let n_older = rated
            .iter()
            .filter(|k| k.published_date.is_some_and(|d| d < newest))
            .count();
        return Some(format!(
            "{} of the {} behind this rating are older than the newest input ({}): {}.",
            n_older,
            count(rated.len() as u32, "key question", "key questions"),
            date(newest),
            older.join("; ")
        ));
    }
    let parts: Vec<String> = e
        .evidence_age
        .slices
        .iter()
        .map(|s| format!("{:.0} % from {}", s.share * 100.0, s.label()))
        .collect();
    if parts.is_empty() {
        return None;
    }
    Some(format!(
        "Of the points behind this result, {}.",
        parts.join(", ")
    ))
}
