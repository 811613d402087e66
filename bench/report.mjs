// Turns one run of scripts/bench.sh into docs/bench-results/*.json (the raw figures) and
// docs/benchmarks.md (every figure, its peer ratios and whether each target is met). Every
// number comes from the files the run wrote; nothing here is typed in except the targets.
//
//   node bench/report.mjs --run target/bench/results --criterion <target dir>/criterion
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { markdown as jsApiSection } from './js_api_size.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
  if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
  return pairs;
}, []));
const run = path.resolve(args.run ?? 'target/bench/results');
const criterionDir = path.resolve(args.criterion ?? 'target/criterion');
const docs = path.resolve(args.docs ?? 'docs');
const read = (f) => JSON.parse(fs.readFileSync(path.join(run, f), 'utf8'));
const exists = (f) => fs.existsSync(path.join(run, f));

// ---- inputs -------------------------------------------------------------------------------

const machine = read('machine.json');
const browser = read('browser.json');
const keystrokesNative = read('native-keystrokes.json');
// The JavaScript API package's size (bench/js_api_size.mjs), when the run measured it.
const jsApi = exists('js-api.json') ? read('js-api.json') : null;
const queries = JSON.parse(fs.readFileSync(path.resolve('bench/queries.json'), 'utf8')).queries;

/** Criterion's median for one benchmark, in ms, with its 95% interval. */
function criterion(group, id) {
  const file = path.join(criterionDir, group, id, 'new', 'estimates.json');
  if (!fs.existsSync(file)) return null;
  const e = JSON.parse(fs.readFileSync(file, 'utf8')).median;
  return { ms: e.point_estimate / 1e6, low_ms: e.confidence_interval.lower_bound / 1e6, high_ms: e.confidence_interval.upper_bound / 1e6 };
}

/** The figures of a `/usr/bin/time -v` report. */
function timeV(file) {
  if (!exists(file)) return null;
  const text = fs.readFileSync(path.join(run, file), 'utf8');
  // "Label (may contain h:mm:ss): value": the value follows the first colon followed by a space.
  const field = (label) => /:\s+(.*)$/.exec(text.split('\n').find((l) => l.trim().startsWith(label)) ?? '')?.[1]?.trim();
  const wall = field('Elapsed (wall clock) time');
  const parts = wall ? wall.split(':').map(Number) : [];
  const seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
  return {
    wall_s: wall ? seconds : null,
    user_s: Number(field('User time (seconds)')),
    system_s: Number(field('System time (seconds)')),
    max_rss_mb: Number(field('Maximum resident set size (kbytes)')) / 1024,
    exit_status: Number(field('Exit status')),
    signal: /Command terminated by signal (\d+)/.exec(text)?.[1] ?? null,
  };
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : null;
}
const median = (v) => percentile(v, 50);

// ---- figures ------------------------------------------------------------------------------

const native = {
  ingest_csv: criterion('ingest', 'csv'),
  ingest_ods: criterion('ingest', 'ods'),
  decode: criterion('load', 'decode'),
  index: criterion('load', 'index'),
  audit_all: criterion('load', 'audit_all'),
  select_all: criterion('load', 'select_all'),
  evidence_all: criterion('load', 'evidence_all'),
  rate_all: criterion('load', 'rate_all'),
  narrative_all: criterion('load', 'narrative_all'),
  rate_outcome_all: criterion('load', 'rate_outcome_all'),
  what_if: criterion('whatif', 'apply_rate'),
  minimal_change: criterion('whatif', 'minimal_change'),
  queries: Object.fromEntries(queries.map((q) => [q, criterion('search', q.replaceAll(' ', '_'))])),
  keystrokes: keystrokesNative,
  keystroke_p50_ms: percentile(keystrokesNative.keystrokes.map((k) => k.ms), 50),
  keystroke_p95_ms: percentile(keystrokesNative.keystrokes.map((k) => k.ms), 95),
  cli_ingest_csv: timeV('time-ingest-csv.txt'),
  cli_ingest_ods: timeV('time-ingest-ods.txt'),
};

/** One pandas run: its /usr/bin/time figures and what the script printed, if it finished. */
function pandasRun(name) {
  const time = timeV(`time-pandas-${name}.txt`);
  let result = null;
  if (exists(`pandas-${name}.json`)) {
    const line = fs.readFileSync(path.join(run, `pandas-${name}.json`), 'utf8').trim().split('\n').pop();
    try { result = JSON.parse(line); } catch { result = null; }
  }
  const err = exists(`pandas-${name}.err`) ? fs.readFileSync(path.join(run, `pandas-${name}.err`), 'utf8') : '';
  const memoryError = /\bMemoryError\b/.test(err);
  return { ...time, result, finished: Boolean(result), memory_error: memoryError };
}
const regionalRows = exists('ingest-regional-ods.log') ? /(\d+) rows read/.exec(fs.readFileSync(path.join(run, 'ingest-regional-ods.log'), 'utf8'))?.[1] : null;
const pandasLimits = exists('pandas-limits.json') ? read('pandas-limits.json') : {};
const pandas = { limits: pandasLimits, regional: pandasRun('regional'), national: pandasRun('national') };
native.cli_ingest_regional_ods = timeV('time-ingest-regional-ods.txt');

const cold = browser.cold;
const engine = browser.engine;
const wasm = {
  interactive_ms: median(cold.map((c) => c.interactive_ms)),
  interactive_runs_ms: cold.map((c) => c.interactive_ms),
  data_ready_ms: median(cold.map((c) => c.data_ready_ms)),
  search_ready_ms: median(cold.map((c) => c.search_ready_ms)),
  audit_ready_ms: median(cold.map((c) => c.audit_ready_ms)),
  transfer_bytes: median(cold.map((c) => c.transfer_bytes)),
  transfer_by_kind: cold[0].transfer_by_kind,
  encodings: [...new Set(cold.flatMap((c) => c.requests.map((r) => r.encoding)))],
  longest_task_ms: Math.max(...cold.map((c) => c.longest_task_ms)),
  longest_task_median_ms: median(cold.map((c) => c.longest_task_ms)),
  decode_ms: engine.decode_ms,
  index_ms: engine.index_ms,
  audit_all_ms: engine.audit_all_ms,
  select_all_ms: engine.select_all_ms,
  what_if_ms: engine.whatif_ms,
  minimal_change_ms: engine.minimal_change_ms,
  search: engine.ours_summary,
  minisearch: engine.minisearch_summary,
  flexsearch: engine.flexsearch_summary,
  minisearch_index_ms: engine.minisearch_index_ms,
  flexsearch_index_ms: engine.flexsearch_index_ms,
  typing: browser.typing_summary,
};

// The synthetic snapshot repeats a few hundred real locations, so it compresses far better than
// real data would. The bundled real snapshot, compressed the same way, gives real data's bytes
// per location; times the national count, the transfer a real national snapshot would need.
let projection = null;
const bundled = keystrokesNative.bundled;
if (bundled && fs.existsSync(path.resolve(bundled.path))) {
  const raw = fs.readFileSync(path.resolve(bundled.path));
  const br = zlib.brotliCompressSync(raw, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
  } }).length;
  const perLocation = br / bundled.locations;
  const dataNow = wasm.transfer_by_kind.data ?? 0;
  projection = {
    bundled_locations: bundled.locations, bundled_raw_bytes: raw.length, bundled_br_bytes: br,
    br_bytes_per_location: perLocation,
    national_data_br_bytes: perLocation * engine.locations,
    national_transfer_bytes: wasm.transfer_bytes - dataNow + perLocation * engine.locations,
    synthetic_data_br_bytes_per_location: dataNow / engine.locations,
  };
}

// The engine must find the same locations natively and in WASM: same code, same snapshot.
const hitMismatches = engine.ours.filter((k, i) => keystrokesNative.keystrokes[i]?.hits !== k.hits).map((k) => k.q);

// ---- targets ------------------------------------------------------------------------------

const ratio = (a, b) => (a != null && b ? a / b : null);
const MB = 1e6;
const auditRatio = ratio(wasm.audit_all_ms, native.audit_all?.ms);
const odsMs = native.ingest_ods?.ms ?? null;
const odsRss = native.cli_ingest_ods?.max_rss_mb ?? null;
const num = (v, digits = 3) => {
  if (v == null || Number.isNaN(v)) return 'n/a';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  return Number(v.toPrecision(digits)).toString();
};
const ms = (v) => (v == null ? 'n/a' : `${num(v)} ms`);
const x = (v) => (v == null ? 'n/a' : `${num(v)}×`);
const mark = (met) => (met ? '**met**' : '**missed**');

// Each target's figure is given beside a ratio measured in the same run (issue 14): to a peer
// library on the same page, to native, or to pandas on the same file.
const pandasRegional = pandas.regional.finished ? pandas.regional : null;
const odsVsPandas = pandasRegional ? ratio(native.cli_ingest_regional_ods?.wall_s, pandasRegional.result.read_s) : null;
const flexIndex = wasm.flexsearch_index_ms;
const miniIndex = wasm.minisearch_index_ms;
const besideIndex = (v) => `${x(ratio(v, miniIndex))} MiniSearch's index build on the same page (${ms(miniIndex)}, one task)`;
const targets = [
  { what: 'Cold start to interactive (navigation → result count shown, median)', value: wasm.interactive_ms, unit: 'ms', target: '≤ 1000 ms', met: wasm.interactive_ms <= 1000,
    beside: `${x(ratio(wasm.interactive_ms, flexIndex))} FlexSearch's index build alone on the same documents (${ms(flexIndex)})` },
  { what: 'Longest main-thread task during first load (navigation → results shown, worst of the runs)', value: wasm.longest_task_ms, unit: 'ms', target: '≤ 50 ms', met: wasm.longest_task_ms <= 50,
    beside: besideIndex(wasm.longest_task_ms) },
  ...(browser.drop ? [{ what: 'Longest main-thread task while a dropped national ODS is read (web worker), compared, loaded and re-indexed (0: none reached the Long Tasks API\'s 50 ms)', value: browser.drop.longest_task_ms, unit: 'ms', target: '≤ 50 ms', met: browser.drop.longest_task_ms <= 50,
    beside: besideIndex(browser.drop.longest_task_ms) }] : []),
  // First-load bytes and the real-data projection are scripts/first-load.mjs's entries (issue
  // 14's targets: ≤ 0.5 MB and ≤ 0.6 MB), merged into summary.json after this report.
  { what: 'Search per keystroke, p95 (WASM, engine)', value: wasm.search.p95_ms, unit: 'ms', target: '≤ 2 ms', met: wasm.search.p95_ms <= 2,
    beside: `${x(ratio(wasm.search.p95_ms, native.keystroke_p95_ms))} native's p95 (${ms(native.keystroke_p95_ms)})` },
  { what: 'Search p95, ours ÷ FlexSearch (same keystrokes, same page)', value: ratio(wasm.search.p95_ms, wasm.flexsearch.p95_ms), unit: '×', target: '≤ 0.5', met: ratio(wasm.search.p95_ms, wasm.flexsearch.p95_ms) <= 0.5,
    beside: `ours ${ms(wasm.search.p95_ms)}, FlexSearch ${ms(wasm.flexsearch.p95_ms)}` },
  { what: 'Search p95, ours ÷ MiniSearch', value: ratio(wasm.search.p95_ms, wasm.minisearch.p95_ms), unit: '×', target: '≤ 0.5', met: ratio(wasm.search.p95_ms, wasm.minisearch.p95_ms) <= 0.5,
    beside: `ours ${ms(wasm.search.p95_ms)}, MiniSearch ${ms(wasm.minisearch.p95_ms)}` },
  { what: 'Recompute + audit every rating (WASM)', value: wasm.audit_all_ms, unit: 'ms', target: '≤ 50 ms', met: wasm.audit_all_ms <= 50,
    beside: `${x(auditRatio)} native (${ms(native.audit_all?.ms)})` },
  { what: 'Recompute + audit, WASM ÷ native', value: auditRatio, unit: '×', target: '≤ 2', met: auditRatio != null && auditRatio <= 2,
    beside: `WASM ${ms(wasm.audit_all_ms)}, native ${ms(native.audit_all?.ms)}` },
  { what: 'What-if: apply an edit and re-rate (WASM)', value: wasm.what_if_ms, unit: 'ms', target: '≤ 1 ms', met: wasm.what_if_ms <= 1,
    beside: `${x(ratio(wasm.what_if_ms, native.what_if?.ms))} native (${ms(native.what_if?.ms)})` },
  { what: 'ODS ingest, native (criterion median)', value: odsMs == null ? null : odsMs / 1000, unit: 's', target: '≤ 5 s', met: odsMs != null && odsMs <= 5000,
    beside: `${x(ratio(odsMs, native.ingest_csv?.ms))} the CSV of the same data (${ms(native.ingest_csv?.ms)}); on the regional ODS, ${odsVsPandas == null ? 'n/a (pandas did not finish)' : `${x(odsVsPandas)} pandas + odfpy's time`}` },
  { what: 'ODS ingest peak memory, native (`cqc ingest`, max RSS)', value: odsRss, unit: 'MB', target: '≤ 300 MB', met: odsRss != null && odsRss <= 300,
    beside: pandasRegional ? `on the regional ODS, ${x(ratio(native.cli_ingest_regional_ods?.max_rss_mb, pandasRegional.max_rss_mb))} pandas + odfpy's peak` : 'n/a' },
];

// ---- markdown -----------------------------------------------------------------------------


const lines = [];
const push = (...l) => lines.push(...l);
push(
  '# Benchmarks at national scale',
  '',
  `Generated by \`${machine.command}\` on ${machine.date}. Every figure below is produced by that command; the raw`,
  'figures are in [`docs/bench-results/`](bench-results/). Rerun it to refresh this page.',
  '',
  '## Machine and data',
  '',
  '| | |',
  '| --- | --- |',
  `| CPU | ${machine.cpu} (\`nproc\` = ${machine.nproc}) |`,
  `| RAM | ${machine.ram_gb} GB |`,
  `| OS | ${machine.kernel} |`,
  `| Load average (1 min) before / after | ${machine.load_before} / ${machine.load_after ?? 'n/a'} |`,
  `| Toolchain | ${machine.rustc}; Node ${machine.node}; ${browser.chromium.startsWith('Chrom') ? '' : 'Chromium '}${browser.chromium} (headless); ${machine.pandas ?? 'pandas n/a'} |`,
  `| Data | ${machine.data} |`,
  `| Snapshot | ${engine.locations} locations, ${num(engine.snapshot_bytes / MB)} MB uncompressed |`,
  '',
  'Native figures are criterion medians of the crate\'s release profile (`opt-level = "z"`, LTO; the',
  'four crates of the ODS reader\'s hot loops, quick-xml, memchr, zlib-rs and crc32fast, at `opt-level = 3`) with',
  '`panic = "unwind"` for the bench harness; WASM figures are measured in the page on the release',
  '`trunk build`, through the `Bench` handle of `crates/bench-wasm` (built the same way, loaded beside the app), running the same calls as',
  '`benches/common/mod.rs`. The browser is on loopback with no network throttling, so cold start',
  'here is compute time, not download time. The machine was shared with other builds while this ran;',
  'the load averages above say how busy it was.',
  '',
  '## Targets',
  '',
  '| Figure | Measured | Target | | Beside it, same run |',
  '| --- | --- | --- | --- | --- |',
  ...targets.map((t) => `| ${t.what} | ${num(t.value)} ${t.unit} | ${t.target} | ${mark(t.met)} | ${t.beside ?? ''} |`),
  '',
  '## Side by side',
  '',
  '### Search (same browser, same documents, same keystrokes)',
  '',
  `${engine.ours.length} keystrokes: each of the ${queries.length} queries of [\`bench/queries.json\`](../bench/queries.json) typed one character at a`,
  `time. Each keystroke is timed as a batch of ${browser.keystroke_batch} identical searches, divided; p50/p95 are over keystrokes.`,
  'MiniSearch: prefix search, 1 edit from 4 letters and 2 from 8, every word required (as ours).',
  'FlexSearch: forward (prefix) tokens with its LatinBalance phonetic encoder, unlimited results; it has',
  'no edit-distance matching, so it finds fewer typo matches (see the hit counts in the raw JSON).',
  '',
  '| Engine | p50 | p95 | max | index build | p95 ÷ ours |',
  '| --- | --- | --- | --- | --- | --- |',
  `| Ours, WASM | ${ms(wasm.search.p50_ms)} | ${ms(wasm.search.p95_ms)} | ${ms(wasm.search.max_ms)} | ${ms(wasm.index_ms)} | 1× |`,
  `| Ours, native | ${ms(native.keystroke_p50_ms)} | ${ms(native.keystroke_p95_ms)} | ${ms(Math.max(...keystrokesNative.keystrokes.map((k) => k.ms)))} | ${ms(native.index?.ms)} | ${x(ratio(native.keystroke_p95_ms, wasm.search.p95_ms))} |`,
  `| MiniSearch ${machine.minisearch} | ${ms(wasm.minisearch.p50_ms)} | ${ms(wasm.minisearch.p95_ms)} | ${ms(wasm.minisearch.max_ms)} | ${ms(wasm.minisearch_index_ms)} | ${x(ratio(wasm.minisearch.p95_ms, wasm.search.p95_ms))} |`,
  `| FlexSearch ${machine.flexsearch} | ${ms(wasm.flexsearch.p50_ms)} | ${ms(wasm.flexsearch.p95_ms)} | ${ms(wasm.flexsearch.max_ms)} | ${ms(wasm.flexsearch_index_ms)} | ${x(ratio(wasm.flexsearch.p95_ms, wasm.search.p95_ms))} |`,
  '',
  `Typing into the app's search box (input event → the frame after the results update, ${wasm.typing.n} keystrokes): p50 ${ms(wasm.typing.p50_ms)}, p95 ${ms(wasm.typing.p95_ms)}, max ${ms(wasm.typing.max_ms)}.`,
  hitMismatches.length ? `**Native and WASM found different locations for: ${hitMismatches.join(', ')}.**` : 'Native and WASM found the same number of locations for every keystroke.',
  '',
  '### Engine: WASM in Chromium vs native',
  '',
  '| Operation | WASM | Native | WASM ÷ native |',
  '| --- | --- | --- | --- |',
  ...[
    ['Decode the snapshot', wasm.decode_ms, native.decode],
    ['Build the search index', wasm.index_ms, native.index],
    ['Recompute + audit every rating', wasm.audit_all_ms, native.audit_all],
    ['First search-page selection (all, by name)', wasm.select_all_ms, native.select_all],
    ['What-if (apply + rate), per location', wasm.what_if_ms, native.what_if],
    ['Minimal-change solver, per location', wasm.minimal_change_ms, native.minimal_change],
  ].map(([what, w, n]) => `| ${what} | ${ms(w)} | ${ms(n?.ms)} | ${x(ratio(w, n?.ms))} |`),
  '',
  `Recompute + audit, native breakdown: building every location's evidence ${ms(native.evidence_all?.ms)}; rating every location with the trace recorded (as the location page does) ${ms(native.rate_all?.ms)}, and writing the narrative from those traces ${ms(native.narrative_all?.ms)}; rating every location for its outcome only (\`rate_outcome\`, the same rules with no trace) ${ms(native.rate_outcome_all?.ms)}; the audit as a whole ${ms(native.audit_all?.ms)}, which rates each combination of published ratings once (\`rules::VerdictMemo\`) and gives every location sharing it the outcome with its own dates.`,
  `On the way to the first results the engine does the decode (${ms(wasm.decode_ms)}) and the first selection (${ms(wasm.select_all_ms)}); the search index (${ms(wasm.index_ms)}) and the recompute + audit (${ms(wasm.audit_all_ms)}) run after the first paint, in slices of about 30 ms.`,
  '',
  '### Ingest: `cqc ingest` vs pandas + odfpy',
  '',
  '| Reader | File | Time | Peak memory (max RSS) |',
  '| --- | --- | --- | --- |',
  `| Ours, native (criterion median, in-process) | CSV | ${ms(native.ingest_csv?.ms)} | |`,
  `| Ours, native (criterion median, in-process) | ODS | ${ms(native.ingest_ods?.ms)} | |`,
  `| \`cqc ingest\` (whole command, wall clock) | CSV | ${num(native.cli_ingest_csv?.wall_s)} s | ${num(native.cli_ingest_csv?.max_rss_mb)} MB |`,
  `| \`cqc ingest\` (whole command, wall clock) | ODS | ${num(native.cli_ingest_ods?.wall_s)} s | ${num(native.cli_ingest_ods?.max_rss_mb)} MB |`,
  `| \`cqc ingest\` (whole command, wall clock) | regional ODS | ${num(native.cli_ingest_regional_ods?.wall_s)} s | ${num(native.cli_ingest_regional_ods?.max_rss_mb)} MB |`,
  ...['regional', 'national'].map((name) => {
    const p = pandas[name];
    return p.finished
      ? `| pandas ${p.result.pandas} + odfpy, \`read_excel\` (${p.result.rows} rows) | ${name} ODS | ${num(p.result.read_s)} s read (${num(p.wall_s)} s with start-up) | ${num(p.max_rss_mb)} MB |`
      : `| pandas + odfpy, \`read_excel\` | ${name} ODS | did not finish: ${p.memory_error ? 'MemoryError (out of its address-space cap)' : p.signal ? `killed by signal ${p.signal}` : `exit status ${p.exit_status}`} after ${num(p.wall_s)} s (limits: ${pandasLimits.timeout_s} s, ${pandasLimits.memory_gb} GB address space) | ${num(p.max_rss_mb)} MB when stopped |`;
  }),
  '',
  `The regional file is the same generator's output at ${regionalRows ?? 'n/a'} rows, converted the same way, so pandas can finish it.`,
  pandas.regional.finished
    ? `Regional ODS, pandas ÷ \`cqc ingest\`: ${x(ratio(pandas.regional.result.read_s, native.cli_ingest_regional_ods?.wall_s))} the time (pandas' read alone vs our whole command), ${x(ratio(pandas.regional.max_rss_mb, native.cli_ingest_regional_ods?.max_rss_mb))} the peak memory.`
    : 'pandas did not finish the regional ODS either.',
  pandas.national.finished
    ? `National ODS, pandas ÷ ours: ${x(ratio(pandas.national.result.read_s * 1000, native.ingest_ods?.ms))} the time (read only, vs criterion median), ${x(ratio(pandas.national.max_rss_mb, native.cli_ingest_ods?.max_rss_mb))} the peak memory.`
    : `National ODS: pandas stopped after ${num(pandas.national.wall_s)} s${pandas.national.memory_error ? `, out of memory at ${num(pandas.national.max_rss_mb)} MB` : ''}, so it needs at least ${x(ratio(pandas.national.wall_s * 1000, native.ingest_ods?.ms))} our time and ${x(ratio(pandas.national.max_rss_mb, native.cli_ingest_ods?.max_rss_mb))} our peak memory (lower bounds).`,
  '',
  '### First load in the browser',
  '',
  `Cold start over ${cold.length} fresh browser contexts: ${cold.map((c) => ms(c.interactive_ms)).join(', ')} (median ${ms(wasm.interactive_ms)}).`,
  `Stages, from the app's User Timing marks (median): data decoded ${ms(wasm.data_ready_ms)}, first results shown ${ms(wasm.interactive_ms)}, search ready ${ms(wasm.search_ready_ms)}, audit finished ${ms(wasm.audit_ready_ms)}. Until search is ready a typed query says "Preparing the search" and its results follow; browsing, filters (except the two that need the audit) and paging work from the first results.`,
  `Longest main-thread task from navigation until the audit has finished: ${ms(wasm.longest_task_ms)} (worst run; median ${ms(wasm.longest_task_median_ms)}), Long Tasks API.`,
  `Content-Encoding used by the server: ${wasm.encodings.join(', ')}.`,
  ...(browser.drop ? [
    '',
    `Dropping a file on the load page (with the national data already loaded): ${browser.drop.file} (${num(browser.drop.bytes / MB)} MB) is read by the web worker and its locations are shown ${ms(browser.drop.loaded_ms)} after the file is chosen (Playwright's \`setInputFiles\`, which first copies the file into the page); its search index and audit are done ${ms(browser.drop.audit_ready_ms)} after. Status: "${browser.drop.status}". ${browser.drop.long_tasks ? `Long tasks on the page's thread in that time: ${browser.drop.long_tasks}, the longest ${ms(browser.drop.longest_task_ms)}.` : 'No task on the page\'s thread in that time reached 50 ms, the Long Tasks API\'s threshold (so the target row shows 0).'}`,
  ] : []),
  '',
  '| Part | Compressed bytes transferred |',
  '| --- | --- |',
  ...Object.entries(wasm.transfer_by_kind).map(([k, v]) => `| ${k} | ${num(v / MB)} MB |`),
  `| **total** | **${num(wasm.transfer_bytes / MB)} MB** |`,
  '',
  projection
    ? `The synthetic snapshot compresses to ${num(projection.synthetic_data_br_bytes_per_location)} bytes per location (brotli); the bundled real snapshot (${projection.bundled_locations} real locations, ${projection.bundled_raw_bytes} bytes) to ${num(projection.br_bytes_per_location)} bytes per location with the same settings. At that rate ${engine.locations} real locations would be ${num(projection.national_data_br_bytes / MB)} MB of data, ${num(projection.national_transfer_bytes / MB)} MB in all: the row "projected for real data" in the targets.`
    : '',
  '',
  ...(jsApi ? jsApiSection(jsApi) : []),
  '### Native search per query (criterion median)',
  '',
  '| Query | Native | Hits |',
  '| --- | --- | --- |',
  ...queries.map((q) => {
    const k = keystrokesNative.keystrokes.filter((r) => r.q === q).pop();
    return `| \`${q}\` | ${ms(native.queries[q]?.ms)} | ${k?.hits ?? 'n/a'} |`;
  }),
  '',
);
if (exists('perf-ods.txt')) {
  // perf's columns padded to the terminal width, trimmed to symbol and share.
  const rows = fs.readFileSync(path.join(run, 'perf-ods.txt'), 'utf8').split('\n')
    .map((l) => l.replace(/\s+-\s+-\s*$/, '').trimEnd()).filter((l) => l.trim());
  push('### Where native ODS ingest spends its time', '',
    '`perf record` of `cqc ingest national.ods`, hottest symbols (self time):', '', '```', ...rows, '```', '');
}

// ---- write --------------------------------------------------------------------------------

const results = path.join(docs, 'bench-results');
fs.mkdirSync(results, { recursive: true });
const write = (name, value) => fs.writeFileSync(path.join(results, name), JSON.stringify(value, null, 1) + '\n');
write('machine.json', machine);
write('native.json', native);
write('pandas.json', pandas);
write('browser.json', browser);
write('summary.json', { targets, wasm, transfer_projection: projection, hit_mismatches: hitMismatches, js_api: jsApi });
fs.writeFileSync(path.join(docs, 'benchmarks.md'), lines.join('\n'));
console.error(`[report] wrote ${path.join(docs, 'benchmarks.md')} and ${results}/`);
for (const t of targets) console.error(`[report] ${t.met ? 'met   ' : 'MISSED'} ${t.what}: ${num(t.value)} ${t.unit} (${t.target})`);
