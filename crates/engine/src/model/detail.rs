//! What CQC publishes about a location beside its current ratings: its registration (still
//! registered, deregistered, dormant), its predecessors and successors, every earlier rating and
//! report, CQC's own words on its assessment, and the facts people choose a service by (beds,
//! specialisms, service types, coordinates). The location page, `cqc show`, the clock and the
//! diff read it; search and the audit need none of it but the registration.
//!
//! No personal names: `regulatedActivities[].contacts` is never read, and the commentary kept
//! is CQC's published text about the service.

use super::{Date, KeyQuestion, RatingValue};
use serde::{Deserialize, Serialize};

/// Everything in this module, for one location. All of it is optional in CQC's data: the
/// Latest ratings file carries none of it, an API response most of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LocationDetail {
    pub registration: Registration,
    pub relationships: Vec<Relationship>,
    /// Earlier published ratings, newest first.
    pub history: Vec<HistoricRating>,
    /// CQC's reports on the location, newest first.
    pub reports: Vec<Report>,
    /// The date of CQC's last inspection (API `lastInspection.date`).
    pub last_inspection: Option<Date>,
    /// CQC's published words on the location's assessments.
    pub commentary: Vec<Commentary>,
    pub facts: Facts,
}

impl LocationDetail {
    /// Whether there is nothing here (a Latest ratings row's location): the snapshot stores
    /// such a location's detail in one byte.
    pub fn is_empty(&self) -> bool {
        *self == LocationDetail::default()
    }
}

/// Whether CQC's register still lists the location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RegistrationStatus {
    /// The data does not say. CQC's Latest ratings file lists registered locations only, so a
    /// location known only from it is treated as registered.
    #[default]
    NotStated,
    Registered,
    Deregistered,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Registration {
    pub status: RegistrationStatus,
    pub registered: Option<Date>,
    pub deregistered: Option<Date>,
    /// CQC's `dormancy` flag: registered, but providing no regulated activity.
    pub dormant: bool,
}

impl Registration {
    /// Whether the location still operates as far as the data says: not deregistered and not
    /// dormant. Current-rating counts include only these by default.
    pub fn is_current(&self) -> bool {
        self.status != RegistrationStatus::Deregistered && !self.dormant
    }

    /// The state in the words every page uses, `None` for a current location.
    pub fn closed_label(&self) -> Option<&'static str> {
        match (self.status, self.dormant) {
            (RegistrationStatus::Deregistered, _) => Some("Deregistered"),
            (_, true) => Some("Dormant"),
            _ => None,
        }
    }
}

/// How two registrations of the same service are related (API `relationships[].type`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum RelationshipKind {
    /// The related location is this one's predecessor ("HSCA Predecessor"): this one took the
    /// service over, and may have inherited its ratings.
    Predecessor,
    /// The related location is this one's successor ("HSCA Successor").
    Successor,
    /// Any other type CQC gives, kept as written.
    Other(String),
}

impl RelationshipKind {
    pub fn parse(text: &str) -> RelationshipKind {
        let lower = text.trim().to_ascii_lowercase();
        if lower.ends_with("predecessor") {
            RelationshipKind::Predecessor
        } else if lower.ends_with("successor") {
            RelationshipKind::Successor
        } else {
            RelationshipKind::Other(text.trim().to_string())
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relationship {
    pub kind: RelationshipKind,
    pub location_id: String,
    pub location_name: String,
    /// CQC's reason ("New Provider", "Change of legal entity", …); empty if none given.
    pub reason: String,
}

/// Where an earlier rating was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistorySource {
    /// The API's `historicRatings`.
    Api,
    /// A national overall-rating history file (one row per location and report date).
    HistoryFile,
}

/// One earlier published rating: the overall and whichever key questions CQC lists, with the
/// report it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoricRating {
    pub report_date: Option<Date>,
    /// CQC's report id (`reportLinkId`), when given: links the rating to its report.
    pub report_link_id: Option<String>,
    pub overall: Option<RatingValue>,
    pub key_questions: Vec<(KeyQuestion, RatingValue)>,
    pub source: HistorySource,
}

/// One of CQC's reports on the location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub link_id: String,
    pub date: Option<Date>,
    /// The first day of the inspection visit the report describes.
    pub first_visit: Option<Date>,
    pub report_type: String,
}

impl Report {
    /// The report on cqc.org.uk. Built from the link id, and only when that id is a plain
    /// token, so that a dropped file cannot make the page link anywhere else.
    pub fn link(&self) -> Option<String> {
        let id = self.link_id.trim();
        let plain = !id.is_empty()
            && id.len() <= 64
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        plain.then(|| format!("https://www.cqc.org.uk/reports/{id}"))
    }
}

/// What a piece of CQC's commentary is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CommentaryScope {
    /// The one-line summary of the rating ("The service is performing well …").
    Summary,
    /// The assessment's own text.
    Assessment,
    /// The summary of people's experience of the service.
    PeoplesExperience,
    KeyQuestion(KeyQuestion),
    /// One evidence category of one quality statement.
    EvidenceCategory {
        statement: u8,
        category: u8,
    },
}

/// CQC's published text, attributed to the assessment it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commentary {
    /// The assessment plan (`assessmentPlanId`) the text belongs to.
    pub plan_id: String,
    pub scope: CommentaryScope,
    pub text: String,
    pub date: Option<Date>,
}

/// The facts people choose a service by, as CQC's API gives them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Facts {
    pub beds: Option<u32>,
    /// "Dementia", "Caring for adults over 65 yrs", …
    pub specialisms: Vec<String>,
    /// CQC's service types ("Care home service with nursing", …).
    pub service_types: Vec<String>,
    /// The regulated activities' names only (their contacts are never read).
    pub regulated_activities: Vec<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// ONSPD latitude and longitude in millionths of a degree (about 10 cm), so the model stays
    /// exact and comparable.
    pub coordinates: Option<(i32, i32)>,
}

impl Facts {
    /// Whether CQC lists nursing care: a "with nursing" service type or the nursing activity.
    pub fn with_nursing(&self) -> Option<bool> {
        if self.service_types.is_empty() {
            return None;
        }
        Some(
            self.service_types
                .iter()
                .any(|t| t.to_ascii_lowercase().contains("with nursing")),
        )
    }

    /// The latitude and longitude in degrees.
    pub fn degrees(&self) -> Option<(f64, f64)> {
        self.coordinates
            .map(|(lat, lon)| (f64::from(lat) / 1e6, f64::from(lon) / 1e6))
    }

    /// Millionths of a degree from degrees; `None` outside the globe or not a number.
    pub fn coordinates_from_degrees(lat: f64, lon: f64) -> Option<(i32, i32)> {
        let ok = lat.is_finite() && lon.is_finite() && lat.abs() <= 90.0 && lon.abs() <= 180.0;
        ok.then(|| ((lat * 1e6).round() as i32, (lon * 1e6).round() as i32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_links_only_to_cqc_with_a_plain_id() {
        let report = |id: &str| Report {
            link_id: id.into(),
            date: None,
            first_visit: None,
            report_type: "Location".into(),
        };
        assert_eq!(
            report("8b7627fe-93ff-4b83-b86c-5fa1a755c1af")
                .link()
                .as_deref(),
            Some("https://www.cqc.org.uk/reports/8b7627fe-93ff-4b83-b86c-5fa1a755c1af")
        );
        assert_eq!(report("../x").link(), None);
        assert_eq!(report("a?b").link(), None);
        assert_eq!(report("").link(), None);
    }

    #[test]
    fn relationship_kinds_read_cqc_spelling() {
        assert_eq!(
            RelationshipKind::parse("HSCA Predecessor"),
            RelationshipKind::Predecessor
        );
        assert_eq!(
            RelationshipKind::parse("HSCA Successor"),
            RelationshipKind::Successor
        );
        assert_eq!(
            RelationshipKind::parse("Merged"),
            RelationshipKind::Other("Merged".into())
        );
    }

    #[test]
    fn closed_and_dormant_are_not_current() {
        let mut r = Registration::default();
        assert!(r.is_current());
        r.dormant = true;
        assert_eq!(r.closed_label(), Some("Dormant"));
        r.status = RegistrationStatus::Deregistered;
        assert!(!r.is_current());
        assert_eq!(r.closed_label(), Some("Deregistered"));
    }

    #[test]
    fn coordinates_round_trip_and_refuse_nonsense() {
        let c = Facts::coordinates_from_degrees(53.5476449, -2.116427);
        assert_eq!(c, Some((53_547_645, -2_116_427)));
        assert_eq!(Facts::coordinates_from_degrees(f64::NAN, 0.0), None);
        assert_eq!(Facts::coordinates_from_degrees(91.0, 0.0), None);
    }
}
