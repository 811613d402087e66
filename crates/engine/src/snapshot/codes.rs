//! The fixed numeric codes the snapshot stores for the model's enums and dates. They are
//! spelled out here (not derived from declaration order) so that reordering a model enum cannot
//! silently change the meaning of stored bytes; docs/snapshot-format.md lists the same tables.

use crate::model::{Date, Domain, KeyQuestion, NotRatedKind, Rating, RatingValue};
use chrono::Datelike;

pub(super) fn key_question_code(kq: KeyQuestion) -> u8 {
    match kq {
        KeyQuestion::Safe => 0,
        KeyQuestion::Effective => 1,
        KeyQuestion::Caring => 2,
        KeyQuestion::Responsive => 3,
        KeyQuestion::WellLed => 4,
    }
}

pub(super) fn key_question_from(code: u8) -> Option<KeyQuestion> {
    Some(match code {
        0 => KeyQuestion::Safe,
        1 => KeyQuestion::Effective,
        2 => KeyQuestion::Caring,
        3 => KeyQuestion::Responsive,
        4 => KeyQuestion::WellLed,
        _ => return None,
    })
}

/// The five key questions keep their codes; Overall is 5.
pub(super) fn domain_code(domain: Domain) -> u8 {
    match domain {
        Domain::KeyQuestion(kq) => key_question_code(kq),
        Domain::Overall => 5,
    }
}

pub(super) fn domain_from(code: u8) -> Option<Domain> {
    match code {
        5 => Some(Domain::Overall),
        _ => key_question_from(code).map(Domain::KeyQuestion),
    }
}

pub(super) fn not_rated_code(kind: NotRatedKind) -> u8 {
    match kind {
        NotRatedKind::NotRated => 0,
        NotRatedKind::InspectedButNotRated => 1,
        NotRatedKind::InsufficientEvidence => 2,
        NotRatedKind::RegulationsMet => 3,
        NotRatedKind::RegulationsNotMet => 4,
        NotRatedKind::NotApplicable => 5,
        NotRatedKind::NoPublishedRating => 6,
        NotRatedKind::Suspended => 7,
        NotRatedKind::UnderAppeal => 8,
    }
}

pub(super) fn not_rated_from(code: u8) -> Option<NotRatedKind> {
    Some(match code {
        0 => NotRatedKind::NotRated,
        1 => NotRatedKind::InspectedButNotRated,
        2 => NotRatedKind::InsufficientEvidence,
        3 => NotRatedKind::RegulationsMet,
        4 => NotRatedKind::RegulationsNotMet,
        5 => NotRatedKind::NotApplicable,
        6 => NotRatedKind::NoPublishedRating,
        7 => NotRatedKind::Suspended,
        8 => NotRatedKind::UnderAppeal,
        _ => return None,
    })
}

/// 0–3 are the four levels worst first (their SAF score minus one); 4–12 the not-rated kinds.
pub(super) fn rating_value_code(value: RatingValue) -> u8 {
    match value {
        RatingValue::Rated(rating) => rating.score() - 1,
        RatingValue::Unrated(kind) => 4 + not_rated_code(kind),
    }
}

pub(super) fn rating_value_from(code: u8) -> Option<RatingValue> {
    match code {
        0..=3 => Rating::from_score(code + 1).map(RatingValue::Rated),
        _ => not_rated_from(code - 4).map(RatingValue::Unrated),
    }
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// Days since 1970-01-01 (negative before it).
pub(super) fn unix_day(date: Date) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
}

/// `None` for a day chrono cannot represent (beyond about ±262,000 years).
pub(super) fn date_from_unix_day(day: i64) -> Option<Date> {
    let from_ce = i32::try_from(day.checked_add(UNIX_EPOCH_FROM_CE)?).ok()?;
    Date::from_num_days_from_ce_opt(from_ce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_maps_back() {
        for code in 0..=u8::MAX {
            if let Some(kq) = key_question_from(code) {
                assert_eq!(key_question_code(kq), code);
            }
            if let Some(domain) = domain_from(code) {
                assert_eq!(domain_code(domain), code);
            }
            if let Some(value) = rating_value_from(code) {
                assert_eq!(rating_value_code(value), code);
            }
            if let Some(kind) = not_rated_from(code) {
                assert_eq!(not_rated_code(kind), code);
            }
        }
        assert_eq!((0..=u8::MAX).filter_map(domain_from).count(), 6);
        assert_eq!((0..=u8::MAX).filter_map(rating_value_from).count(), 13);
    }

    #[test]
    fn day_numbers_are_unix_days() {
        let epoch = Date::from_ymd_opt(1970, 1, 1).expect("a valid date");
        assert_eq!(unix_day(epoch), 0);
        let date = Date::from_ymd_opt(2025, 9, 22).expect("a valid date");
        assert_eq!(unix_day(date), 20_353);
        assert_eq!(date_from_unix_day(20_353), Some(date));
        assert_eq!(date_from_unix_day(unix_day(Date::MIN)), Some(Date::MIN));
        assert_eq!(date_from_unix_day(unix_day(Date::MAX)), Some(Date::MAX));
        assert_eq!(date_from_unix_day(unix_day(Date::MAX) + 1), None);
        assert_eq!(date_from_unix_day(i64::MAX), None);
    }
}
