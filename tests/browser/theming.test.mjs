// Theming: built-in themes paint their colours, CSS custom properties on
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

test('--causerie-font: url(...) and --causerie-font-family change the typeface; a broken URL keeps the page\'s font and warns', async () => {
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
  const builtin = await shot('');   // the page's own family (sans-serif)
  const custom = await shot('--causerie-font: url("/fonts/site-serif.ttf");');
  const broken = await shot('--causerie-font: url(/fonts/missing.ttf);');
  const listed = await shot('--causerie-font-family: "DejaVu Sans Mono", monospace;');
  const invalid = await shot('--causerie-font-family: 12px;');
  // Pixels that differ from the page font's picture (by more than anti-aliasing noise).
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
  const listedDiff = await differing(builtin, listed), invalidDiff = await differing(builtin, invalid);
  await context.close();
  assert.ok(customDiff > 2000, `the site font changed only ${customDiff} pixels`);
  assert.ok(brokenDiff < 50, `a broken font URL changed ${brokenDiff} pixels: it should draw with the page's font`);
  assert.ok(listedDiff > 2000, `--causerie-font-family changed only ${listedDiff} pixels`);
  assert.ok(invalidDiff < 50, `an invalid --causerie-font-family changed ${invalidDiff} pixels`);
  assert.deepEqual(custom.warnings.filter((w) => w.includes('font')), []);
  assert.ok(invalid.warnings.some((w) => w.includes('--causerie-font-family must be a CSS font-family list, not 12px')), invalid.warnings.join('\n'));
  assert.ok(broken.warnings.some((w) => /font \/fonts\/missing\.ttf not loaded \(HTTP 404\)/.test(w)), broken.warnings.join('\n'));
});

// ---- Cards: rounded corners and shadows from the signed-distance shader ----

// Opens the demo thread on a grey page, with cards themed by `css`, at a device
// pixel ratio; returns the page and a screenshot of the canvas (device pixels).
async function openCards(css, dpr) {
  const context = await browser.newContext({ viewport: { width: 900, height: 900 }, deviceScaleFactor: dpr });
  const page = await context.newPage();
  await routePage(context, server.url, '/theme-test/', page_html({ pageStyle: 'background:#808080;color:#111111', headStyle: `#causerie { ${css} }` }));
  await page.goto(server.url + '/theme-test/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  await nextFrames(page);
  await nextFrames(page);
  const png = await page.locator('#causerie canvas').screenshot();
  return { context, page, png };
}

// The first card's edges in device pixels, from the pixels alone: its top where a
// column in the middle first turns white, its left and right edges on a row below
// the corners, its bottom where a column inside its right padding stops being white.
// Coverage of a pixel: (value - background) / (card - background), green channel.
const FIND_CARD = `
  const img = new Image();
  img.src = 'data:image/png;base64,' + b64;
  await img.decode();
  const W = img.width, H = img.height;
  const c = new OffscreenCanvas(W, H);
  const g = c.getContext('2d');
  g.drawImage(img, 0, 0);
  const d = g.getImageData(0, 0, W, H).data;
  const px = (x, y) => d[(y * W + x) * 4 + 1];
  const BG = 128, CARD = 255;
  const cov = (x, y) => (px(x, y) - BG) / (CARD - BG);
  const mid = Math.floor(W / 2);
  let top = -1;
  for (let y = 0; y < H && top < 0; y++) if (cov(mid, y) > 0.02 && cov(mid, y + 1) > 0.98 && cov(mid, y + 2) > 0.98) top = y;
  const topEdge = top + 1 - Math.min(1, cov(mid, top));
  const row = Math.round(topEdge + 20 * dpr);
  let left = -1, right = -1;
  for (let x = 0; x < W && left < 0; x++) if (cov(x, row) > 0.02) left = x;
  for (let x = W - 1; x >= 0 && right < 0; x--) if (cov(x, row) > 0.02) right = x;
  const leftEdge = left + 1 - Math.min(1, cov(left, row));
  const rightEdge = right + Math.min(1, cov(right, row));
  const col = Math.round(rightEdge - 14 * dpr);
  let bottom = -1;
  for (let y = row; y < H && bottom < 0; y++) if (px(col, y) < 250) bottom = y;
`;

for (const dpr of [1, 2]) {
  test(`cards: the corners are anti-aliased along the true circle at devicePixelRatio ${dpr}`, async () => {
    const R = 12;
    const { context, page, png } = await openCards(
      '--causerie-background: #808080; --causerie-card: #ffffff; --causerie-card-border: 0; --causerie-radius: 12px; --causerie-shadow: none;', dpr);
    const r = await page.evaluate(new Function('[b64, dpr, R]', `return (async () => {${FIND_CARD}
      // Every pixel of the top-left corner square: coverage against the ideal circle's.
      const cx = leftEdge + R * dpr, cy = topEdge + R * dpr;
      let worst = 0, partial = 0, n = 0;
      for (let y = Math.floor(topEdge) - 1; y < cy; y++) {
        for (let x = Math.floor(leftEdge) - 1; x < cx; x++) {
          const dist = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
          const expected = Math.min(1, Math.max(0, 0.5 - (dist - R * dpr)));
          const actual = Math.min(1, Math.max(0, cov(x, y)));
          worst = Math.max(worst, Math.abs(actual - expected));
          if (actual > 0.06 && actual < 0.94) partial++;
          n++;
        }
      }
      return { top, left, right, worst, partial, n, corner: px(Math.floor(leftEdge), Math.floor(topEdge)) };
    })()`), [png.toString('base64'), dpr, R]);
    await context.close();
    assert.ok(r.top > 0 && r.left > 0 && r.right > r.left, JSON.stringify(r));
    // The very corner is the page's grey, not the card's white.
    assert.ok(r.corner < 140, `corner pixel ${r.corner}: the card is not rounded`);
    // Within 0.2 of exact coverage everywhere (a tessellated arc or a 2 px fringe is not).
    assert.ok(r.worst < 0.2, `coverage off by up to ${r.worst.toFixed(2)} from the circle (${JSON.stringify(r)})`);
    // Anti-aliased all along the quarter circle: about one partial pixel per device pixel of arc.
    assert.ok(r.partial >= Math.PI / 2 * R * dpr * 0.7, `${r.partial} partially covered pixels on the arc`);
  });

  test(`cards: the shadow under a card is CSS's gaussian box-shadow at devicePixelRatio ${dpr}`, async () => {
    // 0 6px 12px: sigma 6px, offset 6px down; half-black on the grey page.
    const { context, page, png } = await openCards(
      '--causerie-background: #808080; --causerie-card: #ffffff; --causerie-card-border: 0; --causerie-radius: 8px; ' +
      '--causerie-shadow: 0 6px 12px rgba(0, 0, 0, 0.5); --causerie-spacing: 40px;', dpr);
    const r = await page.evaluate(new Function('[b64, dpr]', `return (async () => {${FIND_CARD}
      // Darkness of the page below the card's bottom edge, in the middle of the card,
      // against 0.5 * (1 - erf((t - 6) / (6 sqrt 2))) / 2 at t CSS px below the edge.
      const erf = (x) => {  // Abramowitz and Stegun 7.1.26
        const s = Math.sign(x), a = Math.abs(x), t = 1 / (1 + 0.3275911 * a);
        return s * (1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a));
      };
      const profile = [];
      let worst = 0;
      for (let t = 2; t <= 24; t += 2) {
        const y = Math.round(bottom + t * dpr);
        const dark = (BG - px(mid, y)) / BG;
        const expected = 0.5 * 0.5 * (1 - erf((t - 6) / (6 * Math.SQRT2)));
        profile.push([t, +dark.toFixed(3), +expected.toFixed(3)]);
        worst = Math.max(worst, Math.abs(dark - expected));
      }
      // Above the card the shadow is fainter (it is offset downwards).
      const above = (BG - px(mid, Math.round(topEdge - 3 * dpr))) / BG;
      // 3 sigma past the offset: nothing (the next card's own shadow starts further down).
      const far = px(mid, Math.round(bottom + 26 * dpr));
      return { top, bottom, worst, profile, above, far };
    })()`), [png.toString('base64'), dpr]);
    await context.close();
    assert.ok(r.top > 0 && r.bottom > r.top, JSON.stringify(r));
    assert.ok(r.worst < 0.04, `shadow profile off by ${r.worst.toFixed(3)}: ${JSON.stringify(r.profile)}`);
    assert.ok(r.profile[0][1] > 0.15, `no shadow under the card: ${JSON.stringify(r.profile)}`);
    assert.ok(r.above < r.profile[0][1] / 2, `shadow above ${r.above} vs below ${r.profile[0][1]}`);
    assert.ok(Math.abs(r.far - 128) <= 2, `the shadow reaches too far: ${r.far}`);
  });
}

test('built-in themes: light cards with a shadow, contrast cards with a strong border and none', async () => {
  async function shot(theme) {
    const { context, page } = await open(page_html({ theme, pageStyle: 'background:#808080;color:#000' }));
    await nextFrames(page);
    const png = await page.locator('#causerie canvas').screenshot();
    // Along a row under the first card's top edge, from the left: what is between
    // the page background and the card's fill (shadow or border).
    const r = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      c.getContext('2d').drawImage(img, 0, 0);
      const d = c.getContext('2d').getImageData(0, 0, img.width, img.height).data;
      const at = (x, y) => { const i = (y * img.width + x) * 4; return [d[i], d[i + 1], d[i + 2]]; };
      const bg = at(img.width - 2, 2);
      const same = (p, q) => Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1]) + Math.abs(p[2] - q[2]) <= 6;
      // The card's top: the first row in the middle column that is not the background.
      const mid = img.width >> 1;
      let top = -1;
      for (let y = 60; y < img.height && top < 0; y++) if (!same(at(mid, y), bg)) top = y;
      const row = top + 30;
      // (left of the avatar, which starts one font size inside the card)
      const line = [];
      for (let x = 0; x < 18; x++) line.push(at(x, row));
      return { bg, top, line };
    }, png.toString('base64'));
    await context.close();
    return r;
  }
  const light = await shot('light');
  // Light: white card on white, and a grey shadow at its left edge between them.
  assert.ok(light.line.some((p) => p[0] < 250 && p[0] > 200), `no shadow at the light card's edge: ${JSON.stringify(light.line)}`);
  const contrast = await shot('contrast');
  // Contrast: black on black, a white border at least 2 px wide, no grey shadow.
  const white = contrast.line.filter((p) => p[0] > 240 && p[1] > 240).length;
  assert.ok(white >= 2, `contrast card border: ${JSON.stringify(contrast.line)}`);
  assert.ok(!contrast.line.some((p) => p[0] > 20 && p[0] < 100), `contrast shows a shadow: ${JSON.stringify(contrast.line)}`);
});

// ---- Stylesheet swaps ----

test('adding, swapping, removing a stylesheet or changing its media re-themes; an idle page still draws nothing', async () => {
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  const css = (bg) => `#causerie { --causerie-background: ${bg}; }`;
  await context.route(server.url + '/sheets/a.css', (r) => r.fulfill({ contentType: 'text/css', body: css('#203040') }));
  // b.css arrives late: the re-theme must wait for it to load, not only for the swap.
  await context.route(server.url + '/sheets/b.css', async (r) => {
    await new Promise((ok) => setTimeout(ok, 400));
    await r.fulfill({ contentType: 'text/css', body: css('#402030') });
  });
  const html = page_html().replace('<style></style>', '<link id="site-theme" rel="stylesheet" href="/sheets/a.css">');
  await routePage(context, server.url, '/theme-test/', html);
  const page = await context.newPage();
  await page.goto(server.url + '/theme-test/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.evaluate(() => document.getElementById('causerie').scrollIntoView({ block: 'start' }));
  const until = async (colour, what) => {
    let s;
    for (let i = 0; i < 40; i++) {
      s = await sample(page);
      if (hex(colour).every((v, k) => Math.abs(v - s.background[k]) <= 2)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assertColour(s.background, colour, 2, what);
  };
  await until('#203040', 'the stylesheet at load');
  // A site's theme switcher replacing the <link>.
  await page.evaluate(() => {
    const old = document.getElementById('site-theme');
    const link = document.createElement('link');
    link.id = 'site-theme';
    link.rel = 'stylesheet';
    link.href = '/sheets/b.css';
    old.replaceWith(link);
  });
  await until('#402030', 'after replacing the <link> (late stylesheet)');
  // Changing its href.
  await page.evaluate(() => { document.getElementById('site-theme').href = '/sheets/a.css'; });
  await until('#203040', 'after changing the href');
  // A <style> added at the end of <body>, then its media made not to match.
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<style id="late">#causerie { --causerie-background: #305020; }</style>'));
  await until('#305020', 'after adding a <style>');
  await page.evaluate(() => { document.getElementById('late').media = 'print'; });
  await until('#203040', 'after its media changed to print');
  await page.evaluate(() => { document.getElementById('late').media = 'all'; });
  await until('#305020', 'after its media changed back');
  await page.evaluate(() => document.getElementById('late').remove());
  await until('#203040', 'after removing the <style>');
  // Idle: nothing is drawn while nothing changes (no polling for stylesheets).
  await new Promise((r) => setTimeout(r, 300));
  const before = await page.evaluate(() => document.getElementById('causerie').causerie.stats().frames);
  await new Promise((r) => setTimeout(r, 1000));
  const after = await page.evaluate(() => document.getElementById('causerie').causerie.stats().frames);
  assert.equal(after - before, 0, `${after - before} frames drawn while idle`);
  await context.close();
});

// ---- The form's fields with a site font ----

test('with --causerie-font, a form field draws its text in the site font, and a click puts the caret between the characters drawn', async () => {
  const serif = readFileSync('/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf');
  const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
  await context.route(server.url + '/fonts/site-serif.ttf', (r) => r.fulfill({ contentType: 'font/ttf', body: serif }));
  await routePage(context, server.url, '/theme-test/', page_html({
    headStyle: '#causerie { --causerie-font: url(/fonts/site-serif.ttf); }' }));
  const page = await context.newPage();
  await page.goto(server.url + '/theme-test/');
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  // The fields are set in the site font's FontFace, as the canvas is.
  await page.waitForFunction(() => document.querySelector('.causerie-root').style.getPropertyValue('--causerie-field-font').includes('causerie-site'), null, { timeout: 10000 });
  const field = page.locator('textarea.causerie-field[name="comment"]');
  await field.scrollIntoViewIfNeeded();
  // The field draws its own text, in the site's face.
  assert.match(await field.evaluate((e) => getComputedStyle(e).fontFamily), /^"?causerie-site-/);
  const text = 'Marguerite Yourcenar, Mémoires d’Hadrien, mmmm wwww iiii, Gallimard 1951, relu en mars';
  // Where the field ends the first k characters: the rightmost ink of the field
  // holding only them (the page's sans-serif would end elsewhere: the serif is narrower).
  async function inkEnd(k) {
    await field.fill(text.slice(0, k));
    await field.evaluate((e) => e.blur());   // no caret drawn: only the text's ink
    await nextFrames(page);
    await nextFrames(page);
    const box = await field.boundingBox();
    const png = await page.screenshot({ clip: { x: box.x, y: box.y, width: box.width, height: box.height } });
    return page.evaluate(async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      c.getContext('2d').drawImage(img, 0, 0);
      const d = c.getContext('2d').getImageData(0, 0, img.width, img.height).data;
      let end = -1;
      // Dark ink between the field's borders (3 px in), the caret's column excluded later.
      for (let y = 3; y < img.height - 3; y++)
        for (let x = 3; x < img.width - 3; x++) {
          const i = (y * img.width + x) * 4;
          if (d[i] + d[i + 1] + d[i + 2] < 250) end = Math.max(end, x);
        }
      return end;
    }, png.toString('base64'));
  }
  for (const k of [10, 24, 45, 84]) {
    const end = await inkEnd(k);
    await field.fill(text);
    await nextFrames(page);
    const box = await field.boundingBox();
    await page.mouse.click(box.x + end + 1.5, box.y + 8 + 12);   // the first line
    const at = await field.evaluate((e) => e.selectionStart);
    assert.equal(at, k, `clicked just after the drawn "${text.slice(k - 3, k)}" (x ${end}): the browser put the caret at ${at}`);
  }
  await context.close();
});
