// A reply form that types like a native form and never loses a word.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, routePage, articlePage, pngPixels, nextFrames } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const DEMO = '/demo/chine-russie/';
const mirrorArticles = (page) => page.locator('.causerie-mirror article');

async function open(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('#causerie[data-state="ready"]');
  return page;
}

async function fillIdentity(page, lang = 'fr') {
  const fr = lang === 'fr';
  await page.getByLabel(fr ? 'Nom *' : 'Name *').fill('Zoé Lefèvre');
  await page.getByLabel(fr ? 'E-mail *' : 'Email *').fill('zoe@example.org');
}

const submit = (page, lang = 'fr') => page.getByRole('button', { name: lang === 'fr' ? 'Laisser un commentaire' : 'Post Comment' }).click();

test('a reply typed in French lands nested under its comment, and is still there after a reload', async () => {
  const server = await startServer(['--moderation', 'open']);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await open(context, server.url + DEMO);
    await page.getByRole('button', { name: 'Répondre — Bernard Lefèvre' }).dispatchEvent('click');
    const body = page.getByLabel('Commentaire *');
    await page.waitForFunction(() => document.activeElement?.name === 'comment');
    assert.match(await page.locator('.causerie-root').evaluate(() => document.activeElement.name), /comment/);
    await page.keyboard.type('Je ne suis pas d’accord : « l’Europe » a été ');
    await page.keyboard.insertText('très claire… 🙂');  // as an IME or dictation commits text
    assert.equal(await body.inputValue(), 'Je ne suis pas d’accord : « l’Europe » a été très claire… 🙂');
    await fillIdentity(page);
    if (process.env.CAUSERIE_SCREENSHOTS) await page.screenshot({ path: `${process.env.CAUSERIE_SCREENSHOTS}/replying.png` });
    await submit(page);
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent === 'Commentaire publié');
    assert.equal(await body.inputValue(), '');
    // Nested: right after Bernard's thread, saying whom it answers.
    const texts = await mirrorArticles(page).allTextContents();
    const mine = texts.findIndex((t) => t.includes('très claire… 🙂'));
    assert.ok(mine > 0, texts.join('\n'));
    assert.match(texts[mine], /en réponse à Bernard Lefèvre/);
    if (process.env.CAUSERIE_SCREENSHOTS) await page.screenshot({ path: `${process.env.CAUSERIE_SCREENSHOTS}/replied.png` });
    await page.reload();
    await page.waitForSelector('#causerie[data-state="ready"]');
    const after = await mirrorArticles(page).allTextContents();
    assert.equal(after.filter((t) => t.includes('très claire… 🙂')).length, 1);
    // The server has it too.
    const api = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent('/demo/chine-russie')}/comments`)).json();
    const stored = api.comments.find((c) => c.body.includes('très claire'));
    assert.equal(stored.body, 'Je ne suis pas d’accord : « l’Europe » a été très claire… 🙂');
    assert.equal(stored.parent_id, api.comments.find((c) => c.author.name === 'Bernard Lefèvre').id);
    await context.close();
  } finally {
    await server.stop();
  }
});

test('« Aperçu » draws the Markdown as a posted comment, gives the text back to edit, and posts from the preview', async () => {
  const server = await startServer(['--moderation', 'open']);
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await open(context, server.url + DEMO);
    const body = page.getByLabel('Commentaire *');
    const markdown = '**Gras**, `code` et [un lien](https://exemple.org/page).\n\n> cité';
    await body.fill(markdown);
    const toggle = page.getByRole('button', { name: 'Aperçu' });
    const region = page.getByRole('region', { name: 'Aperçu du commentaire' });
    // The inside of a box (its border, accent-coloured when focused, left out).
    const inside = async (locator) => {
      const b = await locator.boundingBox();
      return pngPixels(page, await page.screenshot({ clip: { x: b.x + 6, y: b.y + 6, width: b.width - 12, height: b.height - 12 } }));
    };
    const typed = await inside(body);
    assert.equal(typed.link, 0, 'the field draws the source in the text colour');
    assert.ok(typed.dark > 0);

    await toggle.click();
    await page.waitForFunction(() => document.querySelector('[name=preview]').getAttribute('aria-pressed') === 'true');
    assert.equal(await body.isVisible(), false, 'the textarea gives its place to the preview');
    await region.waitFor();
    assert.equal(await region.textContent(), 'Gras, code et un lien.\n\ncité');
    const shown = await inside(region);
    assert.ok(shown.link > 20, `the link is drawn in the accent colour, as in posted comments (${shown.link})`);
    assert.ok(shown.dark > 0);
    if (process.env.CAUSERIE_SCREENSHOTS) await page.screenshot({ path: `${process.env.CAUSERIE_SCREENSHOTS}/preview.png` });

    await toggle.click();   // back to writing: the text as it was, the caret in it
    await page.waitForFunction(() => document.activeElement?.name === 'comment');
    assert.equal(await body.inputValue(), markdown);
    assert.equal(await region.isVisible(), false);

    await toggle.click();
    await fillIdentity(page);
    await submit(page);
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent === 'Commentaire publié');
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false', 'a posted comment ends the preview');
    assert.equal(await body.isVisible(), true);
    assert.equal(await body.inputValue(), '');
    const texts = await mirrorArticles(page).allTextContents();
    assert.ok(texts.some((t) => t.includes('Gras, code et un lien.')), texts.join('\n'));
    await context.close();
  } finally {
    await server.stop();
  }
});

// A box's pixels in a screenshot: [r, g, b] per pixel, row by row.
async function boxPixels(page, box) {
  const png = await page.screenshot({ clip: box });
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    c.getContext('2d').drawImage(img, 0, 0);
    const d = c.getContext('2d').getImageData(0, 0, img.width, img.height).data;
    const rows = [];
    for (let y = 0; y < img.height; y++) {
      const row = [];
      for (let x = 0; x < img.width; x++) row.push([d[(y * img.width + x) * 4], d[(y * img.width + x) * 4 + 1], d[(y * img.width + x) * 4 + 2]]);
      rows.push(row);
    }
    return rows;
  }, png.toString('base64'));
}
const distance = (a, b) => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);

test('the fields draw what they hold, in the theme\'s text colour, over the frame the canvas draws (which draws no field text)', async () => {
  const server = await startServer();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await open(context, server.url + DEMO);
    const body = page.getByLabel('Commentaire *');
    const mixed = 'مرحبا — Bonjour 👍🏽 ❤️ שלום';
    await body.fill(mixed);
    await body.evaluate((e) => e.blur());
    await nextFrames(page);
    // The theme's text colour, as the widget gave it, is the field's own.
    const style = await body.evaluate((e) => {
      const s = getComputedStyle(e);
      const probe = document.createElement('span');
      probe.style.color = getComputedStyle(e.closest('.causerie-root')).getPropertyValue('--causerie-field-colour');
      document.body.appendChild(probe);
      const theme = getComputedStyle(probe).color;
      probe.remove();
      return { color: s.color, fill: s.webkitTextFillColor, theme, dir: e.dir };
    });
    assert.match(style.theme, /^rgb\(/, `the widget set an opaque text colour (${style.theme})`);
    assert.equal(style.color, style.theme);
    assert.equal(style.fill, style.theme);
    assert.equal(style.dir, 'auto');
    const [r, g, b] = style.theme.match(/\d+/g).map(Number);
    const box = await body.boundingBox();
    const inside = { x: box.x + 4, y: box.y + 4, width: box.width - 8, height: box.height - 8 };
    const ink = (rows) => rows.flat().filter((p) => distance(p, [r, g, b]) < 60).length;
    const shown = ink(await boxPixels(page, inside));
    assert.ok(shown > 80, `the typed text is drawn in the theme's colour (${shown} pixels)`);
    // The same box with the field's text hidden: what is left is the canvas's, with no text.
    await body.evaluate((e) => { e.style.setProperty('-webkit-text-fill-color', 'transparent'); });
    const canvasOnly = await boxPixels(page, inside);
    assert.equal(ink(canvasOnly), 0, 'the canvas draws none of the field\'s text');
    const background = canvasOnly[Math.floor(canvasOnly.length / 2)][Math.floor(canvasOnly[0].length / 2)];
    // The frame under the field's edge: the canvas's border, unlike the background inside.
    const edge = await boxPixels(page, { x: box.x + 8, y: box.y, width: box.width - 16, height: 2 });
    const framed = edge.flat().filter((p) => distance(p, background) > 30).length;
    assert.ok(framed > edge.flat().length / 3, `the canvas's frame lies under the field's edge (${framed} of ${edge.flat().length})`);
    await body.evaluate((e) => { e.style.removeProperty('-webkit-text-fill-color'); });
    assert.equal(await body.inputValue(), mixed);
    await context.close();
  } finally {
    await server.stop();
  }
});

test('paste into the comment field, and Ctrl+Z undoes it', async () => {
  const server = await startServer();
  try {
    const context = await browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await open(context, server.url + DEMO);
    const body = page.getByLabel('Commentaire *');
    await body.click();
    await page.keyboard.type('Avant. ');
    await page.evaluate(() => navigator.clipboard.writeText('Texte collé « ici »'));
    await page.keyboard.press('Control+V');
    assert.equal(await body.inputValue(), 'Avant. Texte collé « ici »');
    await page.keyboard.press('Control+Z');
    assert.equal(await body.inputValue(), 'Avant. ');
    await context.close();
  } finally {
    await server.stop();
  }
});

test('the server down: the error shows and the text stays; after a reload the draft is back; Retry stores it once', async () => {
  const server = await startServer(['--moderation', 'open']);
  try {
    const context = await browser.newContext();
    let page = await open(context, server.url + DEMO);
    const text = 'Un avis important qu’il ne faut pas perdre.';
    await page.getByLabel('Commentaire *').fill(text);
    await fillIdentity(page);
    await server.halt();
    await submit(page);
    await page.waitForFunction(() => /Impossible de joindre le serveur/.test(document.querySelector('.causerie-status').textContent));
    assert.equal(await page.getByLabel('Commentaire *').inputValue(), text);
    assert.match(await page.locator('#causerie-1-submit-error').textContent(), /Impossible de joindre le serveur/);
    await server.start();
    await page.reload();
    await page.waitForSelector('#causerie[data-state="ready"]');
    assert.equal(await page.getByLabel('Commentaire *').inputValue(), text, 'the draft is back after a reload');
    await fillIdentity(page);
    await submit(page);
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent === 'Commentaire publié');
    const api = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent('/demo/chine-russie')}/comments`)).json();
    assert.equal(api.comments.filter((c) => c.body === text).length, 1);
    // Confirmed by the server: the draft is gone for good.
    await page.reload();
    await page.waitForSelector('#causerie[data-state="ready"]');
    assert.equal(await page.getByLabel('Commentaire *').inputValue(), '');
    await context.close();
  } finally {
    await server.stop();
  }
});

for (const lang of ['fr', 'en']) {
  test(`validation before sending, in ${lang === 'fr' ? 'French' : 'English'}`, async () => {
    const server = await startServer();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await routePage(context, server.url, '/test/form', articlePage({ thread: '/test/form', lang }));
      await page.goto(server.url + '/test/form');
      await page.waitForSelector('#causerie[data-state="ready"]');
      const fr = lang === 'fr';
      await page.getByLabel(fr ? 'Nom *' : 'Name *').fill('Zoé');
      await page.getByLabel(fr ? 'E-mail *' : 'Email *').fill('pas-un-email');
      await page.getByLabel(fr ? 'Site web' : 'Website', { exact: true }).fill('javascript:alert(1)');
      await submit(page, lang);
      const description = async (label) => {
        const field = page.getByLabel(label, { exact: true });
        await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await field.elementHandle());
        return page.locator('#' + await field.getAttribute('aria-describedby')).textContent();
      };
      assert.equal(await description(fr ? 'Commentaire *' : 'Comment *'), fr ? 'Veuillez saisir un commentaire.' : 'Please type your comment text.');
      assert.match(await description(fr ? 'E-mail *' : 'Email *'), fr ? /adresse e-mail valide/ : /valid email address/);
      assert.match(await description(fr ? 'Site web' : 'Website'), fr ? /http:\/\/ ou https:\/\// : /http:\/\/ or https:\/\//);
      // Nothing was sent.
      const api = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent('/test/form')}/comments`)).json();
      assert.equal(api.comments.length, 0);
      await context.close();
    } finally {
      await server.stop();
    }
  });
}

test('moderation "all": the author sees their pending comment, after a reload too; another reader does not', async () => {
  const server = await startServer(['--moderation', 'all']);
  try {
    const author = await browser.newContext();
    const page = await open(author, server.url + DEMO);
    await page.getByLabel('Commentaire *').fill('Un commentaire qui attend la modération.');
    await fillIdentity(page);
    await submit(page);
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent === 'Votre commentaire est en attente de modération.');
    const mine = () => mirrorArticles(page).filter({ hasText: 'Un commentaire qui attend' });
    assert.match(await mine().textContent(), /Votre commentaire est en attente de modération\./);
    await page.reload();
    await page.waitForSelector('#causerie[data-state="ready"]');
    assert.equal(await mine().count(), 1);
    assert.match(await mine().textContent(), /en attente de modération/);
    const other = await browser.newContext();
    const otherPage = await open(other, server.url + DEMO);
    assert.equal(await mirrorArticles(otherPage).filter({ hasText: 'Un commentaire qui attend' }).count(), 0);
    assert.match(await otherPage.locator('#causerie h2').textContent(), /^3 réflexions/);
    await author.close();
    await other.close();
  } finally {
    await server.stop();
  }
});

test("the host page's own fields keep working beside the widget's form", async () => {
  const server = await startServer();
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await routePage(context, server.url, '/test/host-form', articlePage({
      thread: '/demo/chine-russie',
      extraBody: '<form id="newsletter"><input id="host-email" name="e"><textarea id="host-note"></textarea></form>',
    }));
    await page.goto(server.url + '/test/host-form');
    await page.waitForSelector('#causerie[data-state="ready"]');
    await page.getByLabel('Commentaire *').click();
    await page.keyboard.type('Dans le widget.');
    await page.click('#host-email');
    await page.keyboard.type('moi@example.org');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Une note.');
    assert.equal(await page.inputValue('#host-email'), 'moi@example.or');
    assert.equal(await page.inputValue('#host-note'), 'Une note.');
    assert.equal(await page.getByLabel('Commentaire *').inputValue(), 'Dans le widget.');
    await context.close();
  } finally {
    await server.stop();
  }
});

test('the author edits their comment within the edit window; after it, the edit is refused and the form says why', async () => {
  const server = await startServer(['--moderation', 'open', '--edit-window', '8s']);
  try {
    const context = await browser.newContext();
    const page = await open(context, server.url + DEMO);
    await page.getByLabel('Commentaire *').fill('Première version.');
    await fillIdentity(page);
    await submit(page);
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent === 'Commentaire publié');
    const mine = () => mirrorArticles(page).filter({ hasText: 'version' });
    // Within the window: Modifier puts the text in the form; Enregistrer saves it.
    await mine().getByRole('button', { name: 'Modifier' }).dispatchEvent('click');
    await page.waitForFunction(() => document.querySelector('textarea[name=comment]').value === 'Première version.');
    await page.getByLabel('Commentaire *').fill('Deuxième version, corrigée.');
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForFunction(() => document.querySelector('.causerie-status').textContent === 'Modifié');
    assert.match(await mine().textContent(), /Deuxième version, corrigée\./);
    const api = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent('/demo/chine-russie')}/comments`)).json();
    const stored = api.comments.find((c) => c.author.name === 'Zoé Lefèvre');
    assert.equal(stored.body, 'Deuxième version, corrigée.');
    assert.ok(stored.edited_at);
    // Open the editor again, let the window close, then try to save.
    await mine().getByRole('button', { name: 'Modifier' }).dispatchEvent('click');
    await page.waitForFunction(() => document.querySelector('textarea[name=comment]').value.startsWith('Deuxième'));
    await page.getByLabel('Commentaire *').fill('Trop tard.');
    // created_at has whole seconds: the window ends within [created_at + 8 s, + 9 s).
    await page.waitForTimeout(Math.max(0, (Date.parse(stored.created_at) + 9500) - Date.now()));
    await page.getByRole('button', { name: 'Enregistrer' }).click();
    await page.waitForFunction(() => /délai pour modifier ce commentaire est dépassé/.test(document.querySelector('.causerie-status').textContent));
    assert.equal(await page.getByLabel('Commentaire *').inputValue(), 'Trop tard.', 'the refused text is kept');
    const after = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent('/demo/chine-russie')}/comments`)).json();
    assert.equal(after.comments.find((c) => c.author.name === 'Zoé Lefèvre').body, 'Deuxième version, corrigée.');
    await context.close();
  } finally {
    await server.stop();
  }
});
