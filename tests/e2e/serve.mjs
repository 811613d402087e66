// A small static server for dist/ on loopback that behaves as a real static host does: the
// single-page-app fallback (a path that is not a file and has no file extension gets
// index.html; a missing asset such as /nope.png is a 404, never the page), the right MIME types,
// and brotli or gzip for compressible files when the browser accepts them (compressed once,
// then kept in memory), with Vary: Accept-Encoding.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.bin': 'application/octet-stream',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.png': 'image/png',
};
// Already-compressed formats gain nothing from a second pass.
const COMPRESSIBLE = new Set(['.html', '.js', '.wasm', '.css', '.bin', '.json', '.svg', '.ico']);

const compressed = new Map();

function encodingFor(req) {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) return 'br';
  if (/\bgzip\b/.test(accepted)) return 'gzip';
  return null;
}

function compress(file, encoding) {
  const key = `${file}\u0000${encoding}`;
  const stat = fs.statSync(file);
  const cached = compressed.get(key);
  if (cached && cached.mtimeMs === stat.mtimeMs) return cached.body;
  const raw = fs.readFileSync(file);
  const body = encoding === 'br'
    ? zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
    : zlib.gzipSync(raw, { level: 9 });
  compressed.set(key, { mtimeMs: stat.mtimeMs, body });
  return body;
}

export function serve(root, port = 0) {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let pathname;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad request');
      return;
    }
    let file = path.join(base, pathname);
    const inside = file === base || file.startsWith(base + path.sep);
    const isFile = inside && fs.existsSync(file) && fs.statSync(file).isFile();
    if (!isFile) {
      if (path.extname(pathname) !== '') {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Not found');
        return;
      }
      file = path.join(base, 'index.html');
    }
    const ext = path.extname(file);
    const headers = { 'Content-Type': TYPES[ext] ?? 'application/octet-stream', Vary: 'Accept-Encoding' };
    // The service worker is checked for a new version on every visit, never taken from a cache.
    if (pathname === '/sw.js') headers['Cache-Control'] = 'no-cache';
    const encoding = COMPRESSIBLE.has(ext) ? encodingFor(req) : null;
    if (encoding) {
      const body = compress(file, encoding);
      res.writeHead(200, { ...headers, 'Content-Encoding': encoding, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': fs.statSync(file).size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] && process.argv[1].endsWith('serve.mjs')) {
  const port = Number(process.env.PORT ?? 8080);
  serve(path.resolve(process.argv[2] ?? 'dist'), port).then(() => console.log(`CQC Ratings Explorer: http://127.0.0.1:${port}/`));
}
