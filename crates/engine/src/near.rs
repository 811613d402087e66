//! Services near a place: the distance between two points on the globe, where a typed postcode
//! or town is (worked out from the coordinates of the locations in the data that share it, so
//! nothing is looked up elsewhere and nothing typed leaves the page), and the locations nearest
//! to it that pass the page's filters.

use crate::audit::sector_of;
use crate::model::{Domain, Location, Rating};

/// The mean radius of the Earth (IUGG), in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Kilometres in a statute mile.
const KM_PER_MILE: f64 = 1.609344;

/// A point in degrees of latitude and longitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

impl Point {
    /// A location's point, where the data has its coordinates.
    pub fn of(location: &Location) -> Option<Point> {
        location
            .detail
            .facts
            .degrees()
            .map(|(lat, lon)| Point { lat, lon })
    }
}

/// The great-circle distance between two points, in kilometres (the haversine formula: exact
/// enough on a sphere for "which is nearer", to well under 0.5 % of the true distance).
pub fn distance_km(a: Point, b: Point) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let half_dlat = (lat_b - lat_a) / 2.0;
    let half_dlon = (b.lon - a.lon).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat_a.cos() * lat_b.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

pub fn km_to_miles(km: f64) -> f64 {
    km / KM_PER_MILE
}

/// What a place was found from, from the most to the least precise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixSource {
    /// A full postcode ("OL1 2DP") that locations in the data share.
    Postcode(String),
    /// A postcode district, the postcode's first half ("OL1"): typed, or the district of a full
    /// postcode no location in the data has.
    District(String),
    /// A town, as the data's addresses spell it.
    Town(String),
}

/// Where a typed place is taken to be, and how that was worked out.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceFix {
    pub point: Point,
    pub source: FixSource,
    /// How many locations' coordinates were averaged.
    pub services: usize,
    /// The full postcode typed when the fix fell back to its district: no location has it.
    pub unmatched_postcode: Option<String>,
}

impl PlaceFix {
    /// What the fix is, in the page's words, so a reader can tell how precise it is:
    /// "postcode OL1 2DP", "postcode district OL1 (12 services)", "town Oldham (300 services)".
    pub fn describe(&self) -> String {
        let services = match self.services {
            1 => "1 service".to_string(),
            n => format!("{n} services"),
        };
        match &self.source {
            FixSource::Postcode(p) => format!("postcode {p}"),
            FixSource::District(d) => format!("postcode district {d} ({services})"),
            FixSource::Town(t) => format!("town {t} ({services})"),
        }
    }
}

/// A postcode with case and spaces folded away: "ol12dp" and " OL1  2DP" are both "OL12DP".
/// ASCII case only: a postcode is ASCII, and Unicode uppercasing would link the standard
/// library's 12 kB uppercase table into the page's wasm (issue 14).
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// An outward code's shape: one or two letters, a digit, then an optional letter or digit
/// ("M1", "OL1", "SY10", "EC1A").
fn is_outward_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    let letters = bytes.iter().take_while(|b| b.is_ascii_uppercase()).count();
    let rest = &bytes[letters..];
    (1..=2).contains(&letters)
        && match rest {
            [d] => d.is_ascii_digit(),
            [d, x] => d.is_ascii_digit() && x.is_ascii_alphanumeric(),
            _ => false,
        }
}

/// A full postcode split into its outward and inward codes, written as Royal Mail does
/// ("OL1 2DP"), or `None` if the text is not shaped like one.
fn split_postcode(compacted: &str) -> Option<(String, String)> {
    if !compacted.is_ascii() || compacted.len() < 5 {
        return None;
    }
    let (outward, inward) = compacted.split_at(compacted.len() - 3);
    let inward_bytes = inward.as_bytes();
    let inward_ok =
        inward_bytes[0].is_ascii_digit() && inward_bytes[1..].iter().all(u8::is_ascii_uppercase);
    (inward_ok && is_outward_code(outward)).then(|| (outward.to_string(), inward.to_string()))
}

/// A location's postcode district, if its postcode is well formed.
fn district_of(location: &Location) -> Option<String> {
    split_postcode(&compact(&location.postcode)).map(|(outward, _)| outward)
}

/// The mean of the points of the locations `keep` picks, with how many there were.
fn mean_point<'a>(
    locations: &'a [Location],
    keep: impl Fn(&'a Location) -> bool,
) -> Option<(Point, usize)> {
    let points: Vec<Point> = locations
        .iter()
        .filter(|l| keep(l))
        .filter_map(Point::of)
        .collect();
    let n = points.len();
    (n > 0).then(|| {
        let sum = points
            .iter()
            .fold((0.0, 0.0), |(la, lo), p| (la + p.lat, lo + p.lon));
        let point = Point {
            lat: sum.0 / n as f64,
            lon: sum.1 / n as f64,
        };
        (point, n)
    })
}

/// Where `query` (a postcode, a postcode district or a town) is, from the locations in the data
/// that share it: a full postcode first, then its district, then a town of that name. `None`
/// when no location with coordinates shares it.
pub fn place_coordinates(query: &str, locations: &[Location]) -> Option<PlaceFix> {
    let compacted = compact(query);
    if compacted.is_empty() {
        return None;
    }
    let mut unmatched_postcode = None;
    let district = if let Some((outward, inward)) = split_postcode(&compacted) {
        let found = mean_point(locations, |l| compact(&l.postcode) == compacted);
        let written = format!("{outward} {inward}");
        if let Some((point, services)) = found {
            return Some(PlaceFix {
                point,
                source: FixSource::Postcode(written),
                services,
                unmatched_postcode: None,
            });
        }
        unmatched_postcode = Some(written);
        Some(outward)
    } else {
        is_outward_code(&compacted).then_some(compacted)
    };
    if let Some(district) = district {
        if let Some((point, services)) =
            mean_point(locations, |l| district_of(l).as_deref() == Some(&district))
        {
            return Some(PlaceFix {
                point,
                source: FixSource::District(district),
                services,
                unmatched_postcode,
            });
        }
    }
    let town = query.split_whitespace().collect::<Vec<_>>().join(" ");
    let same_town = |l: &Location| l.city.trim().eq_ignore_ascii_case(&town);
    let (point, services) = mean_point(locations, same_town)?;
    // The town as the data writes it, not as it was typed.
    let spelled = locations
        .iter()
        .find(|l| same_town(l))
        .map_or(town.clone(), |l| l.city.trim().to_string());
    Some(PlaceFix {
        point,
        source: FixSource::Town(spelled),
        services,
        unmatched_postcode,
    })
}

/// Whether a location offers nursing care, as the near page and search ask it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NursingFilter {
    #[default]
    Any,
    With,
    Without,
}

impl NursingFilter {
    pub const ALL: [NursingFilter; 3] = [
        NursingFilter::Any,
        NursingFilter::With,
        NursingFilter::Without,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            NursingFilter::Any => "",
            NursingFilter::With => "with",
            NursingFilter::Without => "without",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NursingFilter::Any => "With or without nursing",
            NursingFilter::With => "With nursing",
            NursingFilter::Without => "Without nursing",
        }
    }

    pub fn from_slug(slug: &str) -> NursingFilter {
        NursingFilter::ALL
            .into_iter()
            .find(|n| n.slug() == slug)
            .unwrap_or_default()
    }

    /// `Some(passes)` when the location's facts answer the question, `None` when the filter
    /// is on and the data does not say (such a location is left out, and counted as such).
    pub fn passes(self, location: &Location) -> Option<bool> {
        let wanted = match self {
            NursingFilter::Any => return Some(true),
            NursingFilter::With => true,
            NursingFilter::Without => false,
        };
        location
            .detail
            .facts
            .with_nursing()
            .map(|nursing| nursing == wanted)
    }
}

/// The near page's filters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NearFilters {
    /// Only overall ratings at least this good.
    pub at_least: Option<Rating>,
    pub nursing: NursingFilter,
    /// A type of service as `audit::sector_of` names it; empty for any.
    pub sector: String,
}

impl NearFilters {
    fn passes(&self, location: &Location) -> bool {
        let rated_enough = self.at_least.is_none_or(|floor| {
            location
                .published(Domain::Overall)
                .and_then(|p| p.value.rated())
                .is_some_and(|r| r.score() >= floor.score())
        });
        rated_enough
            && self.nursing.passes(location) == Some(true)
            && (self.sector.is_empty() || sector_of(location) == self.sector)
    }
}

/// The current locations with coordinates that pass `filters`, nearest first, each with its
/// distance from the fix in kilometres; equal distances keep the data's order.
pub fn nearest(locations: &[Location], fix: Point, filters: &NearFilters) -> Vec<(usize, f64)> {
    let mut found: Vec<(usize, f64)> = locations
        .iter()
        .enumerate()
        .filter(|(_, l)| l.detail.registration.is_current() && filters.passes(l))
        .filter_map(|(i, l)| Point::of(l).map(|p| (i, distance_km(fix, p))))
        .collect();
    crate::order::sort_by(&mut found, |a, b| a.1.total_cmp(&b.1));
    found
}

/// How many current locations with coordinates pass every filter but the nursing one, and are
/// left out only because the data does not say whether they offer nursing.
pub fn unknown_nursing(locations: &[Location], filters: &NearFilters) -> usize {
    if filters.nursing == NursingFilter::Any {
        return 0;
    }
    let others = NearFilters {
        nursing: NursingFilter::Any,
        ..filters.clone()
    };
    locations
        .iter()
        .filter(|l| {
            l.detail.registration.is_current()
                && Point::of(l).is_some()
                && others.passes(l)
                && filters.nursing.passes(l).is_none()
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Facts, PublishedRating, RatingValue, OVERALL_GROUP};

    fn at(id: &str, postcode: &str, city: &str, lat: f64, lon: f64) -> Location {
        let mut l = Location {
            id: id.into(),
            name: id.into(),
            postcode: postcode.into(),
            city: city.into(),
            ..Default::default()
        };
        l.detail.facts.coordinates = Facts::coordinates_from_degrees(lat, lon);
        l
    }

    fn rated(mut l: Location, rating: Rating, nursing: Option<bool>) -> Location {
        l.ratings.push(PublishedRating {
            group: OVERALL_GROUP.into(),
            domain: Domain::Overall,
            value: RatingValue::Rated(rating),
            published: None,
            report_type: None,
            inherited: false,
        });
        l.detail.facts.service_types = match nursing {
            Some(true) => vec!["Care home service with nursing".into()],
            Some(false) => vec!["Care home service without nursing".into()],
            None => vec![],
        };
        l
    }

    fn oldham() -> Vec<Location> {
        vec![
            at("a", "OL1 2DP", "Oldham", 53.5476449, -2.116427),
            at("b", "OL1 3AB", "Oldham", 53.55, -2.12),
            at("c", "OL1 3AB", "OLDHAM", 53.56, -2.10),
            at("d", "OL8 1XX", "Oldham", 53.53, -2.10),
            at("e", "SY1 1AA", "Shrewsbury", 52.71, -2.75),
        ]
    }

    #[test]
    fn haversine_matches_known_distances() {
        // Along a meridian a degree is the radius times pi/180; a quarter of the equator is
        // a quarter of the circumference.
        let origin = Point { lat: 0.0, lon: 0.0 };
        let north = Point { lat: 1.0, lon: 0.0 };
        let quarter = Point {
            lat: 0.0,
            lon: 90.0,
        };
        assert!((distance_km(origin, north) - 111.195).abs() < 0.001);
        assert!((distance_km(origin, quarter) - 10_007.557).abs() < 0.001);
        assert!((km_to_miles(distance_km(origin, north)) - 69.093).abs() < 0.001);
        let oldham = Point {
            lat: 53.5409,
            lon: -2.1114,
        };
        assert_eq!(distance_km(oldham, oldham), 0.0);
        // Symmetric.
        assert!((distance_km(quarter, north) - distance_km(north, quarter)).abs() < 1e-9);
    }

    #[test]
    fn a_full_postcode_is_found_however_it_is_typed() {
        let data = oldham();
        for typed in ["OL1 2DP", "ol12dp", "  Ol1   2dP "] {
            let fix = place_coordinates(typed, &data).expect(typed);
            assert_eq!(fix.source, FixSource::Postcode("OL1 2DP".into()));
            assert_eq!(fix.describe(), "postcode OL1 2DP");
            assert!((fix.point.lat - 53.547645).abs() < 1e-9);
        }
        let shared = place_coordinates("OL1 3AB", &data).expect("shared postcode");
        assert_eq!(shared.services, 2);
        assert!((shared.point.lat - 53.555).abs() < 1e-9);
    }

    #[test]
    fn an_unknown_postcode_falls_back_to_its_district() {
        let data = oldham();
        let fix = place_coordinates("OL1 9ZZ", &data).expect("district");
        assert_eq!(fix.source, FixSource::District("OL1".into()));
        assert_eq!(fix.services, 3);
        assert_eq!(fix.unmatched_postcode.as_deref(), Some("OL1 9ZZ"));
        assert_eq!(fix.describe(), "postcode district OL1 (3 services)");
        let typed = place_coordinates("ol8", &data).expect("typed district");
        assert_eq!(typed.describe(), "postcode district OL8 (1 service)");
        assert_eq!(typed.unmatched_postcode, None);
    }

    #[test]
    fn a_town_is_the_mean_of_its_locations_spelled_as_the_data_spells_it() {
        let data = oldham();
        let fix = place_coordinates("oldham", &data).expect("town");
        assert_eq!(fix.source, FixSource::Town("Oldham".into()));
        assert_eq!(fix.services, 4);
        assert_eq!(fix.describe(), "town Oldham (4 services)");
        assert_eq!(place_coordinates("Atlantis", &data), None);
        assert_eq!(place_coordinates("ZZ9 9ZZ", &data), None);
        assert_eq!(place_coordinates("  ", &data), None);
    }

    #[test]
    fn locations_without_coordinates_do_not_place_a_postcode() {
        let mut data = oldham();
        data[0].detail.facts.coordinates = None;
        let fix = place_coordinates("OL1 2DP", &data).expect("district fallback");
        assert_eq!(fix.source, FixSource::District("OL1".into()));
        assert_eq!(fix.services, 2);
    }

    #[test]
    fn postcode_shapes() {
        for ok in ["M1", "OL1", "SY10", "EC1A", "W1A"] {
            assert!(is_outward_code(ok), "{ok}");
        }
        for bad in ["", "1", "OLD", "OLDH1", "O1-", "ÖL1"] {
            assert!(!is_outward_code(bad), "{bad}");
        }
        assert_eq!(
            split_postcode("EC1A1BB"),
            Some(("EC1A".into(), "1BB".into()))
        );
        assert_eq!(split_postcode("OLDHAM"), None);
        assert_eq!(split_postcode("OL12D9"), None);
    }

    #[test]
    fn nearest_is_sorted_and_filtered() {
        let mut data = oldham();
        data[1] = rated(data[1].clone(), Rating::Good, Some(true));
        data[2] = rated(data[2].clone(), Rating::RequiresImprovement, Some(true));
        data[3] = rated(data[3].clone(), Rating::Outstanding, None);
        data[4] = rated(data[4].clone(), Rating::Good, Some(true));
        let fix = place_coordinates("OL1 2DP", &data).expect("fix").point;
        let all: Vec<usize> = nearest(&data, fix, &NearFilters::default())
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        assert_eq!(all, vec![0, 1, 2, 3, 4]);
        let good_with_nursing = NearFilters {
            at_least: Some(Rating::Good),
            nursing: NursingFilter::With,
            ..Default::default()
        };
        let found = nearest(&data, fix, &good_with_nursing);
        assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), vec![1, 4]);
        assert!(found[0].1 < found[1].1);
        // The Outstanding one whose nursing care the data does not give is counted, not shown.
        assert_eq!(unknown_nursing(&data, &good_with_nursing), 1);
        assert_eq!(unknown_nursing(&data, &NearFilters::default()), 0);
    }

    #[test]
    fn closed_locations_are_not_near_anything() {
        let mut data = oldham();
        data[1].detail.registration.status = crate::model::RegistrationStatus::Deregistered;
        let fix = Point::of(&data[0]).expect("coordinates");
        assert!(nearest(&data, fix, &NearFilters::default())
            .iter()
            .all(|(i, _)| *i != 1));
    }
}
