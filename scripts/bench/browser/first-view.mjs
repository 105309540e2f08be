// The police map's first view on a throttled 4G link, in headless Chromium (Debian's), through the
// DevTools protocol: Network.emulateNetworkConditions (9 Mbit/s down, 3 Mbit/s up, 100 ms round
// trip) and, per round and per app, a first visit on an empty HTTP cache, then a return visit in the
// same profile after SD_BENCH_RETURN_AFTER seconds (by default past the tiles' 60 s lifetime, so
// they are revalidated, as on the next day's visit). "First view": from navigation start to the
// map's first `idle` event — style, every source's tiles at the opening view, drawn.
//
//   node first-view.mjs USER PASSWORD ROUNDS URL [URL…]   → one JSON line per visit, medians last
import puppeteer from 'puppeteer-core';

const [user, password, roundsText, ...urls] = process.argv.slice(2);
const rounds = Number(roundsText);
const returnAfter = Number(process.env.SD_BENCH_RETURN_AFTER ?? 65) * 1000;
const network = {
  offline: false,
  latency: 100,
  downloadThroughput: (9 * 1000 * 1000) / 8,
  uploadThroughput: (3 * 1000 * 1000) / 8,
};

// Set before the page's own scripts run: records when the map first reports idle.
const recorder = () => {
  const started = performance.now();
  const watch = () => {
    const map = window.smartDoorplateMap;
    if (!map) { setTimeout(watch, 10); return; }
    map.once('idle', () => { window.firstViewMs = performance.now(); window.firstViewFrom = started; });
  };
  watch();
};

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function visit(context, url) {
  const page = await context.newPage();
  await page.setViewport({ width: 1440, height: 900 });
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', network);
  let bytes = 0;
  let requests = 0;
  let fromCache = 0;
  cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; requests += 1; });
  cdp.on('Network.requestServedFromCache', () => { fromCache += 1; });
  await page.evaluateOnNewDocument(recorder);
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(`${url}/police/map`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
  await page.waitForFunction(() => window.firstViewMs !== undefined, { timeout: 120_000, polling: 50 });
  const ms = await page.evaluate(() => window.firstViewMs);
  await page.close();
  return { ms: Math.round(ms), kilobytes: Math.round(bytes / 1024), requests, fromCache, errors };
}

async function signedInContext(url) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${url}/login?ReturnUrl=%2Fhealth%2Flive`);
  await page.type('#username', user);
  await page.type('#password', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  const cdp = await page.createCDPSession();
  // The sign-in page's own files must not count as cached for the map's first visit.
  await cdp.send('Network.clearBrowserCache');
  await page.close();
  return context;
}

const results = Object.fromEntries(urls.map((url) => [url, { first: [], back: [] }]));
for (let round = 1; round <= rounds; round += 1) {
  // The apps take turns within a round, so drift in the machine's load falls on both.
  const contexts = [];
  for (const url of urls) {
    const context = await signedInContext(url);
    const first = await visit(context, url);
    results[url].first.push(first);
    console.log(JSON.stringify({ round, url, visit: 'first', ...first }));
    contexts.push([url, context]);
  }
  await new Promise((resolve) => setTimeout(resolve, returnAfter));
  for (const [url, context] of contexts) {
    const back = await visit(context, url);
    results[url].back.push(back);
    console.log(JSON.stringify({ round, url, visit: 'return', ...back }));
    await context.close();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
for (const [url, { first, back }] of Object.entries(results)) {
  console.log(JSON.stringify({
    url,
    medianFirstMs: median(first.map((r) => r.ms)),
    medianFirstKilobytes: median(first.map((r) => r.kilobytes)),
    medianReturnMs: median(back.map((r) => r.ms)),
    medianReturnKilobytes: median(back.map((r) => r.kilobytes)),
    pageErrors: [...first, ...back].flatMap((r) => r.errors).length,
  }));
}
await browser.close();
