//! Keeping data loaded from a dropped file across a reload, in the browser's Cache Storage: the
//! encoded snapshot (the same bytes as `data/snapshot.bin`) and the line saying where it came
//! from. Nothing leaves the browser. Going back to the bundled data deletes it.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The cache holding the kept data; one snapshot at a time.
const CACHE_NAME: &str = "cqc-explorer-loaded-data";
/// Where the snapshot's bytes are kept inside the cache (a key, never fetched from a server).
const SNAPSHOT_KEY: &str = "/kept/snapshot.bin";
/// Where the description of its origin (the file name, or what was added to what) is kept.
const ORIGIN_KEY: &str = "/kept/origin.txt";

fn caches() -> Result<web_sys::CacheStorage, String> {
    web_sys::window()
        .ok_or("no window")?
        .caches()
        .map_err(|e| format!("this browser does not offer Cache Storage here ({e:?})"))
}

async fn wait(promise: Promise) -> Result<wasm_bindgen::JsValue, String> {
    JsFuture::from(promise).await.map_err(|e| format!("{e:?}"))
}

async fn open() -> Result<web_sys::Cache, String> {
    let cache = wait(caches()?.open(CACHE_NAME)).await?;
    cache
        .dyn_into()
        .map_err(|_| "the cache could not be opened".to_string())
}

/// Keeps `snapshot` (encoded) and its origin for the next visit. An error says why it could
/// not be kept (private windows may refuse storage); the data in use is unaffected.
pub async fn keep(snapshot: &[u8], origin: &str) -> Result<(), String> {
    let cache = open().await?;
    let bytes = Uint8Array::from(snapshot);
    let body = web_sys::Response::new_with_opt_buffer_source(Some(&bytes))
        .map_err(|e| format!("{e:?}"))?;
    wait(cache.put_with_str(SNAPSHOT_KEY, &body)).await?;
    let origin = web_sys::Response::new_with_opt_str(Some(origin)).map_err(|e| format!("{e:?}"))?;
    wait(cache.put_with_str(ORIGIN_KEY, &origin)).await?;
    Ok(())
}

/// The kept snapshot's bytes and origin, if a dropped file's data was kept.
pub async fn recall() -> Option<(Vec<u8>, String)> {
    let cache = open().await.ok()?;
    let snapshot = response(&cache, SNAPSHOT_KEY).await?;
    let origin = response(&cache, ORIGIN_KEY).await?;
    let bytes = wait(snapshot.array_buffer().ok()?).await.ok()?;
    let origin = wait(origin.text().ok()?).await.ok()?.as_string()?;
    Some((Uint8Array::new(&bytes).to_vec(), origin))
}

async fn response(cache: &web_sys::Cache, key: &str) -> Option<web_sys::Response> {
    wait(cache.match_with_str(key)).await.ok()?.dyn_into().ok()
}

/// Forgets the kept data, so the next visit opens on the bundled data.
pub async fn forget() -> Result<(), String> {
    wait(caches()?.delete(CACHE_NAME)).await.map(|_| ())
}
