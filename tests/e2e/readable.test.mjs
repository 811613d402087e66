// What a person sees (issue 17), on the bundled real data at a phone's 390 px and a desktop's
// 1280 px: no word or number broken across lines, chart labels readable, the focus going where
// an action's result is, Back undoing a filter, one word for "not rated", and the small things
// a real static host gets right (404s, favicon, compression).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import { start } from './browser.mjs';
import { PAGES, waitUntilDrawn } from './pages.mjs';

const AXE = fs.readFileSync('node_modules/axe-core/axe.min.js', 'utf8');
const WIDTHS = [{ width: 390, height: 844 }, { width: 1280, height: 900 }];
// A location rated requires improvement, whose key-question cards hold the longest badge.
const RI_LOCATION = '/location/1-134399874';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

// Every word (a run of non-space characters in one text node) that the browser laid out on
// more than one line, with where it broke. A break straight after a hyphen or dash is how
// English wraps ("Stoke-on-/Trent") and is allowed; anything else ("Locati/on", "10/0") is not.
function wordsBrokenAcrossLines() {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const lineOf = (node, index) => {
    range.setStart(node, index);
    range.setEnd(node, index + 1);
    const rect = [...range.getClientRects()].find((r) => r.width > 0 || r.height > 0);
    return rect ? rect.top + rect.height / 2 : null;
  };
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, svg, noscript')) continue;
    const text = node.textContent;
    for (const match of text.matchAll(/\S+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      if (rects.length < 2) continue;
      const firstTop = rects[0].top;
      if (!rects.some((r) => Math.abs(r.top - firstTop) > rects[0].height / 2)) continue;
      // Every place inside the word where the next character starts a new line.
      let line = lineOf(node, match.index);
      for (let at = 1; at < match[0].length; at++) {
        const next = lineOf(node, match.index + at);
        if (next === null || line === null) continue;
        if (Math.abs(next - line) > rects[0].height / 2 && !/[-‐‑–—]/.test(match[0][at - 1])) {
          broken.push(`"${match[0].slice(0, at)}|${match[0].slice(at)}" in <${parent.tagName.toLowerCase()} class="${parent.className}">`);
        }
        line = next;
      }
    }
  }
  return [...new Set(broken)].slice(0, 15);
}

async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

const READ_PAGES = [
  ...PAGES,
  ['location-ri', RI_LOCATION, /Requires improvement/],
  ['search-typo', '/?q=shrewsbery', /Showing results for/],
  ['location-facts', '/location/1-120031878', /Care home with nursing/],
  ['search-closed', '/?q=Treetops&closed=1', /3 of 711 locations/],
  ['provider-closed', '/provider/1-101668216', /Closed registrations/],
  ['national-closed', '/national?closed=1', /registrations \(deregistered or dormant\) included/],
];

test('the load choice and the dropped-file banner: no word broken, and axe finds nothing, at 390 and 1280 px', async () => {
  const { page, base, problems } = env;
  const check = async (what) => {
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      assert.deepEqual(await page.evaluate(wordsBrokenAcrossLines), [], `${what} at ${viewport.width}px`);
      assert.deepEqual(await axeViolations(page), [], `${what} at ${viewport.width}px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${what} at ${viewport.width}px overflows sideways by ${overflow}px`);
    }
  };
  await page.goto(base + '/load');
  await page.getByLabel('Drop the file here, or choose it').setInputFiles('tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv');
  await page.getByTestId('load-choice').waitFor({ timeout: 30000 });
  // What adding would give, and the list of changes, are drawn once the comparison has run.
  await page.getByTestId('add-summary').waitFor({ timeout: 30000 });
  await check('the load choice');
  await page.getByRole('button', { name: 'Replace the current data' }).click();
  await page.getByTestId('dropped-banner').waitFor();
  await page.getByRole('link', { name: 'Search' }).first().click();
  await page.getByTestId('result-count').filter({ hasText: 'of 249' }).waitFor();
  await waitUntilDrawn(page, '/');
  await check('the banner on the search page');
  await page.getByRole('button', { name: 'Back to the bundled data' }).click();
  await page.getByTestId('result-count').filter({ hasText: 'of 711' }).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

for (const [name, path, shows] of READ_PAGES) {
  test(`${name}: no word or number is broken across lines, and axe finds nothing, at 390 and 1280 px`, async () => {
    const { page, base, problems } = env;
    for (const viewport of WIDTHS) {
      await page.setViewportSize(viewport);
      await page.goto(base + path);
      await page.locator('main').getByText(shows).first().waitFor();
      // The text shown first is not all: the checks below are of every word on the page.
      await waitUntilDrawn(page, path);
      // Open every disclosure, so the words inside are laid out and checked too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      assert.deepEqual(await page.evaluate(wordsBrokenAcrossLines), [], `${name} at ${viewport.width}px`);
      assert.deepEqual(await axeViolations(page), [], `${name} at ${viewport.width}px`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `${name} at ${viewport.width}px overflows sideways by ${overflow}px`);
    }
    assert.deepEqual(problems.splice(0), []);
  });
}

test('chart labels are at least 12 px on a phone, and each chart has a key of told-apart colours', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize(WIDTHS[0]);
  await page.goto(base + '/national');
  await page.locator('#by-sector .bar-label').first().waitFor();
  const sizes = await page.evaluate(() => [...document.querySelectorAll('.chart .bar-label, .chart .bar-count, .chart-key li, .chart svg text')]
    .map((e) => ({ text: e.textContent, px: parseFloat(getComputedStyle(e).fontSize), height: e.getBoundingClientRect().height })));
  assert.ok(sizes.length >= 20, 'labels found');
  for (const s of sizes) assert.ok(s.px >= 12 && s.height >= 12, `"${s.text}" is ${s.px}px (${s.height}px tall)`);
  const key = await page.locator('#by-sector .chart-key li').allInnerTexts();
  assert.deepEqual(key, ['Outstanding', 'Good', 'Requires improvement', 'Inadequate', 'Not rated']);
  // Outstanding and good are both green: their lightness must differ clearly (WCAG's contrast
  // ratio between the two fills, where 1 would be identical).
  const ratio = await page.evaluate(() => {
    const luminance = (css) => {
      const [r, g, b] = css.match(/\d+/g).slice(0, 3).map((v) => {
        const c = Number(v) / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const fill = (cls) => getComputedStyle(document.querySelector(`#by-sector .swatch.${cls}`)).backgroundColor;
    const [a, b] = [luminance(fill('outstanding')), luminance(fill('good'))].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
  });
  assert.ok(ratio >= 1.8, `outstanding and good differ by a contrast ratio of only ${ratio.toFixed(2)}`);
  assert.deepEqual(problems.splice(0), []);
});

test('the requires-improvement badge stays inside its card and the CQC id on one line, at both widths', async () => {
  const { page, base, problems } = env;
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto(base + RI_LOCATION);
    await page.getByTestId('kq-safe').waitFor();
    const spills = await page.evaluate(() => [...document.querySelectorAll('.kq-card')].flatMap((card) => {
      const c = card.getBoundingClientRect();
      return [...card.querySelectorAll('.rating, h3')].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.left < c.left - 0.5 || r.right > c.right + 0.5;
      }).map((e) => `${card.dataset.testid}: ${e.textContent}`);
    }));
    assert.deepEqual(spills, [], `at ${viewport.width}px`);
    const idLines = await page.getByTestId('cqc-id').evaluate((e) => e.getClientRects().length);
    assert.equal(idLines, 1, `the CQC id wraps at ${viewport.width}px`);
  }
  assert.deepEqual(problems.splice(0), []);
});

test('the disclaimer banner runs to both edges of the window', async () => {
  const { page, base, problems } = env;
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto(base + '/');
    const box = await page.locator('header.site .banner').evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right, width: document.documentElement.clientWidth };
    });
    assert.ok(Math.abs(box.left) <= 1 && Math.abs(box.right - box.width) <= 1, `banner ${JSON.stringify(box)} at ${viewport.width}px`);
  }
  assert.deepEqual(problems.splice(0), []);
});

test('the skip link moves the focus to the main content', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(base + '/');
  await page.getByTestId('result-count').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id === 'main');
  assert.deepEqual(problems.splice(0), []);
});

test('opening a search result puts the focus on the new page\'s heading', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(base + '/?q=albrighton%20medical');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).click();
  await page.getByRole('heading', { level: 1, name: 'Albrighton Medical Practice' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.deepEqual(problems.splice(0), []);
});

test('"try it" applies the suggestion, keeps the page where it was and focuses the result', async () => {
  const { page, base, problems } = env;
  for (const viewport of WIDTHS) {
    await page.setViewportSize(viewport);
    await page.goto(base + RI_LOCATION);
    const tryIt = page.getByTestId('solutions-good').getByRole('link', { name: 'try it' }).first();
    await tryIt.scrollIntoViewIfNeeded();
    const before = await page.evaluate(() => window.scrollY);
    assert.ok(before > 0, 'the suggestion is below the fold');
    await tryIt.click();
    await page.waitForURL(/kq=/);
    await page.waitForFunction(() => document.activeElement?.id === 'scenario-result');
    const after = await page.evaluate(() => window.scrollY);
    assert.ok(Math.abs(after - before) < 200, `the page jumped from ${before} to ${after}`);
    assert.match(await page.getByTestId('whatif-result').innerText(), /The rules give: Good/);
    // The suggestion is a step of its own: Back returns to the published inputs.
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('kq='));
  }
  assert.deepEqual(problems.splice(0), []);
});

test('the what-if result sits beside its controls, and stays in view on a phone', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(base + RI_LOCATION);
  const result = page.getByTestId('whatif-result');
  await page.getByLabel('Well-led', { exact: true }).scrollIntoViewIfNeeded();
  const [r, c] = await Promise.all([result.boundingBox(), page.locator('.whatif-controls').boundingBox()]);
  assert.ok(r.x >= c.x + c.width - 1, 'the result is to the right of the controls');
  assert.ok(r.y < c.y + c.height && r.y + r.height > c.y, 'and level with them');
  await page.setViewportSize(WIDTHS[0]);
  await page.getByLabel('A breach of regulations').scrollIntoViewIfNeeded();
  const inView = await result.evaluate((e) => {
    const b = e.getBoundingClientRect();
    return b.top >= -1 && b.bottom <= window.innerHeight + 1;
  });
  assert.ok(inView, 'on a phone the result stays on screen while the controls scroll');
  assert.deepEqual(problems.splice(0), []);
});

test('"Copy scenario link" says it copied', async () => {
  const { page, base, problems } = env;
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(base + RI_LOCATION + '?kq=safe.good');
  await page.getByRole('button', { name: 'Copy scenario link' }).click();
  await page.getByTestId('copy-status').filter({ hasText: /Copied/ }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), base + RI_LOCATION + '?kq=safe.good');
  assert.deepEqual(problems.splice(0), []);
});

test('a word typed is one history entry, and Back from a result opened mid-search returns to what was typed', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(base + '/');
  await page.getByTestId('result-count').filter({ hasText: /^466 of 711/ }).waitFor();
  const box = page.getByLabel('Search by name, town, postcode, provider or brand');
  // Letter by letter: the results follow the box, and the address follows once typing pauses.
  await box.pressSequentially('albr');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).waitFor();
  await page.waitForURL((url) => url.search === '?q=albr');
  await box.pressSequentially('ighton');
  await page.waitForURL((url) => url.search === '?q=albrighton');
  // The word refined its own entry: one Back returns to the page before it was typed.
  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/' && url.search === '');
  await page.getByTestId('result-count').filter({ hasText: /^466 of 711/ }).waitFor();
  assert.equal(await box.inputValue(), '');
  // A result opened straight after typing (before any pause): leaving the box puts the text in
  // the address first, so Back finds the search as it was.
  await box.fill('albrighton medical');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).click();
  await page.getByRole('heading', { level: 1, name: 'Albrighton Medical Practice' }).waitFor();
  await page.goBack();
  await page.waitForURL((url) => url.search === '?q=albrighton%20medical');
  await page.getByRole('link', { name: 'Albrighton Medical Practice' }).waitFor();
  assert.equal(await box.inputValue(), 'albrighton medical');
  assert.deepEqual(problems.splice(0), []);
});

test('each filter change is a history entry: Back undoes it and stays in the app', async () => {
  const { page, base, problems } = env;
  await page.setViewportSize(WIDTHS[1]);
  await page.goto(base + '/');
  await page.getByTestId('result-count').filter({ hasText: /^466 of 711/ }).waitFor();
  await page.getByLabel('Overall rating', { exact: true }).selectOption('good');
  await page.waitForURL(/rating=good/);
  await page.getByLabel('Care homes only').check();
  await page.waitForURL(/carehome=1/);
  await page.goBack();
  await page.waitForURL((url) => url.search.includes('rating=good') && !url.search.includes('carehome'));
  assert.equal(await page.getByLabel('Care homes only').isChecked(), false);
  await page.goBack();
  await page.waitForURL((url) => url.pathname === '/' && url.search === '');
  await page.getByTestId('result-count').filter({ hasText: /^466 of 711/ }).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

test('an unknown provider gets a not-found page, not an empty table', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/provider/1-999');
  await page.getByRole('heading', { level: 1, name: 'Provider not found' }).waitFor();
  assert.equal(await page.locator('main table').count(), 0);
  assert.deepEqual(problems.splice(0), []);
});

test('every state without a rating reads "Not rated", wherever it is shown', async () => {
  const { page, base, problems } = env;
  const labels = new Set();
  for (const path of ['/?rating=none', '/national', '/provider/1-101672399', RI_LOCATION, '/location/1-5312102242']) {
    await page.goto(base + path);
    await waitUntilDrawn(page, path);
    await page.locator('main .rating').first().waitFor();
    for (const text of await page.locator('main .rating.unrated').allInnerTexts()) labels.add(text.trim());
    const main = await page.locator('main').innerText();
    assert.doesNotMatch(main, /No rating|No published rating/, path);
  }
  assert.deepEqual([...labels], ['Not rated']);
  await page.goto(base + '/');
  assert.equal(await page.locator('#rating option[value=none]').innerText(), 'Not rated');
  // The line is on the page, empty, before the ratings it counts have arrived.
  await page.getByTestId('result-ratings').filter({ hasText: /Not rated\s\d+/ }).waitFor();
  assert.deepEqual(problems.splice(0), []);
});

test('counts agree with their nouns ("1 location", never "1 locations")', async () => {
  const { page, base, problems } = env;
  for (const path of ['/national', '/provider/1-101672399', RI_LOCATION, '/?q=albrighton%20medical']) {
    await page.goto(base + path);
    await waitUntilDrawn(page, path);
    assert.doesNotMatch(await page.locator('main').innerText(), /\b1 (locations|changes|rated locations|combinations)\b/, path);
  }
  assert.deepEqual(problems.splice(0), []);
});

test('a corrected typo says what it shows results for', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/?q=shrewsbery');
  await page.getByTestId('correction').waitFor();
  assert.match(await page.getByTestId('correction').innerText(), /Showing results for “shrewsbury”/);
  await page.goto(base + '/?q=shrewsbury');
  await page.getByTestId('result-count').filter({ hasText: 'of 711' }).waitFor();
  assert.equal(await page.getByTestId('correction').count(), 0, 'no correction for a word that matches');
  assert.deepEqual(problems.splice(0), []);
});

test('the methodology page speaks plainly, links each source to CQC, and keeps the codes as small print', async () => {
  const { page, base, problems } = env;
  await page.goto(base + '/methodology');
  await page.locator('.rule').first().waitFor();
  const rules = await page.locator('.rule').count();
  const linked = await page.locator('.rule a[href^="https://www.cqc.org.uk/"]').count();
  assert.ok(linked >= rules / 2, `${linked} of ${rules} rules link to CQC's page`);
  const codesOutsideSmallPrint = await page.evaluate(() => [...document.querySelectorAll('main h2, main h3, main p:not(.small-print), main li, main td')]
    .map((e) => e.innerText).filter((t) => /\bP\d\b|\bSL-\d|§|\bspec\b/.test(t)));
  assert.deepEqual(codesOutsideSmallPrint, []);
  assert.ok(await page.locator('.small-print').filter({ hasText: /Code P\d/ }).count() >= 1, 'the codes are still there');
  assert.deepEqual(problems.splice(0), []);
});

function get(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(base + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('the favicon is a real icon and a missing file is a 404, not the page', async () => {
  const { base } = env;
  const ico = await get(base, '/favicon.ico');
  assert.equal(ico.status, 200);
  assert.equal(ico.headers['content-type'], 'image/x-icon');
  assert.deepEqual([...ico.body.subarray(0, 4)], [0, 0, 1, 0], 'an ICO header');
  const svg = await get(base, '/favicon.svg');
  assert.match(svg.body.toString(), /^<svg/);
  assert.match((await get(base, '/')).body.toString(), /rel="icon"/);
  assert.equal((await get(base, '/no-such-file.png')).status, 404);
  assert.equal((await get(base, '/location/1-134399874')).status, 200, 'an app address still gets the page');
});

test('the server compresses as a static host would: brotli, else gzip, else plain', async () => {
  const { base } = env;
  const wasm = fs.readdirSync('dist').find((f) => f.endsWith('_bg.wasm') && f.startsWith('cqc-explorer-app'));
  for (const path of ['/', `/${wasm}`, '/data/snapshot.bin']) {
    const br = await get(base, path, { 'Accept-Encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    const plain = await get(base, path, { 'Accept-Encoding': 'identity' });
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(br.body.length < plain.body.length, `${path}: ${br.body.length} compressed vs ${plain.body.length}`);
    const gzip = await get(base, path, { 'Accept-Encoding': 'gzip' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
  }
});

test('the solver\'s near-identical suggestions read as one: "any two of … to outstanding"', async () => {
  const { page, base, problems } = env;
  // Five good key questions: any two raised to outstanding make it outstanding, ten ways.
  await page.goto(base + '/location/1-10160536681');
  const list = page.getByTestId('solutions-outstanding');
  await list.waitFor();
  const lines = await list.locator(':scope > li').count();
  assert.equal(lines, 1, 'one line for the ten combinations');
  assert.match(await list.innerText(), /Any two of Safe, Effective, Caring, Responsive, Well-led to outstanding \(2 changes\)/);
  await list.getByText('Each of the 10 combinations').click();
  assert.equal(await list.locator('details li').count(), 10);
  assert.deepEqual(problems.splice(0), []);
});
