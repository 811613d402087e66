// The benchmark's static server: a copy of dist/ on loopback, compressed as a static host would
// serve it (brotli or gzip, precompressed once at the highest level and cached next to each
// file as .br / .gz), so the browser's transfer sizes are the bytes a visitor would download.
// It also serves the peer search libraries from node_modules under /bench/, and sends the
// cross-origin isolation headers that give the page 5 µs timers instead of 100 µs.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.bin': 'application/octet-stream', '.json': 'application/json',
};

// The peers, loaded by the harness page with import(): ES module builds from node_modules.
const PEERS = {
  '/bench/minisearch.js': 'node_modules/minisearch/dist/es/index.js',
  '/bench/flexsearch.js': 'node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs',
};

/** The compressed copy of `file` for `encoding`, made once and reused while `file` is unchanged. */
function compressed(file, encoding) {
  const suffix = encoding === 'br' ? '.br' : '.gz';
  const out = file + suffix;
  const source = fs.statSync(file);
  if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= source.mtimeMs) return out;
  const bytes = fs.readFileSync(file);
  const packed = encoding === 'br'
    ? zlib.brotliCompressSync(bytes, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    } })
    : zlib.gzipSync(bytes, { level: 9 });
  fs.writeFileSync(out, packed);
  return out;
}

/** Compresses every file of `root` ahead of time, so no request waits on a compressor. */
export function precompress(root) {
  const sizes = {};
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!/\.(br|gz)$/.test(entry.name)) {
        sizes[path.relative(root, full)] = {
          raw: fs.statSync(full).size,
          gzip: fs.statSync(compressed(full, 'gzip')).size,
          br: fs.statSync(compressed(full, 'br')).size,
        };
      }
    }
  };
  walk(root);
  return sizes;
}

// The benchmark's own handle on the engine (crates/bench-wasm, built by scripts/bench.sh), served
// beside the site rather than from it: the site never ships it.
const HARNESS = '/bench/harness/';

/**
 * Serves `root` on 127.0.0.1, and the files of `harness` under /bench/harness/. `log` collects
 * one line per request (path, encoding sent, bytes) so the harness can check what the browser
 * asked for.
 */
export function serve(root, { port = 0, log = [], repo = process.cwd(), harness = null } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let file;
    if (PEERS[url.pathname]) {
      file = path.join(repo, PEERS[url.pathname]);
    } else if (harness && url.pathname.startsWith(HARNESS)
      && fs.existsSync(path.join(harness, path.basename(url.pathname)))) {
      file = path.join(harness, path.basename(url.pathname));
    } else {
      file = path.join(root, decodeURIComponent(url.pathname));
      if (!file.startsWith(path.resolve(root)) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        file = path.join(root, 'index.html');
      }
    }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    const encoding = /\bbr\b/.test(accepts) ? 'br' : /\bgzip\b/.test(accepts) ? 'gzip' : null;
    const body = encoding ? compressed(file, encoding) : file;
    const headers = {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': fs.statSync(body).size,
      'Cache-Control': 'no-cache',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Vary': 'Accept-Encoding',
    };
    if (encoding) headers['Content-Encoding'] = encoding;
    log.push({ path: url.pathname, encoding, bytes: headers['Content-Length'], accepts });
    res.writeHead(200, headers);
    fs.createReadStream(body).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}
