// The explorer's service worker: keeps the app and its data on this device so that a page seen
// before (and any other page of the app, which renders from the same data) opens with no network.
//
// What is kept, in one cache named below: index.html (every navigation falls back to it, since
// the app routes in the browser), the content-hashed JS, wasm and CSS Trunk emits (kept as they
// are fetched, since their names change with every build), the data's manifest,
// data/councils.csv, the JavaScript API (js/*) and the other files. The data layout's files
// (data/*.<hash>.bin) are kept in a cache of their own (DATA_CACHE below): the app fetches them
// itself and hands this worker the bytes to write (a message, below), and this worker deletes
// the copies a new manifest no longer names.
//
// Navigations and everything without a content hash go to the network first, so a new deploy
// is seen as soon as there is a network; the kept copy answers only when the network fails.
// A content-hashed file never changes, so the kept copy answers first.
//
// Data loaded from a dropped file is kept by the app itself in its own cache
// ("cqc-explorer-loaded-data", src/app/kept_data.rs): this worker never reads nor deletes it.

// Bump the version when what is kept changes shape; activating deletes every older version.
const CACHE_PREFIX = 'cqc-explorer-app-shell-';
const CACHE_NAME = `${CACHE_PREFIX}v1`;
// Every navigation is answered with the one page the app has; it is kept under this key.
const PAGE_KEY = '/index.html';
// Trunk's content hash before the extension (app-0123456789abcdef_bg.wasm).
// Trunk writes the hash as a u64 in hex without leading zeros: up to 16 digits, fewer when the
// hash starts with zeros (1 build in 16 has 15), so not exactly 16.
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/;
// A data layout file: its kind and place, then 12 hex digits of its content's hash
// (crates/engine/src/layout/mod.rs).
const HASHED_DATA = /^\/data\/[a-z]+(-[0-9a-z]+)?\.[0-9a-f]{12}\.bin$/;
const MANIFEST_KEY = '/data/manifest.json';
// The cache the app keeps the data files it fetched in (src/app/data_cache.rs).
const DATA_CACHE = 'cqc-explorer-data-v1';

self.addEventListener('install', (event) => {
  // The data layout's files go to the network without this worker being woken for them (static
  // routes, Chrome 123 on): its fetch handler only lets them pass, and waking it for that was a
  // cost on each of a cold search's two dozen requests. Browsers without static routes ask the
  // handler, which lets them pass; either way the app keeps their copies (data_cache.rs).
  if (event.addRoutes) {
    event.waitUntil(event.addRoutes({
      condition: { urlPattern: { pathname: '/data/:file([a-z]+(?:-[0-9a-z]+)?\\.[0-9a-f]{12}\\.bin)' } },
      source: 'network',
    }).catch(() => {}));
  }
  // A new version takes over at once: it serves the same site, and its activate step keeps the
  // files the current page still needs (the hashed ones it names).
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
      .map((name) => caches.delete(name)));
    // Control the page that registered this worker now, so what it fetches from here on is kept.
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && isAppRoute(url.pathname)) {
    event.respondWith(networkFirst(event, PAGE_KEY));
  } else if (HASHED_DATA.test(url.pathname)) {
    // The app keeps its own copies of the data files (src/app/data_cache.rs): passing them
    // through here made a cold search shard wait tens of milliseconds for this worker.
    return;
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(event, url.pathname));
  } else {
    event.respondWith(networkFirst(event, url.pathname));
  }
});

// The app hands over each data layout file it has fetched ({keep: url, body: ArrayBuffer},
// src/app/data_cache.rs) to be kept here: writing the copy on the page's thread took 10-25 ms
// of it during a cold search. Anything but a layout file of this site is ignored.
self.addEventListener('message', (event) => {
  const { keep, body } = event.data ?? {};
  if (typeof keep !== 'string' || !(body instanceof ArrayBuffer)) return;
  const url = new URL(keep, self.location.origin);
  if (url.origin !== self.location.origin || !HASHED_DATA.test(url.pathname)) return;
  event.waitUntil(caches.open(DATA_CACHE)
    .then((cache) => cache.put(url.pathname, new Response(body)))
    .catch(() => {}));
});

/**
 * Whether a path is one of the app's routes, which the host answers with the app's page: `/`,
 * `/index.html` and every path without a file extension. Opening a file of the site itself
 * (js/cqc_ratings.d.ts, say) is kept as that file, never as the page.
 */
function isAppRoute(pathname) {
  return pathname === PAGE_KEY || !/\.[^/]*$/.test(pathname);
}

/** The network's answer, kept under `key`; the kept copy when the network cannot be reached. */
async function networkFirst(event, key) {
  try {
    const response = await fetch(event.request);
    // A host's error page for a route is HTML but not 200; anything but HTML is not the page.
    const fitsKey = key !== PAGE_KEY || (response.headers.get('Content-Type') ?? '').startsWith('text/html');
    if (keepable(response) && fitsKey) {
      // Both copies are taken now: the page reads the original as soon as it is returned.
      const copy = response.clone();
      const page = key === PAGE_KEY || key === MANIFEST_KEY ? response.clone() : null;
      const forget = key === PAGE_KEY ? forgetOldBuilds : forgetOldData;
      // The page need not wait for the copy to be kept, but the worker must stay alive until it is.
      event.waitUntil(keep(key, copy).then(() => (page ? forget(page) : undefined))
        .catch((error) => console.warn(`sw.js: could not keep ${key}: ${error}`)));
    }
    return response;
  } catch (networkError) {
    const kept = await caches.open(CACHE_NAME).then((cache) => cache.match(key));
    if (kept) return kept;
    throw networkError;
  }
}

/**
 * The kept copy of a content-hashed file, else the network's answer, kept. The page is answered
 * as soon as the network answers; keeping the copy goes on behind it (a search shard waited a
 * few tens of milliseconds for its copy to be written before).
 */
async function cacheFirst(event, key) {
  const cache = await caches.open(CACHE_NAME);
  const kept = await cache.match(key);
  if (kept) return kept;
  const response = await fetch(event.request);
  if (keepable(response)) {
    event.waitUntil(cache.put(key, response.clone()).catch((error) => console.warn(`sw.js: could not keep ${key}: ${error}`)));
  }
  return response;
}

// A whole, successful answer of this site: never an error page, a redirect nor a byte range.
function keepable(response) {
  return response.status === 200 && response.type === 'basic';
}

async function keep(key, response) {
  const cache = await caches.open(CACHE_NAME);
  await cache.put(key, response);
}

/** Deletes the hashed files of earlier builds: those the new index.html no longer names. */
async function forgetOldBuilds(page) {
  const html = await page.text();
  const named = new Set([...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1], self.location.origin).pathname));
  const cache = await caches.open(CACHE_NAME);
  for (const request of await cache.keys()) {
    const pathname = new URL(request.url).pathname;
    if (HASHED.test(pathname) && !named.has(pathname)) await cache.delete(request);
  }
}

/** Deletes the data files of earlier months: those the new manifest no longer names. */
async function forgetOldData(manifestResponse) {
  const manifest = await manifestResponse.json();
  const named = new Set([
    ...(manifest.rows ?? []), ...(manifest.buckets ?? []),
    ...Object.values(manifest.shards ?? {}), manifest.status,
  ].map((name) => `/data/${name}`));
  const cache = await caches.open(DATA_CACHE);
  for (const request of await cache.keys()) {
    const pathname = new URL(request.url).pathname;
    if (HASHED_DATA.test(pathname) && !named.has(pathname)) await cache.delete(request);
  }
}
