// The widget's fonts: the built-in faces (regular at start, bold and italic once the
// first comments show, Greek and Cyrillic when a thread needs them), the site's own
// (--causerie-font...), and the form fields' FontFace matching the canvas's face.
import { base, fetchBytes, loadShared } from './shared.js';
import { FontFile } from './bridge.js';

let fieldFaceCount = 0;   // names of the site fonts' FontFaces for the form fields

// widget: {id, element, root, wasm, alive} (mount.js).
export function createFonts(widget) {
  // Hands a font file to the wasm (face: FontFile, whose Latin files kRegular,
  // kBold, kItalic also index the arrays below by style).
  function addFont(buffer, face) {
    widget.wasm.addFont(new Uint8Array(buffer), face);
  }
  // The site's typeface: --causerie-font, --causerie-font-bold, --causerie-font-italic
  // as url(...) of a TTF/OTF file, fetched when set (the built-in font meanwhile,
  // and again when unset or broken).
  const fontValues = ['', '', ''];
  const builtinFonts = [null, null, null];   // as they arrive
  const siteFace = [false, false, false];    // the site's face is in use
  // Bold and italic, once the first comments are on screen.
  function loadLate() {
    const s = loadShared();
    if (!s.lateFonts) s.lateFonts = Promise.all(['bold', 'italic'].map((f) => fetchBytes(base + 'fonts/sans-' + f + '.ttf')));
    s.lateFonts.then((faces) => faces.forEach((font, i) => {
      builtinFonts[i + 1] = font;
      if (widget.wasm && widget.alive && !siteFace[i + 1]) addFont(font, FontFile.kBold + i);
    })).catch((e) => console.warn('Causerie: bold and italic faces unavailable:', e));
  }
  function fontUrl(value) {
    const m = /^url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)$/.exec(value);
    return m ? (m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3]) : null;
  }
  function loadSiteFonts() {
    const computed = getComputedStyle(widget.element);
    ['font', 'font-bold', 'font-italic'].forEach((key, face) => {
      const value = computed.getPropertyValue('--causerie-' + key).trim();
      if (value === fontValues[face]) return;
      const builtin = () => {
        if (!widget.wasm || fontValues[face] !== value) return;
        siteFace[face] = false;
        if (builtinFonts[face]) addFont(builtinFonts[face], face);
        if (face === 0) setFieldFace(null, value);
      };
      const had = fontValues[face];
      fontValues[face] = value;
      if (!value) { if (had) builtin(); return; }
      const url = fontUrl(value);
      if (!url) {
        console.warn('Causerie: --causerie-' + key + ' must be url(...) of a TTF or OTF file, not ' + value);
        return builtin();
      }
      fetch(new URL(url, location.href)).then((r) => {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.arrayBuffer();
      }).then((buffer) => {
        // TrueType (00 01 00 00, "true") or OpenType ("OTTO"); WOFF and the rest are not read.
        const b = new Uint8Array(buffer, 0, Math.min(4, buffer.byteLength));
        const tag = String.fromCharCode(...b);
        if (!(tag === '\0\x01\0\0' || tag === 'true' || tag === 'OTTO')) throw new Error('not a TTF or OTF file');
        if (widget.wasm && widget.alive && fontValues[face] === value) {
          siteFace[face] = true;
          addFont(buffer, face);
          if (face === 0) setFieldFace(buffer, value);
        }
      }).catch((e) => {
        console.warn('Causerie: font ' + url + ' not loaded (' + (e.message || e) + '), using the built-in font');
        if (had) builtin();
      });
    });
  }
  // The form's DOM fields measure text in the face the canvas draws them with, so
  // that a click puts the browser's caret between the characters the reader sees:
  // the site's regular face, as a FontFace of its own (the built-in one otherwise).
  let fieldFace = null;
  function setFieldFace(buffer, value) {
    if (fieldFace) { document.fonts.delete(fieldFace); fieldFace = null; }
    widget.root.style.removeProperty('--causerie-field-font');
    if (!buffer) return;
    try {
      const face = new FontFace('causerie-site-' + widget.id + '-' + (++fieldFaceCount), buffer.slice(0));
      fieldFace = face;
      document.fonts.add(face);
      face.load().then(() => {
        if (fieldFace === face && widget.alive && fontValues[0] === value)
          widget.root.style.setProperty('--causerie-field-font', '"' + face.family + '"');
      }, () => { /* the built-in face stays: the caret may sit a little off */ });
    } catch (e) { /* idem */ }
  }

  return {
    // The widget has started: the regular face, unless the site's is already in.
    start(regular) {
      builtinFonts[0] = regular;
      if (!siteFace[0]) addFont(regular, FontFile.kRegular);
    },
    loadLate,
    loadSiteFonts,
    loadExtended() {
      const s = loadShared();
      if (!s.extendedFonts) {
        s.extendedFonts = Promise.all(['regular', 'bold', 'italic'].map((f) => fetchBytes(base + 'fonts/sans-ext-' + f + '.ttf')));
      }
      s.extendedFonts.then((fonts) => { if (widget.wasm) fonts.forEach((font, i) => addFont(font, FontFile.kExtendedRegular + i)); })
        .catch((e) => console.warn('Causerie: Greek/Cyrillic fonts unavailable:', e));
    },
    destroy() {
      if (fieldFace) document.fonts.delete(fieldFace);
    },
  };
}
