//! Checks on what a row says beyond its format: that location and provider IDs have the shapes
//! CQC gives them (so a look-alike with a zero-width or right-to-left character is not a new
//! location), that names show any invisible character they hide, and that a publication date
//! falls between CQC's establishment and the file's own date.
//!
//! The ID shapes are every shape found in the real data (tests/fixtures/cqc and
//! /work/shared/data/cqc: 35,238 location IDs and 5,940 provider IDs, Latest ratings and API):
//! - `1-` and 9 to 11 digits (`1-101634431`, `1-10052707705`, `1-12204512345`): every
//!   location and provider registered with CQC itself; 12 digits are allowed for growth.
//! - NHS organisation codes, upper-case letters and digits: 5 characters for a location
//!   (`RXWAS`, `RL131`, `5QK13`, `R1GY1`: a trust's site code) and 3 for a provider (`RXW`,
//!   `5QK`, `R1G`: the trust's code).
//! - `SYNTH-` then letters, digits and dashes: the synthetic benchmark data (`ingest::synth`),
//!   never CQC's.

use crate::model::Date;
use std::borrow::Cow;

/// Which ID a value is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Location,
    Provider,
}

impl IdKind {
    fn nhs_code_len(self) -> usize {
        match self {
            IdKind::Location => 5,
            IdKind::Provider => 3,
        }
    }

    fn example(self) -> &'static str {
        match self {
            IdKind::Location => {
                "1- and 9 to 12 digits (1-10052707705) or a 5-character NHS site code (RXWAS)"
            }
            IdKind::Provider => {
                "1- and 9 to 12 digits (1-101634431) or a 3-character NHS trust code (RXW)"
            }
        }
    }
}

/// Why `id` is not an ID of this kind, or `None` when it is one.
pub fn id_problem(id: &str, kind: IdKind) -> Option<String> {
    if let Some(hidden) = id.chars().find(|&c| is_hidden(c) || c.is_whitespace()) {
        return Some(format!(
            "contains {}, which cannot be seen: it would look the same as another ID; expected {}",
            describe(hidden),
            kind.example()
        ));
    }
    if is_cqc_id(id) || is_nhs_code(id, kind.nhs_code_len()) || is_synthetic_id(id) {
        return None;
    }
    let why = if !id.is_ascii() {
        "contains a character outside ASCII, which no CQC ID has"
    } else {
        "is not in a format CQC uses"
    };
    Some(format!("{why}; expected {}", kind.example()))
}

fn is_cqc_id(id: &str) -> bool {
    id.strip_prefix("1-").is_some_and(|digits| {
        (9..=12).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

fn is_nhs_code(id: &str, len: usize) -> bool {
    id.len() == len
        && id
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn is_synthetic_id(id: &str) -> bool {
    id.strip_prefix("SYNTH-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
    })
}

/// Whether a character cannot be seen, or reorders or hides the text around it: control
/// characters (C0, DEL, C1), zero-width characters, bidirectional embeddings, overrides, isolates
/// and marks, and other invisible formatting (soft hyphen, word joiner, byte-order mark, Hangul
/// fillers, tag characters). These are what make two different strings look identical.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}')
}

/// A character as `U+200B`, with its name for the common ones.
pub fn describe(c: char) -> String {
    let name = match c {
        '\u{200B}' => " (zero-width space)",
        '\u{200C}' => " (zero-width non-joiner)",
        '\u{200D}' => " (zero-width joiner)",
        '\u{200E}' => " (left-to-right mark)",
        '\u{200F}' => " (right-to-left mark)",
        '\u{202A}'..='\u{202E}' => " (a bidirectional embedding or override)",
        '\u{2066}'..='\u{2069}' => " (a bidirectional isolate)",
        '\u{FEFF}' => " (byte-order mark)",
        '\u{00AD}' => " (soft hyphen)",
        c if c.is_control() => " (a control character)",
        _ => "",
    };
    format!("U+{:04X}{name}", u32::from(c))
}

/// `text` with every hidden character (see [`is_hidden`]) written as `<U+200B>`: a name keeps
/// its row (the location is real; its name was typed or pasted badly) but nobody reading it
/// is misled, and two names that differ only there no longer look the same.
pub fn make_visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_hidden(c) {
            out.push_str(&format!("<U+{:04X}>", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// CQC was established on 1 April 2009 (Health and Social Care Act 2008; it replaced the
/// Healthcare Commission, CSCI and the Mental Health Act Commission that day), so no CQC
/// publication is older. Ratings on the four-point scale started in 2014, but not on one day:
/// October 2014 is when they became the rule, yet the oldest rating still current in June 2024
/// was published on 8 June 2014 (Crawley Hospital, CQC's Dash review data; see
/// docs/algorithm_spec.md §7), so October 2014 would reject real rows.
pub fn earliest_publication() -> Date {
    Date::from_ymd_opt(2009, 4, 1).unwrap_or(Date::MIN)
}

const FUTURE: &str = "a rating cannot be published in the future";
const AFTER_FILE: &str = "a rating cannot be published after the file that lists it";

/// The dates a file's publication dates may take: from CQC's establishment to the file's own
/// date, or today's when the file states none (or states a later one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateWindow {
    pub earliest: Date,
    /// The latest date, what it is, and why nothing may be later.
    pub latest: Option<(Date, &'static str, &'static str)>,
}

impl DateWindow {
    pub fn new(file_date: Option<Date>, today: Option<Date>) -> Self {
        let latest = match (file_date, today) {
            (Some(file), Some(today)) if today < file => Some((today, "today", FUTURE)),
            (Some(file), _) => Some((file, "the file's own date (from its name)", AFTER_FILE)),
            (None, Some(today)) => Some((today, "today", FUTURE)),
            (None, None) => None,
        };
        DateWindow {
            earliest: earliest_publication(),
            latest,
        }
    }

    /// Why `date` cannot be a publication date in this file, or `None` when it can.
    pub fn problem(&self, date: Date) -> Option<String> {
        let dmy = crate::model::format_dmy;
        if date < self.earliest {
            return Some(format!(
                "is before {}, when CQC was established; no CQC rating is older",
                dmy(self.earliest)
            ));
        }
        match self.latest {
            Some((latest, what, why)) if date > latest => {
                Some(format!("is after {what}, {}; {why}", dmy(latest)))
            }
            _ => None,
        }
    }
}

/// The date a file's name states, as CQC names its monthly files
/// ("01_October_2025_Latest_ratings.ods") or as ISO ("uk_private_hospitals_all_2025-11-01.csv").
/// A name giving only a month ("latest_ratings_shropshire_2025-10.csv") states no date: the
/// day the extract was made is not known, and guessing the first or the last of the month would
/// move every rating's age or let rows from after the file's making pass.
pub fn date_from_file_name(name: &str) -> Option<Date> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let tokens: Vec<&str> = base
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let number = |t: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    let year = |t: &str| {
        number(t, 4..=4)
            .filter(|y| (2009..=2100).contains(y))
            .and_then(|y| i32::try_from(y).ok())
    };
    tokens.windows(3).find_map(|w| {
        // 01_October_2025
        if let (Some(day), Some(month), Some(y)) =
            (number(w[0], 1..=2), month_number(w[1]), year(w[2]))
        {
            return Date::from_ymd_opt(y, month, day);
        }
        // 2025-11-01
        let (y, month, day) = (year(w[0])?, number(w[1], 2..=2)?, number(w[2], 2..=2)?);
        Date::from_ymd_opt(y, month, day)
    })
}

fn month_number(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let lower = token.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| lower == *m || (lower.len() == 3 && m.starts_with(&lower)))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The calendar date of a Unix time, for callers that know the time but not the date (the CLI
/// reads the clock; the engine does not, so that it runs the same everywhere).
pub fn date_from_unix_seconds(seconds: u64) -> Option<Date> {
    let days = i64::try_from(seconds / 86_400).ok()?;
    Date::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::try_days(days)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Date {
        Date::from_ymd_opt(y, m, d).unwrap_or(Date::MIN)
    }

    #[test]
    fn real_id_shapes_pass() {
        for id in [
            "1-10052707705",
            "1-101634431",
            "RXWAS",
            "RL131",
            "5QK13",
            "R1GY1",
        ] {
            assert_eq!(id_problem(id, IdKind::Location), None, "{id}");
        }
        for id in ["1-101634431", "RXW", "5QK", "R1G", "SYNTH-1-P000001"] {
            assert_eq!(id_problem(id, IdKind::Provider), None, "{id}");
        }
    }

    #[test]
    fn look_alikes_and_other_shapes_fail() {
        let hidden = id_problem("1-1005270\u{200B}7705", IdKind::Location).unwrap_or_default();
        assert!(hidden.contains("U+200B (zero-width space)"), "{hidden}");
        let rtl = id_problem("\u{202E}1-10052707705", IdKind::Location).unwrap_or_default();
        assert!(rtl.contains("U+202E"), "{rtl}");
        for id in [
            "1-1",
            "1-10052707705 ",
            "rxwas",
            "RXW",
            "1–10052707705",
            "x",
        ] {
            assert!(id_problem(id, IdKind::Location).is_some(), "{id}");
        }
        assert!(id_problem("RXWAS", IdKind::Provider).is_some());
    }

    #[test]
    fn hidden_characters_in_names_are_shown() {
        assert_eq!(make_visible("Gilbert Court"), "Gilbert Court");
        assert_eq!(
            make_visible("Gilbert\u{200B} Court\u{1b}[2J"),
            "Gilbert<U+200B> Court<U+001B>[2J"
        );
        assert_eq!(make_visible("Café"), "Café");
    }

    #[test]
    fn file_names_give_their_dates() {
        let cases = [
            (
                "01_October_2025_Latest_ratings.ods",
                Some(date(2025, 10, 1)),
            ),
            ("latest_ratings_shropshire_2025-10.csv", None),
            (
                "uk_private_hospitals_all_2025-11-01.csv",
                Some(date(2025, 11, 1)),
            ),
            (
                "dir/29_February_2024_Latest_ratings.csv",
                Some(date(2024, 2, 29)),
            ),
            ("31_February_2024_Latest_ratings.csv", None),
            ("February_2024_Latest_ratings.csv", None),
            ("location_1-10000302982.json", None),
            ("ratings.csv", None),
        ];
        for (name, expected) in cases {
            assert_eq!(date_from_file_name(name), expected, "{name}");
        }
    }

    #[test]
    fn the_window_runs_from_cqc_to_the_file_date() {
        let window = DateWindow::new(Some(date(2025, 10, 1)), Some(date(2026, 12, 1)));
        assert_eq!(window.problem(date(2025, 9, 22)), None);
        assert_eq!(window.problem(date(2014, 6, 8)), None);
        let future = window.problem(date(9999, 1, 1)).unwrap_or_default();
        assert!(future.contains("after the file's own date (from its name), 01/10/2025"));
        let past = window.problem(date(2009, 3, 31)).unwrap_or_default();
        assert!(past.contains("before 01/04/2009"), "{past}");
        let today_first = DateWindow::new(Some(date(2030, 1, 1)), Some(date(2026, 12, 1)));
        assert!(today_first
            .problem(date(2027, 1, 1))
            .is_some_and(|p| p.contains("after today, 01/12/2026")));
        assert_eq!(
            date_from_unix_seconds(1_764_547_200),
            Some(date(2025, 12, 1))
        );
    }
}
