#pragma once
// Calls from the wasm into its host page: the loader's per-widget object
// `Module.causerieHost` (web/loader/mount.js). The only direction C++ talks to JS.

namespace causerie::host {

void request_frame();                      // one requestAnimationFrame, coalesced
void request_frame_after(int milliseconds);  // a timed frame (caret blink, relative dates)
void set_content_height(float css_pixels);   // the page-scroll spacer's height
void set_state(const char* state);           // container's data-state: loading|ready|error
void set_cursor(const char* css_cursor);     // "default", "pointer", "text"
void scroll_to(float content_y);             // scroll the page so content_y is near the top
void scroll_by(float css_pixels);            // keep what the reader reads in place
// The thread's live stream (docs/api.md, GET .../events): open it from `position`
// while the thread is on screen and the tab visible; position "" closes it.
void set_live(const char* events_url, const char* position);
// The link under the pointer (href "" when none), in canvas CSS pixels: the host
// lays a real <a> over it.
void set_link(const char* href, float x, float y, float w, float h);
// Fetch the Greek and Cyrillic faces (they arrive through causerie_add_font 3-5).
void load_extended_fonts();
// The reply form: where its DOM elements go (JSON [x, y, w, h] x elements, container
// coordinates; [] hides them), which comment it answers (0: the article), and a
// confirmed post (the draft can go; the edit tokens are kept; a polite announcement).
void set_form_layout(const char* json);
void set_reply_target(double parent_id);
void set_form_labels(const char* json);  // the elements' names: JSON [comment, name, email, url, remember, submit]
void set_edit_target(double comment_id, const char* body);  // the form edits this comment
bool confirm(const char* question);                          // the browser's confirm()
void form_posted(double parent_id, const char* owned_json, const char* announcement);
void announce(const char* text);
// Validation and sending errors: JSON [body, name, email, url, form] ("" when none).
void set_form_messages(const char* json);
// The form's preview: shown in place of the body field (its text for the page's
// accessible copy), or hidden (the textarea is back).
void set_form_preview(bool shown, const char* text);
// The theme's type size (CSS px, line height in px): the form's DOM fields follow
// it so that clicks and the IME land where the canvas draws the text.
void set_field_font(float size, float line_height);
// A message for the site's developers in the browser console (console.warn).
void warn(const char* message);
// Fetch and decode an author's picture at `device_pixels` square; it arrives through
// causerie_avatar_picture (pixels or a failure), once per URL.
void load_avatar(const char* url, int device_pixels);
// The accessibility mirror's content (its JSON format: widget/mirror.h).
void set_mirror(const char* json);
// The answer to causerie_post_comment, for the loader's handle.postComment() promise.
void post_done(int seq, const char* json);

}  // namespace causerie::host
