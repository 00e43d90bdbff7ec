#pragma once
// The thread as a plain HTML page: for <noscript>, crawlers, and browsers where the
// widget cannot run (no WebGL2, the wasm failed to load). Semantic, escaped, no
// script, no external resource; a WordPress-like form that posts to
// comments.form. The routes (api.cpp) load the data and decide the status; this
// file only writes markup, and every piece of text goes through html_escape.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/i18n.h"
#include "core/model.h"
#include "core/validation.h"
#include "server/my_data.h"

namespace causerie::server {

// What the reader typed in the form (echoed back after a failed post).
struct FormValues {
  std::string body, name, email, url;
};

struct HtmlThreadPage {
  const Catalog* catalog = nullptr;
  ThreadInfo thread;
  std::vector<Comment> comments;  // published and deleted ones, oldest first
  bool from_start = true;         // the list starts at the thread's first comment
  std::string next_cursor;        // non-empty: a "load more" link
  int max_visual_depth = 5;       // same indentation cap as the widget

  // Carried along by every link and by the form.
  std::string base_path;  // "/api/v1/threads/<encoded key>/comments"
  std::string return_to;  // the article's URL, where a post goes back to
  std::string title;      // the article's title when the thread has none yet
  int tz_offset_minutes = 0;
  bool tz_given = false;  // else dates are UTC
  bool framed = false;    // in an <iframe>: links and the form open in the top window

  int64_t reply_to = 0;  // the comment the form answers, 0 = top level
  FormValues form;
  std::vector<ValidationError> errors;  // shown next to their fields
  std::string error_message;            // shown above the form (not field-specific)
  std::string notice;                   // role="status" line, e.g. awaiting moderation
};

// A whole document (doctype to </html>).
std::string render_thread_page(const HtmlThreadPage& view);

// A small page holding one message, for answers that are not the thread (e.g. 403).
std::string render_message_page(const Catalog& catalog, std::string_view message);

// A reader's own data (my_data.h), the pages of /api/v1/my-data…: the form
// (`message` above it, an error when `error`), the confirmation a link opens (its
// button posts the token back), and what came of it (`items` listed under it).
inline constexpr const char* kMyDataPath = "/api/v1/my-data";
std::string render_my_data_form(const Catalog& catalog, std::string_view email, DataAction action,
                                std::string_view message, bool error);
std::string render_my_data_confirm(const Catalog& catalog, DataAction action, std::string_view email, int64_t count,
                                   std::string_view token);
std::string render_my_data_result(const Catalog& catalog, std::string_view message,
                                  const std::vector<std::string>& items, bool error);

// What a signed e-mailed link opens (owner_alerts.h): `message` and `quote` (text
// as written, escaped) above a form whose button posts the token to `action_path`;
// then what came of it.
std::string render_link_confirm(const Catalog& catalog, std::string_view title, std::string_view message,
                                std::string_view quote, std::string_view action_path, std::string_view token,
                                std::string_view button);
std::string render_link_result(const Catalog& catalog, std::string_view title, std::string_view message, bool error);

// The Content-Security-Policy of these pages: nothing may load or run; the one
// inline style is allowed by its hash; forms post to this server and the 303 that
// follows may go to an allowed origin; only allowed origins may frame the page.
std::string view_content_security_policy(const std::vector<std::string>& allowed_origins);

// "?lang=fr&tz=60&return_to=...&title=..." + extra: the view's own query, so a
// reply link or "load more" keeps the reader's language, clock and way back.
std::string view_query(const HtmlThreadPage& view, std::string_view extra = {});

}  // namespace causerie::server
