#include "platform/host.h"

#include <emscripten.h>

// clang-format off
EM_JS(void, js_request_frame, (), { Module.causerieHost.requestFrame(); });
EM_JS(void, js_request_frame_after, (int ms), { Module.causerieHost.requestFrameAfter(ms); });
EM_JS(void, js_set_content_height, (float h), { Module.causerieHost.setContentHeight(h); });
EM_JS(void, js_set_state, (const char* s), { Module.causerieHost.setState(UTF8ToString(s)); });
EM_JS(void, js_set_cursor, (const char* c), { Module.causerieHost.setCursor(UTF8ToString(c)); });
EM_JS(void, js_scroll_to, (float y), { Module.causerieHost.scrollTo(y); });
EM_JS(void, js_scroll_by, (float d), { Module.causerieHost.scrollBy(d); });
EM_JS(void, js_set_live, (const char* url, const char* position), {
  Module.causerieHost.setLive(UTF8ToString(url), UTF8ToString(position));
});
EM_JS(void, js_set_link, (const char* href, float x, float y, float w, float h), {
  Module.causerieHost.setLink(UTF8ToString(href), x, y, w, h);
});
EM_JS(void, js_set_mirror, (const char* json), { Module.causerieHost.setMirror(UTF8ToString(json)); });
EM_JS(void, js_load_avatar, (const char* url, int px), { Module.causerieHost.loadAvatar(UTF8ToString(url), px); });
EM_JS(void, js_load_extended_fonts, (), { Module.causerieHost.loadExtendedFonts(); });
EM_JS(void, js_set_form_layout, (const char* json), { Module.causerieHost.setFormLayout(UTF8ToString(json)); });
EM_JS(void, js_set_reply_target, (double id), { Module.causerieHost.setReplyTarget(id); });
EM_JS(void, js_form_posted, (double id, const char* owned, const char* text), {
  Module.causerieHost.formPosted(id, UTF8ToString(owned), UTF8ToString(text));
});
EM_JS(void, js_announce, (const char* text), { Module.causerieHost.announce(UTF8ToString(text)); });
EM_JS(void, js_set_form_messages, (const char* json), { Module.causerieHost.setFormMessages(UTF8ToString(json)); });
EM_JS(void, js_set_form_preview, (int shown, const char* text), { Module.causerieHost.setFormPreview(!!shown, UTF8ToString(text)); });
EM_JS(void, js_set_edit_target, (double id, const char* body), { Module.causerieHost.setEditTarget(id, UTF8ToString(body)); });
EM_JS(int, js_confirm, (const char* q), { return window.confirm(UTF8ToString(q)) ? 1 : 0; });
EM_JS(void, js_set_form_labels, (const char* json), { Module.causerieHost.setFormLabels(UTF8ToString(json)); });
EM_JS(void, js_set_field_font, (float size, float line), { Module.causerieHost.setFieldFont(size, line); });
EM_JS(void, js_post_done, (int seq, const char* json), { Module.causerieHost.postDone(seq, UTF8ToString(json)); });
EM_JS(void, js_warn, (const char* m), { console.warn('Causerie: ' + UTF8ToString(m)); });
// clang-format on

namespace causerie::host {
void request_frame() { js_request_frame(); }
void request_frame_after(int ms) { js_request_frame_after(ms); }
void set_content_height(float h) { js_set_content_height(h); }
void set_state(const char* s) { js_set_state(s); }
void set_cursor(const char* c) { js_set_cursor(c); }
void scroll_to(float y) { js_scroll_to(y); }
void scroll_by(float d) { js_scroll_by(d); }
void set_live(const char* url, const char* position) { js_set_live(url, position); }
void set_mirror(const char* json) { js_set_mirror(json); }
void load_extended_fonts() { js_load_extended_fonts(); }
void load_avatar(const char* url, int px) { js_load_avatar(url, px); }
void set_form_layout(const char* json) { js_set_form_layout(json); }
void set_reply_target(double id) { js_set_reply_target(id); }
void set_form_labels(const char* json) { js_set_form_labels(json); }
void set_edit_target(double id, const char* body) { js_set_edit_target(id, body); }
bool confirm(const char* question) { return js_confirm(question) != 0; }
void form_posted(double id, const char* owned, const char* text) { js_form_posted(id, owned, text); }
void announce(const char* text) { js_announce(text); }
void warn(const char* message) { js_warn(message); }
void post_done(int seq, const char* json) { js_post_done(seq, json); }
void set_field_font(float size, float line_height) { js_set_field_font(size, line_height); }
void set_form_messages(const char* json) { js_set_form_messages(json); }
void set_form_preview(bool shown, const char* text) { js_set_form_preview(shown ? 1 : 0, text); }
void set_link(const char* href, float x, float y, float w, float h) { js_set_link(href, x, y, w, h); }
}  // namespace causerie::host
