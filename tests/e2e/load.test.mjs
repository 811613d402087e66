// Loading a newer file in the browser: CQC's real Latest ratings rows, read by the web worker,
// replace the bundled data with every row accounted for; a broken file gets a clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

const REAL_CSV = 'tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv';

test('a real Latest ratings CSV loads in the browser and every row is accounted for', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/load');
  await page.getByLabel('Drop the file here, or choose it').setInputFiles(REAL_CSV);
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: /rows read = \d+ accepted \+ \d+ reported; \d+ locations\.$/ }).waitFor({ timeout: 30000 });
  const [, read, accepted, reported, locations] = (await status.innerText()).match(/(\d+) rows read = (\d+) accepted \+ (\d+) reported; (\d+) locations/).map(Number);
  assert.equal(read, accepted + reported);
  assert.ok(read >= 2000, `read ${read}`);
  assert.ok(locations >= 240, `locations ${locations}`);
  await page.getByTestId('data-date').filter({ hasText: 'latest_ratings_shropshire' }).waitFor();
  await page.goto(base + '/?q=albrighton');
  // A full page load goes back to the bundled data: nothing is stored.
  await page.getByTestId('result-count').filter({ hasText: 'of 711' }).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

test('the same rows as a real ODS spreadsheet (header below note rows) load the same locations', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/load');
  await page.getByLabel('Drop the file here, or choose it').setInputFiles('tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods');
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: /locations\.$/ }).waitFor({ timeout: 60000 });
  assert.match(await status.innerText(), /2022 rows read = 2022 accepted \+ 0 reported; 249 locations\./);
  await page.getByRole('link', { name: 'Search' }).first().click();
  await page.getByLabel('Search by name, town, postcode, provider or brand').fill('Albrighton Medical');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).click();
  await page.getByRole('heading', { level: 1, name: 'Albrighton Medical Practice' }).waitFor();
  assert.match(await page.locator('.panel').first().innerText(), /25 Feb 2016/);
  assert.deepEqual(problems.splice(0), []);
});

test('a file that is not a ratings file gets a clear error, and the data stays loaded', async () => {
  const { page, base, problems } = env;
  const bad = path.join(os.tmpdir(), 'not-ratings.csv');
  fs.writeFileSync(bad, 'hello,world\n1,2\n');
  await page.goto(base + '/load');
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  await page.getByLabel('Drop the file here, or choose it').setInputFiles(bad);
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: 'not-ratings.csv' }).filter({ hasNotText: 'Reading' }).waitFor({ timeout: 30000 });
  assert.match(await status.innerText(), /not-ratings\.csv/);
  assert.match(await status.getAttribute('class'), /error-panel/);
  assert.match(await page.getByTestId('data-date').innerText(), /711 locations/);
  assert.deepEqual(problems.splice(0), []);
});
