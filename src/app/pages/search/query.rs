//! The search page's state in the URL: the filters, whether closed registrations are included,
//! and the page number.

use cqc_engine::search::Filters;
use leptos_router::params::ParamsMap;

/// The query keys the filters read, in the order they are written back.
const FILTER_KEYS: [&str; 16] = [
    "q",
    "sector",
    "region",
    "la",
    "rating",
    "kq",
    "kqr",
    "age",
    "inherited",
    "carehome",
    "mixed",
    "diverges",
    "overdue",
    "nursing",
    "spec",
    "sort",
];

/// The query key that includes closed registrations; other pages link with it too.
pub const CLOSED_KEY: &str = "closed";

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Query {
    pub filters: Filters,
    /// Deregistered and dormant locations are left out unless this is set (`closed=1`).
    pub include_closed: bool,
    /// Zero-based; the URL counts from 1.
    pub page: usize,
}

impl Query {
    pub fn from_map(map: &ParamsMap) -> Query {
        let values: Vec<(&str, String)> = FILTER_KEYS
            .iter()
            .filter_map(|k| map.get(k).map(|v| (*k, v)))
            .collect();
        Query {
            filters: Filters::from_pairs(values.iter().map(|(k, v)| (*k, v.as_str()))),
            include_closed: map.get(CLOSED_KEY).is_some_and(|v| v == "1"),
            page: map
                .get("page")
                .and_then(|p| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1)
                - 1,
        }
    }

    pub fn to_url(&self) -> String {
        let enc = |s: &str| {
            js_sys::encode_uri_component(s)
                .as_string()
                .unwrap_or_default()
        };
        let mut parts: Vec<String> = self
            .filters
            .to_pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", enc(&v)))
            .collect();
        if self.include_closed {
            parts.push(format!("{CLOSED_KEY}=1"));
        }
        if self.page > 0 {
            parts.push(format!("page={}", self.page + 1));
        }
        if parts.is_empty() {
            "/".into()
        } else {
            format!("/?{}", parts.join("&"))
        }
    }
}
