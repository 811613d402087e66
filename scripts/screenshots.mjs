// Takes a screenshot of every page at desktop and phone widths into docs/screenshots/, from a
// release build in dist/ (run `trunk build --release` first): node scripts/screenshots.mjs
import fs from 'node:fs';
import { start } from '../tests/e2e/browser.mjs';
import { PAGES } from '../tests/e2e/pages.mjs';

const WIDTHS = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
const env = await start();
fs.mkdirSync('docs/screenshots', { recursive: true });
try {
  for (const [name, path, shows] of PAGES) {
    for (const [label, viewport] of Object.entries(WIDTHS)) {
      await env.page.setViewportSize(viewport);
      await env.page.goto(env.base + path);
      await env.page.locator('main').getByText(shows).first().waitFor();
      const file = `docs/screenshots/${name}-${label}.png`;
      await env.page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  }
} finally {
  await env.close();
}
if (env.problems.length) { console.error(env.problems.join('\n')); process.exit(1); }
