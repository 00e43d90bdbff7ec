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
      fonts: Promise.all(['regular', 'bold', 'italic'].map((f) => fetchBytes(base + 'fonts/sans-' + f + '.ttf'))),
    };
    return shared;
  }

  function webgl2Available() {
    try {
      return !!document.createElement('canvas').getContext('webgl2');
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

  function mount(element, options) {
    options = options || {};
    const id = ++mountCount;
    const commentInHash = () => {
      const m = /^#comment-(\d+)$/.exec(location.hash);
      return m ? Number(m[1]) : 0;
    };
    const config = {
      api: (options.api || '').replace(/\/+$/, ''),
      api_kind: options.apiKind === 'wordpress' ? 'wordpress' : 'causerie',
      thread: options.thread || location.pathname,
      // WordPress knows the post's title; document.title there is "Post – Site".
      title: options.title || (options.apiKind === 'wordpress' ? '' : document.title),
      lang: (options.lang || document.documentElement.lang || 'en').toLowerCase(),
      timezone_offset: -new Date().getTimezoneOffset(),
      target_comment: commentInHash(),
    };

    const listeners = new AbortController();
    const on = (target, type, fn, opts) =>
      target.addEventListener(type, fn, Object.assign({ signal: listeners.signal }, opts));

    const root = document.createElement('div');
    root.className = 'causerie-root';
    root.style.cssText = 'position:relative;width:100%;height:160px;';
    const canvas = document.createElement('canvas');
    canvas.id = 'causerie-canvas-' + id;
    canvas.tabIndex = 0;
    canvas.setAttribute('aria-label', config.lang.startsWith('fr') ? 'Commentaires' : 'Comments');
    // touch-action pan-y: a vertical swipe over the comments scrolls the page.
    canvas.style.cssText = 'position:sticky;top:0;display:block;width:100%;height:160px;' +
      'outline:none;touch-action:pan-y;';
    root.appendChild(canvas);
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

    const host = {
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
      },
      setCursor(cursor) { if (canvas.style.cursor !== cursor) canvas.style.cursor = cursor; },
      scrollTo(y) {
        const top = root.getBoundingClientRect().top + window.scrollY + y - 16;
        window.scrollTo({ top, behavior: 'instant' });
      },
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
      let w, h;
      if (e.devicePixelContentBoxSize) {
        w = e.devicePixelContentBoxSize[0].inlineSize;
        h = e.devicePixelContentBoxSize[0].blockSize;
      } else {
        w = Math.round(css.width * devicePixelRatio);
        h = Math.round(css.height * devicePixelRatio);
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
        const n = M.lengthBytesUTF8(json) + 1;
        const p = M._malloc(n);
        M.stringToUTF8(json, p, n);
        const seq = M._causerie_post_comment(p);
        M._free(p);
        return new Promise((resolve) => posts.set(seq, resolve));
      },
    };

    if (!webgl2Available()) {
      fail('WebGL2 is not available');
      return handle;
    }

    const s = loadShared();
    Promise.all([s.factory, s.wasm, s.fonts]).then(([factory, wasmModule, fonts]) => {
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
        fonts.forEach((font, face) => {
          const bytes = new Uint8Array(font);
          const fp = M._malloc(bytes.length);  // the font atlas owns and frees it
          M.HEAPU8.set(bytes, fp);
          M._causerie_add_font(fp, bytes.length, face);
        });

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
    target.causerie = mount(target, { api: d.api, apiKind: d.apiKind, thread: d.thread, title: d.title, lang: d.lang });
  }
})();
