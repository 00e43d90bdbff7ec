// Every crossing between the page and the wasm, on the page's side; the C++ side
// is src/platform/host.cpp (the imports) and exports.cpp (the exports), and
// docs/architecture.md lists them all. `host` is the object the wasm's imports call
// (Module.causerieHost): each method decodes what it is given (JSON, heap memory)
// and hands it to the widget part that does it (`page`, from mount.js). attach(M)
// wraps each export for the loader's parts; nothing else touches M._causerie_*.
// The integers that cross (focus controls, pointer kinds, form elements) come from
// the C++ enums, generated at build time (cmake/enums_to_js.cmake).
import { callWithStrings } from './util.js';
import { utf16Index } from './text.js';

export { Focus, FormElement, PointerKind, PointerSource } from 'causerie-contract';

// page: what mount.js does for the widget; text: text.js's, which lays out and
// draws the widget's text.
export function createBridge(page, text) {
  let M = null;
  // A text report's blocks: each run's begin and end (UTF-8 bytes) as UTF-16 indexes of its block's text.
  const toUtf16 = (blocks) => {
    for (const b of blocks) for (const l of b.lines) for (const r of l.runs) {
      r.begin = utf16Index(b.text, r.begin);
      r.end = utf16Index(b.text, r.end);
    }
  };
  // A copy of `bytes` on the wasm heap (0 when empty); whoever takes it frees it.
  const heapCopy = (bytes) => {
    if (!bytes || !bytes.length) return 0;
    const p = M._malloc(bytes.length);
    M.HEAPU8.set(bytes, p);
    return p;
  };
  const withStrings = (fn, ...strings) => callWithStrings(M, fn, ...strings);

  // wasm -> page: src/platform/host.h, in its order.
  const host = {
    requestFrame: () => page.requestFrame(),
    requestFrameAfter: (ms) => page.requestFrameAfter(ms),
    setContentHeight: (h) => page.setContentHeight(h),
    setState: (state) => page.setState(state),
    setCursor: (cursor) => page.setCursor(cursor),
    scrollTo: (contentY) => page.scrollTo(contentY),
    scrollBy: (d) => page.scrollBy(d),
    setLive: (url, position) => page.setLive(url, position),
    setLink: (href, x, y, w, h) => page.setLink(href, x, y, w, h),
    setFormLayout: (json) => page.setFormLayout(JSON.parse(json)),
    setReplyTarget: (parentId) => page.setReplyTarget(parentId),
    setFormLabels: (json) => page.setFormLabels(JSON.parse(json)),
    setEditTarget: (id, body) => page.setEditTarget(id, body),
    confirm: (question) => window.confirm(question),
    formPosted: (parentId, ownedJson, announcement) => page.formPosted(parentId, ownedJson, announcement),
    announce: (text) => page.announce(text),
    setFormMessages: (json) => page.setFormMessages(JSON.parse(json)),
    setFormPreview: (shown, text) => page.setFormPreview(shown !== 0, text),
    setFieldStyle: (size, lineHeight, colour) => page.setFieldStyle(size, lineHeight, colour),
    warn: (message) => console.warn('Causerie: ' + message),
    loadAvatar: (url, px) => page.loadAvatar(url, px),
    setMirror: (json) => page.setMirror(JSON.parse(json)),
    postDone: (seq, json) => page.postDone(seq, JSON.parse(json)),
    // One prefetch per widget: its handle is 1; the answer goes to causerie_fetched.
    takePrefetch: (url) => (page.takePrefetch(url) ? 1 : 0),
    // Text (text.js): offsets in UTF-8 bytes; JSON strings back, null on failure.
    layoutParagraph(json) {
      try {
        return JSON.stringify(text.layoutParagraph(JSON.parse(json)));
      } catch (e) {
        console.warn('Causerie: a paragraph could not be laid out:', e);
        return null;
      }
    },
    measureText: (t, style, size) => text.measureText(t, style, size),
    // Pixels (straight RGBA) on the wasm heap, which the widget frees; out[4]:
    // width, height, left, top in device pixels.
    rasterizeText(t, style, size, line, direction, rgba, scale, out) {
      if (!M) return 0;
      const r = text.rasterizeText(t, style, size, line, direction, rgba, scale);
      if (!r) return 0;
      M.HEAPF32.set([r.width, r.height, r.left, r.top], out >> 2);
      return heapCopy(r.pixels);
    },
    caretStops: (t, style, size, rtl) => JSON.stringify(text.caretStops(t, style, size, rtl !== 0)),
  };

  // page -> wasm: src/platform/exports.cpp.
  function attach(instance) {
    M = instance;
    return {
      start: (config) => withStrings(M._causerie_start, JSON.stringify(config)) !== 0,
      stop: () => M._causerie_stop(),
      // pixels: RGBA at px x px, or null when the picture could not be had.
      avatarPicture(url, pixels, px) {
        const p = heapCopy(pixels);
        withStrings((u) => M._causerie_avatar_picture(u, p, p ? px : 0), url);
      },
      // The prefetched first page: {status, body (bytes), headers ("name: value\r\n"...)}.
      fetched(answer) {
        const p = heapCopy(answer.body);
        withStrings((h) => M._causerie_fetched(1, answer.status, p, answer.body.length, h), answer.headers);
        if (p) M._free(p);
      },
      setTheme: (json) => withStrings(M._causerie_set_theme, json),
      // The reader's actions on the page's elements.
      retry: () => M._causerie_retry(),
      loadMore: () => M._causerie_load_more(),
      reveal: () => M._causerie_reveal(),
      submit: () => M._causerie_submit(),
      reply: (parentId) => M._causerie_reply(parentId || 0),
      cancelReply: () => M._causerie_cancel_reply(),
      togglePreview: () => M._causerie_toggle_preview(),
      myData: (open) => M._causerie_my_data(open ? 1 : 0),
      eraseMyData: () => M._causerie_erase_my_data(),
      edit: (id) => M._causerie_edit(id),
      delete: (id) => M._causerie_delete(id),
      focus: (control, id) => M._causerie_focus(control, id || 0),   // control: Focus
      field: (element, value) => withStrings((p) => M._causerie_field(element, p), value),   // element: FormElement
      formFocus: (element, remember) => M._causerie_form_focus(element, remember ? 1 : 0),
      goToComment: (id) => M._causerie_go_to_comment(id),
      liveEvent: (type, id, data) => withStrings(M._causerie_live_event, type, id, data),
      resize: (cssWidth, cssHeight, pixelRatio) => M._causerie_resize(cssWidth, cssHeight, pixelRatio),
      scroll: (viewportTop) => M._causerie_scroll(viewportTop),
      pointer: (kind, x, y, button, source) => M._causerie_pointer(kind, x, y, button, source),   // PointerKind, PointerSource
      key: (code, down, ctrl, shift, alt, meta) =>
        withStrings((p) => M._causerie_key(p, down ? 1 : 0, ctrl ? 1 : 0, shift ? 1 : 0, alt ? 1 : 0, meta ? 1 : 0), code),
      canvasFocus: (focused) => M._causerie_canvas_focus(focused ? 1 : 0),
      frame: (time) => M._causerie_frame(time) !== 0,   // true: draw another
      selectedText: () => M.UTF8ToString(M._causerie_selected_text()),
      // The number host.postDone answers with (0: not sent).
      postComment: (comment) => withStrings(M._causerie_post_comment, JSON.stringify(comment)),
      // Figures for stats().
      layoutMs: () => M._causerie_layout_ms(),
      commentCount: () => M._causerie_comment_count(),
      heapBytes: () => M.HEAPU8.length,
      drawnCards: () => JSON.parse(M.UTF8ToString(M._causerie_drawn_cards()))
        .map(([id, top, contentBottom, avatarLeft, textLeft, textRight]) =>
          ({ id, top, contentBottom, avatarLeft, textLeft, textRight })),
      // The page's fonts or the font theme changed: every text is laid out again.
      textChanged: () => M._causerie_text_changed(),
      // What the widget draws of each laid-out body (the contract's JSON), with
      // each run's begin and end as UTF-16 indexes of its block's text.
      textReport() {
        const comments = JSON.parse(M.UTF8ToString(M._causerie_text_report()));
        for (const c of comments) toUtf16(c.blocks);
        return comments;
      },
      // The reply form's fields and its preview (laid out as a body), the same way.
      formReport() {
        const form = JSON.parse(M.UTF8ToString(M._causerie_form_report()));
        if (form?.preview) toUtf16(form.preview.blocks);
        return form;
      },
    };
  }

  return { host, attach };
}
