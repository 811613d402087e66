//! Providers and trusts: the spread of a provider's location ratings, and, for NHS trusts and
//! independent hospital groups, what each option of CQC's 2025–26 consultation would give
//! (spec §5.2): trust-level key-question ratings by the ratings principles over the locations
//! (option A), a trust overall by the principles over those five (option B), and the location
//! ratings that would stop being awarded (option C). None of these is published by CQC; every
//! figure carries the trace of the rule that decided it, and [`SingleWordHides`] lists what one
//! word would leave out.
//!
//! CQC awards a trust's Well-led rating from its own assessment of the whole organisation (spec
//! §3.4), which the open data does not carry: option A's Well-led is the locations' Well-led
//! ratings combined by the principles, like the other four, and the page says so.
//!
//! Only current registrations count: a deregistered or dormant location is neither part of the
//! spread nor an input to a trust rating, and is counted apart.
//!
//! Which providers are trusts or hospital groups is read from the locations' own types in
//! CQC's data (see [`organisation_kind`]), never from the provider's name.

use crate::model::{
    years_between, Date, Domain, KeyQuestion, Location, Rating, RatingValue, OVERALL_GROUP,
};
use crate::rules::{
    aggregate, Aggregation, Counts, Exclusion, Fact, RuleId, RuleParams, Scope, Step,
};
use serde::Serialize;

/// The label every hypothetical figure carries, on the page and in exports.
pub const HYPOTHETICAL_LABEL: &str = "Hypothetical: CQC does not publish this";

/// CQC's location type for every NHS trust location (acute, mental health, community,
/// ambulance): the Latest ratings file's `Location Type` and the API's `type`.
pub const NHS_LOCATION_TYPE: &str = "NHS Healthcare Organisation";
/// CQC's location type for independent healthcare: hospitals, but also hospices, clinics and
/// consulting doctors, so a hospital group is recognised by its inspection category too.
pub const INDEPENDENT_LOCATION_TYPE: &str = "Independent Healthcare Org";

/// The kinds of provider the consultation's trust options concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OrganisationKind {
    /// Every current location is an "NHS Healthcare Organisation".
    NhsTrust,
    /// Every current location is an "Independent Healthcare Org" whose primary inspection
    /// category is a hospital ("Acute hospital - Independent non-specialist", …).
    IndependentHospitalGroup,
}

impl OrganisationKind {
    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::NhsTrust => "NHS trust",
            OrganisationKind::IndependentHospitalGroup => "independent hospital group",
        }
    }
}

/// Whether a provider's locations make it an NHS trust or an independent hospital group, read
/// from CQC's location types and inspection categories. `None` for any other provider, for a
/// provider mixing kinds, and when no location is current.
pub fn organisation_kind(locations: &[&Location]) -> Option<OrganisationKind> {
    let current: Vec<&Location> = locations
        .iter()
        .copied()
        .filter(|l| l.is_current())
        .collect();
    let all = |test: fn(&Location) -> bool| !current.is_empty() && current.iter().all(|l| test(l));
    if all(|l| l.location_type == NHS_LOCATION_TYPE) {
        Some(OrganisationKind::NhsTrust)
    } else if all(|l| {
        l.location_type == INDEPENDENT_LOCATION_TYPE
            && l.inspection_category.to_lowercase().contains("hospital")
    }) {
        Some(OrganisationKind::IndependentHospitalGroup)
    } else {
        None
    }
}

/// How many locations have each overall (or key-question) rating, and how many none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LevelCounts {
    pub rated: Counts,
    /// Locations with no rating level for this domain (not rated, not applicable, nothing).
    pub not_rated: u32,
}

impl LevelCounts {
    fn of(locations: &[&Location], domain: Domain) -> LevelCounts {
        let ratings: Vec<Option<Rating>> = locations
            .iter()
            .map(|l| l.published(domain).and_then(|p| p.value.rated()))
            .collect();
        let rated: Vec<Rating> = ratings.iter().flatten().copied().collect();
        LevelCounts {
            rated: Counts::of(&rated),
            not_rated: (ratings.len() - rated.len()) as u32,
        }
    }

    /// Rated requires improvement or inadequate.
    pub fn requires_improvement_or_worse(&self) -> u32 {
        self.rated.requires_improvement + self.rated.inadequate
    }
}

/// One published rating of one location: an input to a trust figure, a rating a single word
/// would hide, or a location rating that would stop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocationRating {
    pub location_id: String,
    pub location_name: String,
    /// `None`: the location's own rating; else the core service it is for.
    pub core_service: Option<String>,
    pub domain: Domain,
    pub rating: Rating,
    pub published: Option<Date>,
}

/// The spread of a provider's current location ratings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderSpread {
    /// Current locations (registered and not dormant): everything below counts these only.
    pub current_locations: u32,
    /// Deregistered or dormant locations, left out of every count.
    pub closed_locations: u32,
    pub overall: LevelCounts,
    /// In CQC's order (Safe … Well-led).
    pub key_questions: Vec<(KeyQuestion, LevelCounts)>,
    /// The oldest of the locations' own published ratings (overall or key question).
    pub oldest_input: Option<LocationRating>,
    /// Its age in years at `as_of`, when both dates are known.
    pub oldest_input_years: Option<f64>,
    /// Current locations whose overall is requires improvement or inadequate.
    pub requires_improvement_or_worse: u32,
    /// That count over the locations with a rated overall; `None` if none is rated.
    pub share_requires_improvement_or_worse: Option<f64>,
}

/// The spread of `locations` (a provider's), measured at `as_of`.
pub fn provider_spread(locations: &[&Location], as_of: Option<Date>) -> ProviderSpread {
    let current: Vec<&Location> = locations
        .iter()
        .copied()
        .filter(|l| l.is_current())
        .collect();
    let overall = LevelCounts::of(&current, Domain::Overall);
    let key_questions = KeyQuestion::ALL
        .iter()
        .map(|kq| (*kq, LevelCounts::of(&current, Domain::KeyQuestion(*kq))))
        .collect();
    let oldest_input = current
        .iter()
        .flat_map(|l| own_rated(l))
        .filter(|r| r.published.is_some())
        .min_by_key(|r| r.published);
    let oldest_input_years = oldest_input
        .as_ref()
        .and_then(|r| r.published)
        .zip(as_of)
        .map(|(from, to)| years_between(from, to));
    let ri_or_worse = overall.requires_improvement_or_worse();
    let rated = overall.rated.total();
    ProviderSpread {
        current_locations: current.len() as u32,
        closed_locations: (locations.len() - current.len()) as u32,
        overall,
        key_questions,
        oldest_input,
        oldest_input_years,
        requires_improvement_or_worse: ri_or_worse,
        share_requires_improvement_or_worse: (rated > 0)
            .then(|| f64::from(ri_or_worse) / f64::from(rated)),
    }
}

/// A location's own rated ratings (overall and each key question), as [`Location::published`]
/// gives them.
fn own_rated(location: &Location) -> Vec<LocationRating> {
    std::iter::once(Domain::Overall)
        .chain(KeyQuestion::ALL.iter().map(|kq| Domain::KeyQuestion(*kq)))
        .filter_map(|domain| {
            let p = location.published(domain)?;
            Some(location_rating(
                location,
                None,
                domain,
                p.value.rated()?,
                p.published,
            ))
        })
        .collect()
}

fn location_rating(
    location: &Location,
    core_service: Option<&str>,
    domain: Domain,
    rating: Rating,
    published: Option<Date>,
) -> LocationRating {
    LocationRating {
        location_id: location.id.clone(),
        location_name: location.name.clone(),
        core_service: core_service.map(str::to_string),
        domain,
        rating,
        published,
    }
}

/// Where a trust key question's inputs came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InputLevel {
    /// Every input is a location's own key-question rating.
    Locations,
    /// Every input is a core service's rating (no location-level rating for it).
    CoreServices,
    /// Some locations gave their own rating, others (without one) their core services'.
    LocationsAndCoreServices,
}

/// A location left out of a trust key question, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeftOut {
    pub location_id: String,
    pub location_name: String,
    pub why: Exclusion,
}

/// One hypothetical figure: its rating, the inputs, and the trace of the rules that fired.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HypotheticalFigure {
    /// `None` when no input is rated: the principles give nothing, not "good".
    pub rating: Option<Rating>,
    pub aggregation: Option<Aggregation>,
    pub steps: Vec<Step>,
    /// Always [`HYPOTHETICAL_LABEL`].
    pub label: &'static str,
}

impl HypotheticalFigure {
    fn of(inputs: &[Rating], scope: Scope, mut steps: Vec<Step>, params: &RuleParams) -> Self {
        let aggregation = aggregate(inputs, params);
        if let Some(a) = &aggregation {
            if a.precedence_applied {
                steps.push(Step {
                    rule: RuleId::InadequatePrecedence,
                    scope,
                    fact: Fact::Precedence { counts: a.counts },
                });
            }
            steps.push(Step {
                rule: a.rule,
                scope,
                fact: Fact::Aggregated {
                    rating: a.rating,
                    counts: a.counts,
                    band: a.band,
                },
            });
        }
        HypotheticalFigure {
            rating: aggregation.as_ref().map(|a| a.rating),
            aggregation,
            steps,
            label: HYPOTHETICAL_LABEL,
        }
    }

    /// The step that decided the rating: the aggregation rule's.
    pub fn deciding_step(&self) -> Option<&Step> {
        self.steps
            .iter()
            .rev()
            .find(|s| matches!(s.fact, Fact::Aggregated { .. }))
    }
}

/// Option A for one key question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustKeyQuestion {
    pub key_question: KeyQuestion,
    pub figure: HypotheticalFigure,
    /// `None` when there is no input at all.
    pub level: Option<InputLevel>,
    pub inputs: Vec<LocationRating>,
    pub left_out: Vec<LeftOut>,
}

/// What one trust word would leave out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SingleWordHides {
    /// Option B's word; `None` if it has none.
    pub word: Option<Rating>,
    /// Every option A input whose rating is not the word, in input order (key question, then
    /// location).
    pub differing: Vec<LocationRating>,
    /// The best and worst input rating.
    pub best: Option<Rating>,
    pub worst: Option<Rating>,
    /// The oldest and newest input's publication date.
    pub earliest: Option<Date>,
    pub latest: Option<Date>,
    /// Core-service ratings at the same locations outside the inputs' range (an inadequate
    /// service under locations rated no worse than requires improvement, …): hidden twice.
    pub beneath: Vec<LocationRating>,
}

/// The consultation's three options for one trust or hospital group, and what they hide.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustHypothetical {
    pub kind: Option<OrganisationKind>,
    /// Current locations, the only ones aggregated.
    pub current_locations: u32,
    pub closed_locations: u32,
    /// Option A: one per key question, in CQC's order.
    pub key_questions: Vec<TrustKeyQuestion>,
    /// Option B: the principles over option A's five ratings.
    pub overall: HypotheticalFigure,
    /// Option C: the current locations' own published overall ratings, which would stop.
    pub location_ratings_stopped: Vec<LocationRating>,
    /// Current locations with no rated overall (nothing of theirs would stop).
    pub locations_without_overall: Vec<String>,
    pub hides: SingleWordHides,
}

/// What each consultation option would give for `locations` (one provider's), under `params`.
/// Callers check [`TrustHypothetical::kind`] (or [`organisation_kind`]) before showing it.
pub fn trust_hypothetical(locations: &[&Location], params: &RuleParams) -> TrustHypothetical {
    let current: Vec<&Location> = locations
        .iter()
        .copied()
        .filter(|l| l.is_current())
        .collect();
    let key_questions: Vec<TrustKeyQuestion> = KeyQuestion::ALL
        .iter()
        .map(|kq| trust_key_question(&current, *kq, params))
        .collect();
    let trust_ratings: Vec<Rating> = key_questions
        .iter()
        .filter_map(|k| k.figure.rating)
        .collect();
    let overall_steps: Vec<Step> = key_questions
        .iter()
        .filter(|k| k.figure.rating.is_none())
        .map(|k| Step {
            rule: RuleId::UnratedExcluded,
            scope: Scope::KeyQuestion(k.key_question),
            fact: Fact::Excluded(Exclusion::NoRatingPublished),
        })
        .collect();
    let overall = HypotheticalFigure::of(&trust_ratings, Scope::Overall, overall_steps, params);
    let location_ratings_stopped: Vec<LocationRating> = current
        .iter()
        .filter_map(|l| {
            let p = l.published(Domain::Overall)?;
            Some(location_rating(
                l,
                None,
                Domain::Overall,
                p.value.rated()?,
                p.published,
            ))
        })
        .collect();
    let locations_without_overall = current
        .iter()
        .filter(|l| {
            !location_ratings_stopped
                .iter()
                .any(|s| s.location_id == l.id)
        })
        .map(|l| l.name.clone())
        .collect();
    let hides = single_word_hides(&current, &key_questions, overall.rating);
    TrustHypothetical {
        kind: organisation_kind(locations),
        current_locations: current.len() as u32,
        closed_locations: (locations.len() - current.len()) as u32,
        key_questions,
        overall,
        location_ratings_stopped,
        locations_without_overall,
        hides,
    }
}

/// Option A for one key question. A location's own key-question rating is CQC's aggregation
/// of its core services (spec §2.3, level L3), so it is the input where it exists and is rated;
/// a location without one gives its core services' ratings instead (as for trusts with no
/// location level); a location with neither is left out, and n falls.
fn trust_key_question(
    current: &[&Location],
    kq: KeyQuestion,
    params: &RuleParams,
) -> TrustKeyQuestion {
    let domain = Domain::KeyQuestion(kq);
    let scope = Scope::KeyQuestion(kq);
    let mut inputs = Vec::new();
    let mut left_out = Vec::new();
    let mut steps = Vec::new();
    let (mut from_locations, mut from_services) = (false, false);
    for location in current {
        let own = location.published(domain);
        if let Some((p, rating)) = own.and_then(|p| Some((p, p.value.rated()?))) {
            inputs.push(location_rating(location, None, domain, rating, p.published));
            from_locations = true;
            continue;
        }
        let services = core_service_ratings(location, domain);
        if !services.is_empty() {
            inputs.extend(services);
            from_services = true;
            continue;
        }
        let why = own.map_or(Exclusion::NoRatingPublished, |p| {
            Exclusion::Published(p.value)
        });
        steps.push(Step {
            rule: RuleId::UnratedExcluded,
            scope,
            fact: Fact::Excluded(why),
        });
        left_out.push(LeftOut {
            location_id: location.id.clone(),
            location_name: location.name.clone(),
            why,
        });
    }
    let ratings: Vec<Rating> = inputs.iter().map(|i: &LocationRating| i.rating).collect();
    let level = match (from_locations, from_services) {
        (true, false) => Some(InputLevel::Locations),
        (false, true) => Some(InputLevel::CoreServices),
        (true, true) => Some(InputLevel::LocationsAndCoreServices),
        (false, false) => None,
    };
    TrustKeyQuestion {
        key_question: kq,
        figure: HypotheticalFigure::of(&ratings, scope, steps, params),
        level,
        inputs,
        left_out,
    }
}

/// A location's rated core-service ratings for a domain, newest row per service.
fn core_service_ratings(location: &Location, domain: Domain) -> Vec<LocationRating> {
    location
        .service_groups()
        .into_iter()
        .filter_map(|group| {
            let newest = location
                .ratings
                .iter()
                .filter(|r| r.group == group && r.domain == domain)
                .max_by_key(|r| r.published)?;
            let rating = newest.value.rated()?;
            Some(location_rating(
                location,
                Some(group),
                domain,
                rating,
                newest.published,
            ))
        })
        .collect()
}

fn single_word_hides(
    current: &[&Location],
    key_questions: &[TrustKeyQuestion],
    word: Option<Rating>,
) -> SingleWordHides {
    let inputs: Vec<&LocationRating> = key_questions.iter().flat_map(|k| &k.inputs).collect();
    let best = inputs.iter().map(|i| i.rating).max();
    let worst = inputs.iter().map(|i| i.rating).min();
    let dates = || inputs.iter().filter_map(|i| i.published);
    let outside = |rating: Rating| {
        best.zip(worst)
            .is_some_and(|(b, w)| rating > b || rating < w)
    };
    let beneath = current
        .iter()
        .flat_map(|l| {
            l.ratings
                .iter()
                .filter(|r| r.group != OVERALL_GROUP)
                .filter_map(move |r| match r.value {
                    RatingValue::Rated(rating) if outside(rating) => Some(location_rating(
                        l,
                        Some(&r.group),
                        r.domain,
                        rating,
                        r.published,
                    )),
                    _ => None,
                })
        })
        .collect();
    SingleWordHides {
        word,
        differing: inputs
            .iter()
            .filter(|i| Some(i.rating) != word)
            .map(|i| (*i).clone())
            .collect(),
        best,
        worst,
        earliest: dates().min(),
        latest: dates().max(),
        beneath,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PublishedRating, Registration, RegistrationStatus};
    use Rating::*;

    fn row(group: &str, domain: Domain, rating: Rating, year: i32) -> PublishedRating {
        PublishedRating {
            group: group.into(),
            domain,
            value: RatingValue::Rated(rating),
            published: Date::from_ymd_opt(year, 1, 1),
            report_type: None,
            inherited: false,
        }
    }

    /// A hospital with its own five key questions and overall, all `rating`, published in `year`.
    fn hospital(id: &str, rating: Rating, year: i32) -> Location {
        let ratings = KeyQuestion::ALL
            .iter()
            .map(|kq| row(OVERALL_GROUP, Domain::KeyQuestion(*kq), rating, year))
            .chain(std::iter::once(row(
                OVERALL_GROUP,
                Domain::Overall,
                rating,
                year,
            )))
            .collect();
        Location {
            id: id.into(),
            name: format!("Hospital {id}"),
            location_type: NHS_LOCATION_TYPE.into(),
            inspection_category: "Acute hospital - NHS non-specialist".into(),
            ratings,
            ..Location::default()
        }
    }

    fn closed(mut l: Location) -> Location {
        l.detail.registration = Registration {
            status: RegistrationStatus::Deregistered,
            ..Registration::default()
        };
        l
    }

    #[test]
    fn closed_registrations_are_counted_apart_and_never_aggregated() {
        let open = [
            hospital("a", Good, 2019),
            hospital("b", RequiresImprovement, 2021),
        ];
        let gone = closed(hospital("c", Inadequate, 2015));
        let all: Vec<&Location> = open.iter().chain(std::iter::once(&gone)).collect();
        let spread = provider_spread(&all, Date::from_ymd_opt(2025, 1, 1));
        assert_eq!((spread.current_locations, spread.closed_locations), (2, 1));
        assert_eq!(spread.overall.rated.inadequate, 0);
        assert_eq!(spread.requires_improvement_or_worse, 1);
        assert_eq!(spread.share_requires_improvement_or_worse, Some(0.5));
        assert_eq!(
            spread.oldest_input.and_then(|r| r.published),
            Date::from_ymd_opt(2019, 1, 1)
        );
        assert_eq!(spread.oldest_input_years.map(|y| y.round()), Some(6.0));
        let trust = trust_hypothetical(&all, &RuleParams::default());
        assert_eq!(trust.closed_locations, 1);
        assert_eq!(trust.location_ratings_stopped.len(), 2);
        assert!(trust.hides.differing.iter().all(|r| r.location_id != "c"));
    }

    #[test]
    fn a_location_without_its_own_rating_gives_its_core_services() {
        let own = hospital("a", Good, 2019);
        let mut services_only = hospital("b", Good, 2020);
        services_only.ratings = vec![
            row(
                "Surgery",
                Domain::KeyQuestion(KeyQuestion::Safe),
                Inadequate,
                2020,
            ),
            row(
                "Maternity",
                Domain::KeyQuestion(KeyQuestion::Safe),
                Inadequate,
                2020,
            ),
        ];
        let trust = trust_hypothetical(&[&own, &services_only], &RuleParams::default());
        let safe = &trust.key_questions[0];
        assert_eq!(safe.level, Some(InputLevel::LocationsAndCoreServices));
        assert_eq!(safe.inputs.len(), 3);
        // n = 3: one inadequate is enough (the 1–3 band).
        assert_eq!(safe.figure.rating, Some(Inadequate));
        let effective = &trust.key_questions[1];
        assert_eq!(effective.level, Some(InputLevel::Locations));
        assert_eq!(effective.left_out.len(), 1);
        assert_eq!(effective.left_out[0].why, Exclusion::NoRatingPublished);
        assert!(effective
            .figure
            .steps
            .iter()
            .any(|s| s.rule == RuleId::UnratedExcluded));
        assert_eq!(
            trust.locations_without_overall,
            vec!["Hospital b".to_string()]
        );
    }

    #[test]
    fn no_rated_input_gives_no_rating_not_good() {
        let mut empty = hospital("a", Good, 2019);
        empty.ratings.clear();
        let trust = trust_hypothetical(&[&empty], &RuleParams::default());
        assert!(trust
            .key_questions
            .iter()
            .all(|k| k.figure.rating.is_none()));
        assert_eq!(trust.overall.rating, None);
        assert_eq!(trust.overall.steps.len(), 5);
        assert!(trust.hides.differing.is_empty());
        assert_eq!(trust.overall.label, HYPOTHETICAL_LABEL);
    }

    #[test]
    fn the_kind_of_organisation_comes_from_the_location_types() {
        let nhs = hospital("a", Good, 2019);
        assert_eq!(organisation_kind(&[&nhs]), Some(OrganisationKind::NhsTrust));
        let mut independent = hospital("b", Good, 2019);
        independent.location_type = INDEPENDENT_LOCATION_TYPE.into();
        independent.inspection_category = "Acute hospital - Independent specialist".into();
        assert_eq!(
            organisation_kind(&[&independent]),
            Some(OrganisationKind::IndependentHospitalGroup)
        );
        let mut hospice = independent.clone();
        hospice.inspection_category = "Hospice services".into();
        assert_eq!(organisation_kind(&[&hospice]), None);
        assert_eq!(organisation_kind(&[&nhs, &independent]), None);
        let mut care_home = hospital("c", Good, 2019);
        care_home.location_type = "Social Care Org".into();
        assert_eq!(organisation_kind(&[&care_home]), None);
        assert_eq!(organisation_kind(&[]), None);
    }
}
