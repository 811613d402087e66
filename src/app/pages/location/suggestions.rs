//! The solver's answers, grouped for reading: ten near-identical "Safe and Caring to
//! outstanding", "Safe and Effective to outstanding", … lines read as one, "any two of Safe,
//! Effective, Caring, Responsive, Well-led to outstanding".

use cqc_engine::model::{quality_statement, Rating};
use cqc_engine::whatif::{Edit, Solution};

/// One line of advice: a sentence and the solutions it stands for (each can be tried).
pub struct Suggestion {
    pub sentence: String,
    pub solutions: Vec<Solution>,
}

/// What one edit changes and to what, without where it starts from: the grouping key.
fn item_and_target(edit: &Edit) -> Option<(String, String)> {
    match *edit {
        Edit::KqRating {
            key_question,
            rating,
        } => Some((
            key_question.label().to_string(),
            Rating::plain_label(rating).to_lowercase(),
        )),
        Edit::StatementScore { id, score } => Some((
            quality_statement(id)
                .map(|d| d.title)
                .unwrap_or("an unknown statement")
                .to_string(),
            format!("a score of {score}"),
        )),
        Edit::KqDate { .. } | Edit::Breach(_) | Edit::Limiter { .. } => None,
    }
}

fn number_word(n: usize) -> String {
    const WORDS: [&str; 10] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// Fewer lines than this read well one by one ("Safe …; Well-led …"); from this many, the
/// group's one sentence reads better.
const GROUP_FROM: usize = 3;

fn choose(n: usize, k: usize) -> usize {
    (0..k).fold(1, |acc, i| acc * (n - i) / (i + 1))
}

/// Groups solutions that change the same number of inputs to the same value and, together,
/// are every combination of the inputs they touch. Anything else keeps its own line.
pub fn group(solutions: Vec<Solution>) -> Vec<Suggestion> {
    let mut groups: Vec<(usize, String, Vec<String>, Vec<Solution>)> = Vec::new();
    let mut single: Vec<Suggestion> = Vec::new();
    for solution in solutions {
        let keyed: Option<Vec<(String, String)>> =
            solution.edits.iter().map(item_and_target).collect();
        let Some(keyed) = keyed.filter(|k| !k.is_empty()) else {
            single.push(Suggestion {
                sentence: solution.descriptions.join("; "),
                solutions: vec![solution],
            });
            continue;
        };
        let target = keyed[0].1.clone();
        if keyed.iter().any(|(_, t)| *t != target) {
            single.push(Suggestion {
                sentence: solution.descriptions.join("; "),
                solutions: vec![solution],
            });
            continue;
        }
        let size = keyed.len();
        let entry = groups
            .iter_mut()
            .find(|(n, t, _, _)| *n == size && *t == target);
        let entry = match entry {
            Some(e) => e,
            None => {
                groups.push((size, target.clone(), Vec::new(), Vec::new()));
                let last = groups.len() - 1;
                &mut groups[last]
            }
        };
        for (item, _) in keyed {
            if !entry.2.contains(&item) {
                entry.2.push(item);
            }
        }
        entry.3.push(solution);
    }
    let mut out: Vec<Suggestion> = Vec::new();
    for (size, target, items, members) in groups {
        let complete = members.len() == choose(items.len(), size);
        if members.len() >= GROUP_FROM && complete {
            out.push(Suggestion {
                sentence: format!(
                    "any {} of {} to {target}",
                    number_word(size),
                    items.join(", ")
                ),
                solutions: members,
            });
        } else {
            out.extend(members.into_iter().map(|m| Suggestion {
                sentence: m.descriptions.join("; "),
                solutions: vec![m],
            }));
        }
    }
    out.extend(single);
    out
}
