// Lighthouse 12.2.3 (performance only; mobile form factor and its default simulated throttling) on
// pages of the app, in Debian's Chromium. A signed-in page is measured in a browser that signed in
// through the login page: Lighthouse's --extra-headers reach the navigation but not the page's own
// fetch() calls nor MapLibre's worker, whose tiles would all answer 401. Storage is kept (the
// session) and the HTTP cache emptied before each run, so every run is a first visit.
//
//   node lighthouse.mjs USER PASSWORD OUT_PREFIX URL [URL…]   (URL: a full page address; the
//   police map signs in first)  → one JSON line per page: score, TBT, LCP, bytes
import fs from 'node:fs';
import lighthouse from 'lighthouse';
import puppeteer from 'puppeteer-core';

const [user, password, outPrefix, ...pages] = process.argv.slice(2);

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  headless: true,
  defaultViewport: null,
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

for (const [index, url] of pages.entries()) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  if (url.includes('/police/')) {
    const origin = new URL(url).origin;
    await page.goto(`${origin}/login?ReturnUrl=%2Fhealth%2Flive`);
    await page.type('#username', user);
    await page.type('#password', password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  }
  const cdp = await page.createCDPSession();
  await cdp.send('Network.clearBrowserCache');
  const result = await lighthouse(url, {
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance'],
    disableStorageReset: true,
  }, undefined, page);
  const report = result.lhr;
  fs.writeFileSync(`${outPrefix}-${index}.json`, result.report);
  const audits = report.audits;
  const failed = (audits['network-requests'].details?.items ?? []).filter((r) => r.statusCode >= 400).map((r) => `${r.statusCode} ${r.url}`);
  console.log(JSON.stringify({
    url,
    finalUrl: report.finalDisplayedUrl,
    score: Math.round(report.categories.performance.score * 100),
    tbtMs: Math.round(audits['total-blocking-time'].numericValue),
    lcpMs: Math.round(audits['largest-contentful-paint'].numericValue),
    fcpMs: Math.round(audits['first-contentful-paint'].numericValue),
    kilobytes: Math.round(audits['total-byte-weight'].numericValue / 1024),
    failed,
  }));
  await context.close();
}
await browser.close();
