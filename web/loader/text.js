// The browser's text stack for the widget: the wasm asks here (through bridge.js)
// how a paragraph breaks into lines and bidi runs, how wide a string is, what a
// run looks like in pixels and where its caret stops are; the browser lays out,
// shapes and draws, the widget only places the results. The contract
// (src/platform/host.h): strings cross as UTF-8, so offsets are UTF-8 bytes.
//
// layoutParagraph lays the text out in a hidden element in the widget's root,
// exactly as a DOM block of the same font, size and width, and reads the lines
// back with Range rects: one Range per word (Intl.Segmenter), per grapheme only
// where a word is split between lines or holds two directions.

// style: core/richtext.h's SpanStyle bits.
const ITALIC = 1, BOLD = 2, CODE = 4;
export const CODE_FAMILY = 'ui-monospace, "DejaVu Sans Mono", monospace';

// Segmenters are not made as the script runs: the page's first one costs 15 to
// 40 ms (ICU loads its break rules), which would hold back fetching the wasm.
// mount.js has them made while the wasm downloads (prepareSegmenters), else the
// first use makes them.
const segmenters = {};
const segmenter = (granularity) =>
  segmenters[granularity] || (segmenters[granularity] = new Intl.Segmenter(undefined, { granularity }));
const words = () => segmenter('word');
const graphemes = () => segmenter('grapheme');
export function prepareSegmenters() {
  words();
  graphemes();
}

// Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic,
// their presentation forms and the supplementary planes' RTL blocks), and the
// controls that can make any text flow right to left.
const RTL_CHAR = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const LETTER = /\p{L}/u;
const ISOLATE_OPEN = /[\u2066-\u2068]/, ISOLATE_CLOSE = '\u2069';
const BLANK = /^\s+$/;
const COLLAPSIBLE = /^[ \t]+$/;

// UTF-8 byte offset of every UTF-16 index of s (length s.length + 1).
function utf8Offsets(s) {
  const out = new Uint32Array(s.length + 1);
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    out[i] = b;
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.length) { out[++i] = b; b += 4; }
    else b += 3;
  }
  out[s.length] = b;
  return out;
}

// The UTF-16 index of UTF-8 byte offset `byte` in s (the end when past it).
export function utf16Index(s, byte) {
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    if (b >= byte) return i;
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.length) { b += 4; i++; }
    else b += 3;
  }
  return s.length;
}

// The direction of the first strong character (UAX #9 P2, as dir=auto and
// unicode-bidi: plaintext find it): 1 rtl, 0 ltr, -1 none.
function firstStrong(text) {
  let isolated = 0;
  for (const ch of text) {
    if (ISOLATE_OPEN.test(ch)) isolated++;
    else if (ch === ISOLATE_CLOSE) { if (isolated) isolated--; }
    else if (isolated) continue;
    else if (RTL_CHAR.test(ch)) return 1;
    else if (LETTER.test(ch)) return 0;
  }
  return -1;
}

// widget: {root} (mount.js). One per widget: its family follows the widget's theme.
export function createText(widget) {
  let family = 'sans-serif';

  // The CSS font of (style, size), for the DOM and Canvas 2D alike: the one place it is made.
  function font(style, size) {
    return (style & ITALIC ? 'italic ' : '') + (style & BOLD ? '700 ' : '') + size + 'px ' +
      (style & CODE ? CODE_FAMILY : family);
  }

  // The measuring element: out of sight and out of the page's layout (contain:
  // strict), so each paragraph relays out only itself. The site's text
  // properties that Canvas 2D cannot follow are reset, so that drawn and laid-out
  // text agree.
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;overflow:hidden;' +
    'contain:strict;visibility:hidden;pointer-events:none;';
  const block = document.createElement('div');
  block.style.cssText = 'position:absolute;left:0;top:0;margin:0;padding:0;border:0;' +
    'direction:ltr;unicode-bidi:plaintext;text-align:start;overflow-wrap:anywhere;' +
    'word-break:normal;line-break:auto;hyphens:manual;letter-spacing:normal;' +
    'word-spacing:normal;text-transform:none;text-indent:0;font-variant:normal;' +
    'font-feature-settings:normal;font-variation-settings:normal;font-kerning:auto;' +
    'font-stretch:normal;text-rendering:auto;font-synthesis:weight style;';
  box.appendChild(block);
  const spans = [];   // reused between paragraphs
  const range = document.createRange();

  const written = new WeakMap();   // element -> {property: value} last written
  function setStyle(e, property, value) {
    let w = written.get(e);
    if (!w) written.set(e, w = {});
    if (w[property] === value) return;
    e.style[property] = w[property] = value;
    if (property === 'font') delete w.lineHeight;   // the shorthand reset it
  }

  // In the widget's root, where it inherits the page's language and fonts.
  function attach() {
    if (!box.isConnected) widget.root.appendChild(box);
  }

  function rectsOf(node, begin, end) {
    range.setStart(node, begin);
    range.setEnd(node, end);
    return range.getClientRects();
  }

  // {width, size, line, pre, spans: [{text, style}]} -> {rtl, lines: [{runs}]}
  // (the contract's JSON, offsets in UTF-8 bytes).
  function layoutParagraph(p) {
    attach();
    const L = p.line;
    // Style is only written where it changes: each write costs a style recalculation.
    setStyle(block, 'width', p.width + 'px');
    setStyle(block, 'font', font(0, p.size));
    setStyle(block, 'lineHeight', L + 'px');
    setStyle(block, 'whiteSpace', p.pre ? 'pre-wrap' : 'pre-line');
    const n = p.spans.length;
    while (spans.length < n) {
      const s = document.createElement('span');
      // Every inline box exactly one line tall, so that line k sits at k * line
      // whatever the mix of fonts (a monospace code span included).
      s.style.verticalAlign = 'top';
      s.appendChild(document.createTextNode(''));
      spans.push(s);
    }
    let allText = '';
    for (let i = 0; i < n; i++) {
      const s = spans[i], sp = p.spans[i];
      setStyle(s, 'font', font(sp.style, p.size));
      setStyle(s, 'lineHeight', L + 'px');
      if (s.firstChild.data !== sp.text) s.firstChild.data = sp.text;
      if (s.parentNode !== block || block.childNodes[i] !== s) block.insertBefore(s, block.childNodes[i] || null);
      allText += sp.text;
    }
    while (block.childNodes.length > n) block.lastChild.remove();

    const strong = firstStrong(allText);
    const baseRtl = strong === 1;
    // Only text that can flow right to left needs each piece's direction read.
    const mayRtl = RTL_CHAR.test(allText) || BIDI_CONTROL.test(allText);
    const origin = block.getBoundingClientRect();
    const lineCount = Math.max(1, Math.round(origin.height / L));
    const lineOf = (r) => Math.min(lineCount - 1, Math.max(0, Math.floor(((r.top + r.bottom) / 2 - origin.top) / L)));

    // Pieces in logical order: {span, begin, end (UTF-16), left, right, line, dir
    // (1 rtl, 0 ltr, -1 not known yet), endsRun}.
    const pieces = [];
    const direction = (text, node, begin, end, r) => {
      if (!mayRtl) return 0;
      if (!BIDI_CONTROL.test(text)) {
        if (RTL_CHAR.test(text)) return 1;
        if (LETTER.test(text)) return 0;
      }
      // Digits, punctuation, text under bidi controls: where its first grapheme
      // sits says which way it flows (one grapheme alone: its neighbours say).
      const first = graphemes().segment(text)[Symbol.iterator]().next().value;
      if (!first || first.segment.length === text.length) return -1;
      const g = rectsOf(node, begin, begin + first.segment.length)[0];
      if (!g) return -1;
      return Math.abs(g.left - r.left) <= Math.abs(r.right - g.right) ? 0 : 1;
    };
    const add = (span, text, node, begin, end, r, breakAfter) => {
      pieces.push({ span, begin, end, left: r.left - origin.left, right: r.right - origin.left,
        line: lineOf(r), dir: direction(text, node, begin, end, r), endsRun: breakAfter, blank: BLANK.test(text) });
    };
    // Left-to-right text: one Range per line of each span, and a search for where
    // each line ends (a few single-character Ranges). False when the span's
    // boxes are not one per line (the per-word reading below then does it).
    const byLines = (i, text, node) => {
      const frags = [];
      for (const r of rectsOf(node, 0, text.length)) if (r.width > 0) frags.push(r);
      const fl = frags.map(lineOf);
      for (let k = 1; k < fl.length; k++) if (fl[k] <= fl[k - 1]) return false;
      // The line of the character at j, -1 when it has no box (collapsed).
      const lineAt = (j) => {
        const c = text.charCodeAt(j);
        const r = rectsOf(node, j, j + (c >= 0xD800 && c < 0xDC00 ? 2 : 1))[0];
        return r ? lineOf(r) : -1;
      };
      const starts = [0];
      for (let k = 0; k + 1 < frags.length; k++) {
        // The first character after starts[k] on a line below fl[k], searched from
        // a guess in proportion to the lines' widths, galloping then halving.
        let rest = 0;
        for (let m = k; m < frags.length; m++) rest += frags[m].width;
        const lo = starts[k];
        const below = (j) => lineAt(j) > fl[k];
        let g = Math.min(text.length - 1, Math.max(lo + 1, Math.round(lo + (text.length - lo) * frags[k].width / rest)));
        let a, b;   // below(a) false (or a = lo), below(b) true
        if (below(g)) {
          b = g;
          for (let step = 1; ; step *= 2) {
            const j = b - step;
            if (j <= lo) { a = lo; break; }
            if (!below(j)) { a = j; break; }
            b = j;
          }
        } else {
          a = g;
          for (let step = 1; ; step *= 2) {
            const j = Math.min(text.length, a + step);
            if (j >= text.length) { b = text.length; break; }
            if (below(j)) { b = j; break; }
            a = j;
          }
        }
        while (b - a > 1) {
          const mid = (a + b) >> 1;
          if (below(mid)) b = mid; else a = mid;
        }
        if (b >= text.length || b <= lo) return false;
        starts.push(b);
      }
      const found = [];
      for (let k = 0; k < frags.length; k++) {
        let begin = starts[k], end = k + 1 < frags.length ? starts[k + 1] : text.length;
        const whole = [begin, end];
        // Newlines are breaks; outside pre, spaces at a line's start are collapsed
        // (a span's first box not at the line's start keeps its visible space)...
        const lineStart = k > 0 || frags[k].left - origin.left < 0.5;
        while (begin < end && (text[begin] === '\n' || (!p.pre && lineStart && /\s/.test(text[begin])))) begin++;
        // ...and at its end they hang. In pre, at a span's end, the line may go on
        // in the next span: only a newline ends it there.
        if (k + 1 < frags.length || !p.pre) while (end > begin && /\s/.test(text[end - 1])) end--;
        else { const m = /\s*\n\s*$/.exec(text.slice(begin, end)); if (m) end -= m[0].length; }
        if (begin === end) continue;
        // The box leaves out collapsed and hanging spaces, and newlines: it is the
        // trimmed text's, unless the spaces cut off end the span (they may be
        // inside a line that goes on in the next span).
        let r = frags[k];
        const cutTail = text.slice(end, whole[1]);
        if (begin !== whole[0] || (cutTail && k + 1 === frags.length && !cutTail.includes('\n'))) {
          r = null;
          for (const q of rectsOf(node, begin, end)) if (q.width > 0 && lineOf(q) === fl[k]) { r = q; break; }
          if (!r) return false;
        }
        found.push({ span: i, begin, end, left: r.left - origin.left, right: r.right - origin.left,
          line: fl[k], dir: 0, endsRun: true, blank: false });
      }
      pieces.push(...found);
      return true;
    };
    for (let i = 0; i < n; i++) {
      const text = p.spans[i].text, node = spans[i].firstChild;
      // Collapsed spaces and tabs draw differently on a canvas: read per word.
      if (!mayRtl && !(p.pre ? /\t/ : /[ \t]{2}|\t|\n[ \t]/).test(text) && byLines(i, text, node)) continue;
      for (const w of words().segment(text)) {
        const begin = w.index, end = begin + w.segment.length;
        if (w.segment === '\n') { if (pieces.length) pieces[pieces.length - 1].endsRun = true; continue; }
        // A space that is not one plain space (collapsed spaces, a tab) draws
        // differently on a canvas: the run ends after it.
        const breakAfter = COLLAPSIBLE.test(w.segment) && w.segment !== ' ';
        const rects = rectsOf(node, begin, end);
        if (rects.length === 1) {
          if (rects[0].width > 0) add(i, w.segment, node, begin, end, rects[0], breakAfter);
          continue;
        }
        if (!rects.length) continue;
        // Split between lines, or two directions in one word: per grapheme.
        for (const g of graphemes().segment(w.segment)) {
          const gb = begin + g.index, ge = gb + g.segment.length;
          const gr = rectsOf(node, gb, ge);
          let best = null;
          for (const r of gr) if (!best || r.width > best.width) best = r;
          if (best && best.width > 0) add(i, g.segment, node, gb, ge, best, breakAfter && ge === end);
        }
      }
      if (pieces.length) pieces[pieces.length - 1].endsRun = true;   // runs never cross spans
    }

    // Pieces whose direction their text does not tell take their neighbour's on
    // the same line when they touch it on that side, else the paragraph's.
    const EPS = 0.5;
    const follows = (a, b, dir) => a.line === b.line &&
      (dir === 0 ? Math.abs(b.left - a.right) <= EPS : Math.abs(a.left - b.right) <= EPS);
    for (let k = 0; k < pieces.length; k++) {
      const q = pieces[k];
      if (q.dir !== -1) continue;
      const prev = pieces[k - 1], next = pieces[k + 1];
      if (prev && prev.dir !== -1 && follows(prev, q, prev.dir)) q.dir = prev.dir;
      else if (next && next.dir !== -1 && follows(q, next, next.dir)) q.dir = next.dir;
      else q.dir = baseRtl ? 1 : 0;
    }

    // Runs: logically consecutive pieces of one span, line and direction that
    // touch on screen. Blank pieces ending a line hang: they are left out.
    const lines = [];
    for (let k = 0; k < lineCount; k++) lines.push({ runs: [] });
    let run = null, last = null;
    const offsets = p.spans.map((s) => utf8Offsets(s.text));
    const close = () => {
      if (!run) return;
      const o = offsets[run.span];
      lines[run.line].runs.push({ span: run.span, begin: o[run.begin], end: o[run.end],
        x: run.left, width: run.right - run.left, rtl: run.dir });
      run = null;
    };
    for (let k = 0; k < pieces.length; k++) {
      const q = pieces[k];
      const next = pieces[k + 1];
      if (q.blank && (!next || next.line !== q.line)) { close(); last = q; continue; }
      if (run && !last.endsRun && last.span === q.span && last.line === q.line && last.dir === q.dir &&
          follows(last, q, q.dir)) {
        run.end = q.end;
        run.left = Math.min(run.left, q.left);
        run.right = Math.max(run.right, q.right);
      } else {
        close();
        run = { span: q.span, begin: q.begin, end: q.end, left: q.left, right: q.right, line: q.line, dir: q.dir };
      }
      last = q;
    }
    close();
    for (const l of lines) l.runs.sort((a, b) => a.x - b.x);
    return { rtl: baseRtl ? 1 : 0, lines };
  }

  // Canvas 2D, for measuring and drawing: one scratch canvas (out of the page), which
  // only grows, in the language the DOM lays the widget's text out in (CJK glyph forms).
  const canvas = document.createElement('canvas');
  let ctx = null;
  function context() {
    if (!ctx) {
      ctx = canvas.getContext('2d', { willReadFrequently: true });
      const lang = widget.root.closest('[lang]');
      if ('lang' in ctx && lang) ctx.lang = lang.lang;
    }
    return ctx;
  }
  let lastFont = '';
  function setFont(f) {
    if (context() && lastFont !== f) ctx.font = lastFont = f;
  }

  // Names, dates and labels come back again and again: their widths are kept
  // until the fonts change.
  const widths = new Map();
  function measureText(text, style, size) {
    const f = font(style, size);
    const key = f + '\n' + text;
    let w = widths.get(key);
    if (w === undefined) {
      if (widths.size > 4096) widths.clear();
      setFont(f);
      ctx.direction = 'ltr';
      w = ctx.measureText(text).width;
      widths.set(key, w);
    }
    return w;
  }

  // Draws `text` on one line (the contract's host_rasterize_text): {pixels (RGBA,
  // straight alpha, as Canvas 2D gives it), width, height, left, top} in device
  // pixels, or null when there is no ink.
  function rasterizeText(text, style, size, line, direction, rgba, scale) {
    if (!/\S/.test(text)) return null;
    const f = font(style, size);
    setFont(f);
    ctx.direction = direction === 1 ? 'rtl' : direction === 0 ? 'ltr' : (firstStrong(text) === 1 ? 'rtl' : 'ltr');
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    const m = ctx.measureText(text);
    // The DOM centres the font's ascent + descent in the line box, its half-leading
    // floored to whole pixels (as Chromium does; checked against a DOM baseline).
    const baseline = Math.floor((line - m.fontBoundingBoxAscent - m.fontBoundingBoxDescent) / 2) + m.fontBoundingBoxAscent;
    const left = Math.floor(-m.actualBoundingBoxLeft * scale) - 1;
    const right = Math.ceil(m.actualBoundingBoxRight * scale) + 1;
    const top = Math.floor((baseline - m.actualBoundingBoxAscent) * scale) - 1;
    const bottom = Math.ceil((baseline + m.actualBoundingBoxDescent) * scale) + 1;
    const w = right - left, h = bottom - top;
    if (w <= 2 || h <= 2) return null;
    if (canvas.width < w || canvas.height < h) {
      canvas.width = Math.max(canvas.width, w);
      canvas.height = Math.max(canvas.height, h);
      ctx = null;   // resizing resets the context's state
      lastFont = '';
      setFont(f);
      ctx.direction = direction === 1 ? 'rtl' : direction === 0 ? 'ltr' : (firstStrong(text) === 1 ? 'rtl' : 'ltr');
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.setTransform(scale, 0, 0, scale, -left, -top);
    const c = rgba >>> 0;
    ctx.fillStyle = 'rgba(' + (c >>> 24) + ',' + ((c >>> 16) & 255) + ',' + ((c >>> 8) & 255) + ',' + ((c & 255) / 255) + ')';
    ctx.fillText(text, 0, baseline);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const data = ctx.getImageData(0, 0, w, h).data;
    const pixels = new Uint8Array(data.buffer, data.byteOffset, w * h * 4);
    return { pixels, width: w, height: h, left, top };
  }

  // [[byte, x], ...] at every grapheme boundary of one run, x from the run's left
  // edge: where the DOM puts each grapheme of the run laid out on its own. The run
  // is a paragraph of its own direction (an inline-block): inside a mere isolate,
  // spaces ending a right-to-left run would take the outer paragraph's direction
  // and move to the run's right, where its logical start is.
  const runSpan = document.createElement('span');
  runSpan.style.cssText = 'display:inline-block;white-space:pre;vertical-align:top;';
  runSpan.appendChild(document.createTextNode(''));
  function caretStops(text, style, size, rtl) {
    attach();
    block.replaceChildren(runSpan);
    setStyle(block, 'width', 'auto');
    setStyle(block, 'whiteSpace', 'pre');
    runSpan.style.font = font(style, size);
    runSpan.style.direction = rtl ? 'rtl' : 'ltr';
    const node = runSpan.firstChild;
    node.data = text;
    const offsets = utf8Offsets(text);
    const origin = runSpan.getBoundingClientRect();
    const stops = [];
    let end = null;
    for (const g of graphemes().segment(text)) {
      const r = rectsOf(node, g.index, g.index + g.segment.length)[0];
      const x = r ? (rtl ? r.right : r.left) - origin.left : (stops.length ? stops[stops.length - 1][1] : (rtl ? origin.width : 0));
      stops.push([offsets[g.index], x]);
      end = r ? (rtl ? r.left : r.right) - origin.left : x;
    }
    stops.push([offsets[text.length], end === null ? (rtl ? origin.width : 0) : end]);
    return stops;
  }

  return {
    font,
    // The family for body text: a CSS font-family list (fonts.js decides it).
    setFamily(f) { family = f; widths.clear(); },
    // Web fonts arrived: what was measured in a fallback is stale.
    fontsChanged() { widths.clear(); },
    family: () => family,
    layoutParagraph,
    measureText,
    rasterizeText,
    caretStops,
    destroy() { box.remove(); },
  };
}
