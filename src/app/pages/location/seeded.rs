//! Which quality statements CQC did not look at in the latest assessment, per key question, and
//! the rating (with its date, where the data has it) their scores were seeded from: CQC states
//! "the date of previous assessment", and a reader should see how much of a score is old.

use cqc_engine::explain::narrative::{join_names, seed_source};
use cqc_engine::explain::{Explanation, KqResult};
use cqc_engine::model::{Date, Rating, ScoreSource};
use cqc_engine::rules::{fill, RuleParams, Scope};
use leptos::prelude::*;

/// One key question's statements seeded from one rating.
struct SeededGroup {
    sentence: String,
    titles: Vec<&'static str>,
}

fn seeded_groups(result: &KqResult) -> Vec<SeededGroup> {
    let mut by_seed: Vec<(Rating, Option<Date>, Vec<&'static str>)> = Vec::new();
    for st in &result.statements {
        if let ScoreSource::SeededFromRating { rating, date } = st.source {
            match by_seed
                .iter_mut()
                .find(|(r, d, _)| *r == rating && *d == date)
            {
                Some((_, _, titles)) => titles.push(st.title),
                None => by_seed.push((rating, date, vec![st.title])),
            }
        }
    }
    let total = result.statements.len();
    by_seed
        .into_iter()
        .map(|(rating, date, titles)| SeededGroup {
            sentence: format!(
                "{}: {} of {total} statements {}",
                result.key_question.label(),
                titles.len(),
                seed_source(Scope::KeyQuestion(result.key_question), rating, date)
            ),
            titles,
        })
        .collect()
}

/// The seeded statements of every key question, or nothing when none was seeded.
#[component]
pub fn SeededStatements(explanation: Explanation) -> impl IntoView {
    let groups: Vec<SeededGroup> = explanation
        .key_questions
        .iter()
        .flat_map(seeded_groups)
        .collect();
    (!groups.is_empty()).then(|| {
        view! {
            <h3>"Statements not assessed this time"</h3>
            <p class="muted">
                {format!(
                    "CQC gives each quality statement it did not look at the score of the key \
                     question's earlier rating ({}). These scores are old evidence, not new \
                     findings.",
                    fill("{seed_scores}", &RuleParams::default())
                )}
            </p>
            <ul data-testid="seeded-statements">
                {groups
                    .into_iter()
                    .map(|g| view! {
                        <li>{format!("{}: {}.", g.sentence, join_names(&g.titles))}</li>
                    })
                    .collect_view()}
            </ul>
        }
    })
}
