// The widget on a real WordPress (Debian's 6.1, MariaDB, PHP), installed
// from scratch by stack.mjs: the post page rendered by WordPress with the plugin of
// docs/wordpress/, read and posted through WordPress's own REST API.
//
// A reply is typed into the widget's form; the error cases go through
// handle.postComment() (the same client and fetch) to reach each WordPress refusal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, canvasPixels } from '../browser/harness.mjs';
import { startWordPress } from './stack.mjs';

let wp, browser, context, page;
const errors = [];

before(async () => {
  wp = await startWordPress();
  browser = await launchBrowser();
  // Marie's avatar on the site: orange over magenta, so that a picture drawn upside
  // down shows.
  const maker = await browser.newPage();
  await maker.setContent('<div style="width:96px;height:96px;background:linear-gradient(#ff8000 50%,#ff00ff 50%)"></div>');
  writeFileSync(join(wp.uploads, 'marie.png'), await maker.locator('div').screenshot());
  await maker.close();
  context = await browser.newContext({ viewport: { width: 900, height: 1000 } });
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(new Error(m.text())); });
});
after(async () => {
  await browser?.close();
  await wp?.stop();
});

const stats = () => page.evaluate(() => document.getElementById('causerie').causerie.stats());
const post = (comment) => page.evaluate((c) => document.getElementById('causerie').causerie.postComment(c), comment);

// What the accessibility mirror says: the heading and each comment as a reader hears it.
async function mirror() {
  return page.evaluate(() => {
    const section = document.querySelector('#causerie .causerie-mirror');
    if (!section) return null;
    return {
      heading: section.querySelector('h2')?.textContent,
      comments: [...section.querySelectorAll('article')].map((a) => {
        const paragraphs = [...a.querySelectorAll(':scope > p')].map((p) => p.textContent);
        return {
          id: Number(a.id.replace('causerie-comment-', '')),
          author: a.querySelector('header > a, header > strong')?.textContent,
          text: paragraphs.at(-1),
          notes: paragraphs.slice(0, -1),
        };
      }),
    };
  });
}

// The canvas over one comment: how many pixels are the picture's orange and
// magenta, and their mean row.
async function pictureColours(commentId) {
  const png = await page.locator(`#causerie-comment-${commentId}`).screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const g = new OffscreenCanvas(img.width, img.height).getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const near = (i, r, gr, b) => Math.abs(d[i] - r) < 30 && Math.abs(d[i + 1] - gr) < 30 && Math.abs(d[i + 2] - b) < 30;
    const found = { orange: 0, orangeY: 0, magenta: 0, magentaY: 0 };
    for (let i = 0; i < d.length; i += 4) {
      const y = Math.floor(i / 4 / img.width);
      if (near(i, 255, 128, 0)) { found.orange++; found.orangeY += y; }
      if (near(i, 255, 0, 255)) { found.magenta++; found.magentaY += y; }
    }
    found.orangeY /= found.orange || 1;
    found.magentaY /= found.magenta || 1;
    return found;
  }, png.toString('base64'));
}

async function approvedOnWordPress() {
  const r = await fetch(`${wp.api}/wp/v2/comments?post=${wp.postId}&per_page=100&orderby=date_gmt&order=asc`);
  assert.equal(r.status, 200);
  return { total: Number(r.headers.get('x-wp-total')), comments: await r.json() };
}

test('WordPress serves the post with the plugin\'s widget and only the approved comments', async () => {
  const { total, comments } = await approvedOnWordPress();
  const c = wp.comments;
  assert.equal(total, 4);
  assert.deepEqual(comments.map((x) => x.id), [c.marie, c.jp, c.marie2, c.lucie]);
  // The plugin installed is the one docs/wordpress.md shows, to the byte.
  const source = process.env.CAUSERIE_SOURCE_DIR;
  const doc = readFileSync(join(source, 'docs', 'wordpress.md'), 'utf8');
  for (const f of ['causerie-comments.php', 'comments.php']) {
    const php = readFileSync(join(source, 'docs', 'wordpress', 'causerie-comments', f), 'utf8');
    assert.ok(doc.includes('```php\n' + php + '```'), `docs/wordpress.md does not show ${f} as it is`);
  }
  const html = await (await fetch(wp.link)).text();
  assert.match(html, /data-api-kind="wordpress"/);
  assert.match(html, new RegExp(`data-thread="${wp.postId}"`));
  assert.match(html, /data-lang="fr-FR"/);
});

test('the widget shows exactly the approved comments, nested, with WordPress\'s typography', async () => {
  await page.goto(wp.link);
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.locator('#causerie').scrollIntoViewIfNeeded();
  assert.equal((await stats()).comments, 4);
  const c = wp.comments;
  const px = await canvasPixels(page);
  assert.ok(px.colours > 50 && px.dark > 500, `canvas looks empty: ${JSON.stringify(px)}`);
  if (process.env.CAUSERIE_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.CAUSERIE_SCREENSHOTS}/wordpress.png`, fullPage: true });
  // (Lucie's avatar is missing on the site: a 404, the only console error.)
  assert.deepEqual(errors.map(String).filter((e) => !e.endsWith('status of 404 (Not Found)')), []);
  let m;
  for (let i = 0; i < 50 && !(m = await mirror())?.heading?.includes('causeries'); i++) await page.waitForTimeout(100);
  // The title comes from /wp/v2/posts (wptexturize'd, entities decoded).
  assert.equal(m.heading, '4 réflexions au sujet de “L’été des causeries & la « conversation lente »”');
  assert.deepEqual(m.comments, [
    { id: c.marie, author: 'Marie Dupont', notes: [],
      text: 'Merci pour cet article\u00a0! C’est très clair… et «\u00a0précis\u00a0».' },
    { id: c.jp, author: 'Jean-Pierre & Fils', notes: ['en réponse à Marie Dupont'],
      text: 'Je ne suis pas d’accord… Voir l’article.\n\nDeuxième paragraphe\u00a0: vraiment.' },
    { id: c.marie2, author: 'Marie Dupont', notes: ['en réponse à Jean-Pierre & Fils'],
      text: 'Chacun son avis — c’est ça, la “causerie”.' },
    { id: c.lucie, author: 'Lucie', notes: [],
      text: 'Question\u00a0: 5 × 3 = 15\u00a0? Oui & c’est tout.' },
  ]);
  // Avatars: Marie's picture from WordPress (author_avatar_urls), the right way up,
  // in both her comments; Lucie's is missing on the site and Jean-Pierre has none:
  // theirs are drawn.
  let marie;
  for (let i = 0; i < 50 && !((marie = await pictureColours(c.marie)).orange > 0); i++) await page.waitForTimeout(100);
  assert.ok(marie.orange > 300 && marie.magenta > 300, `Marie's picture is not drawn: ${JSON.stringify(marie)}`);
  assert.ok(marie.orangeY < marie.magentaY, `Marie's picture is upside down: ${JSON.stringify(marie)}`);
  assert.ok((await pictureColours(c.marie2)).orange > 300);
  for (const other of [c.jp, c.lucie]) {
    const px = await pictureColours(other);
    assert.equal(px.orange + px.magenta, 0, `comment ${other} shows Marie's picture`);
  }
  // Marie's link is her site's; the pending and the spam comment are nowhere.
  assert.equal(await page.locator(`#causerie-comment-${c.marie} header a`).getAttribute('href'), 'https://marie.example.fr');
  const text = await page.locator('#causerie').textContent();
  assert.doesNotMatch(text, /Paul Martin|modération et ne doit pas|Casino|Gagnez/);
});

test('a reply sent from the widget is stored by WordPress and shown as awaiting moderation', async () => {
  const c = wp.comments;
  // A first comment from a new author, typed into the reply form under Lucie's
  // comment: WordPress holds it (comment_previously_approved).
  await page.locator('#causerie').getByRole('button', { name: 'Répondre — Lucie' }).dispatchEvent('click');
  await page.waitForFunction(() => document.activeElement?.name === 'comment');
  await page.keyboard.type("Merci Lucie ! C'est noté.");
  await page.getByLabel('Nom *', { exact: true }).fill('Anne Nouvelle');
  await page.getByLabel('E-mail *', { exact: true }).fill('anne@example.org');
  await page.locator('#causerie').getByRole('button', { name: 'Laisser un commentaire' }).click();
  await page.waitForFunction(() => document.querySelector('#causerie [role=status]').textContent ===
    'Votre commentaire est en attente de modération.');
  const [[newest]] = await wp.sql("SELECT MAX(comment_ID) FROM wp_comments WHERE comment_author = 'Anne Nouvelle'");
  const r = { id: Number(newest) };
  const row = await wp.sql(`SELECT comment_approved, comment_parent, comment_author, comment_author_email, comment_content, comment_author_IP
    FROM wp_comments WHERE comment_ID = ${Number(r.id)}`);
  assert.deepEqual(row, [['0', String(c.lucie), 'Anne Nouvelle', 'anne@example.org', "Merci Lucie ! C'est noté.", '127.0.0.1']]);
  // Readers do not see it; its author does, marked, under Lucie's comment.
  assert.equal((await approvedOnWordPress()).total, 4);
  assert.equal((await stats()).comments, 5);
  let mine;
  for (let i = 0; i < 50 && !(mine = (await mirror()).comments.find((x) => x.id === r.id)); i++) await page.waitForTimeout(100);
  assert.deepEqual(mine, { id: r.id, author: 'Anne Nouvelle', text: 'Merci Lucie\u202f! C’est noté.',
    notes: ['en réponse à Lucie', 'Votre commentaire est en attente de modération.'] });
});

test('WordPress\'s duplicate and flood refusals show in the form, in French, and the text stays', async () => {
  const comment = page.getByLabel('Commentaire *', { exact: true });
  const status = () => page.locator('#causerie .causerie-status').textContent();
  const submitError = () => page.locator('#causerie [id$="-submit-error"]').textContent();
  const send = async (text) => {
    if (await comment.inputValue() !== '') await comment.fill('');
    await comment.focus();
    await page.keyboard.type(text);
    await page.locator('#causerie').getByRole('button', { name: 'Laisser un commentaire' }).click();
  };
  // The same words again, under Lucie: comment_duplicate (409).
  await page.locator('#causerie').getByRole('button', { name: 'Répondre — Lucie' }).dispatchEvent('click');
  await page.waitForFunction(() => document.activeElement?.name === 'comment');
  await send("Merci Lucie ! C'est noté.");
  const duplicate = 'Commentaire en double détecté\u00a0; il semblerait que vous ayez déjà dit ceci\u00a0!';
  await page.waitForFunction((m) => document.querySelector('#causerie .causerie-status').textContent === m, duplicate);
  assert.equal(await submitError(), duplicate);
  assert.equal(await comment.inputValue(), "Merci Lucie ! C'est noté.", 'the refused text is still in the field');
  // Something else within 15 s from the same address: comment_flood (a 400).
  await send('Et une autre chose.');
  const flood = 'Trop de commentaires envoyés, réessayez dans 15 secondes';
  await page.waitForFunction((m) => document.querySelector('#causerie .causerie-status').textContent === m, flood);
  assert.equal(await submitError(), flood);
  assert.equal(await comment.inputValue(), 'Et une autre chose.');
  assert.equal(await status(), flood);
  if (process.env.CAUSERIE_SCREENSHOTS)
    await page.screenshot({ path: `${process.env.CAUSERIE_SCREENSHOTS}/wordpress-flood.png`, fullPage: true });
  await comment.fill('');
  await page.keyboard.press('Escape');
  // The same refusals as the page's script sees them (handle.postComment).
  let r = await post({ parentId: wp.comments.lucie, name: 'Anne Nouvelle', email: 'anne@example.org',
    body: "Merci Lucie ! C'est noté." });
  assert.deepEqual([r.ok, r.error, r.http_status, r.message], [false, 'duplicate', 409, duplicate]);
  r = await post({ name: 'Anne Nouvelle', email: 'anne@example.org', body: 'Et une autre chose.' });
  assert.deepEqual([r.ok, r.error, r.http_status, r.message], [false, 'rate_limited', 400, flood]);
  // Field errors come before those checks.
  r = await post({ name: '', email: 'anne@example.org', body: 'Sans nom.' });
  assert.deepEqual([r.ok, r.error, r.http_status], [false, 'validation', 400]);
  assert.deepEqual(r.fields, [{ field: 'author.name', code: 'required', message: 'Veuillez indiquer votre nom.' }]);
  r = await post({ name: 'Anne', email: 'pas-une-adresse', body: 'Adresse fausse.' });
  assert.deepEqual([r.ok, r.error, r.http_status], [false, 'validation', 400]);
  assert.deepEqual(r.fields, [{ field: 'author.email', code: 'invalid_email', message: 'Veuillez saisir une adresse e-mail valide.' }]);
  // None of them was stored.
  assert.deepEqual(await wp.sql("SELECT COUNT(*) FROM wp_comments WHERE comment_author_IP = '127.0.0.1'"), [['1']]);
});

test('a known author is published at once and counted', async () => {
  // Past WordPress's flood interval since the last stored comment from this address.
  await new Promise((r) => setTimeout(r, 16000));
  const r = await post({ name: 'Marie Dupont', email: 'marie@example.fr', url: 'https://marie.example.fr',
    body: 'Je reviens : <em>merci</em> à tous & à bientôt.' });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.status, 'published');
  assert.equal(r.message, 'Commentaire publié');
  const { total, comments } = await approvedOnWordPress();
  assert.equal(total, 5);
  assert.equal(comments.at(-1).id, r.id);
  assert.equal(comments.at(-1).parent, 0);
  assert.equal((await stats()).comments, 6);
  let m;
  for (let i = 0; i < 50 && !(m = await mirror()).heading.startsWith('5 '); i++) await page.waitForTimeout(100);
  assert.equal(m.heading, '5 réflexions au sujet de “L’été des causeries & la « conversation lente »”');
  assert.deepEqual(m.comments.find((x) => x.id === r.id),
    { id: r.id, author: 'Marie Dupont', notes: [], text: 'Je reviens\u00a0: merci à tous & à bientôt.' });
});

test('the page logged nothing but the refused posts', () => {
  // Chromium logs the refused posts above (409 x2, 400 x4) and Lucie's missing
  // avatar (404) as console errors: those only.
  const refused = /Failed to load resource: the server responded with a status of (409 \(Conflict\)|400 \(Bad Request\)|404 \(Not Found\))$/;
  assert.deepEqual(errors.map(String).filter((e) => !refused.test(e)), []);
  assert.equal(errors.length, 7);
});
