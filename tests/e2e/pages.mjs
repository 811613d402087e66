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


// Waits until a page's content is all drawn, so that a check that some text is absent means
// something: a location page draws its details a frame after its ratings, the national page
// its figures once the audit has run, a search its count once the query has run.
export async function waitUntilDrawn(page, path) {
  if (path.startsWith('/location/')) {
    await page.getByTestId('location-details').waitFor();
    return;
  }
  const known = PAGES.find(([, p]) => p === path);
  if (known) {
    await page.locator('main').getByText(known[2]).first().waitFor();
  } else if (path.startsWith('/?')) {
    await page.getByTestId('result-count').getByText(/of \d+ locations?/).waitFor();
  } else {
    await page.locator('main h1').waitFor();
  }
}
