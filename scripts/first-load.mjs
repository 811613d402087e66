// The first load's size, measured from a built site without a browser: what the first screen
// fetches (index.html, the files it names to start — the start-up script, the app's JS and
// wasm, the stylesheet, the data's manifest — and the data layout's files the first screen
// reads: the status column and the first cards file), each compressed as a static host would
// send it (brotli quality 11, window 2^24; gzip level 9). Three cases:
//   (a) the site as built, with its bundled real data;
//   (b) the same site with the synthetic national layout in place of its data (--national DIR);
//   (c) real national text, projected per file kind: the status column and the manifest at the
//       bundled real data's compressed bytes per location (the manifest grows with the number
//       of files, which grows with the data), the first cards file as the bundled one (32 real
//       locations), plus the code.
// bench/browser/layout.mjs measures the same first load in Chromium, request by request.
// Writes the figures as JSON (--out), merges the "first load bytes" and "projected real"
// targets into docs/bench-results/summary.json (--summary) and puts its section into
// docs/benchmarks.md (--docs), replacing the one an earlier run put there.
//
//   node scripts/first-load.mjs --dist dist --national target/bench/national-layout --locations 60000
//
// --csv-only FILE: a snapshot of real rows from a Latest ratings CSV alone, to compare the
// synthetic data's bytes per location with real rows made the same way.
//
// The favicons and the service worker (fetched after the page has loaded) are not counted, nor
// the worker that reads dropped files and the JavaScript API, which no first load fetches.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const FIRST_LOAD_TARGET_MB = 0.5;
const PROJECTED_TARGET_MB = 0.6;
const MB = 1e6;
const SECTION_START = '<!-- first-load: written by scripts/first-load.mjs -->';
const SECTION_END = '<!-- /first-load -->';

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 1) {
    if (!argv[i].startsWith('--')) throw new Error(`unexpected argument ${argv[i]} (options are --name value)`);
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value`);
    args[argv[i].slice(2)] = argv[i + 1];
    i += 1;
  }
  return args;
}

export function brotliBytes(raw) {
  return zlib.brotliCompressSync(raw, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
  } }).length;
}

export function gzipBytes(raw) {
  return zlib.gzipSync(raw, { level: 9 }).length;
}

/** The site's own files that index.html makes the browser fetch as the page starts. */
export function firstLoadFiles(html) {
  const urls = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    const attr = (name) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const url = tag.startsWith('<script') ? attr('src') : attr('href');
    if (!url || /^[a-z]+:/i.test(url) || url.startsWith('//')) continue;
    if (tag.startsWith('<link') && !['stylesheet', 'modulepreload', 'preload'].includes(attr('rel'))) continue;
    urls.push(url.replace(/^\//, '').split(/[?#]/)[0]);
  }
  return ['index.html', ...new Set(urls)];
}

function kindOf(file) {
  if (file.startsWith('data/')) return 'data';
  const ext = path.extname(file).slice(1);
  return { js: 'js', wasm: 'wasm', css: 'css', html: 'html' }[ext] ?? ext;
}

function varint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    if (at.offset >= bytes.length) throw new Error('the snapshot header ends inside a number');
    const byte = bytes[at.offset];
    at.offset += 1;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value;
    shift += 7;
  }
}

/**
 * The number of locations in a snapshot, from its chunk directory (docs/snapshot-format.md):
 * the header is read, no chunk is decoded.
 */
export function snapshotLocations(bytes, name) {
  if (bytes.subarray(0, 4).toString('latin1') !== 'CQCX') throw new Error(`${name}: not a snapshot (no CQCX magic)`);
  const at = { offset: 20 };
  // The length is read first: `at.offset += varint(...)` would add it to the offset before the read.
  const skipString = () => { const length = varint(bytes, at); at.offset += length; };
  varint(bytes, at); // format version
  varint(bytes, at); // data date
  for (let n = varint(bytes, at); n > 0; n -= 1) skipString(); // sources
  skipString(); // licence
  varint(bytes, at); varint(bytes, at); varint(bytes, at); // rows read, accepted, reported
  const strings = varint(bytes, at);
  let stringBytes = 0;
  for (let i = 0; i < strings; i += 1) stringBytes += varint(bytes, at);
  at.offset += stringBytes;
  let locations = 0;
  for (let chunks = varint(bytes, at); chunks > 0; chunks -= 1) {
    locations += varint(bytes, at);
    varint(bytes, at); // chunk length
    at.offset += 4; // chunk checksum
  }
  // The preamble gives the header's length: a reading that ends elsewhere misread the format.
  const headerEnd = 20 + Number(bytes.readBigUInt64LE(8));
  if (at.offset !== headerEnd) throw new Error(`${name}: the chunk directory ends at byte ${at.offset}, not at the header's end (${headerEnd}): not snapshot format ${bytes.readUInt32LE(4)} as scripts/first-load.mjs reads it`);
  return locations;
}

/** The data layout files the first screen reads: the status column and the first cards file. */
export function firstScreenData(manifest) {
  if (manifest.layout_version !== 1) throw new Error(`data layout version ${manifest.layout_version} is not the 1 this script reads`);
  return [manifest.status, `cards-0.${manifest.cards_hash}.bin`].map((name) => `data/${name}`);
}

/** Each file with its raw, brotli and gzip sizes, read from `dist` (data files from `dataDir`). */
function measure(dist, files, dataDir) {
  return files.map((file) => {
    const full = file.startsWith('data/') && dataDir ? path.join(dataDir, file.slice(5)) : path.join(dist, file);
    const raw = fs.readFileSync(full);
    return { file, kind: kindOf(file), raw: raw.length, br: brotliBytes(raw), gzip: gzipBytes(raw) };
  });
}

function totals(rows) {
  const sum = (key, filter = () => true) => rows.filter(filter).reduce((a, r) => a + r[key], 0);
  const code = (r) => r.kind !== 'data';
  return {
    raw: sum('raw'), br: sum('br'), gzip: sum('gzip'),
    code_br: sum('br', code), code_gzip: sum('gzip', code),
    data_br: sum('br', (r) => !code(r)), data_gzip: sum('gzip', (r) => !code(r)),
  };
}

const readManifest = (dir) => JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

export function firstLoad({ dist, national, locations, csvOnly }) {
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const started = firstLoadFiles(html);
  for (const file of started) {
    if (!fs.existsSync(path.join(dist, file))) throw new Error(`${dist}/index.html names ${file}, which is not in ${dist}`);
  }
  if (!started.includes('data/manifest.json')) throw new Error(`${dist}/index.html does not preload data/manifest.json`);
  const bundledManifest = readManifest(path.join(dist, 'data'));
  const bundledRows = measure(dist, [...started, ...firstScreenData(bundledManifest)]);
  const bundledLocations = bundledManifest.location_count;
  const bundled = { locations: bundledLocations, files: bundledRows, ...totals(bundledRows) };
  const result = { dist, compression: 'brotli quality 11, window 2^24; gzip level 9', bundled };
  let nationalManifest = null;
  if (national) {
    nationalManifest = readManifest(national);
    const nationalLocations = nationalManifest.location_count;
    if (locations != null && nationalLocations !== locations) {
      throw new Error(`${national} holds ${nationalLocations} locations, not the ${locations} asked for`);
    }
    const rows = measure(dist, [...started, ...firstScreenData(nationalManifest)], national);
    result.synthetic = { file: national, locations: nationalLocations, files: rows, ...totals(rows) };
  }
  if (csvOnly) {
    // Real rows from a Latest ratings CSV alone, as the synthetic data is made: no API detail.
    const bytes = fs.readFileSync(csvOnly);
    const n = snapshotLocations(bytes, csvOnly);
    result.real_csv_only = { file: csvOnly, locations: n, raw: bytes.length, br: brotliBytes(bytes), br_per_location: brotliBytes(bytes) / n };
  }
  const count = result.synthetic?.locations ?? locations;
  if (count) {
    // Per file kind. The status column grows with the country: the bundled real data's brotli
    // bytes per location × the count. The first cards file is a fixed 32 locations: the bundled
    // one. The manifest grows with the number of files it names, not with the count itself:
    // with the synthetic layout to hand, its manifest × the real data's file count over the
    // synthetic's (each kind's files in proportion to its raw bytes per location, real over
    // synthetic); without it, the bundled manifest's bytes per location × the count (an upper
    // bound: most of a small manifest is the filters' choices).
    const brOf = (rows, predicate, key = 'br') => rows.filter((r) => predicate(r.file)).reduce((a, r) => a + r[key], 0);
    const isStatus = (f) => /^data\/status\./.test(f);
    const isCards = (f) => /^data\/cards-/.test(f);
    const isManifest = (f) => f === 'data/manifest.json';
    const perLocation = (predicate, key) => brOf(bundledRows, predicate, key) / bundledLocations;
    let manifestBr = perLocation(isManifest, 'br') * count;
    let manifestGzip = perLocation(isManifest, 'gzip') * count;
    let manifestModel = 'bundled manifest bytes per location × count';
    if (result.synthetic) {
      const rawPerLocation = (dir, manifest, names) => names.reduce((a, n) => a + fs.statSync(path.join(dir, n)).size, 0) / manifest.location_count;
      const kinds = (m) => ({ rows: m.rows, buckets: m.buckets, shards: m.shards.map((x) => x.file), prefixes: Object.values(m.prefixes) });
      const real = kinds(bundledManifest);
      const synthetic = kinds(nationalManifest);
      let realFiles = 0;
      let syntheticFiles = 0;
      for (const kind of Object.keys(real)) {
        const ratio = kind === 'prefixes' ? 1
          : rawPerLocation(path.join(dist, 'data'), bundledManifest, real[kind]) / rawPerLocation(national, nationalManifest, synthetic[kind]);
        realFiles += synthetic[kind].length * ratio;
        syntheticFiles += synthetic[kind].length;
      }
      const scale = realFiles / syntheticFiles;
      manifestBr = brOf(result.synthetic.files, isManifest) * scale;
      manifestGzip = brOf(result.synthetic.files, isManifest, 'gzip') * scale;
      manifestModel = `synthetic manifest × ${num(scale)} (real files ${Math.round(realFiles)} ÷ synthetic ${syntheticFiles})`;
    }
    const dataBr = perLocation(isStatus, 'br') * count + brOf(bundledRows, isCards) + manifestBr;
    const dataGzip = perLocation(isStatus, 'gzip') * count + brOf(bundledRows, isCards, 'gzip') + manifestGzip;
    result.projected_real = {
      locations: count,
      manifest_model: manifestModel,
      manifest_br: manifestBr,
      status_br_per_location: perLocation(isStatus, 'br'),
      data_br_per_location: dataBr / count,
      data_br: dataBr,
      code_br: bundled.code_br,
      br: bundled.code_br + dataBr,
      gzip: bundled.code_gzip + dataGzip,
    };
  }
  return result;
}

const num = (v, digits = 3) => Number(v.toPrecision(digits)).toString();
const mb = (bytes) => `${num(bytes / MB)} MB`;

export function targets(result) {
  const out = [];
  // Over or under the target, and which part of the bytes (code or data) is the larger.
  const note = (value, target, code, data) => {
    const verdict = value <= target ? `${num(target - value)} MB under the target` : `${num(value - target)} MB over the target`;
    const larger = data >= code ? 'the data dominates' : 'the code dominates';
    return `${verdict}; data ${mb(data)} + code ${mb(code)}: ${larger}`;
  };
  if (result.synthetic) {
    const s = result.synthetic;
    const value = s.br / MB;
    out.push({
      what: `First load bytes (HTML, JS, wasm, CSS and data, brotli) on the ${s.locations}-location benchmark data`,
      key: 'first load bytes', value, unit: 'MB', target: `≤ ${FIRST_LOAD_TARGET_MB} MB`, met: value <= FIRST_LOAD_TARGET_MB,
      note: note(value, FIRST_LOAD_TARGET_MB, s.code_br, s.data_br),
    });
  }
  if (result.projected_real) {
    const p = result.projected_real;
    const value = p.br / MB;
    out.push({
      what: `Projected real first load bytes (the bundled real layout's manifest and status column at their brotli bytes per location × ${p.locations}, its first cards file, plus the code)`,
      key: 'projected real', value, unit: 'MB', target: `≤ ${PROJECTED_TARGET_MB} MB`, met: value <= PROJECTED_TARGET_MB,
      note: note(value, PROJECTED_TARGET_MB, p.code_br, p.data_br),
    });
  }
  return out;
}

export function markdown(result, command) {
  const b = result.bundled;
  const s = result.synthetic;
  const p = result.projected_real;
  const lines = [
    SECTION_START,
    '### First load bytes (scripts/first-load.mjs)',
    '',
    `Measured from the built site, no browser: \`${command}\`, the national layout made by`,
    `\`cqc synth --locations ${s?.locations ?? 60000} -o national.csv && cqc ingest national.csv -o national-layout\`${result.real_csv_only ? ' and the CSV-only real snapshot by `cqc ingest tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv -o real-csv-only.bin`' : ''}`,
    '(`bash scripts/bench.sh` runs both on its own build and data). What the first screen fetches',
    '(index.html, the files it names to start, the manifest, the status column and the first cards file), each compressed as a static host sends it',
    `(${result.compression}). Favicons, the service worker, the file-reading worker and the JavaScript API are not counted.`,
    '',
    '| File | Raw | gzip | brotli |',
    '| --- | --- | --- | --- |',
    ...b.files.map((r) => `| \`${r.file}\`${r.kind === 'data' ? ` (bundled, ${b.locations} locations)` : ''} | ${mb(r.raw)} | ${mb(r.gzip)} | ${mb(r.br)} |`),
    ...(s ? s.files.filter((r) => r.kind === 'data').map((r) => `| \`${r.file}\` (synthetic, ${s.locations} locations) | ${mb(r.raw)} | ${mb(r.gzip)} | ${mb(r.br)} |`) : []),
    '',
    '| Case | Code (brotli) | Data (brotli) | Total brotli | Total gzip | Target | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    `| (a) bundled real data, ${b.locations} locations | ${mb(b.code_br)} | ${mb(b.data_br)} | ${mb(b.br)} | ${mb(b.gzip)} | | |`,
  ];
  for (const t of targets(result)) {
    const row = t.key === 'first load bytes'
      ? `| (b) synthetic national data, ${s.locations} locations | ${mb(s.code_br)} | ${mb(s.data_br)} | ${mb(s.br)} | ${mb(s.gzip)} | ${t.target} | ${t.met ? '**met**' : `**missed** by ${mb(s.br - FIRST_LOAD_TARGET_MB * MB)}`} |`
      : `| (c) real national text, projected (${num(p.data_br_per_location)} B per location × ${p.locations}) | ${mb(p.code_br)} | ${mb(p.data_br)} | ${mb(p.br)} | ${mb(p.gzip)} | ${t.target} | ${t.met ? '**met**' : `**missed** by ${mb(p.br - PROJECTED_TARGET_MB * MB)}`} |`;
    lines.push(row);
  }
  if (s && p) {
    const dominant = (code, data) => (data >= code ? `the data (${num((100 * data) / (code + data))} %)` : `the code (${num((100 * code) / (code + data))} %)`);
    lines.push('',
      `On the benchmark data ${dominant(s.code_br, s.data_br)} dominates; projected for real text, ${dominant(p.code_br, p.data_br)}.`,
      `The projection: the status column at the bundled real data's ${num(p.status_br_per_location)} B per location, the first cards file as the bundled one,`,
      `and the manifest as ${p.manifest_model}: ${mb(p.manifest_br)}. Synthetic ÷ projected, whole first load: ${num(s.br / p.br)}.`,
      `The code alone is ${mb(b.code_br)} brotli, ${num((100 * b.code_br) / (FIRST_LOAD_TARGET_MB * MB))} % of the ${FIRST_LOAD_TARGET_MB} MB first-load target.`);
  }
  lines.push(SECTION_END, '');
  return lines.join('\n');
}

/** `summary`'s targets with these replacing any earlier ones of the same key. */
export function mergeTargets(summary, fresh) {
  const keys = new Set(fresh.map((t) => t.key));
  const kept = (summary.targets ?? []).filter((t) => !keys.has(t.key));
  return { ...summary, targets: [...kept, ...fresh] };
}

/** `doc` with `section` in place of the one between the markers (appended when there is none). */
export function withSection(doc, section, sectionStart = SECTION_START, sectionEnd = SECTION_END) {
  const start = doc.indexOf(sectionStart);
  const end = doc.indexOf(sectionEnd);
  if (start >= 0 && end > start) return doc.slice(0, start) + section + doc.slice(end + sectionEnd.length).replace(/^\n/, '');
  return `${doc.replace(/\n*$/, '\n\n')}${section}`;
}

if (process.argv[1] && process.argv[1].endsWith('first-load.mjs')) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const dist = args.dist ?? 'dist';
    const locations = args.locations == null ? null : Number(args.locations);
    if (locations != null && !(Number.isInteger(locations) && locations > 0)) throw new Error(`--locations ${args.locations}: expected a whole number above 0`);
    const result = firstLoad({ dist, national: args.national, locations, csvOnly: args['csv-only'] });
    const command = `node scripts/first-load.mjs ${process.argv.slice(2).join(' ')}`;
    if (args.out) fs.writeFileSync(args.out, JSON.stringify(result, null, 1) + '\n');
    if (args.summary) {
      const summary = fs.existsSync(args.summary) ? JSON.parse(fs.readFileSync(args.summary, 'utf8')) : {};
      const merged = mergeTargets(summary, targets(result));
      merged.first_load = result;
      fs.writeFileSync(args.summary, JSON.stringify(merged, null, 1) + '\n');
    }
    if (args.docs) {
      const doc = fs.existsSync(args.docs) ? fs.readFileSync(args.docs, 'utf8') : '';
      fs.writeFileSync(args.docs, withSection(doc, markdown(result, command)));
    }
    for (const t of targets(result)) console.error(`[first-load] ${t.met ? 'met   ' : 'MISSED'} ${t.key}: ${num(t.value)} ${t.unit} (${t.target})`);
    console.error(`[first-load] bundled: ${mb(result.bundled.br)} brotli (code ${mb(result.bundled.code_br)}, data ${mb(result.bundled.data_br)})`);
  } catch (error) {
    console.error(`first-load.mjs: ${error.message}`);
    process.exit(1);
  }
}
