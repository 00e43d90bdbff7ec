// mount(): one widget in a page element. Builds its DOM, instantiates the wasm
// (compiled once per page), does what the widget asks of the page (`page`, reached
// through bridge.js), schedules frames on demand and keeps the canvas sized and on
// the right slice.
import { scriptStart, loadShared } from './shared.js';
import { HIDDEN } from './util.js';
import { createBridge } from './bridge.js';
import { readConfig } from './config.js';
import { prefetchFirstPage } from './prefetch.js';
import { createMirror } from './mirror.js';
import { addFieldStyle, createForm } from './form.js';
import { createFonts } from './fonts.js';
import { createText, prepareSegmenters } from './text.js';
import { avatarPixels } from './avatars.js';
import { liveStream } from './live.js';
import { createTheming } from './theme.js';
import { listenToInput } from './input.js';
import { webgl2Available, showFallback } from './fallback.js';

let mountCount = 0;

export function mount(element, options) {
  options = options || {};
  const id = ++mountCount;
  const { config, storageKey } = readConfig(options);
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

  // What the parts of this widget share; wasm: the wasm's calls (bridge.js) once it runs.
  const widget = {
    id, element, options, config, root, canvas, on, storageKey,
    wasm: null,
    alive: true,
    // Runs fn(wasm) while the widget runs (undefined before and after).
    call(fn) { return widget.wasm ? fn(widget.wasm) : undefined; },
  };

  const mirror = createMirror(id, widget.call);
  root.appendChild(mirror.element);
  // Announcements (posted, awaiting moderation, errors): a live region that exists
  // before anything is said in it.
  const status = document.createElement('div');
  status.setAttribute('role', 'status');
  status.className = 'causerie-status';
  status.style.cssText = HIDDEN;
  root.appendChild(status);
  const form = createForm(widget);
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

  let raf = 0, timer = 0, frames = 0;
  let contentHeight = 0;
  let readyAt = 0;         // performance.now() of the first frame showing the thread
  const posts = new Map(); // causerie_post_comment number -> its promise's resolve
  const text = createText(widget);
  const fonts = createFonts(widget, text);
  const theming = createTheming(widget, fonts);
  const live = liveStream(root, (type, eventId, data) => widget.call((w) => w.liveEvent(type, eventId, data)));

  // What the widget asks of the page (src/platform/host.h, decoded by bridge.js).
  const page = {
    setFieldStyle(size, line, colour) {
      root.style.setProperty('--causerie-field-size', size + 'px');
      root.style.setProperty('--causerie-field-line', line + 'px');
      root.style.setProperty('--causerie-field-colour', colour);
    },
    requestFrame() {
      if (!raf && widget.alive) raf = requestAnimationFrame(drawFrame);
    },
    requestFrameAfter(ms) {
      clearTimeout(timer);
      timer = setTimeout(() => { timer = 0; page.requestFrame(); }, ms);
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
    },
    setCursor(cursor) { if (canvas.style.cursor !== cursor) canvas.style.cursor = cursor; },
    scrollBy(d) { window.scrollBy({ top: d, behavior: 'instant' }); },
    setLive(url, position) { live.follow(url, position); },
    scrollTo(y) {
      const top = root.getBoundingClientRect().top + window.scrollY + y - 16;
      window.scrollTo({ top, behavior: 'instant' });
    },
    takePrefetch(url) {
      if (!prefetch || prefetch.url !== url) return 0;
      const answer = prefetch.answer;
      prefetch = null;
      answer.then((a) => widget.call((w) => w.fetched(a)));
      return true;
    },
    loadAvatar(url, px) {
      avatarPixels(url, px).then((pixels) => widget.call((w) => w.avatarPicture(url, pixels, px)));
    },
    setMirror(data) {
      // The widget's language and direction hold for all its DOM (form, status, mirror).
      root.lang = data.lang;
      root.dir = data.dir;
      mirror.set(data);
    },
    announce(text) { status.textContent = text; },
    setFormLayout(rects) { form.place(rects); },
    setReplyTarget(id) { form.replyTo(id); },
    setEditTarget(id, body) { form.edit(id, body); },
    setFormLabels(names) { form.label(names); },
    setFormPreview(shown, text) { form.preview(shown, text); },
    setFormMessages(messages) {
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
    postDone(seq, result) {
      const resolve = posts.get(seq);
      posts.delete(seq);
      if (resolve) resolve(result);
    },
  };
  const bridge = createBridge(page, text);

  // Render on demand: a frame only when the widget asked for one.
  function drawFrame(time) {
    raf = 0;
    if (!widget.alive) return;
    updateViewport();
    frames++;
    if (widget.wasm.frame(time)) page.requestFrame();
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
    if (!widget.wasm) return;
    const top = -root.getBoundingClientRect().top;
    const max = Math.max(0, root.offsetHeight - canvas.offsetHeight);
    const slice = Math.round(Math.min(Math.max(top, 0), max));
    if (slice !== viewportTop) {
      viewportTop = slice;
      widget.wasm.scroll(slice);
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
    widget.call((wasm) => wasm.resize(css.width, css.height, css.width > 0 ? w / css.width : devicePixelRatio));
  });

  let fallback = null;
  function fail(error) {
    if (!widget.alive || fallback) return;
    console.warn('Causerie:', error);
    element.dataset.state = 'error';
    if (config.api_kind !== 'causerie') return;
    fallback = showFallback(root, config).then(() => {
      if (widget.alive) element.dataset.state = 'fallback';
    }, (e) => console.warn('Causerie: no fallback either:', e));
  }

  const handle = {
    destroy() {
      if (!widget.alive) return;
      widget.alive = false;
      cancelAnimationFrame(raf);
      clearTimeout(timer);
      listeners.abort();
      resizeObserver.disconnect();
      live.destroy();
      theming.destroy();
      fonts.destroy();
      text.destroy();
      widget.call((w) => w.stop());
      widget.wasm = null;
      root.remove();
      delete element.dataset.state;
    },
    // frames: drawn since mount. firstPaintMs: from the loader's start to the first
    // frame showing the thread. layoutMs: the last full layout of the thread.
    stats() {
      const w = widget.wasm;
      return {
        frames,
        firstPaintMs: readyAt ? readyAt - scriptStart : null,
        layoutMs: w ? w.layoutMs() : null,
        comments: w ? w.commentCount() : 0,
        heapBytes: w ? w.heapBytes() : 0,
        live: live.open,   // the thread's event stream is open
        // the cards drawn in the last frame: {id, top, contentBottom, avatarLeft,
        // textLeft, textRight}, container px
        cards: w ? w.drawnCards() : [],
      };
    },
    // Posts a comment as the comment form does: {parentId, name, email, url, body}.
    // Resolves with {ok, id, status, message} or {ok: false, error, http_status,
    // message, fields: [{field, code, message}]}, messages in the widget's language.
    postComment(comment) {
      const w = widget.wasm;
      if (!w) return Promise.reject(new Error('the widget is not running'));
      const seq = w.postComment({
        parent_id: comment.parentId || 0, name: comment.name || '', email: comment.email || '',
        url: comment.url || '', body: comment.body || '',
      });
      return new Promise((resolve) => posts.set(seq, resolve));
    },
    // What the widget draws of each laid-out comment, for tests: [{id, left, top,
    // blocks: [{text, left, top, width, rtl, pre, lines: [{top, runs: [{begin, end
    // (UTF-16 indexes of text), x, width, rtl}]}]}], decorations, header: [name,
    // date]}], container CSS px (docs/architecture.md, "The text report").
    textReport() {
      return widget.wasm ? widget.wasm.textReport() : [];
    },
    // The reply form's text fields ({value, left, top, width, height}) and its
    // preview (laid out as a body is in textReport, or null), for tests.
    formReport() {
      return widget.wasm ? widget.wasm.formReport() : null;
    },
  };

  if (!webgl2Available(canvas)) {
    fail('WebGL2 is not available');
    return handle;
  }

  const s = loadShared();
  setTimeout(prepareSegmenters, 0);   // while the wasm downloads, off the first frame's path
  Promise.all([s.factory, s.wasm]).then(([factory, wasmModule]) => {
    if (!widget.alive) return null;
    return factory({
      causerieHost: bridge.host,
      instantiateWasm(imports, done) {
        WebAssembly.instantiate(wasmModule, imports).then((instance) => done(instance, wasmModule));
        return {};
      },
      print: (t) => console.log(t),
      printErr: (t) => console.warn(t),
    }).then((M) => {
      if (!widget.alive) return;
      fonts.update();   // the family, before the first layout
      widget.wasm = bridge.attach(M);
      if (!widget.wasm.start(Object.assign({ canvas: '#' + canvas.id }, config))) throw new Error('the widget could not start (WebGL2 context?)');
      theming.start();
      addFieldStyle();
      form.start();
      listenToInput(widget);
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
