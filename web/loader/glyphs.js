// The Canvas 2D glyph rasterizer: what no bundled face has (emoji, CJK...), drawn
// by the browser for the widget's dynamic glyph atlas.

// Draws one code point the widget's fonts lack with the browser's fonts (emoji,
// CJK...) for the wasm's glyph atlas: {advance, pixels (RGBA, straight alpha),
// left, top (of the ink box from the pen and the baseline), width, height,
// colour}, in device pixels; pixels null when the browser has none either (tofu).
// See src/platform/host.h, host_rasterize_glyph. One scratch canvas for the page; it only grows.
let glyphCanvas = null;
const tofuBoxes = new Map();   // font -> the box of an unassigned code point
export function rasterizeGlyph(codepoint, px) {
  const text = String.fromCodePoint(codepoint);
  const font = px + 'px system-ui, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"';
  if (!glyphCanvas) glyphCanvas = document.createElement('canvas');
  let g = glyphCanvas.getContext('2d', { willReadFrequently: true });
  g.font = font;
  const m = g.measureText(text);
  const left = Math.ceil(m.actualBoundingBoxLeft) + 1, right = Math.ceil(m.actualBoundingBoxRight) + 1;
  const ascent = Math.ceil(m.actualBoundingBoxAscent) + 1, descent = Math.ceil(m.actualBoundingBoxDescent) + 1;
  const w = left + right, h = ascent + descent;
  if (!(m.width > 0) || w <= 2 || h <= 2 || w > 4 * px || h > 4 * px) return { advance: m.width, pixels: null };
  if (glyphCanvas.width < w || glyphCanvas.height < h) {
    glyphCanvas.width = Math.max(glyphCanvas.width, w);
    glyphCanvas.height = Math.max(glyphCanvas.height, h);
    g = glyphCanvas.getContext('2d', { willReadFrequently: true });
  }
  const draw = (t, colour) => {
    g.clearRect(0, 0, w, h);
    g.font = font;
    g.fillStyle = colour;
    g.fillText(t, left, ascent);
    return g.getImageData(0, 0, w, h).data;
  };
  // One drawing per glyph on the usual path (a thread of 200 multilingual comments
  // asks for hundreds): the others only when the cheap tests cannot tell.
  const white = draw(text, '#fff');
  // Tofu is what an unassigned code point draws in the same font and size: a glyph
  // whose box differs from tofu's is not tofu; the same box is compared by pixels.
  let tofu = tofuBoxes.get(font);
  if (!tofu) {
    const t = g.measureText('\u0378');
    tofu = [t.width, t.actualBoundingBoxLeft, t.actualBoundingBoxRight, t.actualBoundingBoxAscent, t.actualBoundingBoxDescent];
    tofuBoxes.set(font, tofu);
  }
  const box = [m.width, m.actualBoundingBoxLeft, m.actualBoundingBoxRight, m.actualBoundingBoxAscent, m.actualBoundingBoxDescent];
  if (box.every((v, i) => v === tofu[i])) {
    const drawn = draw('\u0378', '#fff');
    let same = true;
    for (let i = 3; i < white.length && same; i += 4) same = white[i] === drawn[i];
    if (same) return { advance: 0, pixels: null };
  }
  // Colour glyphs ignore the white fill: hued pixels show one; a glyph drawn in
  // greys only (a grey emoji, or anti-aliasing) is drawn again in black, and the
  // pixels that stay put are the font's own colours.
  let opaque = 0, hued = 0, grey = 0;
  for (let i = 0; i < white.length; i += 4) {
    if (white[i + 3] < 128) continue;
    opaque++;
    const r = white[i], gr = white[i + 1], b = white[i + 2];
    if (Math.max(r, gr, b) - Math.min(r, gr, b) > 40) hued++;
    else if (r < 200) grey++;
  }
  let isColour = opaque > 0 && hued * 4 > opaque;
  if (!isColour && grey * 4 > opaque) {
    const black = draw(text, '#000');
    let kept = 0;
    for (let i = 0; i < white.length; i += 4) {
      if (white[i + 3] >= 128 && Math.abs(white[i] - black[i]) < 40 && Math.abs(white[i + 1] - black[i + 1]) < 40) kept++;
    }
    isColour = kept * 2 > opaque;
  }
  const pixels = new Uint8Array(white.length);
  for (let i = 0; i < white.length; i += 4) {
    // Monochrome glyphs: white + coverage, so the text colour tints them.
    pixels[i] = isColour ? white[i] : 255;
    pixels[i + 1] = isColour ? white[i + 1] : 255;
    pixels[i + 2] = isColour ? white[i + 2] : 255;
    pixels[i + 3] = white[i + 3];
  }
  return { advance: m.width, pixels, left: -left, top: -ascent, width: w, height: h, colour: isColour };
}
