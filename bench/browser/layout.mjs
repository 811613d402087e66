// The data layout's targets (issue 14), measured in Chromium on loopback against a built site
// whose data/ holds a layout (crates/engine/src/layout), served compressed as a static host
// would (server.mjs):
//   - the first load: every request and its compressed bytes until search is usable (the
//     manifest has arrived and the search box is on screen), and until the first screen's list
//     (the status column and the first rows file) is shown;
//   - a location page opened in the running app from a cold data cache (a location whose bucket
//     was never fetched): its data requests, their bytes, and the time from the click until its
//     ratings are on screen (the app's `cqc:location-ready` mark, set once they have been
//     painted and the rest of the page is drawn after them); and the same page opened directly in a
//     fresh browser context (data requests and bytes only: the code is the first load's);
//   - a cold shard: the time from a keystroke whose shards were never fetched until the query
//     is answered (counted and ordered: `cqc:search-answered`) and until the page's 25 result
//     lines are all shown (`cqc:results-shown`), for one-letter and three-letter words.
//
//   node bench/browser/layout.mjs --dist DIR --out FILE [--runs N] [--summary summary.json] [--docs benchmarks.md]
//
// --summary merges its targets ("location page", "cold shard", …) into summary.json, replacing
// earlier ones of the same key; --docs puts its section into docs/benchmarks.md.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { serve, precompress } from './server.mjs';
import { mergeTargets, withSection } from '../../scripts/first-load.mjs';

const SECTION_START = '<!-- layout: written by bench/browser/layout.mjs -->';
const SECTION_END = '<!-- /layout -->';

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];
const say = (...m) => console.error('[layout-bench]', ...m);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  return args;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : null;
};

/** The FNV-1a bucket of a location id (crates/engine/src/layout/mod.rs `bucket_of`). */
function bucketOf(id, buckets) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(id)) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return Number(hash % BigInt(buckets));
}

async function marked(page, name) {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, { timeout: 60_000, polling: 5 });
  return page.evaluate((n) => performance.getEntriesByName(n).at(-1).startTime, name);
}

/** The requests `log` gained while `action` ran, with their compressed bytes. */
async function during(log, action) {
  const start = log.length;
  const value = await action();
  return { value, requests: log.slice(start) };
}

const summarise = (requests) => ({
  requests: requests.length,
  bytes: requests.reduce((a, r) => a + r.bytes, 0),
  data_requests: requests.filter((r) => r.path.startsWith('/data/')).length,
  data_bytes: requests.filter((r) => r.path.startsWith('/data/')).reduce((a, r) => a + r.bytes, 0),
  files: requests.map((r) => `${r.path} ${r.bytes}`),
});

async function firstLoad(browser, base, log) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => say('page error:', e.message));
  const { requests: usable } = await during(log, async () => {
    await page.goto(base + '/', { waitUntil: 'commit' });
    await marked(page, 'cqc:manifest-ready');
    await page.locator('#q').waitFor();
  });
  const { requests: listed } = await during(log, async () => {
    await marked(page, 'cqc:results-shown');
    await page.waitForTimeout(300);
  });
  const ms = await page.evaluate(() => ({
    manifest: performance.getEntriesByName('cqc:manifest-ready')[0].startTime,
    list: performance.getEntriesByName('cqc:results-shown')[0].startTime,
  }));
  await context.close();
  return { until_search_usable: summarise(usable), first_screen: summarise([...usable, ...listed]), ms };
}

async function locationInApp(browser, base, log, id) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.locator('#q').waitFor();
  await marked(page, 'cqc:results-shown');
  await page.waitForTimeout(300);
  const { value: ms, requests } = await during(log, async () => {
    // An in-app navigation, as a click on a result is.
    const start = await page.evaluate((href) => {
      const a = document.createElement('a');
      a.href = href;
      document.body.append(a);
      const t = performance.now();
      a.click();
      return t;
    }, `/location/${id}`);
    const ready = await marked(page, 'cqc:location-ready');
    await page.locator('h1').first().waitFor();
    return ready - start;
  });
  await context.close();
  return { ms_until_ratings: ms, ...summarise(requests) };
}

async function locationDirect(browser, base, log, id) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const { requests } = await during(log, async () => {
    await page.goto(base + `/location/${id}`);
    await marked(page, 'cqc:location-ready');
  });
  await context.close();
  return summarise(requests);
}

async function coldShard(browser, base, log, query) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + '/');
  await page.locator('#q').waitFor();
  await marked(page, 'cqc:results-shown');
  await page.waitForTimeout(300);
  const { value, requests } = await during(log, async () => {
    // The keystroke as the page receives it (an input event timed in the page), so that the
    // figure is the app's and the network's, not the automation's.
    const start = await page.evaluate((text) => {
      performance.clearMarks('cqc:results-shown');
      const box = document.querySelector('#q');
      box.value = text;
      const t = performance.now();
      box.dispatchEvent(new Event('input', { bubbles: true }));
      return t;
    }, query);
    const answered = await marked(page, 'cqc:search-answered');
    const shown = await marked(page, 'cqc:results-shown');
    return { answered: answered - start, shown: shown - start };
  });
  await context.close();
  return { query, ms_until_answered: value.answered, ms_until_results: value.shown, ...summarise(requests) };
}

/** The data layout's targets (issue 14), each one entry of summary.json. */
export function targets(summary) {
  return [
    { key: 'location page', what: 'Location page from a cold data cache, opened in the app: data requests until its ratings show (worst of the runs)', value: summary.location_requests_max, unit: 'requests', target: '≤ 2', met: summary.location_requests_max <= 2 },
    { key: 'location page bytes', what: 'Location page from a cold data cache: data bytes until its ratings show (brotli, worst of the runs)', value: summary.location_bytes_max / 1000, unit: 'kB', target: '≤ 30 kB', met: summary.location_bytes_max <= 30_000 },
    { key: 'location page time', what: 'Location page from a cold data cache: click to its ratings painted, loopback (worst of the runs)', value: summary.location_ms_max, unit: 'ms', target: '≤ 100 ms', met: summary.location_ms_max <= 100 },
    { key: 'location page direct', what: 'Location page opened directly in a fresh browser: data requests (manifest and bucket)', value: summary.location_direct_data_requests_max, unit: 'requests', target: '≤ 2', met: summary.location_direct_data_requests_max <= 2 },
    { key: 'cold shard', what: 'Search, a cold shard: keystroke to the query answered (counted and ordered), loopback, median of 10 words', value: summary.cold_shard_answered_ms_median, unit: 'ms', target: '≤ 50 ms', met: summary.cold_shard_answered_ms_median <= 50 },
    { key: 'cold shard lines', what: 'Search, a cold shard: keystroke to all 25 result lines shown (a small cards file per scattered result), median of 10 words', value: summary.cold_shard_results_ms_median, unit: 'ms', target: '≤ 50 ms', met: summary.cold_shard_results_ms_median <= 50 },
    { key: 'first load in the browser', what: 'First load in Chromium until search is usable (every request, brotli), national layout', value: summary.first_load_bytes / 1e6, unit: 'MB', target: '≤ 0.5 MB', met: summary.first_load_bytes <= 500_000 },
  ];
}

function markdown(result, command) {
  const s = result.summary;
  const row = (t) => `| ${t.what} | ${Number(t.value.toPrecision(3))} ${t.unit} | ${t.target} | ${t.met ? '**met**' : '**missed**'} |`;
  return [
    SECTION_START,
    '### The data layout in the browser (bench/browser/layout.mjs)',
    '',
    `\`${command}\`, on the ${result.locations}-location national layout (${result.rows_files} rows files, ${result.buckets} buckets, ${result.shards} range shards), served compressed on loopback.`,
    '',
    '| What | Value | Target | |',
    '| --- | --- | --- | --- |',
    ...targets(s).map(row),
    '',
    `Cold shards, word by word (answered / all lines, ms; data requests; bytes): ${result.cold_shard.map((r) => `${r.query} ${r.ms_until_answered.toFixed(0)}/${r.ms_until_results.toFixed(0)}, ${r.data_requests}, ${r.data_bytes}`).join('; ')}.`,
    `A location page opened in the app, run by run (requests, bytes, ms): ${result.location_in_app.map((r) => `${r.data_requests}, ${r.data_bytes}, ${r.ms_until_ratings.toFixed(0)}`).join('; ')}.`,
    SECTION_END,
    '',
  ].join('\n');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const dist = path.resolve(args.dist);
  const runs = Number(args.runs ?? 3);
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'data/manifest.json'), 'utf8'));
  say('precompressing', dist);
  precompress(dist);
  const log = [];
  const server = await serve(dist, { log, repo });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  // Locations from different buckets, none the first screen fetches: read off a late page of
  // the list in a context of their own.
  const picker = await browser.newContext();
  const listPage = await picker.newPage();
  await listPage.goto(base + `/?page=${Math.floor(manifest.location_count / 25) - 3}`);
  await listPage.locator('tbody a[href^="/location/"]').first().waitFor({ timeout: 60_000 });
  const ids = (await listPage.locator('tbody a[href^="/location/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href').split('/').pop())));
  await picker.close();
  const picked = [];
  for (const id of ids) {
    if (picked.length >= runs) break;
    if (!picked.some((p) => bucketOf(p, manifest.buckets.length) === bucketOf(id, manifest.buckets.length))) picked.push(id);
  }
  const result = { locations: manifest.location_count, buckets: manifest.buckets.length, rows_files: manifest.rows.length, shards: Object.keys(manifest.shards).length };
  try {
    result.first_load = [];
    for (let i = 0; i < runs; i++) result.first_load.push(await firstLoad(browser, base, log));
    say('first load until search usable:', result.first_load.map((r) => r.until_search_usable.bytes).join(', '), 'bytes');
    result.location_in_app = [];
    result.location_direct = [];
    for (const id of picked) {
      result.location_in_app.push({ id, ...(await locationInApp(browser, base, log, id)) });
      result.location_direct.push({ id, ...(await locationDirect(browser, base, log, id)) });
    }
    say('location page in the app:', result.location_in_app.map((r) => `${r.data_requests} req ${r.data_bytes} B ${r.ms_until_ratings.toFixed(0)} ms`).join('; '));
    result.cold_shard = [];
    // One-letter words (a prefix shard each) and longer ones (range shards).
    for (const query of ['s', 'b', 'o', 'm', 'c', 'sun', 'bro', 'oak', 'mil', 'cha']) result.cold_shard.push(await coldShard(browser, base, log, query));
    say('cold shard:', result.cold_shard.map((r) => `${r.query} ${r.ms_until_answered.toFixed(0)}/${r.ms_until_results.toFixed(0)} ms ${r.data_requests} req ${r.data_bytes} B`).join('; '));
  } finally {
    await browser.close();
    server.close();
  }
  result.summary = {
    first_load_bytes: median(result.first_load.map((r) => r.until_search_usable.bytes)),
    first_screen_bytes: median(result.first_load.map((r) => r.first_screen.bytes)),
    location_requests_max: Math.max(...result.location_in_app.map((r) => r.data_requests)),
    location_bytes_max: Math.max(...result.location_in_app.map((r) => r.data_bytes)),
    location_ms_median: median(result.location_in_app.map((r) => r.ms_until_ratings)),
    location_ms_max: Math.max(...result.location_in_app.map((r) => r.ms_until_ratings)),
    location_direct_data_requests_max: Math.max(...result.location_direct.map((r) => r.data_requests)),
    location_direct_data_bytes_max: Math.max(...result.location_direct.map((r) => r.data_bytes)),
    cold_shard_answered_ms_median: median(result.cold_shard.map((r) => r.ms_until_answered)),
    cold_shard_answered_ms_max: Math.max(...result.cold_shard.map((r) => r.ms_until_answered)),
    cold_shard_results_ms_median: median(result.cold_shard.map((r) => r.ms_until_results)),
    cold_shard_results_ms_max: Math.max(...result.cold_shard.map((r) => r.ms_until_results)),
  };
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  fs.writeFileSync(args.out, JSON.stringify(result, null, 1));
  const command = `node bench/browser/layout.mjs ${process.argv.slice(2).join(' ')}`;
  if (args.summary) {
    const summary = fs.existsSync(args.summary) ? JSON.parse(fs.readFileSync(args.summary, 'utf8')) : {};
    const merged = mergeTargets(summary, targets(result.summary));
    merged.layout = result.summary;
    fs.writeFileSync(args.summary, JSON.stringify(merged, null, 1) + '\n');
  }
  if (args.docs) {
    const doc = fs.existsSync(args.docs) ? fs.readFileSync(args.docs, 'utf8') : '';
    fs.writeFileSync(args.docs, withSection(doc, markdown(result, command), SECTION_START, SECTION_END));
  }
  for (const t of targets(result.summary)) say(`${t.met ? 'met   ' : 'MISSED'} ${t.key}: ${Number(t.value.toPrecision(3))} ${t.unit} (${t.target})`);
  say('wrote', args.out);
  console.log(JSON.stringify(result.summary, null, 1));
}

if (process.argv[1] && process.argv[1].endsWith('layout.mjs')) main().catch((e) => { console.error(e); process.exit(1); });
