#!/usr/bin/env node
// The screenshot of docs/import.md: a real WordPress (tests/wordpress/stack.mjs, its
// French thread with nested replies) shows its own comment section (left); its
// export (export_wp()) imported by `causerie-server import` is shown by the widget
// from a real causerie-server (right). Headless Chromium, the same width for both.
//   CAUSERIE_SERVER_BIN=build/native/src/server/causerie-server \
//   CAUSERIE_WEB_DIR=build/wasm/web node tools/wordpress-beside.mjs [out.png]
// Writes docs/import/wordpress-beside.png by default.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, routePage, articlePage } from '../tests/browser/harness.mjs';
import { startWordPress } from '../tests/wordpress/stack.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] || join(root, 'docs/import/wordpress-beside.png'));
const width = 720;

const wp = await startWordPress();
const dir = mkdtempSync(join(tmpdir(), 'causerie-beside-'));
let server, browser;
try {
  // WordPress's own export, imported as a site owner would.
  const wxr = join(dir, 'export.xml');
  writeFileSync(wxr, execFileSync('php', [join(root, 'tests/wordpress/export.php'), wp.root], { cwd: wp.root, maxBuffer: 64 << 20 }));
  const db = `sqlite:${join(dir, 'causerie.db')}`;
  process.stdout.write(execFileSync(process.env.CAUSERIE_SERVER_BIN, ['import', '--db', db, '--from', 'wordpress', wxr], { encoding: 'utf8' }));
  server = await startServer([], { seedDemo: false, db });
  // WordPress's own comments: the stack's plugin (which puts the widget there) off,
  // so comments_template() is WordPress's.
  await wp.sql("UPDATE wp_options SET option_value = 'a:0:{}' WHERE option_name = 'active_plugins'");

  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: width + 80, height: 900 }, locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(wp.link);
  const wpList = page.locator('#comments, .commentlist');
  await wpList.first().waitFor();
  // From the « N réflexions » heading to the end of the list.
  const wpShot = await page.evaluate(() => {
    const a = document.querySelector('#comments').getBoundingClientRect();
    const b = document.querySelector('.commentlist').getBoundingClientRect();
    return { x: Math.min(a.left, b.left) - 8, y: a.top + window.scrollY - 8, width: Math.max(a.width, b.width) + 16, height: b.bottom - a.top + 16 };
  });
  const left = await page.screenshot({ clip: wpShot, fullPage: true });

  const key = new URL(wp.link).pathname;
  const title = await page.locator('h1').first().textContent();
  await routePage(context, server.url, key, articlePage({ thread: key, title }).replace('<p style="height:900px">Texte de l’article.</p>', ''));
  await page.goto(server.url + key);
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  // The thread: from the widget's top to above the form's title, notes and first label.
  const widgetShot = await page.evaluate(() => {
    const box = document.querySelector('#causerie').getBoundingClientRect();
    const field = document.querySelector('textarea[name=comment]').getBoundingClientRect();
    return { x: box.left - 8, y: box.top + window.scrollY, width: box.width + 16, height: field.top - box.top - 110 };
  });
  const right = await page.screenshot({ clip: widgetShot, fullPage: true });

  // Side by side, each under its label.
  const png = await page.evaluate(async ([a, b]) => {
    const load = async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      return img;
    };
    const [A, B] = await Promise.all([load(a), load(b)]);
    const gap = 32, label = 34;
    const c = document.createElement('canvas');
    c.width = A.width + gap + B.width;
    c.height = label + Math.max(A.height, B.height);
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, c.width, c.height);
    g.fillStyle = '#555';
    g.font = 'bold 15px sans-serif';
    g.fillText('WordPress (son propre modèle de commentaires)', 8, 22);
    g.fillText('Causerie, après causerie-server import', A.width + gap + 8, 22);
    g.drawImage(A, 0, label);
    g.drawImage(B, A.width + gap, label);
    g.fillStyle = '#ddd';
    g.fillRect(A.width + gap / 2 - 1, label, 2, c.height - label);
    return c.toDataURL('image/png').slice('data:image/png;base64,'.length);
  }, [left.toString('base64'), right.toString('base64')]);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, Buffer.from(png, 'base64'));
  console.log(`wrote ${out}`);
  await context.close();
} finally {
  await browser?.close();
  await server?.stop();
  await wp.stop();
  rmSync(dir, { recursive: true, force: true });
}
