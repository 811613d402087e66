//! Round trips, the chunk API and hostile input for the snapshot format.

use super::*;
use crate::model::{
    Date, Domain, KeyQuestion, LocationDetail, NotRatedKind, PublishedRating, Rating, RatingValue,
    SafAssessment, SafKeyQuestion, SafStatement,
};

fn date(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::from_ymd_opt(y, m, d)
}

/// A snapshot that uses every field and every kind of value the format has a special case for.
/// A detail with every kind of field set, some per location.
fn sample_detail(i: u32) -> LocationDetail {
    use crate::model::{
        Commentary, CommentaryScope, Facts, HistoricRating, HistorySource, Registration,
        RegistrationStatus, Relationship, RelationshipKind, Report,
    };
    LocationDetail {
        registration: Registration {
            status: RegistrationStatus::Deregistered,
            registered: date(2011, 1, 4),
            deregistered: date(2018, 6, 12),
            dormant: i.is_multiple_of(2),
        },
        relationships: vec![Relationship {
            kind: RelationshipKind::Successor,
            location_id: format!("1-{}", 900 + i),
            location_name: "Ünïcode House".into(),
            reason: "New Provider".into(),
        }],
        history: vec![HistoricRating {
            report_date: date(2019, 1, 18),
            report_link_id: Some("ca34d8e3".into()),
            overall: Some(RatingValue::Rated(Rating::Good)),
            key_questions: vec![(
                KeyQuestion::Safe,
                RatingValue::Unrated(NotRatedKind::InspectedButNotRated),
            )],
            source: HistorySource::Api,
        }],
        reports: vec![Report {
            link_id: "ca34d8e3".into(),
            date: date(2019, 1, 18),
            first_visit: None,
            report_type: "Location".into(),
        }],
        last_inspection: date(2021, 2, 19),
        commentary: vec![Commentary {
            plan_id: "AP1".into(),
            scope: CommentaryScope::EvidenceCategory {
                statement: 17,
                category: 2,
            },
            text: "People told us “they felt safe”.".repeat(i as usize + 1),
            date: date(2024, 7, 10),
        }],
        facts: Facts {
            beds: Some(40 + i),
            specialisms: vec!["Dementia".into()],
            service_types: vec!["Care home service with nursing".into()],
            regulated_activities: vec!["Treatment of disease, disorder or injury".into()],
            phone: Some("0161 000".into()),
            website: None,
            coordinates: Some((53_547_645, -2_116_427)),
        },
    }
}

fn sample() -> Snapshot {
    let rating = |group: &str, domain, value, published, report_type: Option<&str>, inherited| {
        PublishedRating {
            group: group.into(),
            domain,
            value,
            published,
            report_type: report_type.map(str::to_owned),
            inherited,
        }
    };
    let mut locations = Vec::new();
    for i in 0..11u32 {
        let id = format!("1-{}", 100_000 + i * 7);
        locations.push(Location {
            report_url: match i % 4 {
                0 => Some(format!("https://www.cqc.org.uk/location/{id}")),
                1 => Some(format!("http://www.cqc.org.uk/location/{id}")),
                2 => None,
                _ => Some("https://www.cqc.org.uk/location/someone-else".into()),
            },
            id,
            name: format!("Ty Gwyn Café {i}"),
            provider_id: format!("1-P{}", i / 3),
            provider_name: if i % 2 == 0 {
                String::new()
            } else {
                "Åbergavenny Care".into()
            },
            brand_id: (i % 3 == 0).then(|| "BD1".into()),
            brand_name: (i % 3 == 0).then(|| "BRAND Bupa".into()),
            location_type: "Social Care Org".into(),
            inspection_category: ["", "Residential social care", "GP Practices"][i as usize % 3]
                .into(),
            care_home: i % 2 == 1,
            street: format!("{i} High Street"),
            city: "Shrewsbury".into(),
            postcode: "SY1 1AA".into(),
            local_authority: "Shropshire".into(),
            region: "West Midlands".into(),
            ratings: (0..i % 7)
                .map(|k| {
                    rating(
                        if k % 3 == 0 {
                            "Overall"
                        } else {
                            "Older people"
                        },
                        if k == 0 {
                            Domain::Overall
                        } else {
                            Domain::KeyQuestion(KeyQuestion::ALL[k as usize % 5])
                        },
                        if k == 4 {
                            RatingValue::Unrated(NotRatedKind::UnderAppeal)
                        } else {
                            RatingValue::Rated(Rating::ALL[k as usize % 4])
                        },
                        if k == 5 {
                            None
                        } else {
                            date(2017 + k as i32, 1 + i, 9)
                        },
                        (k % 2 == 0).then_some("Location"),
                        k == 3,
                    )
                })
                .collect(),
            assessments: if i % 5 == 0 {
                vec![SafAssessment {
                    plan_id: "AP3134".into(),
                    service_group: "Care Homes".into(),
                    assessment_date: date(2024, 4, 17),
                    published: None,
                    rating: Some(RatingValue::Unrated(NotRatedKind::NotRated)),
                    key_questions: vec![
                        SafKeyQuestion {
                            key_question: KeyQuestion::WellLed,
                            rating: Some(RatingValue::Rated(Rating::Good)),
                            percentage: Some(255),
                            assessed: true,
                            date: date(1969, 12, 31),
                            statements: vec![
                                SafStatement {
                                    id: 27,
                                    score: Some(3),
                                    unrated: None,
                                    assessed: false,
                                },
                                SafStatement {
                                    id: 255,
                                    score: None,
                                    unrated: Some(NotRatedKind::RegulationsMet),
                                    assessed: true,
                                },
                            ],
                        },
                        SafKeyQuestion {
                            key_question: KeyQuestion::Safe,
                            rating: None,
                            percentage: None,
                            assessed: false,
                            date: None,
                            statements: vec![],
                        },
                    ],
                }]
            } else {
                vec![]
            },
            detail: if i % 3 == 1 {
                sample_detail(i)
            } else {
                LocationDetail::default()
            },
        });
    }
    Snapshot {
        meta: SnapshotMeta {
            format_version: SNAPSHOT_FORMAT_VERSION,
            data_date: date(2025, 9, 22),
            sources: vec!["a.csv: CQC Latest ratings".into(), "Ünïcode".into()],
            licence: "OGL v3.0".into(),
            rows_read: 12,
            rows_accepted: 11,
            rows_reported: u64::MAX,
        },
        locations,
    }
}

#[test]
fn round_trips_at_every_chunk_size() {
    let snapshot = sample();
    for size in [1, 2, 3, 10, 11, 4_000] {
        let bytes = encode_with_chunk_size(&snapshot, size);
        assert_eq!(decode(&bytes).as_ref(), Ok(&snapshot), "chunk size {size}");
        let reader = SnapshotReader::open(&bytes).expect("opens");
        assert_eq!(
            reader.chunk_count(),
            snapshot.locations.len().div_ceil(size)
        );
        assert_eq!(reader.location_count(), snapshot.locations.len());
    }
    // Re-encoding what was decoded gives back the same bytes.
    let bytes = encode(&snapshot);
    assert_eq!(decode(&bytes).map(|s| encode(&s)), Ok(bytes));
}

#[test]
fn chunks_concatenated_are_the_one_shot_decode() {
    let snapshot = sample();
    let bytes = encode_with_chunk_size(&snapshot, 4);
    let reader = SnapshotReader::open(&bytes).expect("opens");
    assert_eq!(reader.meta(), &snapshot.meta);
    let mut locations = Vec::new();
    // Out of order on purpose: each chunk depends only on the header.
    for index in (0..reader.chunk_count()).rev() {
        let mut chunk = reader.decode_chunk(index).expect("decodes");
        chunk.extend(locations);
        locations = chunk;
    }
    assert_eq!(locations, snapshot.locations);
    assert!(reader.decode_chunk(reader.chunk_count()).is_err());
}

#[test]
fn empty_snapshot_round_trips() {
    let snapshot = Snapshot::default();
    let bytes = encode(&snapshot);
    assert_eq!(decode(&bytes), Ok(snapshot));
    assert_eq!(SnapshotReader::open(&bytes).map(|r| r.chunk_count()), Ok(0));
}

#[test]
fn typed_errors_for_the_wrong_file_or_version() {
    let bytes = encode(&sample());
    assert_eq!(decode(b"nope"), Err(SnapshotError::BadMagic));
    assert_eq!(decode(b""), Err(SnapshotError::BadMagic));
    // A version 1 file (postcard) is refused by its version, not misread.
    let mut v1 = b"CQCX".to_vec();
    v1.extend_from_slice(&1u32.to_le_bytes());
    v1.extend_from_slice(&bytes[8..]);
    assert_eq!(
        decode(&v1),
        Err(SnapshotError::WrongVersion {
            found: 1,
            expected: SNAPSHOT_FORMAT_VERSION
        })
    );
    assert!(matches!(
        decode(&bytes[..6]),
        Err(SnapshotError::Corrupt(_))
    ));
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(
        matches!(decode(&trailing), Err(SnapshotError::Corrupt(m)) if m.contains("unexpected bytes"))
    );
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = encode_with_chunk_size(&sample(), 3);
    for len in 0..bytes.len() {
        assert!(decode(&bytes[..len]).is_err(), "truncated to {len} bytes");
    }
}

/// Any single corrupted byte gives an error or a snapshot that round-trips; never a panic.
#[test]
fn corrupt_bytes_never_panic() {
    let bytes = encode_with_chunk_size(&sample(), 3);
    for at in PREAMBLE_LEN..bytes.len() {
        for value in [0x00, 0x01, 0x7f, 0x80, 0xff, bytes[at] ^ 0x01] {
            let mut mutated = bytes.clone();
            mutated[at] = value;
            if let Ok(snapshot) = decode(&mutated) {
                assert_eq!(
                    decode(&encode(&snapshot)).as_ref(),
                    Ok(&snapshot),
                    "byte {at}"
                );
            }
            if let Ok(reader) = SnapshotReader::open(&mutated) {
                for index in 0..reader.chunk_count() {
                    let _ = reader.decode_chunk(index);
                }
            }
        }
    }
}

/// Every changed byte after the magic and version is caught by a checksum (or by the header
/// length it guards): damage is an error, never a snapshot with different data.
#[test]
fn any_damaged_byte_is_an_error() {
    let bytes = encode_with_chunk_size(&sample(), 3);
    for at in PREAMBLE_LEN..bytes.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut damaged = bytes.clone();
            damaged[at] ^= flip;
            assert!(
                decode(&damaged).is_err(),
                "byte {at} xor {flip:#x} decoded without an error"
            );
        }
    }
}

/// The checksum is the CRC-32 docs/snapshot-format.md names, by its standard check value.
#[test]
fn the_checksum_is_the_standard_crc32() {
    assert_eq!(checksum(b"123456789"), 0xcbf4_3926);
}

/// A damaged chunk fails alone: the header and the other chunks still decode, so the chunked
/// decoder needs nothing beyond the chunk it is decoding.
#[test]
fn a_damaged_chunk_fails_alone() {
    let bytes = encode_with_chunk_size(&sample(), 3);
    let (offset, expected) = {
        let reader = SnapshotReader::open(&bytes).expect("opens");
        assert!(reader.chunk_count() >= 2);
        let offset = reader.chunks[1].offset;
        let expected: Vec<_> = (0..reader.chunk_count())
            .map(|i| reader.decode_chunk(i))
            .collect();
        (offset, expected)
    };
    let mut damaged = bytes.clone();
    damaged[offset] ^= 0x10;
    let reader = SnapshotReader::open(&damaged).expect("the header is intact");
    for (index, expected) in expected.iter().enumerate() {
        let decoded = reader.decode_chunk(index);
        if index == 1 {
            let Err(SnapshotError::Damaged(message)) = decoded else {
                panic!("chunk 1 must be reported damaged, got {decoded:?}");
            };
            assert!(message.starts_with("chunk 1 (bytes "), "{message}");
        } else {
            assert_eq!(&decoded, expected, "chunk {index}");
        }
    }
    let mut header_damaged = bytes;
    header_damaged[HEADER_START + 1] ^= 0x10;
    assert!(matches!(
        SnapshotReader::open(&header_damaged).map(|r| r.chunk_count()),
        Err(SnapshotError::Damaged(m)) if m.starts_with("the header (bytes 20 to ")
    ));
}

/// Counts are checked against the bytes that could hold them before anything is allocated.
#[test]
fn counts_larger_than_the_data_are_refused() {
    // The empty snapshot's metadata and string table, then one chunk of zeros with a true
    // checksum, so that the counts, not the checksums, are what is checked.
    let mut header = Vec::new();
    put_meta(&mut header, &SnapshotMeta::default());
    StringTableBuilder::default().write(&mut header);
    let with_directory = |locations: u8, len: u8| {
        assemble(
            header.clone(),
            &[(usize::from(locations), vec![0u8; usize::from(len)])],
        )
    };
    // 100 locations cannot fit in 100 bytes: each needs at least 17.
    let Err(SnapshotError::Corrupt(message)) = decode(&with_directory(100, 100)) else {
        panic!("100 locations in 100 bytes must be corrupt");
    };
    assert!(message.contains("claims 100 locations"), "{message}");
    // 5 locations in 85 bytes of zeros: every field is "first string", but there is no string.
    let Err(SnapshotError::Corrupt(message)) = decode(&with_directory(5, 85)) else {
        panic!("a reference into an empty table must be corrupt");
    };
    assert!(
        message.contains("location id refers to string"),
        "{message}"
    );
}

#[test]
fn a_few_bytes_cannot_ask_for_gigabytes_of_text() {
    // One 1 MB string referred to by 4,000 locations: a few kilobytes of references that
    // would copy 4 GB of text if believed.
    let long = "x".repeat(1 << 20);
    let snapshot = Snapshot {
        locations: (0..4_000)
            .map(|i| Location {
                id: format!("1-{i}"),
                provider_name: long.clone(),
                ..Location::default()
            })
            .collect(),
        ..Snapshot::default()
    };
    let bytes = encode(&snapshot);
    assert!(bytes.len() < 2 << 20, "{} bytes", bytes.len());
    let Err(SnapshotError::Corrupt(message)) = decode(&bytes) else {
        panic!("the copies must be refused");
    };
    assert!(
        message.contains("would copy more than 128 times the file's size"),
        "{message}"
    );
    // The same string a few times is ordinary data (compared by length: a failure would
    // print megabytes).
    let few = Snapshot {
        locations: snapshot.locations[..3].to_vec(),
        ..Snapshot::default()
    };
    let decoded = decode(&encode(&few)).map(|s| {
        s.locations
            .iter()
            .map(|l| l.provider_name.len())
            .sum::<usize>()
    });
    assert_eq!(decoded, Ok(3 << 20));
}

#[test]
fn errors_say_where() {
    let bytes = encode_with_chunk_size(&sample(), 3);
    let reader = SnapshotReader::open(&bytes).expect("opens");
    let last = reader.chunk_count() - 1;
    let entry = &reader.chunks[last];
    let end = entry.offset + entry.bytes.len();
    let Err(SnapshotError::Corrupt(message)) = decode(&bytes[..end - 1]) else {
        panic!("a truncated last chunk must be corrupt");
    };
    assert!(message.contains("snapshot header"), "{message}");
    let truncated = ByteReader::new(
        &entry.bytes[..entry.bytes.len() - 1],
        entry.offset,
        "chunk".into(),
    );
    let error = chunk::decode_chunk(
        truncated,
        &reader.strings,
        entry.locations,
        &reader.copy_budget,
    );
    assert!(matches!(error, Err(SnapshotError::Corrupt(m)) if m.starts_with("chunk at byte")));
}

#[test]
fn the_bundled_snapshot_round_trips_bytewise() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../public/data/snapshot.bin"
    );
    let bytes = std::fs::read(path).expect("the bundled snapshot is present");
    let snapshot = decode(&bytes).expect("the bundled snapshot decodes");
    assert_eq!(encode(&snapshot), bytes);
    let reader = SnapshotReader::open(&bytes).expect("opens");
    let mut locations = Vec::new();
    for index in 0..reader.chunk_count() {
        locations.extend(reader.decode_chunk(index).expect("decodes"));
    }
    assert_eq!(locations, snapshot.locations);
}

#[cfg(not(target_arch = "wasm32"))]
mod generated {
    use super::*;
    use proptest::prelude::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            Just("Overall".to_string()),
            "[a-c]{1,3}",
            "\\PC{0,8}",
        ]
    }

    fn rating_value() -> impl Strategy<Value = RatingValue> {
        (0u8..13).prop_map(|code| {
            codes::rating_value_from(code).unwrap_or(RatingValue::Rated(Rating::Good))
        })
    }

    fn any_date() -> impl Strategy<Value = Option<Date>> {
        proptest::option::of(
            (codes::unix_day(Date::MIN)..=codes::unix_day(Date::MAX))
                .prop_filter_map("representable", codes::date_from_unix_day),
        )
    }

    fn published_rating() -> impl Strategy<Value = PublishedRating> {
        (
            text(),
            0u8..6,
            rating_value(),
            any_date(),
            proptest::option::of(text()),
            any::<bool>(),
        )
            .prop_map(
                |(group, domain, value, published, report_type, inherited)| PublishedRating {
                    group,
                    domain: codes::domain_from(domain).unwrap_or(Domain::Overall),
                    value,
                    published,
                    report_type,
                    inherited,
                },
            )
    }

    fn assessment() -> impl Strategy<Value = SafAssessment> {
        let statement = (
            any::<u8>(),
            proptest::option::of(any::<u8>()),
            proptest::option::of(0u8..9),
            any::<bool>(),
        )
            .prop_map(|(id, score, unrated, assessed)| SafStatement {
                id,
                score,
                unrated: unrated.and_then(codes::not_rated_from),
                assessed,
            });
        let key_question = (
            0u8..5,
            proptest::option::of(rating_value()),
            proptest::option::of(any::<u8>()),
            any::<bool>(),
            any_date(),
            proptest::collection::vec(statement, 0..3),
        )
            .prop_map(
                |(kq, rating, percentage, assessed, date, statements)| SafKeyQuestion {
                    key_question: codes::key_question_from(kq).unwrap_or(KeyQuestion::Safe),
                    rating,
                    percentage,
                    assessed,
                    date,
                    statements,
                },
            );
        (
            text(),
            text(),
            any_date(),
            any_date(),
            proptest::option::of(rating_value()),
            proptest::collection::vec(key_question, 0..3),
        )
            .prop_map(
                |(plan_id, service_group, assessment_date, published, rating, key_questions)| {
                    SafAssessment {
                        plan_id,
                        service_group,
                        assessment_date,
                        published,
                        rating,
                        key_questions,
                    }
                },
            )
    }

    fn location() -> impl Strategy<Value = Location> {
        (
            (
                text(),
                text(),
                text(),
                text(),
                proptest::option::of(text()),
                proptest::option::of(text()),
            ),
            (
                text(),
                text(),
                any::<bool>(),
                text(),
                text(),
                text(),
                text(),
                text(),
            ),
            (
                prop_oneof![
                    Just(None),
                    Just(Some(String::new())),
                    Just(Some("https://www.cqc.org.uk/location/".to_string())),
                    proptest::option::of(text())
                ],
                0u8..3,
                proptest::collection::vec(published_rating(), 0..8),
                proptest::collection::vec(assessment(), 0..2),
            ),
        )
            .prop_map(
                |(
                    (id, name, provider_id, provider_name, brand_id, brand_name),
                    (
                        location_type,
                        inspection_category,
                        care_home,
                        street,
                        city,
                        postcode,
                        local_authority,
                        region,
                    ),
                    (report_url, url_kind, ratings, assessments),
                )| {
                    // Often the URL CQC gives every location, which the format stores as a code.
                    let report_url = match url_kind {
                        0 => Some(format!("https://www.cqc.org.uk/location/{id}")),
                        1 => Some(format!("http://www.cqc.org.uk/location/{id}")),
                        _ => report_url,
                    };
                    Location {
                        id,
                        name,
                        provider_id,
                        provider_name,
                        brand_id,
                        brand_name,
                        location_type,
                        inspection_category,
                        care_home,
                        street,
                        city,
                        postcode,
                        local_authority,
                        region,
                        report_url,
                        ratings,
                        assessments,
                        detail: LocationDetail::default(),
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn any_snapshot_round_trips(
            locations in proptest::collection::vec(location(), 0..12),
            data_date in any_date(),
            sources in proptest::collection::vec(text(), 0..3),
            rows in any::<(u64, u64, u64, u32)>(),
            chunk_size in 1usize..6,
        ) {
            let snapshot = Snapshot {
                meta: SnapshotMeta {
                    format_version: rows.3,
                    data_date,
                    sources,
                    licence: "OGL".into(),
                    rows_read: rows.0,
                    rows_accepted: rows.1,
                    rows_reported: rows.2,
                },
                locations,
            };
            let bytes = encode_with_chunk_size(&snapshot, chunk_size);
            let decoded = decode(&bytes);
            prop_assert_eq!(decoded.as_ref(), Ok(&snapshot));
            let again = decoded.map(|s| encode_with_chunk_size(&s, chunk_size));
            prop_assert_eq!(again.as_ref(), Ok(&bytes));
        }
    }
}
