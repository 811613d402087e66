//! The five key questions and the "domain" column of CQC's files (the five plus Overall).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum KeyQuestion {
    Safe,
    Effective,
    Caring,
    Responsive,
    WellLed,
}

impl KeyQuestion {
    /// In CQC's order of presentation.
    pub const ALL: [KeyQuestion; 5] = [
        KeyQuestion::Safe,
        KeyQuestion::Effective,
        KeyQuestion::Caring,
        KeyQuestion::Responsive,
        KeyQuestion::WellLed,
    ];

    pub fn label(self) -> &'static str {
        match self {
            KeyQuestion::Safe => "Safe",
            KeyQuestion::Effective => "Effective",
            KeyQuestion::Caring => "Caring",
            KeyQuestion::Responsive => "Responsive",
            KeyQuestion::WellLed => "Well-led",
        }
    }

    /// CQC's plain-English question, as asked on its website.
    pub fn question(self) -> &'static str {
        match self {
            KeyQuestion::Safe => "Are people protected from abuse and avoidable harm?",
            KeyQuestion::Effective => {
                "Does care, treatment and support achieve good outcomes and reflect the best available evidence?"
            }
            KeyQuestion::Caring => {
                "Do staff involve and treat people with compassion, kindness, dignity and respect?"
            }
            KeyQuestion::Responsive => "Are services organised so that they meet people's needs?",
            KeyQuestion::WellLed => {
                "Do the leadership, management and governance make sure care is high-quality and person-centred?"
            }
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            KeyQuestion::Safe => "safe",
            KeyQuestion::Effective => "effective",
            KeyQuestion::Caring => "caring",
            KeyQuestion::Responsive => "responsive",
            KeyQuestion::WellLed => "well-led",
        }
    }

    pub fn from_slug(slug: &str) -> Option<KeyQuestion> {
        KeyQuestion::ALL.into_iter().find(|k| k.slug() == slug)
    }

    /// Reads a key question name in CQC's spellings ("Well-led", "Well led", "well_led", "WellLed").
    pub fn parse(text: &str) -> Option<KeyQuestion> {
        match Domain::parse(text)? {
            Domain::KeyQuestion(kq) => Some(kq),
            Domain::Overall => None,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for KeyQuestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The `Domain` (older files: `Key Question`) column: a key question or the overall rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Domain {
    KeyQuestion(KeyQuestion),
    Overall,
}

impl Domain {
    pub fn parse(text: &str) -> Option<Domain> {
        let folded: String = text
            .trim()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        Some(match folded.as_str() {
            "safe" => Domain::KeyQuestion(KeyQuestion::Safe),
            "effective" => Domain::KeyQuestion(KeyQuestion::Effective),
            "caring" => Domain::KeyQuestion(KeyQuestion::Caring),
            "responsive" => Domain::KeyQuestion(KeyQuestion::Responsive),
            "wellled" => Domain::KeyQuestion(KeyQuestion::WellLed),
            "overall" => Domain::Overall,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Domain::KeyQuestion(kq) => kq.label(),
            Domain::Overall => "Overall",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spellings() {
        assert_eq!(KeyQuestion::parse("Well-led"), Some(KeyQuestion::WellLed));
        assert_eq!(KeyQuestion::parse("well_led"), Some(KeyQuestion::WellLed));
        assert_eq!(KeyQuestion::parse(" SAFE "), Some(KeyQuestion::Safe));
        assert_eq!(Domain::parse("Overall"), Some(Domain::Overall));
        assert_eq!(KeyQuestion::parse("Overall"), None);
        assert_eq!(Domain::parse("Kind"), None);
    }
}
