// Trunk post-build hook: moves Trunk's inline start-up script into a file and adds a strict
// Content-Security-Policy to index.html, so the page runs no inline script at all. Fails the
// build if any inline script or inline style attribute is left, rather than ship a weaker policy.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

export const POLICY = [
  "default-src 'self'",
  // wasm-unsafe-eval lets the page compile its own WebAssembly; nothing else is evaluated.
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function harden(html, writeScript) {
  let moved = 0;
  html = html.replace(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g, (whole, attrs = '', body) => {
    if (/\ssrc=/.test(attrs) || body.trim() === '') return whole;
    const name = `init-${crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
    writeScript(name, body);
    moved += 1;
    return `<script${attrs} src="/${name}"></script>`;
  });
  if (/\sstyle=/.test(html)) throw new Error('index.html has an inline style attribute, which the CSP forbids');
  if (/\son[a-z]+=/.test(html)) throw new Error('index.html has an inline event handler, which the CSP forbids');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}" />\n    <meta name="referrer" content="no-referrer" />`;
  html = html.replace(/<head>/, `<head>\n    ${meta}`);
  return { html, moved };
}

if (process.argv[1] && process.argv[1].endsWith('csp.mjs')) {
  const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
  if (!dir) { console.error('csp.mjs: no TRUNK_STAGING_DIR and no directory given'); process.exit(2); }
  const file = path.join(dir, 'index.html');
  const { html, moved } = harden(fs.readFileSync(file, 'utf8'), (name, body) => fs.writeFileSync(path.join(dir, name), body));
  fs.writeFileSync(file, html);
  console.log(`csp.mjs: moved ${moved} inline script(s) to files; CSP: ${POLICY}`);
}
