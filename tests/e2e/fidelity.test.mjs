// Current-framework ratings as CQC publishes them: Franklin House (Oldham), assessed under the
// single assessment framework and published through CQC's API with no Latest ratings row,
// shows its published Good with its date, and the page recomputes it from CQC's scores.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

test("Franklin House shows its published Good with its date and its assessment's", async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/location/1-5312102242');
  await page.getByRole('heading', { level: 1, name: 'Franklin House' }).waitFor();
  const panel = page.locator('.panel').first();
  assert.match(await panel.innerText(), /Overall: Good/);
  assert.match(await panel.innerText(), /Published 8 Aug 2024/);
  assert.match(await page.getByTestId('assessment-note').innerText(), /assessed 17 Apr 2024/);
  // Each key question is published Good; Caring's 70 % comes from a statement scored 2.
  for (const kq of ['safe', 'effective', 'caring', 'responsive', 'well-led']) {
    assert.match(await page.getByTestId(`kq-${kq}`).innerText(), /Good/, kq);
  }
  await page.getByTestId('location-details').waitFor();
  assert.doesNotMatch(await page.locator('main').innerText(), /no published overall rating to compare/i);
  assert.deepEqual(problems, []);
});
