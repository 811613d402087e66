//! Conformance: the n-input ratings principles against real hospital locations whose CQC API
//! data gives core-service ratings (2021 capture, 19 locations). Three levels are checked:
//! core-service overall from its key questions, location key question across core services,
//! and location overall from its key questions. Divergences are counted and named, not hidden.

use cqc_engine::model::{KeyQuestion, Rating, RatingValue};
use cqc_engine::rules::{aggregate, RuleParams};
use serde::Deserialize;

#[derive(Deserialize)]
struct KqRating {
    name: String,
    rating: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Rated {
    rating: Option<String>,
    key_question_ratings: Vec<KqRating>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Service {
    name: String,
    rating: Option<String>,
    key_question_ratings: Vec<KqRating>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HospitalLocation {
    location_id: String,
    overall: Rated,
    service_ratings: Vec<Service>,
}

fn rated(text: &str) -> Option<Rating> {
    RatingValue::parse(text)
        .unwrap_or_else(|| panic!("unknown rating text {text:?}"))
        .rated()
}

fn kq_rating(list: &[KqRating], kq: KeyQuestion) -> Option<Rating> {
    list.iter()
        .find(|k| KeyQuestion::parse(&k.name) == Some(kq))
        .and_then(|k| rated(&k.rating))
}

/// (checked, agreed, divergences) for one level.
#[derive(Default, Debug)]
struct Tally {
    checked: u32,
    agreed: u32,
    divergences: Vec<String>,
}

impl Tally {
    fn check(
        &mut self,
        what: String,
        inputs: &[Rating],
        published: Option<Rating>,
        params: &RuleParams,
    ) {
        let (Some(published), Some(result)) = (published, aggregate(inputs, params)) else {
            return;
        };
        self.checked += 1;
        if result.rating == published {
            self.agreed += 1;
        } else {
            self.divergences.push(format!(
                "{what}: inputs {:?} → rules {:?}, published {:?}",
                inputs, result.rating, published
            ));
        }
    }
}

/// Runs the three levels under `params` and returns the tallies.
fn run(params: &RuleParams) -> [Tally; 3] {
    let path = concat!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
        "/tests/fixtures/conformance/hospital_service_ratings.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture present");
    let locations: Vec<HospitalLocation> = serde_json::from_str(&text).expect("valid fixture");
    assert_eq!(locations.len(), 19);

    let (mut services, mut location_kqs, mut overall) =
        (Tally::default(), Tally::default(), Tally::default());
    for loc in &locations {
        for s in &loc.service_ratings {
            let inputs: Vec<Rating> = KeyQuestion::ALL
                .iter()
                .filter_map(|kq| kq_rating(&s.key_question_ratings, *kq))
                .collect();
            services.check(
                format!("{} {}", loc.location_id, s.name),
                &inputs,
                s.rating.as_deref().and_then(rated),
                params,
            );
        }
        for kq in KeyQuestion::ALL {
            let inputs: Vec<Rating> = loc
                .service_ratings
                .iter()
                .filter_map(|s| kq_rating(&s.key_question_ratings, kq))
                .collect();
            location_kqs.check(
                format!("{} {}", loc.location_id, kq.label()),
                &inputs,
                kq_rating(&loc.overall.key_question_ratings, kq),
                params,
            );
        }
        let inputs: Vec<Rating> = KeyQuestion::ALL
            .iter()
            .filter_map(|kq| kq_rating(&loc.overall.key_question_ratings, *kq))
            .collect();
        overall.check(
            loc.location_id.clone(),
            &inputs,
            loc.overall.rating.as_deref().and_then(rated),
            params,
        );
    }
    [services, location_kqs, overall]
}

fn report(tallies: &[Tally; 3]) {
    for (level, t) in ["service", "location KQ", "location overall"]
        .iter()
        .zip(tallies)
    {
        println!("{level}: {} of {} agree", t.agreed, t.checked);
        for d in &t.divergences {
            println!("  divergence: {d}");
        }
    }
}

#[test]
fn hospital_aggregation_levels_with_default_thresholds() {
    let [services, location_kqs, overall] = run(&RuleParams::default());
    report(&[services, location_kqs, overall]);
    let [services, location_kqs, overall] = run(&RuleParams::default());
    // Core services (n = 5, the confirmed 4–8 band) and location overall ratings agree but for
    // one core service; the n = 1–3 band's RI and inadequate thresholds (inferred, 1 each) are
    // contradicted by 4 small independent-hospital aggregations, and 4 NHS acute locations
    // depart from the n-rule: measured, named, and left provisional.
    assert_eq!((services.agreed, services.checked), (76, 77), "services");
    assert_eq!(
        (location_kqs.agreed, location_kqs.checked),
        (75, 86),
        "location KQs"
    );
    assert_eq!((overall.agreed, overall.checked), (19, 19), "overall");
}

#[test]
fn small_n_thresholds_of_two_do_not_settle_the_question() {
    // The alternative reading: thresholds of 2 for RI and inadequate for 1–3 ratings too. It
    // fixes the 2- and 3-input cases above but breaks single-input ones (a lone RI service
    // would give good), so the data does not settle the 1–3 band: it stays provisional.
    let mut params = RuleParams::default();
    if let Some(band) = params.aggregation_bands.iter_mut().find(|b| b.min_n == 1) {
        band.ri_at_least = 2;
        band.inadequate_at_least = 2;
    }
    let tallies = run(&params);
    report(&tallies);
    let [services, location_kqs, overall] = tallies;
    assert_eq!((services.agreed, services.checked), (77, 77));
    assert_eq!((location_kqs.agreed, location_kqs.checked), (76, 86));
    assert_eq!((overall.agreed, overall.checked), (19, 19));
}
