// A right-to-left interface: with data-lang="ar" the widget speaks Arabic and mirrors
// as WordPress does in its RTL locales (avatar and indentation on the right), and the
// accessibility mirror says so (dir, lang).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, routePage, articlePage, postComments, nextFrames } from './harness.mjs';
import { layOutReferences, compareHeader, compareInkOf, compareForm } from './text_compare.mjs';

let server, browser;
before(async () => {
  server = await startServer(['--rate-post', '0', '--moderation', 'open'], { seedDemo: false });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const page_html = (thread, lang, dir) =>
  articlePage({ thread, lang, title: lang === 'ar' ? 'مقالة للتجربة' : 'Article de test' })
    .replace(`<html lang="${lang}">`, `<html lang="${lang}" dir="${dir}">`);

async function thread(path) {
  await postComments(server.url, path, [
    { parent: null, name: 'ليلى', body: 'مقالة رائعة، شكرًا على هذا العرض الواضح.' },
    { parent: 0, name: 'Hervé', body: 'Merci, je partage votre avis.' },
    { parent: null, name: 'سامي', body: 'هل من مصادر إضافية؟' },
  ]);
}

// The article page in `lang` and `dir`, the widget on screen with its three cards drawn.
async function openArticle(path, lang, dir, cards = 3) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  await routePage(context, server.url, path, page_html(path, lang, dir));
  const page = await context.newPage();
  await page.goto(server.url + path);
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await page.waitForFunction((n) => document.getElementById('causerie').causerie.stats().cards.length === n, cards);
  return { context, page };
}

test('data-lang="ar": Arabic wording, the cards mirrored (avatar right of the text, replies indented from the right), dir=rtl lang=ar', async () => {
  await thread('/test/rtl');
  const { context, page } = await openArticle('/test/rtl', 'ar', 'rtl');
  const shot = join(process.env.CAUSERIE_SCREENSHOTS || tmpdir(), 'rtl-ar.png');
  writeFileSync(shot, await page.locator('#causerie').screenshot());
  console.log('screenshot:', shot);

  // The mirror: the interface's language and direction, each author's text its own.
  const mirror = page.locator('.causerie-mirror');
  assert.equal(await mirror.getAttribute('dir'), 'rtl');
  assert.equal(await mirror.getAttribute('lang'), 'ar');
  assert.equal(await page.locator('.causerie-root').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('#causerie h2').textContent(), '3 تعليقات على “مقالة للتجربة”');
  const article = page.locator('.causerie-mirror article').first();
  assert.equal(await article.locator('p[dir=auto]').last().textContent(), 'مقالة رائعة، شكرًا على هذا العرض الواضح.');
  assert.equal(await article.locator('header [dir=auto]').textContent(), 'ليلى');
  assert.equal(await article.getByRole('button').first().textContent(), 'رد');

  // The cards: the avatar on the right of the text column, replies indented from the right.
  const cards = await page.evaluate(() => document.getElementById('causerie').causerie.stats().cards);
  const [first, reply, third] = cards;
  for (const c of cards) assert.ok(c.avatarLeft > c.textRight, `card ${c.id}: avatar at ${c.avatarLeft}, text up to ${c.textRight}`);
  assert.ok(reply.avatarLeft < first.avatarLeft - 16, `the reply's avatar (${reply.avatarLeft}) is left of its parent's (${first.avatarLeft})`);
  assert.equal(third.avatarLeft, first.avatarLeft);
  assert.equal(reply.textLeft, first.textLeft, 'the text columns start at the same left edge');

  // The form: its fields at the right edge, typed text in its own direction.
  const body = page.getByLabel('التعليق *');
  const name = page.getByLabel('الاسم *');
  assert.equal(await body.getAttribute('dir'), 'auto');
  const bodyBox = await body.boundingBox(), nameBox = await name.boundingBox();
  assert.ok(Math.abs(bodyBox.x + bodyBox.width - (nameBox.x + nameBox.width)) < 1, 'name and comment fields end at the same right edge');
  assert.ok(nameBox.x > bodyBox.x + 50, 'the narrower name field starts further right');
  const submit = await page.getByRole('button', { name: 'إرسال التعليق' }).boundingBox();
  const preview = await page.getByRole('button', { name: 'معاينة' }).boundingBox();
  assert.ok(Math.abs(submit.x + submit.width - (bodyBox.x + bodyBox.width)) < 1, 'the submit button at the right edge');
  assert.ok(preview.x + preview.width < submit.x, '« معاينة » (Preview) on its left');
  // Typed text is the field's own, each in its direction.
  await body.fill('مرحبا — Bonjour 👍🏽 ❤️ שלום');
  await name.fill('Zoé');
  assert.equal(await body.evaluate((e) => getComputedStyle(e).direction), 'rtl');
  assert.equal(await name.evaluate((e) => getComputedStyle(e).direction), 'ltr');
  await body.evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.evaluate(() => window.scrollBy(0, -100));
  const shown = await body.boundingBox();
  const form = { x: shown.x - 8, y: shown.y - 100, width: shown.width + 16, height: 560 };
  writeFileSync(join(process.env.CAUSERIE_SCREENSHOTS || tmpdir(), 'rtl-ar-form.png'), await page.screenshot({ clip: form }));
  await context.close();
});

// In the mirrored interface, names and dates start at the right edge, each name an
// isolate; the form's preview is mirrored like its fields (the frame where the
// textarea was, each block on the side of its own direction, the empty preview's
// notice at the right), laid out and drawn as the DOM does in an RTL page.
test('data-lang="ar": names, dates and the form preview mirrored as the DOM sets them', async () => {
  const path = '/test/rtl-text';
  await postComments(server.url, path, [
    { parent: null, name: 'Mallory\u202Eliam.moc', body: 'My name tries to turn the date after it around.' },
    { parent: null, name: 'فاطمة الزهراء', body: 'شكراً على المقال.' },
  ]);
  const { context, page } = await openArticle(path, 'ar', 'rtl', 2);
  await page.addScriptTag({ path: fileURLToPath(new URL('./text_reference.js', import.meta.url)) });
  const { comments, L } = await layOutReferences(page);
  assert.equal(comments.length, 2);
  const problems = [];
  for (const c of comments) {
    problems.push(...compareHeader(`comment ${c.id}`, c.header));
    problems.push(...(await compareInkOf(page, c, L)).map((m) => `comment ${c.id} ${m}`));
  }
  // The empty preview: its notice at the right of the frame.
  await page.getByRole('button', { name: 'معاينة' }).click();
  await nextFrames(page);
  const { fields: [frame] } = await page.evaluate(() => document.getElementById('causerie').causerie.formReport());
  await page.evaluate((top) => {
    const el = document.getElementById('causerie');
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + top - 200);
  }, frame.top);
  await nextFrames(page);
  await nextFrames(page);
  const origin = await page.evaluate(() => {
    const r = document.getElementById('causerie').getBoundingClientRect();
    return { x: r.left, y: r.top };
  });
  const notice = { box: { x: origin.x + frame.left, y: origin.y + frame.top, width: frame.width, height: 40 } };
  const shot = await page.screenshot({ clip: notice.box });
  writeFileSync(join(process.env.CAUSERIE_SCREENSHOTS || tmpdir(), 'rtl-ar-preview-empty.png'), shot);
  const inkColumns = await page.evaluate(async ([b64, width]) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height), g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data, o = (6 * img.width + 6) * 4, bg = [d[o], d[o + 1], d[o + 2]];
    let left = img.width, right = -1;
    for (let y = 4; y < img.height - 4; y++) for (let x = 4; x < img.width - 4; x++) {
      const i = (y * img.width + x) * 4;
      if (Math.abs(d[i] - bg[0]) + Math.abs(d[i + 1] - bg[1]) + Math.abs(d[i + 2] - bg[2]) > 90) { left = Math.min(left, x); right = Math.max(right, x); }
    }
    return { left: left * width / img.width, right: right * width / img.width };
  }, [shot.toString('base64'), notice.box.width]);
  if (!(inkColumns.right > notice.box.width - 24 && inkColumns.left > notice.box.width / 2))
    problems.push(`the empty preview's notice is drawn from x ${inkColumns.left} to ${inkColumns.right} of a frame ${notice.box.width} px wide, not from its right edge`);
  await page.getByRole('button', { name: 'معاينة' }).click();
  problems.push(...await compareForm(page, [
    'مرحبا — Bonjour 👍🏽 ❤️ שלום\n\n1. פריט ראשון\n2. Un second point\n\n> اقتباس قصير',
    'Mallory\u202Eliam.moc',
    'zoé@exemple.fr',
    'https://example.org/شارع',
  ], 'معاينة'));
  writeFileSync(join(process.env.CAUSERIE_SCREENSHOTS || tmpdir(), 'rtl-ar-preview.png'), await page.locator('#causerie').screenshot());
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

test('data-lang="fr" stays left to right: avatar left of the text', async () => {
  await thread('/test/ltr');
  const { context, page } = await openArticle('/test/ltr', 'fr', 'ltr');
  const cards = await page.evaluate(() => document.getElementById('causerie').causerie.stats().cards);
  for (const c of cards) assert.ok(c.avatarLeft < c.textLeft, `card ${c.id}: avatar at ${c.avatarLeft}, text from ${c.textLeft}`);
  assert.ok(cards[1].avatarLeft > cards[0].avatarLeft + 16);
  assert.equal(await page.locator('.causerie-mirror').getAttribute('dir'), 'ltr');
  assert.equal(await page.locator('.causerie-mirror').getAttribute('lang'), 'fr');
  await context.close();
});
