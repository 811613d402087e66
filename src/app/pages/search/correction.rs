//! Saying when a typo was corrected. The index matches "Shrewsbery" to "Shrewsbury" silently;
//! the page then says "Showing results for “shrewsbury”", so a reader knows the list is not
//! for what they typed. Display only: which locations match is the engine's decision.

use cqc_engine::model::Location;
use cqc_engine::search::searchable_fields;

/// Words as the index cuts them: runs of letters and digits, lower-cased, apostrophes dropped.
fn words(text: &str) -> Vec<String> {
    text.chars()
        .filter(|c| *c != '\'')
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The query as the top result matched it, if any word of it matched only through a typo:
/// each such word replaced by the nearest word of the best result.
pub fn corrected_query(query: &str, best: &Location) -> Option<String> {
    let compact = best.postcode.replace(' ', "");
    let found: Vec<String> = searchable_fields(best, &compact)
        .iter()
        .flat_map(|field| words(field))
        .collect();
    let typed = words(query);
    let mut changed = false;
    let corrected: Vec<String> = typed
        .iter()
        .map(|term| {
            if found.iter().any(|w| w.starts_with(term.as_str())) {
                return term.clone();
            }
            let nearest = found.iter().min_by_key(|w| {
                // A typo in a prefix ("shrewsb" for "shrewsbury") is measured against the
                // word's start of the same length, not the whole word.
                let start: String = w.chars().take(term.chars().count()).collect();
                strsim::damerau_levenshtein(term, &start).min(strsim::damerau_levenshtein(term, w))
            });
            match nearest {
                Some(w) => {
                    changed = true;
                    w.clone()
                }
                None => term.clone(),
            }
        })
        .collect();
    changed.then(|| corrected.join(" "))
}

/// The panel saying which query the results are for, when it is not the one typed.
pub fn correction_panel(typed: &str, corrected: String) -> impl leptos::IntoView {
    use leptos::prelude::*;
    view! {
        <p class="panel" data-testid="correction">
            {format!(
                "Showing results for \u{201c}{corrected}\u{201d}: nothing matches \u{201c}{}\u{201d} exactly.",
                typed.trim()
            )}
        </p>
    }
}
