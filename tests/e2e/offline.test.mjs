// Offline once visited: after the pages are seen online, the service worker (public/sw.js)
// opens them with no network at all (the server is stopped, not just the page told it is
// offline, since Playwright's offline switch does not reach a service worker's own fetches),
// and so a page never visited before, rendered from the same kept app and data. Every page
// says plainly that it is offline, and of which date its data is; the line goes once the
// network is back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start } from './browser.mjs';
import { waitUntilDrawn } from './pages.mjs';

const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];

let env;
before(async () => { env = await start({ serviceWorkers: 'allow' }); });
after(async () => { await env.close(); });

const VISITED = ['/location/1-556658867', /Albrighton Medical Practice/];
// In another bucket of the layout than VISITED's (loc-0 against loc-6 of the bundled data's 9).
const NEVER_VISITED = ['/location/1-1517912926', /Every rule that fired/];
const OFFLINE_LINE = /^You are offline: showing the data saved on this device from \d{1,2} [A-Z][a-z]{2} \d{4}\.$/;

/** Stops the server and every open connection to it: the site is unreachable, as offline. */
async function stopServer(server) {
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
}

async function restartServer(server, port) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
}

/** Axe's violations on the whole page, and every word of the offline line laid out over two lines. */
async function readability(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const violations = (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    const broken = [];
    const range = document.createRange();
    const walker = document.createTreeWalker(document.querySelector('[data-testid="offline-banner"]'), NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      for (const word of walker.currentNode.textContent.matchAll(/\S+/g)) {
        range.setStart(walker.currentNode, word.index);
        range.setEnd(walker.currentNode, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(word[0]);
      }
    }
    return { violations, broken };
  });
}

async function shows(page, pattern) {
  await page.getByRole('main').filter({ hasText: pattern }).waitFor({ timeout: 20000 });
}

test('pages seen online open offline, a page never seen too, with the offline line until the network is back', async () => {
  const { page, base, server, problems } = env;
  const port = server.address().port;
  const banner = page.getByTestId('offline-banner');

  await page.goto(base + '/');
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  // `ready` never settles when no worker registers: a time limit turns that into a failure.
  const scope = await page.evaluate(() => Promise.race([
    navigator.serviceWorker.ready.then((r) => r.scope),
    new Promise((resolve) => { setTimeout(() => resolve('no service worker within 15 s'), 15000); }),
  ]));
  assert.equal(scope, base + '/');
  // Loaded once under the worker's control, so the app's files and data pass through it.
  await page.reload();
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'the worker controls the page');
  await page.goto(base + VISITED[0]);
  await shows(page, VISITED[1]);
  await page.goto(base + '/national');
  await shows(page, /published overall rating is what the rules give for \d+ of \d+/);
  assert.equal(await banner.count(), 0, 'no offline line while online');

  await page.context().setOffline(true);
  await stopServer(server);
  try {
    // A reload of a page seen before: the page, the app's files and the data come from the device.
    await page.goto(base + VISITED[0]);
    await shows(page, VISITED[1]);
    // axe below checks the whole page, whose details are drawn a frame after its ratings.
    await waitUntilDrawn(page, VISITED[0]);
    assert.match(await banner.innerText(), OFFLINE_LINE);
    assert.match(await page.getByTestId('data-date').innerText(), /711 locations/);
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport);
      assert.deepEqual(await readability(page), { violations: [], broken: [] }, `the offline line at ${viewport.width}px`);
    }
    // Moving around inside the app, to the national view and back to the search.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'National view' }).click();
    await shows(page, /published overall rating is what the rules give for \d+ of \d+/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
    await page.getByTestId('result-count').filter({ hasText: /of 711 locations/ }).waitFor();
    assert.match(await banner.innerText(), OFFLINE_LINE);
    // A location never opened before: its part of the data (its bucket, apart from the
    // visited one's) was never fetched, so the page says so plainly rather than waiting.
    await page.goto(base + NEVER_VISITED[0]);
    const missing = page.getByRole('alert').filter({ hasText: 'This location could not be loaded' });
    await missing.waitFor();
    assert.match(await missing.innerText(), /You are offline, and this part of the data \(\/data\/loc-\d+\.[0-9a-f]{12}\.bin\) was not saved on this device/);
    assert.match(await banner.innerText(), OFFLINE_LINE);
  } finally {
    await restartServer(server, port);
    await page.context().setOffline(false);
  }
  // Online again, the same page fetches its part when asked to try again.
  await page.getByRole('button', { name: 'Try again' }).click();
  await shows(page, NEVER_VISITED[1]);

  // Back online: the line goes without a reload.
  await banner.waitFor({ state: 'detached' });
  await page.goto(base + '/national');
  await shows(page, /published overall rating is what the rules give for \d+ of \d+/);
  assert.equal(await banner.count(), 0);
  // Offline the app reads its kept copies without asking the network, so not even the
  // never-visited bucket is a failed request.
  assert.deepEqual(problems.splice(0), []);
});

test('the worker keeps the page, the app\'s hashed files and the data in a cache of its own, and sw.js is never taken from the HTTP cache', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/methodology');
  await shows(page, /Thresholds by number of ratings/);
  const kept = await page.evaluate(async () => {
    const names = await caches.keys();
    const shell = names.find((n) => n.startsWith('cqc-explorer-app-shell-'));
    const cache = await caches.open(shell);
    const data = await caches.open('cqc-explorer-data-v1');
    return {
      names,
      keys: (await cache.keys()).map((r) => new URL(r.url).pathname),
      data: (await data.keys()).map((r) => new URL(r.url).pathname),
    };
  });
  // One cache of the app's own, apart from the one the app keeps a dropped file's data in.
  assert.equal(kept.names.filter((n) => n.startsWith('cqc-explorer-app-shell-')).length, 1, kept.names.join(', '));
  for (const path of ['/index.html', '/data/manifest.json']) assert.ok(kept.keys.includes(path), `${path} kept: ${kept.keys.join(', ')}`);
  // The parts of the data earlier pages fetched, kept by the app in its own cache under their
  // content-hashed names; never the whole-country snapshot, which no page fetches.
  assert.ok(kept.data.some((p) => /^\/data\/loc-\d+\.[0-9a-f]{12}\.bin$/.test(p)), `a location bucket kept: ${kept.data.join(', ')}`);
  assert.ok(kept.data.every((p) => /^\/data\/[a-z]+(-[0-9a-z]+)?\.[0-9a-f]{12}\.bin$/.test(p)), `only layout files: ${kept.data.join(', ')}`);
  assert.ok(![...kept.keys, ...kept.data].includes('/data/snapshot.bin'), 'the whole snapshot is not fetched');
  assert.ok(kept.keys.some((p) => /^\/cqc-explorer-app-[0-9a-f]{8,16}_bg\.wasm$/.test(p)), `the app's wasm kept: ${kept.keys.join(', ')}`);
  assert.ok(kept.keys.some((p) => /^\/style-[0-9a-f]{8,16}\.css$/.test(p)), `the stylesheet kept: ${kept.keys.join(', ')}`);
  // Served with no-cache, so the browser checks for a new worker on every visit.
  const response = await page.request.get(base + '/sw.js');
  assert.equal(response.headers()['cache-control'], 'no-cache');
  assert.deepEqual(problems.splice(0), []);
});
