//! The minimal-change solver and the single-slip scan.
//!
//! The overall rating depends only on the key-question ratings, and each key question only on
//! its own inputs, so the search splits in two exact stages: for every key question, the
//! cheapest way to reach each rating level; then every combination of levels (at most 4^5).
//! Cost is (number of inputs changed, total steps moved), compared in that order.

use super::{apply, describe_edit, Edit};
use crate::model::{quality_statements_for, KeyQuestion, Rating};
use crate::rules::params::{max_points, MAX_SCORE, MIN_SCORE};
use crate::rules::saf::rating_for_points;
use crate::rules::{overall_rating, rate, Evidence, RateError, RuleParams};
use serde::Serialize;

/// One cheapest way to reach the target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution {
    pub edits: Vec<Edit>,
    /// Each edit in words, same order.
    pub descriptions: Vec<String>,
    pub changes: u32,
    pub steps: u32,
    /// The overall rating the edited evidence gets.
    pub result: Rating,
}

/// A one-step drop of one input that would lower the overall rating.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Slip {
    pub edit: Edit,
    pub description: String,
    pub result: Option<Rating>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct Cost {
    changes: u32,
    steps: u32,
}

impl std::ops::Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost {
            changes: self.changes + o.changes,
            steps: self.steps + o.steps,
        }
    }
}

/// One way for a key question to end at `rating`.
#[derive(Debug, Clone)]
struct KqOption {
    rating: Rating,
    cost: Cost,
    edits: Vec<Edit>,
}

/// The smallest changes that take the overall rating to `target` (at least `target` when it is
/// above the current rating, at most when below). All options tied at the lowest cost are
/// returned; empty when the target is already met or cannot be reached by changing ratings or
/// scores (e.g. a breach caps it).
pub fn minimal_change(
    evidence: &Evidence,
    params: &RuleParams,
    target: Rating,
) -> Result<Vec<Solution>, RateError> {
    let current = rate(evidence, params)?;
    let Some(now) = current.overall else {
        return Ok(Vec::new());
    };
    if now == target {
        return Ok(Vec::new());
    }
    let upward = target > now;
    let reaches = |r: Rating| if upward { r >= target } else { r <= target };

    let mut per_kq: Vec<Vec<KqOption>> = Vec::new();
    for kq in KeyQuestion::ALL {
        let options = key_question_options(evidence, params, kq, &current)?;
        if !options.is_empty() {
            per_kq.push(options);
        }
    }

    let mut best: Option<Cost> = None;
    let mut winners: Vec<Vec<usize>> = Vec::new();
    let mut choice = vec![0usize; per_kq.len()];
    loop {
        let ratings: Vec<Rating> = choice
            .iter()
            .zip(&per_kq)
            .map(|(i, opts)| opts[*i].rating)
            .collect();
        if let Some(overall) = overall_rating(&ratings, evidence.breach, params) {
            if reaches(overall) {
                let cost = choice
                    .iter()
                    .zip(&per_kq)
                    .fold(Cost::default(), |acc, (i, opts)| acc + opts[*i].cost);
                match best {
                    Some(b) if cost > b => {}
                    Some(b) if cost == b => winners.push(choice.clone()),
                    _ => {
                        best = Some(cost);
                        winners = vec![choice.clone()];
                    }
                }
            }
        }
        if !advance(&mut choice, &per_kq) {
            break;
        }
    }

    let mut solutions = Vec::new();
    for w in winners {
        let edits: Vec<Edit> = w
            .iter()
            .zip(&per_kq)
            .flat_map(|(i, opts)| opts[*i].edits.clone())
            .collect();
        let edited = apply(evidence, &edits);
        let result = rate(&edited, params)?;
        let Some(result_rating) = result.overall else {
            continue;
        };
        let cost = w
            .iter()
            .zip(&per_kq)
            .fold(Cost::default(), |acc, (i, opts)| acc + opts[*i].cost);
        solutions.push(Solution {
            descriptions: edits.iter().map(|e| describe_edit(evidence, e)).collect(),
            edits,
            changes: cost.changes,
            steps: cost.steps,
            result: result_rating,
        });
    }
    Ok(solutions)
}

/// Odometer over the option lists; false when every combination has been visited.
fn advance(choice: &mut [usize], per_kq: &[Vec<KqOption>]) -> bool {
    for (i, opts) in per_kq.iter().enumerate() {
        choice[i] += 1;
        if choice[i] < opts.len() {
            return true;
        }
        choice[i] = 0;
    }
    false
}

/// The options of a key question whose input is its published rating: each other rating put
/// in its place. The rating the key question then has is the engine's, not assumed: under a
/// rule set that scores statements the engine seeds them from the new rating and rates them,
/// and with other bands the result can differ from the rating put in.
fn rating_options(
    evidence: &Evidence,
    params: &RuleParams,
    kq: KeyQuestion,
    now: Rating,
) -> Result<Vec<KqOption>, RateError> {
    let mut options = vec![KqOption {
        rating: now,
        cost: Cost::default(),
        edits: Vec::new(),
    }];
    for r in Rating::ALL.into_iter().filter(|r| *r != now) {
        let edit = Edit::KqRating {
            key_question: kq,
            rating: Some(r),
        };
        let result = rate(&apply(evidence, &[edit]), params)?;
        let Some(reached) = result.key_question(kq).and_then(|k| k.rating) else {
            continue;
        };
        let cost = Cost {
            changes: 1,
            steps: (r.score() as i32 - now.score() as i32).unsigned_abs(),
        };
        // One option per rating reached, the cheapest edit that reaches it.
        match options.iter_mut().find(|o| o.rating == reached) {
            Some(o) if o.cost <= cost => {}
            Some(o) => {
                o.cost = cost;
                o.edits = vec![edit];
            }
            None => options.push(KqOption {
                rating: reached,
                cost,
                edits: vec![edit],
            }),
        }
    }
    Ok(options)
}

/// For one key question, the cheapest way to end at each rating level it can reach.
fn key_question_options(
    evidence: &Evidence,
    params: &RuleParams,
    kq: KeyQuestion,
    current: &crate::explain::Explanation,
) -> Result<Vec<KqOption>, RateError> {
    let mut options = key_question_options_uncapped(evidence, params, kq, current)?;
    // A limiter set in the scenario caps whatever the edits reach (the engine applies it after
    // the key question is rated).
    if let Some((_, cap)) = crate::rules::limiters::strictest(&evidence.limiters, kq) {
        for o in &mut options {
            o.rating = o.rating.min(cap);
        }
    }
    Ok(options)
}

fn key_question_options_uncapped(
    evidence: &Evidence,
    params: &RuleParams,
    kq: KeyQuestion,
    current: &crate::explain::Explanation,
) -> Result<Vec<KqOption>, RateError> {
    let Some(result) = current.key_question(kq) else {
        return Ok(Vec::new());
    };
    let Some(now) = result.rating else {
        return Ok(Vec::new());
    };
    // Left out of the overall (an inherited rating beside new ones): changing it changes nothing.
    if result.excluded_because.is_some() {
        return Ok(Vec::new());
    }
    if evidence.rated_by_its_rating(kq) {
        return rating_options(evidence, params, kq, now);
    }
    // SAF: dynamic programme over the statements. The key-question rating depends only on the
    // sum of scores and the lowest score, so that pair is the whole state.
    let statements: Vec<(u8, u8)> = result
        .statements
        .iter()
        .filter_map(|s| s.score.map(|score| (s.id, score)))
        .collect();
    if statements.is_empty() {
        return Ok(Vec::new());
    }
    // state (sum, lowest) → (cost, new scores)
    let mut states: Vec<((u32, u8), Cost, Vec<u8>)> =
        vec![((0, MAX_SCORE), Cost::default(), Vec::new())];
    for (_, original) in &statements {
        let mut next: Vec<((u32, u8), Cost, Vec<u8>)> = Vec::new();
        for (state, cost, scores) in &states {
            for s in MIN_SCORE..=MAX_SCORE {
                let key = (state.0 + u32::from(s), state.1.min(s));
                let step = Cost {
                    changes: u32::from(s != *original),
                    steps: u32::from(s.abs_diff(*original)),
                };
                let c = *cost + step;
                match next.iter_mut().find(|(k, _, _)| *k == key) {
                    Some(entry) if entry.1 <= c => {}
                    Some(entry) => {
                        entry.1 = c;
                        entry.2 = scores.iter().copied().chain([s]).collect();
                    }
                    None => next.push((key, c, scores.iter().copied().chain([s]).collect())),
                }
            }
        }
        states = next;
    }
    let max_points = max_points(statements.len());
    let mut options: Vec<KqOption> = Vec::new();
    for ((sum, lowest), cost, scores) in states {
        let (_, rating, _) = rating_for_points(sum, max_points, lowest, params);
        let better = match options.iter().find(|o| o.rating == rating) {
            Some(o) => cost < o.cost,
            None => true,
        };
        if better {
            options.retain(|o| o.rating != rating);
            let edits = statements
                .iter()
                .zip(&scores)
                .filter(|((_, original), new)| *original != **new)
                .map(|((id, _), new)| Edit::StatementScore {
                    id: *id,
                    score: *new,
                })
                .collect();
            options.push(KqOption {
                rating,
                cost,
                edits,
            });
        }
    }
    // Statements seeded from a rating are materialised by `apply` only when edited, so a
    // key question with fewer statements than CQC defines is still handled exactly.
    debug_assert!(statements.len() <= quality_statements_for(kq).count());
    crate::order::sort_by_key(&mut options, |o| o.rating);
    Ok(options)
}

/// Every single one-step drop of one input (a key-question rating, or under SAF a statement
/// score) that would lower the overall rating.
pub fn single_slips(evidence: &Evidence, params: &RuleParams) -> Result<Vec<Slip>, RateError> {
    let current = rate(evidence, params)?;
    let Some(now) = current.overall else {
        return Ok(Vec::new());
    };
    let mut candidates = Vec::new();
    for k in &current.key_questions {
        if !evidence.rated_by_its_rating(k.key_question) {
            for s in &k.statements {
                if let Some(score) = s.score.filter(|s| *s > 1) {
                    candidates.push(Edit::StatementScore {
                        id: s.id,
                        score: score - 1,
                    });
                }
            }
        } else if let Some(lower) = k.rating.and_then(Rating::down) {
            candidates.push(Edit::KqRating {
                key_question: k.key_question,
                rating: Some(lower),
            });
        }
    }
    let mut slips = Vec::new();
    for edit in candidates {
        let result = rate(&apply(evidence, &[edit]), params)?;
        if result.overall.is_some_and(|r| r < now) {
            slips.push(Slip {
                description: describe_edit(evidence, &edit),
                edit,
                result: result.overall,
            });
        }
    }
    Ok(slips)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{KeyQuestion, RatingInput, RatingValue};
    use crate::rules::{KqEvidence, RuleSetId};

    /// Found by fuzzing (engine_input): under a statement-scoring rule set, a key question
    /// without scores is changed through its rating, and the engine rates the statements it
    /// seeds from that rating. With bands where those seeds land elsewhere (here outstanding
    /// from 44 %, so a requires-improvement seed of 2s, 50 %, is outstanding), every solution
    /// must still reach its target: the option's rating is the engine's, not the one put in.
    #[test]
    fn rating_edits_under_scoring_rules_reach_what_the_engine_gives() {
        let evidence = Evidence {
            rule_set: RuleSetId::G3SafQualityStatements,
            key_questions: KeyQuestion::ALL
                .iter()
                .map(|kq| KqEvidence {
                    key_question: *kq,
                    rating: Some(RatingInput {
                        value: RatingValue::Rated(Rating::Good),
                        published: None,
                        inherited: false,
                    }),
                    statements: Vec::new(),
                })
                .collect(),
            breach: false,
            limiters: Vec::new(),
            as_of: None,
        };
        let mut params = RuleParams::default();
        for band in params.percentage_bands.iter_mut() {
            if band.rating == Rating::Outstanding {
                band.from_percent = 44;
            }
        }
        let now = rate(&evidence, &params).unwrap().overall.unwrap();
        for target in Rating::ALL.into_iter().filter(|t| *t != now) {
            for solution in minimal_change(&evidence, &params, target).unwrap() {
                let reached = if target > now {
                    solution.result >= target
                } else {
                    solution.result <= target
                };
                assert!(reached, "{solution:?} for {target:?} from {now:?}");
            }
        }
    }
}
