//! A copy of every data layout file the page has fetched, kept in Cache Storage by the page
//! itself, so a page seen before opens offline. The page asks the network first (and the
//! browser's HTTP cache in front of it): the copy is read only when the network fails, and is
//! written behind the page, so keeping it costs a fetch nothing. The service worker leaves these
//! files alone (routing them through it cost a cold search shard tens of milliseconds) apart
//! from deleting, when a new manifest arrives, the copies it no longer names (public/sw.js).

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
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
    leptos::task::spawn_local(async move {
        let Some(cache) = open().await else { return };
        let Ok(response) = web_sys::Response::new_with_opt_buffer_source(Some(&body)) else {
            return;
        };
        let _ = JsFuture::from(cache.put_with_str(&url, &response)).await;
    });
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
