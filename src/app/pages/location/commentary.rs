//! CQC's own words on a location's assessments: the assessment's text, the people's-experience
//! summary, each key question's and each evidence category's (under its quality statement),
//! every piece dated and attributed to CQC so a reader never takes it for the explorer's own
//! account above it. Long texts are collapsed; everything is shown as text, never as markup.

use crate::app::components::{counted, date};
use cqc_engine::model::{
    format_date, quality_statement, Commentary, CommentaryScope, EvidenceCategory, KeyQuestion,
    Location, SafAssessment,
};
use leptos::prelude::*;

/// Texts longer than this are collapsed behind their first words: the assessment text runs to
/// pages, and a page of it would push everything else out of reach.
const COLLAPSE_AFTER_CHARS: usize = 480;

/// How many characters of a collapsed text its summary line shows.
const PREVIEW_CHARS: usize = 160;

#[component]
pub fn CqcWords(location: Location) -> impl IntoView {
    let plans = plans_in_order(&location.detail.commentary);
    (!plans.is_empty()).then(|| {
        let sections = plans
            .into_iter()
            .map(|plan| {
                let assessment = location
                    .assessments
                    .iter()
                    .find(|a| a.plan_id == plan)
                    .cloned();
                let texts: Vec<Commentary> = location
                    .detail
                    .commentary
                    .iter()
                    .filter(|c| c.plan_id == plan)
                    .cloned()
                    .collect();
                view! { <PlanWords assessment=assessment texts=texts/> }
            })
            .collect_view();
        view! {
            <section aria-labelledby="cqc-words" data-testid="cqc-words">
                <h2 id="cqc-words">"In CQC's own words"</h2>
                <p class="muted">
                    "What follows is CQC's published text, as CQC wrote it, with the date CQC gives "
                    "it. The account above is the explorer's own, from the rules."
                </p>
                {sections}
            </section>
        }
    })
}

/// The assessment plans the commentary belongs to, in the order the data first names them.
fn plans_in_order(commentary: &[Commentary]) -> Vec<String> {
    let mut plans: Vec<String> = Vec::new();
    for c in commentary {
        if !plans.contains(&c.plan_id) {
            plans.push(c.plan_id.clone());
        }
    }
    plans
}

/// One assessment's words: its summary and text, people's experience, then the key questions
/// in CQC's order, each followed by its evidence categories grouped under their statements.
#[component]
fn PlanWords(assessment: Option<SafAssessment>, texts: Vec<Commentary>) -> impl IntoView {
    let heading = match &assessment {
        Some(a) => format!(
            "CQC's assessment ({}), published {}",
            a.service_group,
            date(a.published)
        ),
        None => "CQC's assessment".to_string(),
    };
    let of_scope = |scope: CommentaryScope| -> Vec<Commentary> {
        texts.iter().filter(|c| c.scope == scope).cloned().collect()
    };
    let overview = [
        CommentaryScope::Summary,
        CommentaryScope::Assessment,
        CommentaryScope::PeoplesExperience,
    ]
    .into_iter()
    .flat_map(&of_scope)
    .map(|c| view! { <Quoted commentary=c.clone() title=scope_title(c.scope) collapse=true/> })
    .collect_view();
    let key_questions = KeyQuestion::ALL
        .into_iter()
        .filter_map(|kq| {
            let own = of_scope(CommentaryScope::KeyQuestion(kq));
            let categories = evidence_of(&texts, kq);
            (!own.is_empty() || !categories.is_empty()).then(|| {
                view! { <KeyQuestionWords kq=kq own=own categories=categories/> }
            })
        })
        .collect_view();
    view! {
        <h3>{heading}</h3>
        {overview}
        {key_questions}
    }
}

/// The evidence-category texts of one key question's statements, in statement then category
/// order, each with its statement id.
fn evidence_of(texts: &[Commentary], kq: KeyQuestion) -> Vec<(u8, Commentary)> {
    let mut found: Vec<(u8, u8, Commentary)> = texts
        .iter()
        .filter_map(|c| match c.scope {
            CommentaryScope::EvidenceCategory {
                statement,
                category,
            } if quality_statement(statement).is_some_and(|q| q.key_question == kq) => {
                Some((statement, category, c.clone()))
            }
            _ => None,
        })
        .collect();
    cqc_engine::order::sort_by_key(&mut found, |(statement, category, _)| {
        (*statement, *category)
    });
    found
        .into_iter()
        .map(|(statement, _, c)| (statement, c))
        .collect()
}

/// The statements the texts are about, in their (sorted) order, each once.
fn statement_ids(categories: &[(u8, Commentary)]) -> Vec<u8> {
    let mut statements: Vec<u8> = categories.iter().map(|(s, _)| *s).collect();
    statements.dedup();
    statements
}

fn statements_count(categories: &[(u8, Commentary)]) -> usize {
    statement_ids(categories).len()
}

#[component]
fn KeyQuestionWords(
    kq: KeyQuestion,
    own: Vec<Commentary>,
    categories: Vec<(u8, Commentary)>,
) -> impl IntoView {
    let grouped = statement_ids(&categories)
        .into_iter()
        .map(|statement| {
            let title = quality_statement(statement)
                .map(|q| q.title.to_string())
                .unwrap_or_else(|| format!("Quality statement {statement}"));
            let texts = categories
                .iter()
                .filter(|(s, _)| *s == statement)
                .map(|(_, c)| view! { <Quoted commentary=c.clone() title=scope_title(c.scope) collapse=false/> })
                .collect_view();
            view! {
                <div class="cqc-statement">
                    <h4>{format!("Quality statement: {title}")}</h4>
                    {texts}
                </div>
            }
        })
        .collect_view();
    let count = statements_count(&categories);
    let summary = match count {
        0 => format!("{}: CQC's words", kq.label()),
        n => format!(
            "{}: CQC's words, and on {}",
            kq.label(),
            counted(n, "quality statement", "quality statements")
        ),
    };
    // Collapsed: an assessment has dozens of these texts, and a reader opens the key question
    // they care about.
    view! {
        <details class="cqc-kq" data-testid=format!("cqc-words-{}", kq.slug())>
            <summary>{summary}</summary>
            {own
                .into_iter()
                .map(|c| view! { <Quoted commentary=c title=String::new() collapse=false/> })
                .collect_view()}
            {grouped}
        </details>
    }
}

/// What a piece of commentary is about, as its heading ("" where the section heading says it).
fn scope_title(scope: CommentaryScope) -> String {
    match scope {
        CommentaryScope::Summary => "Summary".into(),
        CommentaryScope::Assessment => "The assessment".into(),
        CommentaryScope::PeoplesExperience => "People's experience of the service".into(),
        CommentaryScope::KeyQuestion(_) => String::new(),
        CommentaryScope::EvidenceCategory { category, .. } => EvidenceCategory::from_id(category)
            .map(|c| c.title().to_string())
            .unwrap_or_else(|| format!("Evidence category {category}")),
    }
}

/// "CQC wrote, 11 Jul 2024:" and the text as paragraphs, collapsed when long.
#[component]
fn Quoted(commentary: Commentary, title: String, collapse: bool) -> impl IntoView {
    let attribution = match commentary.date {
        Some(d) => format!("CQC wrote, {}:", format_date(d)),
        None => "CQC wrote (no date given):".to_string(),
    };
    let paragraphs: Vec<String> = commentary
        .text
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(joined_quotes)
        .collect();
    let body = view! {
        <blockquote class="cqc-quote">
            {paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
        </blockquote>
    };
    let heading = (!title.is_empty()).then(|| view! { <p class="cqc-scope">{title}</p> });
    let long = collapse && commentary.text.chars().count() > COLLAPSE_AFTER_CHARS;
    let lead = view! { <p class="cqc-attribution">{attribution}</p> };
    if long {
        view! {
            <div class="cqc-words-item">
                {heading}
                {lead}
                <details>
                    <summary>{format!("{} … (read all)", preview(&commentary.text))}</summary>
                    {body}
                </details>
            </div>
        }
        .into_any()
    } else {
        view! { <div class="cqc-words-item">{heading}{lead}{body}</div> }.into_any()
    }
}

/// The text with a word joiner (U+2060, invisible) between an opening quote and a bracket
/// after it: CQC writes `"[Relative] is …"`, and Chromium breaks the line between the two, which
/// leaves a lone quote at a line's end. Display only; the stored text is CQC's as written.
fn joined_quotes(paragraph: &str) -> String {
    let mut out = String::with_capacity(paragraph.len());
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        let quote = matches!(c, '"' | '\'' | '\u{201c}' | '\u{2018}');
        if quote && matches!(chars.peek(), Some('[' | '(')) {
            out.push('\u{2060}');
        }
    }
    out
}

/// The first words of a text, cut at a word boundary.
fn preview(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= PREVIEW_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(PREVIEW_CHARS).collect();
    match cut.rfind(' ') {
        Some(space) => cut[..space].to_string(),
        None => cut,
    }
}
