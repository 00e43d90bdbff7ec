// Theming (issue 9): built-in themes paint their colours, CSS custom properties on
// an ancestor re-theme live, `auto` follows the system's colour scheme, and a theme
// below the WCAG contrast minimum is reported in the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, launchBrowser, routePage, nextFrames } from './harness.mjs';

let server, browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const THREAD = '/demo/chine-russie';

function page_html({ theme = '', pageStyle = 'background:#ffffff;color:#111111', headStyle = '' } = {}) {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Thème</title><style>${headStyle}</style></head><body style="margin:0;font:16px/1.5 sans-serif;${pageStyle}">
<main style="max-width:760px;margin:0 auto;padding:24px"><h1>Article</h1>
<div id="causerie"${theme ? ` data-theme="${theme}"` : ''}></div>
<script async src="/causerie.js" data-api="/api/v1" data-thread="${THREAD}" data-lang="fr"></script>
</main></body></html>`;
}

async function open(html, { colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 }, colorScheme });
  const page = await context.newPage();
  const warnings = [];
  page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await routePage(context, server.url, '/theme-test/', html);
  await page.goto(server.url + '/theme-test/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await nextFrames(page);
  return { context, page, warnings };
}

// From a screenshot of the canvas: the colour at its top-right corner (the pad,
// nothing drawn but the background) and, in the header band, the pixel farthest
// from that background (the core of the header's glyphs).
async function sample(page) {
  await nextFrames(page);
  const png = await page.locator('#causerie canvas').screenshot();
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = 'data:image/png;base64,' + b64;
    await img.decode();
    const c = new OffscreenCanvas(img.width, img.height);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, img.width, img.height).data;
    const at = (x, y) => { const i = (y * img.width + x) * 4; return [d[i], d[i + 1], d[i + 2]]; };
    const background = at(img.width - 2, 2);
    let text = background, best = -1;
    for (let y = 4; y < Math.min(48, img.height); y++) {
      for (let x = 4; x < Math.min(500, img.width); x++) {
        const p = at(x, y);
        const dist = Math.abs(p[0] - background[0]) + Math.abs(p[1] - background[1]) + Math.abs(p[2] - background[2]);
        if (dist > best) { best = dist; text = p; }
      }
    }
    let accent = 0;   // yellow pixels (the contrast theme's accent)
    for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] > 200 && d[i + 2] < 80) accent++;
    return { background, text, accent };
  }, png.toString('base64'));
}

const hex = (s) => [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
function assertColour(actual, expected, tolerance, what) {
  const e = hex(expected);
  const ok = actual.every((v, i) => Math.abs(v - e[i]) <= tolerance);
  assert.ok(ok, `${what}: rgb(${actual}) is not ${expected}`);
}

const BUILTIN = {
  light: { background: '#ffffff', text: '#1d1d1f' },
  dark: { background: '#1c1d21', text: '#e8e6e3' },
  contrast: { background: '#000000', text: '#ffffff' },
};

for (const [name, colours] of Object.entries(BUILTIN)) {
  test(`data-theme="${name}" paints its background and header text colours`, async () => {
    // The page is a mid grey, so the painted background cannot be the page showing through.
    const { context, page, warnings } = await open(page_html({ theme: name, pageStyle: 'background:#808080;color:#000' }));
    const s = await sample(page);
    assertColour(s.background, colours.background, 2, 'canvas background');
    assertColour(s.text, colours.text, 24, 'header text');
    if (name === 'contrast') assert.ok(s.accent > 50, `only ${s.accent} yellow accent pixels`);
    else assert.equal(s.accent, 0);
    assert.deepEqual(warnings.filter((w) => w.includes('contrast')), []);
    await context.close();
  });
}

test('by default the canvas is transparent and the text follows the page; a custom property on an ancestor re-themes live', async () => {
  const { context, page } = await open(page_html({
    pageStyle: 'background:#f4ecd8;color:#2b2118',
    headStyle: 'html.night { --causerie-background: #203040; --causerie-text: rgb(240 240 240); --causerie-muted: #c0c8d0; --causerie-accent: #ffb454; }',
  }));
  let s = await sample(page);
  assertColour(s.background, '#f4ecd8', 2, 'page through the canvas');
  assertColour(s.text, '#2b2118', 24, 'header text from the page');
  const framesBefore = await page.evaluate(() => document.getElementById('causerie').causerie.stats().frames);
  await page.evaluate(() => document.documentElement.classList.add('night'));
  s = await sample(page);
  assertColour(s.background, '#203040', 2, 'background after the class change');
  assertColour(s.text, '#f0f0f0', 24, 'header text after the class change');
  // Same widget (no reload): its frame count went on.
  const framesAfter = await page.evaluate(() => document.getElementById('causerie').causerie.stats().frames);
  assert.ok(framesAfter > framesBefore, `${framesAfter} frames after, ${framesBefore} before`);
  await page.evaluate(() => document.documentElement.classList.remove('night'));
  s = await sample(page);
  assertColour(s.background, '#f4ecd8', 2, 'page again after removing the class');
  await context.close();
});

test('data-theme="auto" switches live with the emulated colour scheme', async () => {
  const { context, page } = await open(page_html({ theme: 'auto', pageStyle: 'background:#808080' }), { colorScheme: 'light' });
  let s = await sample(page);
  assertColour(s.background, BUILTIN.light.background, 2, 'auto in light');
  await page.emulateMedia({ colorScheme: 'dark' });
  s = await sample(page);
  assertColour(s.background, BUILTIN.dark.background, 2, 'auto in dark');
  assertColour(s.text, BUILTIN.dark.text, 24, 'auto in dark, header text');
  await page.emulateMedia({ colorScheme: 'light' });
  s = await sample(page);
  assertColour(s.background, BUILTIN.light.background, 2, 'auto back in light');
  await context.close();
});

test('a low-contrast theme is drawn but warned about in the console; destroy() stops re-theming', async () => {
  const { context, page, warnings } = await open(page_html({
    headStyle: '#causerie { --causerie-text: #c8c8c8; --causerie-accent: not-a-colour; }',
  }));
  const contrast = warnings.filter((w) => w.startsWith('Causerie:') && w.includes('contrast'));
  assert.equal(contrast.length, 1, warnings.join('\n'));
  assert.match(contrast[0], /text #c8c8c8 on background #ffffff has a contrast of 1\.\d\d:1/);
  assert.ok(warnings.some((w) => w.includes('ignored accent')), warnings.join('\n'));
  const s = await sample(page);
  assertColour(s.text, '#c8c8c8', 24, 'the site\'s text colour is still used');
  // After destroy(), class changes are not observed any more (no warning, no error).
  const before = warnings.length;
  await page.evaluate(() => {
    document.getElementById('causerie').causerie.destroy();
    document.body.style.setProperty('--causerie-text', '#d0d0d0');
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(warnings.length, before);
  await context.close();
});

test('data-theme naming a theme file applies its keys; custom properties win over it; the form fields follow the type size', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  await context.route(server.url + '/site-theme.json', (r) => r.fulfill({
    contentType: 'application/json',
    body: JSON.stringify({ background: '#102030', text: '#fafafa', 'font-size': '20px', '--causerie-accent': '#ffffff' }),
  }));
  const html = page_html({ theme: '/site-theme.json', headStyle: '#causerie { --causerie-accent: #ffcc00; }' });
  await routePage(context, server.url, '/theme-test/', html);
  const page = await context.newPage();
  await page.goto(server.url + '/theme-test/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await page.waitForFunction(() => document.querySelector('.causerie-root').style.getPropertyValue('--causerie-field-size') === '20px');
  const s = await sample(page);
  assertColour(s.background, '#102030', 2, 'background from the theme file');
  assertColour(s.text, '#fafafa', 24, 'text from the theme file');
  assert.ok(s.accent > 50, `only ${s.accent} accent pixels: the custom property's #ffcc00 should win`);
  const fieldFont = await page.evaluate(() => getComputedStyle(document.querySelector('.causerie-field')).fontSize);
  assert.equal(fieldFont, '20px');
  await context.close();
});

test('--causerie-font: url(...) draws the text in the site\'s typeface; a broken URL keeps the built-in font and warns', async () => {
  const serif = readFileSync('/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf');
  async function shot(fontCss) {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    await context.route(server.url + '/fonts/site-serif.ttf', (r) => r.fulfill({ contentType: 'font/ttf', body: serif }));
    await context.route(server.url + '/fonts/missing.ttf', (r) => r.fulfill({ status: 404, body: 'no' }));
    const page = await context.newPage();
    const warnings = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await routePage(context, server.url, '/theme-test/', page_html({ headStyle: `#causerie { ${fontCss} }` }));
    await page.goto(server.url + '/theme-test/');
    await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
    await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
    await new Promise((r) => setTimeout(r, 500));   // the font file's fetch
    await nextFrames(page);
    const png = await page.locator('#causerie canvas').screenshot({ clip: { x: 0, y: 0, width: 700, height: 300 } });
    const dark = (await sample(page)).text;
    await context.close();
    return { png, warnings, dark };
  }
  const builtin = await shot('');
  const custom = await shot('--causerie-font: url("/fonts/site-serif.ttf");');
  const broken = await shot('--causerie-font: url(/fonts/missing.ttf);');
  // Pixels that differ from the built-in font's picture (by more than anti-aliasing noise).
  const context = await browser.newContext();
  const page = await context.newPage();
  const differing = (a, b) => page.evaluate(async ([a64, b64]) => {
    const data = async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      c.getContext('2d').drawImage(img, 0, 0);
      return c.getContext('2d').getImageData(0, 0, img.width, img.height).data;
    };
    const [x, y] = [await data(a64), await data(b64)];
    let n = 0;
    for (let i = 0; i < x.length; i += 4)
      if (Math.abs(x[i] - y[i]) + Math.abs(x[i + 1] - y[i + 1]) + Math.abs(x[i + 2] - y[i + 2]) > 60) n++;
    return n;
  }, [a.png.toString('base64'), b.png.toString('base64')]);
  const customDiff = await differing(builtin, custom), brokenDiff = await differing(builtin, broken);
  await context.close();
  assert.ok(customDiff > 2000, `the site font changed only ${customDiff} pixels`);
  assert.ok(brokenDiff < 50, `a broken font URL changed ${brokenDiff} pixels: it should draw with the built-in font`);
  assert.deepEqual(custom.warnings.filter((w) => w.includes('font')), []);
  assert.ok(broken.warnings.some((w) => /font \/fonts\/missing\.ttf not loaded \(HTTP 404\)/.test(w)), broken.warnings.join('\n'));
});
