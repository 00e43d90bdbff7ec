// The browser's own layout of a block of text, for text.test.mjs and
// tools/text-screenshots: a plain DOM element in the widget's container, in the
// same font, size and width as the widget's block, read back with Range rects.
// Written apart from web/loader/text.js on purpose: it is what the widget is
// compared with, so it shares none of its code. Loaded into the page as a script
// (page.addScriptTag); defines window.textReference.
(() => {
  const CODE_FAMILY = 'ui-monospace, "DejaVu Sans Mono", monospace';
  const ITALIC = 1, BOLD = 2, CODE = 4;
  const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const BLANK = /^\s+$/u;

  // A layer over the container, in the page's body (the container need not be
  // positioned), in the container's language (CJK glyph forms follow it).
  function overlay(container) {
    let layer = document.querySelector('body > .text-reference');
    if (!layer) {
      layer = document.createElement('div');
      layer.className = 'text-reference';
      layer.setAttribute('aria-hidden', 'true');
      layer.lang = container.closest('[lang]')?.lang || '';
      document.body.appendChild(layer);
    }
    const r = container.getBoundingClientRect();
    layer.style.cssText = `position:absolute;left:${r.left + scrollX}px;top:${r.top + scrollY}px;` +
      `width:${r.width}px;height:${r.height}px;pointer-events:none;z-index:2147483647;margin:0;padding:0;` +
      `visibility:${layer.style.visibility || 'hidden'};`;
    return layer;
  }

  function font(style, size, family) {
    return (style & ITALIC ? 'italic ' : '') + (style & BOLD ? '700 ' : '') + size + 'px ' +
      (style & CODE ? CODE_FAMILY : family);
  }

  // block: {text, width, pre, styles: a SpanStyle per UTF-16 index of text}; at
  // (left, top) in the container's coordinates. Returns {rtl, height, lines:
  // [[{begin, end, left, right, top, bottom, blank}]]}: the graphemes of each line
  // in logical order, boxes relative to the element's top-left.
  function layOut(container, block, { left, top, size, line, family, colour }) {
    const el = document.createElement('div');
    el.style.cssText = `position:absolute;left:${left}px;top:${top}px;width:${block.width}px;margin:0;padding:0;` +
      `font:${font(0, size, family)};line-height:${line}px;unicode-bidi:plaintext;text-align:start;` +
      `overflow-wrap:anywhere;white-space:${block.pre ? 'pre-wrap' : 'pre-line'};color:${colour};`;
    overlay(container).appendChild(el);
    const text = block.text;
    const nodes = [];  // [{node, begin}]
    for (let i = 0; i < text.length;) {
      let j = i + 1;
      while (j < text.length && block.styles[j] === block.styles[i]) j++;
      const span = document.createElement('span');
      span.style.font = font(block.styles[i], size, family);
      span.textContent = text.slice(i, j);
      el.appendChild(span);
      nodes.push({ node: span.firstChild, begin: i });
      i = j;
    }
    const origin = el.getBoundingClientRect();
    const range = document.createRange();
    const cells = [];
    for (const { node, begin } of nodes) {
      for (const g of graphemes.segment(node.data)) {
        range.setStart(node, g.index);
        range.setEnd(node, g.index + g.segment.length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        const r = rects.length ? rects.reduce((a, b) => ({
          left: Math.min(a.left, b.left), right: Math.max(a.right, b.right),
          top: Math.min(a.top, b.top), bottom: Math.max(a.bottom, b.bottom),
        })) : range.getBoundingClientRect();
        cells.push({
          begin: begin + g.index, end: begin + g.index + g.segment.length, blank: BLANK.test(g.segment),
          left: r.left - origin.left, right: r.right - origin.left, top: r.top - origin.top, bottom: r.bottom - origin.top,
        });
      }
    }
    // Lines in logical order: a visible grapheme whose middle is half a line below the
    // current line's starts the next one; blanks belong to the line they follow.
    const lines = [];
    let current = null, middle = -Infinity;
    for (const c of cells) {
      const m = (c.top + c.bottom) / 2;
      if (!c.blank && (current === null || m - middle > line / 2)) {
        current = [];
        lines.push(current);
        middle = m;
      }
      if (current) current.push(c);
    }
    if (!lines.length) lines.push([]);
    // The paragraph's direction as dir=auto finds it (first strong character).
    const probe = document.createElement('div');
    probe.dir = 'auto';
    probe.textContent = text;
    overlay(container).appendChild(probe);
    const rtl = probe.matches(':dir(rtl)');
    probe.remove();
    return { rtl, height: origin.height, lines };
  }

  // A card's first line as the DOM sets it: the author's name in a <bdi> (an
  // isolate of its own direction, as the server's HTML view has it), `gap` px, then
  // the date, from the line's start edge (`start`, container x) in the interface's
  // direction, each in the widget's colour for it. Returns each piece's {left,
  // right}, container coordinates.
  function layOutHeader(container, { name, date, gap, start, rtl, family, colour }) {
    const layer = overlay(container);
    const el = document.createElement('div');
    el.dir = rtl ? 'rtl' : 'ltr';
    el.style.cssText = `position:absolute;${rtl ? `right:${layer.getBoundingClientRect().width - start}` : `left:${start}`}px;` +
      `top:${name.top}px;width:max-content;margin:0;padding:0;white-space:pre;line-height:${name.size * 1.2}px;color:${colour};`;
    const bdi = document.createElement('bdi');
    // Each piece's line box where the widget puts it (the vertical is the widget's
    // own geometry; the order along the line is the DOM's).
    bdi.style.font = font(BOLD, name.size, family);
    bdi.style.cssText += `vertical-align:top;line-height:${name.size * 1.2}px;color:${name.colour || colour};`;
    bdi.textContent = name.text;
    const space = document.createElement('span');
    space.style.cssText = `display:inline-block;width:${gap}px`;
    const when = document.createElement('span');
    when.style.font = font(0, date.size, family);
    when.style.cssText += `vertical-align:top;line-height:${date.size * 1.2}px;position:relative;` +
      `top:${date.top - name.top}px;color:${date.colour || colour};`;
    when.textContent = date.text;
    el.append(bdi, space, when);
    layer.appendChild(el);
    const origin = layer.getBoundingClientRect();
    const box = (node) => {
      const r = node.getBoundingClientRect();
      return { left: r.left - origin.left, right: r.right - origin.left };
    };
    return { name: box(bdi), date: box(when) };
  }

  // A list item's marker as the DOM draws it: an <ol start=N> (or <ul>) whose item,
  // dir=auto, holds `text` at (left, top) `width` px wide, the item's text
  // transparent so that only the ::marker shows.
  function layOutMarker(container, { marker, text, left, top, width, size, line, family, colour }) {
    const number = /^(\d+)\.$/.exec(marker);
    const list = document.createElement(number ? 'ol' : 'ul');
    if (number) list.start = Number(number[1]);
    list.style.cssText = `position:absolute;left:${left}px;top:${top}px;width:${width}px;margin:0;padding:0;` +
      `list-style-position:outside;font:${font(0, size, family)};line-height:${line}px;` +
      `unicode-bidi:plaintext;overflow-wrap:anywhere;white-space:pre-line;color:transparent;`;
    const item = document.createElement('li');
    item.dir = 'auto';
    item.textContent = text;
    list.appendChild(item);
    overlay(container).appendChild(list);
    let style = document.getElementById('text-reference-marker');
    if (!style) {
      style = document.createElement('style');
      style.id = 'text-reference-marker';
      document.head.appendChild(style);
    }
    style.textContent = `.text-reference li::marker { color: ${colour}; }`;
  }

  function clear(container) {
    overlay(container).replaceChildren();
  }

  // Shows the reference instead of the canvas (true), or the canvas alone (false).
  function show(container, reference) {
    overlay(container).style.visibility = reference ? 'visible' : 'hidden';
    container.querySelector('canvas').style.visibility = reference ? 'hidden' : 'visible';
  }

  // Ink in each box of two screenshots of the same clip (PNG, base64): the widget's
  // and the reference's. A pixel is ink when it stands out from the box's most
  // common colour. Returns per box {widget, reference, covered, extra}: ink pixel
  // counts, the share of the reference's ink the widget has within 1 px, and the
  // share of the widget's ink the reference lacks, at the best vertical shift of up
  // to `slack` px (a DOM line box may sit a rounding or a taller fallback font lower).
  async function compareInk(widgetPng, referencePng, clipWidth, boxes, slack = 4) {
    const decode = async (b64) => {
      const img = new Image();
      img.src = 'data:image/png;base64,' + b64;
      await img.decode();
      const c = new OffscreenCanvas(img.width, img.height);
      const g = c.getContext('2d');
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, img.width, img.height);
    };
    const [a, b] = await Promise.all([decode(widgetPng), decode(referencePng)]);
    const scale = a.width / clipWidth;
    const inkMask = (img, x0, y0, w, h) => {
      const d = img.data, counts = new Map();
      const at = (x, y) => ((y0 + y) * img.width + x0 + x) * 4;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const i = at(x, y), k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
        counts.set(k, (counts.get(k) || 0) + 1);
      }
      let bg = 0, most = -1;
      for (const [k, n] of counts) if (n > most) { most = n; bg = k; }
      const mask = new Uint8Array(w * h);
      let n = 0;
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        const i = at(x, y);
        const diff = Math.abs(d[i] - (bg >> 16)) + Math.abs(d[i + 1] - ((bg >> 8) & 255)) + Math.abs(d[i + 2] - (bg & 255));
        if (diff > 90) { mask[y * w + x] = 1; n++; }
      }
      const grown = new Uint8Array(w * h);  // the mask grown by 1 px
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
        if (!mask[y * w + x]) continue;
        for (let v = Math.max(0, y - 1); v <= Math.min(h - 1, y + 1); v++)
          for (let u = Math.max(0, x - 1); u <= Math.min(w - 1, x + 1); u++) grown[v * w + u] = 1;
      }
      return { mask, grown, n };
    };
    return boxes.map((box) => {
      const pad = Math.round(slack * scale);
      const x0 = Math.max(0, Math.floor(box.x * scale)), y0 = Math.max(0, Math.floor(box.y * scale) - pad);
      const x1 = Math.min(a.width, Math.ceil((box.x + box.width) * scale));
      const y1 = Math.min(a.height, Math.ceil((box.y + box.height) * scale) + pad);
      const w = x1 - x0, h = y1 - y0;
      if (w <= 0 || h <= 0) return { widget: 0, reference: 0, covered: 0, extra: 1 };
      const A = inkMask(a, x0, y0, w, h), B = inkMask(b, x0, y0, w, h);
      let best = { covered: 0, extra: 1 };
      for (let dy = -pad; dy <= pad; dy++) for (let dx = -1; dx <= 1; dx++) {
        let covered = 0, extra = 0;
        for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
          const u = x + dx, v = y + dy, inside = u >= 0 && v >= 0 && u < w && v < h;
          if (B.mask[y * w + x] && inside && A.grown[v * w + u]) covered++;
          if (inside && A.mask[v * w + u] && !B.grown[y * w + x]) extra++;
        }
        const c = B.n ? covered / B.n : 1, e = A.n ? extra / A.n : 0;
        if (c - e > best.covered - best.extra) best = { covered: c, extra: e };
      }
      return { widget: A.n, reference: B.n, ...best };
    });
  }

  window.textReference = { layOut, layOutHeader, layOutMarker, clear, show, compareInk, font };
})();
