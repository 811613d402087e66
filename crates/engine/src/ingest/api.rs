//! CQC's API location responses (`/locations/{id}`, JSON): identity, current ratings (location,
//! key questions, core services / population groups, inherited flags) and the single
//! assessment framework `assessment` block with its quality-statement scores. Only the fields
//! needed are read; `regulatedActivities[].contacts` (registered managers' names) never is.
//! Registration, history, commentary and facts are read by `api_detail`.

use super::api_detail::{ApiAsgCommentary, ApiDetail};
use super::report::IngestIssue;
use crate::model::{
    parse_cqc_date, Domain, KeyQuestion, Location, NotRatedKind, PublishedRating, RatingValue,
    SafAssessment, SafKeyQuestion, SafStatement, OVERALL_GROUP,
};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiLocation {
    location_id: String,
    name: String,
    provider_id: String,
    #[serde(rename = "type")]
    location_type: String,
    care_home: String,
    postal_address_line1: String,
    postal_address_town_city: String,
    postal_code: String,
    local_authority: String,
    region: String,
    brand_id: Option<String>,
    brand_name: Option<String>,
    inspection_categories: Vec<ApiCategory>,
    current_ratings: Option<ApiCurrentRatings>,
    assessment: Vec<ApiAssessment>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApiCategory {
    name: String,
    primary: String,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiCurrentRatings {
    overall: Option<ApiRating>,
    service_ratings: Vec<ApiRating>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiRating {
    name: String,
    rating: String,
    report_date: String,
    organisation_id: Option<String>,
    key_question_ratings: Vec<ApiRating>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiAssessment {
    /// When CQC published the assessment ("2024-08-08 10:47:58"): the date of its ratings.
    assessment_plan_published_date_time: String,
    ratings: ApiAssessmentRatings,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiAssessmentRatings {
    asg_ratings: Vec<ApiAsg>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiAsg {
    assessment_plan_id: String,
    assessment_date: String,
    commentary_date: String,
    name: String,
    rating: String,
    key_question_ratings: Vec<ApiSafKq>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiSafKq {
    name: String,
    rating: String,
    percentage_score: String,
    status: String,
    commentary_date: String,
    topicareas: Vec<ApiStatement>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiStatement {
    quality_statement_id: String,
    #[serde(rename = "qualityStatementscore")]
    quality_statement_score: String,
    status: String,
}

/// Reads one API location response. A response that is not a location, or whose content is
/// unusable, is one reported record.
pub fn read_api_location(file: &str, bytes: &[u8]) -> Result<Location, IngestIssue> {
    // Parsed once; the ratings, the detail and the commentary are each read from the tree.
    let tree = parse(bytes).map_err(|e| unreadable(file, &e))?;
    location_from_tree(file, &tree)
}

/// An API response: a provider's, or else read as a location's.
pub fn read_api_response(file: &str, bytes: &[u8]) -> super::FileContent {
    use super::api_provider::{is_provider_response, read_api_provider};
    use super::FileContent;
    let location = match parse(bytes) {
        Ok(tree) if is_provider_response(&tree) => {
            return FileContent::ApiProvider(Box::new(read_api_provider(file, &tree)))
        }
        Ok(tree) => location_from_tree(file, &tree),
        // Unreadable JSON cannot say whether it was a location's or a provider's; it is counted
        // with the location responses, the usual kind, and its message names neither.
        Err(e) => Err(unreadable(file, &e)),
    };
    FileContent::ApiLocation(Box::new(location))
}

/// The JSON tree of a response. A byte-order mark is not JSON, but editors on Windows write
/// one; what follows it is read.
fn parse(bytes: &[u8]) -> Result<serde_json::Value, serde_json::Error> {
    serde_json::from_slice(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
}

/// The one issue of a response that is JSON but not a location's.
fn not_a_location(file: &str, e: &serde_json::Error) -> IngestIssue {
    whole_file_issue(file, e, "is not a CQC API location response (JSON)")
}

/// The one issue of a file that is not readable JSON at all (truncated, not JSON).
fn unreadable(file: &str, e: &serde_json::Error) -> IngestIssue {
    whole_file_issue(file, e, "is not readable JSON, so not a CQC API response")
}

fn whole_file_issue(file: &str, e: &serde_json::Error, expected: &str) -> IngestIssue {
    IngestIssue {
        file: file.into(),
        row: None,
        column: None,
        value: e.to_string().chars().take(200).collect(),
        expected: expected.into(),
    }
}

/// A location response, parsed.
fn location_from_tree(file: &str, tree: &serde_json::Value) -> Result<Location, IngestIssue> {
    let issue = |column: Option<&str>, value: &str, expected: &str| IngestIssue {
        file: file.into(),
        row: None,
        column: column.map(String::from),
        value: value.chars().take(200).collect(),
        expected: expected.into(),
    };
    let api = ApiLocation::deserialize(tree).map_err(|e| not_a_location(file, &e))?;
    if api.location_id.is_empty() {
        return Err(issue(
            Some("locationId"),
            "",
            "is missing; expected a CQC location id",
        ));
    }
    let mut ratings = Vec::new();
    if let Some(current) = &api.current_ratings {
        if let Some(overall) = &current.overall {
            push_rating(&mut ratings, OVERALL_GROUP, Domain::Overall, overall, file)?;
            for kq in &overall.key_question_ratings {
                let domain = Domain::parse(&kq.name).ok_or_else(|| {
                    issue(
                        Some("keyQuestionRatings.name"),
                        &kq.name,
                        "is not a key question",
                    )
                })?;
                push_rating(&mut ratings, OVERALL_GROUP, domain, kq, file)?;
            }
        }
        for service in &current.service_ratings {
            push_rating(&mut ratings, &service.name, Domain::Overall, service, file)?;
            for kq in &service.key_question_ratings {
                if let Some(domain) = Domain::parse(&kq.name) {
                    let dated = ApiRating {
                        report_date: if kq.report_date.is_empty() {
                            service.report_date.clone()
                        } else {
                            kq.report_date.clone()
                        },
                        name: kq.name.clone(),
                        rating: kq.rating.clone(),
                        organisation_id: kq.organisation_id.clone(),
                        key_question_ratings: Vec::new(),
                    };
                    push_rating(&mut ratings, &service.name, domain, &dated, file)?;
                }
            }
        }
    }
    let assessments = api
        .assessment
        .iter()
        .flat_map(|a| {
            let published = parse_cqc_date(&a.assessment_plan_published_date_time);
            a.ratings
                .asg_ratings
                .iter()
                .map(move |asg| (asg, published))
        })
        .map(|(asg, published)| read_asg(asg, published, file))
        .collect::<Result<Vec<_>, _>>()?;
    // An assessment's ratings are published ratings like the Latest ratings file's: the
    // location's own when it has one service group, else that group's (CQC rates each service
    // of a multi-service location apart and shows the location as "Not Rated").
    let own_group = assessments.len() == 1;
    for assessment in &assessments {
        let group = if own_group {
            OVERALL_GROUP
        } else {
            assessment.service_group.as_str()
        };
        ratings.extend(assessment.rating_rows(group));
    }
    let category = api
        .inspection_categories
        .iter()
        .find(|c| c.primary.eq_ignore_ascii_case("true"))
        .or(api.inspection_categories.first())
        .map(|c| c.name.clone())
        .unwrap_or_default();
    let commentary = api
        .assessment
        .iter()
        .zip(asg_trees(tree))
        .flat_map(|(a, asgs)| a.ratings.asg_ratings.iter().zip(asgs))
        .filter_map(|(asg, asg_tree)| {
            let words = ApiAsgCommentary::deserialize(asg_tree).ok()?;
            Some(words.commentary(&asg.assessment_plan_id))
        })
        .flatten()
        .collect();
    // A detail of an unexpected shape as a whole (not an object) leaves the detail empty; its
    // fields are each optional.
    let detail = ApiDetail::deserialize(tree)
        .unwrap_or_default()
        .into_detail(commentary);
    Ok(Location {
        detail,
        report_url: Some(format!(
            "https://www.cqc.org.uk/location/{}",
            api.location_id
        )),
        id: api.location_id,
        name: api.name,
        provider_id: api.provider_id,
        provider_name: String::new(),
        brand_id: api.brand_id.filter(|b| !b.is_empty() && b != "-"),
        brand_name: api.brand_name.filter(|b| !b.is_empty() && b != "-"),
        location_type: api.location_type,
        inspection_category: category,
        care_home: api.care_home.eq_ignore_ascii_case("Y"),
        street: api.postal_address_line1,
        city: api.postal_address_town_city,
        postcode: api.postal_code,
        local_authority: api.local_authority,
        region: api.region,
        ratings,
        assessments,
    })
}

/// The `asgRatings` arrays of each assessment, as JSON, in the order `ApiLocation` reads them.
fn asg_trees(tree: &serde_json::Value) -> impl Iterator<Item = &[serde_json::Value]> {
    tree.get("assessment")
        .and_then(|a| a.as_array())
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|a| {
            a.pointer("/ratings/asgRatings")
                .and_then(|r| r.as_array())
                .map(|r| r.as_slice())
                .unwrap_or_default()
        })
}

fn push_rating(
    out: &mut Vec<PublishedRating>,
    group: &str,
    domain: Domain,
    rating: &ApiRating,
    file: &str,
) -> Result<(), IngestIssue> {
    let value = RatingValue::parse(&rating.rating).ok_or_else(|| IngestIssue {
        file: file.into(),
        row: None,
        column: Some("rating".into()),
        value: rating.rating.clone(),
        expected: "is not a CQC rating".into(),
    })?;
    out.push(PublishedRating {
        group: group.to_string(),
        domain,
        value,
        published: parse_cqc_date(&rating.report_date),
        report_type: None,
        inherited: rating
            .organisation_id
            .as_deref()
            .is_some_and(|o| !o.is_empty()),
    });
    Ok(())
}

/// One assessment service group's ratings, dated by its assessment's publication (`published`)
/// or, when the response does not give that, by CQC's commentary on it.
fn read_asg(
    asg: &ApiAsg,
    published: Option<crate::model::Date>,
    file: &str,
) -> Result<SafAssessment, IngestIssue> {
    let issue = |column: &str, value: &str, expected: &str| IngestIssue {
        file: file.into(),
        row: None,
        column: Some(column.into()),
        value: value.into(),
        expected: expected.into(),
    };
    let mut key_questions = Vec::new();
    for kq in &asg.key_question_ratings {
        let key_question = KeyQuestion::parse(&kq.name)
            .ok_or_else(|| issue("keyQuestionRatings.name", &kq.name, "is not a key question"))?;
        let mut statements = Vec::new();
        for st in &kq.topicareas {
            let id: u8 = st
                .quality_statement_id
                .trim()
                .parse()
                .ok()
                .filter(|id| crate::model::quality_statement(*id).is_some())
                .ok_or_else(|| {
                    issue(
                        "qualityStatementId",
                        &st.quality_statement_id,
                        "is not a quality statement id (1–34)",
                    )
                })?;
            // "3 - Evidence shows a good standard of care" → 3; "Regulations met" → unrated.
            let text = st.quality_statement_score.trim();
            let (score, unrated) = match text
                .split(" - ")
                .next()
                .and_then(|n| n.trim().parse::<u8>().ok())
            {
                Some(s @ 1..=4) => (Some(s), None),
                Some(_) => {
                    return Err(issue(
                        "qualityStatementscore",
                        text,
                        "is not a score from 1 to 4",
                    ))
                }
                None => match RatingValue::parse(text) {
                    Some(RatingValue::Unrated(kind)) => (None, Some(kind)),
                    _ if text.is_empty() => (None, Some(NotRatedKind::NoPublishedRating)),
                    _ => {
                        return Err(issue(
                            "qualityStatementscore",
                            text,
                            "is not a score (1–4) or a not-rated state",
                        ))
                    }
                },
            };
            statements.push(SafStatement {
                id,
                score,
                unrated,
                assessed: st.status.eq_ignore_ascii_case("Assessed"),
            });
        }
        statements.sort_by_key(|s| s.id);
        key_questions.push(SafKeyQuestion {
            key_question,
            rating: RatingValue::parse(&kq.rating),
            percentage: kq.percentage_score.trim().parse().ok(),
            assessed: kq.status.eq_ignore_ascii_case("Assessed"),
            date: parse_cqc_date(&kq.commentary_date),
            statements,
        });
    }
    key_questions.sort_by_key(|k| k.key_question);
    Ok(SafAssessment {
        plan_id: asg.assessment_plan_id.clone(),
        service_group: asg.name.clone(),
        assessment_date: parse_cqc_date(&asg.assessment_date),
        published: published.or_else(|| parse_cqc_date(&asg.commentary_date)),
        rating: RatingValue::parse(&asg.rating),
        key_questions,
    })
}
