//! The search page's filters and sort as plain data, and the selection they make. Kept out of
//! the app so the same code is tested and benchmarked natively and read from a URL.

use super::SearchIndex;
use crate::audit::{sector_of, Agreement, AuditReport};
use crate::model::{Date, Domain, KeyQuestion, Location, Rating, Snapshot};
use crate::near::NursingFilter;
use crate::story::{reinspection_clock, ReinspectionClock};

/// Freshness bands of a rating's age: under 2 years, 2–4, 4–6, over 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgeBand {
    Fresh,
    Ageing,
    Old,
    VeryOld,
}

impl AgeBand {
    pub const ALL: [AgeBand; 4] = [
        AgeBand::Fresh,
        AgeBand::Ageing,
        AgeBand::Old,
        AgeBand::VeryOld,
    ];

    pub fn of_years(years: f64) -> AgeBand {
        if years < 2.0 {
            AgeBand::Fresh
        } else if years < 4.0 {
            AgeBand::Ageing
        } else if years < 6.0 {
            AgeBand::Old
        } else {
            AgeBand::VeryOld
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            AgeBand::Fresh => "fresh",
            AgeBand::Ageing => "ageing",
            AgeBand::Old => "old",
            AgeBand::VeryOld => "very-old",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Fresh => "under 2 years old",
            AgeBand::Ageing => "2–4 years old",
            AgeBand::Old => "4–6 years old",
            AgeBand::VeryOld => "over 6 years old",
        }
    }

    pub fn from_slug(slug: &str) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.slug() == slug)
    }
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best text match first when there is text, else by name.
    #[default]
    Relevance,
    Name,
    BestRating,
    WorstRating,
    Oldest,
    Newest,
    /// Longest since CQC last inspected or assessed it (the re-inspection clock's date), first.
    LongestSinceInspection,
}

impl Sort {
    pub const ALL: [Sort; 7] = [
        Sort::Relevance,
        Sort::Name,
        Sort::BestRating,
        Sort::WorstRating,
        Sort::Oldest,
        Sort::Newest,
        Sort::LongestSinceInspection,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Sort::Relevance => "",
            Sort::Name => "name",
            Sort::BestRating => "rating",
            Sort::WorstRating => "worst",
            Sort::Oldest => "oldest",
            Sort::Newest => "newest",
            Sort::LongestSinceInspection => "since-inspection",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Relevance => "Best match",
            Sort::Name => "Name",
            Sort::BestRating => "Best rating first",
            Sort::WorstRating => "Worst rating first",
            Sort::Oldest => "Oldest rating first",
            Sort::Newest => "Newest rating first",
            Sort::LongestSinceInspection => "Longest since inspection",
        }
    }

    pub fn from_slug(slug: &str) -> Sort {
        Sort::ALL
            .into_iter()
            .find(|s| s.slug() == slug)
            .unwrap_or_default()
    }
}

/// Every filter of the search page. Empty strings mean "any".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filters {
    pub text: String,
    pub sector: String,
    pub region: String,
    pub local_authority: String,
    /// Overall rating slug, or "none" for no rating.
    pub rating: String,
    /// A key question and the rating it must have (slug or "none").
    pub key_question: Option<KeyQuestion>,
    pub key_question_rating: String,
    pub age: Option<AgeBand>,
    /// Only locations with at least one inherited rating.
    pub inherited: bool,
    /// Only care homes.
    pub care_home: bool,
    /// Only overall ratings that rest on key-question ratings published on different dates.
    pub mixed_dates: bool,
    /// Only locations whose published overall differs from the rules' result.
    pub diverges: bool,
    /// Only locations past the re-inspection target CQC stated for their rating (the clock's
    /// `past_target`: a stated target, not the provisional proposed cycle).
    pub past_target: bool,
    /// Nursing care or not, from CQC's service types (API data only).
    pub nursing: NursingFilter,
    /// A specialism CQC lists ("Dementia", …), matched without regard to case; empty for any.
    pub specialism: String,
    pub sort: Sort,
    /// The day ages (the age bands) and the re-inspection clock are measured to (the app's
    /// today, as every age badge is); the data's date when `None`. Not part of the URL: a
    /// shared link is read against the reader's own today.
    pub today: Option<Date>,
}

impl Filters {
    /// Reads the filters from URL query pairs; unknown keys and values are ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Filters {
        let mut f = Filters::default();
        for (key, value) in pairs {
            let value = value.to_string();
            match key {
                "q" => f.text = value,
                "sector" => f.sector = value,
                "region" => f.region = value,
                "la" => f.local_authority = value,
                "rating" => f.rating = value,
                "kq" => f.key_question = KeyQuestion::from_slug(&value),
                "kqr" => f.key_question_rating = value,
                "age" => f.age = AgeBand::from_slug(&value),
                "inherited" => f.inherited = value == "1",
                "carehome" => f.care_home = value == "1",
                "mixed" => f.mixed_dates = value == "1",
                "diverges" => f.diverges = value == "1",
                "overdue" => f.past_target = value == "1",
                "nursing" => f.nursing = NursingFilter::from_slug(&value),
                "spec" => f.specialism = value,
                "sort" => f.sort = Sort::from_slug(&value),
                _ => {}
            }
        }
        f
    }

    /// The filters as URL query pairs, in a fixed order, leaving out the empty ones.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |key: &'static str, value: &str| {
            if !value.is_empty() {
                pairs.push((key, value.to_string()));
            }
        };
        push("q", &self.text);
        push("sector", &self.sector);
        push("region", &self.region);
        push("la", &self.local_authority);
        push("rating", &self.rating);
        if let Some(kq) = self.key_question {
            push("kq", kq.slug());
            push("kqr", &self.key_question_rating);
        }
        push("age", self.age.map(AgeBand::slug).unwrap_or(""));
        push("inherited", if self.inherited { "1" } else { "" });
        push("carehome", if self.care_home { "1" } else { "" });
        push("mixed", if self.mixed_dates { "1" } else { "" });
        push("diverges", if self.diverges { "1" } else { "" });
        push("overdue", if self.past_target { "1" } else { "" });
        push("nursing", self.nursing.slug());
        push("spec", &self.specialism);
        push("sort", self.sort.slug());
        pairs
    }

    /// Whether a filter on CQC's facts is on: locations whose facts the data does not give
    /// are then left out, and [`unknown_facts`] counts them.
    pub fn uses_facts(&self) -> bool {
        self.nursing != NursingFilter::Any || !self.specialism.trim().is_empty()
    }

    /// The facts filters: `Some(passes)` when the location's facts answer them, `None` when a
    /// facts filter is on and the data has no facts for the location.
    fn facts_pass(&self, location: &Location) -> Option<bool> {
        let nursing = self.nursing.passes(location)?;
        let wanted = self.specialism.trim();
        if wanted.is_empty() {
            return Some(nursing);
        }
        let facts = &location.detail.facts;
        if facts.specialisms.is_empty() && facts.service_types.is_empty() {
            return None;
        }
        Some(
            nursing
                && facts
                    .specialisms
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(wanted)),
        )
    }
}

/// How many locations pass every other filter but are left out because the data has none of
/// CQC's facts for them (the Latest ratings file carries none): the page says so beside the
/// results.
pub fn unknown_facts(
    snapshot: &Snapshot,
    index: &SearchIndex,
    audit: &AuditReport,
    filters: &Filters,
) -> usize {
    if !filters.uses_facts() {
        return 0;
    }
    let without_facts = Filters {
        nursing: NursingFilter::Any,
        specialism: String::new(),
        ..filters.clone()
    };
    select(snapshot, index, audit, &without_facts)
        .into_iter()
        .filter(|&i| filters.facts_pass(&snapshot.locations[i]).is_none())
        .count()
}

fn rating_slug(location: &Location, domain: Domain) -> &'static str {
    location
        .published(domain)
        .and_then(|p| p.value.rated())
        .map(Rating::slug)
        .unwrap_or("none")
}

/// Indices of the locations that pass every filter, in the chosen order. `audit` must be the
/// audit of the same snapshot (its lines are in location order).
pub fn select(
    snapshot: &Snapshot,
    index: &SearchIndex,
    audit: &AuditReport,
    filters: &Filters,
) -> Vec<usize> {
    let as_of = snapshot.meta.data_date;
    let has_text = !filters.text.trim().is_empty();
    let candidates: Vec<usize> = if has_text {
        index
            .search(&filters.text)
            .into_iter()
            .map(|i| i as usize)
            .collect()
    } else {
        (0..snapshot.locations.len()).collect()
    };
    let overall_date = |l: &Location| l.published(Domain::Overall).and_then(|p| p.published);
    let clock_day = filters.today.or(as_of);
    let clock = |l: &Location| clock_day.map(|day| reinspection_clock(l, day));
    let mut out: Vec<usize> = candidates
        .into_iter()
        .filter(|&i| {
            let Some(l) = snapshot.locations.get(i) else {
                return false;
            };
            (filters.sector.is_empty() || sector_of(l) == filters.sector)
                && (filters.region.is_empty() || l.region == filters.region)
                && (filters.local_authority.is_empty()
                    || l.local_authority == filters.local_authority)
                && (filters.rating.is_empty() || rating_slug(l, Domain::Overall) == filters.rating)
                && match filters.key_question {
                    Some(kq) if !filters.key_question_rating.is_empty() => {
                        rating_slug(l, Domain::KeyQuestion(kq)) == filters.key_question_rating
                    }
                    _ => true,
                }
                && filters.age.is_none_or(|band| {
                    overall_date(l).zip(clock_day).is_some_and(|(p, at)| {
                        AgeBand::of_years(crate::model::years_between(p, at)) == band
                    })
                })
                && (!filters.inherited || l.ratings.iter().any(|r| r.inherited))
                && (!filters.care_home || l.care_home)
                && (!filters.mixed_dates
                    || audit
                        .locations
                        .get(i)
                        .and_then(|a| a.input_span_days)
                        .is_some_and(|days| days > 0))
                && (!filters.diverges
                    || matches!(
                        audit.locations.get(i).map(|a| a.agreement),
                        Some(Agreement::Diverges(_))
                    ))
                // A dormant location provides no regulated activity and waits for no
                // inspection; the national clock figures leave it out, and so does the list
                // they link to.
                && (!filters.past_target
                    || clock(l).is_some_and(|c| c.past_target() && !c.dormant))
                && filters.facts_pass(l) == Some(true)
        })
        .collect();
    let score = |i: usize| {
        snapshot.locations[i]
            .published(Domain::Overall)
            .and_then(|p| p.value.rated())
            .map(Rating::score)
    };
    // The search index's name order (folded: "Café" files with "Cafe"), which the data
    // layout stores locations in.
    let name = |i: usize| super::normalise(&snapshot.locations[i].name);
    match filters.sort {
        Sort::Relevance if has_text => {}
        Sort::Relevance | Sort::Name => out.sort_by_cached_key(|&i| name(i)),
        // Unrated locations go last either way.
        Sort::BestRating => out.sort_by_key(|&i| std::cmp::Reverse(score(i).unwrap_or(0))),
        Sort::WorstRating => out.sort_by_key(|&i| score(i).unwrap_or(u8::MAX)),
        Sort::Oldest => {
            out.sort_by_key(|&i| overall_date(&snapshot.locations[i]).unwrap_or(Date::MAX))
        }
        Sort::Newest => {
            out.sort_by_key(|&i| std::cmp::Reverse(overall_date(&snapshot.locations[i])))
        }
        // Locations with no date to measure from go last.
        Sort::LongestSinceInspection => out.sort_by_cached_key(|&i| {
            std::cmp::Reverse(
                clock(&snapshot.locations[i])
                    .as_ref()
                    .and_then(|c: &ReinspectionClock| c.days_since)
                    .unwrap_or(i64::MIN),
            )
        }),
    }
    out
}

/// How many of `rows` have each overall rating (Outstanding first), then the unrated.
pub fn rating_counts(snapshot: &Snapshot, rows: &[usize]) -> ([u32; 4], u32) {
    let mut counts = [0u32; 4];
    let mut unrated = 0;
    for &i in rows {
        match snapshot.locations[i]
            .published(Domain::Overall)
            .and_then(|p| p.value.rated())
        {
            Some(r) => counts[(4 - r.score()) as usize] += 1,
            None => unrated += 1,
        }
    }
    (counts, unrated)
}

#[cfg(test)]
mod clock_tests {
    use super::*;
    use crate::audit::summarise;

    fn bundled() -> Snapshot {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../public/data/snapshot.bin"
        );
        let bytes = std::fs::read(path).expect("bundled snapshot present");
        crate::snapshot::decode(&bytes).expect("bundled snapshot decodes")
    }

    fn day(y: i32, m: u32, d: u32) -> Option<Date> {
        Date::from_ymd_opt(y, m, d)
    }

    #[test]
    fn past_target_lists_exactly_the_clocks_past_a_stated_target_and_round_trips() {
        let snapshot = bundled();
        let index = SearchIndex::default();
        let audit = summarise(snapshot.meta.data_date, Vec::new());
        let filters = Filters {
            past_target: true,
            today: day(2026, 12, 1),
            ..Filters::default()
        };
        let hits = select(&snapshot, &index, &audit, &filters);
        let expected: Vec<usize> = (0..snapshot.locations.len())
            .filter(|&i| {
                let clock = reinspection_clock(
                    &snapshot.locations[i],
                    day(2026, 12, 1).unwrap_or_default(),
                );
                clock.past_target() && !clock.dormant
            })
            .collect();
        let mut sorted = hits.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, expected);
        // Elizabeth House (Oldham): Requires improvement, last inspected 8 Nov 2022.
        let elizabeth = snapshot
            .locations
            .iter()
            .position(|l| l.id == "1-117886088");
        assert!(elizabeth.is_some_and(|i| hits.contains(&i)));
        // Measured to the day after its inspection, nothing about it is overdue yet.
        let early = Filters {
            today: day(2022, 11, 9),
            ..filters.clone()
        };
        assert!(!select(&snapshot, &index, &audit, &early).contains(&elizabeth.unwrap_or(0)));
        // The flag is in the URL; the day is not (a link is read against the reader's today).
        let pairs = filters.to_pairs();
        assert!(pairs.contains(&("overdue", "1".to_string())));
        let back = Filters::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(
            back,
            Filters {
                today: None,
                ..filters
            }
        );
    }

    #[test]
    fn longest_since_inspection_sorts_by_the_clocks_days_with_undated_last() {
        let snapshot = bundled();
        let audit = summarise(snapshot.meta.data_date, Vec::new());
        let filters = Filters {
            sort: Sort::from_slug("since-inspection"),
            today: day(2026, 12, 1),
            ..Filters::default()
        };
        assert_eq!(filters.sort, Sort::LongestSinceInspection);
        let hits = select(&snapshot, &SearchIndex::default(), &audit, &filters);
        assert_eq!(hits.len(), snapshot.locations.len());
        let days: Vec<Option<i64>> = hits
            .iter()
            .map(|&i| {
                reinspection_clock(&snapshot.locations[i], day(2026, 12, 1).unwrap_or_default())
                    .days_since
            })
            .collect();
        let dated = days.iter().take_while(|d| d.is_some()).count();
        assert!(dated > 0 && days[dated..].iter().all(Option::is_none));
        assert!(days[..dated].windows(2).all(|w| w[0] >= w[1]), "{days:?}");
    }

    #[test]
    fn age_bands_are_measured_to_today_as_the_badges_are() {
        // Beech House Nursing Home, its overall published 17 Apr 2025: under 2 years old at the
        // data's date and on 1 Dec 2026 (1.6 years), 2 to 4 years old on 1 Jun 2027.
        let snapshot = bundled();
        let audit = summarise(snapshot.meta.data_date, Vec::new());
        let index = SearchIndex::default();
        let beech = snapshot
            .locations
            .iter()
            .position(|l| {
                l.id == "1-134399874"
                    && l.published(Domain::Overall).and_then(|p| p.published) == day(2025, 4, 17)
            })
            .expect("Beech House in the bundled data");
        let in_band = |band: &str, today: Option<Date>| {
            let filters = Filters {
                age: AgeBand::from_slug(band),
                today,
                ..Filters::default()
            };
            select(&snapshot, &index, &audit, &filters).contains(&beech)
        };
        let fresh = AgeBand::Fresh.slug();
        let ageing = AgeBand::Ageing.slug();
        assert!(in_band(fresh, None));
        assert!(in_band(fresh, day(2026, 12, 1)));
        assert!(in_band(ageing, day(2027, 6, 1)));
        assert!(!in_band(fresh, day(2027, 6, 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::summarise;

    fn home(id: &str, service_type: Option<&str>, specialisms: &[&str]) -> Location {
        let mut l = Location {
            id: id.into(),
            name: id.into(),
            ..Default::default()
        };
        l.detail.facts.service_types = service_type.into_iter().map(String::from).collect();
        l.detail.facts.specialisms = specialisms.iter().map(|s| s.to_string()).collect();
        l
    }

    fn snapshot() -> Snapshot {
        Snapshot {
            locations: vec![
                home(
                    "nursing",
                    Some("Care home service with nursing"),
                    &["Dementia"],
                ),
                home(
                    "residential",
                    Some("Care home service without nursing"),
                    &[],
                ),
                home("unknown", None, &[]),
            ],
            ..Default::default()
        }
    }

    fn selected(filters: &Filters) -> (Vec<String>, usize) {
        let s = snapshot();
        let audit = summarise(None, Vec::new());
        let index = SearchIndex::default();
        let ids = select(&s, &index, &audit, filters)
            .into_iter()
            .map(|i| s.locations[i].id.clone())
            .collect();
        (ids, unknown_facts(&s, &index, &audit, filters))
    }

    #[test]
    fn nursing_filters_leave_out_and_count_the_unknown() {
        let with = Filters::from_pairs([("nursing", "with")]);
        assert_eq!(selected(&with), (vec!["nursing".to_string()], 1));
        let without = Filters::from_pairs([("nursing", "without")]);
        assert_eq!(selected(&without), (vec!["residential".to_string()], 1));
        let (all, unknown) = selected(&Filters::default());
        assert_eq!((all.len(), unknown), (3, 0));
    }

    #[test]
    fn a_specialism_is_matched_without_regard_to_case() {
        let dementia = Filters::from_pairs([("spec", "dementia")]);
        assert_eq!(selected(&dementia), (vec!["nursing".to_string()], 1));
        let both = Filters::from_pairs([("spec", "Dementia"), ("nursing", "without")]);
        assert_eq!(selected(&both), (Vec::<String>::new(), 1));
        let vocabulary = crate::layout::Vocabulary::of(&snapshot());
        assert_eq!(vocabulary.specialisms, vec!["Dementia".to_string()]);
    }

    #[test]
    fn facts_filters_round_trip_through_the_url() {
        let f = Filters::from_pairs([("nursing", "with"), ("spec", "Dementia")]);
        let pairs = f.to_pairs();
        assert_eq!(
            Filters::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str()))),
            f
        );
        assert!(pairs.contains(&("nursing", "with".to_string())));
        assert_eq!(
            Filters::from_pairs([("nursing", "maybe")]).nursing,
            NursingFilter::Any
        );
    }
}
