// A journalist (issue 18) finds Shrewsbury and Telford Hospital NHS Trust from the national
// page's list of trusts, reads what a single trust rating would have been under each option of
// CQC's 2025 consultation, each labelled hypothetical with the rule's reason, and what one word
// would hide: the good ratings of Bridgnorth, Oswestry and Ludlow, and the inadequate maternity
// Safe rating under Royal Shrewsbury Hospital. The figures are tests/trust.rs's, worked by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start } from './browser.mjs';

const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const LABEL = 'Hypothetical: CQC does not publish this';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

// The text of each row of a table, cells joined by " | ".
async function rows(locator) {
  return locator.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim()).join(' | ')));
}

test('a journalist reads what a single rating for Shrewsbury and Telford would say and hide', async () => {
  const { page, base, problems } = env;
  await page.clock.setFixedTime(new Date('2026-12-01T12:00:00Z'));
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + '/national');
  await page.getByRole('heading', { level: 2, name: 'Trusts and hospital groups' }).waitFor();
  await page.getByRole('link', { name: 'Shrewsbury and Telford Hospital NHS Trust' }).click();
  await page.getByRole('heading', { level: 1, name: 'Shrewsbury and Telford Hospital NHS Trust' }).waitFor();

  assert.equal(
    await page.getByTestId('spread-summary').innerText(),
    '4 current locations in this data. 2 of the 4 locations with an overall rating (50 %) are rated requires improvement or inadequate.',
  );
  assert.match(await page.locator('.provider-spread').innerText(), /The oldest rating among them: Overall for .+, published 16 Aug 2017, 9\.3 years old today\./);
  assert.deepEqual(await page.locator('#provider-spread .chart-key li').allInnerTexts(), ['Outstanding', 'Good', 'Requires improvement', 'Inadequate', 'Not rated']);
  assert.deepEqual((await rows(page.locator('#provider-spread table'))).slice(0, 2), ['Overall | 0 | 2 | 2 | 0 | 0', 'Safe | 0 | 2 | 2 | 0 | 0']);

  await page.getByRole('heading', { level: 2, name: 'If CQC rated the trust as one' }).waitFor();
  const optionA = page.getByTestId('option-a');
  const optionB = page.getByTestId('option-b');
  const optionC = page.getByTestId('option-c');
  for (const box of [optionA, optionB, optionC]) {
    assert.equal(await box.locator('.hypothetical-label').innerText(), LABEL);
  }
  assert.deepEqual(await optionA.locator('dt').allInnerTexts(), [
    'Safe: Requires improvement',
    'Effective: Good',
    'Caring: Good',
    'Responsive: Good',
    'Well-led: Requires improvement',
  ]);
  const reasons = await optionA.locator('dd').allInnerTexts();
  assert.match(reasons[0], /^Requires improvement because 2 of the 4 location ratings require improvement \(with 4 ratings, 2 or more make it requires improvement\)\.\s/);
  assert.match(reasons[1], /^Good because none of the 4 location ratings is inadequate and 1 requires improvement \(fewer than 2\)\.\s/);
  // Each reason names what it combined, so it can be checked against CQC's own pages.
  assert.match(reasons[0], /Combining .*Ludlow Community Hospital: requires improvement \(16 Aug 2017\)/);
  assert.match(reasons[0], /Combining .*Royal Shrewsbury Hospital: requires improvement \(15 May 2024\)/);
  assert.match(reasons[0], /Combining .*Bridgnorth Community Hospital: good \(16 Aug 2017\)/);

  const single = await optionB.innerText();
  assert.match(single, /Option B: one word for the whole organisation\s+Requires improvement\s+Requires improvement because/);
  assert.match(single, /Requires improvement because 2 of the 5 trust key-question ratings require improvement \(with 5 ratings, 2 or more make it requires improvement\)\./);

  assert.match(await optionC.innerText(), /These 4 location ratings would no longer be awarded:/);
  assert.ok((await rows(optionC)).includes('Ludlow Community Hospital | Overall | Requires improvement | 16 Aug 2017'));

  const hides = page.getByTestId('single-word-hides');
  const hidden = await hides.innerText();
  assert.match(hidden, /The ratings the single word combines range from good to requires improvement, published between 16 Aug 2017 and 15 May 2024\./);
  assert.match(hidden, /“Requires improvement” would hide 13 ratings that differ from it:/);
  const hiddenRows = await rows(hides);
  assert.ok(hiddenRows.includes('Bridgnorth Community Hospital | Safe | Good | 16 Aug 2017'), hiddenRows.join('\n'));
  assert.ok(hiddenRows.includes('Royal Shrewsbury Hospital | Safe (Maternity) | Inadequate | 29 Nov 2018'), hiddenRows.join('\n'));
  await hides.getByRole('link', { name: 'Bridgnorth Community Hospital' }).first().waitFor();

  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    assert.deepEqual(await axeViolations(page), [], `at ${width}px`);
    const sizes = await page.evaluate(() => [...document.querySelectorAll('#provider-spread .bar-label, #provider-spread .chart-key li')]
      .map((e) => ({ text: e.textContent, px: parseFloat(getComputedStyle(e).fontSize) })));
    assert.equal(sizes.length, 11);
    for (const s of sizes) assert.ok(s.px >= 12, `"${s.text}" is ${s.px}px at ${width}px`);
  }
  assert.deepEqual(problems.splice(0), []);
});

test('a provider of care homes shows its spread but no trust options', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/provider/1-101672399');
  await page.getByRole('heading', { level: 1, name: 'Condover College Limited' }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'How its locations are rated' }).waitFor();
  assert.equal(await page.locator('.hypothetical').count(), 0);
  assert.deepEqual(problems.splice(0), []);
});
