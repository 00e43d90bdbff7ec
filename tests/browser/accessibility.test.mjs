// Nobody is shut out by the canvas — screen readers, keyboard users, axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { startServer, launchBrowser } from './harness.mjs';

const require = createRequire(import.meta.url);
let server, browser;
before(async () => {
  server = await startServer(['--moderation', 'open']);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url + path);
  await page.waitForSelector('#causerie[data-state="ready"]');
  return { context, page };
}

test('axe-core finds no WCAG 2.1 A/AA violation on the demo page with the widget', async () => {
  const { context, page } = await open('/demo/chine-russie/');
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = await page.evaluate(() => axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  const summary = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  assert.deepEqual(summary, []);
  await context.close();
});

for (const [lang, path, names] of [
  ['fr', '/demo/chine-russie/', { heading: /^3 réflexions au sujet de “/, reply: /^Répondre — /, comment: 'Commentaire *', name: 'Nom *', email: 'E-mail *' }],
  ['en', '/en/demo/', { heading: /^3 thoughts on “/, reply: /^Reply — /, comment: 'Comment *', name: 'Name *', email: 'Email *' }],
]) {
  test(`roles and names in ${lang}: heading, articles, Reply buttons, labelled fields`, async () => {
    const { context, page } = await open(path);
    const widget = page.locator('#causerie');
    assert.match(await widget.getByRole('heading', { level: 2 }).textContent(), names.heading);
    assert.equal(await widget.getByRole('article').count(), 3);
    assert.equal(await widget.getByRole('button', { name: names.reply }).count(), 3);
    for (const label of [names.comment, names.name, names.email]) assert.equal(await widget.getByLabel(label, { exact: true }).count(), 1);
    assert.equal(await page.getByRole('status').count(), 1);
    // Links in comment bodies are real links a keyboard reaches.
    const link = widget.getByRole('link', { name: /^https:\/\// }).first();
    assert.match(await link.getAttribute('href'), /^https:\/\//);
    assert.equal(await link.getAttribute('rel'), 'nofollow ugc noopener');
    await context.close();
  });
}

test('keyboard only: reach a comment, open its reply form, write, send, and hear it announced', async () => {
  const { context, page } = await open('/demo/chine-russie/');
  // Tab from the top of the page until the Reply of the second comment has focus.
  const target = 'Répondre — Hélène Roussel';
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.keyboard.press('Tab');
    found = await page.evaluate((t) => document.activeElement?.getAttribute('aria-label') === t, target);
  }
  assert.ok(found, `never reached "${target}" by Tab`);
  // The page scrolled the comment into view: its card is on screen.
  const box = await page.evaluate(() => document.activeElement.closest('article').getBoundingClientRect().toJSON());
  assert.ok(box.top >= 0 && box.top < 800, `the focused comment is off screen (top ${box.top})`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.name === 'comment');
  await page.keyboard.type('Réponse écrite au clavier seulement.');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Clavier');
  await page.keyboard.press('Tab');
  await page.keyboard.type('clavier@example.org');
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => document.querySelector('[role=status]').textContent === 'Commentaire publié');
  const reply = page.locator('#causerie article').filter({ hasText: 'Réponse écrite au clavier' });
  assert.match(await reply.textContent(), /en réponse à Hélène Roussel/);
  // Escape closes a reply form opened from the keyboard, without sending.
  await page.getByRole('button', { name: 'Répondre — Sylvie Marchand' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.name === 'comment');
  await page.keyboard.type('Brouillon abandonné');
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelector('textarea[name=comment]').value === '');
  assert.equal(await page.locator('#causerie article').filter({ hasText: 'Brouillon abandonné' }).count(), 0);
  await context.close();
});
