//! The CSV download of the matching locations, generated in the browser (nothing is uploaded).

use crate::app::data::AppData;
use cqc_engine::audit::{sector_of, Agreement};
use cqc_engine::model::{Domain, Registration, RegistrationStatus};

/// Downloads the matching rows as CSV.
pub fn export_csv(d: &AppData, rows: &[usize]) {
    let audit = d.audit_or_empty();
    let mut w = cqc_engine::ingest::CsvText::new();
    w.record([
        "location_id",
        "name",
        "town",
        "postcode",
        "provider",
        "type",
        "registration",
        "overall_rating",
        "published",
        "rules_give",
        "agreement",
    ]);
    for i in rows {
        let l = &d.snapshot.locations[*i];
        let registration = registration_status(&l.detail.registration);
        let overall = l.published(Domain::Overall);
        let audit = audit.locations.get(*i);
        // Names come from dropped files: a cell such as "=HYPERLINK(…)" must open as text.
        let cells: [&str; 11] = [
            l.id.as_str(),
            l.name.as_str(),
            l.city.as_str(),
            l.postcode.as_str(),
            l.provider_name.as_str(),
            sector_of(l),
            &registration,
            overall.map(|p| p.value.label()).unwrap_or(""),
            &overall
                .and_then(|p| p.published)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            audit
                .and_then(|a| a.recomputed)
                .map(|r| r.label())
                .unwrap_or(""),
            match audit.map(|a| a.agreement) {
                Some(Agreement::Agrees) => "agrees",
                Some(Agreement::Diverges(c)) => c.label(),
                _ => "not comparable",
            },
        ];
        w.record(cells);
    }
    let bytes = w.into_bytes();
    download("cqc-locations.csv", "text/csv", &bytes);
}

/// "current", "dormant", or "deregistered 2018-06-18" (ISO, as the other dates of the file).
fn registration_status(registration: &Registration) -> String {
    match (registration.status, registration.deregistered) {
        (RegistrationStatus::Deregistered, Some(d)) => format!("deregistered {d}"),
        (RegistrationStatus::Deregistered, None) => "deregistered".into(),
        _ if registration.dormant => "dormant".into(),
        _ => "current".into(),
    }
}

/// Offers bytes as a file download via an object URL.
pub(crate) fn download(name: &str, mime: &str, bytes: &[u8]) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = leptos::prelude::document();
    if let Ok(a) = document.create_element("a") {
        let _ = a.set_attribute("href", &url);
        let _ = a.set_attribute("download", name);
        if let Some(el) = wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlElement>(&a) {
            el.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
