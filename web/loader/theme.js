// Theming (docs/theming.md). The theme is collected from the page at mount and
// whenever it may have changed: the container's or an ancestor's class or style
// (a site's dark-mode toggle), data-theme, or the system's colour scheme.

const THEME_KEYS = ['accent', 'background', 'text', 'muted', 'border', 'radius', 'font-size',
  'line-height', 'spacing', 'max-depth', 'avatar', 'card', 'card-border', 'shadow'];
const BUILTIN_THEMES = ['light', 'dark', 'auto', 'contrast'];
const darkScheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

// widget: {element, options, on, wasm, alive} (mount.js); fonts: fonts.js's, whose
// family is read with the theme.
export function createTheming(widget, fonts) {
  const { element, on } = widget;
  let themeObserver = null, sheetObserver = null, bodySheetObserver = null;
  let themeFile = null;       // {url, keys}: the theme file data-theme names
  let sentTheme = '';
  const themeName = () => String(widget.options.theme || element.dataset.theme || '').trim();
  // The background the reader sees behind the widget: the first ancestor with one.
  function pageBackground() {
    for (let e = element; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      if (bg && bg !== 'transparent' && !/^rgba\([^)]*[,/]\s*0\)$/.test(bg)) return bg;
    }
    return '';
  }
  function linkColour() {
    const a = document.createElement('a');
    a.href = '#';
    a.style.cssText = 'position:absolute;visibility:hidden;';
    element.appendChild(a);
    const colour = getComputedStyle(a).color;
    a.remove();
    return colour;
  }
  function collectTheme() {
    const name = themeName();
    const computed = getComputedStyle(element);
    const properties = {};
    if (themeFile && themeFile.url === name) Object.assign(properties, themeFile.keys);
    for (const k of THEME_KEYS) {
      const v = computed.getPropertyValue('--causerie-' + k).trim();
      if (v) properties[k] = v;
    }
    return {
      base: BUILTIN_THEMES.includes(name) ? name : 'page',
      prefers_dark: !!(darkScheme && darkScheme.matches),
      page: { color: computed.color, background: pageBackground(), 'font-size': computed.fontSize, link: linkColour() },
      properties,
    };
  }
  function applyTheme() {
    if (!widget.wasm || !widget.alive) return;
    fonts.update();
    const name = themeName();
    if (name && !BUILTIN_THEMES.includes(name) && (!themeFile || themeFile.url !== name)) loadThemeFile(name);
    const json = JSON.stringify(collectTheme());
    if (json === sentTheme) return;
    sentTheme = json;
    widget.wasm.setTheme(json);
  }
  // A theme file (data-theme="https://site/causerie-theme.json"): the same keys
  // as the custom properties, which win over it.
  function loadThemeFile(url) {
    themeFile = { url, keys: {} };
    fetch(new URL(url, location.href)).then((r) => {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    }).then((data) => {
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('not a JSON object');
      const keys = {};
      for (const k of THEME_KEYS) {
        const v = data[k] !== undefined ? data[k] : data['--causerie-' + k];
        if (typeof v === 'string' || typeof v === 'number') keys[k] = String(v);
      }
      if (themeFile && themeFile.url === url) themeFile.keys = keys;
      applyTheme();
    }).catch((e) => console.warn('Causerie: theme file ' + url + ' not loaded:', e.message || e));
  }
  // Stylesheets: a <link rel=stylesheet> or <style> added to, removed from or
  // changed in <head> (or added to <body>), its href, media or disabled changed
  // anywhere, and a stylesheet that finished loading (a swapped href loads after the swap).
  // Events only, no polling: an idle page does nothing.
  const isSheet = (n) => n.nodeName === 'STYLE' || (n.nodeName === 'LINK' && /(^|\s)stylesheet(\s|$)/i.test(n.rel || ''));
  function sheetsChanged(records) {
    for (const r of records) {
      const target = r.type === 'characterData' ? r.target.parentNode : r.target;
      if (target && isSheet(target)) return applyTheme();
      if (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].some(isSheet)) return applyTheme();
    }
  }
  function start() {
    themeObserver = new MutationObserver(applyTheme);
    themeObserver.observe(element, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    for (let e = element.parentElement; e; e = e.parentElement)
      themeObserver.observe(e, { attributes: true, attributeFilter: ['class', 'style', 'data-theme'] });
    sheetObserver = new MutationObserver(sheetsChanged);
    sheetObserver.observe(document.head, { childList: true, subtree: true, characterData: true,
      attributes: true, attributeFilter: ['href', 'media', 'disabled', 'rel'] });
    // In <body>: sheets added or removed as its children, and any sheet's attributes
    // (not the whole subtree's children: the widget's own DOM changes are not news).
    if (document.body) {
      sheetObserver.observe(document.body, { childList: true });
      bodySheetObserver = new MutationObserver(sheetsChanged);
      bodySheetObserver.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['href', 'media', 'disabled', 'rel'] });
    }
    on(document, 'load', (e) => { if (isSheet(e.target)) applyTheme(); }, { capture: true });
    on(document, 'error', (e) => { if (isSheet(e.target)) applyTheme(); }, { capture: true });
    // A stylesheet's @media (max-width: ...) may set other properties.
    on(window, 'resize', applyTheme, { passive: true });
    if (darkScheme) on(darkScheme, 'change', applyTheme);
    applyTheme();
  }

  return {
    start,
    destroy() {
      if (themeObserver) themeObserver.disconnect();
      if (sheetObserver) sheetObserver.disconnect();
      if (bodySheetObserver) bodySheetObserver.disconnect();
    },
  };
}
