// The first slice: the demo article page, served by the real server, loads the
// widget in headless Chromium, and the canvas paints French text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openWidget, canvasPixels } from './harness.mjs';

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
  const font = await fetch(server.url + '/fonts/sans-regular.ttf');
  assert.equal(font.status, 200);
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

test('the first paint needs only the regular face; bold and italic follow and are used', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // Bold and italic are held back until the comments are on screen.
  let release;
  const held = new Promise((r) => { release = r; });
  const late = [];
  await context.route(/\/fonts\/sans-(bold|italic)\.ttf$/, async (route) => {
    late.push(route.request().url());
    await held;
    await route.continue();
  });
  await page.goto(server.url + '/demo/chine-russie/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.locator('#causerie').scrollIntoViewIfNeeded();
  await page.waitForTimeout(200);
  const before = await canvasPixels(page);
  assert.ok(before.dark > 200, 'the comments are painted with the regular face alone');
  release();
  // Authors' names are bold: once the face arrives they are drawn darker.
  let after = before;
  for (let i = 0; i < 50 && after.dark <= before.dark * 1.02; i++) {
    await page.waitForTimeout(100);
    after = await canvasPixels(page);
  }
  assert.equal(late.length, 2, 'bold and italic were fetched after the first paint');
  assert.ok(after.dark > before.dark * 1.02, `bold names not drawn: ${before.dark} -> ${after.dark} dark pixels`);
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
