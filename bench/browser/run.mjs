// The browser benchmark: Debian's Chromium (playwright-core, headless) against a release build
// whose data/snapshot.bin is the national-scale snapshot, served compressed on loopback.
// Measures cold start to interactive, bytes transferred, the longest main-thread task during
// first load, the engine in WASM (decode, index, recompute + audit, search per keystroke,
// what-if, minimal change) and the peer search libraries (MiniSearch, FlexSearch) on the same
// documents and keystrokes, and keystroke-to-next-frame latency typing into the real search box.
//
//   node bench/browser/run.mjs --dist target/bench/dist --harness target/bench/harness --out target/bench/browser.json
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';
import { serve, precompress } from './server.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
  return pairs;
}, []));
const dist = path.resolve(args.dist ?? 'target/bench/dist');
// crates/bench-wasm built with wasm-bindgen --target web (cqc_bench.js, cqc_bench_bg.wasm).
const harness = path.resolve(args.harness ?? 'target/bench/harness');
const out = path.resolve(args.out ?? 'target/bench/browser.json');
const coldRuns = Number(args.runs ?? 5);
// A national-scale file to drop on the load page (read by the web worker), if given.
const dropFile = args.drop ? path.resolve(args.drop) : null;
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const queries = JSON.parse(fs.readFileSync(path.join(repo, 'bench/queries.json'), 'utf8')).queries;
const keystrokes = queries.flatMap((q) => [...q].map((_, i) => [...q].slice(0, i + 1).join('')));
// Kept equal to benches/common/mod.rs and benches/engine.rs.
const WHATIF_SAMPLE = 200;
const KEYSTROKE_BATCH = 10;

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync'];

const say = (...m) => console.error('[browser-bench]', ...m);

// Installed before any page script: long tasks from the start, and the moment the result count
// ("N of M locations") is in the DOM and the frame after it has been produced.
const INIT = () => {
  window.__bench = { longTasks: [] };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__bench.longTaskError = String(e); }
  const check = () => {
    if (window.__bench.shown !== undefined) return;
    const el = document.querySelector('[data-testid=result-count]');
    if (el && /of \d+ locations/.test(el.textContent)) {
      window.__bench.shown = performance.now();
      window.__bench.resultText = el.textContent;
      requestAnimationFrame(() => setTimeout(() => { window.__bench.interactive = performance.now(); }));
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
};

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : null;
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return null;
  // Nearest-rank percentile: the smallest value with at least p% of samples at or below it.
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}

const kindOf = (p) => (p.endsWith('.wasm') ? 'wasm' : p.endsWith('.js') ? 'js' : p.startsWith('/data/') ? 'data'
  : p.endsWith('.css') ? 'css' : 'html');

async function coldStart(browser, base, log) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(INIT);
  log.length = 0;
  await page.goto(base + '/', { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench?.interactive !== undefined, null, { timeout: 180_000, polling: 50 });
  // The first screen is done when its list's lines are shown (the data layout fetches nothing
  // else until asked: no index is built, no audit run, on a first load).
  await page.waitForFunction(() => performance.getEntriesByName('cqc:results-shown').length > 0, null, { timeout: 180_000, polling: 50 });
  // Let any task still running then finish, so it is counted.
  await page.waitForTimeout(500);
  const result = await page.evaluate(() => ({
    shown: window.__bench.shown,
    interactive: window.__bench.interactive,
    marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('cqc:')).map((m) => [m.name.slice(4), m.startTime])),
    resultText: window.__bench.resultText,
    longTasks: window.__bench.longTasks,
    longTaskError: window.__bench.longTaskError,
    crossOriginIsolated: window.crossOriginIsolated,
    resources: performance.getEntriesByType('resource').map((e) => ({
      name: new URL(e.name).pathname, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize,
    })),
    navigation: performance.getEntriesByType('navigation').map((e) => ({ transfer: e.transferSize, encoded: e.encodedBodySize }))[0],
  }));
  const requests = log.map((r) => ({ ...r, kind: kindOf(r.path) }));
  await context.close();
  const byKind = {};
  for (const r of requests) byKind[r.kind] = (byKind[r.kind] ?? 0) + r.bytes;
  // Every long task from navigation until the audit has finished: the whole first load.
  const loadEnd = Math.max(result.interactive, result.marks['results-shown'] ?? 0);
  const firstLoad = result.longTasks.filter((t) => t.start <= loadEnd);
  return {
    interactive_ms: result.interactive,
    result_shown_ms: result.shown,
    data_ready_ms: result.marks['data-ready'] ?? null,
    search_ready_ms: result.marks['search-ready'] ?? null,
    audit_ready_ms: result.marks['audit-ready'] ?? null,
    result_text: result.resultText,
    longest_task_ms: Math.max(0, ...firstLoad.map((t) => t.duration)),
    long_tasks_in_first_load: firstLoad.length,
    long_task_total_ms: firstLoad.reduce((a, t) => a + t.duration, 0),
    long_task_error: result.longTaskError ?? null,
    cross_origin_isolated: result.crossOriginIsolated,
    transfer_bytes: requests.reduce((a, r) => a + r.bytes, 0),
    transfer_by_kind: byKind,
    requests,
    resources: result.resources,
  };
}

// Runs in the page once the app is interactive: the engine through the harness's `Bench`
// (crates/bench-wasm, its own module and wasm instance beside the app's), then the peers on the
// same documents and keystrokes.
async function inPage({ keystrokes, WHATIF_SAMPLE, KEYSTROKE_BATCH }) {
  const now = () => performance.now();
  const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const timeMedian = (fn, reps) => { const t = []; for (let r = 0; r < reps; r++) { const t0 = now(); fn(); t.push(now() - t0); } return median(t); };
  const perKeystroke = (search) => keystrokes.map((q) => {
    const hits = search(q); // one untimed call, as natively
    const t0 = now();
    for (let k = 0; k < KEYSTROKE_BATCH; k++) search(q);
    return { q, hits, ms: (now() - t0) / KEYSTROKE_BATCH };
  });
  const B = await import('/bench/harness/cqc_bench.js');
  await B.default();
  const bytes = new Uint8Array(await (await fetch('/data/snapshot.bin')).arrayBuffer());
  const out = { snapshot_bytes: bytes.length };
  let bench = null;
  out.decode_ms = timeMedian(() => { if (bench) bench.free(); bench = new B.Bench(bytes); }, 5);
  out.locations = bench.locationCount();
  out.index_ms = timeMedian(() => bench.buildIndex(), 5);
  out.audit_all_ms = timeMedian(() => bench.auditAll(), 5);
  out.select_all_ms = timeMedian(() => bench.selectAll(), 5);
  out.ours = perKeystroke((q) => bench.search(q).length);

  const docs = bench.searchDocuments();
  const { default: MiniSearch } = await import('/bench/minisearch.js');
  let t0 = now();
  // Prefix search always; edit-distance fuzziness by word length as ours (1 edit from 4 letters,
  // 2 from 8); every word must match, as ours.
  const mini = new MiniSearch({
    fields: ['text'],
    searchOptions: { prefix: true, fuzzy: (term) => (term.length >= 8 ? 2 : term.length >= 4 ? 1 : false), combineWith: 'AND' },
  });
  mini.addAll(docs.map((text, id) => ({ id, text })));
  out.minisearch_index_ms = now() - t0;
  out.minisearch = perKeystroke((q) => mini.search(q).length);

  const { Index, Charset } = await import('/bench/flexsearch.js');
  t0 = now();
  // FlexSearch has no edit-distance fuzziness: prefix ("forward") tokens and its basic phonetic
  // encoder are its nearest equivalent. Unlimited results, as ours and MiniSearch return all.
  const flex = new Index({ tokenize: 'forward', encoder: Charset.LatinBalance });
  docs.forEach((text, id) => flex.add(id, text));
  out.flexsearch_index_ms = now() - t0;
  out.flexsearch = perKeystroke((q) => flex.search(q, { limit: docs.length }).length);

  out.whatif_sample = bench.prepareWhatIf(WHATIF_SAMPLE);
  const perOp = (fn) => median([0, 1, 2, 3, 4].map(() => {
    const s = now();
    for (let k = 0; k < out.whatif_sample; k++) fn(k);
    return (now() - s) / out.whatif_sample;
  }));
  out.whatif_ms = perOp((k) => bench.whatIf(k));
  out.minimal_change_ms = perOp((k) => bench.minimalChange(k));
  bench.free();
  return out;
}

// Typing into the real search box: for each keystroke, from the input event's timestamp to the
// task after the next animation frame (the frame that shows the new results).
async function typing(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(INIT);
  await page.goto(base + '/');
  await page.waitForFunction(() => window.__bench?.interactive !== undefined, null, { timeout: 180_000 });
  // Keystrokes are timed from the first screen: each query's first letters fetch their shards,
  // as a visitor's do.
  await page.waitForFunction(() => performance.getEntriesByName('cqc:results-shown').length > 0, null, { timeout: 180_000 });
  await page.evaluate(() => {
    window.__ks = [];
    window.addEventListener('input', (e) => {
      if (e.target.id !== 'q') return;
      const t0 = e.timeStamp;
      const q = e.target.value;
      requestAnimationFrame(() => setTimeout(() => {
        window.__ks.push({ q, ms: performance.now() - t0, count: document.querySelector('[data-testid=result-count]')?.textContent });
      }));
    }, true);
  });
  const box = page.locator('#q');
  await box.focus();
  for (const query of queries) {
    await box.fill('');
    await page.waitForFunction(() => window.__ks.length === 0 || window.__ks.at(-1).q === '', null, { timeout: 60_000 });
    await page.evaluate(() => { window.__ks = []; });
    let n = 0;
    for (const c of query) {
      await page.keyboard.type(c);
      n += 1;
      await page.waitForFunction((n) => window.__ks.length >= n, n, { timeout: 60_000, polling: 'raf' });
    }
    const samples = await page.evaluate(() => window.__ks);
    for (const s of samples) typingSamples.push(s);
  }
  await context.close();
}
const typingSamples = [];

// Dropping a national-scale file on the load page, with the bundled (national) data already
// loaded: the web worker reads it, the page decodes the result a chunk at a time and rebuilds
// its index and audit in the background. Measures the time until the file's locations are
// shown and every long task on the page's thread until the new audit has finished.
async function fileDrop(browser, base, file) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(INIT);
  await page.goto(base + '/load');
  await page.locator('#file').waitFor({ timeout: 180_000 });
  // The moment the status reports the file's locations, seen from inside the page (polling
  // from outside would add its own delay).
  const t0 = await page.evaluate(() => {
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid=load-status]')?.textContent ?? '';
      if (window.__dropLoaded === undefined && /locations\.$/.test(text)) window.__dropLoaded = performance.now();
    }).observe(document, { subtree: true, childList: true, characterData: true });
    return performance.now();
  });
  await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: /locations\.$/ }).waitFor({ timeout: 600_000 });
  const loaded = await page.evaluate(() => window.__dropLoaded);
  // The file replaces the data shown (the choice waits for the data shown, to compare); then
  // the new data's index and audit are built: its audit is the first `cqc:audit-ready` mark
  // (the bundled layout runs none on the load page).
  await page.getByRole('button', { name: 'Replace the current data' }).click({ timeout: 600_000 });
  await page.waitForFunction(() => performance.getEntriesByName('cqc:audit-ready').length > 0, null, { timeout: 180_000 });
  await page.waitForTimeout(500);
  const result = await page.evaluate((t0) => ({
    status: document.querySelector('[data-testid=load-status]')?.textContent,
    auditReady: performance.getEntriesByName('cqc:audit-ready').at(-1).startTime,
    longTasks: window.__bench.longTasks.filter((t) => t.start >= t0),
  }), t0);
  await context.close();
  return {
    file: path.basename(file),
    bytes: fs.statSync(file).size,
    status: result.status,
    loaded_ms: loaded - t0,
    audit_ready_ms: result.auditReady - t0,
    longest_task_ms: Math.max(0, ...result.longTasks.map((t) => t.duration)),
    long_tasks: result.longTasks.length,
  };
}

const summary = (rows) => {
  const ms = rows.map((r) => r.ms);
  return { p50_ms: percentile(ms, 50), p95_ms: percentile(ms, 95), max_ms: Math.max(...ms), mean_ms: ms.reduce((a, b) => a + b, 0) / ms.length, n: ms.length };
};

async function main() {
  say('precompressing', dist);
  const sizes = precompress(dist);
  const log = [];
  if (!fs.existsSync(path.join(harness, 'cqc_bench.js'))) {
    throw new Error(`${harness}/cqc_bench.js is missing: scripts/bench.sh builds it (crates/bench-wasm)`);
  }
  const server = await serve(dist, { log, repo, harness });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: FLAGS });
  const result = { chromium: browser.version(), dist, keystroke_batch: KEYSTROKE_BATCH, sizes };
  try {
    result.cold = [];
    for (let i = 0; i < coldRuns; i++) {
      const run = await coldStart(browser, base, log);
      say(`cold start ${i + 1}/${coldRuns}: interactive ${run.interactive_ms.toFixed(0)} ms, ${run.transfer_bytes} bytes, longest task ${run.longest_task_ms.toFixed(0)} ms`);
      result.cold.push(run);
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('pageerror', (e) => say('page error:', e.message));
    await page.addInitScript(INIT);
    // The national view fetches every row and runs the audit in the background: the timings
    // wait for it, so they do not share the thread with it.
    await page.goto(base + '/national');
    await page.waitForFunction(() => performance.getEntriesByName('cqc:audit-ready').length > 0, null, { timeout: 180_000 });
    say('engine and peers in the page');
    result.engine = await page.evaluate(inPage, { keystrokes, WHATIF_SAMPLE, KEYSTROKE_BATCH });
    await context.close();
    for (const peer of ['ours', 'minisearch', 'flexsearch']) result.engine[`${peer}_summary`] = summary(result.engine[peer]);
    if (dropFile) {
      say('dropping', dropFile, 'on the load page');
      result.drop = await fileDrop(browser, base, dropFile);
      say(`file drop: loaded after ${result.drop.loaded_ms.toFixed(0)} ms, longest task ${result.drop.longest_task_ms.toFixed(0)} ms`);
    }
    say('typing into the search box');
    await typing(browser, base);
    result.typing = typingSamples;
    result.typing_summary = summary(typingSamples);
  } finally {
    await browser.close();
    server.close();
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 1));
  say('wrote', out);
}

main().catch((e) => { console.error(e); process.exit(1); });
