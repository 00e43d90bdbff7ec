// Every character of French, German, Spanish, Polish, Russian and Greek renders:
// Latin faces first, Greek and Cyrillic faces fetched only for threads that need them;
// what no face has (emoji, CJK) is drawn by the browser's fonts into the atlas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, routePage, articlePage, postComments } from './harness.mjs';

let server, browser;
const thread = '/test/langues';
before(async () => {
  server = await startServer(['--rate-post', '0', '--moderation', 'open']);
  browser = await launchBrowser();
  await postComments(server.url, thread, [
    { parent: null, name: 'Jürgen Weiß', body: 'Größe, Straße, „Anführungszeichen“ – ÄÖÜ äöü ß.' },
    { parent: null, name: 'Iñigo Peña', body: '¿Qué tal? ¡Español con ñ, á, é, í, ó, ú, ü! «Comillas».' },
    { parent: null, name: 'Łucja Żółć', body: 'Zażółć gęślą jaźń — ĄĆĘŁŃÓŚŹŻ.' },
    { parent: null, name: 'Дмитрий', body: 'Съешь же ещё этих мягких французских булок, да выпей чаю.' },
    { parent: null, name: 'Ελένη', body: 'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Ελληνικά με τόνους: ά έ ή ί ό ύ ώ.' },
  ]);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function render({ blockExtended }) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const requested = [];
  context.on('request', (r) => { if (r.url().includes('/fonts/')) requested.push(new URL(r.url()).pathname); });
  if (blockExtended) await context.route('**/fonts/sans-ext-*', (r) => r.abort());
  const page = await context.newPage();
  await routePage(context, server.url, thread, articlePage({ thread }));
  await page.goto(server.url + thread);
  await page.waitForSelector('#causerie[data-state="ready"]');
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(blockExtended ? 300 : 800);  // the extended faces arrive
  const png = await page.locator('#causerie canvas').screenshot();
  await context.close();
  return { png, requested };
}

test('Greek and Cyrillic faces are fetched for a thread that needs them, and change what is drawn', async () => {
  const withFonts = await render({ blockExtended: false });
  assert.ok(withFonts.requested.includes('/fonts/sans-ext-regular.ttf'), withFonts.requested.join());
  const without = await render({ blockExtended: true });
  // The same thread without those faces draws differently (fallback glyphs):
  // the difference is what the extended faces draw.
  assert.notDeepEqual(withFonts.png, without.png);
  if (process.env.CAUSERIE_SCREENSHOTS) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${process.env.CAUSERIE_SCREENSHOTS}/scripts.png`, withFonts.png);
  }
});

test('a Latin-only thread does not fetch the extended faces', async () => {
  const context = await browser.newContext();
  const requested = [];
  context.on('request', (r) => { if (r.url().includes('/fonts/')) requested.push(new URL(r.url()).pathname); });
  const page = await context.newPage();
  await page.goto(server.url + '/demo/chine-russie/');
  await page.waitForSelector('#causerie[data-state="ready"]');
  await page.waitForTimeout(300);
  assert.deepEqual(requested.filter((p) => p.includes('sans-ext')), []);
  await context.close();
});

test('glyphs no bundled face has (emoji, CJK) are drawn by the browser, emoji in colour', async () => {
  const t = '/test/emoji';
  await postComments(server.url, t, [{ parent: null, name: 'Mei', body: '🙂🙂🙂 漢字かな 🎉' }]);
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  await routePage(context, server.url, t, articlePage({ thread: t }));
  await page.goto(server.url + t);
  await page.waitForSelector('#causerie[data-state="ready"]');
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(300);
  const png = await page.locator('#causerie canvas').screenshot();
  const { yellow } = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    let yellow = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 150 && d[i + 2] < 90) yellow++;
    return { yellow };
  }, png.toString('base64'));
  assert.ok(yellow > 50, `no colour emoji drawn (${yellow} yellow pixels)`);
  if (process.env.CAUSERIE_SCREENSHOTS) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${process.env.CAUSERIE_SCREENSHOTS}/emoji.png`, png);
  }
  await context.close();
});
