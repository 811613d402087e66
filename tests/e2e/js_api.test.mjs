// The JavaScript API as a package of its own: a blank page (not the explorer), under the site's
// own Content-Security-Policy, imports /js/cqc_ratings.js from dist/ and runs the README's
// example as written on Beech House Nursing Home's real published ratings; its outputs are then
// compiled against cqc_ratings.d.ts with `tsc --strict`, so the declarations are the real shapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { start } from './browser.mjs';
import { POLICY } from '../../scripts/csp.mjs';

const PACKAGE = path.resolve('dist/js');
const FIXTURE = 'tests/fixtures/cqc/latest_ratings_shropshire_2025-10.csv';
const BEECH_HOUSE = '1-134399874';

let env;
before(async () => { env = await start(); });
after(async () => { await env.close(); });

/** The README's "JavaScript API" example: its first js code block. */
function readmeExample() {
  const readme = fs.readFileSync('README.md', 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('JavaScript API'));
  assert.ok(section, 'README has a "JavaScript API" section');
  const code = section.match(/```js\n([\s\S]*?)```/);
  assert.ok(code, 'the JavaScript API section has a js example');
  return code[1];
}

/** One CSV line's fields (CQC quotes fields that contain commas). */
function csvFields(line) {
  const fields = [];
  for (const m of line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)) fields.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]);
  return fields;
}

/** A location's own (Overall group) ratings from CQC's Latest ratings CSV: domain → [rating, dd/mm/yyyy]. */
function publishedRatings(locationId) {
  const [header, ...lines] = fs.readFileSync(FIXTURE, 'utf8').split(/\r?\n/);
  const column = Object.fromEntries(csvFields(header).map((name, i) => [name, i]));
  const ratings = {};
  for (const line of lines) {
    if (!line.startsWith(locationId + ',')) continue;
    const f = csvFields(line);
    if (f[column.service_population_group] !== 'Overall') continue;
    ratings[f[column.domain]] = [f[column.latest_rating], f[column.publication_date]];
  }
  return ratings;
}

/** "Requires improvement" → "RequiresImprovement"; "17/04/2025" → "2025-04-17"; "Well-led" → "WellLed". */
const ratingName = (text) => text.split(' ').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
const isoDay = (text) => text.split('/').reverse().join('-');
const keyQuestionName = (domain) => domain.replace('-l', 'L');

/** A page with nothing of the explorer in it: no script but what the test imports. */
async function blankPage(page, base, example) {
  await page.route(base + '/blank.html', (route) => route.fulfill({
    contentType: 'text/html; charset=utf-8',
    body: `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${POLICY}"><title>blank</title></head><body></body></html>`,
  }));
  await page.route(base + '/example.mjs', (route) => route.fulfill({
    contentType: 'text/javascript',
    // The example as written; the export only lets the test read the evidence it rated.
    body: `${example}\nexport { evidence };\n`,
  }));
  await page.goto(base + '/blank.html');
}

test('the package is three files in dist/js, and its declarations use no `any`', () => {
  for (const file of ['cqc_ratings.js', 'cqc_ratings_bg.wasm', 'cqc_ratings.d.ts']) {
    assert.ok(fs.statSync(path.join(PACKAGE, file)).size > 0, `${file} is built (scripts/build-js-api.sh)`);
  }
  const declarations = fs.readFileSync(path.join(PACKAGE, 'cqc_ratings.d.ts'), 'utf8');
  const code = declarations.split('\n').filter((line) => !/^\s*(\*|\/\*\*)/.test(line)).join('\n');
  assert.doesNotMatch(code, /\bany\b/);
  for (const name of ['rate', 'explain', 'whatIf', 'minimalChange', 'ruleSets']) {
    assert.match(code, new RegExp(`export function ${name}\\(`));
  }
  assert.match(code, /export function rate\(evidence: Evidence, rule_params\?: RuleParams \| null\): Explanation;/);
});

test("the README's example rates Beech House's real evidence in a blank page as CQC published it", async () => {
  const { page, base, problems } = env;
  const logged = [];
  const requested = [];
  page.on('console', (m) => { if (m.type() === 'log') logged.push(m.text()); });
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await blankPage(page, base, readmeExample());
  const result = await page.evaluate(async () => {
    const example = await import('/example.mjs');
    const api = await import('/js/cqc_ratings.js');
    const failure = (run) => { try { run(); return null; } catch (e) { return { isError: e instanceof Error, message: e.message }; } };
    const catalogue = api.ruleSets();
    return {
      evidence: example.evidence,
      explanation: api.rate(example.evidence),
      explained: api.explain(example.evidence, catalogue.params),
      whatIf: api.whatIf(example.evidence, [
        { KqRating: { key_question: 'Safe', rating: 'Good' } },
        { Breach: true },
        { KqDate: { key_question: 'Caring', date: '2024-06-30' } },
      ]),
      solutions: api.minimalChange(example.evidence, 'Outstanding'),
      // The same ratings under the single assessment framework: statements seeded from them,
      // key questions scored, one statement then scored by hand.
      saf: api.whatIf({ ...example.evidence, rule_set: 'G3SafQualityStatements' }, [{ StatementScore: { id: 1, score: 1 } }]),
      catalogue,
      badRuleSet: failure(() => api.rate({ rule_set: 'G9', key_questions: [] })),
      badTarget: failure(() => api.minimalChange(example.evidence, 'Brilliant')),
    };
  });
  // Only the page, the example and the package were loaded: nothing of the explorer.
  assert.deepEqual([...new Set(requested)].sort(), ['/blank.html', '/example.mjs', '/js/cqc_ratings.js', '/js/cqc_ratings_bg.wasm']);
  assert.deepEqual(problems.splice(0), []);

  // The example's evidence is Beech House's own published key-question ratings and dates.
  const published = publishedRatings(BEECH_HOUSE);
  assert.equal(Object.keys(published).length, 6, 'five key questions and the overall');
  assert.deepEqual(
    result.evidence.key_questions.map((kq) => [kq.key_question, kq.rating.value.Rated, kq.rating.published]),
    Object.entries(published).filter(([domain]) => domain !== 'Overall')
      .map(([domain, [rating, date]]) => [keyQuestionName(domain), ratingName(rating), isoDay(date)]),
  );
  // The rules give what CQC published, at every level.
  assert.equal(result.explanation.overall, ratingName(published.Overall[0]));
  assert.deepEqual(result.explained, result.explanation);
  for (const kq of result.explanation.key_questions) assert.deepEqual(kq.published, { Rated: kq.rating });

  // The example printed what its comments say.
  assert.equal(logged[0], 'RequiresImprovement');
  assert.match(logged[1], /^Requires improvement because 2 of the 5 key questions/);
  assert.match(logged[2], /Safe from requires improvement to good/);
  assert.match(logged[2], /Well-led from requires improvement to good/);
  assert.equal(logged[3], 'Good');

  // Safe raised to good would make it good, but a breach caps the overall at requires
  // improvement; the edited date is in the evidence age.
  assert.equal(result.whatIf.overall, 'RequiresImprovement');
  assert.ok(result.whatIf.steps.some((s) => s.rule === 'BreachCap'), JSON.stringify(result.whatIf.steps));
  assert.ok(result.whatIf.evidence_age.slices.some((s) => s.year === 2024), JSON.stringify(result.whatIf.evidence_age));
  assert.ok(result.solutions.length > 0 && result.solutions.every((s) => s.result === 'Outstanding'));
  assert.equal(result.catalogue.rule_sets.length, 4);
  const safe = result.saf.key_questions.find((kq) => kq.key_question === 'Safe');
  assert.ok(safe.score && safe.statements.length > 1, JSON.stringify(safe));
  assert.deepEqual(safe.statements.find((st) => st.id === 1).source, 'UserEntered');
  assert.ok(safe.statements.some((st) => st.source.SeededFromRating?.rating === 'RequiresImprovement'), JSON.stringify(safe.statements));

  assert.deepEqual(result.badRuleSet?.isError, true);
  assert.match(result.badRuleSet.message, /^evidence: unknown variant `G9`, expected one of `G1Kloe`/);
  assert.match(result.badTarget.message, /Brilliant/);

  // The real outputs, as literals typed with the declarations: tsc --strict reports any field
  // the declarations lack (excess property), any they declare that is missing, any wrong type.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cqc-js-api-'));
  const literal = (value) => JSON.stringify(value, null, 1);
  fs.writeFileSync(path.join(dir, 'check.ts'), [
    `import init, { rate, whatIf, minimalChange, ruleSets } from ${JSON.stringify(path.join(PACKAGE, 'cqc_ratings.js'))};`,
    `import type { Evidence, Explanation, Solution, Catalogue, Edit, RuleParams } from ${JSON.stringify(path.join(PACKAGE, 'cqc_ratings.js'))};`,
    `const evidence: Evidence = ${literal(result.evidence)};`,
    `const explanation: Explanation = ${literal(result.explanation)};`,
    `const edited: Explanation = ${literal(result.whatIf)};`,
    `const saf: Explanation = ${literal(result.saf)};`,
    `const solutions: Solution[] = ${literal(result.solutions)};`,
    `const catalogue: Catalogue = ${literal(result.catalogue)};`,
    // The exports' signatures: parameters optional where the API lets them be left out.
    'async function usage(params: RuleParams, edits: Edit[]): Promise<void> {',
    '  await init();',
    '  const a: Explanation = rate(evidence);',
    '  const b: Explanation = whatIf(evidence, edits, params);',
    '  const c: Solution[] = minimalChange(evidence, "Good", null);',
    '  const d: Catalogue = ruleSets();',
    '  console.log(a, b, c, d, explanation, edited, saf, solutions, catalogue);',
    '}',
    'usage(catalogue.params, solutions[0].edits);',
    '',
  ].join('\n'));
  const tsc = path.resolve('node_modules/.bin/tsc');
  assert.ok(fs.existsSync(tsc), 'npm dev dependency typescript is installed (npm ci)');
  try {
    execFileSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'es2022', '--moduleResolution', 'bundler', '--lib', 'es2022,dom', path.join(dir, 'check.ts')], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`the real outputs do not match cqc_ratings.d.ts:\n${e.stdout}${e.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
