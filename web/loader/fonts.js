// The widget's typeface. By default the site's own: the font-family computed on
// the container (inherited from the article). --causerie-font-family (a CSS
// font-family list) replaces it; --causerie-font, --causerie-font-bold and
// --causerie-font-italic (url(...) of a TTF or OTF file) are loaded as FontFaces
// of one family put in front of it. The family goes to text.js (everything the
// canvas writes) and to the form's fields; when it changes, or when the page's
// fonts finish loading, the widget lays its text out again (textChanged).

const FACES = [['font', {}], ['font-bold', { weight: '700' }], ['font-italic', { style: 'italic' }]];
let familyCount = 0;   // site FontFace families made on this page

function fontUrl(value) {
  const m = /^url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)$/.exec(value);
  return m ? (m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3]) : null;
}

// widget: {id, element, root, on, call, alive} (mount.js); text: text.js's.
export function createFonts(widget, text) {
  const values = FACES.map(() => '');        // the custom properties as last read
  const loaded = FACES.map(() => null);      // their FontFaces, once loaded
  let siteFamily = '';                       // the loaded faces' family name
  let warnedFamily = '';
  let family = '';                           // what text.js has

  function changed() {
    text.fontsChanged();
    widget.call((w) => w.textChanged());
  }

  function loadFace(index, value) {
    const [key, descriptors] = FACES[index];
    const url = fontUrl(value);
    if (!url) {
      console.warn('Causerie: --causerie-' + key + ' must be url(...) of a TTF or OTF file, not ' + value);
      return;
    }
    fetch(new URL(url, location.href)).then((r) => {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.arrayBuffer();
    }).then((buffer) => {
      // TrueType (00 01 00 00, "true") or OpenType ("OTTO"); WOFF and the rest are not read.
      const tag = String.fromCharCode(...new Uint8Array(buffer, 0, Math.min(4, buffer.byteLength)));
      if (!(tag === '\0\x01\0\0' || tag === 'true' || tag === 'OTTO')) throw new Error('not a TTF or OTF file');
      if (!widget.alive || values[index] !== value) return null;
      if (!siteFamily) siteFamily = 'causerie-site-' + widget.id + '-' + (++familyCount);
      const face = new FontFace(siteFamily, buffer, descriptors);
      return face.load().then(() => {
        if (!widget.alive || values[index] !== value) return;
        if (loaded[index]) document.fonts.delete(loaded[index]);
        loaded[index] = face;
        document.fonts.add(face);
        update();
      });
    }).catch((e) => {
      console.warn('Causerie: font ' + url + ' not loaded (' + (e.message || e) + '), using the page\'s font');
    });
  }

  // Reads the container's style again (theme.js calls it on every re-theme).
  function update() {
    const computed = getComputedStyle(widget.element);
    FACES.forEach(([key], i) => {
      const value = computed.getPropertyValue('--causerie-' + key).trim();
      if (value === values[i]) return;
      values[i] = value;
      if (loaded[i]) { document.fonts.delete(loaded[i]); loaded[i] = null; }
      if (value) loadFace(i, value);
    });
    let base = computed.getPropertyValue('--causerie-font-family').trim();
    if (base && !CSS.supports('font-family', base)) {
      if (warnedFamily !== base) console.warn('Causerie: --causerie-font-family must be a CSS font-family list, not ' + base);
      warnedFamily = base;
      base = '';
    }
    if (!base) base = computed.fontFamily || 'sans-serif';
    const next = (loaded.some((f) => f) ? '"' + siteFamily + '", ' : '') + base;
    if (next === family) return;
    family = next;
    text.setFamily(family);
    widget.root.style.setProperty('--causerie-field-font', family);
    changed();
  }

  // A web font the page (or the widget) uses finished loading: text laid out
  // before it arrived was set in a fallback.
  if (document.fonts) widget.on(document.fonts, 'loadingdone', changed);

  return {
    update,
    destroy() { loaded.forEach((f) => f && document.fonts.delete(f)); },
  };
}
