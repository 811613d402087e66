// The JavaScript API package's size (the site's js/: scripts/build-js-api.sh), raw and
// compressed as bench/browser/server.mjs serves it (gzip -9, brotli at its highest quality). The
// figures for docs/bench-results/summary.json (`js_api`) and the section of docs/benchmarks.md;
// bench/report.mjs writes both on a full run. On its own it refreshes just those two entries:
//
//   node bench/js_api_size.mjs --dist dist [--docs docs] [--out target/bench/results/js-api.json]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const FILES = ['cqc_ratings.js', 'cqc_ratings_bg.wasm', 'cqc_ratings.d.ts'];
// What a page downloads to use the API; the declarations are for editors and tsc only.
const LOADED = ['cqc_ratings.js', 'cqc_ratings_bg.wasm'];
const SECTION = '### The JavaScript API package';

function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    br: zlib.brotliCompressSync(bytes, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    } }).length,
  };
}

/** Each file's raw, gzip and brotli bytes, and the sum of the two a page loads. */
export function measure(dist) {
  const dir = path.join(dist, 'js');
  const files = {};
  for (const name of FILES) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: build the site (trunk build) or run scripts/build-js-api.sh`);
    files[name] = sizes(fs.readFileSync(file));
  }
  const loaded = { raw: 0, gzip: 0, br: 0 };
  for (const name of LOADED) for (const k of Object.keys(loaded)) loaded[k] += files[name][k];
  return { path: '/js/', files, loaded };
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

/** The section of docs/benchmarks.md, as lines. */
export function markdown(jsApi) {
  return [
    SECTION,
    '',
    `The engine for any page, apart from the explorer: \`${jsApi.path}cqc_ratings.js\` and its wasm, built by`,
    '`scripts/build-js-api.sh` (release, wasm-bindgen, `wasm-opt -Oz`) into every site build. Compressed as the',
    'benchmark\'s server sends it (gzip level 9, brotli quality 11).',
    '',
    '| File | Raw | gzip | brotli |',
    '| --- | --- | --- | --- |',
    ...Object.entries(jsApi.files).map(([name, s]) => `| \`${name}\` | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.br)} |`),
    `| **loaded by a page** (JS + wasm) | **${kb(jsApi.loaded.raw)}** | **${kb(jsApi.loaded.gzip)}** | **${kb(jsApi.loaded.br)}** |`,
    '',
  ];
}

/** Puts the section into an existing benchmarks.md: in place of the old one, else before the native search table. */
export function withSection(text, section) {
  const lines = text.split('\n');
  const start = lines.indexOf(SECTION);
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && /^#{1,3} /.test(l));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...section);
  } else {
    let at = lines.findIndex((l) => l.startsWith('### Native search per query'));
    if (at < 0) at = lines.length;
    lines.splice(at, 0, ...section);
  }
  return lines.join('\n');
}

if (process.argv[1] && process.argv[1].endsWith('js_api_size.mjs')) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) => {
    if (a.startsWith('--')) pairs.push([a.slice(2), all[i + 1]]);
    return pairs;
  }, []));
  const jsApi = measure(path.resolve(args.dist ?? 'dist'));
  for (const [name, s] of Object.entries(jsApi.files)) console.error(`[js-api] ${name}: ${s.raw} B raw, ${s.gzip} B gzip, ${s.br} B brotli`);
  console.error(`[js-api] loaded by a page: ${jsApi.loaded.raw} B raw, ${jsApi.loaded.gzip} B gzip, ${jsApi.loaded.br} B brotli`);
  if (args.out) {
    fs.mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
    fs.writeFileSync(path.resolve(args.out), JSON.stringify(jsApi, null, 1) + '\n');
  }
  if (args.docs) {
    const docs = path.resolve(args.docs);
    const summaryFile = path.join(docs, 'bench-results', 'summary.json');
    const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
    summary.js_api = jsApi;
    fs.writeFileSync(summaryFile, JSON.stringify(summary, null, 1) + '\n');
    const page = path.join(docs, 'benchmarks.md');
    fs.writeFileSync(page, withSection(fs.readFileSync(page, 'utf8'), markdown(jsApi)));
    console.error(`[js-api] updated ${summaryFile} and ${page}`);
  }
}
