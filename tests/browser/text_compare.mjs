// Compares what the widget reports it draws (handle.textReport(), the contract's
// format) with the DOM's own layout of the same text (text_reference.js): shared
// by text.test.mjs and tools/text-screenshots.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { routePage, articlePage, nextFrames } from './harness.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const corpus = JSON.parse(readFileSync(here('../corpus/multilingual.json'), 'utf8')).comments;
const REFERENCE = here('./text_reference.js');
export const thread = '/test/multilingue';

// Widths: relative, with half a CSS pixel for rounding (a run of one narrow glyph).
export const near = (a, b) => Math.abs(a - b) <= Math.max(0.5, 0.02 * Math.max(Math.abs(a), Math.abs(b)));
// Ink: the widget must have this share of the DOM's ink, and no more than this much of its own elsewhere.
export const MIN_COVERED = 0.8, MAX_EXTRA = 0.2, MIN_COVERED_SMALL = 0.6;

// The thread on an article page `width` CSS px wide, every body laid out.
// init: a script run in the page before the widget (to break it on purpose).
export async function openThread(b, url, { width = 1100, height = 900, path = thread, init = null } = {}) {
  const context = await b.newContext({ viewport: { width, height } });
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // Room below the widget: the sticky canvas stays at the viewport's top for every
  // comment (at the page's end it would sit at a fractional offset, its text resampled).
  await routePage(context, url, path, articlePage({ thread: path }).replace('</main>', '<div style="height:1000px"></div></main>'));
  await page.goto(url + path);
  await page.waitForSelector('#causerie[data-state="ready"]', { timeout: 20000 });
  await page.addScriptTag({ path: REFERENCE });
  await page.waitForFunction((n) => document.getElementById('causerie').causerie.textReport?.().length >= n,
    corpus.length, { timeout: 20000 });
  await page.evaluate(() => document.fonts.ready);
  return { context, page, errors };
}

// Each block of each reported comment laid out by the DOM, at the block's own place.
// Returns [{id, blocks: [{block, dom}]}], and L (the widget's line height).
// preview: the reply form's preview instead of the comments (one entry, id "preview").
export async function layOutReferences(page, { preview = false } = {}) {
  return page.evaluate((preview) => {
    const container = document.getElementById('causerie');
    const comments = container.causerie.textReport();
    const report = preview ? [{ id: 'preview', ...container.causerie.formReport().preview }] : comments;
    const cs = getComputedStyle(container);
    const size = parseFloat(cs.fontSize);
    // The widget's line height, from any block of several lines (every body shares it).
    let L = 0;
    for (const c of comments) for (const b of c.blocks) if (b.lines.length > 1) L = b.lines[1].top - b.lines[0].top;
    window.textReference.clear(container);
    const family = cs.fontFamily, colour = cs.color;
    const rtlInterface = getComputedStyle(container.querySelector('.causerie-root') || container).direction === 'rtl';
    const out = report.map((c) => ({
      id: c.id, left: c.left, top: c.top,
      // The name and the date: the DOM's line of a <bdi> name, the widget's gap, the date.
      header: c.header && (() => {
        const [name, date] = c.header;
        const gap = rtlInterface ? name.left - (date.left + date.width) : date.left - (name.left + name.width);
        const start = rtlInterface ? name.left + name.width : name.left;
        return { name, date, gap, rtl: rtlInterface,
          dom: window.textReference.layOutHeader(container, { name, date, gap: Math.max(0, gap), start, rtl: rtlInterface, family, colour }) };
      })(),
      // List markers: the DOM's ::marker of an item holding the block beside it.
      markers: (c.decorations || []).filter((d) => d.kind === 'marker').map((d) => {
        const b = c.blocks.find((x) => Math.abs(x.top - d.top) < 1);
        if (b) window.textReference.layOutMarker(container, { marker: d.text, text: b.text, left: c.left + b.left,
          top: c.top + b.top, width: b.width, size, line: L || size * 1.5, family, colour });
        return { ...d, block: b };
      }),
      blocks: c.blocks.map((b) => {
        // Each UTF-16 index gets the style of the run holding it; text in no run
        // (a hanging space) the style before it.
        const styles = new Array(b.text.length).fill(-1);
        let styled = true;
        for (const l of b.lines) for (const r of l.runs) {
          if (r.style === undefined || r.link === undefined) styled = false;
          for (let i = r.begin; i < r.end; i++) styles[i] = r.style ?? 0;
        }
        for (let i = 0; i < styles.length; i++) if (styles[i] < 0) styles[i] = i ? styles[i - 1] : 0;
        const dom = window.textReference.layOut(container, { text: b.text, width: b.width, pre: b.pre, styles }, {
          left: c.left + b.left, top: c.top + b.top, size, line: L || size * 1.5, family, colour,
        });
        return { block: b, dom, styled };
      }),
    }));
    return { comments: out, L, size };
  }, preview);
}

// The reply form after typing `typed` (body, name, email, website) into its DOM
// fields: what the widget holds of each field is the field's value, its frame is
// where the field is laid, and the body's preview (drawn by the canvas) is laid out
// and drawn as the DOM lays out and draws it. Returns a list of differences.
export async function compareForm(page, typed, previewLabel) {
  const problems = [];
  const fields = page.locator('#causerie .causerie-form').locator('textarea, input[type=text]');
  for (let i = 0; i < typed.length; i++) {
    await fields.nth(i).scrollIntoViewIfNeeded();
    await fields.nth(i).focus();
    await page.keyboard.type(typed[i]);
  }
  await nextFrames(page);
  const report = await page.evaluate(() => document.getElementById('causerie').causerie.formReport());
  const dom = await page.evaluate(() => {
    const container = document.getElementById('causerie'), origin = container.getBoundingClientRect();
    return [...container.querySelectorAll('.causerie-form textarea, .causerie-form input[type=text]')].map((e) => {
      const r = e.getBoundingClientRect();
      return { value: e.value, left: r.left - origin.left, top: r.top - origin.top, width: r.width, height: r.height };
    });
  });
  if (report?.fields?.length !== dom.length) return [`the form report has ${report?.fields?.length} fields, the DOM ${dom.length}`];
  report.fields.forEach((f, i) => {
    if (f.value !== dom[i].value || f.value !== typed[i]) {
      problems.push(`field ${i}: the widget holds ${JSON.stringify(f.value)}, the field ${JSON.stringify(dom[i].value)}, typed ${JSON.stringify(typed[i])}`);
    }
    const off = ['left', 'top', 'width', 'height'].filter((k) => Math.abs(f[k] - dom[i][k]) >= 1);
    if (off.length) problems.push(`field ${i}: its frame ${JSON.stringify(f)} is not where the field is: ${JSON.stringify(dom[i])}`);
  });
  await page.getByRole('button', { name: previewLabel }).click();
  await nextFrames(page);
  await nextFrames(page);
  const { comments: [preview], L, size } = await layOutReferences(page, { preview: true });
  if (!preview?.blocks?.length) return [...problems, 'no preview in the form report'];
  const frame = (await page.evaluate(() => document.getElementById('causerie').causerie.formReport())).fields[0];
  if (Math.abs(frame.left + frame.width - (report.fields[0].left + report.fields[0].width)) >= 1 || Math.abs(frame.left - report.fields[0].left) >= 1)
    problems.push(`the preview's frame ${JSON.stringify(frame)} is not the body field's ${JSON.stringify(report.fields[0])}`);
  preview.blocks.forEach(({ block, dom: d }, b) => problems.push(...compareBlock(`preview block ${b}`, block, { ...d, size })));
  problems.push(...(await compareInkOf(page, preview, L)).map((m) => `preview ${m}`));
  return problems;
}

const quote = (text, begin, end) => JSON.stringify(text.slice(Math.max(0, begin), end));

// What differs between the widget's block and the DOM's: a list of messages.
export function compareBlock(where, block, dom) {
  const problems = [];
  const say = (m) => problems.push(`${where}: ${m}`);
  const text = block.text;
  if (text.includes('\uFFFD')) say(`the text holds U+FFFD at ${text.indexOf('\uFFFD')}`);
  if (Boolean(block.rtl) !== dom.rtl) say(`paragraph direction ${block.rtl ? 'rtl' : 'ltr'}, the DOM's ${dom.rtl ? 'rtl' : 'ltr'}`);
  if (block.lines.length !== dom.lines.length) {
    say(`${block.lines.length} lines, the DOM ${dom.lines.length}: DOM lines start at ` +
      dom.lines.map((l) => quote(text, l.find((c) => !c.blank)?.begin ?? 0, (l.find((c) => !c.blank)?.begin ?? 0) + 12)).join(', '));
  }
  // The line holding each visible grapheme, in the widget and in the DOM.
  const widgetLine = new Int32Array(text.length).fill(-1);
  block.lines.forEach((l, k) => l.runs.forEach((r) => { for (let i = r.begin; i < r.end; i++) widgetLine[i] = k; }));
  const lines = Math.min(block.lines.length, dom.lines.length);
  for (let k = 0; k < dom.lines.length; k++) {
    const missing = dom.lines[k].filter((c) => !c.blank && widgetLine[c.begin] !== k);
    if (missing.length) {
      const c = missing[0];
      say(`line ${k}: ${quote(text, c.begin, c.end + 10)} (index ${c.begin}) is on the DOM's line ${k}, the widget's ` +
        (widgetLine[c.begin] < 0 ? 'has it in no run' : `line ${widgetLine[c.begin]}`) + ` (${missing.length} graphemes)`);
    }
  }
  for (let k = 0; k < lines; k++) {
    const cells = dom.lines[k];
    const visible = cells.filter((c) => !c.blank);
    const first = visible.length ? Math.min(...visible.map((c) => c.begin)) : 0;
    const last = visible.length ? Math.max(...visible.map((c) => c.end)) : 0;
    const runs = block.lines[k].runs;
    // Visual order: left to right without overlap.
    for (let r = 1; r < runs.length; r++) {
      if (runs[r].x < runs[r - 1].x + runs[r - 1].width - 0.5)
        say(`line ${k}: run ${r} ${quote(text, runs[r].begin, runs[r].end)} at x ${runs[r].x.toFixed(1)} overlaps run ${r - 1} ` +
          `${quote(text, runs[r - 1].begin, runs[r - 1].end)} ending at ${(runs[r - 1].x + runs[r - 1].width).toFixed(1)}`);
    }
    runs.forEach((run, r) => {
      const mine = cells.filter((c) => c.begin >= run.begin && c.end <= run.end && c.begin >= first && c.end <= last);
      const label = `line ${k} run ${r} ${quote(text, run.begin, run.end)}`;
      if (!mine.length) {
        if (text.slice(run.begin, run.end).trim()) say(`${label}: the DOM has none of it on this line`);
        return;
      }
      const left = Math.min(...mine.map((c) => c.left)), right = Math.max(...mine.map((c) => c.right));
      // A run may hold the spaces hanging at the line's end: the DOM gives them no width.
      const hanging = cells.filter((c) => c.blank && c.begin >= run.begin && c.end <= run.end && (c.begin >= last || c.end <= first));
      const hangingWidth = hanging.length * 0.5 * dom.size;
      const widthOk = near(run.width, right - left) || (hanging.length && run.width > right - left && run.width - (right - left) <= hangingWidth);
      const xOk = near(run.x, left) || (hanging.length && Math.abs(run.x - left) <= hangingWidth);
      if (!xOk || !widthOk) {
        say(`${label}: x ${run.x.toFixed(1)} width ${run.width.toFixed(1)}, the DOM's x ${left.toFixed(1)} width ${(right - left).toFixed(1)}`);
      }
      const strong = mine.filter((c) => !c.blank);
      if (strong.length >= 2) {
        const a = strong[0], z = strong[strong.length - 1];
        const domRtl = a.left > z.left;
        if (domRtl !== Boolean(run.rtl)) say(`${label}: drawn ${run.rtl ? 'rtl' : 'ltr'}, the DOM lays it ${domRtl ? 'rtl' : 'ltr'}`);
      }
    });
  }
  return problems;
}

// Where a card's name and date are drawn against where the DOM sets them (a <bdi>
// name, then the date): an RTL name or one holding U+202E moves nothing after it.
export function compareHeader(where, header) {
  if (!header) return [`${where}: no name and date in the report`];
  const problems = [];
  if (header.gap < 0) problems.push(`${where}: the date is drawn before the name in the interface's direction`);
  for (const piece of ['name', 'date']) {
    const w = header[piece], d = header.dom[piece];
    if (!near(w.left, d.left) || !near(w.width, d.right - d.left)) {
      problems.push(`${where}: ${piece} ${JSON.stringify(w.text)} at x ${w.left.toFixed(1)} width ${w.width.toFixed(1)}, ` +
        `the DOM's x ${d.left.toFixed(1)} width ${(d.right - d.left).toFixed(1)}`);
    }
  }
  return problems;
}

// The boxes of every run of a comment whose text has something visible, its name
// and date, and its numbered list markers, in the coordinates of `clip` (the
// container's, offset by clip's origin).
export function inkBoxes(c, L, clip) {
  const boxes = [];
  if (c.header) for (const piece of ['name', 'date']) {
    const p = c.header[piece];
    // The date is small and grey: its strokes' antialiased edges straddle the ink
    // threshold (72 % of the DOM's ink at a 420 px page), so less is required; its
    // place is compareHeader's.
    if (p.width > 0) boxes.push({ where: `${piece} ${JSON.stringify(p.text)}`, x: p.left - clip.x, y: p.top - clip.y,
      width: p.width, height: p.size * 1.2, minCovered: piece === 'date' ? MIN_COVERED_SMALL : MIN_COVERED });
  }
  // A numbered marker's digits and period, in the order its item's direction gives
  // them ("1." reads ".1" in a right-to-left item); bullets are shapes of the DOM's own.
  for (const m of c.markers || []) if (/^\d+\.$/.test(m.text)) {
    boxes.push({ where: `marker ${JSON.stringify(m.text)} of ${m.rtl ? 'a right-to-left' : 'a left-to-right'} item`,
      x: c.left + m.left - clip.x, y: c.top + m.top - clip.y, width: m.right - m.left, height: m.bottom - m.top });
  }
  c.blocks.forEach(({ block }, b) => block.lines.forEach((l, k) => l.runs.forEach((run, r) => {
    if (!/[^\s\u200B-\u200F\u2060-\u206F\uFE0E\uFE0F]/u.test(block.text.slice(run.begin, run.end))) return;
    boxes.push({
      where: `block ${b} line ${k} run ${r} ${quote(block.text, run.begin, run.end)}`,
      x: c.left + block.left + run.x - clip.x, y: c.top + block.top + l.top - clip.y, width: run.width, height: L,
      // A link's underline (its own, or a neighbour line's reaching into the box) is
      // the widget's own decoration, in its theme: there only the glyphs are compared.
      decorated: [k - 1, k, k + 1].some((j) => block.lines[j]?.runs.some((n) => n.link)),
    });
  })));
  return boxes;
}

// Screenshots of one comment's body, the widget's and the DOM's, and their ink per run.
export async function shootComment(page, c, L) {
  const top = Math.min(c.top + Math.min(0, ...c.blocks.map(({ block }) => block.top)),
    ...(c.header ? [c.header.name.top, c.header.date.top] : []));
  const bottom = c.top + Math.max(...c.blocks.map(({ block }) => block.top + block.lines.length * L));
  const right = c.left + Math.max(...c.blocks.map(({ block }) => block.left + block.width));
  const box = await page.evaluate(([y]) => {
    const el = document.getElementById('causerie');
    window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + y - 40);
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top };
  }, [top]);
  await nextFrames(page);
  await nextFrames(page);
  const clip = { x: Math.max(0, c.left - 8), y: top - 8, width: right - c.left + 16, height: bottom - top + 16 };
  const pageClip = { ...clip, x: clip.x + box.x, y: clip.y + box.y };
  await page.evaluate(() => window.textReference.show(document.getElementById('causerie'), false));
  await nextFrames(page);
  const widget = await page.screenshot({ clip: pageClip });
  await page.evaluate(() => window.textReference.show(document.getElementById('causerie'), true));
  const reference = await page.screenshot({ clip: pageClip });
  await page.evaluate(() => window.textReference.show(document.getElementById('causerie'), false));
  return { widget, reference, clip };
}

export async function compareInkOf(page, c, L) {
  const { widget, reference, clip } = await shootComment(page, c, L);
  const boxes = inkBoxes(c, L, clip);
  const ink = await page.evaluate(([a, b, w, list]) => window.textReference.compareInk(a, b, w, list),
    [widget.toString('base64'), reference.toString('base64'), clip.width, boxes]);
  const problems = [];
  ink.forEach((k, i) => {
    const where = boxes[i].where;
    if (k.reference > 0 && k.widget === 0) problems.push(`${where}: nothing drawn where the DOM draws ${k.reference} ink pixels`);
    else if (k.covered < (boxes[i].minCovered ?? MIN_COVERED) || (k.extra > MAX_EXTRA && !boxes[i].decorated))
      problems.push(`${where}: drawn unlike the DOM (${Math.round(k.covered * 100)} % of its ink matched, ` +
        `${Math.round(k.extra * 100)} % of the widget's ink where the DOM has none)`);
  });
  return problems;
}

