// A WordPress thread imported with `causerie-server import`: the old site's links to
// a comment (#comment-<WordPress id>) open the widget at that comment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launchBrowser, routePage, articlePage } from './harness.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const THREAD = '/2024/05/lisbonne/';
const FIRST_WP_ID = 5001;
const COUNT = 60;

// A WXR export of one post with COUNT comments (every third one a reply), ids
// FIRST_WP_ID on, as WordPress writes them.
function wxr() {
  const comments = [];
  for (let i = 0; i < COUNT; i++) {
    const id = FIRST_WP_ID + i;
    const parent = i % 3 === 2 ? id - 1 : 0;
    const date = new Date(Date.UTC(2024, 4, 2, 8, i)).toISOString().replace('T', ' ').slice(0, 19);
    comments.push(`<wp:comment><wp:comment_id>${id}</wp:comment_id>
<wp:comment_author><![CDATA[Lecteur ${i}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[lecteur${i}@example.org]]></wp:comment_author_email>
<wp:comment_date><![CDATA[${date}]]></wp:comment_date><wp:comment_date_gmt><![CDATA[${date}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[Commentaire ${id} : les tramways de l’Alfama ${'montent encore '.repeat(i % 7)}et redescendent.]]></wp:comment_content>
<wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]></wp:comment_type>
<wp:comment_parent>${parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>`);
  }
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Carnets</title><link>https://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://old.example.org</wp:base_site_url>
<item><title><![CDATA[Lisbonne en tramway]]></title><link>https://old.example.org${THREAD}</link>
<wp:post_id>77</wp:post_id><wp:post_type><![CDATA[post]]></wp:post_type><wp:status><![CDATA[publish]]></wp:status>
${comments.join('\n')}
</item></channel></rss>`;
}

test('#comment-<WordPress id> from the old site scrolls to the imported comment', async () => {
  const server = await startServer();
  try {
    const file = join(server.dir, 'export.xml');
    writeFileSync(file, wxr());
    execFileSync(process.env.CAUSERIE_SERVER_BIN,
      ['import', '--db', `sqlite:${join(server.dir, 'causerie.db')}`, '--from', 'wordpress', file]);
    const wordpressId = FIRST_WP_ID + 51;
    const api = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent(THREAD)}/imported/${wordpressId}`)).json();
    const page0 = await (await fetch(`${server.url}/api/v1/threads/${encodeURIComponent(THREAD)}/comments?limit=200`)).json();
    const target = page0.comments.find((c) => c.body.startsWith(`Commentaire ${wordpressId} `));
    assert.equal(api.id, target.id);
    assert.notEqual(target.id, wordpressId);  // Causerie numbered it anew

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await routePage(context, server.url, THREAD, articlePage({ thread: THREAD, title: 'Lisbonne en tramway' }));
    const page = await context.newPage();
    await page.goto(`${server.url}${THREAD}#comment-${wordpressId}`);
    await page.waitForSelector('#causerie[data-state="ready"]');
    // There: the comment's mirror article is on screen, near the top.
    const article = page.locator(`#causerie-comment-${target.id}`);
    await article.waitFor({ state: 'attached', timeout: 15000 });
    await page.waitForFunction((id) => {
      const r = document.getElementById(`causerie-comment-${id}`)?.getBoundingClientRect();
      return r && r.top >= -2 && r.top < 200;
    }, target.id, { timeout: 15000 });
    assert.match(await article.textContent(), new RegExp(`Commentaire ${wordpressId}\\b`));

    // The widget's own ids still win: #comment-<Causerie id> goes to that comment.
    const own = page0.comments[10];
    await page.goto(`${server.url}${THREAD}#comment-${own.id}`);
    await page.waitForSelector('#causerie[data-state="ready"]');
    await page.waitForFunction((id) => {
      const r = document.getElementById(`causerie-comment-${id}`)?.getBoundingClientRect();
      return r && r.top >= -2 && r.top < 200;
    }, own.id, { timeout: 15000 });
    await context.close();
  } finally {
    await server.stop();
  }
});
