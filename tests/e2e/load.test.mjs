// Loading a newer file in the browser: CQC's real Latest ratings rows, read by the web worker,
// with every row accounted for, replace or are added to the data shown as the user chooses
// (told first what would be replaced); the choice survives a reload until undone from the
// banner every page shows; a broken file gets a clear error.
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

test('a real Latest ratings CSV: every row accounted for, what it replaces said first, kept across a reload, and undone from any page', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/load');
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  await page.getByLabel('Drop the file here, or choose it').setInputFiles(REAL_CSV);
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: /rows read = \d+ accepted \+ \d+ reported; \d+ locations\.$/ }).waitFor({ timeout: 30000 });
  const [, read, accepted, reported, locations] = (await status.innerText()).match(/(\d+) rows read = (\d+) accepted \+ (\d+) reported; (\d+) locations/).map(Number);
  assert.equal(read, accepted + reported);
  assert.ok(read >= 2000, `read ${read}`);
  assert.ok(locations >= 240, `locations ${locations}`);
  // Nothing is replaced until the user says so, and the page says what would be replaced.
  assert.match(await page.getByTestId('replace-summary').innerText(), new RegExp(`replaces 711 locations with ${locations} `));
  assert.match(await page.getByTestId('data-date').innerText(), /711 locations/);
  assert.match(await page.getByTestId('load-changes').innerText(), /location gone: \d+/);
  await page.getByRole('button', { name: 'Replace the current data' }).click();
  await page.getByTestId('data-date').filter({ hasText: 'latest_ratings_shropshire' }).waitFor();
  assert.match(await page.getByTestId('load-applied').innerText(), /kept in this browser/);
  // A full page load opens the same data again, and every page says which file is in use.
  await page.goto(base + '/?q=albrighton');
  await page.getByTestId('result-count').filter({ hasText: `of ${locations}` }).waitFor();
  const banner = page.getByTestId('dropped-banner');
  assert.match(await banner.innerText(), /Showing data from latest_ratings_shropshire_2025-10\.csv/);
  await page.goto(base + '/national');
  await banner.waitFor();
  await banner.getByRole('button', { name: 'Back to the bundled data' }).click();
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  assert.equal(await banner.count(), 0);
  await page.reload();
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  assert.equal(await banner.count(), 0, 'going back forgets the kept data');
  assert.deepEqual(problems.splice(0), []);
});

test('adding a file to the current data merges it as the CLI does: Oldham stays beside Shropshire', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/load');
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  await page.getByLabel('Drop the file here, or choose it').setInputFiles(REAL_CSV);
  const add = page.getByTestId('add-summary');
  await add.waitFor({ timeout: 30000 });
  const [, already, fresh, total] = (await add.innerText()).match(/(\d+) of this file's \d+ locations are already shown, (\d+) new, giving (\d+) locations/).map(Number);
  await page.getByRole('button', { name: 'Add to the current data' }).click();
  const applied = page.getByTestId('load-applied');
  await applied.filter({ hasText: 'Added' }).waitFor();
  assert.match(await applied.innerText(), new RegExp(`\\d+ \\+ 711 locations, ${already} in both, give ${total}`));
  assert.equal(total, 711 + fresh);
  await page.getByTestId('data-date').filter({ hasText: `${total} locations` }).waitFor();
  await page.goto(base + '/?q=oldham');
  await page.getByTestId('result-count').filter({ hasText: `of ${total}` }).waitFor();
  const oldham = Number((await page.getByTestId('result-count').innerText()).split(' ')[0]);
  assert.ok(oldham >= 50, `Oldham locations after adding Shropshire: ${oldham}`);
  assert.match(await page.getByTestId('dropped-banner').innerText(), /added to the bundled data/);
  await page.getByRole('button', { name: 'Back to the bundled data' }).click();
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

test('the same rows as a real ODS spreadsheet (header below note rows) load the same locations', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/load');
  await page.getByLabel('Drop the file here, or choose it').setInputFiles('tests/fixtures/cqc/latest_ratings_shropshire_2025-10.ods');
  const status = page.getByTestId('load-status');
  await status.filter({ hasText: /locations\.$/ }).waitFor({ timeout: 60000 });
  assert.match(await status.innerText(), /2022 rows read = 2022 accepted \+ 0 reported; 249 locations\./);
  await page.getByRole('button', { name: 'Replace the current data' }).click();
  await page.getByTestId('dropped-banner').waitFor();
  await page.getByRole('link', { name: 'Search' }).first().click();
  await page.getByLabel('Search by name, town, postcode, provider or brand').fill('Albrighton Medical');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).click();
  await page.getByRole('heading', { level: 1, name: 'Albrighton Medical Practice' }).waitFor();
  assert.match(await page.locator('.panel').first().innerText(), /25 Feb 2016/);
  await page.getByRole('button', { name: 'Back to the bundled data' }).click();
  await page.getByTestId('data-date').filter({ hasText: '711 locations' }).waitFor();
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
