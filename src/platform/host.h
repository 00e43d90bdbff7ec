#pragma once
// Every call from the wasm into its page, defined in host.cpp (each an EM_JS calling
// one method of the per-widget host object, `Module.causerieHost`, made in
// web/loader/bridge.js). No other file talks to JS. Strings are UTF-8, valid for
// the call only; ids are doubles (JS numbers).

extern "C" {

void host_request_frame();                        // one requestAnimationFrame, coalesced
void host_request_frame_after(int milliseconds);  // a timed frame (caret blink, relative dates)
void host_set_content_height(float css_pixels);   // the page-scroll spacer's height
void host_set_state(const char* state);           // container's data-state: loading|ready|error
void host_set_cursor(const char* css_cursor);     // "default", "pointer", "text"
void host_scroll_to(float content_y);             // scroll the page so content_y is near the top
void host_scroll_by(float css_pixels);            // keep what the reader reads in place
// The thread's live stream (docs/api.md, GET .../events): open it from `position`
// while the thread is on screen and the tab visible; position "" closes it.
void host_set_live(const char* events_url, const char* position);
// The link under the pointer (href "" when none), in canvas CSS pixels: the host
// lays a real <a> over it.
void host_set_link(const char* href, float x, float y, float w, float h);
// The reply form: where its DOM elements go (JSON [x, y, w, h] x elements, container
// coordinates; [] hides them), which comment it answers (0: the article), and a
// confirmed post (the draft can go; the edit tokens are kept; a polite announcement).
void host_set_form_layout(const char* json);
void host_set_reply_target(double parent_id);
void host_set_form_labels(const char* json);                     // the elements' names: JSON, one per FormElement
void host_set_edit_target(double comment_id, const char* body);  // the form edits this comment
int host_confirm(const char* question);                          // the browser's confirm(): 1 yes, 0 no
void host_form_posted(double parent_id, const char* owned_json, const char* announcement);
void host_announce(const char* text);
// Validation and sending errors: JSON [body, name, email, url, form] ("" when none).
void host_set_form_messages(const char* json);
// The form's preview: shown (1) in place of the body field, with its text for the
// page's accessible copy, or hidden (0: the textarea is back).
void host_set_form_preview(int shown, const char* text);
// The theme's type size (CSS px, line height in px) and text colour (CSS): the form's
// DOM fields draw their own text in them, over the frame the canvas draws.
void host_set_field_style(float size, float line_height, const char* colour);
// A message for the site's developers in the browser console.
void host_warn(const char* message);
// Fetch and decode an author's picture at `device_pixels` square; it arrives through
// causerie_avatar_picture (pixels or a failure), once per URL.
void host_load_avatar(const char* url, int device_pixels);
// The accessibility mirror's content (its JSON format: docs/architecture.md).
void host_set_mirror(const char* json);
// The answer to causerie_post_comment, for the loader's handle.postComment() promise.
void host_post_done(int seq, const char* json);
// The loader's prefetch of this GET URL, if it made one: a handle (0: none) whose
// answer arrives through causerie_fetched.
int host_take_prefetch(const char* url);

// Text: the browser lays out, measures and draws it (platform/browser_text.h; the
// page side is web/loader/text.js). `style` is core/richtext.h's SpanStyle bits,
// sizes are CSS px, strings UTF-8 and offsets UTF-8 bytes.
//
// A paragraph laid out as a DOM block of the given width would be. In: JSON
// {"width", "size", "line", "pre": 0|1, "spans": [{"text", "style"}]}. Out: JSON
// {"rtl": 0|1, "lines": [{"runs": [{"span", "begin", "end", "x", "width", "rtl"}]}]},
// each line's runs in visual order; malloc'ed (the caller frees it), null on failure.
char* host_layout_paragraph(const char* json);
// Advance width of one line of text.
float host_measure_text(const char* text, int style, float size);
// One line of text drawn with Canvas 2D in colour `rgba` (0xRRGGBBAA; emoji keep
// theirs), direction 1 rtl / 0 ltr / -1 first strong character, at `scale` device
// pixels per CSS px. Returns malloc'ed RGBA (straight alpha) and fills out[4]: width,
// height, left (from the pen's left edge) and top (from the top of a line box of
// height `line`), in device pixels; null when there is nothing to draw.
unsigned char* host_rasterize_text(const char* text, int style, float size, float line, int direction, unsigned rgba,
                                   float scale, float* out);
// JSON [[byte, x], ...]: one per grapheme-cluster boundary of `text` drawn as one run
// (0 and the end included), x from the run's left edge (rtl: byte 0 at the right);
// malloc'ed, null on failure.
char* host_caret_stops(const char* text, int style, float size, int rtl);

}  // extern "C"
