// A card is drawn where it was measured: replies whose parent is not shown (pending,
// spam) carry one more line, « en réponse à un commentaire supprimé », and must
// not run into the card below.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, routePage, articlePage, nextFrames } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const ADMIN_TOKEN = 'jeton-de-moderation-assez-long-pour-le-serveur';

test('a reply whose parent is pending or spam does not run into the next card', async () => {
  const tokenFile = join(process.env.TMPDIR || '/tmp', `causerie-cards-admin-${process.pid}`);
  writeFileSync(tokenFile, ADMIN_TOKEN + '\n');
  // "first": each new author's first comment waits for the site owner.
  const server = await startServer(['--moderation', 'first', '--rate-post', '0', '--admin-token-file', tokenFile],
    { seedDemo: false });
  const thread = '/2026/12/orphelins';
  const admin = async (method, path) => {
    const r = await fetch(server.url + '/api/v1/moderation' + path, { method, headers: { Authorization: 'Bearer ' + ADMIN_TOKEN } });
    const answer = await r.text();
    assert.equal(r.status, 200, `${method} ${path}: ${answer}`);
  };
  const post = async (name, body, parent = null, editTokens = []) => {
    const r = await fetch(`${server.url}/api/v1/threads/${encodeURIComponent(thread)}/comments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Causerie-Edit-Tokens': editTokens.join(',') },
      body: JSON.stringify({ parent_id: parent, author: { name, email: name.toLowerCase() + '@example.org' }, body }) });
    const answer = await r.json();
    assert.ok(r.status === 201 || r.status === 202, `post by ${name}: HTTP ${r.status} ${JSON.stringify(answer)}`);
    return { id: answer.comment.id, token: answer.edit_token };
  };
  const text = (who) => `${who} : un avis argumenté sur l’article, assez long pour tenir deux lignes à l’écran. `.repeat(2);
  try {
    // Anne's comment is answered by Bruno, then marked as spam: Bruno's reply stays, orphaned.
    const anne = await post('Anne', text('Anne'));
    await admin('POST', `/comments/${anne.id}/approve`);
    const bruno = await post('Bruno', text('Bruno'), anne.id);
    await admin('POST', `/comments/${bruno.id}/approve`);
    const chloe = await post('Chloe', text('Chloé'));
    await admin('POST', `/comments/${chloe.id}/approve`);
    // David answers his own comment while it waits; only the answer is approved.
    const david = await post('David', text('David'));
    const davidReply = await post('David', text('David encore'), david.id, [david.token]);
    await admin('POST', `/comments/${davidReply.id}/approve`);
    const emile = await post('Emile', text('Émile'));
    await admin('POST', `/comments/${emile.id}/approve`);
    await admin('POST', `/comments/${anne.id}/spam`);

    const context = await browser.newContext({ viewport: { width: 900, height: 900 } });
    await routePage(context, server.url, thread, articlePage({ thread }));
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e));
    await page.goto(server.url + thread);
    await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
    await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
    await nextFrames(page);
    await nextFrames(page);
    const cards = await page.evaluate(() => document.getElementById('causerie').causerie.stats().cards);
    const ids = cards.map((c) => c.id);
    // Both orphans are on screen, each followed by another card.
    assert.deepEqual(ids, [bruno.id, chloe.id, davidReply.id, emile.id]);
    for (let i = 0; i + 1 < cards.length; ++i) {
      assert.ok(cards[i].contentBottom <= cards[i + 1].top,
        `card ${cards[i].id} is drawn down to ${cards[i].contentBottom}, into card ${cards[i + 1].id} at ${cards[i + 1].top}`);
    }
    // For a reader to look at (build/orphan-reply.png).
    const out = join(process.env.CAUSERIE_SOURCE_DIR, 'build');
    mkdirSync(out, { recursive: true });
    await page.locator('#causerie canvas').screenshot({ path: join(out, 'orphan-reply.png') });
    assert.deepEqual(errors.map(String), []);
    await context.close();
  } finally {
    await server.stop();
  }
});
