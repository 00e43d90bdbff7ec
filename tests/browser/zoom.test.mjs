// Crisp and exact at every pixel ratio: what the pointer hits is what is drawn there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, nextFrames, pngPixels } from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

for (const ratio of [1, 1.25, 2]) {
  test(`at devicePixelRatio ${ratio} the link under the pointer is the link drawn there, and a click opens it`, async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, deviceScaleFactor: ratio });
    await context.route('https://fr.wikipedia.org/**', (r) => r.fulfill({ contentType: 'text/html', body: 'ok' }));
    const page = await context.newPage();
    await page.goto(server.url + '/demo/chine-russie/');
    await page.waitForSelector('#causerie[data-state="ready"]');
    await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
    const canvas = await page.locator('#causerie canvas').boundingBox();
    // The canvas backing store follows the ratio (crisp text).
    const backing = await page.evaluate(() => { const c = document.querySelector('#causerie canvas'); return [c.width, c.clientWidth]; });
    assert.ok(Math.abs(backing[0] - backing[1] * ratio) <= 1, `backing store ${backing[0]} for ${backing[1]} CSS px`);
    // Sweep down the body column until the pointer is over the Wikipedia link.
    const link = page.locator('.causerie-root > a');
    let found = false;
    for (let y = canvas.y + 4; y < canvas.y + canvas.height && !found; y += 6) {
      await page.mouse.move(canvas.x + 200, y);
      await nextFrames(page);
      found = (await link.getAttribute('href') || '').includes('wikipedia.org');
    }
    assert.ok(found, 'no link found under the pointer');
    const box = await link.boundingBox();
    assert.equal(await link.getAttribute('rel'), 'nofollow ugc noopener');
    assert.equal(await link.getAttribute('target'), '_blank');
    // What is drawn inside that box is link-coloured text.
    const png = await page.screenshot({ clip: box });
    const blue = (await pngPixels(page, png)).link;
    assert.ok(blue > 30 * ratio, `only ${blue} link-coloured pixels under the link's box`);
    const popup = context.waitForEvent('page');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    assert.match((await popup).url(), /wikipedia\.org/);
    await context.close();
  });
}
