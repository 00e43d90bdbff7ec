// Live threads: new comments arrive in other readers' pages as the
// « N nouveaux commentaires » pill, moderation decisions reach them, and a reader
// whose server process dies resumes on another one without missing anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startServer, startPostgres, startBalancer, launchBrowser, routePage, articlePage, postComments, nextFrames,
} from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const specs = (n, prefix) => Array.from({ length: n }, (_, i) => ({
  name: `Lecteur ${i + 1}`,
  body: `${prefix} ${i + 1} : ` + 'un avis argumenté sur l’article, assez long pour tenir deux lignes à l’écran. '.repeat(2),
}));

// A reader's page on `thread`, scrolled into the comments; its live stream open.
async function openReader(baseUrl, thread) {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  // A long article: the comments start well below the first screen.
  await routePage(context, baseUrl, thread, articlePage({ thread, extraBody: '<div style="height:1500px"></div>' }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(baseUrl + thread);
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => window.scrollTo(0, document.getElementById('causerie').offsetTop + 500));
  await page.waitForFunction(() => document.getElementById('causerie').causerie.stats().live, null, { timeout: 10000 });
  return { context, page, errors };
}

const statusText = (page) => page.evaluate(() => document.querySelector('#causerie [role=status]').textContent);
const pillLabel = (page) => page.evaluate(() => document.querySelector('#causerie button[data-key=reveal]')?.textContent || '');
// Where the first comment that shows at the top of the viewport is, on screen.
const readingPosition = (page) => page.evaluate(() => {
  for (const a of document.querySelectorAll('#causerie article')) {
    const r = a.getBoundingClientRect();
    if (r.bottom > 40) return { id: a.dataset.id, top: r.top };
  }
  return null;
});
const articleIds = (page) => page.evaluate(() => [...document.querySelectorAll('#causerie article')].map((a) => Number(a.dataset.id)));

test('a comment posted in one page shows as the pill in another within a second, and reveals on click', async () => {
  const server = await startServer(['--moderation', 'open', '--rate-post', '0'], { seedDemo: false });
  try {
    const thread = '/2026/12/direct';
    await postComments(server.url, thread, specs(12, 'Avis'));
    const writer = await openReader(server.url, thread);
    const reader = await openReader(server.url, thread);
    const before = await readingPosition(reader.page);
    const heading = await reader.page.locator('#causerie h2').textContent();
    assert.match(heading, /^12 réflexions/);

    const sent = Date.now();
    const posted = await writer.page.evaluate(() => document.getElementById('causerie').causerie.postComment({
      name: 'Nadia', email: 'nadia@example.org', body: 'Je réagis en direct.' }));
    assert.equal(posted.ok, true, JSON.stringify(posted));
    await reader.page.waitForFunction(() => /1 nouveau commentaire/.test(document.querySelector('#causerie [role=status]').textContent),
      null, { timeout: 1000 });
    console.log(`# the reader was told of the new comment ${Date.now() - sent} ms after it was sent`);
    await reader.page.waitForFunction(() => document.querySelector('#causerie button[data-key=reveal]'));
    assert.equal(await pillLabel(reader.page), '1 nouveau commentaire');
    // Nothing moved under the reader's eyes, and the comment is not in the thread yet.
    assert.deepEqual(await readingPosition(reader.page), before);
    assert.ok(!(await articleIds(reader.page)).includes(posted.id));
    // The pill is drawn at the top of the visible part of the thread.
    const canvas = await reader.page.locator('#causerie canvas').boundingBox();
    const shot = await reader.page.screenshot({ clip: { x: canvas.x, y: Math.max(0, canvas.y), width: canvas.width, height: 240 } });
    writeFileSync(join(process.env.CAUSERIE_SCREENSHOTS || '/tmp', 'causerie-live-pill.png'), shot);
    // Two more while the first waits: one pill, the count follows.
    await postComments(server.url, thread, [{ name: 'Paul', body: 'Moi aussi.' }, { name: 'Lise', body: 'Et moi.' }]);
    await reader.page.waitForFunction(() => /3 nouveaux commentaires/.test(
      document.querySelector('#causerie button[data-key=reveal]')?.textContent || ''), null, { timeout: 5000 });
    assert.deepEqual(await readingPosition(reader.page), before);

    // A click on the pill: the three join the thread, the count says 15, the first is brought into view.
    await reader.page.mouse.click(canvas.x + canvas.width / 2, Math.max(0, canvas.y) + 22);
    await reader.page.waitForFunction(() => !document.querySelector('#causerie button[data-key=reveal]'), null, { timeout: 5000 });
    await nextFrames(reader.page);
    assert.match(await reader.page.locator('#causerie h2').textContent(), /^15 réflexions/);
    const shown = await reader.page.evaluate((id) => {
      const a = document.getElementById('causerie-comment-' + id);
      return a && { top: a.getBoundingClientRect().top, text: a.textContent };
    }, posted.id);
    assert.ok(shown, 'the revealed comment is in the thread');
    assert.match(shown.text, /Je réagis en direct/);
    assert.ok(shown.top >= -1 && shown.top < 700, `the revealed comment is on screen (top ${shown.top})`);
    assert.deepEqual(writer.errors, []);
    assert.deepEqual(reader.errors, []);
    await writer.context.close();
    await reader.context.close();
  } finally {
    await server.stop();
  }
});

test('moderation reaches readers: an approved comment arrives, a deleted one goes without moving the text', async () => {
  const dir = join(process.env.TMPDIR || '/tmp');
  const tokenFile = join(dir, `causerie-live-admin-${process.pid}`);
  writeFileSync(tokenFile, 'jeton-de-moderation-assez-long-pour-le-serveur\n');
  const server = await startServer(['--moderation', 'first', '--rate-post', '0', '--admin-token-file', tokenFile],
    { seedDemo: false });
  const admin = (method, path) => fetch(server.url + '/api/v1/moderation' + path, {
    method, headers: { Authorization: 'Bearer jeton-de-moderation-assez-long-pour-le-serveur' } });
  try {
    const thread = '/2026/12/modere';
    // In "first" mode each new author waits once: the site owner approves them all.
    for (const spec of specs(12, 'Avis')) {
      const r = await fetch(`${server.url}/api/v1/threads/${encodeURIComponent(thread)}/comments`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ parent_id: null, author: { name: spec.name, email: spec.name.replace(/\W/g, '') + '@example.org' }, body: spec.body }) });
      assert.equal(r.status, 202);
      assert.equal((await admin('POST', `/comments/${(await r.json()).comment.id}/approve`)).status, 200);
    }
    const reader = await openReader(server.url, thread);
    const ids = await articleIds(reader.page);
    assert.equal(ids.length >= 6, true);

    // A newcomer's comment waits: readers see nothing until the site owner approves it.
    const r = await fetch(`${server.url}/api/v1/threads/${encodeURIComponent(thread)}/comments`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ parent_id: null, author: { name: 'Nouvelle', email: 'nouvelle@example.org' }, body: 'Première fois ici.' }) });
    assert.equal(r.status, 202);
    const waiting = (await r.json()).comment.id;
    await new Promise((done) => setTimeout(done, 500));
    assert.equal(await pillLabel(reader.page), '');
    assert.equal((await admin('POST', `/comments/${waiting}/approve`)).status, 200);
    await reader.page.waitForFunction(() => /1 nouveau commentaire/.test(
      document.querySelector('#causerie button[data-key=reveal]')?.textContent || ''), null, { timeout: 5000 });

    // The site owner deletes a comment above the one being read: it goes, the text stays put.
    const before = await readingPosition(reader.page);
    const above = ids[ids.indexOf(Number(before.id)) - 1];
    assert.ok(above, 'a comment above the reading position');
    assert.equal((await admin('DELETE', `/comments/${above}`)).status, 200);
    await reader.page.waitForFunction((id) => !document.getElementById('causerie-comment-' + id), above, { timeout: 5000 });
    await nextFrames(reader.page);
    const afterDelete = await readingPosition(reader.page);
    assert.equal(afterDelete.id, before.id);
    assert.ok(Math.abs(afterDelete.top - before.top) <= 1, `the text moved: ${before.top} -> ${afterDelete.top}`);
    assert.deepEqual(reader.errors, []);
    await reader.context.close();
  } finally {
    await server.stop();
  }
});

test('the process a reader streams from dies: it resumes on the other with Last-Event-ID and misses nothing', async () => {
  const pg = await startPostgres();
  const servers = [];
  let balancer;
  try {
    const args = ['--moderation', 'open', '--rate-post', '0'];
    servers.push(await startServer(args, { seedDemo: false, db: pg.url }));
    servers.push(await startServer(args, { seedDemo: false, db: pg.url }));
    const [a, b] = servers;
    // Every connection goes to A while it lives, then to B.
    balancer = await startBalancer(servers.map((s) => Number(new URL(s.url).port)));
    const thread = '/2026/12/bascule';
    await postComments(b.url, thread, specs(3, 'Avant'));
    const reader = await openReader(balancer.url, thread);
    await postComments(b.url, thread, [{ name: 'Un', body: 'Posté sur B, vu par A.' }]);
    await reader.page.waitForFunction(() => document.querySelector('#causerie button[data-key=reveal]'), null, { timeout: 5000 });

    a.child.kill('SIGKILL');
    await new Promise((done) => a.child.once('exit', done));
    // Posted while the reader has no stream at all.
    await postComments(b.url, thread, [{ name: 'Deux', body: 'Pendant la coupure.' }, { name: 'Trois', body: 'Encore.' }]);
    await reader.page.waitForFunction(() => /3 nouveaux commentaires/.test(
      document.querySelector('#causerie button[data-key=reveal]')?.textContent || ''), null, { timeout: 15000 });
    assert.equal(await reader.page.evaluate(() => document.getElementById('causerie').causerie.stats().live), true);
    await reader.page.evaluate(() => document.querySelector('#causerie button[data-key=reveal]').click());
    await reader.page.waitForFunction(() => document.querySelectorAll('#causerie article').length === 6, null, { timeout: 5000 });
    const ids = await articleIds(reader.page);
    assert.equal(new Set(ids).size, 6);
    assert.match(await reader.page.locator('#causerie h2').textContent(), /^6 réflexions/);
    assert.deepEqual(reader.errors, []);
    await reader.context.close();
  } finally {
    await balancer?.close();
    for (const s of servers) await s.stop().catch(() => {});
    pg.stop();
  }
});

test('no stream while the tab is hidden or the thread far off screen; it resumes from where it was', async () => {
  const server = await startServer(['--moderation', 'open', '--rate-post', '0'], { seedDemo: false });
  try {
    const thread = '/2026/12/cache';
    await postComments(server.url, thread, specs(2, 'Avis'));
    const reader = await openReader(server.url, thread);
    // Scrolled back to the top of a long article: the stream closes after a while.
    await reader.page.evaluate(() => window.scrollTo(0, 0));
    await reader.page.waitForFunction(() => !document.getElementById('causerie').causerie.stats().live, null, { timeout: 20000 });
    await postComments(server.url, thread, [{ name: 'Absent', body: 'Posté pendant que le lecteur lisait l’article.' }]);
    // Back to the comments: reopened from its last position, the comment missed arrives.
    await reader.page.evaluate(() => window.scrollTo(0, document.getElementById('causerie').offsetTop));
    await reader.page.waitForFunction(() => /1 nouveau commentaire/.test(
      document.querySelector('#causerie button[data-key=reveal]')?.textContent || ''), null, { timeout: 10000 });
    assert.deepEqual(reader.errors, []);
    await reader.context.close();
  } finally {
    await server.stop();
  }
});
