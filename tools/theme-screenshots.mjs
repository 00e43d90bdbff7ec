#!/usr/bin/env node
// Screenshots of the demo thread in each built-in theme and in two custom ones, for
// docs/theming.md: the real widget, served by the real server, in headless Chromium.
//   CAUSERIE_SERVER_BIN=build/native/src/server/causerie-server \
//   CAUSERIE_WEB_DIR=build/wasm/web node tools/theme-screenshots.mjs [out-dir]
// Writes <out-dir>/<name>.png (default docs/theming/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, launchBrowser, routePage, nextFrames } from '../tests/browser/harness.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] || join(root, 'docs/theming'));

// name: [data-theme, page style, CSS on the container, {dpr, clip} (default 1, the whole view)]
const SHOTS = {
  light: ['light', 'background:#ffffff;color:#1d1d1f', ''],
  dark: ['dark', 'background:#1c1d21;color:#e8e6e3', ''],
  contrast: ['contrast', 'background:#000;color:#fff', ''],
  'page-default': ['', 'background:#f4ecd8;color:#2b2118;font-size:17px', ''],
  newspaper: ['', 'background:#f7f3ea;color:#1a1a1a;font-family:Georgia,serif', `
    --causerie-background: #f7f3ea; --causerie-text: #1a1a1a; --causerie-muted: #5a5248;
    --causerie-accent: #8b1a1a; --causerie-border: #cfc6b4; --causerie-radius: 0;
    --causerie-font-size: 17px; --causerie-line-height: 1.65; --causerie-spacing: 18px;
    --causerie-avatar: none; --causerie-max-depth: 3;
    --causerie-font: url(/fonts/serif-regular.ttf); --causerie-font-bold: url(/fonts/serif-bold.ttf);
    --causerie-font-italic: url(/fonts/serif-italic.ttf);`],
  neon: ['', 'background:#0d0221;color:#e0e0ff', `
    --causerie-background: #0d0221; --causerie-text: #e8e6ff; --causerie-muted: #a9a4d9;
    --causerie-accent: #ff2a6d; --causerie-border: #3d2a6e; --causerie-radius: 12px;
    --causerie-avatar: square; --causerie-spacing: 16px;
    --causerie-card: #170837; --causerie-shadow: 0 0 14px rgba(255, 42, 109, 0.45);`],
  // A card's corner and shadow at devicePixelRatio 3: still smooth, not tessellated.
  'corner-3x': ['light', 'background:#ffffff;color:#1d1d1f', '', { dpr: 3, clip: { x: 0, y: 30, width: 240, height: 120 } }],
};

function html(theme, pageStyle, containerCss) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Chine-Russie</title><style>#causerie {${containerCss}}</style></head>
<body style="margin:0;${pageStyle}"><main style="max-width:760px;margin:0 auto;padding:24px">
<div id="causerie"${theme ? ` data-theme="${theme}"` : ''}></div>
<script async src="/causerie.js" data-api="/api/v1" data-thread="/demo/chine-russie" data-lang="fr"></script>
</main></body></html>`;
}

const server = await startServer();
const browser = await launchBrowser();
try {
  mkdirSync(out, { recursive: true });
  for (const [name, [theme, pageStyle, css, shot = {}]] of Object.entries(SHOTS)) {
    const context = await browser.newContext({ viewport: { width: 808, height: 640 }, deviceScaleFactor: shot.dpr || 1 });
    const page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'warning') console.warn(`${name}: ${m.text()}`); });
    await routePage(context, server.url, '/shot/', html(theme, pageStyle, css));
    // The newspaper's typeface, as a site would serve it (Debian's Noto Serif).
    for (const face of ['Regular', 'Bold', 'Italic'])
      await context.route(`${server.url}/fonts/serif-${face.toLowerCase()}.ttf`, (r) => r.fulfill({
        contentType: 'font/ttf', body: readFileSync(`/usr/share/fonts/truetype/noto/NotoSerif-${face}.ttf`) }));
    await page.goto(server.url + '/shot/');
    await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
    await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
    await new Promise((r) => setTimeout(r, css.includes('--causerie-font') ? 1500 : 0));  // font files
    await nextFrames(page);
    await nextFrames(page);
    const file = join(out, name + '.png');
    writeFileSync(file, await page.screenshot({ clip: shot.clip || { x: 0, y: 0, width: 808, height: 640 } }));
    console.log(file);
    await context.close();
  }
} finally {
  await browser.close();
  await server.stop();
}
