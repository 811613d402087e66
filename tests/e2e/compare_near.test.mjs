// Issue 18's public journeys on the bundled real data: a member of the public compares two
// Shrewsbury care homes side by side, and finds the nearest Good service with nursing to an
// Oldham postcode. The new pages are checked for broken words and axe with every other page
// (pages.mjs, readable.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

// Ages are measured to today: fixed, so the ages asserted do not drift.
const TODAY = new Date('2026-12-01T12:00:00Z');

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

async function fresh(page) {
  await page.clock.setFixedTime(TODAY);
  // The selection lives in the tab's sessionStorage: each journey starts with none.
  await page.goto(env.base + '/methodology');
  await page.evaluate(() => sessionStorage.clear());
}

// Two Shrewsbury care homes from the Shropshire Latest ratings extract.
const BARLEYFIELDS = { id: '1-131480333', name: 'Barleyfields House', rating: 'Requires improvement', date: '21 Apr 2023', age: '3.6 years old' };
const BOWBROOK = { id: '1-113403309', name: 'Bowbrook House', rating: 'Good', date: '8 Jun 2019', age: '7.5 years old' };

async function addFromSearch(page, home) {
  await page.goto(`${env.base}/?q=${encodeURIComponent(home.name)}`);
  await page.getByRole('button', { name: `Add to compare: ${home.name}` }).click();
  await page.getByRole('button', { name: `Remove from compare: ${home.name}` }).waitFor();
}

test('a member of the public compares two Shrewsbury care homes: names, ratings, dates and the difference', async () => {
  const { page, problems } = env;
  await fresh(page);
  await addFromSearch(page, BARLEYFIELDS);
  await addFromSearch(page, BOWBROOK);
  await page.getByRole('link', { name: 'Compare the 2 services you chose' }).click();
  await page.getByTestId('compare-table').waitFor();
  assert.match(page.url(), new RegExp(`/compare\\?ids=${BARLEYFIELDS.id},${BOWBROOK.id}$`));
  assert.deepEqual(
    (await page.getByTestId('compare-name').locator('a[href^="/location/"]').allInnerTexts()),
    [BARLEYFIELDS.name, BOWBROOK.name],
  );
  const overall = page.getByRole('row', { name: /^Overall rating/ });
  const cells = overall.locator('td');
  assert.equal(await cells.count(), 2);
  for (const [i, home] of [BARLEYFIELDS, BOWBROOK].entries()) {
    const text = await cells.nth(i).innerText();
    assert.match(text, new RegExp(home.rating));
    assert.match(text, new RegExp(home.date));
    // Ages are to today (the fixed clock), not to the data's date.
    assert.match(text, new RegExp(home.age));
    // The ratings differ, so each overall cell says so in words, not colour alone.
    assert.equal(await cells.nth(i).locator('.differs-mark').textContent(), 'Differs');
    assert.equal(await cells.nth(i).getAttribute('data-differs'), 'true');
  }
  // Both are care homes, but the Latest ratings file does not say whether with nursing.
  const kind = await page.getByRole('row', { name: /^Type of care home/ }).locator('td').allInnerTexts();
  assert.deepEqual(kind, Array(2).fill('Care home (whether with nursing is not published in this data)'));
  // Back on a location page the button reads its state from the same selection.
  await page.getByRole('link', { name: BOWBROOK.name, exact: true }).click();
  await page.getByRole('button', { name: `Remove from compare: ${BOWBROOK.name}` }).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

test('a fourth service is refused with a message, and nothing is added', async () => {
  const { page, problems } = env;
  await fresh(page);
  await page.goto(`${env.base}/?q=Shrewsbury&carehome=1&sort=name`);
  const adds = page.getByRole('button', { name: /^Add to compare/ });
  await adds.first().waitFor();
  for (let i = 0; i < 3; i++) await adds.nth(0).click();
  assert.equal(await page.getByRole('button', { name: /^Remove from compare/ }).count(), 3);
  await adds.nth(0).click();
  await page.getByText('You can compare up to 3 services at once. Remove one from the comparison first.').waitFor();
  assert.equal(await page.getByRole('button', { name: /^Remove from compare/ }).count(), 3);
  assert.equal((await page.evaluate(() => sessionStorage.getItem('cqc-compare'))).split(',').length, 3);
  assert.deepEqual(problems.splice(0), []);
});

test('the nearest Good service with nursing to OL1 2DP is Alexandra - Oldham, 1.7 km away', async () => {
  const { page, base, problems } = env;
  await fresh(page);
  await page.goto(base + '/');
  await page.getByRole('link', { name: 'Find services near a postcode or town' }).click();
  await page.getByLabel('Postcode or town').fill('ol1 2dp');
  await page.getByRole('button', { name: 'Find services' }).click();
  await page.getByTestId('near-fix').getByText('postcode OL1 2DP').waitFor();
  await page.getByLabel('Overall rating').selectOption('good');
  await page.getByLabel('Nursing care').selectOption('with');
  await page.waitForURL(/rating=good&nursing=with/);
  const first = page.getByTestId('near-results').locator('tbody tr').first();
  await first.getByRole('link', { name: 'Alexandra - Oldham' }).waitFor();
  const text = await first.innerText();
  assert.match(text, /1\.7 km/);
  assert.match(text, /1\.1 miles/);
  assert.match(text, /Good/);
  assert.match(text, /19 Dec 2019/);
  assert.match(text, /with nursing/);
  const names = await page.getByTestId('near-results').locator('tbody tr td:nth-child(2) a').allInnerTexts();
  assert.deepEqual(names.slice(0, 3), ['Alexandra - Oldham', 'Coppice Nursing Home', 'Treetops Nursing Home']);
  // The address holds the search, so it can be shared.
  assert.match(page.url(), /\/near\?q=ol1%202dp&rating=good&nursing=with$/);
  assert.deepEqual(problems.splice(0), []);
});

test('an unknown postcode falls back to its district and says so; a place not in the data is named', async () => {
  const { page, base, problems } = env;
  await fresh(page);
  await page.goto(`${base}/near?q=OL1%209ZZ`);
  const fix = page.getByTestId('near-fix');
  await fix.getByText(/No service in this data has the postcode OL1 9ZZ/).waitFor();
  assert.match(await fix.innerText(), /postcode district OL1 \(\d+ services\)/);
  await page.goto(`${base}/near?q=Atlantis`);
  await page.getByTestId('near-fix').getByText(/cannot be placed/).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

test('"Use my location" asks the browser only when pressed, and the position stays out of the address', async () => {
  const { page, base, problems } = env;
  await fresh(page);
  await page.context().setGeolocation({ latitude: 53.5476449, longitude: -2.116427 });
  await page.context().grantPermissions(['geolocation'], { origin: base });
  await page.goto(`${base}/near?rating=good&nursing=with`);
  await page.getByRole('button', { name: 'Use my location' }).click();
  await page.getByTestId('near-fix').getByText(/position your browser gave/).waitFor();
  const first = page.getByTestId('near-results').locator('tbody tr').first();
  await first.getByRole('link', { name: 'Alexandra - Oldham' }).waitFor();
  assert.match(page.url(), /\/near\?rating=good&nursing=with$/);
  await page.context().clearPermissions();
  assert.deepEqual(problems.splice(0), []);
});

test('search filters by nursing care and specialism, and says how many locations lack the facts', async () => {
  const { page, base, problems } = env;
  await fresh(page);
  await page.goto(base + '/');
  // Closed registrations are left out by default: 466 current of 711.
  await page.getByTestId('result-count').getByText('466 of 711 locations').waitFor();
  await page.getByLabel('Nursing care').selectOption('with');
  await page.waitForURL(/[?&]nursing=with/);
  // 10 of the 217 current API locations list a "with nursing" service type (28 of all 462);
  // the 249 from the Latest ratings file carry no facts, so they are left out and counted.
  await page.getByTestId('result-count').getByText('10 of 711 locations').waitFor();
  assert.match(await page.getByTestId('facts-unknown').innerText(), /^249 locations are not counted/);
  await page.getByLabel('Nursing care').selectOption('');
  await page.getByLabel('Specialism').selectOption('Dementia');
  await page.waitForURL(/[?&]spec=Dementia/);
  // 94 current locations list Dementia (199 with the closed registrations).
  await page.getByTestId('result-count').getByText('94 of 711 locations').waitFor();
  assert.deepEqual(problems.splice(0), []);
});
