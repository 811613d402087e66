// Hostile content in a dropped file: names and links carrying HTML, script, `javascript:` URLs,
// right-to-left overrides, zero-width characters and very long strings are shown as inert,
// readable text; report links go only to cqc.org.uk over https. The rows are CQC's real rows
// for one location, re-keyed, with the hostile values written into them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from './browser.mjs';

const REAL_CSV = 'tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv';
const SCRIPT_NAME = 'Albright<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> House';
const RTL_NAME = 'Rtl \u202Eesuoh erac\u202C Zero\u200Bwidth\u200D Home';
const LONG_NAME = 'Longname ' + 'Verylongwordwithoutanybreak'.repeat(80);

// The rows of one real location, re-keyed to `id`, with `name` and `url` written in.
function hostileRows(header, rows, id, name, url) {
  const col = (n) => header.indexOf(n);
  return rows.map((r) => {
    const out = [...r];
    out[col('location_id')] = id;
    out[col('location_name')] = name;
    out[col('url')] = url;
    out[col('provider_name')] = name;
    return out;
  });
}

function csvLine(fields) {
  return fields.map((f) => (/[",\n\r]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f)).join(',');
}

// A minimal CSV reader for the fixture (quoted fields, no embedded newlines in it).
function parseLine(line) {
  const out = []; let cur = ''; let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true; else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

let env;
let file;
before(async () => {
  env = await start();
  const lines = fs.readFileSync(REAL_CSV, 'utf8').split(/\r?\n/).filter(Boolean);
  const header = parseLine(lines[0]);
  const rows = lines.slice(1).map(parseLine).filter((r) => r[header.indexOf('location_id')] === '1-556658867');
  assert.ok(rows.length >= 6, 'Albrighton has its rows in the fixture');
  const out = [csvLine(header)];
  for (const r of hostileRows(header, rows, '1-900000001', SCRIPT_NAME, 'javascript:window.__pwned=3')) out.push(csvLine(r));
  for (const r of hostileRows(header, rows, '1-900000002', RTL_NAME, 'https://www.cqc.org.uk.evil.example/x')) out.push(csvLine(r));
  for (const r of hostileRows(header, rows, '1-900000003', LONG_NAME, 'https://www.cqc.org.uk/location/1-900000003')) out.push(csvLine(r));
  file = path.join(os.tmpdir(), 'hostile-latest-ratings.csv');
  fs.writeFileSync(file, out.join('\r\n') + '\r\n');
});
after(async () => { await env.close(); });

async function load(page, base) {
  await page.goto(base + '/load');
  await page.getByLabel('Drop the file here, or choose it').setInputFiles(file);
  await page.getByTestId('load-status').filter({ hasText: /3 locations\.$/ }).waitFor({ timeout: 30000 });
  // Nothing changes until the user chooses (issue 17).
  await page.getByRole('button', { name: 'Replace the current data' }).click();
  await page.getByTestId('dropped-banner').waitFor();
}

test('HTML and script in names are shown as text and never run', async () => {
  const { page, base, problems } = env;
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; d.dismiss(); });
  await load(page, base);
  await page.getByRole('link', { name: 'Search' }).first().click();
  await page.getByLabel('Search by name, town, postcode, provider or brand').fill('albright');
  const link = page.locator('main table a').first();
  assert.equal(await link.innerText(), SCRIPT_NAME);
  await link.click();
  await page.locator('h1').filter({ hasText: 'Albright<img' }).waitFor();
  assert.equal(await page.locator('h1').innerText(), SCRIPT_NAME);
  // CQC's words, where a name could be injected too, are drawn a frame after the ratings.
  await page.getByTestId('location-details').waitFor();
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.locator('main script').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator('a[href^="javascript:"]').count(), 0);
  assert.equal(await page.getByText("Read CQC's report on cqc.org.uk").count(), 0, 'no link for a javascript: URL');
  assert.equal(dialogs, 0);
  assert.deepEqual(problems.splice(0), []);
});

test('right-to-left, zero-width and very long names stay readable and links stay on cqc.org.uk', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize({ width: 375, height: 740 });
  await load(page, base);
  await page.getByRole('link', { name: 'Search' }).first().click();
  await page.getByLabel('Search by name, town, postcode, provider or brand').fill('rtl');
  await page.locator('main table a').first().click();
  await page.locator('h1').waitFor();
  // Hidden and bidirectional characters are made visible at ingest (issue 13), so the name
  // can neither reorder the page nor pass for another location's.
  assert.equal(
    await page.locator('h1').innerText(),
    'Rtl <U+202E>esuoh erac<U+202C> Zero<U+200B>width<U+200D> Home',
  );
  assert.equal(await page.getByText("Read CQC's report on cqc.org.uk").count(), 0, 'look-alike host refused');

  await page.getByRole('link', { name: 'Search' }).first().click();
  await page.getByLabel('Search by name, town, postcode, provider or brand').fill('longname');
  await page.locator('main table a').first().click();
  await page.locator('h1').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `a very long name overflows the phone screen by ${overflow}px`);
  const report = page.getByRole('link', { name: "Read CQC's report on cqc.org.uk" });
  assert.equal(await report.getAttribute('href'), 'https://www.cqc.org.uk/location/1-900000003');
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.deepEqual(problems.splice(0), []);
});
