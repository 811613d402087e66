//! Search on the bundled real snapshot: the queries the user journeys type, with and without
//! typos, find the real places.

use cqc_engine::search::SearchIndex;
use cqc_engine::snapshot;

fn bundled() -> cqc_engine::model::Snapshot {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/snapshot.bin"
    ))
    .expect("bundled snapshot present");
    snapshot::decode(&bytes).expect("bundled snapshot decodes")
}

fn names(snapshot: &cqc_engine::model::Snapshot, hits: &[u32]) -> Vec<String> {
    hits.iter()
        .map(|&i| snapshot.locations[i as usize].name.clone())
        .collect()
}

#[test]
fn a_town_finds_every_location_in_it_and_nothing_else() {
    let snapshot = bundled();
    let index = SearchIndex::new(&snapshot);
    let hits = index.search("Ludlow");
    let expected = snapshot
        .locations
        .iter()
        .filter(|l| {
            format!("{} {} {} {}", l.name, l.city, l.provider_name, l.street)
                .to_lowercase()
                .contains("ludlow")
        })
        .count();
    assert!(hits.len() >= 10, "Ludlow has many services: {}", hits.len());
    assert!(hits.len() <= expected + 5);
    for &i in &hits {
        let l = &snapshot.locations[i as usize];
        let hay = format!(
            "{} {} {} {} {}",
            l.name,
            l.city,
            l.provider_name,
            l.brand_name.as_deref().unwrap_or(""),
            l.local_authority
        )
        .to_lowercase();
        assert!(hay.contains("ludlow"), "{} does not mention Ludlow", l.name);
    }
}

#[test]
fn a_typo_still_finds_the_place() {
    let snapshot = bundled();
    let index = SearchIndex::new(&snapshot);
    let exact = index.search("Oldham");
    let typo = index.search("Oldahm");
    assert!(exact.len() > 100, "Oldham has hundreds of locations");
    assert_eq!(exact.len(), typo.len());
    let shrewsbury = index.search("shrewsbry");
    assert!(names(&snapshot, &shrewsbury)
        .iter()
        .any(|n| n.to_lowercase().contains("shrewsbury")));
}

#[test]
fn an_exact_name_ranks_first_and_words_combine() {
    let snapshot = bundled();
    let index = SearchIndex::new(&snapshot);
    let hits = index.search("albrighton medical");
    let first = &snapshot.locations[hits[0] as usize];
    assert_eq!(first.id, "1-556658867", "{}", first.name);
    // Every word must match: adding a word can only narrow the results.
    assert!(index.search("albrighton").len() >= hits.len());
}

#[test]
fn postcodes_and_ids_are_found_with_or_without_the_space() {
    let snapshot = bundled();
    let index = SearchIndex::new(&snapshot);
    let albrighton = snapshot
        .locations
        .iter()
        .position(|l| l.id == "1-556658867")
        .expect("Albrighton is in the bundled data") as u32;
    let postcode = snapshot.locations[albrighton as usize].postcode.clone();
    assert!(index.search(&postcode).contains(&albrighton));
    assert!(index
        .search(&postcode.replace(' ', ""))
        .contains(&albrighton));
    assert_eq!(index.search("1-556658867")[0], albrighton);
    assert!(index.search("").is_empty());
    assert!(index.search("zzqqxxjj").is_empty());
}

mod filters {
    use super::bundled;
    use cqc_engine::audit::audit;
    use cqc_engine::model::{Domain, KeyQuestion, Rating};
    use cqc_engine::rules::RuleParams;
    use cqc_engine::search::{select, AgeBand, Filters, SearchIndex, Sort};

    #[test]
    fn filters_narrow_and_agree_with_the_data() {
        let snapshot = bundled();
        let index = SearchIndex::new(&snapshot);
        let report = audit(&snapshot, &RuleParams::default());
        let all = select(&snapshot, &index, &report, &Filters::default());
        assert_eq!(all.len(), snapshot.locations.len());

        let outstanding = Filters {
            rating: "outstanding".into(),
            ..Filters::default()
        };
        let hits = select(&snapshot, &index, &report, &outstanding);
        assert!(!hits.is_empty());
        for &i in &hits {
            let overall = snapshot.locations[i].published(Domain::Overall);
            assert_eq!(
                overall.and_then(|p| p.value.rated()),
                Some(Rating::Outstanding)
            );
        }

        let safe_inadequate = Filters {
            key_question: Some(KeyQuestion::Safe),
            key_question_rating: "inadequate".into(),
            ..Filters::default()
        };
        for &i in &select(&snapshot, &index, &report, &safe_inadequate) {
            let safe = snapshot.locations[i].published(Domain::KeyQuestion(KeyQuestion::Safe));
            assert_eq!(safe.and_then(|p| p.value.rated()), Some(Rating::Inadequate));
        }

        let diverging = Filters {
            diverges: true,
            ..Filters::default()
        };
        let ids: Vec<&str> = select(&snapshot, &index, &report, &diverging)
            .into_iter()
            .map(|i| snapshot.locations[i].id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["1-139948467"],
            "Ashbourne House is the one divergence"
        );

        let bands: usize = AgeBand::ALL
            .iter()
            .map(|&band| {
                let f = Filters {
                    age: Some(band),
                    ..Filters::default()
                };
                select(&snapshot, &index, &report, &f).len()
            })
            .sum();
        let dated = snapshot
            .locations
            .iter()
            .filter(|l| {
                l.published(Domain::Overall)
                    .and_then(|p| p.published)
                    .is_some()
            })
            .count();
        assert_eq!(
            bands, dated,
            "every dated rating falls in exactly one age band"
        );
    }

    #[test]
    fn oldest_first_is_in_date_order_and_the_url_round_trips() {
        let snapshot = bundled();
        let index = SearchIndex::new(&snapshot);
        let report = audit(&snapshot, &RuleParams::default());
        let f = Filters {
            text: "shrewsbury".into(),
            sector: "Adult social care".into(),
            sort: Sort::Oldest,
            inherited: false,
            ..Filters::default()
        };
        let hits = select(&snapshot, &index, &report, &f);
        assert!(hits.len() > 5);
        let dates: Vec<_> = hits
            .iter()
            .filter_map(|&i| {
                snapshot.locations[i]
                    .published(Domain::Overall)
                    .and_then(|p| p.published)
            })
            .collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]));
        let pairs = f.to_pairs();
        let back = Filters::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, f);
    }
}

#[test]
fn the_mixed_dates_filter_lists_exactly_the_audits_mixed_ratings() {
    use cqc_engine::audit::audit;
    use cqc_engine::rules::RuleParams;
    use cqc_engine::search::{select, Filters};
    let snapshot = bundled();
    let index = SearchIndex::new(&snapshot);
    let report = audit(&snapshot, &RuleParams::default());
    let mixed = Filters {
        mixed_dates: true,
        ..Filters::default()
    };
    let hits = select(&snapshot, &index, &report, &mixed);
    assert_eq!(hits.len() as u32, report.mixed_dates);
    let ids: Vec<&str> = hits
        .iter()
        .map(|&i| snapshot.locations[i].id.as_str())
        .collect();
    assert!(
        ids.contains(&"1-1517912926"),
        "Cleobury Mortimer mixes 2016 and 2022"
    );
    let care_homes = Filters {
        care_home: true,
        text: "shrewsbury".into(),
        ..Filters::default()
    };
    for i in select(&snapshot, &index, &report, &care_homes) {
        assert!(snapshot.locations[i].care_home);
    }
}

#[test]
fn an_index_built_in_slices_answers_exactly_like_one_built_at_once() {
    use cqc_engine::search::IndexBuilder;
    let snapshot = bundled();
    let whole = SearchIndex::new(&snapshot);
    let mut builder = IndexBuilder::default();
    for slice in snapshot.locations.chunks(97) {
        builder.add(slice);
    }
    // Finished in the steps the page yields between (src/app/data.rs, index_in_slices).
    let mut sort = builder.start_sorting_vocabulary();
    let mut parts = 1;
    while !sort.sort_next() {
        parts += 1;
    }
    assert!(parts > 10, "the sort was cut into {parts} parts");
    let mut postings = sort.finish().start_laying_out_postings();
    let mut steps = 1;
    while !postings.lay_out_next(500) {
        steps += 1;
    }
    assert!(steps > 10, "the postings were laid out in {steps} steps");
    let mut short_lists = postings.finish().rank_names().start_short_lists();
    let mut calls = 1;
    while !short_lists.make_next(1_000) {
        calls += 1;
    }
    assert!(calls > 10, "the short lists were made in {calls} calls");
    let sliced = short_lists.finish();
    assert_eq!(sliced.vocabulary_len(), whole.vocabulary_len());
    for query in [
        "oldham",
        "oldahm",
        "shrewsbury",
        "sy3",
        "care home",
        "b",
        "beech huose",
        "1-556658867",
    ] {
        assert_eq!(sliced.search(query), whole.search(query), "{query}");
    }
}
