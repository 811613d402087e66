// The three users' journeys on the bundled real data (docs: shared user_journeys.md).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

test('the page loads the bundled data and shows real locations', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/');
  await page.getByTestId('result-count').filter({ hasText: 'locations' }).waitFor();
  assert.match(await page.getByTestId('result-count').innerText(), /^466 of 711 locations \(closed registrations left out\)$/);
  assert.match(await page.getByTestId('data-date').innerText(), /711 locations/);
  assert.equal(await page.locator('.panic-banner').count(), 0);
  assert.deepEqual(problems, []);
});

test('a member of the public searches a town and opens a location', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/');
  await page.getByLabel('Search by name, town, postcode, provider or brand').fill('Albrighton');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).click();
  await page.getByRole('heading', { level: 1, name: 'Albrighton Medical Practice' }).waitFor();
  assert.match(await page.locator('.panel').first().innerText(), /Outstanding/);
  assert.match(await page.locator('.panel').first().innerText(), /25 Feb 2016/);
  const search = await page.goto(base + '/?q=shrewsbury');
  assert.ok(search.ok());
  await page.getByTestId('result-count').filter({ hasText: 'of 711' }).waitFor();
  const count = Number((await page.getByTestId('result-count').innerText()).split(' ')[0]);
  assert.ok(count >= 100, `Shrewsbury matches ${count}`);
  assert.deepEqual(problems, []);
});

test('a journalist sees that a rating rests on key questions years apart', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/location/1-1517912926');
  await page.getByTestId('narrative').waitFor();
  const narrative = await page.getByTestId('narrative').innerText();
  assert.match(narrative, /2 of the 5 key questions/);
  assert.match(narrative, /Caring and Responsive date from 1 Jun 2016/);
  assert.match(await page.getByTestId('trace').innerText(), /P4/);
  assert.match(await page.getByTestId('agreement').innerText(), /published overall rating is what the rules give/);
  assert.deepEqual(problems, []);
});

test('a provider raises Safe to Good, sees the overall change, and the link reproduces it', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/location/1-134399874');
  await page.getByTestId('recomputed').waitFor();
  assert.match(await page.getByTestId('recomputed').innerText(), /Requires improvement/);
  assert.match(await page.getByTestId('solutions-good').innerText(), /Safe from requires improvement to good/);
  assert.match(await page.getByTestId('solutions-good').innerText(), /Well-led from requires improvement to good/);
  await page.getByLabel('Safe', { exact: true }).selectOption('good');
  await page.waitForURL(/kq=safe\.good/);
  await page.getByTestId('recomputed').filter({ hasText: 'Good' }).waitFor();
  const url = page.url();
  await page.goto(url);
  await page.getByTestId('recomputed').waitFor();
  assert.match(await page.getByTestId('recomputed').innerText(), /Good/);
  assert.equal(await page.getByLabel('Safe', { exact: true }).inputValue(), 'good');
  assert.deepEqual(problems, []);
});
