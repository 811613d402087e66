// Councils on CQC's real table of local-authority assessments: a resident finds their council,
// reads its nine scores and the rating they give, tries a what-if on one score, and sees which
// single score would move it; County Durham's published "Not Rated" is named as such.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from './browser.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

test('a resident looks up their council, tries a score and sees what would move it', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/councils');
  const summary = await page.getByTestId('council-summary').innerText();
  assert.match(summary, /^72 councils assessed\. For 71 of the 71 with a published rating/);
  await page.getByRole('link', { name: 'London Borough of Camden' }).click();
  await page.getByRole('heading', { level: 1, name: 'London Borough of Camden' }).waitFor();
  const result = page.getByTestId('council-result');
  assert.match(await result.innerText(), /From CQC's scores the rules give Outstanding: 32 of 36 points, 89 %/);
  // Safeguarding from 3 to 1: 30 of 36 points, 83 %: Good.
  await page.getByLabel('Safeguarding', { exact: true }).selectOption('1');
  assert.match(await result.innerText(), /With your scores the rules give Good: 30 of 36 points, 83 %/);
  await page.getByRole('button', { name: "Back to CQC's scores" }).click();
  assert.match(await result.innerText(), /From CQC's scores/);
  const moves = await page.getByTestId('council-moves').innerText();
  assert.match(moves, /Safeguarding from 3 to 2: Good/);
  assert.deepEqual(problems, []);
});

test("County Durham's published Not Rated is named, with what its scores would give", async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/council/county-durham');
  await page.getByRole('heading', { level: 1, name: 'County Durham' }).waitFor();
  assert.match(await page.locator('main').innerText(), /as Not rated: it gave no overall rating/i);
  assert.match(await page.getByTestId('council-result').innerText(), /Good: 24 of 36 points, 67 %/);
  assert.deepEqual(problems, []);
});
