// The first slice: the demo article page, served by the real server, loads the
// widget in headless Chromium, and the canvas paints French text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, openWidget, canvasPixels, routePage, articlePage } from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('server answers /healthz and serves the widget files with the right types', async () => {
  const health = await fetch(server.url + '/healthz');
  assert.equal(health.status, 200);
  const wasm = await fetch(server.url + '/causerie-widget.wasm');
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const js = await fetch(server.url + '/causerie.js');
  assert.match(js.headers.get('content-type'), /javascript/);
  // No font of its own: the browser sets the text in the site's.
  const font = await fetch(server.url + '/fonts/sans-regular.ttf');
  assert.equal(font.status, 404);
});

test('the demo page shows the widget ready, painting text into the canvas', async () => {
  const { context, page, errors } = await openWidget(browser, server.url + '/demo/chine-russie/');
  await page.locator('#causerie').scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const px = await canvasPixels(page);
  assert.ok(px.width > 100 && px.height > 50, `canvas too small: ${px.width}x${px.height}`);
  // Not blank, not uniform: glyphs leave many shades (anti-aliasing) and dark pixels.
  assert.ok(px.colours > 20, `canvas looks uniform (${px.colours} colours)`);
  assert.ok(px.dark > 200, `canvas has almost no text (${px.dark} dark pixels)`);
  if (process.env.CAUSERIE_SCREENSHOTS) await page.screenshot({ path: `${process.env.CAUSERIE_SCREENSHOTS}/foundation.png`, fullPage: true });
  assert.deepEqual(errors.map(String), []);
  await context.close();
});

test('a web font still loading does not hold the first paint: the text is set again in it once it arrives', async () => {
  const serif = readFileSync('/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  let release;
  const held = new Promise((r) => { release = r; });
  await context.route(server.url + '/fonts/site.ttf', async (route) => {
    await held;
    await route.fulfill({ contentType: 'font/ttf', body: serif });
  });
  const style = '<style>@font-face{font-family:SiteFace;src:url(/fonts/site.ttf)}#causerie{font-family:SiteFace,monospace}</style>';
  await routePage(context, server.url, '/webfont/', articlePage({ thread: '/demo/chine-russie', extraBody: style }));
  await page.goto(server.url + '/webfont/', { waitUntil: 'domcontentloaded' });   // the held font holds 'load'
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  // Each run's width, and the same text's in the container's font as Canvas 2D has it now.
  const widths = () => page.evaluate(() => {
    const container = document.getElementById('causerie');
    const g = document.createElement('canvas').getContext('2d');
    g.font = getComputedStyle(container).fontSize + ' SiteFace, monospace';
    const out = [];
    for (const c of container.causerie.textReport()) for (const b of c.blocks) for (const l of b.lines)
      for (const r of l.runs) out.push([r.width, g.measureText(b.text.slice(r.begin, r.end)).width, b.text.slice(r.begin, r.end)]);
    return out;
  });
  const near = (runs) => runs.length > 0 && runs.every(([w, dom]) => Math.abs(w - dom) <= 0.02 * dom + 0.5);
  const before = await widths();
  assert.ok(near(before), 'painted in the fallback (monospace) while the web font loads: ' + JSON.stringify(before.filter(([w, dom]) => Math.abs(w - dom) > 0.02 * dom + 0.5)));
  release();
  await page.waitForFunction(() => document.fonts.check('18px SiteFace'), null, { timeout: 10000 });
  let after = before;
  for (let i = 0; i < 50 && JSON.stringify(after) === JSON.stringify(before); i++) {
    await page.waitForTimeout(100);
    after = await widths();
  }
  assert.notDeepEqual(after, before);
  assert.ok(near(after), 'set again in the web font once it arrived');
  assert.deepEqual(errors.map(String), []);
  await context.close();
});

test('the first page is asked for while the wasm loads, once', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const pages = [];
  page.on('request', (r) => { if (/\/api\/v1\/threads\/[^/]+\/comments\?/.test(r.url())) pages.push(r.url()); });
  // The wasm is held until the thread's first page has been asked for (5 s at most).
  let askedWhileHeld = false;
  await context.route(/causerie-widget\.wasm$/, async (route) => {
    for (let i = 0; i < 100 && pages.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    askedWhileHeld = pages.length > 0;
    await route.continue();
  });
  await page.goto(server.url + '/demo/chine-russie/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  assert.ok(askedWhileHeld, 'the first page was not asked for before the wasm arrived');
  // ...and the widget took that answer instead of asking again.
  assert.deepEqual(pages, [server.url + '/api/v1/threads/%2Fdemo%2Fchine-russie/comments?sort=oldest&limit=200']);
  assert.equal((await page.evaluate(() => document.getElementById('causerie').causerie.stats())).comments, 3);
  await context.close();
});
