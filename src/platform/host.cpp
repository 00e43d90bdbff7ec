// The wasm's imports: one EM_JS per call of host.h, each calling the method of the
// same name on the widget's host object (web/loader/bridge.js). The only EM_JS.
#include "platform/host.h"

#include <emscripten.h>

// clang-format off
EM_JS(void, host_request_frame, (), { Module.causerieHost.requestFrame(); });
EM_JS(void, host_request_frame_after, (int ms), { Module.causerieHost.requestFrameAfter(ms); });
EM_JS(void, host_set_content_height, (float h), { Module.causerieHost.setContentHeight(h); });
EM_JS(void, host_set_state, (const char* s), { Module.causerieHost.setState(UTF8ToString(s)); });
EM_JS(void, host_set_cursor, (const char* c), { Module.causerieHost.setCursor(UTF8ToString(c)); });
EM_JS(void, host_scroll_to, (float y), { Module.causerieHost.scrollTo(y); });
EM_JS(void, host_scroll_by, (float d), { Module.causerieHost.scrollBy(d); });
EM_JS(void, host_set_live, (const char* url, const char* position), {
  Module.causerieHost.setLive(UTF8ToString(url), UTF8ToString(position));
});
EM_JS(void, host_set_link, (const char* href, float x, float y, float w, float h), {
  Module.causerieHost.setLink(UTF8ToString(href), x, y, w, h);
});
EM_JS(void, host_set_form_layout, (const char* json), { Module.causerieHost.setFormLayout(UTF8ToString(json)); });
EM_JS(void, host_set_reply_target, (double id), { Module.causerieHost.setReplyTarget(id); });
EM_JS(void, host_set_form_labels, (const char* json), { Module.causerieHost.setFormLabels(UTF8ToString(json)); });
EM_JS(void, host_set_edit_target, (double id, const char* body), { Module.causerieHost.setEditTarget(id, UTF8ToString(body)); });
EM_JS(int, host_confirm, (const char* q), { return Module.causerieHost.confirm(UTF8ToString(q)) ? 1 : 0; });
EM_JS(void, host_form_posted, (double id, const char* owned, const char* text), {
  Module.causerieHost.formPosted(id, UTF8ToString(owned), UTF8ToString(text));
});
EM_JS(void, host_announce, (const char* text), { Module.causerieHost.announce(UTF8ToString(text)); });
EM_JS(void, host_set_form_messages, (const char* json), { Module.causerieHost.setFormMessages(UTF8ToString(json)); });
EM_JS(void, host_set_form_preview, (int shown, const char* text), { Module.causerieHost.setFormPreview(shown, UTF8ToString(text)); });
EM_JS(void, host_set_field_style, (float size, float line, const char* colour), {
  Module.causerieHost.setFieldStyle(size, line, UTF8ToString(colour));
});
EM_JS(void, host_warn, (const char* m), { Module.causerieHost.warn(UTF8ToString(m)); });
EM_JS(void, host_load_avatar, (const char* url, int px), { Module.causerieHost.loadAvatar(UTF8ToString(url), px); });
EM_JS(void, host_set_mirror, (const char* json), { Module.causerieHost.setMirror(UTF8ToString(json)); });
EM_JS(void, host_post_done, (int seq, const char* json), { Module.causerieHost.postDone(seq, UTF8ToString(json)); });
EM_JS(int, host_take_prefetch, (const char* url), { return Module.causerieHost.takePrefetch(UTF8ToString(url)); });
// A JS string back as UTF-8 the caller frees (null stays null).
EM_JS(char*, host_layout_paragraph, (const char* json), {
  const s = Module.causerieHost.layoutParagraph(UTF8ToString(json));
  if (s == null) return 0;
  const n = lengthBytesUTF8(s) + 1, p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
EM_JS(float, host_measure_text, (const char* text, int style, float size), {
  return Module.causerieHost.measureText(UTF8ToString(text), style, size);
});
EM_JS(unsigned char*, host_rasterize_text, (const char* text, int style, float size, float line, int direction,
                                            unsigned rgba, float scale, float* out), {
  return Module.causerieHost.rasterizeText(UTF8ToString(text), style, size, line, direction, rgba >>> 0, scale, out);
});
EM_JS(char*, host_caret_stops, (const char* text, int style, float size, int rtl), {
  const s = Module.causerieHost.caretStops(UTF8ToString(text), style, size, rtl);
  if (s == null) return 0;
  const n = lengthBytesUTF8(s) + 1, p = _malloc(n);
  stringToUTF8(s, p, n);
  return p;
});
// clang-format on
