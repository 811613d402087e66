//! Plain-English wording for every step of a trace and for the narrative paragraphs, written
//! from the engine's typed facts when asked. All the words about a result live here, so they
//! read consistently across the site.

use super::AgeSliceLabel;
use crate::model::{
    format_date as date, format_years, years_between, Date, KeyQuestion, Rating, ScoreSource,
};
use crate::rules::{AggregationBand, Counts, Exclusion, Fact, RuleId, Scope, Step, Warning};

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

/// What a step applied to, as the narrative names it.
pub fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Overall => "Overall",
        Scope::KeyQuestion(kq) => kq.label(),
    }
}

/// Why an input was left out, as quoted in its step.
pub fn exclusion_label(why: Exclusion) -> &'static str {
    match why {
        Exclusion::Published(value) => value.label(),
        Exclusion::NoRatingPublished => "no rating published",
        Exclusion::NoScoresOrRating => "no scores or rating published",
        Exclusion::InheritedFromPreviousProvider => "inherited from a previous provider",
    }
}

pub fn warning_text(warning: &Warning) -> String {
    match warning {
        Warning::InheritedMixed { inherited, new } => {
            let names = |kqs: &[KeyQuestion]| -> String {
                let labels: Vec<&str> = kqs.iter().map(|k| k.label()).collect();
                join_names(&labels)
            };
            format!(
                "Warning: {} inherited from a previous provider, {} not. CQC does not aggregate a previous provider's ratings with new ones, so the inherited ones are left out of the overall here; CQC's own overall should not mix them either.",
                names(inherited),
                names(new)
            )
        }
    }
}

/// One step of the trace in plain English, with the numbers that decided it.
pub fn step_text(step: &Step) -> String {
    let label = scope_label(step.scope);
    match &step.fact {
        Fact::JudgementTaken { rating, published } => format!(
            "{label}: {}, published {} (the inspectors' judgement, taken as given).",
            rating.label(),
            maybe_date(*published)
        ),
        Fact::JudgedAgainstBaseline {
            rating,
            baseline,
            published,
        } => {
            let against = match rating.cmp(baseline) {
                std::cmp::Ordering::Equal => format!("at the {} baseline", lower(*baseline)),
                std::cmp::Ordering::Greater => format!("above the {} baseline", lower(*baseline)),
                std::cmp::Ordering::Less => format!("below the {} baseline", lower(*baseline)),
            };
            format!(
                "{label}: {}, published {} ({against}: a judgement in the round against the rating characteristics, taken as given).",
                rating.label(),
                maybe_date(*published)
            )
        }
        Fact::OverallAssumedByPrinciples => "Assumed: the overall rating is the ratings principles over the key-question ratings; the 2026 drafts do not say whether an overall rating stays or how it is made.".to_string(),
        Fact::Excluded(why) => format!(
            "{label} is left out: \"{}\" is not a rating, so the number of ratings falls.",
            exclusion_label(*why)
        ),
        Fact::Seeded {
            seeded,
            total,
            rating,
            seed_score,
            published,
        } => format!(
            "{label}: {seeded} of {total} quality statements were not assessed this time, so each carries {seed_score}, {}.",
            seed_source(step.scope, *rating, *published)
        ),
        Fact::CategoriesConverted => format!(
            "{label}: statements with evidence-category scores are scored from them (same bands)."
        ),
        Fact::Percentage {
            points,
            max_points,
            exact_percent,
            displayed_percent,
        } => format!(
            "{label}: {points} of {max_points} points = {exact_percent:.1} %, shown as {displayed_percent} %."
        ),
        Fact::Band {
            displayed_percent,
            rating,
            band,
        } => match band {
            Some(b) => format!(
                "{label}: {displayed_percent} % is in the {} band ({}–{} %).",
                lower(*rating),
                b.from_percent,
                b.to_percent
            ),
            None => format!("{label}: {displayed_percent} % gives {}.", lower(*rating)),
        },
        Fact::Tie {
            exact_percent,
            policy,
            rating,
        } => format!(
            "{label}: {exact_percent:.1} % is a boundary case. Under the tie policy in use ({}) it is {}; another reading of CQC's bands gives a different rating.",
            policy.label(),
            lower(*rating)
        ),
        Fact::Limited {
            band_rating,
            lowest_score,
            rating,
        } => format!(
            "{label}: the score is in the {} band, but a quality statement is scored {lowest_score}, so the key question is limited to {}.",
            lower(*band_rating),
            lower(*rating)
        ),
        Fact::InheritedLeftOut(warning) => warning_text(warning),
        Fact::OverallByPrinciples => "The overall rating is the ratings principles applied to the five key-question ratings (reproduced by CQC's published ratings; CQC's text not located).".to_string(),
        Fact::Precedence { counts } => format!(
            "Both thresholds are met ({} inadequate, {} requires improvement): inadequate takes precedence.",
            counts.inadequate, counts.requires_improvement
        ),
        Fact::Aggregated { counts, band, .. } => {
            aggregation_step(step.rule, counts, band, "key questions")
        }
        Fact::EnforcementLimited {
            limiter,
            uncapped,
            capped,
        } => {
            let because = match limiter {
                crate::rules::LimiterKind::RequirementNotice => "a Requirement Notice against it",
                crate::rules::LimiterKind::WarningNotice => {
                    "enforcement action against it (a Warning Notice or a condition)"
                }
                crate::rules::LimiterKind::NoRegisteredManager => {
                    "no registered manager where one is required"
                }
            };
            format!(
                "{label}: limited to {} by {because} (your scenario: the open data does not say). Would be {}.",
                lower(*capped),
                lower(*uncapped)
            )
        }
        Fact::BreachCapped { uncapped, capped } => format!(
            "Capped at {} because CQC found a breach of regulations. Would be {} on the aggregation rule.",
            lower(*capped),
            lower(*uncapped)
        ),
    }
}

/// "seeded from the Effective rating (good) of 18 January 2019", as CQC states the date of the
/// previous assessment; "… (good) of an earlier inspection, whose date this data does not
/// carry" without one.
pub fn seed_source(scope: Scope, rating: Rating, published: Option<Date>) -> String {
    let whose = match scope {
        Scope::KeyQuestion(kq) => format!("the {} rating", kq.label()),
        Scope::Overall => "the key question's rating".to_string(),
    };
    match published {
        Some(d) => format!("seeded from {whose} ({}) of {}", lower(rating), date(d)),
        None => format!(
            "seeded from {whose} ({}) of an earlier inspection, whose date this data does not carry",
            lower(rating)
        ),
    }
}

/// Where one statement's score comes from, in words (the location page's statement tables).
pub fn score_source_text(key_question: KeyQuestion, source: ScoreSource) -> String {
    match source {
        ScoreSource::Assessed { date: d } => format!("assessed by CQC ({})", maybe_date(d)),
        ScoreSource::CarriedForward { .. } => {
            "not assessed this time: CQC's score kept; the rating or assessment it comes from is not in the open data".into()
        }
        ScoreSource::SeededFromRating { rating, date: d } => format!(
            "not assessed this time: {} (as CQC does; not a new score)",
            seed_source(Scope::KeyQuestion(key_question), rating, d)
        ),
        ScoreSource::UserEntered => "your scenario".into(),
    }
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
    match (e.overall, e.deciding_step()) {
        (Some(overall), Some(step)) => out.push(format!(
            "The rules give {}. {}",
            lower(overall),
            step_text(step)
        )),
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
    out.extend(e.warnings.iter().map(warning_text));
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
        crate::order::sort(&mut dates);
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
