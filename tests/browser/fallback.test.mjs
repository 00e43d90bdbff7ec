// Without WebGL2 (or when the widget's files fail to load) the loader shows the
// server's HTML page of the thread in place of the canvas, and its plain form posts
// a comment that is listed when the browser comes back to the article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser } from './harness.mjs';

let open, held, noWebgl, withWebgl;
before(async () => {
  // "open": a first comment is published at once. "first" (the default) holds it.
  open = await startServer(['--moderation', 'open']);
  held = await startServer(['--moderation', 'first']);
  noWebgl = await launchBrowser(['--disable-webgl', '--disable-3d-apis']);
});
after(async () => {
  await noWebgl?.close();
  await withWebgl?.close();
  await open?.stop();
  await held?.stop();
});

async function openArticle(browser, url, setup) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  if (setup) await setup(page);
  await page.goto(url);
  await page.waitForSelector('#causerie[data-state="fallback"]', { timeout: 20000 });
  return { context, page, errors };
}

test('without WebGL2 the demo article shows its thread as HTML, and the plain form posts', async () => {
  const { context, page, errors } = await openArticle(noWebgl, open.url + '/demo/chine-russie/');
  assert.equal(await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2')), false);
  const box = page.locator('#causerie');
  assert.equal(await box.locator('canvas').count(), 0);

  const heading = box.getByRole('heading', { level: 2 });
  assert.equal(await heading.textContent(),
    '3 réflexions au sujet de “Chine - Russie : Xi Jinping appelle à un partenariat solide face à l\'Occident”');
  const articles = box.getByRole('article');
  assert.equal(await articles.count(), 3);
  for (let i = 0; i < 3; i++) assert.ok(await articles.nth(i).isVisible());
  const first = articles.nth(0);
  assert.match(await first.textContent(), /Bernard Lefèvre\s*dit\s*:/);
  assert.match(await first.textContent(), /Accord sino-russe, le pire qu’on pouvait faire\u202F!/);
  assert.match(await first.locator('time').getAttribute('datetime'), /^2026-11-30T\d\d:\d\d:00Z$/);
  // Hélène answers Bernard: her comment is inside his, indented, her quote a blockquote.
  const reply = first.locator('xpath=..').locator('ol.causerie-children article');
  assert.match(await reply.textContent(), /Hélène Roussel/);
  assert.equal(await reply.locator('blockquote').innerText(), 'Le premier choix de Putin, c’était l’Europe');
  const indent = (await reply.boundingBox()).x - (await first.boundingBox()).x;
  assert.ok(indent > 20, `reply indented by ${indent}px`);
  const author = reply.getByRole('link', { name: 'Hélène Roussel', exact: true });
  assert.equal(await author.getAttribute('rel'), 'nofollow ugc noopener');
  // Links of the page point at the API server, not at the article's own paths.
  const replyLink = first.getByRole('link', { name: 'Répondre à Bernard Lefèvre' });
  assert.match(await replyLink.getAttribute('href'), new RegExp('^' + open.url + '/api/v1/threads/%2Fdemo%2Fchine-russie/comments\\.html\\?'));
  // The honeypot is out of sight and out of the accessibility tree.
  const honeypot = await page.locator('input[name="website"]').boundingBox();
  assert.ok(honeypot === null || honeypot.x + honeypot.width <= 0, 'honeypot visible');

  // Reply as a reader without JavaScript would: fill, submit, come back.
  await page.getByLabel(/^Commentaire/).fill('Posté depuis un navigateur *sans* WebGL2 <b>ok</b>');
  await page.getByLabel(/^Nom/).fill('Agathe');
  await page.getByLabel(/^E-mail/).fill('agathe@example.org');
  await page.getByRole('button', { name: 'Laisser un commentaire' }).click();
  await page.waitForURL(/\/demo\/chine-russie\/#comment-\d+$/);
  await page.waitForSelector('#causerie[data-state="fallback"]', { timeout: 20000 });
  const id = new URL(page.url()).hash.slice(1);
  const posted = page.locator(`#causerie article#${id}`);
  assert.match(await posted.textContent(), /Agathe/);
  assert.equal(await posted.locator('em').textContent(), 'sans');
  assert.match(await posted.textContent(), /<b>ok<\/b>/);  // markup typed is shown as text
  // The server isolates names (dir="auto"): the loader keeps it, so a right-to-left
  // name cannot turn "dit :" or the date after it. The fields take their text's direction.
  assert.equal(await posted.locator('span[dir="auto"]', { hasText: 'Agathe' }).count(), 1);
  assert.equal(await page.getByLabel(/^Commentaire/).getAttribute('dir'), 'auto');
  assert.equal(await box.getByRole('article').count(), 4);
  assert.match(await box.getByRole('heading', { level: 2 }).textContent(), /^4 réflexions/);
  // Brought into view: the fragment did not exist when the page loaded.
  const where = await posted.boundingBox();
  assert.ok(where.y >= -1 && where.y < 800, `new comment at y=${where.y}`);

  // A mistake comes back as the page itself, errors next to the fields, text kept.
  await page.getByLabel(/^Commentaire/).fill('Sans adresse');
  await page.getByLabel(/^Nom/).fill('Agathe');
  await page.getByLabel(/^E-mail/).fill('pas-une-adresse');
  // The browser's own check (type=email) would stop the post: let the server judge.
  await page.locator('#causerie form').evaluate((f) => { f.noValidate = true; });
  await page.getByRole('button', { name: 'Laisser un commentaire' }).click();
  await page.waitForSelector('#causerie-email-error');
  assert.equal(await page.locator('#causerie-email-error').textContent(), 'Veuillez saisir une adresse e-mail valide.');
  assert.equal(await page.getByLabel(/^Commentaire/).inputValue(), 'Sans adresse');

  assert.deepEqual(errors.map(String), []);
  await context.close();
});

test('a comment held for moderation: the reader is told so on the article', async () => {
  const { context, page, errors } = await openArticle(noWebgl, held.url + '/en/demo/');
  assert.equal(await page.locator('#causerie [role="status"]').count(), 0);
  await page.getByLabel(/^Comment/).fill('A first comment waits for the moderator.');
  await page.getByLabel(/^Name/).fill('Jo');
  await page.getByLabel(/^Email/).fill('jo@example.org');
  const count = await page.locator('#causerie article').count();
  await page.getByRole('button', { name: /comment/i }).click();
  await page.waitForURL(/\/en\/demo\/\?causerie=pending#causerie-respond$/);
  await page.waitForSelector('#causerie[data-state="fallback"]', { timeout: 20000 });
  assert.equal(await page.getByRole('status').textContent(), 'Your comment is awaiting moderation.');
  assert.equal(await page.locator('#causerie article').count(), count);
  // Posting again from here does not carry the marker back.
  assert.equal(await page.locator('input[name="return_to"]').inputValue(), held.url + '/en/demo/');
  assert.deepEqual(errors.map(String), []);
  await context.close();
});

test('with WebGL2 but the widget files failing to load, the same fallback shows', async () => {
  withWebgl = await launchBrowser();
  const { context, page } = await openArticle(withWebgl, open.url + '/demo/chine-russie/', (p) =>
    p.route(/causerie-widget\.(wasm|js)$/, (route) => route.abort()));
  assert.ok(await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2')));
  assert.ok(await page.locator('#causerie article').count() >= 3);
  assert.equal(await page.locator('#causerie canvas').count(), 0);
  await context.close();
});

test('without JavaScript the <noscript> iframe shows the thread and its form posts', async () => {
  const context = await noWebgl.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(open.url + '/demo/chine-russie/');
  const frame = page.frameLocator('#causerie iframe[title="Commentaires"]');
  await frame.getByRole('heading', { level: 2 }).waitFor();
  assert.match(await frame.getByRole('heading', { level: 2 }).textContent(), /^\d+ réflexions au sujet de/);
  const before = await frame.getByRole('article').count();
  assert.ok(before >= 3);
  await frame.getByLabel(/^Commentaire/).fill('Écrit sans JavaScript du tout.');
  await frame.getByLabel(/^Nom/).fill('Noé');
  await frame.getByLabel(/^E-mail/).fill('noe@example.org');
  await frame.getByRole('button', { name: 'Laisser un commentaire' }).click();
  // The whole article comes back (not the frame alone), at the new comment.
  await page.waitForURL(/\/demo\/chine-russie\/#comment-\d+$/);
  const id = new URL(page.url()).hash.slice(1);
  const again = page.frameLocator('#causerie iframe[title="Commentaires"]');
  await again.locator(`article#${id}`).waitFor();
  assert.match(await again.locator(`article#${id}`).textContent(), /Écrit sans JavaScript du tout\./);
  assert.equal(await again.getByRole('article').count(), before + 1);
  await context.close();
});
