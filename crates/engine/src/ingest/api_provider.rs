//! CQC's API provider responses (`/providers/{id}`): the provider's name, so that locations
//! whose own response carries only a provider id (every API location response) are shown with
//! it. `contacts` (people) is never read, and the name of a provider that is an individual or a
//! partnership of individuals (`ownershipType`) is a person's name, so it is not kept either:
//! such a provider is shown by its id.

use super::report::IngestIssue;
use super::validate::{id_problem, IdKind};
use serde::Deserialize;

/// What a provider response gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRecord {
    pub id: String,
    /// `None` when the provider is an individual or a partnership (a person's name) or the
    /// response gives none.
    pub name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct ApiProvider {
    provider_id: String,
    name: String,
    ownership_type: String,
}

/// Whether an API response is a provider's rather than a location's.
pub fn is_provider_response(tree: &serde_json::Value) -> bool {
    tree.get("locationId").is_none()
        && tree.get("providerId").is_some()
        && (tree.get("organisationType").and_then(|t| t.as_str()) == Some("Provider")
            || tree.get("locationIds").is_some())
}

/// Reads one provider response (already parsed); an unusable one is one reported record.
pub fn read_api_provider(
    file: &str,
    tree: &serde_json::Value,
) -> Result<ProviderRecord, IngestIssue> {
    let issue = |column: Option<&str>, value: &str, expected: String| IngestIssue {
        file: file.into(),
        row: None,
        column: column.map(String::from),
        value: value.chars().take(200).collect(),
        expected,
    };
    let api = ApiProvider::deserialize(tree).map_err(|e| {
        issue(
            None,
            &e.to_string(),
            "is not a CQC API provider response".into(),
        )
    })?;
    let id = api.provider_id.trim();
    if let Some(problem) = id_problem(id, IdKind::Provider) {
        return Err(issue(Some("providerId"), id, problem));
    }
    let organisation = api
        .ownership_type
        .trim()
        .eq_ignore_ascii_case("Organisation");
    let name = api.name.trim();
    Ok(ProviderRecord {
        id: id.to_string(),
        name: (organisation && !name.is_empty()).then(|| name.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_organisation_keeps_its_name_and_a_person_does_not() {
        let organisation = json!({"providerId": "1-101644866", "organisationType": "Provider",
            "ownershipType": "Organisation", "name": "Ordinary Lifestyles", "locationIds": []});
        assert!(is_provider_response(&organisation));
        let record = read_api_provider("p.json", &organisation).expect("a provider");
        assert_eq!(record.name.as_deref(), Some("Ordinary Lifestyles"));
        for ownership in ["Individual", "Partnership"] {
            let person = json!({"providerId": "1-101633224", "organisationType": "Provider",
                "ownershipType": ownership, "name": "Mrs Invented Person"});
            let record = read_api_provider("p.json", &person).expect("a provider");
            assert_eq!(record.name, None, "{ownership}");
        }
    }

    #[test]
    fn a_location_response_is_not_a_provider() {
        let location = json!({"locationId": "1-5312102242", "providerId": "1-4950069705"});
        assert!(!is_provider_response(&location));
    }
}
