// The explorer's pages, each with text that proves its real content rendered; shared by the
// page tests and the screenshot script.

export const PAGES = [
  ['search', '/', /466 of 711 locations/],
  ['location', '/location/1-556658867', /Albrighton Medical Practice/],
  ['location-trace', '/location/1-1517912926', /Every rule that fired/],
  ['location-saf', '/location/1-5312102242', /quality statement/i],
  ['location-closed', '/location/1-280584830', /This registration closed on 18 Jun 2018/],
  ['provider', '/provider/1-101672399', /Condover College Limited/],
  ['provider-trust', '/provider/RXW', /If CQC rated the trust as one/],
  ['near', '/near?q=OL1%202DP&rating=good&nursing=with', /Alexandra - Oldham/],
  ['compare', '/compare?ids=1-131480333,1-113403309', /Differs/],
  ['national', '/national', /published overall rating is what the rules give for \d+ of \d+/],
  ['councils', '/councils', /72 councils assessed/],
  ['council', '/council/county-durham', /it gave no overall rating/],
  ['methodology', '/methodology', /Thresholds by number of ratings/],
  ['load', '/load', /Load newer CQC data/],
  ['not-found', '/no/such/page', /Page not found/],
  ['provider-not-found', '/provider/1-999', /Provider not found/],
];

// Waits until a page's content is all drawn, so that a check that some text is absent, or a
// check of every word or element on the page, means something: a location page draws its
// details a frame after its ratings, the national page its figures once the audit has run, a
// search its count once the query has run, its filters a frame after the search box, each
// result line once its cards file has arrived, and a filter that reads the audit once that has.
export async function waitUntilDrawn(page, path) {
  if (path.startsWith('/location/')) {
    await page.getByTestId('location-details').waitFor();
    return;
  }
  if (path === '/' || path.startsWith('/?')) {
    await page.getByTestId('result-count').filter({ hasText: /of \d+ locations?/ }).waitFor();
    await page.locator('form[role="search"] .filters').waitFor();
    await page.locator('main table tbody').filter({ hasNotText: 'Loading this result' }).waitFor();
    await page.getByText('this filter fills in when that is done').waitFor({ state: 'detached' });
    return;
  }
  if (path.startsWith('/national')) {
    await page.getByTestId('agreement-rate').waitFor();
    return;
  }
  const known = PAGES.find(([, p]) => p === path);
  if (known) {
    await page.locator('main').getByText(known[2]).first().waitFor();
  } else {
    await page.locator('main h1').waitFor();
  }
}
