//! Working offline once visited: registers the service worker (`public/sw.js`, served at the
//! site's root) that keeps the app and its data on this device, and tells the page whether the
//! browser is online. Offline support is an extra: where it cannot be had (a browser without
//! service workers, a page opened from a file or over plain HTTP from another machine) the
//! explorer works as before, and the reason is logged, never shown as an error.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where the worker is served; at the root, so its scope covers every route of the app.
const WORKER_URL: &str = "/sw.js";

/// Registers the service worker once the page has loaded, so that its first fetches do not
/// compete with the app's own first load. Call once, at start.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Err(reason) = may_register(&window) {
        gloo::console::log!(format!("Offline use is off: {reason}"));
        return;
    }
    let loaded = window
        .document()
        .is_some_and(|d| d.ready_state() == "complete");
    if loaded {
        leptos::task::spawn_local(register());
    } else {
        // Left in place: the load event fires once per page.
        let _ = leptos::prelude::window_event_listener(leptos::ev::load, |_| {
            leptos::task::spawn_local(register())
        });
    }
}

/// Service workers run only in a secure context: HTTPS, or HTTP on this machine's own address.
fn may_register(window: &web_sys::Window) -> Result<(), String> {
    let location = window.location();
    let protocol = location.protocol().unwrap_or_default();
    let host = location.hostname().unwrap_or_default();
    let local = host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host.starts_with("127.");
    match protocol.as_str() {
        "https:" => Ok(()),
        "http:" if local => Ok(()),
        "http:" => Err(format!(
            "browsers keep sites for offline use only over HTTPS (this page is http://{host})"
        )),
        other => Err(format!(
            "pages opened with {other} cannot be kept for offline use"
        )),
    }
}

async fn register() {
    if let Err(reason) = try_register().await {
        gloo::console::warn!(format!(
            "Offline use is off: the service worker {WORKER_URL} could not be registered: {reason}"
        ));
    }
}

/// `navigator.serviceWorker.register(WORKER_URL)`, read through `Reflect` so the app needs no
/// more of web-sys than it already builds.
async fn try_register() -> Result<(), String> {
    let navigator = web_sys::window().ok_or("no window")?.navigator();
    let container = Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .ok_or("this browser has no service workers")?;
    let register: Function = Reflect::get(&container, &JsValue::from_str("register"))
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("navigator.serviceWorker.register is missing")?;
    let pending: Promise = register
        .call1(&container, &JsValue::from_str(WORKER_URL))
        .map_err(describe)?
        .dyn_into()
        .map_err(|_| "register did not return a promise".to_string())?;
    JsFuture::from(pending).await.map_err(describe)?;
    Ok(())
}

/// Whether the browser says it has a network (`navigator.onLine`): false means surely offline;
/// true may still mean a network that reaches nothing, which the worker's fallback covers.
pub fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

fn describe(error: JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"))
}
