//! The search page's state in the URL: the filters plus the page number.

use cqc_engine::search::Filters;
use leptos_router::params::ParamsMap;

/// The query keys the filters read, in the order they are written back.
const FILTER_KEYS: [&str; 15] = [
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
    "nursing",
    "spec",
    "sort",
];

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Query {
    pub filters: Filters,
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
