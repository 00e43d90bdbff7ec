// Every script of tests/corpus/multilingual.json, drawn as the browser draws it: for
// each comment, what the widget reports it draws (handle.textReport()) is compared
// with the same text laid out by the DOM in the same font, size and width
// (text_reference.js): the same lines, broken at the same places, runs in the same
// visual order and direction, as wide within 2 %, and ink where the DOM has ink,
// shaped as the DOM draws it (no replacement character, no empty box). Then the
// reply form after typing mixed-direction text, and copy over it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, postComments, nextFrames } from './harness.mjs';
import { corpus, thread, openThread, layOutReferences, compareBlock, compareHeader, compareInkOf, compareForm, MIN_COVERED, MAX_EXTRA } from './text_compare.mjs';

let server, browser;
const ids = new Map();   // comment id -> corpus row
before(async () => {
  server = await startServer(['--rate-post', '0', '--moderation', 'open'], { seedDemo: false });
  browser = await launchBrowser();
  const posted = await postComments(server.url, thread, corpus.map((c) => ({ parent: null, name: c.name, body: c.body })), 1);
  posted.forEach((id, i) => ids.set(id, corpus[i]));
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const nameOf = (id) => ids.get(id)?.key ?? `comment ${id}`;

for (const width of [1100, 420]) {
  test(`each corpus comment is laid out and drawn as the DOM lays it out and draws it (${width} px wide page)`, async () => {
    const { context, page, errors } = await openThread(browser, server.url, { width });
    const { comments, L, size } = await layOutReferences(page);
    assert.ok(L > 0, 'no body of several lines: the line height cannot be read from the report');
    const problems = [];
    const seen = new Set();
    for (const c of comments) {
      const key = nameOf(c.id);
      seen.add(key);
      if (c.blocks.some((b) => !b.styled)) problems.push(`${key}: the report's runs carry no "style" (core's SpanStyle) or "link": the DOM cannot use the same font`);
      c.blocks.forEach(({ block, dom }, b) => problems.push(...compareBlock(`${key} block ${b}`, block, { ...dom, size })));
      problems.push(...compareHeader(key, c.header));
    }
    for (const row of corpus) if (!seen.has(row.key)) problems.push(`${row.key}: not in the text report`);
    for (const c of comments) problems.push(...(await compareInkOf(page, c, L)).map((m) => `${nameOf(c.id)} ${m}`));
    assert.deepEqual(errors, []);
    assert.deepEqual(problems, [], `${problems.length} differences from the DOM:\n${problems.join('\n')}`);
    await context.close();
  });
}

// The comparison is not blind: a widget whose Canvas 2D draws U+FFFD for Arabic or a
// numbered marker left to right in a right-to-left item, or a report whose runs are
// shifted, a line short or reversed, or whose date comes before the name, is caught.
test('the comparison catches a widget drawing replacement characters, and a wrong layout', async () => {
  const { context, page } = await openThread(browser, server.url, {
    width: 1100,
    init: () => {
      const fillText = CanvasRenderingContext2D.prototype.fillText;
      CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
        text = String(text);
        if (/^\d+\.$/.test(text)) this.direction = 'ltr';
        return fillText.call(this, text.replace(/[\u0600-\u06FF]/g, '\uFFFD'), ...rest);
      };
    },
  });
  const { comments, L, size } = await layOutReferences(page);
  const arabic = comments.find((c) => nameOf(c.id) === 'arabic');
  const ink = await compareInkOf(page, arabic, L);
  assert.ok(ink.some((m) => /^block .*drawn unlike the DOM/.test(m)), ink.join('\n'));
  assert.ok(ink.every((m) => /drawn unlike the DOM/.test(m)), ink.join('\n'));
  const list = await compareInkOf(page, comments.find((c) => nameOf(c.id) === 'rtl-quote-list'), L);
  assert.match(list.join('\n'), /marker "1\." of a right-to-left item: drawn unlike the DOM/);
  assert.doesNotMatch(list.join('\n'), /marker "2\."/);
  const rlo = comments.find((c) => nameOf(c.id) === 'rlo-author');
  const swapped = structuredClone(rlo.header);
  [swapped.name.left, swapped.date.left] = [swapped.date.left, swapped.name.left];
  swapped.gap = -swapped.gap;
  assert.match(compareHeader('swapped', swapped).join('\n'), /the date is drawn before the name/);
  const { block, dom } = comments.find((c) => nameOf(c.id) === 'french-guillemets').blocks[0];
  assert.deepEqual(compareBlock('as reported', block, { ...dom, size }), []);
  const shifted = structuredClone(block);
  shifted.lines[1].runs[0].x += 6;
  assert.match(compareBlock('shifted', shifted, { ...dom, size }).join('\n'), /line 1 run 0 .*x .* the DOM's x/);
  const short = structuredClone(block);
  short.lines.pop();
  assert.match(compareBlock('short', short, { ...dom, size }).join('\n'), /lines, the DOM/);
  const rtl = structuredClone(block);
  rtl.rtl = 1;
  assert.match(compareBlock('rtl', rtl, { ...dom, size }).join('\n'), /paragraph direction rtl, the DOM's ltr/);
  await context.close();
});

test('in French, no line starts with » : ; ! ? nor ends with «, at any width', async () => {
  const problems = [];
  for (const width of [360, 390, 420, 480, 560]) {
    const { context, page } = await openThread(browser, server.url, { width });
    const report = await page.evaluate(() => document.getElementById('causerie').causerie.textReport());
    for (const c of report) for (const [b, block] of c.blocks.entries()) {
      block.lines.forEach((l, k) => {
        if (!l.runs.length) return;
        const begin = Math.min(...l.runs.map((r) => r.begin)), end = Math.max(...l.runs.map((r) => r.end));
        const line = block.text.slice(begin, end).trim();
        if (k > 0 && /^[»:;!?]/.test(line)) problems.push(`${nameOf(c.id)} block ${b} line ${k} at ${width} px starts with ${line[0]}: ${JSON.stringify(line.slice(0, 30))}`);
        if (k < block.lines.length - 1 && line.endsWith('«')) problems.push(`${nameOf(c.id)} block ${b} line ${k} at ${width} px ends with «`);
      });
    }
    await context.close();
  }
  assert.deepEqual(problems, []);
});

// Lists and quotes: each marker is a bullet or a number, and stands with the quote
// bars on the side its block starts on (the right of a right-to-left block), as the
// DOM puts them for dir=auto items and quotes.
test('list markers and quote bars stand on the side their block starts on', async () => {
  const { context, page } = await openThread(browser, server.url, { width: 1100 });
  const report = await page.evaluate(() => document.getElementById('causerie').causerie.textReport());
  const c = report.find((x) => nameOf(x.id) === 'rtl-quote-list');
  const problems = [];
  const blockAt = (d) => c.blocks.find((b) => Math.abs(b.top - d.top) < 1);
  const markers = c.decorations.filter((d) => d.kind === 'marker');
  if (markers.length !== 5) problems.push(`${markers.length} list markers, not 5`);
  for (const d of markers) {
    if (!/^(\u2022|\d+\.)$/u.test(d.text)) problems.push(`marker ${JSON.stringify(d.text)}`);
    const b = blockAt(d);
    if (!b) { problems.push(`marker ${d.text} beside no block`); continue; }
    const side = b.rtl ? d.left >= b.left + b.width - 1 : d.right <= b.left + 1;
    if (!side) problems.push(`marker ${d.text} of ${JSON.stringify(b.text)} (${b.rtl ? 'rtl' : 'ltr'}) at ${d.left}..${d.right}, the block at ${b.left}..${b.left + b.width}`);
  }
  const bars = c.decorations.filter((d) => d.kind === 'bar');
  const quote = c.blocks[0];
  if (bars.length !== 1 || !quote.rtl || bars[0].left < quote.left + quote.width) problems.push(`quote bars ${JSON.stringify(bars)}, the quote at ${quote.left}..${quote.left + quote.width}`);
  assert.deepEqual(problems, []);
  await context.close();
});

// The reply field after typing mixed-direction text: what the reader sees in the
// field's box is what the field itself draws of its value (the field made visible,
// the canvas hidden), glyph for glyph.
test('the reply field shows what it holds, in every direction', async () => {
  const typed = 'مرحبا — Bonjour 👍🏽 ❤️ שלום';
  const { context, page, errors } = await openThread(browser, server.url, { width: 900 });
  const field = page.getByLabel('Commentaire *');
  await field.scrollIntoViewIfNeeded();
  await field.focus();
  await page.keyboard.type(typed);
  assert.equal(await field.inputValue(), typed);
  // Without focus: no caret blinking in either picture.
  await field.evaluate((el) => el.blur());
  await nextFrames(page);
  await nextFrames(page);
  const box = await field.evaluate((el) => {
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    const inset = (side) => parseFloat(cs['padding' + side]) + parseFloat(cs['border' + side + 'Width']);
    return { x: r.left + inset('Left'), y: r.top + inset('Top'), width: r.width - inset('Left') - inset('Right'),
      height: Math.min(r.height - inset('Top') - inset('Bottom'), 2 * parseFloat(cs.lineHeight)) };
  });
  const seen = await page.screenshot({ clip: box });
  const colour = await page.evaluate(() => getComputedStyle(document.getElementById('causerie')).color);
  await field.evaluate((el, c) => {
    el.dataset.savedStyle = el.style.cssText;
    el.style.setProperty('color', c, 'important');
    el.style.setProperty('-webkit-text-fill-color', c, 'important');
    el.style.setProperty('caret-color', 'transparent', 'important');
    document.querySelector('#causerie canvas').style.visibility = 'hidden';
  }, colour);
  const held = await page.screenshot({ clip: box });
  if (process.env.CAUSERIE_SCREENSHOTS) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${process.env.CAUSERIE_SCREENSHOTS}/form-seen.png`, seen);
    writeFileSync(`${process.env.CAUSERIE_SCREENSHOTS}/form-held.png`, held);
  }
  const [ink] = await page.evaluate(([a, b, w, list]) => window.textReference.compareInk(a, b, w, list),
    [seen.toString('base64'), held.toString('base64'), box.width, [{ x: 0, y: 0, width: box.width, height: box.height }]]);
  assert.ok(ink.reference > 0, 'the field draws nothing of its value');
  assert.ok(ink.covered >= MIN_COVERED && ink.extra <= MAX_EXTRA,
    `the field's box shows something else than the field holds: ${Math.round(ink.covered * 100)} % of the field's own ` +
    `drawing matched, ${Math.round(ink.extra * 100)} % of what is seen where the field draws nothing`);
  assert.deepEqual(errors, []);
  await context.close();
});

// Every field of the form after typing text in both directions (a name holding
// U+202E among them): the widget holds what each field holds, its frames are where
// the fields are, and the preview of the body is laid out and drawn as the DOM does.
test('the form holds what its fields hold, and previews the body as the DOM lays it out', async () => {
  const { context, page, errors } = await openThread(browser, server.url, { width: 900 });
  const problems = await compareForm(page, [
    'مرحبا — Bonjour 👍🏽 ❤️ שלום\n\n1. פריט ראשון\n2. Un second point',
    'Mallory\u202Eliam.moc',
    'zoé@exemple.fr',
    'https://example.org/شارع',
  ], 'Aperçu');
  assert.deepEqual(errors, []);
  assert.deepEqual(problems, [], problems.join('\n'));
  await context.close();
});

// Dragging across a whole paragraph whose text mixes directions copies the text in
// logical order, as the DOM would.
test('copy over mixed-direction text gives the logical text', async () => {
  const { context, page } = await openThread(browser, server.url, { width: 1100 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const problems = [];
  for (const key of ['french-quoting-arabic', 'rtl-numbers', 'hebrew']) {
    const id = [...ids].find(([, row]) => row.key === key)[0];
    const report = await page.evaluate(() => document.getElementById('causerie').causerie.textReport());
    const c = report.find((x) => x.id === id);
    const L = report.flatMap((x) => x.blocks).find((b) => b.lines.length > 1).lines[1].top;
    const block = c.blocks[0];
    const last = block.lines.length - 1;
    const lineY = (k) => c.top + block.top + block.lines[k].top + L / 2;
    const edges = (k) => {
      const runs = block.lines[k].runs;
      return { left: c.left + block.left + Math.min(...runs.map((r) => r.x)), right: c.left + block.left + Math.max(...runs.map((r) => r.x + r.width)) };
    };
    const origin = await page.evaluate((y) => {
      const el = document.getElementById('causerie');
      window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + y - 100);
      const r = el.getBoundingClientRect();
      return { x: r.left, y: r.top };
    }, c.top);
    await nextFrames(page);
    // From the paragraph's logical start (left in ltr, right in rtl) to past its logical end.
    const start = block.rtl ? edges(0).right - 1 : edges(0).left + 1;
    const end = block.rtl ? edges(last).left - 3 : edges(last).right + 3;
    await page.mouse.move(origin.x + start, origin.y + lineY(0));
    await page.mouse.down();
    await page.mouse.move(origin.x + (start + end) / 2, origin.y + lineY(last), { steps: 4 });
    await page.mouse.move(origin.x + end, origin.y + lineY(last), { steps: 4 });
    await page.mouse.up();
    await nextFrames(page);
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await page.keyboard.press('Control+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const flat = (s) => s.replace(/\s+/gu, ' ').trim();
    if (flat(copied) !== flat(block.text)) {
      problems.push(`${key}: dragging from the paragraph's logical start (${block.rtl ? 'right' : 'left'} of line 0) ` +
        `to its end copied ${JSON.stringify(copied)}, not ${JSON.stringify(block.text)}`);
    }
  }
  assert.deepEqual(problems, []);
  await context.close();
});
