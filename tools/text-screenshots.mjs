#!/usr/bin/env node
// Screenshots for docs/text.md: each comment of tests/corpus/multilingual.json as the
// widget draws it (left) beside the same text laid out and drawn by the DOM in the
// same font, size and width (right), from the real server and the real widget in
// headless Chromium; the same pictures text.test.mjs compares.
//   CAUSERIE_SERVER_BIN=build/native/src/server/causerie-server \
//   CAUSERIE_WEB_DIR=build/wasm/web node tools/text-screenshots.mjs [out-dir]
// Writes <out-dir>/<key>.png (default docs/text/).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, postComments } from '../tests/browser/harness.mjs';
import { corpus, thread, openThread, layOutReferences, shootComment } from '../tests/browser/text_compare.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] || join(root, 'docs/text'));

const server = await startServer(['--rate-post', '0', '--moderation', 'open'], { seedDemo: false });
const browser = await launchBrowser();
try {
  mkdirSync(out, { recursive: true });
  const ids = await postComments(server.url, thread, corpus.map((c) => ({ parent: null, name: c.name, body: c.body })), 1);
  const { context, page } = await openThread(browser, server.url, { width: 760 });
  const { comments, L } = await layOutReferences(page);
  for (const c of comments) {
    const row = corpus[ids.indexOf(c.id)];
    const { widget, reference } = await shootComment(page, c, L);
    // Side by side, each under its label, on the page's background.
    const png = await page.evaluate(async ([a, b, left, right]) => {
      const load = async (b64) => {
        const img = new Image();
        img.src = 'data:image/png;base64,' + b64;
        await img.decode();
        return img;
      };
      const [A, B] = await Promise.all([load(a), load(b)]);
      const gap = 24, label = 26;
      const c = document.createElement('canvas');
      c.width = A.width + gap + B.width;
      c.height = label + Math.max(A.height, B.height);
      const g = c.getContext('2d');
      g.fillStyle = '#fff';
      g.fillRect(0, 0, c.width, c.height);
      g.fillStyle = '#666';
      g.font = '13px sans-serif';
      g.fillText(left, 4, 17);
      g.fillText(right, A.width + gap + 4, 17);
      g.drawImage(A, 0, label);
      g.drawImage(B, A.width + gap, label);
      g.strokeStyle = '#ddd';
      g.beginPath();
      g.moveTo(A.width + gap / 2, 0);
      g.lineTo(A.width + gap / 2, c.height);
      g.stroke();
      return c.toDataURL('image/png').split(',')[1];
    }, [widget.toString('base64'), reference.toString('base64'), `${row.script}: the widget (canvas)`, 'the DOM']);
    writeFileSync(join(out, `${row.key}.png`), Buffer.from(png, 'base64'));
    console.log(`${row.key}.png`);
  }
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
