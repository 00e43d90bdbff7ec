// `causerie-server import --from wordpress` on what WordPress itself exports: the
// stack of stack.mjs (comments made through WordPress's own filters, nested, pending
// and spam), exported by export_wp(), imported into a fresh SQLite database, and
// read back through Causerie's API: the same comments WordPress shows, with the same
// nesting and order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../browser/harness.mjs';
import { startWordPress } from './stack.mjs';

const here = dirname(fileURLToPath(import.meta.url));
let wp, dir;

before(async () => {
  wp = await startWordPress();
  dir = mkdtempSync(join(tmpdir(), 'causerie-wp-import-'));
});
after(async () => {
  await wp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// WordPress stores and serves author names with HTML entities; Causerie stores text.
const text = (html) => html.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&quot;/g, '"').replace(/&#0?39;/g, "'");
const importer = (...args) => execFileSync(process.env.CAUSERIE_SERVER_BIN, ['import', ...args], { encoding: 'utf8' });

test('a WXR from export_wp() imports as the thread WordPress shows', async () => {
  const wxr = join(dir, 'export.xml');
  writeFileSync(wxr, execFileSync('php', [join(here, 'export.php'), wp.root], { cwd: wp.root, maxBuffer: 64 << 20 }));
  const db = `sqlite:${join(dir, 'causerie.db')}`;
  const dry = importer('--db', db, '--from', 'wordpress', wxr, '--dry-run');
  assert.match(dry, /rejected \(not imported\): 0/);
  const report = importer('--db', db, '--from', 'wordpress', wxr);
  // export_wp() leaves spam out; the held comment comes in as pending; WordPress's
  // sample comment on "Hello world!" comes too.
  assert.match(report, /comments imported: 6 \(published 5, pending 1, spam 0, deleted 0\)/);
  assert.match(importer('--db', db, '--from', 'wordpress', wxr), /already imported, left as they are: 6/);

  const r = await fetch(`${wp.api}/wp/v2/comments?post=${wp.postId}&per_page=100&orderby=date_gmt&order=asc`);
  const shown = await r.json();
  const server = await startServer([], { seedDemo: false, db });
  try {
    const key = new URL(wp.link).pathname;
    const page = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent(key)}/comments`)).json();
    assert.equal(page.thread.comment_count, shown.length);
    // Same authors in the same order, the same dates, the same nesting.
    assert.deepEqual(page.comments.map((c) => c.author.name), shown.map((c) => text(c.author_name)));
    assert.deepEqual(page.comments.map((c) => c.created_at), shown.map((c) => c.date_gmt + 'Z'));
    const byWpId = new Map(shown.map((c, k) => [c.id, page.comments[k].id]));
    assert.deepEqual(page.comments.map((c) => c.parent_id), shown.map((c) => (c.parent ? byWpId.get(c.parent) : null)));
    // WordPress's HTML as Causerie's Markdown-lite: a link, emphasis, paragraphs, entities.
    const jp = page.comments.find((c) => c.author.name === 'Jean-Pierre & Fils');
    assert.equal(jp.body, "Je ne suis pas d'accord... Voir [l'article](https://fr.wikipedia.org/wiki/Causerie).\n\nDeuxième paragraphe : *vraiment*.");
    const lucie = page.comments.find((c) => c.author.name === 'Lucie');
    assert.equal(lucie.body, "Question : 5 × 3 = 15\u00a0? **Oui** & c'est tout.");
  } finally {
    await server.stop();
  }
});
