// Drag to select comment text, Ctrl+C copies it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, nextFrames } from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('dragging over a comment selects its text and Ctrl+C copies it', async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  await page.goto(server.url + '/demo/chine-russie/');
  await page.waitForSelector('#causerie[data-state="ready"]');
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  const canvas = await page.locator('#causerie canvas').boundingBox();
  // Find the first body line: the pointer turns into a text cursor there.
  let y = canvas.y + 4;
  for (; y < canvas.y + canvas.height; y += 4) {
    await page.mouse.move(canvas.x + 300, y);
    await nextFrames(page);
    if (await page.evaluate(() => document.querySelector('#causerie canvas').style.cursor) === 'text') break;
  }
  assert.ok(y < canvas.y + canvas.height, 'no comment text found under the pointer');
  y += 6;
  // The body column starts after the avatar: walk left to its first character.
  let x = canvas.x + 300;
  for (; x > canvas.x; x -= 4) {
    await page.mouse.move(x - 4, y);
    await nextFrames(page);
    if (await page.evaluate(() => document.querySelector('#causerie canvas').style.cursor) !== 'text') break;
  }
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(canvas.x + 250, y, { steps: 5 });
  await page.mouse.move(canvas.x + 420, y + 2, { steps: 5 });
  await page.mouse.up();
  // Pointer events reach the widget on its next frame, as they do for a reader.
  await nextFrames(page);
  await page.keyboard.press('Control+C');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /^Accord sino-russe, le pire/);
  assert.ok(copied.length < 80, `copied too much: ${copied}`);
  // A click elsewhere clears the selection: nothing more is copied.
  await page.mouse.click(canvas.x + 300, y);
  await nextFrames(page);
  await page.evaluate(() => navigator.clipboard.writeText('avant'));
  await page.keyboard.press('Control+C');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'avant');
  await context.close();
});
