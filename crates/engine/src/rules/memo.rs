//! [`rate_verdict`] remembered across locations, for the national audit. Most locations' evidence
//! is their five published key-question ratings and nothing else (no statement scores, no breach,
//! no limiter), and few of their combinations are distinct: 98 among the 60,000 locations of the
//! national-scale benchmark data, 68 among the bundled real data's 707. The rules' outcome for such
//! evidence depends on the ratings alone; the dates only pass through (each key question's date,
//! and the evidence age worked out from them). So the outcome is worked out once per combination,
//! by [`rate_verdict`] itself, and each location gets it with its own dates put back.

use super::age::{evidence_dates, WeightedDate};
use super::engine::{rate_verdict, RateError};
use super::evidence::Evidence;
use super::params::RuleParams;
use super::result::Explanation;
use super::sets::RuleSetId;
use crate::model::{KeyQuestion, NotRatedKind, Rating, RatingValue};
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

/// [`rate_verdict`] under one set of parameters, remembering each combination of ratings met.
pub struct VerdictMemo<'p> {
    params: &'p RuleParams,
    known: FxHashMap<u32, Explanation>,
    /// The last outcome of evidence that is not ratings alone, rated in full.
    other: Option<Explanation>,
}

impl<'p> VerdictMemo<'p> {
    pub fn new(params: &'p RuleParams) -> Self {
        VerdictMemo {
            params,
            known: FxHashMap::default(),
            other: None,
        }
    }

    /// Exactly what [`rate_verdict`] gives for `evidence` under the memo's parameters. Lent, not
    /// given: a remembered outcome is given `evidence`'s dates where it is kept, since copying
    /// it out cost as much as working it out again.
    pub fn rate(&mut self, evidence: &Evidence) -> Result<&Explanation, RateError> {
        let Some(key) = ratings_only_key(evidence) else {
            return Ok(self.other.insert(rate_verdict(evidence, self.params)?));
        };
        let known = match self.known.entry(key) {
            Entry::Occupied(known) => {
                let known = known.into_mut();
                redate(known, evidence);
                known
            }
            Entry::Vacant(new) => new.insert(rate_verdict(evidence, self.params)?),
        };
        Ok(known)
    }
}

/// For evidence that is its key questions' published ratings alone, listed in order, the
/// rule set and each key question's (value, inherited) packed in a number; otherwise `None`,
/// and the evidence is rated in full. Nothing else the rules read can differ between two
/// locations with the same key: the dates are put back by [`redate`].
fn ratings_only_key(evidence: &Evidence) -> Option<u32> {
    let ratings_only = !evidence.breach
        && evidence.limiters.is_empty()
        && evidence.key_questions.len() == KeyQuestion::ALL.len()
        && evidence
            .key_questions
            .iter()
            .zip(KeyQuestion::ALL)
            .all(|(k, kq)| k.key_question == kq && k.statements.is_empty());
    if !ratings_only {
        return None;
    }
    // Two bits of rule set, then six per key question: present, inherited, and the value in
    // four bits ([`value_code`]).
    let mut key = match evidence.rule_set {
        RuleSetId::G1Kloe => 0,
        RuleSetId::G2SafEvidenceCategories => 1,
        RuleSetId::G3SafQualityStatements => 2,
        RuleSetId::G4Draft2026 => 3,
    };
    for k in &evidence.key_questions {
        let code = match &k.rating {
            None => 0,
            Some(r) => 0b10_0000 | (u32::from(r.inherited) << 4) | value_code(r.value),
        };
        key = key << 6 | code;
    }
    Some(key)
}

/// A published value in four bits, each its own: spelt out so that a new kind of value cannot
/// share another's code unnoticed (the match would not compile).
fn value_code(value: RatingValue) -> u32 {
    match value {
        RatingValue::Rated(Rating::Outstanding) => 0,
        RatingValue::Rated(Rating::Good) => 1,
        RatingValue::Rated(Rating::RequiresImprovement) => 2,
        RatingValue::Rated(Rating::Inadequate) => 3,
        RatingValue::Unrated(NotRatedKind::NotRated) => 4,
        RatingValue::Unrated(NotRatedKind::InspectedButNotRated) => 5,
        RatingValue::Unrated(NotRatedKind::InsufficientEvidence) => 6,
        RatingValue::Unrated(NotRatedKind::RegulationsMet) => 7,
        RatingValue::Unrated(NotRatedKind::RegulationsNotMet) => 8,
        RatingValue::Unrated(NotRatedKind::NotApplicable) => 9,
        RatingValue::Unrated(NotRatedKind::NoPublishedRating) => 10,
        RatingValue::Unrated(NotRatedKind::Suspended) => 11,
        RatingValue::Unrated(NotRatedKind::UnderAppeal) => 12,
    }
}

/// Gives a remembered outcome `evidence`'s dates: each key question's, and the evidence age's,
/// worked out by the one function that works it out for every rating. In evidence of ratings
/// alone each key question's evidence is one dated piece (a legacy rating) or statements seeded
/// from its rating and dated as it (SAF), and only the rated key questions left in the overall
/// count; their shares do not move the dates.
fn redate(explanation: &mut Explanation, evidence: &Evidence) {
    let mut pieces: smallvec::SmallVec<[WeightedDate; KeyQuestion::ALL.len()]> =
        smallvec::SmallVec::new();
    for (result, given) in explanation
        .key_questions
        .iter_mut()
        .zip(&evidence.key_questions)
    {
        result.published_date = given.rating.as_ref().and_then(|r| r.published);
        if result.rating.is_some() && result.excluded_because.is_none() {
            pieces.push(WeightedDate {
                date: result.published_date,
                weight: 1.0,
                scenario: false,
            });
        }
    }
    explanation.evidence_age = evidence_dates(&pieces, evidence.as_of);
}
