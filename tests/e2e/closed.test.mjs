// What a person sees of closed registrations, ages and the headline (issue 17): Treetops' three
// registrations, the current one first and the closed ones marked and reachable; a closed
// location's page linking on to its successor; counts that leave closed ones out until the
// filter includes them; Beech House's age measured to a fixed today beside the data's date;
// and a headline that says its inputs span years. One browser, few page loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start } from './browser.mjs';

let env;
before(async () => {
  env = await start();
  // Ages are measured to today: a fixed today makes them deterministic.
  await env.page.clock.setFixedTime(new Date('2026-12-01T12:00:00Z'));
});
after(async () => { await env.close(); });

/** The rows of a CSV (quoted fields may hold commas and doubled quotes). */
function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/).filter((l) => l.trim() !== '')) {
    const cells = [];
    const field = /("(?:[^"]|"")*"|[^,]*)(,|$)/g;
    let m;
    while ((m = field.exec(line)) && m[0] !== '') {
      const v = m[1];
      cells.push(v.startsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v);
      if (m[2] === '') break;
    }
    rows.push(cells);
  }
  return rows;
}

const CURRENT_TREETOPS = '/location/1-5203053560';
const CLOSED_TREETOPS = '/location/1-280584830';

test('"Treetops" shows the current registration alone, the two closed ones a marked filter away', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/?q=Treetops');
  const count = page.getByTestId('result-count');
  await count.filter({ hasText: /^1 of 711 locations \(closed registrations left out\)$/ }).waitFor();
  const rows = page.locator('main table tbody tr');
  assert.equal(await rows.count(), 1);
  assert.equal(await rows.first().getByRole('link').getAttribute('href'), CURRENT_TREETOPS);
  assert.equal(await rows.first().getByTestId('closed-badge').count(), 0);
  const include = page.getByLabel(/Include 2 closed registrations/);
  await include.check();
  await page.waitForURL(/closed=1/);
  await count.filter({ hasText: /^3 of 711 locations$/ }).waitFor();
  assert.equal(await rows.count(), 3);
  assert.equal(await rows.first().getByRole('link').getAttribute('href'), CURRENT_TREETOPS, 'the current registration first');
  for (const i of [1, 2]) {
    assert.equal(await rows.nth(i).getByTestId('closed-badge').innerText(), 'Deregistered');
  }
  // The export says which rows are closed.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download these results (CSV)' }).click(),
  ]);
  const [header, ...records] = parseCsv(fs.readFileSync(await download.path(), 'utf8'));
  const status = header.indexOf('registration');
  assert.ok(status > 0, `registration column in ${header}`);
  const byId = Object.fromEntries(records.map((cells) => [cells[0], cells[status]]));
  assert.deepEqual(byId, {
    '1-5203053560': 'current',
    '1-280584830': 'deregistered 2018-06-18',
    '1-123173965': 'deregistered 2011-10-28',
  });
  assert.deepEqual(problems.splice(0), []);
});

test('a closed location still opens, says when it closed, and links its successor and predecessor', async () => {
  const { page, base, problems } = env;
  await page.goto(base + CLOSED_TREETOPS);
  const notice = page.getByTestId('registration');
  await notice.waitFor();
  assert.match(await notice.innerText(), /This registration closed on 18 Jun 2018\./);
  assert.match(await page.locator('h1').innerText(), /Treetops Nursing Home\s+Deregistered/);
  assert.equal(await notice.getByTestId('predecessor').getAttribute('href'), '/location/1-123173965');
  await notice.getByTestId('successor').click();
  await page.waitForURL(base + CURRENT_TREETOPS);
  await page.getByRole('heading', { level: 1, name: 'Treetops Nursing Home' }).waitFor();
  // A current registration has no notice at the top; its predecessor is in its history.
  assert.equal(await page.getByTestId('registration').count(), 0);
  const history = page.getByTestId('registration-history');
  assert.equal(await history.getByRole('link', { name: 'Treetops Nursing Home' }).first().getAttribute('href'), CLOSED_TREETOPS);
  assert.equal(await page.locator('h1').getByTestId('closed-badge').count(), 0);
  assert.deepEqual(problems.splice(0), []);
});

test('current-rating counts leave closed registrations out until the filter includes them', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/');
  const count = page.getByTestId('result-count');
  await count.filter({ hasText: /^466 of 711 locations/ }).waitFor();
  await page.getByLabel('Include 245 closed registrations (deregistered or dormant)').check();
  await count.filter({ hasText: /^711 of 711 locations$/ }).waitFor();
  // The national charts count the same locations as the list, and say so.
  await page.goto(base + '/national');
  const scope = page.getByTestId('national-scope');
  await scope.waitFor();
  assert.match(await scope.innerText(), /current locations only: the 245 closed registrations/);
  assert.match(await page.getByTestId('audit-scope').innerText(), /closed registrations included, and measure ages to the data's date \(22 Sep 2025\)/);
  const overallRow = page.locator('#by-key-question table tbody tr').first();
  const total = async () => (await overallRow.locator('td').allInnerTexts()).map(Number).reduce((a, b) => a + b, 0);
  assert.equal(await total(), 466);
  await scope.getByLabel('Include 245 closed registrations').check();
  await page.waitForURL(/closed=1/);
  await page.getByTestId('national-scope').filter({ hasText: 'closed registrations (deregistered or dormant) included' }).waitFor();
  assert.equal(await total(), 711);
  // A provider's counts are of its current locations; its closed ones are listed apart.
  await page.goto(base + '/provider/1-101668216');
  const counts = page.getByTestId('provider-counts');
  await counts.waitFor();
  assert.match(await counts.innerText(), /Not counted: 9 closed registrations, listed below\./);
  assert.ok(await page.getByRole('heading', { level: 2, name: 'Closed registrations' }).isVisible());
  assert.deepEqual(problems.splice(0), []);
});

test('ages are measured to today, with the data\'s date beside them and a warning when it is old', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/location/1-134399874');
  const headline = page.getByTestId('headline');
  await headline.waitFor();
  assert.match(await headline.innerText(), /Published 17 Apr 2025 1\.6 years old/);
  assert.equal(await page.getByTestId('as-of').innerText(), 'as of 1 Dec 2026 · data of 22 Sep 2025');
  assert.match(await page.getByTestId('stale-data').innerText(), /This data is from 22 Sep 2025, about 14 months before today\. It cannot vouch/);
  assert.deepEqual(problems.splice(0), []);
});

test('the headline says when the ratings it is built from span years', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/location/1-1517912926');
  const headline = page.getByTestId('headline');
  await headline.waitFor();
  // The example: published 2022, two of its key questions from 2016.
  assert.match(await headline.innerText(), /^Published 7 Sep 2022 4\.2 years old · built from inspections between 2016 and 2022\n/);
  // A rating whose inputs share one year says nothing of a span.
  await page.goto(base + '/location/1-556658867');
  await page.getByTestId('headline').filter({ hasText: 'Published 25 Feb 2016' }).waitFor();
  assert.equal(await page.getByTestId('input-span').count(), 0);
  assert.deepEqual(problems.splice(0), []);
});
