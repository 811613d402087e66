//! A copy of every data layout file the page has fetched, kept in Cache Storage, so a page
//! seen before opens offline. The page asks the network first (and the browser's HTTP cache in
//! front of it): the copy is read only when the network fails. The fetch does not pass through
//! the service worker (that cost a cold search shard tens of milliseconds); once fetched, the
//! bytes are handed to the worker, which writes the copy on its own thread (`Cache.put` took
//! 10–25 ms of the page's thread for the two dozen files of a cold search). A page the worker
//! does not control yet (the first visit) writes the copy itself. The worker also deletes, when a
//! new manifest arrives, the copies it no longer names (public/sw.js).

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The cache of data files; public/sw.js names it too (`DATA_CACHE`), to forget old months.
const CACHE_NAME: &str = "cqc-explorer-data-v1";

async fn open() -> Option<web_sys::Cache> {
    let caches = web_sys::window()?.caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// Keeps `bytes` as the copy of `url`, in the background. Storage may be refused (a private
/// window, a full disk): then nothing is kept, and only offline use notices.
pub fn keep(url: String, bytes: &[u8]) {
    let body = Uint8Array::from(bytes);
    if hand_to_worker(&url, &body) {
        return;
    }
    leptos::task::spawn_local(async move {
        let Some(cache) = open().await else { return };
        let Ok(response) = web_sys::Response::new_with_opt_buffer_source(Some(&body)) else {
            return;
        };
        let _ = JsFuture::from(cache.put_with_str(&url, &response)).await;
    });
}

/// `navigator.serviceWorker.controller.postMessage({keep: url, body}, [body])`: the body's
/// buffer is moved to the worker, not copied. False when no worker controls the page (or the
/// message could not be sent), and the page keeps the copy itself. Read through `Reflect`, as
/// `offline` registers the worker, so the app needs no more of web-sys than it builds.
fn hand_to_worker(url: &str, body: &Uint8Array) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let get = |target: &JsValue, key: &str| {
        Reflect::get(target, &JsValue::from_str(key))
            .ok()
            .filter(|v| !v.is_undefined() && !v.is_null())
    };
    let Some(controller) =
        get(&window.navigator(), "serviceWorker").and_then(|c| get(&c, "controller"))
    else {
        return false;
    };
    let Some(post) = get(&controller, "postMessage").and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    let message = Object::new();
    let buffer = body.buffer();
    let filled = Reflect::set(
        &message,
        &JsValue::from_str("keep"),
        &JsValue::from_str(url),
    )
    .and_then(|_| Reflect::set(&message, &JsValue::from_str("body"), &buffer));
    filled.is_ok_and(|_| {
        post.call2(&controller, &message, &Array::of1(&buffer))
            .is_ok()
    })
}

/// The kept copy of `url`, if there is one.
pub async fn recall(url: &str) -> Option<Vec<u8>> {
    let cache = open().await?;
    let response: web_sys::Response = JsFuture::from(cache.match_with_str(url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}
