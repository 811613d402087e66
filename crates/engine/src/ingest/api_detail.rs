//! The parts of CQC's API location response beyond the ratings: registration status and dates,
//! dormancy, relationships, `historicRatings`, `reports`, `lastInspection`, the assessment's
//! commentary and the facts (beds, specialisms, service types, regulated activities, phone,
//! website, coordinates). Each field is optional and read leniently: a fact of an unexpected
//! shape is left out rather than costing the location its ratings.
//!
//! `regulatedActivities[].contacts` names registered managers: it is not even deserialised.

use crate::model::{
    parse_cqc_date, Commentary, CommentaryScope, Facts, HistoricRating, HistorySource, KeyQuestion,
    LocationDetail, RatingValue, Registration, RegistrationStatus, Relationship, RelationshipKind,
    Report,
};
use serde::Deserialize;
use serde_json::Value;

/// Commentary longer than this is cut (with an ellipsis): CQC's longest real texts run to a
/// few kilobytes, and a dropped file must not make one location's page megabytes long.
const MAX_COMMENTARY_CHARS: usize = 20_000;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct ApiDetail {
    registration_status: String,
    registration_date: String,
    deregistration_date: String,
    dormancy: String,
    relationships: Vec<ApiRelationship>,
    historic_ratings: Vec<ApiHistoric>,
    reports: Vec<ApiReport>,
    last_inspection: Option<ApiDated>,
    number_of_beds: Option<Value>,
    specialisms: Vec<ApiNamed>,
    gac_service_types: Vec<ApiServiceType>,
    regulated_activities: Vec<ApiNamed>,
    main_phone_number: Option<Value>,
    website: Option<Value>,
    onspd_latitude: Option<Value>,
    onspd_longitude: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiRelationship {
    related_location_id: String,
    related_location_name: String,
    #[serde(rename = "type")]
    kind: String,
    reason: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiHistoric {
    report_date: String,
    report_link_id: String,
    overall: Option<ApiHistoricOverall>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiHistoricOverall {
    rating: String,
    key_question_ratings: Vec<ApiNamedRating>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiNamedRating {
    name: String,
    rating: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiReport {
    link_id: String,
    report_date: String,
    first_visit_date: String,
    report_type: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiDated {
    date: String,
}

/// Only `name` is read: the rest (a regulated activity's `contacts`) stays unread.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiNamed {
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiServiceType {
    name: String,
    description: String,
}

/// The commentary of one assessment service group (`asgRatings[]`), read beside its ratings.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
pub(super) struct ApiAsgCommentary {
    narrative: String,
    commentary: String,
    commentary_date: String,
    overall_people_experience: String,
    overall_people_experience_date: String,
    key_question_ratings: Vec<ApiKqCommentary>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiKqCommentary {
    name: String,
    commentary: String,
    commentary_date: String,
    topicareas: Vec<ApiStatementCommentary>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiStatementCommentary {
    quality_statement_id: String,
    evidence_category: Vec<ApiEvidenceCommentary>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiEvidenceCommentary {
    evidence_category_id: String,
    commentary: String,
    commentary_date: String,
}

impl ApiDetail {
    /// The location's detail; `commentary` comes from its assessments, read apart.
    pub(super) fn into_detail(self, commentary: Vec<Commentary>) -> LocationDetail {
        let status = match self
            .registration_status
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "registered" => RegistrationStatus::Registered,
            "deregistered" => RegistrationStatus::Deregistered,
            _ => RegistrationStatus::NotStated,
        };
        let registration = Registration {
            status,
            registered: parse_cqc_date(&self.registration_date),
            deregistered: parse_cqc_date(&self.deregistration_date),
            dormant: self.dormancy.trim().eq_ignore_ascii_case("Y"),
        };
        let relationships = self
            .relationships
            .into_iter()
            .filter(|r| !r.related_location_id.trim().is_empty())
            .map(|r| Relationship {
                kind: RelationshipKind::parse(&r.kind),
                location_id: r.related_location_id.trim().to_string(),
                location_name: r.related_location_name.trim().to_string(),
                reason: r.reason.trim().to_string(),
            })
            .collect();
        let mut history: Vec<HistoricRating> = self
            .historic_ratings
            .into_iter()
            .map(|h| {
                let overall = h.overall.unwrap_or_default();
                HistoricRating {
                    report_date: parse_cqc_date(&h.report_date),
                    report_link_id: Some(h.report_link_id.trim().to_string())
                        .filter(|id| !id.is_empty()),
                    overall: RatingValue::parse(&overall.rating),
                    key_questions: overall
                        .key_question_ratings
                        .iter()
                        .filter_map(|kq| {
                            Some((
                                KeyQuestion::parse(&kq.name)?,
                                RatingValue::parse(&kq.rating)?,
                            ))
                        })
                        .collect(),
                    source: HistorySource::Api,
                }
            })
            .filter(|h| h.overall.is_some() || !h.key_questions.is_empty())
            .collect();
        history.sort_by_key(|h| std::cmp::Reverse(h.report_date));
        let mut reports: Vec<Report> = self
            .reports
            .into_iter()
            .filter(|r| !r.link_id.trim().is_empty())
            .map(|r| Report {
                link_id: r.link_id.trim().to_string(),
                date: parse_cqc_date(&r.report_date),
                first_visit: parse_cqc_date(&r.first_visit_date),
                report_type: r.report_type.trim().to_string(),
            })
            .collect();
        reports.sort_by_key(|r| std::cmp::Reverse(r.date));
        let names = |items: Vec<ApiNamed>| -> Vec<String> {
            items
                .into_iter()
                .map(|n| n.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect()
        };
        let facts = Facts {
            beds: self.number_of_beds.as_ref().and_then(number).and_then(|n| {
                (n >= 0.0 && n <= f64::from(u32::MAX) && n.fract() == 0.0).then_some(n as u32)
            }),
            specialisms: names(self.specialisms),
            service_types: self
                .gac_service_types
                .into_iter()
                .map(|t| {
                    // The description is the specific type ("Care home service with nursing");
                    // the name its family ("Nursing homes").
                    if t.description.trim().is_empty() {
                        t.name.trim().to_string()
                    } else {
                        t.description.trim().to_string()
                    }
                })
                .filter(|t| !t.is_empty())
                .collect(),
            regulated_activities: names(self.regulated_activities),
            phone: self.main_phone_number.as_ref().and_then(text),
            website: self.website.as_ref().and_then(text),
            coordinates: match (
                self.onspd_latitude.as_ref().and_then(number),
                self.onspd_longitude.as_ref().and_then(number),
            ) {
                (Some(lat), Some(lon)) => Facts::coordinates_from_degrees(lat, lon),
                _ => None,
            },
        };
        LocationDetail {
            registration,
            relationships,
            history,
            reports,
            last_inspection: self.last_inspection.and_then(|d| parse_cqc_date(&d.date)),
            commentary,
            facts,
        }
    }
}

impl ApiAsgCommentary {
    /// The commentary of one assessment service group, attributed to its plan.
    pub(super) fn commentary(&self, plan_id: &str) -> Vec<Commentary> {
        let mut out = Vec::new();
        let mut push = |scope: CommentaryScope, text: &str, date: &str| {
            let text = text.trim();
            if text.is_empty() {
                return;
            }
            out.push(Commentary {
                plan_id: plan_id.to_string(),
                scope,
                text: capped(text),
                date: parse_cqc_date(date),
            });
        };
        push(CommentaryScope::Summary, &self.narrative, "");
        push(
            CommentaryScope::Assessment,
            &self.commentary,
            &self.commentary_date,
        );
        push(
            CommentaryScope::PeoplesExperience,
            &self.overall_people_experience,
            &self.overall_people_experience_date,
        );
        for kq in &self.key_question_ratings {
            let Some(key_question) = KeyQuestion::parse(&kq.name) else {
                continue;
            };
            push(
                CommentaryScope::KeyQuestion(key_question),
                &kq.commentary,
                &kq.commentary_date,
            );
            for statement in &kq.topicareas {
                let Ok(statement_id) = statement.quality_statement_id.trim().parse::<u8>() else {
                    continue;
                };
                for category in &statement.evidence_category {
                    let Ok(category_id) = category.evidence_category_id.trim().parse::<u8>() else {
                        continue;
                    };
                    push(
                        CommentaryScope::EvidenceCategory {
                            statement: statement_id,
                            category: category_id,
                        },
                        &category.commentary,
                        &category.commentary_date,
                    );
                }
            }
        }
        out
    }
}

fn capped(text: &str) -> String {
    match text.char_indices().nth(MAX_COMMENTARY_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A JSON number, or a string holding one (`"percentageScore": "70"` shows CQC writes both).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty JSON string (or number, for a phone number sent as one), trimmed.
fn text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}
