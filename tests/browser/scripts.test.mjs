// The browser sets every script in the page's own fonts: no font file is fetched,
// the widget's lines are as wide as the same text in the container's family, and
// emoji keep their colours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, routePage, articlePage, postComments } from './harness.mjs';

let server, browser;
const thread = '/test/langues';
const bodies = [
  'Größe, Straße, „Anführungszeichen“ – ÄÖÜ äöü ß.',
  '¿Qué tal? ¡Español con ñ, á, é, í, ó, ú, ü! «Comillas».',
  'Zażółć gęślą jaźń — ĄĆĘŁŃÓŚŹŻ.',
  'Съешь же ещё этих мягких французских булок, да выпей чаю.',
  'Ξεσκεπάζω την ψυχοφθόρα βδελυγμία. Ελληνικά με τόνους: ά έ ή ί ό ύ ώ.',
  '漢字とかなの文章、そして한국어 문장과 中文句子。',
];
before(async () => {
  server = await startServer(['--rate-post', '0', '--moderation', 'open']);
  browser = await launchBrowser();
  await postComments(server.url, thread, bodies.map((body, i) => ({ parent: null, name: 'Lecteur ' + i, body })));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The thread on an article page whose body is set in `family`.
async function open(family) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const fonts = [];
  context.on('request', (r) => { if (/\/fonts\/|\.(ttf|otf|woff2?)(\?|$)/.test(r.url())) fonts.push(r.url()); });
  const page = await context.newPage();
  const html = articlePage({ thread }).replace('font:18px/1.6 serif', `font:18px/1.6 ${family}`);
  await routePage(context, server.url, thread, html);
  await page.goto(server.url + thread);
  await page.waitForSelector('#causerie[data-state="ready"]');
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await page.waitForFunction((n) => document.getElementById('causerie').causerie.textReport().length >= n, bodies.length);
  return { context, page, fonts };
}

// Each run the widget laid out, measured with Canvas 2D in the container's font
// and in monospace: [{text, width, inPage, inMonospace}].
function measuredRuns(page) {
  return page.evaluate(() => {
    const container = document.getElementById('causerie');
    const cs = getComputedStyle(container);
    const g = document.createElement('canvas').getContext('2d');
    const width = (text, family) => { g.font = `${cs.fontSize} ${family}`; return g.measureText(text).width; };
    const runs = [];
    for (const c of container.causerie.textReport()) for (const b of c.blocks) for (const l of b.lines) for (const r of l.runs) {
      const text = b.text.slice(r.begin, r.end);
      runs.push({ text, width: r.width, inPage: width(text, cs.fontFamily), inMonospace: width(text, 'monospace') });
    }
    return runs;
  });
}

for (const family of ['serif', 'sans-serif']) {
  test(`in a ${family} page, no font file is fetched and every body is laid out as wide as the page sets it`, async () => {
    const { context, page, fonts } = await open(family);
    const report = await page.evaluate(() => document.getElementById('causerie').causerie.textReport());
    const texts = report.map((c) => c.blocks.map((b) => b.text).join('\n'));
    for (const body of bodies) assert.ok(texts.includes(body), `${body} is not laid out: ${JSON.stringify(texts)}`);
    const runs = await measuredRuns(page);
    assert.ok(runs.length >= bodies.length);
    for (const r of runs) {
      assert.ok(Math.abs(r.width - r.inPage) <= 0.02 * r.inPage + 0.5, `"${r.text}": ${r.width} px wide, ${r.inPage} in the page's ${family}`);
    }
    // The check can fail: the same runs in another family are not as wide.
    assert.ok(runs.some((r) => Math.abs(r.inMonospace - r.inPage) > 0.02 * r.inPage + 0.5));
    assert.deepEqual(fonts, []);
    await context.close();
  });
}

test('emoji and CJK are drawn by the browser\'s fonts, emoji in colour', async () => {
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
