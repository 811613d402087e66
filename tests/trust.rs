//! The trust hypotheticals on real trusts: Shrewsbury and Telford Hospital NHS Trust in the
//! bundled Shropshire extract, and two South-West providers from CQC's API (2021 capture): Royal
//! Devon and Exeter NHS Foundation Trust and the Nuffield Health hospitals. Every expected rating
//! below was worked out by hand from the rows (the comments show the sums), so a change to the
//! principles or to which inputs count shows here as a changed figure.

use cqc_engine::ingest::read_latest_ratings;
use cqc_engine::model::{
    parse_cqc_date, Date, Domain, KeyQuestion, Location, PublishedRating, RatingValue,
    Registration, RegistrationStatus, OVERALL_GROUP,
};
use cqc_engine::rules::{RuleId, RuleParams};
use cqc_engine::trust::{
    organisation_kind, provider_spread, trust_hypothetical, InputLevel, LocationRating,
    OrganisationKind, TrustHypothetical, HYPOTHETICAL_LABEL,
};
use serde::Deserialize;
use Rating::*;

use cqc_engine::model::Rating;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!(
        "{}/tests/fixtures/cqc/{path}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
    );
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn date(text: &str) -> Option<Date> {
    parse_cqc_date(text)
}

fn shrewsbury_and_telford() -> Vec<Location> {
    let ingested = read_latest_ratings(
        "latest_ratings_shropshire_2025-10.csv",
        &fixture("latest_ratings_shropshire_2025-10.csv"),
    )
    .expect("readable");
    ingested
        .locations
        .into_iter()
        .filter(|l| l.provider_id == "RXW")
        .collect()
}

/// Each key question's hypothetical rating, in CQC's order.
fn option_a(trust: &TrustHypothetical) -> Vec<(KeyQuestion, Option<Rating>)> {
    trust
        .key_questions
        .iter()
        .map(|k| (k.key_question, k.figure.rating))
        .collect()
}

fn named(ratings: &[LocationRating]) -> Vec<(&str, Rating, Option<Date>)> {
    let mut named: Vec<(&str, Rating, Option<Date>)> = ratings
        .iter()
        .map(|r| (r.location_name.as_str(), r.rating, r.published))
        .collect();
    named.sort();
    named
}

#[test]
fn shrewsbury_and_telford_as_one_trust() {
    let locations = shrewsbury_and_telford();
    let refs: Vec<&Location> = locations.iter().collect();
    let mut names: Vec<&str> = locations.iter().map(|l| l.name.as_str()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "Bridgnorth Community Hospital",
            "Ludlow Community Hospital",
            "Oswestry Maternity Unit",
            "Royal Shrewsbury Hospital"
        ]
    );
    assert_eq!(organisation_kind(&refs), Some(OrganisationKind::NhsTrust));
    let trust = trust_hypothetical(&refs, &RuleParams::default());

    // Each location has its own five key-question ratings, so those are the inputs (n = 4,
    // the 4–8 band: 2 or more RI make it RI, 2 or more outstanding the rest good make it
    // outstanding). Royal Shrewsbury: all five RI (15 May 2024). Bridgnorth and Oswestry: all
    // good (16 Aug 2017). Ludlow: Safe and Well-led RI, the rest good (16 Aug 2017).
    //   Safe      RI, G, G, RI → 2 RI → RI (P5)
    //   Effective RI, G, G, G  → 1 RI → Good (P4)
    //   Caring, Responsive: as Effective → Good
    //   Well-led  RI, G, G, RI → RI (P5)
    assert_eq!(
        option_a(&trust),
        [
            (KeyQuestion::Safe, Some(RequiresImprovement)),
            (KeyQuestion::Effective, Some(Good)),
            (KeyQuestion::Caring, Some(Good)),
            (KeyQuestion::Responsive, Some(Good)),
            (KeyQuestion::WellLed, Some(RequiresImprovement)),
        ]
    );
    for k in &trust.key_questions {
        assert_eq!(k.level, Some(InputLevel::Locations), "{:?}", k.key_question);
        assert_eq!(k.inputs.len(), 4);
        assert!(k.left_out.is_empty());
        assert_eq!(k.figure.label, HYPOTHETICAL_LABEL);
    }
    let safe = &trust.key_questions[0].figure;
    assert_eq!(
        safe.deciding_step().map(|s| s.rule),
        Some(RuleId::RequiresImprovementThreshold)
    );
    assert_eq!(
        trust.key_questions[1]
            .figure
            .deciding_step()
            .map(|s| s.rule),
        Some(RuleId::GoodDefault)
    );

    // Option B: RI, G, G, G, RI (n = 5) → 2 RI → RI (P5).
    assert_eq!(trust.overall.rating, Some(RequiresImprovement));
    assert_eq!(
        trust.overall.deciding_step().map(|s| s.rule),
        Some(RuleId::RequiresImprovementThreshold)
    );
    assert_eq!(trust.overall.aggregation.map(|a| a.counts.total()), Some(5));

    // Option C: the four published location overall ratings would stop.
    assert_eq!(
        named(&trust.location_ratings_stopped),
        [
            ("Bridgnorth Community Hospital", Good, date("16/08/2017")),
            (
                "Ludlow Community Hospital",
                RequiresImprovement,
                date("16/08/2017")
            ),
            ("Oswestry Maternity Unit", Good, date("16/08/2017")),
            (
                "Royal Shrewsbury Hospital",
                RequiresImprovement,
                date("15/05/2024")
            ),
        ]
    );
    assert!(trust.locations_without_overall.is_empty());

    // What "requires improvement" hides: every good input (Bridgnorth and Oswestry × 5,
    // Ludlow's Effective, Caring and Responsive) = 13; the range good to RI over 2017–2024;
    // and, beneath the locations, two inadequate core-service ratings at Royal Shrewsbury.
    let hides = &trust.hides;
    assert_eq!(hides.word, Some(RequiresImprovement));
    assert_eq!(hides.differing.len(), 13);
    assert!(hides.differing.iter().all(|r| r.rating == Good));
    assert_eq!(
        hides
            .differing
            .iter()
            .filter(|r| r.location_name == "Ludlow Community Hospital")
            .map(|r| r.domain)
            .collect::<Vec<_>>(),
        [
            Domain::KeyQuestion(KeyQuestion::Effective),
            Domain::KeyQuestion(KeyQuestion::Caring),
            Domain::KeyQuestion(KeyQuestion::Responsive),
        ]
    );
    assert_eq!(
        (hides.best, hides.worst),
        (Some(Good), Some(RequiresImprovement))
    );
    assert_eq!(
        (hides.earliest, hides.latest),
        (date("16/08/2017"), date("15/05/2024"))
    );
    let beneath: Vec<(&str, Domain, Rating, Option<Date>)> = hides
        .beneath
        .iter()
        .map(|r| {
            (
                r.core_service.as_deref().unwrap_or(""),
                r.domain,
                r.rating,
                r.published,
            )
        })
        .collect();
    assert_eq!(
        beneath,
        [
            (
                "Maternity",
                Domain::KeyQuestion(KeyQuestion::Safe),
                Inadequate,
                date("29/11/2018")
            ),
            (
                "Urgent and emergency services",
                Domain::KeyQuestion(KeyQuestion::Responsive),
                Inadequate,
                date("15/05/2024")
            ),
        ]
    );
}

#[test]
fn shrewsbury_and_telford_spread() {
    let locations = shrewsbury_and_telford();
    let refs: Vec<&Location> = locations.iter().collect();
    let spread = provider_spread(&refs, date("01/12/2026"));
    assert_eq!((spread.current_locations, spread.closed_locations), (4, 0));
    assert_eq!(spread.overall.rated.good, 2);
    assert_eq!(spread.overall.rated.requires_improvement, 2);
    assert_eq!(spread.overall.not_rated, 0);
    assert_eq!(spread.requires_improvement_or_worse, 2);
    assert_eq!(spread.share_requires_improvement_or_worse, Some(0.5));
    let (_, safe) = spread.key_questions[0];
    assert_eq!((safe.rated.good, safe.rated.requires_improvement), (2, 2));
    let (_, caring) = spread.key_questions[2];
    assert_eq!(
        (caring.rated.good, caring.rated.requires_improvement),
        (3, 1)
    );
    assert_eq!(
        spread.oldest_input.and_then(|r| r.published),
        date("16/08/2017")
    );
    // 16 Aug 2017 to 1 Dec 2026: 3,395 days.
    assert_eq!(
        spread.oldest_input_years.map(|y| (y * 10.0).round() / 10.0),
        Some(9.3)
    );
}

// --- The South-West providers from CQC's API (tests/fixtures/cqc/hospital_trusts_south_west.json).

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KqRating {
    name: String,
    rating: String,
    report_date: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rated {
    rating: Option<String>,
    report_date: Option<String>,
    key_question_ratings: Vec<KqRating>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    name: String,
    rating: Option<String>,
    report_date: Option<String>,
    key_question_ratings: Vec<KqRating>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ApiLocation {
    location_id: String,
    provider_id: String,
    name: String,
    #[serde(rename = "type")]
    location_type: String,
    registration_status: String,
    primary_inspection_category: String,
    overall: Option<Rated>,
    service_ratings: Vec<Service>,
}

fn rating_row(group: &str, domain: Domain, text: &str, published: Option<Date>) -> PublishedRating {
    PublishedRating {
        group: group.into(),
        domain,
        value: RatingValue::parse(text).unwrap_or_else(|| panic!("rating text {text:?}")),
        published,
        report_type: Some("Location".into()),
        inherited: false,
    }
}

fn rows_of(
    group: &str,
    rated: Option<&str>,
    published: Option<Date>,
    kqs: &[KqRating],
) -> Vec<PublishedRating> {
    let overall = rated.map(|r| rating_row(group, Domain::Overall, r, published));
    let key_questions = kqs.iter().map(|k| {
        let kq = KeyQuestion::parse(&k.name).unwrap_or_else(|| panic!("key question {:?}", k.name));
        let dated = k
            .report_date
            .as_deref()
            .and_then(parse_cqc_date)
            .or(published);
        rating_row(group, Domain::KeyQuestion(kq), &k.rating, dated)
    });
    overall.into_iter().chain(key_questions).collect()
}

fn south_west(provider_id: &str) -> Vec<Location> {
    let text = fixture("hospital_trusts_south_west.json");
    let all: Vec<ApiLocation> = serde_json::from_slice(&text).expect("valid fixture");
    all.into_iter()
        .filter(|l| l.provider_id == provider_id)
        .map(|l| {
            let mut ratings = Vec::new();
            if let Some(o) = &l.overall {
                let published = o.report_date.as_deref().and_then(parse_cqc_date);
                ratings.extend(rows_of(
                    OVERALL_GROUP,
                    o.rating.as_deref(),
                    published,
                    &o.key_question_ratings,
                ));
            }
            for s in &l.service_ratings {
                let published = s.report_date.as_deref().and_then(parse_cqc_date);
                ratings.extend(rows_of(
                    &s.name,
                    s.rating.as_deref(),
                    published,
                    &s.key_question_ratings,
                ));
            }
            let mut location = Location {
                id: l.location_id,
                name: l.name,
                provider_id: l.provider_id,
                location_type: l.location_type,
                inspection_category: l.primary_inspection_category,
                ratings,
                ..Location::default()
            };
            location.detail.registration = Registration {
                status: match l.registration_status.as_str() {
                    "Deregistered" => RegistrationStatus::Deregistered,
                    _ => RegistrationStatus::Registered,
                },
                ..Registration::default()
            };
            location
        })
        .collect()
}

#[test]
fn royal_devon_and_exeter_as_one_trust() {
    let locations = south_west("RH8");
    let refs: Vec<&Location> = locations.iter().collect();
    assert_eq!(organisation_kind(&refs), Some(OrganisationKind::NhsTrust));
    let trust = trust_hypothetical(&refs, &RuleParams::default());
    // 19 locations: 5 deregistered (left out), 14 current, of which 4 have rated key questions:
    // Wonford (S RI, E G, C O, R G, W O), Tiverton and Honiton (all good), Mardon (C O, the rest
    // good). The other 10 have none ("No published rating" at Sidmouth) and are left out.
    assert_eq!((trust.current_locations, trust.closed_locations), (14, 5));
    //   Safe      RI, G, G, G → 1 RI of 4 → Good (P4)
    //   Caring    O, G, G, O  → 2 outstanding, the rest good → Outstanding (P3)
    //   Well-led  O, G, G, G  → 1 outstanding of 4 (2 needed) → Good (P4)
    assert_eq!(
        option_a(&trust),
        [
            (KeyQuestion::Safe, Some(Good)),
            (KeyQuestion::Effective, Some(Good)),
            (KeyQuestion::Caring, Some(Outstanding)),
            (KeyQuestion::Responsive, Some(Good)),
            (KeyQuestion::WellLed, Some(Good)),
        ]
    );
    let caring = &trust.key_questions[2];
    assert_eq!(caring.inputs.len(), 4);
    assert_eq!(caring.left_out.len(), 10);
    assert_eq!(
        caring.figure.deciding_step().map(|s| s.rule),
        Some(RuleId::OutstandingThreshold)
    );
    // Option B: G, G, O, G, G → 1 outstanding of 5 (2 needed) → Good.
    assert_eq!(trust.overall.rating, Some(Good));
    assert_eq!(
        trust.overall.deciding_step().map(|s| s.rule),
        Some(RuleId::GoodDefault)
    );
    // Option C: Wonford, Tiverton, Honiton and Mardon are all good overall.
    assert_eq!(trust.location_ratings_stopped.len(), 4);
    assert!(trust
        .location_ratings_stopped
        .iter()
        .all(|r| r.rating == Good));
    // "Good" hides Wonford's RI Safe and outstanding Caring and Well-led, and Mardon's
    // outstanding Caring; the inputs range from outstanding to RI.
    let hides = &trust.hides;
    let mut differing: Vec<(&str, Domain, Rating)> = hides
        .differing
        .iter()
        .map(|r| (r.location_name.as_str(), r.domain, r.rating))
        .collect();
    differing.sort();
    assert_eq!(
        differing,
        [
            (
                "Mardon Neuro-rehabilitation Centre",
                Domain::KeyQuestion(KeyQuestion::Caring),
                Outstanding
            ),
            (
                "Royal Devon & Exeter Hospital (Wonford)",
                Domain::KeyQuestion(KeyQuestion::Safe),
                RequiresImprovement
            ),
            (
                "Royal Devon & Exeter Hospital (Wonford)",
                Domain::KeyQuestion(KeyQuestion::Caring),
                Outstanding
            ),
            (
                "Royal Devon & Exeter Hospital (Wonford)",
                Domain::KeyQuestion(KeyQuestion::WellLed),
                Outstanding
            ),
        ]
    );
    assert_eq!(
        (hides.best, hides.worst),
        (Some(Outstanding), Some(RequiresImprovement))
    );
    assert!(hides.beneath.is_empty());
}

#[test]
fn nuffield_health_hospitals_as_one_group() {
    let locations = south_west("1-102643516");
    let refs: Vec<&Location> = locations.iter().collect();
    assert_eq!(
        organisation_kind(&refs),
        Some(OrganisationKind::IndependentHospitalGroup)
    );
    let trust = trust_hypothetical(&refs, &RuleParams::default());
    // Exeter all good; Plymouth S RI, W RI; Taunton W outstanding. n = 3 (the 1–3 band: one
    // RI is enough).
    //   Safe      G, RI, G → RI (P5)
    //   Well-led  G, RI, O → RI (P5)
    assert_eq!(
        option_a(&trust),
        [
            (KeyQuestion::Safe, Some(RequiresImprovement)),
            (KeyQuestion::Effective, Some(Good)),
            (KeyQuestion::Caring, Some(Good)),
            (KeyQuestion::Responsive, Some(Good)),
            (KeyQuestion::WellLed, Some(RequiresImprovement)),
        ]
    );
    // Option B: RI, G, G, G, RI (n = 5) → RI.
    assert_eq!(trust.overall.rating, Some(RequiresImprovement));
    assert_eq!(
        named(&trust.location_ratings_stopped),
        [
            ("Nuffield Health Exeter Hospital", Good, date("2016-10-26")),
            (
                "Nuffield Health Plymouth Hospital",
                RequiresImprovement,
                date("2015-11-04")
            ),
            ("Nuffield Health Taunton Hospital", Good, date("2016-11-30")),
        ]
    );
    // Beneath: Plymouth's children's services were inadequate for Well-led, below every input.
    let beneath: Vec<(&str, Option<&str>, Rating)> = trust
        .hides
        .beneath
        .iter()
        .map(|r| {
            (
                r.location_name.as_str(),
                r.core_service.as_deref(),
                r.rating,
            )
        })
        .collect();
    assert_eq!(
        beneath,
        [(
            "Nuffield Health Plymouth Hospital",
            Some("childrens"),
            Inadequate
        )]
    );
    assert_eq!(
        (trust.hides.earliest, trust.hides.latest),
        (date("2015-11-04"), date("2016-11-30"))
    );
}
