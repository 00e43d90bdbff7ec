/* Causerie loader: one script tag under an article mounts the comment section.
 *
 *   <div id="causerie"></div>
 *   <script async src="https://comments.example.org/causerie.js"
 *           data-api="https://comments.example.org/api/v1"
 *           data-thread="/2026/12/un-article" data-title="…" data-lang="fr"></script>
 *
 * On a WordPress site, through its own REST API (docs/wordpress.md):
 *   data-api-kind="wordpress" data-api="https://example.org/wp-json" data-thread="<post id>"
 *
 * or, from a single-page site: const handle = Causerie.mount(element, options);
 * handle.stats(); handle.destroy();
 * The script tag's widget keeps its handle on its container: element.causerie.
 *
 * Each widget is its own wasm instance (the compiled module, the widget's JS and
 * the fonts are fetched once per page). The canvas is viewport-sized and sticky
 * inside a container as tall as the whole thread: the page scrolls, not the canvas.
 * Nothing is ever drawn while nothing changes. No listener is put on `window`
 * except a passive scroll/resize one; keys are only heard on the widget's elements.
 */
(function () {
  'use strict';
  if (window.Causerie) return;  // loaded twice: keep the first

  const scriptStart = performance.now();  // for stats(): time to the first comments
  const script = document.currentScript;
  const base = new URL('.', script ? script.src : location.href).href;
  let shared = null;  // {factory, wasm, font} promises, made on the first mount
  let mountCount = 0;
  let fieldFaceCount = 0;   // names of the site fonts' FontFaces for the form fields

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.async = true;
      s.onload = resolve;
      s.onerror = () => reject(new Error('could not load ' + src));
      document.head.appendChild(s);
    });
  }

  function fetchBytes(url) {
    return fetch(url).then((r) => {
      if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
      return r.arrayBuffer();
    });
  }

  function loadShared() {
    if (shared) return shared;
    const wasmUrl = base + 'causerie-widget.wasm';
    shared = {
      factory: loadScript(base + 'causerie-widget.js').then(() => window.CauserieWidget),
      wasm: (WebAssembly.compileStreaming
        ? WebAssembly.compileStreaming(fetch(wasmUrl))
        : fetchBytes(wasmUrl).then((b) => WebAssembly.compile(b))),
      // The regular face is all a first paint needs; bold and italic follow it
      // (lateFonts), like a web font with font-display: swap.
      regular: fetchBytes(base + 'fonts/sans-regular.ttf'),
      lateFonts: null,
    };
    return shared;
  }

  // Visually hidden, still read by screen readers and found by getByRole.
  const HIDDEN = 'position:absolute;left:0;top:0;width:1px;height:1px;overflow:hidden;' +
    'clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;';

  // The accessibility mirror: the thread as real DOM, text set with textContent only
  // (nothing from a comment is ever parsed as HTML). It holds a window of comments
  // around the viewport; the total is announced in the heading's section.
  function renderMirror(section, data, act) {
    const el = (tag, text, attrs) => {
      const e = document.createElement(tag);
      if (text != null) e.textContent = text;
      if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
      return e;
    };
    const children = [];
    const heading = el('h2', data.heading, { id: section.id + '-heading' });
    children.push(heading);
    if (data.arrived_label) {   // « 2 nouveaux commentaires »: the pill in the canvas
      const reveal = el('button', data.arrived_label, { type: 'button', style: HIDDEN });
      reveal.dataset.key = 'reveal';
      reveal.onclick = () => act('reveal');
      reveal.onfocus = () => act('focus_reveal');
      reveal.onblur = () => act('focus_none');
      children.push(reveal);
    }
    if (data.state === 'error') {
      children.push(el('p', data.error, { style: HIDDEN }));
      const retry = el('button', data.retry_label, { type: 'button', style: HIDDEN });
      retry.onclick = () => act('retry');
      children.push(retry);
    }
    data.comments.forEach((c, i) => {
      const article = el('article', null, { id: 'causerie-comment-' + c.id, 'aria-posinset': String(data.first + i + 1), 'aria-setsize': String(data.total) });
      // Laid exactly over the comment drawn in the canvas, invisible: focusing a
      // button in it (Tab) or finding its text (Ctrl+F) scrolls the page to the
      // comment itself.
      article.style.cssText = 'position:absolute;left:0;width:100%;overflow:hidden;opacity:0;' +
        'pointer-events:none;top:' + c.top + 'px;height:' + c.height + 'px;';
      article.dataset.id = c.id;
      const header = el('header');
      header.appendChild(c.url ? el('a', c.author, { href: c.url, rel: 'nofollow ugc noopener', target: '_blank' }) : el('strong', c.author));
      header.appendChild(document.createTextNode(' '));
      header.appendChild(el('time', c.date, { datetime: c.datetime }));
      article.appendChild(header);
      if (c.in_reply_to) article.appendChild(el('p', c.in_reply_to));
      if (c.notice) article.appendChild(el('p', c.notice));
      article.appendChild(el('p', c.text, { style: 'white-space:pre-line' }));
      if (c.links) {
        const list = el('ul');
        for (const l of c.links) {
          const a = el('a', l.text, { rel: 'nofollow ugc noopener', target: '_blank' });
          a.href = l.href;  // a property, from a link the widget's core accepted
          const li = el('li');
          li.appendChild(a);
          list.appendChild(li);
        }
        article.appendChild(list);
      }
      // Focus on a control shows as a ring around it in the canvas.
      const control = (b, action) => {
        b.dataset.key = action + '-' + c.id;
        b.onfocus = () => act('focus_' + action, c.id);
        b.onblur = () => act('focus_none', 0);
        article.appendChild(b);
      };
      if (c.can_reply) {
        const reply = el('button', data.reply_label, { type: 'button', 'aria-label': data.reply_label + ' — ' + c.author });
        reply.onclick = () => act('reply', c.id);
        control(reply, 'reply');
      }
      if (c.editable_until && Date.now() / 1000 < c.editable_until) {
        for (const [label, action] of [[data.edit_label, 'edit'], [data.delete_label, 'delete']]) {
          const b = el('button', label, { type: 'button' });
          b.onclick = () => act(action, c.id);
          control(b, action);
        }
      }
      children.push(article);
    });
    if (data.has_more) {
      const more = el('button', data.load_more_label, { type: 'button', style: HIDDEN });
      more.onclick = () => act('load_more');
      children.push(more);
    }
    heading.style.cssText = HIDDEN;
    section.setAttribute('aria-labelledby', heading.id);
    section.replaceChildren(...children);
  }

  // localStorage that never throws (private modes, quotas, sandboxed iframes).
  const store = {
    get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set(k, v) { try { localStorage.setItem(k, v); } catch (e) { /* nothing to keep it in */ } },
    del(k) { try { localStorage.removeItem(k); } catch (e) { /* idem */ } },
  };

  // The reply form's elements are real, transparent, and laid exactly over the
  // fields the canvas draws: they own the text, caret, selection and composition.
  // Their font is the widget's own, so the browser places the caret where the
  // canvas draws the characters.
  let fieldStyleAdded = false;
  function addFieldStyle(fontBuffer) {
    if (fieldStyleAdded) return;
    fieldStyleAdded = true;
    try {
      const face = new FontFace('causerie-sans', fontBuffer.slice(0));
      document.fonts.add(face);
      face.load().catch(() => {});
    } catch (e) { /* the caret may sit a little off; typing still works */ }
    const style = document.createElement('style');
    style.textContent =
      '.causerie-field{position:absolute;box-sizing:border-box;margin:0;padding:8px 10px;border:0;' +
      'border-radius:6px;background:transparent;color:transparent;caret-color:transparent;' +
      '-webkit-text-fill-color:transparent;font:var(--causerie-field-size,16px)/var(--causerie-field-line,24px) var(--causerie-field-font,causerie-sans),sans-serif;letter-spacing:0;' +
      // The canvas neither kerns nor makes ligatures: the browser must not either.
      'font-kerning:none;font-variant-ligatures:none;font-feature-settings:"kern" 0,"liga" 0,"calt" 0;' +
      'resize:none;overflow:hidden;outline:none;box-shadow:none;appearance:none;white-space:pre-wrap;' +
      'word-wrap:break-word;z-index:1}' +
      'input.causerie-field{white-space:pre}' +
      '.causerie-field::selection{background:transparent;color:transparent}' +
      '.causerie-field:-webkit-autofill{transition:background-color 1e6s}' +
      '.causerie-form button.causerie-field,.causerie-form input[type=checkbox].causerie-field{opacity:0;cursor:pointer}';
    document.head.appendChild(style);
  }

  // Draws one code point the widget's fonts lack with the browser's fonts (emoji,
  // CJK...) for the wasm's glyph atlas; 0 when the browser has none either (tofu).
  // See src/platform/canvas_glyphs.h. One scratch canvas for the page; it only grows.
  let glyphCanvas = null;
  const tofuBoxes = new Map();   // font -> the box of an unassigned code point
  function rasterizeGlyph(M, codepoint, px, out) {
    const text = String.fromCodePoint(codepoint);
    const font = px + 'px system-ui, sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"';
    if (!glyphCanvas) glyphCanvas = document.createElement('canvas');
    let g = glyphCanvas.getContext('2d', { willReadFrequently: true });
    g.font = font;
    const m = g.measureText(text);
    const left = Math.ceil(m.actualBoundingBoxLeft) + 1, right = Math.ceil(m.actualBoundingBoxRight) + 1;
    const ascent = Math.ceil(m.actualBoundingBoxAscent) + 1, descent = Math.ceil(m.actualBoundingBoxDescent) + 1;
    const w = left + right, h = ascent + descent;
    const f32 = out >> 2;
    M.HEAPF32[f32] = m.width;
    if (!(m.width > 0) || w <= 2 || h <= 2 || w > 4 * px || h > 4 * px) return 0;
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
      if (same) { M.HEAPF32[f32] = 0; return 0; }
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
    const p = M._malloc(pixels.length);
    M.HEAPU8.set(pixels, p);
    M.HEAPF32[f32 + 1] = -left;
    M.HEAPF32[f32 + 2] = -ascent;
    M.HEAPF32[f32 + 3] = w;
    M.HEAPF32[f32 + 4] = h;
    M.HEAPF32[f32 + 5] = isColour ? 1 : 0;
    return p;
  }

  // Asked of the widget's own canvas, with the attributes main.cpp asks for: the
  // widget then gets this same context instead of the page making a second one.
  function webgl2Available(canvas) {
    try {
      return !!canvas.getContext('webgl2', { alpha: true, premultipliedAlpha: true, antialias: false, depth: false, stencil: false });
    } catch (e) {
      return false;
    }
  }

  // Where the widget cannot run (no WebGL2, or its files failed to load), the
  // server's HTML page of the thread (GET …/comments.html: the comments and a plain
  // form that posts and comes back here) takes the canvas's place in the page, not
  // in an iframe: it then sizes itself, reads with the page, and the browser's
  // find and zoom work on it. The markup comes from our own server, which escapes
  // every text; it is still filtered here to the elements and attributes that page
  // uses, with links resolved against the API's address, before joining the page.
  const FALLBACK_TAGS = new Set(['section', 'h2', 'h3', 'ol', 'ul', 'li', 'article', 'p', 'span', 'a', 'time',
    'div', 'em', 'strong', 'code', 'pre', 'blockquote', 'br', 'small', 'form', 'label', 'textarea', 'input',
    'button']);
  const FALLBACK_ATTRIBUTES = new Set(['class', 'id', 'lang', 'role', 'aria-labelledby', 'aria-label',
    'aria-hidden', 'aria-invalid', 'aria-describedby', 'href', 'rel', 'datetime', 'data-reply-to', 'method',
    'action', 'for', 'rows', 'cols', 'required', 'type', 'name', 'autocomplete', 'maxlength', 'inputmode',
    'value', 'tabindex', 'start']);

  function showFallback(root, config) {
    const article = new URL(location.href);
    article.hash = '';
    const pending = article.searchParams.get('causerie') === 'pending';
    article.searchParams.delete('causerie');
    const query = new URLSearchParams({ lang: config.lang, tz: String(config.timezone_offset), return_to: article.href });
    if (config.title) query.set('title', config.title);
    if (pending) query.set('causerie', 'pending');
    const url = new URL(config.api + '/threads/' + encodeURIComponent(config.thread) + '/comments.html?' + query,
      location.href);
    return fetch(url, { credentials: 'omit' }).then((r) => {
      if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
      return r.text();
    }).then((html) => {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const section = doc.querySelector('section.causerie-fallback');
      if (!section) throw new Error('no thread in ' + url);
      for (const el of [section, ...section.querySelectorAll('*')]) {
        if (!FALLBACK_TAGS.has(el.localName)) {
          el.remove();
          continue;
        }
        for (const { name, value } of [...el.attributes]) {
          if (!FALLBACK_ATTRIBUTES.has(name)) {
            el.removeAttribute(name);
          } else if ((name === 'href' || name === 'action') && !value.startsWith('#')) {
            const target = new URL(value, url);
            if (/^(https?|mailto):$/.test(target.protocol)) el.setAttribute(name, target.href);
            else el.removeAttribute(name);
          }
        }
      }
      const style = document.createElement('style');  // the page's CSP may refuse it: still readable
      style.textContent = doc.querySelector('style') ? doc.querySelector('style').textContent : '';
      root.style.cssText = '';
      root.replaceChildren(style, document.adoptNode(section));
      // Back from a post: go to the new comment (or the form's notice), which did
      // not exist when the browser looked for the fragment.
      const target = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
      if (target && root.contains(target)) target.scrollIntoView();
    });
  }

  // An author's picture (a WordPress site's avatars), `px` device pixels square: its
  // centre square scaled by the browser, as RGBA (straight alpha); null when it
  // cannot be had. Fetched like an <img> with referrerpolicy="no-referrer", without
  // cookies; the site must allow CORS for it (Gravatar does).
  async function avatarPixels(url, px) {
    try {
      if (!/^https?:/i.test(url)) return null;
      const response = await fetch(url, { credentials: 'omit', referrerPolicy: 'no-referrer' });
      if (!response.ok) return null;
      const bitmap = await createImageBitmap(await response.blob());
      const side = Math.min(bitmap.width, bitmap.height);
      const c = document.createElement('canvas');
      c.width = c.height = px;
      const g = c.getContext('2d', { willReadFrequently: true });
      g.imageSmoothingQuality = 'high';
      g.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, px, px);
      bitmap.close();
      return g.getImageData(0, 0, px, px).data;
    } catch (e) {
      return null;  // offline, refused by CORS, not an image: the drawn avatar stays
    }
  }

  // The thread's first page, asked for at mount, while the widget's files load, not
  // once the wasm has started: the widget's first request takes this answer when
  // it asks for the same URL (host.takePrefetch), which is built here as
  // CauserieClient::make_page_request builds it (src/core/api_client.cpp).
  function prefetchFirstPage(config) {
    if (config.api_kind !== 'causerie' || !config.api || config.owned.length) return null;  // tokens: a header
    const base = config.api.endsWith('/api/v1') ? config.api.slice(0, -7) : config.api;
    const key = encodeURIComponent(config.thread).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
    const url = base + '/api/v1/threads/' + key + '/comments?sort=oldest&limit=200';
    const signal = AbortSignal.timeout ? AbortSignal.timeout(15000) : undefined;  // the widget's own timeout
    const answer = fetch(url, { headers: { Accept: 'application/json' }, signal })
      .then(async (r) => ({
        status: r.status,
        body: new Uint8Array(await r.arrayBuffer()),
        headers: [...r.headers].map(([name, value]) => name + ': ' + value + '\r\n').join(''),
      }))
      .catch(() => ({ status: 0, body: new Uint8Array(0), headers: '' }));
    return { url, answer };
  }

  // Calls a wasm export with strings (UTF-8 copies on the wasm heap, freed after).
  function callWithStrings(M, fn, ...strings) {
    const pointers = strings.map((text) => {
      const n = M.lengthBytesUTF8(text) + 1;
      const p = M._malloc(n);
      M.stringToUTF8(text, p, n);
      return p;
    });
    try { return fn(...pointers); } finally { pointers.forEach((p) => M._free(p)); }
  }

  // The thread's live stream (docs/api.md, GET .../events): open while the thread is
  // on screen and the tab visible, closed a little after it is not (scrolling past
  // and back costs no reconnection). Each event goes to deliver(type, id, data).
  // EventSource reconnects by itself when a connection drops, with Last-Event-ID,
  // so a reader whose server process went away resumes on another one; after a
  // refusal (429, 503) it gives up, and a new one is opened later.
  const LIVE_LINGER_MS = 10000;
  function liveStream(root, deliver) {
    let url = '', position = '', source = null;
    let onScreen = false, lingering = 0, retrying = 0, backoff = 0;
    function open() {
      source = new EventSource(url + '?after=' + encodeURIComponent(position));
      const forward = (e) => {
        if (e.lastEventId) position = e.lastEventId;
        deliver(e.type, e.lastEventId, e.data);
      };
      for (const type of ['comment', 'update', 'reset']) source.addEventListener(type, forward);
      source.onopen = () => { backoff = 0; };
      source.onerror = () => {
        if (!source || source.readyState !== EventSource.CLOSED) return;  // reconnecting by itself
        source = null;
        backoff = Math.min(backoff ? backoff * 2 : 30000, 300000);
        retrying = setTimeout(() => { retrying = 0; update(); }, backoff * (0.75 + Math.random() / 2));
      };
    }
    function close() {
      if (source) source.close();
      source = null;
    }
    function update() {
      const wanted = url && position && onScreen && document.visibilityState === 'visible';
      if (wanted) {
        clearTimeout(lingering);
        lingering = 0;
        if (!source && !retrying) open();
      } else if (!position) {
        close();
      } else if (source && !lingering) {
        lingering = setTimeout(() => { lingering = 0; close(); }, LIVE_LINGER_MS);
      }
    }
    const seen = new IntersectionObserver((entries) => {
      onScreen = entries[entries.length - 1].isIntersecting;
      update();
    }, { rootMargin: '200px 0px' });
    seen.observe(root);
    document.addEventListener('visibilitychange', update);
    return {
      // Where to resume (the widget says so after each read of the thread; "" closes).
      follow(eventsUrl, after) {
        if (eventsUrl === url && after === position) return;
        close();
        url = eventsUrl;
        position = after;
        update();
      },
      get open() { return !!source; },
      destroy() {
        close();
        clearTimeout(lingering);
        clearTimeout(retrying);
        seen.disconnect();
        document.removeEventListener('visibilitychange', update);
      },
    };
  }

  function mount(element, options) {
    options = options || {};
    const id = ++mountCount;
    const commentInHash = () => {
      const m = /^#comment-(\d+)$/.exec(location.hash);
      return m ? Number(m[1]) : 0;
    };
    // Kept per API and thread: drafts (per comment answered), the comment being
    // answered, and this reader's edit tokens.
    const storageKey = (kind, extra) =>
      'causerie:' + kind + ':' + (options.api || '') + '|' + (options.thread || location.pathname) +
      (extra === undefined ? '' : ':' + extra);
    let owned = [];
    try { owned = JSON.parse(store.get(storageKey('owned')) || '[]'); } catch (e) { owned = []; }
    const config = {
      api: (options.api || '').replace(/\/+$/, ''),
      api_kind: options.apiKind === 'wordpress' ? 'wordpress' : 'causerie',
      thread: options.thread || location.pathname,
      // WordPress knows the post's title; document.title there is "Post – Site".
      title: options.title || (options.apiKind === 'wordpress' ? '' : document.title),
      lang: (options.lang || document.documentElement.lang || 'en').toLowerCase(),
      timezone_offset: -new Date().getTimezoneOffset(),
      target_comment: commentInHash(),
      owned: Array.isArray(owned) ? owned : [],
      reply_to: Number(store.get(storageKey('reply')) || 0),
    };

    let prefetch = prefetchFirstPage(config);

    const listeners = new AbortController();
    const on = (target, type, fn, opts) =>
      target.addEventListener(type, fn, Object.assign({ signal: listeners.signal }, opts));

    const root = document.createElement('div');
    root.className = 'causerie-root';
    // overflow-anchor: the widget keeps the comment being read in place itself
    // (the browser's scroll anchoring would pick the mirror's invisible nodes).
    root.style.cssText = 'position:relative;width:100%;height:160px;overflow-anchor:none;';
    const canvas = document.createElement('canvas');
    canvas.id = 'causerie-canvas-' + id;
    // The canvas is a picture of the mirror below: hidden from assistive technology,
    // focusable by a click only (for copying a selection), not by Tab.
    canvas.tabIndex = -1;
    canvas.setAttribute('aria-hidden', 'true');
    // touch-action pan-y: a vertical swipe over the comments scrolls the page.
    canvas.style.cssText = 'position:sticky;top:0;display:block;width:100%;height:160px;' +
      'outline:none;touch-action:pan-y;';
    root.appendChild(canvas);
    const mirror = document.createElement('section');
    mirror.id = 'causerie-mirror-' + id;
    mirror.className = 'causerie-mirror';
    mirror.style.cssText = 'position:absolute;left:0;top:0;width:100%;height:0;margin:0;';
    root.appendChild(mirror);
    // Announcements (posted, awaiting moderation, errors): a live region that exists
    // before anything is said in it.
    const status = document.createElement('div');
    status.setAttribute('role', 'status');
    status.className = 'causerie-status';
    status.style.cssText = HIDDEN;
    root.appendChild(status);
    const form = buildForm();
    root.appendChild(form.element);
    // A real link laid over the link under the pointer: clicks, middle-clicks, the
    // context menu and the status bar are the browser's own. Its href is set as a
    // property from a link the core already checked (http, https, mailto only).
    const link = document.createElement('a');
    link.target = '_blank';
    link.rel = 'nofollow ugc noopener';
    link.tabIndex = -1;
    link.style.cssText = 'position:absolute;display:none;z-index:1;';
    root.appendChild(link);
    element.appendChild(root);
    element.dataset.state = 'loading';

    let M = null;            // the wasm instance's Module
    let alive = true;
    let raf = 0, timer = 0, frames = 0;
    let contentHeight = 0;
    let readyAt = 0;         // performance.now() of the first frame showing the thread
    const posts = new Map(); // causerie_post_comment number -> its promise's resolve
    const live = liveStream(root, (type, eventId, data) => {
      if (M) callWithStrings(M, M._causerie_live_event, type, eventId, data);
    });

    const host = {
      setFieldFont(size, line) {
        root.style.setProperty('--causerie-field-size', size + 'px');
        root.style.setProperty('--causerie-field-line', line + 'px');
      },
      requestFrame() {
        if (!raf && alive) raf = requestAnimationFrame(drawFrame);
      },
      requestFrameAfter(ms) {
        clearTimeout(timer);
        timer = setTimeout(() => { timer = 0; host.requestFrame(); }, ms);
      },
      setContentHeight(h) {
        contentHeight = Math.ceil(h);
        root.style.height = contentHeight + 'px';
        fitCanvas();
      },
      setState(state) {
        if (element.dataset.state === state) return;
        element.dataset.state = state;
        if (state === 'ready' && !readyAt) readyAt = performance.now();
        if (state !== 'loading') setTimeout(loadLateFonts, 0);  // a task after the first frame
      },
      setCursor(cursor) { if (canvas.style.cursor !== cursor) canvas.style.cursor = cursor; },
      scrollBy(d) { window.scrollBy({ top: d, behavior: 'instant' }); },
      setLive(url, position) { live.follow(url, position); },
      scrollTo(y) {
        const top = root.getBoundingClientRect().top + window.scrollY + y - 16;
        window.scrollTo({ top, behavior: 'instant' });
      },
      loadExtendedFonts() {
        const s = loadShared();
        if (!s.extendedFonts) {
          s.extendedFonts = Promise.all(['regular', 'bold', 'italic'].map((f) => fetchBytes(base + 'fonts/sans-ext-' + f + '.ttf')));
        }
        s.extendedFonts.then((fonts) => { if (M) fonts.forEach((font, i) => addFont(font, 3 + i)); })
          .catch((e) => console.warn('Causerie: Greek/Cyrillic fonts unavailable:', e));
      },
      takePrefetch(url) {
        if (!prefetch || prefetch.url !== url) return 0;
        const answer = prefetch.answer;
        prefetch = null;
        answer.then((a) => {
          if (!M) return;
          const p = a.body.length ? M._malloc(a.body.length) : 0;
          if (p) M.HEAPU8.set(a.body, p);
          callWithStrings(M, (h) => M._causerie_fetched(1, a.status, p, a.body.length, h), a.headers);
          if (p) M._free(p);
        });
        return 1;  // one prefetch per widget
      },
      loadAvatar(url, px) {
        avatarPixels(url, px).then((pixels) => {
          if (!M) return;
          const p = pixels ? M._malloc(pixels.length) : 0;  // the widget frees it
          if (p) M.HEAPU8.set(pixels, p);
          callWithStrings(M, (u) => M._causerie_avatar_picture(u, p, p ? px : 0), url);
        });
      },
      setMirror(json) {
        const had = mirror.contains(document.activeElement) ? document.activeElement : null;
        const focusKey = had && had.dataset.key;
        renderMirror(mirror, JSON.parse(json), (action, commentId) => {
          if (M) callWithStrings(M, (p) => M._causerie_command(p, commentId || 0), action);
        });
        // Rebuilt around the viewport: keep keyboard focus on the same control.
        if (focusKey) {
          const again = mirror.querySelector('[data-key="' + focusKey + '"]');
          if (again) again.focus({ preventScroll: true });
        }
      },
      announce(text) { status.textContent = text; },
      setFormLayout(json) { form.place(JSON.parse(json)); },
      setReplyTarget(id) { form.replyTo(id); },
      setEditTarget(id, body) { form.edit(id, body); },
      rasterizeGlyph(codepoint, px, out) { return M ? rasterizeGlyph(M, codepoint, px, out) : 0; },
      setFormLabels(json) { form.label(JSON.parse(json)); },
      setFormMessages(json) {
        const messages = JSON.parse(json);
        form.describe(messages);
        const said = messages.filter((m) => m);
        if (said.length) status.textContent = said.join(' ');
      },
      formPosted(parentId, ownedJson, announcement) { form.posted(parentId, ownedJson); status.textContent = announcement; },
      setLink(href, x, y, w, h) {
        if (!href) {
          link.style.display = 'none';
          link.removeAttribute('href');
          return;
        }
        link.href = href;
        link.title = href;
        link.style.left = x + 'px';
        link.style.top = (canvas.offsetTop + y) + 'px';
        link.style.width = w + 'px';
        link.style.height = h + 'px';
        link.style.display = 'block';
      },
      postDone(seq, json) {
        const resolve = posts.get(seq);
        posts.delete(seq);
        if (resolve) resolve(JSON.parse(json));
      },
    };

    function drawFrame(time) {
      raf = 0;
      if (!alive) return;
      updateViewport();
      frames++;
      if (M._causerie_frame(time)) host.requestFrame();
    }

    // The canvas is as tall as the window (or the thread, when shorter).
    function fitCanvas() {
      const h = Math.max(1, Math.min(contentHeight || 160, window.innerHeight));
      if (canvas.style.height !== h + 'px') canvas.style.height = h + 'px';
      updateViewport();
    }

    // Which slice of the thread the sticky canvas shows: the same clamp the browser
    // applies to the sticky element's offset inside the container.
    let viewportTop = -1;
    function updateViewport() {
      if (!M) return;
      const top = -root.getBoundingClientRect().top;
      const max = Math.max(0, root.offsetHeight - canvas.offsetHeight);
      const slice = Math.round(Math.min(Math.max(top, 0), max));
      if (slice !== viewportTop) {
        viewportTop = slice;
        M._causerie_scroll(slice);
      }
    }

    // Backing store in device pixels: crisp at every devicePixelRatio and zoom.
    const resizeObserver = new ResizeObserver((entries) => {
      const e = entries[entries.length - 1];
      const css = e.contentRect;
      // devicePixelContentBoxSize is exact (snapped to device pixels) where it is
      // right; emulated pixel ratios report CSS pixels there, so it is checked
      // against css x devicePixelRatio.
      let w = Math.round(css.width * devicePixelRatio);
      let h = Math.round(css.height * devicePixelRatio);
      const exact = e.devicePixelContentBoxSize && e.devicePixelContentBoxSize[0];
      if (exact && Math.abs(exact.inlineSize - w) <= 1 && Math.abs(exact.blockSize - h) <= 1) {
        w = exact.inlineSize;
        h = exact.blockSize;
      }
      canvas.width = Math.max(1, w);
      canvas.height = Math.max(1, h);
      if (M) M._causerie_resize(css.width, css.height, css.width > 0 ? w / css.width : devicePixelRatio);
    });

    function localPos(e) {
      const r = canvas.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    }
    const sourceOf = (e) => (e.pointerType === 'touch' ? 1 : e.pointerType === 'pen' ? 2 : 0);
    function pointer(kind) {
      return (e) => {
        if (!M) return;
        const [x, y] = localPos(e);
        M._causerie_pointer(kind, x, y, e.button, sourceOf(e));
      };
    }
    function key(down) {
      return (e) => {
        if (!M || e.isComposing) return;
        const n = M.lengthBytesUTF8(e.code) + 1;
        const p = M._malloc(n);
        M.stringToUTF8(e.code, p, n);
        M._causerie_key(p, down ? 1 : 0, e.ctrlKey, e.shiftKey, e.altKey, e.metaKey);
        M._free(p);
      };
    }

    function addFont(buffer, face) {
      const bytes = new Uint8Array(buffer);
      const p = M._malloc(bytes.length);  // the widget frees it
      M.HEAPU8.set(bytes, p);
      M._causerie_add_font(p, bytes.length, face);
    }

    // The reply form's DOM side: elements, drafts and identity in localStorage, and
    // every change of text, selection, composition and focus reported to the widget.
    function buildForm() {
      const fr = config.lang.startsWith('fr');
      const element = document.createElement('form');
      element.className = 'causerie-form';
      element.noValidate = true;
      element.style.cssText = 'position:absolute;left:0;top:0;width:0;height:0;margin:0;';
      const make = (tag, props, label) => {
        const e = document.createElement(tag);
        Object.assign(e, props);
        e.className = 'causerie-field';
        e.id = 'causerie-' + id + '-' + props.name;
        e.style.display = 'none';
        if (label) {
          const l = document.createElement('label');
          l.htmlFor = e.id;
          l.textContent = label;
          l.style.cssText = HIDDEN;
          element.appendChild(l);
        }
        element.appendChild(e);
        return e;
      };
      const fields = [
        make('textarea', { name: 'comment', required: true, spellcheck: true, rows: 5 }, fr ? 'Commentaire *' : 'Comment *'),
        make('input', { name: 'author', type: 'text', autocomplete: 'name', required: true }, fr ? 'Nom *' : 'Name *'),
        // type=text with inputmode: email and url inputs have no selection API, and
        // the canvas draws the caret from it; the keyboard and autofill stay the same.
        make('input', { name: 'email', type: 'text', inputMode: 'email', autocomplete: 'email', required: true, spellcheck: false }, fr ? 'E-mail *' : 'Email *'),
        make('input', { name: 'url', type: 'text', inputMode: 'url', autocomplete: 'url', spellcheck: false }, fr ? 'Site web' : 'Website'),
      ];
      const remember = make('input', { name: 'remember', type: 'checkbox' },
        fr ? 'Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain commentaire.'
          : 'Save my name, email, and website in this browser for the next time I comment.');
      const submit = make('button', { name: 'submit', type: 'submit', textContent: fr ? 'Laisser un commentaire' : 'Post Comment' });
      const elements = [...fields, remember, submit];
      let replyTarget = 0;
      const composition = fields.map(() => null);  // UTF-16 start of the text being composed
      const encoder = new TextEncoder();

      function report(i) {
        if (!M) return;
        const f = fields[i];
        const v = f.value;
        const u8 = (n) => encoder.encode(v.slice(0, n)).length;
        const cs = composition[i] === null ? 0 : u8(composition[i]);
        const ce = composition[i] === null ? 0 : u8(f.selectionEnd);
        const n = M.lengthBytesUTF8(v) + 1;
        const p = M._malloc(n);
        M.stringToUTF8(v, p, n);
        M._causerie_field(i, p, u8(f.selectionStart), u8(f.selectionEnd), cs, ce);
        M._free(p);
      }
      function reportFocus() {
        if (M) M._causerie_form_focus(elements.indexOf(document.activeElement), remember.checked ? 1 : 0);
      }
      const command = (name, commentId) => {
        if (!M) return;
        const n = M.lengthBytesUTF8(name) + 1;
        const p = M._malloc(n);
        M.stringToUTF8(name, p, n);
        M._causerie_command(p, commentId || 0);
        M._free(p);
      };
      const draftKey = (parent) => storageKey('draft', parent);

      fields.forEach((f, i) => {
        const r = () => report(i);
        for (const type of ['input', 'select', 'selectionchange', 'keyup', 'pointerup', 'focus']) on(f, type, r);
        on(f, 'compositionstart', () => { composition[i] = f.selectionStart; r(); });
        on(f, 'compositionupdate', r);
        on(f, 'compositionend', () => { composition[i] = null; r(); });
      });
      // Nothing typed is lost: the draft is saved as the reader types.
      on(fields[0], 'input', () => {
        if (String(replyTarget).startsWith('edit-')) return;
        if (fields[0].value) store.set(draftKey(replyTarget), fields[0].value);
        else store.del(draftKey(replyTarget));
      });
      on(element, 'focusin', reportFocus);
      on(element, 'focusout', () => setTimeout(reportFocus, 0));
      on(remember, 'change', reportFocus);
      on(element, 'submit', (e) => { e.preventDefault(); command('submit'); });
      on(element, 'keydown', (e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); command('submit'); }
        if (e.key === 'Escape' && replyTarget) { e.preventDefault(); command('cancel_reply'); }
      });

      // What this browser remembers of the reader (only when they ticked the box).
      try {
        const who = JSON.parse(store.get('causerie:identity') || 'null');
        if (who) {
          fields[1].value = who.name || '';
          fields[2].value = who.email || '';
          fields[3].value = who.url || '';
          remember.checked = true;
        }
      } catch (e) { /* ignore a damaged entry */ }
      fields[0].value = store.get(draftKey(0)) || '';

      return {
        element,
        start() {  // the widget is ready: tell it what the fields hold
          fields.forEach((f, i) => report(i));
          reportFocus();
        },
        place(rects) {
          elements.forEach((e, i) => {
            const r = rects.slice(4 * i, 4 * i + 4);
            if (r.length < 4 || r[2] <= 0) { e.style.display = 'none'; return; }
            e.style.display = 'block';
            e.style.left = r[0] + 'px';
            e.style.top = r[1] + 'px';
            e.style.width = r[2] + 'px';
            e.style.height = r[3] + 'px';
          });
        },
        // Errors become the fields' accessible descriptions (aria-invalid +
        // aria-describedby); the form's own error describes the submit button.
        describe(messages) {
          const targets = [...fields, submit];
          targets.forEach((f, i) => {
            const text = messages[i] || '';
            let d = document.getElementById(f.id + '-error');
            if (!d) {
              d = document.createElement('span');
              d.id = f.id + '-error';
              d.style.cssText = HIDDEN;
              element.appendChild(d);
            }
            d.textContent = text;
            if (text) {
              f.setAttribute('aria-invalid', 'true');
              f.setAttribute('aria-describedby', d.id);
            } else {
              f.removeAttribute('aria-invalid');
              f.removeAttribute('aria-describedby');
            }
          });
        },
        label(names) {  // from the widget's catalog
          elements.forEach((e, i) => {
            if (!names[i]) return;
            if (e.tagName === 'BUTTON') e.textContent = names[i];
            else if (e.labels && e.labels[0]) e.labels[0].textContent = names[i];
          });
        },
        edit(commentId, body) {  // the text of one's own comment, to edit (no draft kept)
          replyTarget = 'edit-' + commentId;
          fields[0].value = body;
          report(0);
          fields[0].focus({ preventScroll: true });
        },
        replyTo(parent) {
          if (parent === replyTarget) return;
          replyTarget = parent;
          if (parent) store.set(storageKey('reply'), String(parent));
          else store.del(storageKey('reply'));
          fields[0].value = store.get(draftKey(parent)) || '';
          report(0);
          if (parent) fields[0].focus({ preventScroll: true });
        },
        posted(parent, ownedJson) {
          store.del(draftKey(parent));
          store.set(storageKey('owned'), ownedJson);
          if (remember.checked) {
            store.set('causerie:identity', JSON.stringify({ name: fields[1].value, email: fields[2].value, url: fields[3].value }));
          } else {
            store.del('causerie:identity');
          }
          fields[0].value = '';
          report(0);
        },
      };
    }

    // Theming (docs/theming.md). The theme is collected from the page at mount and
    // whenever it may have changed: the container's or an ancestor's class or style
    // (a site's dark-mode toggle), data-theme, or the system's colour scheme.
    const THEME_KEYS = ['accent', 'background', 'text', 'muted', 'border', 'radius', 'font-size',
      'line-height', 'spacing', 'max-depth', 'avatar', 'card', 'card-border', 'shadow'];
    const BUILTIN_THEMES = ['light', 'dark', 'auto', 'contrast'];
    const darkScheme = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
    let themeObserver = null, sheetObserver = null, bodySheetObserver = null;
    let themeFile = null;       // {url, keys}: the theme file data-theme names
    let sentTheme = '';
    const themeName = () => String(options.theme || element.dataset.theme || '').trim();
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
    // The site's typeface: --causerie-font, --causerie-font-bold, --causerie-font-italic
    // as url(...) of a TTF/OTF file, fetched when set (the built-in font meanwhile,
    // and again when unset or broken).
    const fontValues = ['', '', ''];
    const builtinFonts = [null, null, null];   // as they arrive
    const siteFace = [false, false, false];    // the site's face is in use
    // Bold and italic, once the first comments are on screen.
    function loadLateFonts() {
      const s = loadShared();
      if (!s.lateFonts) s.lateFonts = Promise.all(['bold', 'italic'].map((f) => fetchBytes(base + 'fonts/sans-' + f + '.ttf')));
      s.lateFonts.then((faces) => faces.forEach((font, i) => {
        builtinFonts[i + 1] = font;
        if (M && alive && !siteFace[i + 1]) addFont(font, i + 1);
      })).catch((e) => console.warn('Causerie: bold and italic faces unavailable:', e));
    }
    function fontUrl(value) {
      const m = /^url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)$/.exec(value);
      return m ? (m[1] !== undefined ? m[1] : m[2] !== undefined ? m[2] : m[3]) : null;
    }
    function loadThemeFonts() {
      const computed = getComputedStyle(element);
      ['font', 'font-bold', 'font-italic'].forEach((key, face) => {
        const value = computed.getPropertyValue('--causerie-' + key).trim();
        if (value === fontValues[face]) return;
        const builtin = () => {
          if (!M || fontValues[face] !== value) return;
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
          if (M && alive && fontValues[face] === value) {
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
      root.style.removeProperty('--causerie-field-font');
      if (!buffer) return;
      try {
        const face = new FontFace('causerie-site-' + id + '-' + (++fieldFaceCount), buffer.slice(0));
        fieldFace = face;
        document.fonts.add(face);
        face.load().then(() => {
          if (fieldFace === face && alive && fontValues[0] === value)
            root.style.setProperty('--causerie-field-font', '"' + face.family + '"');
        }, () => { /* the built-in face stays: the caret may sit a little off */ });
      } catch (e) { /* idem */ }
    }
    function applyTheme() {
      if (!M || !alive) return;
      loadThemeFonts();
      const name = themeName();
      if (name && !BUILTIN_THEMES.includes(name) && (!themeFile || themeFile.url !== name)) loadThemeFile(name);
      const json = JSON.stringify(collectTheme());
      if (json === sentTheme) return;
      sentTheme = json;
      const n = M.lengthBytesUTF8(json) + 1;
      const p = M._malloc(n);
      M.stringToUTF8(json, p, n);
      M._causerie_set_theme(p);
      M._free(p);
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
    // anywhere,
    // and a stylesheet that finished loading (a swapped href loads after the swap).
    // Events only, no polling: an idle page does nothing.
    const isSheet = (n) => n.nodeName === 'STYLE' || (n.nodeName === 'LINK' && /(^|\s)stylesheet(\s|$)/i.test(n.rel || ''));
    function sheetsChanged(records) {
      for (const r of records) {
        const target = r.type === 'characterData' ? r.target.parentNode : r.target;
        if (target && isSheet(target)) return applyTheme();
        if (r.type === 'childList' && [...r.addedNodes, ...r.removedNodes].some(isSheet)) return applyTheme();
      }
    }
    function startTheming() {
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

    let fallback = null;
    function fail(error) {
      if (!alive || fallback) return;
      console.warn('Causerie:', error);
      element.dataset.state = 'error';
      if (config.api_kind !== 'causerie') return;
      fallback = showFallback(root, config).then(() => {
        if (alive) element.dataset.state = 'fallback';
      }, (e) => console.warn('Causerie: no fallback either:', e));
    }

    const handle = {
      destroy() {
        if (!alive) return;
        alive = false;
        cancelAnimationFrame(raf);
        clearTimeout(timer);
        listeners.abort();
        resizeObserver.disconnect();
        live.destroy();
        if (themeObserver) themeObserver.disconnect();
        if (sheetObserver) sheetObserver.disconnect();
        if (bodySheetObserver) bodySheetObserver.disconnect();
        if (fieldFace) document.fonts.delete(fieldFace);
        if (M) M._causerie_stop();
        M = null;
        root.remove();
        delete element.dataset.state;
      },
      // frames: drawn since mount. firstPaintMs: from the loader's start to the first
      // frame showing the thread. layoutMs: the last full layout of the thread.
      stats() {
        return {
          frames,
          firstPaintMs: readyAt ? readyAt - scriptStart : null,
          layoutMs: M ? M._causerie_layout_ms() : null,
          comments: M ? M._causerie_comment_count() : 0,
          heapBytes: M ? M.HEAPU8.length : 0,
          live: live.open,   // the thread's event stream is open
          // the cards drawn in the last frame: {id, top, contentBottom}, container px
          cards: M ? JSON.parse(M.UTF8ToString(M._causerie_drawn_cards()))
            .map(([id, top, contentBottom]) => ({ id, top, contentBottom })) : [],
        };
      },
      // Posts a comment as the comment form does: {parentId, name, email, url, body}.
      // Resolves with {ok, id, status, message} or {ok: false, error, http_status,
      // message, fields: [{field, code, message}]}, messages in the widget's language.
      postComment(comment) {
        if (!M) return Promise.reject(new Error('the widget is not running'));
        const json = JSON.stringify({
          parent_id: comment.parentId || 0, name: comment.name || '', email: comment.email || '',
          url: comment.url || '', body: comment.body || '',
        });
        const seq = callWithStrings(M, M._causerie_post_comment, json);
        return new Promise((resolve) => posts.set(seq, resolve));
      },
    };

    if (!webgl2Available(canvas)) {
      fail('WebGL2 is not available');
      return handle;
    }

    const s = loadShared();
    Promise.all([s.factory, s.wasm, s.regular]).then(([factory, wasmModule, regular]) => {
      if (!alive) return null;
      return factory({
        causerieHost: host,
        instantiateWasm(imports, done) {
          WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
          return {};
        },
        print: (t) => console.log(t),
        printErr: (t) => console.warn(t),
      }).then((module) => {
        if (!alive) return;
        M = module;
        const json = JSON.stringify(Object.assign({ canvas: '#' + canvas.id }, config));
        const n = M.lengthBytesUTF8(json) + 1;
        const p = M._malloc(n);
        M.stringToUTF8(json, p, n);
        const ok = M._causerie_start(p);
        M._free(p);
        if (!ok) throw new Error('the widget could not start (WebGL2 context?)');
        startTheming();
        builtinFonts[0] = regular;
        if (!siteFace[0]) addFont(regular, 0);
        addFieldStyle(regular);
        form.start();

        // Pointer events on the root: they come from the canvas and from the link.
        on(root, 'pointermove', pointer(0), { passive: true });
        on(root, 'pointerdown', (e) => {
          if (e.target === canvas) canvas.setPointerCapture(e.pointerId);
          pointer(1)(e);
        });
        on(root, 'pointerup', pointer(2), { passive: true });
        on(root, 'pointerleave', pointer(3), { passive: true });
        on(window, 'hashchange', () => {
          const id = commentInHash();
          if (id && M) M._causerie_go_to_comment(id);
        });
        // Copy: synchronously inside the event (Safari allows clipboard writes only there).
        on(canvas, 'copy', (e) => {
          const text = M ? M.UTF8ToString(M._causerie_selected_text()) : '';
          if (!text) return;
          e.clipboardData.setData('text/plain', text);
          e.preventDefault();
        });
        on(canvas, 'keydown', key(true));
        on(canvas, 'keyup', key(false));
        on(canvas, 'focus', () => M && M._causerie_focus(1));
        on(canvas, 'blur', () => M && M._causerie_focus(0));
        on(window, 'scroll', updateViewport, { passive: true });
        on(window, 'resize', fitCanvas, { passive: true });
        try {
          resizeObserver.observe(canvas, { box: 'device-pixel-content-box' });
        } catch (e) {
          resizeObserver.observe(canvas);
        }
      });
    }).catch(fail);

    return handle;
  }

  window.Causerie = { mount, version: '0.1.0' };

  // Script-tag use: mount into #causerie, else right after the script.
  if (script && script.dataset.api !== undefined) {
    const d = script.dataset;
    let target = document.getElementById('causerie');
    if (!target) {
      target = document.createElement('div');
      target.id = 'causerie';
      script.after(target);
    }
    // The handle, for the page's own scripts, tests and benchmarks.
    target.causerie = mount(target, { api: d.api, apiKind: d.apiKind, thread: d.thread, title: d.title, lang: d.lang,
      theme: d.theme });
  }
})();
