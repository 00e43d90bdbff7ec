// The thread drawn in a canvas that lives in the page like native content.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, openWidget, canvasPixels, routePage, articlePage, postComments,
} from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer(['--rate-post', '0', '--rate-read', '0', '--moderation', 'open']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const stats = (page) => page.evaluate(() => document.getElementById('causerie').causerie.stats());

test('the demo thread: header with the visible count, the nested reply, text painted', async () => {
  const { context, page, errors } = await openWidget(browser, server.url + '/demo/chine-russie/');
  const heading = page.locator('#causerie').getByRole('heading', { level: 2 });
  await assert.doesNotReject(heading.waitFor());
  assert.match(await heading.textContent(), /^3 réflexions au sujet de “Chine - Russie/);
  const articles = page.locator('.causerie-mirror article');
  assert.equal(await articles.count(), 3);
  // The reply is nested under Bernard's comment: it says so, and comes right after it.
  const second = articles.nth(1);
  assert.match(await second.textContent(), /en réponse à Bernard Lefèvre/);
  assert.match(await second.textContent(), /Le premier choix de Putin/);
  assert.equal(await page.getByRole('button', { name: /^Répondre/ }).count(), 3);
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(100);
  const px = await canvasPixels(page);
  assert.ok(px.colours > 50 && px.dark > 500, `canvas looks empty: ${JSON.stringify(px)}`);
  assert.deepEqual(errors.map(String), []);
  await context.close();
});

test('an idle reader costs zero frames', async () => {
  const { context, page } = await openWidget(browser, server.url + '/demo/chine-russie/');
  await page.waitForTimeout(500);  // let the last input settle
  const before = (await stats(page)).frames;
  await page.waitForTimeout(3000);
  const after = (await stats(page)).frames;
  assert.equal(after - before, 0, `${after - before} frames drawn while idle`);
  await context.close();
});

test('the wheel over the canvas scrolls the page', async () => {
  const { context, page } = await openWidget(browser, server.url + '/demo/chine-russie/');
  const box = await page.locator('#causerie canvas').boundingBox();
  await page.evaluate((y) => window.scrollTo(0, y - 200), box.y);
  const y0 = await page.evaluate(() => window.scrollY);
  await page.mouse.move(box.x + 200, 300);
  assert.equal(await page.evaluate(() => document.elementFromPoint(400, 300).tagName), 'CANVAS');
  await page.mouse.wheel(0, 250);
  await page.waitForFunction((y) => window.scrollY > y + 100, y0);
  await context.close();
});

test('a 1,000-comment thread loads and #comment-<id> reaches a comment deep in it', async () => {
  const thread = '/test/mille';
  const specs = [];
  for (let i = 0; i < 1000; i++) {
    const parent = i % 4 === 3 ? i - 1 : null;  // chains of replies
    specs.push({ parent, name: `Lecteur ${i}`, body: `Commentaire numéro ${i} : « ${'bla '.repeat(i % 40)}» fin.` });
  }
  const ids = await postComments(server.url, thread, specs);
  const target = ids[900];
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await routePage(context, server.url, '/test/mille', articlePage({ thread }));
  await page.goto(`${server.url}/test/mille#comment-${target}`);
  await page.waitForSelector('#causerie[data-state="ready"]');
  // Scrolled there: the comment is in the mirror's window and its top on screen.
  await page.waitForSelector(`#causerie-comment-${target}`, { state: 'attached', timeout: 15000 });
  const s = await stats(page);
  assert.equal(s.comments, 1000);
  const rootTop = await page.evaluate(() => document.querySelector('.causerie-root').getBoundingClientRect().top);
  assert.ok(rootTop < -10000, `the page did not scroll deep into the thread (container top ${rootTop})`);
  assert.match(await page.locator(`#causerie-comment-${target}`).textContent(), /Commentaire numéro 900\u00A0:/);
  await context.close();
});

test('a malformed API answer shows the error state with Retry, and Retry recovers', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  let broken = true;
  await context.route('**/api/v1/threads/**', (route) => (broken
    ? route.fulfill({ status: 200, contentType: 'application/json', body: '{"thread": {"key": 5}, "comments": [' })
    : route.continue()));
  await page.goto(server.url + '/demo/chine-russie/');
  await page.waitForSelector('#causerie[data-state="error"]');
  const retry = page.getByRole('button', { name: 'Réessayer' });
  await retry.waitFor({ state: 'attached' });
  broken = false;
  await retry.dispatchEvent('click');  // as a screen reader activates it (the mirror is visually hidden)
  await page.waitForSelector('#causerie[data-state="ready"]');
  assert.equal(await page.locator('.causerie-mirror article').count(), 3);
  await context.close();
});

test('an unreachable API shows the error state, the widget does not crash', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await context.route('**/api/v1/threads/**', (route) => route.abort('connectionrefused'));
  await page.goto(server.url + '/demo/chine-russie/');
  await page.waitForSelector('#causerie[data-state="error"]');
  assert.match(await page.locator('.causerie-mirror').textContent(), /Impossible de joindre le serveur/);
  assert.deepEqual(errors.map(String), []);
  await context.close();
});

test("the host page's own textarea keeps Backspace and Tab", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await routePage(context, server.url, '/test/host', articlePage({
    thread: '/demo/chine-russie',
    extraBody: '<textarea id="host-text"></textarea><input id="after" value="">',
  }));
  await page.goto(server.url + '/test/host');
  await page.waitForSelector('#causerie[data-state="ready"]');
  await page.click('#host-text');
  await page.keyboard.type('abc');
  await page.keyboard.press('Backspace');
  assert.equal(await page.inputValue('#host-text'), 'ab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'after');
  await context.close();
});

test('several widgets on a page; destroy() leaves no listener behind, twice', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await routePage(context, server.url, '/test/spa', `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"></head><body><div id="a"></div><div id="b"></div>
<script src="/causerie.js"></script></body></html>`);
  // Count only listeners added by scripts the server sent (not Playwright's own).
  const cdp = await context.newCDPSession(page);
  const scriptUrls = new Map();
  cdp.on('Debugger.scriptParsed', (e) => scriptUrls.set(e.scriptId, e.url));
  await cdp.send('Debugger.enable');
  await page.goto(server.url + '/test/spa');
  const listenerCount = async () => {
    let total = 0;
    for (const expr of ['window', 'document']) {
      const { result } = await cdp.send('Runtime.evaluate', { expression: expr });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      total += listeners.filter((l) => (scriptUrls.get(l.scriptId) || '').startsWith(server.url)).length;
    }
    return total;
  };
  const baseline = await listenerCount();
  for (let round = 0; round < 2; round++) {
    await page.evaluate(() => {
      window.handles = [
        Causerie.mount(document.getElementById('a'), { api: '/api/v1', thread: '/demo/chine-russie', lang: 'fr' }),
        Causerie.mount(document.getElementById('b'), { api: '/api/v1', thread: '/en/demo', lang: 'en' }),
      ];
    });
    await page.waitForSelector('#a[data-state="ready"]');
    await page.waitForSelector('#b[data-state="ready"]');
    assert.match(await page.locator('#a h2').textContent(), /réflexions/);
    assert.match(await page.locator('#b h2').textContent(), /thoughts on/);
    assert.ok(await listenerCount() > baseline);
    await page.evaluate(() => window.handles.forEach((h) => h.destroy()));
    assert.equal(await listenerCount(), baseline, `listeners left after destroy (round ${round + 1})`);
    assert.equal(await page.locator('canvas').count(), 0);
  }
  await context.close();
});
