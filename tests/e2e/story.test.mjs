// Each rating's story on the page (issue 15), on CQC's real data with the browser's clock fixed
// at 1 Dec 2026: a member of the public reads Franklin House's earlier ratings, CQC's own words
// on its 2024 assessment and when it was last inspected; a provider reads how long Elizabeth
// House has been Requires improvement and how far past the 12-month target it is; the search
// filter lists exactly the locations past target; the national figure links to its list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

const TODAY = new Date('2026-12-01T12:00:00Z');
const FRANKLIN = '/location/1-5312102242';
const ELIZABETH = '/location/1-117886088';

let env;
before(async () => {
  env = await start();
  await env.page.clock.setFixedTime(TODAY);
});
after(async () => { await env.close(); });

test('a member of the public sees Franklin House’s ratings over time, CQC’s own words and its last inspection', async () => {
  const { page, base, problems } = env;
  await page.goto(base + FRANKLIN);
  await page.getByTestId('rating-history').waitFor();
  // The engine counts the 2021 inspection published without a rating as no break in the Good.
  assert.equal(await page.getByTestId('story-sentence').innerText(), 'Rated Good since 18 Jan 2019.');
  const history = await page.getByTestId('rating-history').innerText();
  assert.match(history, /First rating in this data: Good, published 18 Jan 2019/);
  const rows = await page.getByTestId('timeline-table').locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 3, rows.join('\n'));
  assert.match(rows[0], /8 Aug 2024\s+Good\s+Assessment \(current\)/);
  assert.match(rows[1], /5 Mar 2021\s+Inspected but not rated/);
  assert.match(rows[2], /18 Jan 2019\s+Good/);
  // Each earlier rating links to its report on cqc.org.uk, and only there.
  const links = await page.getByTestId('timeline-table').locator('a').evaluateAll((as) => as.map((a) => a.href));
  assert.ok(links.includes('https://www.cqc.org.uk/reports/8b7627fe-93ff-4b83-b86c-5fa1a755c1af'), links.join(' '));
  assert.ok(links.includes('https://www.cqc.org.uk/reports/ca34d8e3-c719-4845-a6a6-0143f1fc8aec'), links.join(' '));
  assert.ok(links.every((h) => h.startsWith('https://www.cqc.org.uk/')), links.join(' '));
  // The chart has a name, a key and labels a phone can read.
  const chart = page.getByTestId('timeline-chart');
  assert.deepEqual(await chart.locator('.chart-key li').allInnerTexts(), ['Good', 'Inspected but not rated']);
  assert.equal(await chart.getByRole('img', { name: 'Overall rating over time' }).count(), 1);
  assert.match(await chart.innerText(), /today, 1 Dec 2026/);

  // The clock: measured from the 2024 assessment to the fixed today.
  assert.equal(
    await page.getByTestId('clock-last').innerText(),
    'Last inspected 17 Apr 2024 (the assessment date), 2 years and 7 months ago on 1 Dec 2026.',
  );
  assert.match(await page.getByTestId('clock-standing').innerText(), /Within the proposed 3–5-year cycle for Good: 2 years and 4 months left \(due by 17 Apr 2029\)/);
  assert.match(await page.getByTestId('clock-source').innerText(), /provisional/);

  // CQC's own words, attributed and dated, grouped by key question and quality statement.
  const words = page.getByTestId('cqc-words');
  const text = await words.innerText();
  assert.match(text, /CQC's assessment \(.*\), published 8 Aug 2024/);
  assert.match(text, /CQC wrote, 11 Jul 2024:/);
  assert.match(text, /The service is performing well and meeting our expectations\./);
  assert.match(text, /People's experience of the service/);
  assert.match(text, /CQC wrote, 20 Jun 2024:/);
  // Each key question's words start collapsed, and open.
  const caringWords = page.getByTestId('cqc-words-caring');
  assert.equal(await caringWords.evaluate((d) => d.open), false);
  await caringWords.locator('summary').click();
  const caring = await caringWords.innerText();
  assert.match(caring, /Quality statement: Independence, choice and control/);
  assert.match(caring, /People's experience of health and care services/);
  assert.match(caring, /People told us they would benefit from more activities\./);
  // The long assessment text starts collapsed, and opens.
  const details = words.locator('details').first();
  assert.equal(await details.evaluate((d) => d.open), false);
  await details.locator('summary').click();
  assert.match(await details.innerText(), /Date of assessment 15 May to 17 May 2024\./);
  // Text, never markup: CQC's words contain no elements of their own.
  assert.equal(await words.locator('blockquote *:not(p)').count(), 0);

  // Registration history: the predecessor, linked to its page, which links back.
  const registration = await page.getByTestId('registration-history').innerText();
  assert.match(registration, /Registered with CQC on 13 Jun 2018/);
  assert.match(registration, /Franklin House Limited/);
  await page.getByTestId('registration-history').getByRole('link', { name: 'Franklin House Limited' }).click();
  await page.waitForURL(/\/location\/1-122386733$/);
  await page.getByTestId('registration-history').waitFor();
  assert.match(await page.getByTestId('registration-history').innerText(), /Registered after this one.*Franklin House/s);
  assert.deepEqual(problems.splice(0), []);
});

test('a provider sees how long it has been Requires improvement and how far past the 12-month target', async () => {
  const { page, base, problems } = env;
  await page.goto(base + ELIZABETH);
  await page.getByTestId('rating-history').waitFor();
  assert.equal(
    await page.getByTestId('story-sentence').innerText(),
    'Requires improvement since 18 Sep 2018; 4 inspections in a row at Requires improvement or worse.',
  );
  assert.match(await page.getByTestId('clock-last').innerText(), /^Last inspected 8 Nov 2022 \(CQC's last inspection date\), 4 years ago on 1 Dec 2026\.$/);
  assert.equal(
    await page.getByTestId('clock-standing').innerText(),
    'Past the 12-month target for Requires improvement by 3 years.',
  );
  assert.match(await page.getByTestId('clock-source').innerText(), /6 months .*12 months/);
  assert.doesNotMatch(await page.getByTestId('clock-source').innerText(), /provisional/);
  assert.deepEqual(problems.splice(0), []);
});

test('an inherited rating says it was inherited, and the current row links to its report', async () => {
  const { page, base, problems } = env;
  // Goodwood Homecare (Shropshire): its Requires improvement of 12 Feb 2020 is inherited, and
  // the Latest ratings file names no predecessor, so the page says it cannot say which.
  await page.goto(base + '/location/1-10052707705');
  await page.getByTestId('rating-history').waitFor();
  assert.match(await page.getByTestId('inherited-from').innerText(), /inherited from an earlier registration of this service; CQC's data here does not say which/);
  const row = await page.getByTestId('timeline-table').locator('tbody tr').first().innerText();
  assert.match(row, /12 Feb 2020\s+Requires improvement\s+Inspection \(current\), inherited/);
  const href = await page.getByTestId('timeline-table').locator('tbody tr').first().locator('a').getAttribute('href');
  assert.match(href, /^https:\/\/www\.cqc\.org\.uk\//);
  assert.deepEqual(problems.splice(0), []);
});

test('the search filter lists the locations past target and the sort puts the longest uninspected first', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/');
  await page.getByText(/of \d+ locations/).first().waitFor();
  await page.getByLabel('Past its re-inspection target').check();
  await page.waitForURL(/overdue=1/);
  const count = await page.getByText(/^\d+ of \d+ locations/).innerText();
  const [past, total] = count.match(/^(\d+) of (\d+)/).slice(1).map(Number);
  assert.ok(past > 0 && past < total, count);
  await page.goto(base + '/?overdue=1&q=elizabeth%20house');
  await page.locator(`main a[href="${ELIZABETH}"]`).first().waitFor();
  await page.goto(base + '/?overdue=1&sort=since-inspection');
  await page.getByText(/^\d+ of \d+ locations/).waitFor();
  assert.equal(await page.getByLabel('Sort by').inputValue(), 'since-inspection');
  assert.equal(await page.getByText(/^\d+ of \d+ locations/).innerText(), count);
  // The first results were inspected longest ago: each one's last inspection is no later than
  // the next one's, as their own pages say.
  const firstHrefs = [...new Set(await page.locator('main a[href^="/location/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))].slice(0, 3);
  assert.equal(firstHrefs.length, 3);
  const lastInspected = [];
  for (const href of firstHrefs) {
    await page.goto(base + href);
    const line = await page.getByTestId('clock-last').innerText();
    lastInspected.push(Date.parse(line.match(/^Last inspected (\d+ \w+ \d{4})/)[1]));
  }
  assert.ok(lastInspected.every((d, i) => i === 0 || lastInspected[i - 1] <= d), firstHrefs.join(' '));
  assert.deepEqual(problems.splice(0), []);
});

test('the national clock figure links to exactly its list, and the figures download', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/national');
  const section = page.getByTestId('clock-national');
  await section.waitFor();
  assert.match(await page.getByTestId('clock-headline').innerText(), /^Requires improvement: \d+ of \d+ current locations? past a stated re-inspection target\. Inadequate: \d+ of \d+ current locations?\. The stated targets are adult social care's/);
  assert.match(await section.innerText(), /Measured to today, 1 Dec 2026/);
  const row = page.locator('#clock-by-sector tbody tr', { hasText: 'Adult social care' }).filter({ hasText: 'Requires improvement' });
  const link = row.getByTestId('past-target').locator('a');
  const figure = Number(await link.innerText());
  assert.ok(figure > 0);
  await link.click();
  await page.waitForURL(/overdue=1/);
  assert.match(page.url(), /sector=Adult%20social%20care/);
  assert.match(page.url(), /rating=ri/);
  assert.ok((await page.getByText(/^\d+ of \d+ locations/).innerText()).startsWith(`${figure} of `));
  await page.goBack();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download these figures (CSV)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'cqc-reinspection-clock.csv');
  const csv = await (await download.createReadStream()).toArray();
  const lines = Buffer.concat(csv).toString('utf8').trim().split('\n');
  assert.match(lines[0], /^measured_to,grouping,group,rating,locations_measured,past_target/);
  assert.ok(lines.some((l) => l.startsWith(`2026-12-01,type of service,Adult social care,Requires improvement,`) && l.includes(`,${figure},`)), lines.join('\n'));
  assert.deepEqual(problems.splice(0), []);
});
