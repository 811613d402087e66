//! The four rating levels and the non-rated states that must never enter an aggregation.

use serde::{Deserialize, Serialize};
use std::fmt;

/// CQC's four rating levels. The discriminants are the ordinal CQC's single assessment framework
/// uses for scores (1–4), so `Rating as u8` is also the seed score of a rating (spec §2.1, §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    Inadequate = 1,
    RequiresImprovement = 2,
    Good = 3,
    Outstanding = 4,
}

impl Rating {
    /// All levels, worst first.
    pub const ALL: [Rating; 4] = [
        Rating::Inadequate,
        Rating::RequiresImprovement,
        Rating::Good,
        Rating::Outstanding,
    ];

    /// CQC's own spelling, as on the website.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Inadequate => "Inadequate",
            Rating::RequiresImprovement => "Requires improvement",
            Rating::Good => "Good",
            Rating::Outstanding => "Outstanding",
        }
    }

    /// CQC's public definition of the level ("How we rate").
    pub fn meaning(self) -> &'static str {
        match self {
            Rating::Outstanding => "The service is performing exceptionally well.",
            Rating::Good => "The service is performing well and meeting our expectations.",
            Rating::RequiresImprovement => {
                "The service is not performing as well as it should and we have told the service how it must improve."
            }
            Rating::Inadequate => {
                "The service is performing badly and we've taken action against the person or organisation that runs it."
            }
        }
    }

    /// A short machine-friendly name for URLs and CSS classes.
    pub fn slug(self) -> &'static str {
        match self {
            Rating::Inadequate => "inadequate",
            Rating::RequiresImprovement => "ri",
            Rating::Good => "good",
            Rating::Outstanding => "outstanding",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.slug() == slug)
    }

    /// The ordinal 1–4, equal to the SAF score that represents this level.
    pub fn score(self) -> u8 {
        self as u8
    }

    pub fn from_score(score: u8) -> Option<Rating> {
        match score {
            1 => Some(Rating::Inadequate),
            2 => Some(Rating::RequiresImprovement),
            3 => Some(Rating::Good),
            4 => Some(Rating::Outstanding),
            _ => None,
        }
    }

    /// One level better, if there is one.
    pub fn up(self) -> Option<Rating> {
        Rating::from_score(self.score() + 1)
    }

    /// One level worse, if there is one.
    pub fn down(self) -> Option<Rating> {
        Rating::from_score(self.score().wrapping_sub(1))
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The states CQC publishes in place of a rating (spec §2.2). None of them is aggregated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NotRatedKind {
    NotRated,
    InspectedButNotRated,
    InsufficientEvidence,
    RegulationsMet,
    RegulationsNotMet,
    NotApplicable,
    NoPublishedRating,
    Suspended,
    UnderAppeal,
}

impl NotRatedKind {
    pub fn label(self) -> &'static str {
        match self {
            NotRatedKind::NotRated => "Not rated",
            NotRatedKind::InspectedButNotRated => "Inspected but not rated",
            NotRatedKind::InsufficientEvidence => "Insufficient evidence to rate",
            NotRatedKind::RegulationsMet => "Regulations met",
            NotRatedKind::RegulationsNotMet => "Regulations not met",
            NotRatedKind::NotApplicable => "Not applicable",
            NotRatedKind::NoPublishedRating => "No published rating",
            NotRatedKind::Suspended => "Rating suspended",
            NotRatedKind::UnderAppeal => "Under appeal",
        }
    }
}

/// The site's one word for every slot without a rating level, whatever CQC's reason (not
/// rated, not applicable, no published rating, …) or if there is no slot at all: readers saw
/// four labels for one idea. CQC's own reason stays in [`NotRatedKind::label`], for exports.
pub const NOT_RATED_LABEL: &str = "Not rated";

/// What CQC published for one rating slot: a level, or a reason there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RatingValue {
    Rated(Rating),
    Unrated(NotRatedKind),
}

impl RatingValue {
    /// Reads CQC's rating text in any of the spellings seen in its files and API ("Requires
    /// improvement", "Requires Improvement", "Not Rated", "Insufficient evidence to rate", …).
    /// Returns `None` for text it does not know: callers report it, they never guess.
    pub fn parse(text: &str) -> Option<RatingValue> {
        let folded: String = text
            .trim()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect();
        let value = match folded.as_str() {
            "outstanding" => RatingValue::Rated(Rating::Outstanding),
            "good" => RatingValue::Rated(Rating::Good),
            "requiresimprovement" => RatingValue::Rated(Rating::RequiresImprovement),
            "inadequate" => RatingValue::Rated(Rating::Inadequate),
            "notrated" => RatingValue::Unrated(NotRatedKind::NotRated),
            "inspectedbutnotrated" => RatingValue::Unrated(NotRatedKind::InspectedButNotRated),
            "insufficientevidencetorate" | "insufficientevidence" => {
                RatingValue::Unrated(NotRatedKind::InsufficientEvidence)
            }
            "regulationsmet" => RatingValue::Unrated(NotRatedKind::RegulationsMet),
            "regulationsnotmet" => RatingValue::Unrated(NotRatedKind::RegulationsNotMet),
            "notapplicable" => RatingValue::Unrated(NotRatedKind::NotApplicable),
            "nopublishedrating" => RatingValue::Unrated(NotRatedKind::NoPublishedRating),
            "ratingsuspended" | "suspended" => RatingValue::Unrated(NotRatedKind::Suspended),
            "underappeal" => RatingValue::Unrated(NotRatedKind::UnderAppeal),
            _ => return None,
        };
        Some(value)
    }

    pub fn rated(self) -> Option<Rating> {
        match self {
            RatingValue::Rated(r) => Some(r),
            RatingValue::Unrated(_) => None,
        }
    }

    /// CQC's own words for the value, as its files spell them (exports write these back).
    pub fn label(self) -> &'static str {
        match self {
            RatingValue::Rated(r) => r.label(),
            RatingValue::Unrated(k) => k.label(),
        }
    }

    /// What a reader is shown for a slot: the level's name, or [`NOT_RATED_LABEL`] for every
    /// state without a level and for a slot CQC's data does not have.
    pub fn plain_label(value: Option<RatingValue>) -> &'static str {
        match value {
            Some(RatingValue::Rated(r)) => r.label(),
            Some(RatingValue::Unrated(_)) | None => NOT_RATED_LABEL,
        }
    }

    /// CQC's reason where it says more than "not rated" ("Not applicable", "Under appeal", …),
    /// for a reader who wants the detail behind [`RatingValue::plain_label`].
    pub fn unrated_reason(self) -> Option<&'static str> {
        match self {
            RatingValue::Unrated(NotRatedKind::NotRated) | RatingValue::Rated(_) => None,
            RatingValue::Unrated(k) => Some(k.label()),
        }
    }
}

impl Rating {
    /// A rating the rules may or may not give, in the reader's words: the level, or
    /// [`NOT_RATED_LABEL`].
    pub fn plain_label(rating: Option<Rating>) -> &'static str {
        RatingValue::plain_label(rating.map(RatingValue::Rated))
    }
}

impl fmt::Display for RatingValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling_seen_in_cqc_files() {
        for (text, expected) in [
            ("Good", RatingValue::Rated(Rating::Good)),
            (
                "Requires improvement",
                RatingValue::Rated(Rating::RequiresImprovement),
            ),
            (
                "Requires Improvement",
                RatingValue::Rated(Rating::RequiresImprovement),
            ),
            ("Not Rated", RatingValue::Unrated(NotRatedKind::NotRated)),
            (
                "Insufficient evidence to rate",
                RatingValue::Unrated(NotRatedKind::InsufficientEvidence),
            ),
            (
                "Regulations met",
                RatingValue::Unrated(NotRatedKind::RegulationsMet),
            ),
            (
                "Not applicable",
                RatingValue::Unrated(NotRatedKind::NotApplicable),
            ),
            (
                "Inspected but not rated",
                RatingValue::Unrated(NotRatedKind::InspectedButNotRated),
            ),
        ] {
            assert_eq!(RatingValue::parse(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn every_state_without_a_level_reads_the_same() {
        for kind in [
            NotRatedKind::NotRated,
            NotRatedKind::NotApplicable,
            NotRatedKind::NoPublishedRating,
            NotRatedKind::InsufficientEvidence,
        ] {
            assert_eq!(
                RatingValue::plain_label(Some(RatingValue::Unrated(kind))),
                NOT_RATED_LABEL
            );
        }
        assert_eq!(RatingValue::plain_label(None), "Not rated");
        assert_eq!(Rating::plain_label(Some(Rating::Good)), "Good");
        assert_eq!(
            RatingValue::Unrated(NotRatedKind::NotApplicable).unrated_reason(),
            Some("Not applicable")
        );
        assert_eq!(
            RatingValue::Unrated(NotRatedKind::NotRated).unrated_reason(),
            None
        );
        // Exports keep CQC's own spelling.
        assert_eq!(
            RatingValue::Unrated(NotRatedKind::NotApplicable).label(),
            "Not applicable"
        );
    }

    #[test]
    fn unknown_text_is_not_guessed() {
        assert_eq!(RatingValue::parse("Gd"), None);
        assert_eq!(RatingValue::parse(""), None);
        assert_eq!(RatingValue::parse("Excellent"), None);
    }

    #[test]
    fn ordinal_matches_saf_score() {
        for r in Rating::ALL {
            assert_eq!(Rating::from_score(r.score()), Some(r));
        }
        assert_eq!(Rating::Good.up(), Some(Rating::Outstanding));
        assert_eq!(Rating::Inadequate.down(), None);
    }
}
