//! A location as CQC publishes it (identity, address, published ratings, SAF assessment), and
//! the snapshot the site loads: every location plus where the data came from.

use super::{Date, Domain, NotRatedKind, RatingValue};
use serde::{Deserialize, Serialize};

/// The `Service / Population Group` value of a location's own ratings.
pub const OVERALL_GROUP: &str = "Overall";

/// Bumped whenever the snapshot's shape changes; the decoder refuses other versions.
pub const SNAPSHOT_FORMAT_VERSION: u32 = 4;

/// One row of CQC's Latest ratings: a rating for one service group and domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedRating {
    /// "Overall" for the location's own ratings; else a core service, population group or
    /// sector group ("Surgery", "Older people", "Care Homes", …).
    pub group: String,
    pub domain: Domain,
    pub value: RatingValue,
    pub published: Option<Date>,
    pub report_type: Option<String>,
    pub inherited: bool,
}

impl PublishedRating {
    /// Whether this is one of the location's own ratings (group "Overall"), not a service's.
    /// Compared as a fixed-length array: the national audit asks it of every rating row, and a
    /// slice comparison is a call to `memcmp` (most of a row's cost in WASM).
    #[inline]
    pub fn is_overall(&self) -> bool {
        const OVERALL: &[u8; OVERALL_GROUP.len()] = OVERALL_GROUP.as_bytes().first_chunk().unwrap();
        <&[u8; OVERALL_GROUP.len()]>::try_from(self.group.as_bytes()).is_ok_and(|g| g == OVERALL)
    }
}

/// One quality statement of a published SAF assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafStatement {
    pub id: u8,
    /// 1–4, or `None` with `unrated` set (e.g. "Regulations met").
    pub score: Option<u8>,
    pub unrated: Option<NotRatedKind>,
    pub assessed: bool,
}

/// One key question of a published SAF assessment, with CQC's published percentage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafKeyQuestion {
    pub key_question: super::KeyQuestion,
    pub rating: Option<RatingValue>,
    /// CQC's published "scored NN (out of 100)".
    pub percentage: Option<u8>,
    pub assessed: bool,
    pub date: Option<Date>,
    pub statements: Vec<SafStatement>,
}

/// A single-assessment-framework assessment from CQC's API (`assessment[].ratings.asgRatings[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SafAssessment {
    pub plan_id: String,
    pub service_group: String,
    pub assessment_date: Option<Date>,
    pub published: Option<Date>,
    pub rating: Option<RatingValue>,
    pub key_questions: Vec<SafKeyQuestion>,
}

/// The report type of the rating rows made from a single-assessment-framework assessment (see
/// [`SafAssessment::rating_rows`]).
pub const ASSESSMENT_REPORT_TYPE: &str = "Assessment";

impl SafAssessment {
    /// This assessment's published ratings as rating rows like any other, so that every page,
    /// the audit, the exports and the JS API read them as they read the Latest ratings file's:
    /// its rating and each key question's, under `group`, dated by the assessment's
    /// publication (as a Latest ratings row is dated by its report's).
    pub fn rating_rows(&self, group: &str) -> Vec<PublishedRating> {
        let row = |domain: Domain, value: RatingValue| PublishedRating {
            group: group.to_string(),
            domain,
            value,
            published: self.published,
            report_type: Some(ASSESSMENT_REPORT_TYPE.to_string()),
            inherited: false,
        };
        let overall = self.rating.map(|value| row(Domain::Overall, value));
        let key_questions = self.key_questions.iter().filter_map(|kq| {
            kq.rating
                .map(|value| row(Domain::KeyQuestion(kq.key_question), value))
        });
        overall.into_iter().chain(key_questions).collect()
    }
}

/// A CQC-registered location with its published ratings. No personal names are ever stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Location {
    pub id: String,
    pub name: String,
    pub provider_id: String,
    pub provider_name: String,
    pub brand_id: Option<String>,
    pub brand_name: Option<String>,
    pub location_type: String,
    pub inspection_category: String,
    pub care_home: bool,
    pub street: String,
    pub city: String,
    pub postcode: String,
    pub local_authority: String,
    pub region: String,
    pub report_url: Option<String>,
    pub ratings: Vec<PublishedRating>,
    pub assessments: Vec<SafAssessment>,
    /// Registration, history, CQC's commentary and facts, where the data has them.
    pub detail: super::LocationDetail,
}

/// A location's own published ratings, by domain (see [`Location::own_ratings`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct OwnRatings<'a> {
    key_questions: [Option<&'a PublishedRating>; 5],
    pub overall: Option<&'a PublishedRating>,
    /// Whether the location has rating rows of its services too (a core service, population
    /// group or sector group's): the audit's service level reads them only then.
    pub has_service_rows: bool,
}

impl<'a> OwnRatings<'a> {
    pub fn key_question(&self, kq: super::KeyQuestion) -> Option<&'a PublishedRating> {
        self.key_questions[kq as usize]
    }
}

impl Location {
    /// The location's own published rating for a domain (service group "Overall"). Where
    /// there are several (a Latest ratings row and a newer assessment's), the newest: CQC's
    /// current rating is its latest published one. Among equally dated rows, the first.
    pub fn published(&self, domain: Domain) -> Option<&PublishedRating> {
        self.ratings
            .iter()
            .filter(|r| r.domain == domain && r.is_overall())
            .fold(None, newer)
    }

    /// The assessment a published rating row was made from (see [`SafAssessment::rating_rows`]),
    /// if it was made from one.
    pub fn assessment_behind(&self, rating: &PublishedRating) -> Option<&SafAssessment> {
        // Most locations have no assessment: no report type is compared for them.
        if self.assessments.is_empty()
            || rating.report_type.as_deref() != Some(ASSESSMENT_REPORT_TYPE)
        {
            return None;
        }
        self.assessments
            .iter()
            .find(|a| a.published == rating.published && a.rating == Some(rating.value))
    }

    /// Every one of the location's own published ratings for a domain, newest first: more
    /// than one when a Latest ratings row and an assessment both give one.
    pub fn published_all(&self, domain: Domain) -> Vec<&PublishedRating> {
        let mut rows: Vec<&PublishedRating> = self
            .ratings
            .iter()
            .filter(|r| r.domain == domain && r.is_overall())
            .collect();
        crate::order::sort_by_key(&mut rows, |r| std::cmp::Reverse(r.published));
        rows
    }

    /// The location's own published ratings (service group "Overall") for every domain, in one
    /// pass over its rating rows: the national audit reads all six for every location, and a
    /// hospital has dozens of rows. Each is what [`Location::published`] gives.
    pub fn own_ratings(&self) -> OwnRatings<'_> {
        let mut own = OwnRatings::default();
        for r in &self.ratings {
            if !r.is_overall() {
                own.has_service_rows = true;
                continue;
            }
            let slot = match r.domain {
                Domain::KeyQuestion(kq) => &mut own.key_questions[kq as usize],
                Domain::Overall => &mut own.overall,
            };
            // The newest row wins, as in `published`.
            *slot = newer(*slot, r);
        }
        own
    }

    /// Whether the location still operates as far as the data says (not deregistered, not
    /// dormant): counts of current ratings include only these unless asked otherwise.
    pub fn is_current(&self) -> bool {
        self.detail.registration.is_current()
    }

    /// The link to CQC's report, only if it points at cqc.org.uk (upgraded to https): data
    /// from a dropped file must not be able to link anywhere else, least of all `javascript:`.
    pub fn report_link(&self) -> Option<String> {
        let url = self.report_url.as_deref()?.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..host_end];
        let allowed = host == "www.cqc.org.uk" || host == "cqc.org.uk";
        let clean = !rest.chars().any(|c| c.is_control() || c.is_whitespace());
        (allowed && clean).then(|| format!("https://{rest}"))
    }

    /// The core services / population groups with ratings, in first-seen order.
    pub fn service_groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for r in &self.ratings {
            if !r.is_overall() && !groups.contains(&r.group.as_str()) {
                groups.push(&r.group);
            }
        }
        groups
    }
}

/// The newer of a rating kept so far and the next one; the one kept so far on equal dates.
fn newer<'a>(
    kept: Option<&'a PublishedRating>,
    next: &'a PublishedRating,
) -> Option<&'a PublishedRating> {
    match kept {
        Some(k) if k.published >= next.published => Some(k),
        _ => Some(next),
    }
}

/// Where a snapshot's data came from, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SnapshotMeta {
    pub format_version: u32,
    /// The newest publication date in the data: the data's own date.
    pub data_date: Option<Date>,
    /// One line per input file: name and what it is.
    pub sources: Vec<String>,
    pub licence: String,
    /// Input rows read, accepted and reported, summed over all files.
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_reported: u64,
}

/// Everything the site loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Snapshot {
    pub meta: SnapshotMeta,
    pub locations: Vec<Location>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_url(url: &str) -> Location {
        Location {
            report_url: Some(url.into()),
            ..Location::default()
        }
    }

    #[test]
    fn own_ratings_match_published_for_every_domain() {
        use crate::model::{KeyQuestion, Rating};
        let row = |group: &str, domain, rating| PublishedRating {
            group: group.into(),
            domain,
            value: RatingValue::Rated(rating),
            published: None,
            report_type: None,
            inherited: false,
        };
        let safe = Domain::KeyQuestion(KeyQuestion::Safe);
        let location = Location {
            ratings: vec![
                row("Surgery", safe, Rating::Inadequate),
                row(OVERALL_GROUP, safe, Rating::Good),
                // A repeated row: the first one counts, in both.
                row(OVERALL_GROUP, safe, Rating::Outstanding),
                row(OVERALL_GROUP, Domain::Overall, Rating::RequiresImprovement),
                row(
                    "Surgery",
                    Domain::KeyQuestion(KeyQuestion::Caring),
                    Rating::Good,
                ),
            ],
            ..Location::default()
        };
        let own = location.own_ratings();
        assert_eq!(own.overall, location.published(Domain::Overall));
        for kq in KeyQuestion::ALL {
            assert_eq!(
                own.key_question(kq),
                location.published(Domain::KeyQuestion(kq)),
                "{kq:?}"
            );
        }
        assert_eq!(
            own.key_question(KeyQuestion::Safe).map(|r| r.value),
            Some(RatingValue::Rated(Rating::Good))
        );
    }

    #[test]
    fn report_links_go_only_to_cqc_over_https() {
        assert_eq!(
            with_url("http://www.cqc.org.uk/location/1-556658867")
                .report_link()
                .as_deref(),
            Some("https://www.cqc.org.uk/location/1-556658867")
        );
        assert!(with_url("https://cqc.org.uk/location/x")
            .report_link()
            .is_some());
        for hostile in [
            "javascript:alert(1)",
            "https://www.cqc.org.uk.evil.example/location",
            "https://evil.example/?https://www.cqc.org.uk/",
            "https://www.cqc.org.uk@evil.example/",
            "data:text/html,<script>alert(1)</script>",
            "https://www.cqc.org.uk/loc ation",
            "//www.cqc.org.uk/location",
        ] {
            assert_eq!(with_url(hostile).report_link(), None, "{hostile}");
        }
    }
}
