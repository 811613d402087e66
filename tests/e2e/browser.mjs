// Shared set-up for the end-to-end tests: Debian's Chromium driven by playwright-core against
// dist/ served on loopback. Every request that is not to the page's own origin fails the test.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { serve } from './serve.mjs';

// Service workers are blocked unless a test asks for them (`start({ serviceWorkers: 'allow' })`):
// a request the worker answers never reaches `page.route`, which several tests rely on.
export async function start({ serviceWorkers = 'block' } = {}) {
  const server = await serve(path.resolve('dist'));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage({ serviceWorkers });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) problems.push(`third-party request: ${r.url()}`); });
  return { browser, server, page, base, problems, close: async () => { await browser.close(); server.close(); } };
}
