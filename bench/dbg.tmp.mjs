import { chromium } from 'playwright-core';
import { serve } from './browser/server.mjs';
const server = await serve('/work/main/target/bench/dist-layout', { repo: '/work/main' });
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless','--no-sandbox'] });
for (const q of ['oak', 'c', 'bro']) {
const page = await browser.newPage();
await page.goto(base + '/');
await page.waitForFunction(() => performance.getEntriesByName('cqc:results-shown').length > 0);
await page.waitForTimeout(500);
const t0 = await page.evaluate((q) => { performance.clearMarks(); performance.clearResourceTimings(); const b = document.querySelector('#q'); b.value = q; const t = performance.now(); b.dispatchEvent(new Event('input', { bubbles: true })); performance.mark('dispatched'); return t; }, q);
await page.waitForFunction(() => performance.getEntriesByName('cqc:search-answered').length > 0);
await page.waitForTimeout(100);
const r = await page.evaluate((t0) => ({
  res: performance.getEntriesByType('resource').filter((e) => !/cards/.test(e.name)).map((e) => [new URL(e.name).pathname.slice(0, 22), Math.round(e.startTime - t0), Math.round(e.responseStart - t0), Math.round(e.responseEnd - t0)]),
  marks: performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime - t0)]).slice(0, 4),
}), t0);
console.log(q, JSON.stringify(r));
await page.close();
}
await browser.close(); server.close();
