#include "server/html_view.h"

#include <algorithm>

#include "core/dates.h"
#include "core/html_render.h"
#include "core/markdown.h"
#include "core/rfc3339.h"
#include "core/thread.h"
#include "core/url.h"
#include "server/atom_feed.h"
#include "server/crypto.h"

namespace causerie::server {

namespace {

// Every selector is under .causerie-fallback: the loader may put this markup into
// the article page itself, whose own styles must not change.
constexpr const char* kStyle =
    ".causerie-fallback{font:16px/1.5 system-ui,-apple-system,\"Segoe UI\",sans-serif;color:#1d1d1f;max-width:48rem}"
    ".causerie-fallback h2{font-size:1.4em;margin:0 0 1rem}"
    ".causerie-fallback h3{font-size:1.2em;margin:1.5rem 0 .5rem}"
    ".causerie-fallback ol.causerie-list,.causerie-fallback ol.causerie-children{list-style:none;margin:0;padding:0}"
    ".causerie-fallback ol.causerie-children{margin-left:1.25rem;padding-left:1rem;border-left:2px solid #d0d0d0}"
    ".causerie-fallback article{padding:.75rem 0;border-bottom:1px solid #e2e2e2}"
    ".causerie-fallback .causerie-meta{margin:0;font-size:.875em;color:#4a4a4a}"
    ".causerie-fallback .causerie-author{font-weight:600;color:#1d1d1f}"
    ".causerie-fallback .causerie-meta a{color:inherit}"
    ".causerie-fallback .causerie-in-reply{margin:.25rem 0 0;font-size:.875em;color:#4a4a4a;font-style:italic}"
    ".causerie-fallback .causerie-text p{margin:.5rem 0}"
    ".causerie-fallback pre{overflow:auto;background:#f3f3f3;padding:.5rem}"
    ".causerie-fallback code{background:#f3f3f3;font-size:.9em}"
    ".causerie-fallback blockquote{margin:.5rem 0;padding-left:.75rem;border-left:3px solid #c4c4c4;color:#3a3a3a}"
    ".causerie-fallback .causerie-reply{font-size:.875em}"
    ".causerie-fallback form p{margin:.75rem 0}"
    ".causerie-fallback label{display:block;font-weight:600}"
    ".causerie-fallback input,.causerie-fallback textarea{box-sizing:border-box;width:100%;max-width:36rem;"
    "font:inherit;padding:.4rem;border:1px solid #767676;border-radius:3px;background:#fff;color:#1d1d1f}"
    ".causerie-fallback [aria-invalid=true]{border-color:#b00020}"
    ".causerie-fallback button{font:inherit;padding:.5rem "
    "1rem;border:0;border-radius:3px;background:#14213d;color:#fff;cursor:pointer}"
    ".causerie-fallback .causerie-hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}"
    ".causerie-fallback .causerie-field-error,.causerie-fallback .causerie-error{color:#b00020;margin:.25rem 0}"
    ".causerie-fallback .causerie-notice{padding:.5rem .75rem;background:#eef4ea;border-left:3px solid #3c7a2a}"
    ".causerie-fallback .causerie-notes{font-size:.875em;color:#4a4a4a}";

std::string hex_to_bytes(std::string_view hex) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
  return out;
}

// 'sha256-<standard base64>' of the inline style, as CSP wants it.
const std::string& style_hash_source() {
  static const std::string source = [] {
    std::string b64 = base64url_encode(hex_to_bytes(sha256_hex(kStyle)));
    std::replace(b64.begin(), b64.end(), '-', '+');
    std::replace(b64.begin(), b64.end(), '_', '/');
    while (b64.size() % 4) b64 += '=';
    return "'sha256-" + b64 + "'";
  }();
  return source;
}

// An origin fit to be written into a CSP header: scheme://host[:port], nothing else.
bool is_plain_origin(const std::string& origin) {
  if (check_http_url(origin) != UrlCheck::ok) return false;
  const size_t host = origin.find("://") + 3;
  for (size_t i = host; i < origin.size(); ++i) {
    const char c = origin[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

// `feed`: the href of the page's Atom feed, announced to browsers and feed readers.
void head(std::string& out, const Catalog& catalog, std::string_view title, bool framed = false,
          std::string_view feed = {}) {
  out += "<!doctype html>\n<html lang=\"";
  append_html_escaped(out, catalog.language);
  out +=
      "\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
  append_html_escaped(out, title);
  out += "</title>\n";
  // In the <noscript> iframe of an article: the post's redirect back to the article,
  // and every link, belong in the reader's window, not in the frame.
  if (framed) out += "<base target=\"_top\">\n";
  if (!feed.empty()) {
    out += "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"";
    append_html_escaped(out, feed);
    out += "\">\n";
  }
  out += "<style>";
  out += kStyle;
  out += "</style>\n</head>\n<body>\n";
}

std::string field_error(const HtmlThreadPage& v, std::string_view field) {
  for (const ValidationError& e : v.errors)
    if (e.field == field) return validation_message(*v.catalog, e.field, to_string(e.code));
  return {};
}

// One labelled input (or textarea) of the form, its error under it.
void form_field(std::string& out, const HtmlThreadPage& v, const char* name, std::string_view api_field,
                std::string_view label_key, const std::string& value, bool required, bool textarea,
                const char* extra_attributes) {
  const std::string id = std::string("causerie-") + name;
  const std::string error = field_error(v, api_field);
  out += "<p>\n<label for=\"" + id + "\">";
  append_html_escaped(out, tr(*v.catalog, label_key));
  if (required) out += " <span aria-hidden=\"true\">*</span>";
  out += "</label>\n";
  out += textarea ? "<textarea" : "<input";
  out += " id=\"" + id + "\" name=\"" + name + "\"";
  out += extra_attributes;
  if (required) out += " required";
  if (!error.empty()) out += " aria-invalid=\"true\" aria-describedby=\"" + id + "-error\"";
  if (textarea) {
    out += ">";
    // A leading newline right after <textarea> is dropped by parsers: keep the reader's.
    if (!value.empty() && value[0] == '\n') out += '\n';
    append_html_escaped(out, value);
    out += "</textarea>\n";
  } else {
    out += " value=\"";
    append_html_escaped(out, value);
    out += "\">\n";
  }
  if (!error.empty()) {
    out += "<span class=\"causerie-field-error\" id=\"" + id + "-error\">";
    append_html_escaped(out, error);
    out += "</span>\n";
  }
  out += "</p>\n";
}

void hidden(std::string& out, const char* name, std::string_view value) {
  out += "<input type=\"hidden\" name=\"";
  out += name;
  out += "\" value=\"";
  append_html_escaped(out, value);
  out += "\">\n";
}

// Readers' names and titles are isolated from the words around them (an element
// with dir="auto" is a bidi isolate with its own first strong direction, as <bdi>
// is; a span, because the loader's fallback keeps only the view's known tags): a
// right-to-left name, or one holding U+202E, cannot reorder the message, the date
// or the text after it.
constexpr char kNameMarker = '\x01';

// `message` (from the catalog, kNameMarker where the name goes) with `name_markup`
// (already markup) isolated, the rest escaped.
void append_isolated(std::string& out, std::string_view message, std::string_view name_markup,
                     const char* name_class = nullptr) {
  const size_t at = message.find(kNameMarker);
  append_html_escaped(out, message.substr(0, at));
  if (at == std::string_view::npos) return;
  out += name_class ? "<span class=\"" + std::string(name_class) + "\" dir=\"auto\">" : "<span dir=\"auto\">";
  out += name_markup;
  out += "</span>";
  append_html_escaped(out, message.substr(at + 1));
}

std::string escaped(std::string_view text) {
  std::string out;
  append_html_escaped(out, text);
  return out;
}

// Where markup cannot go (<title>): the text between U+2068 FIRST
// STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE, the same isolation.
std::string isolated_text(std::string_view name) { return "\u2068" + std::string(name) + "\u2069"; }

void comment_article(std::string& out, const HtmlThreadPage& v, const Comment& c, const ThreadEntry& e) {
  const Catalog& cat = *v.catalog;
  const std::string id = std::to_string(c.id);
  out += "<article id=\"comment-" + id + "\"";
  if (c.status == CommentStatus::deleted) {
    out += " class=\"causerie-deleted\">\n<p class=\"causerie-meta\"><em>";
    append_html_escaped(out, tr(cat, "comment.deleted"));
    out += "</em></p>\n</article>\n";
    return;
  }
  out += ">\n<p class=\"causerie-meta\">";
  std::string name = escaped(c.author.name);
  if (c.author.url && check_http_url(*c.author.url) == UrlCheck::ok)
    name = "<a href=\"" + escaped(*c.author.url) + "\" rel=\"nofollow ugc noopener\">" + name + "</a>";
  append_isolated(out, tr(cat, "comment.says", {{"name", std::string(1, kNameMarker)}}), name, "causerie-author");
  out += " <a href=\"#comment-" + id + "\"><time datetime=\"" + format_rfc3339(c.created_at) + "\">";
  append_html_escaped(out, format_absolute_date(cat, c.created_at, v.tz_offset_minutes));
  if (!v.tz_given) out += " UTC";
  out += "</time></a>";
  if (c.edited_at) {
    out += " · ";
    append_html_escaped(out, tr(cat, "comment.edited"));
  }
  out += "</p>\n";
  if (!e.reply_to_name.empty() || (e.orphan && v.from_start)) {
    out += "<p class=\"causerie-in-reply\">";
    if (e.orphan) {
      append_html_escaped(out, tr(cat, "comment.orphan"));
    } else {
      append_isolated(out, tr(cat, "comment.in_reply_to", {{"name", std::string(1, kNameMarker)}}),
                      escaped(e.reply_to_name));
    }
    out += "</p>\n";
  }
  out += "<div class=\"causerie-text\">\n";
  Document body = parse_markdown(c.body);
  apply_typography(body);
  out += render_html(body);
  out += "</div>\n";
  if (v.thread.status == ThreadStatus::open) {
    out += "<p><a class=\"causerie-reply\" data-reply-to=\"" + id + "\" href=\"";
    append_html_escaped(out, v.base_path + ".html" + view_query(v, "&reply_to=" + id) + "#causerie-respond");
    out += "\" aria-label=\"";
    append_html_escaped(out, tr(cat, "comment.reply_to", {{"name", c.author.name}}));
    out += "\">";
    append_html_escaped(out, tr(cat, "comment.reply"));
    out += "</a></p>\n";
  }
  out += "</article>\n";
}

// Nested <ol>: each comment is an <li>, its replies an <ol> inside it, down to
// the same visual depth cap as the widget (build_thread decides the depths).
void comment_list(std::string& out, const HtmlThreadPage& v) {
  ThreadOptions options;
  options.max_visual_depth = v.max_visual_depth;
  const std::vector<ThreadEntry> entries = build_thread(v.comments, options);
  // A deleted comment is shown only as the placeholder that keeps its replies in place.
  std::vector<bool> has_replies(v.comments.size(), false);
  for (const ThreadEntry& e : entries)
    if (e.parent != ThreadEntry::npos) has_replies[e.parent] = true;

  out += "<ol class=\"causerie-list\">\n";
  int depth = -1;  // of the open <li>; -1: none yet
  for (const ThreadEntry& e : entries) {
    const Comment& c = v.comments[e.index];
    if (c.status == CommentStatus::deleted && !has_replies[e.index]) continue;
    if (c.status != CommentStatus::published && c.status != CommentStatus::deleted) continue;
    const int d = std::min(e.visual_depth, depth + 1);
    if (depth >= 0 && d > depth) {
      out += "<ol class=\"causerie-children\">\n";
    } else if (depth >= 0) {
      out += "</li>\n";
      for (int i = d; i < depth; ++i) out += "</ol>\n</li>\n";
    }
    out += "<li>\n";
    comment_article(out, v, c, e);
    depth = d;
  }
  if (depth >= 0) {
    out += "</li>\n";
    for (int i = 0; i < depth; ++i) out += "</ol>\n</li>\n";
  }
  out += "</ol>\n";
}

void comment_form(std::string& out, const HtmlThreadPage& v) {
  const Catalog& cat = *v.catalog;
  out += "<div id=\"causerie-respond\" class=\"causerie-respond\">\n<h3 id=\"causerie-reply-title\">";
  const Comment* parent = nullptr;
  for (const Comment& c : v.comments)
    if (c.id == v.reply_to && c.status == CommentStatus::published) parent = &c;
  if (parent) {
    append_isolated(out, tr(cat, "form.title_reply_to", {{"name", std::string(1, kNameMarker)}}),
                    escaped(parent->author.name));
    out += " <small><a href=\"";
    append_html_escaped(out, v.base_path + ".html" + view_query(v) + "#causerie-respond");
    out += "\">";
    append_html_escaped(out, tr(cat, "form.cancel_reply"));
    out += "</a></small>";
  } else {
    append_html_escaped(out, tr(cat, "form.title"));
  }
  out += "</h3>\n";
  if (v.thread.status == ThreadStatus::closed) {
    out += "<p>";
    append_html_escaped(out, tr(cat, "thread.closed"));
    out += "</p>\n</div>\n";
    return;
  }
  if (!v.error_message.empty()) {
    out += "<p class=\"causerie-error\" role=\"alert\">";
    append_html_escaped(out, v.error_message);
    out += "</p>\n";
  }
  out += "<form method=\"post\" action=\"";
  append_html_escaped(out, v.base_path + ".form");
  out += "\" aria-labelledby=\"causerie-reply-title\">\n<p class=\"causerie-notes\">";
  append_html_escaped(out, tr(cat, "form.notes"));
  out += " ";
  append_html_escaped(out, tr(cat, "form.required_notes"));
  out += "</p>\n";
  form_field(out, v, "body", "body", "form.comment", v.form.body, true, true, " rows=\"8\" cols=\"45\" dir=\"auto\"");
  form_field(out, v, "name", "author.name", "form.name", v.form.name, true, false,
             " type=\"text\" dir=\"auto\" autocomplete=\"name\" maxlength=\"245\"");
  form_field(out, v, "email", "author.email", "form.email", v.form.email, true, false,
             " type=\"email\" autocomplete=\"email\" maxlength=\"254\"");
  // type="text": the server accepts "marie.example" (it adds https://), browsers'
  // type="url" would not.
  form_field(out, v, "url", "author.url", "form.website", v.form.url, false, false,
             " type=\"text\" inputmode=\"url\" autocomplete=\"url\" maxlength=\"2048\"");
  // The honeypot: off-screen for people (CSS), skipped by keyboards and screen
  // readers; a bot filling every field fills it. Its label says what to do should
  // the page's CSS be missing.
  out += "<p class=\"causerie-hp\" aria-hidden=\"true\"><label for=\"causerie-website\">";
  append_html_escaped(out, tr(cat, "form.honeypot"));
  out +=
      "</label><input id=\"causerie-website\" name=\"website\" type=\"text\" value=\"\" tabindex=\"-1\" "
      "autocomplete=\"off\"></p>\n";
  hidden(out, "parent_id", v.reply_to ? std::to_string(v.reply_to) : "");
  hidden(out, "return_to", v.return_to);
  hidden(out, "title", v.thread.title.empty() ? v.title : "");
  hidden(out, "lang", cat.language);
  if (v.tz_given) hidden(out, "tz", std::to_string(v.tz_offset_minutes));
  out += "<p><button type=\"submit\">";
  append_html_escaped(out, tr(cat, "form.submit"));
  out += "</button></p>\n</form>\n</div>\n";
}

}  // namespace

std::string view_query(const HtmlThreadPage& v, std::string_view extra) {
  std::string q = "?lang=" + percent_encode(v.catalog->language);
  if (v.tz_given) q += "&tz=" + std::to_string(v.tz_offset_minutes);
  if (v.framed) q += "&framed=1";
  if (!v.return_to.empty()) q += "&return_to=" + percent_encode(v.return_to);
  if (v.thread.title.empty() && !v.title.empty()) q += "&title=" + percent_encode(v.title);
  q += extra;
  return q;
}

std::string render_thread_page(const HtmlThreadPage& v) {
  const Catalog& cat = *v.catalog;
  const std::string& title = v.thread.title.empty() ? v.title : v.thread.title;
  const auto heading = [&](const std::string& title_text) {
    return title.empty() ? tr_count(cat, "header.count_untitled", v.thread.comment_count)
                         : tr_count(cat, "header.count", v.thread.comment_count, {{"title", title_text}});
  };
  std::string out;
  out.reserve(4096 + v.comments.size() * 700);
  const std::string feed = v.base_path + ".atom?lang=" + percent_encode(cat.language);
  head(out, cat, heading(isolated_text(title)), v.framed, feed);
  out +=
      "<section class=\"causerie-fallback\" id=\"causerie-comments\" aria-labelledby=\"causerie-heading\">\n"
      "<h2 id=\"causerie-heading\">";
  append_isolated(out, heading(std::string(1, kNameMarker)), escaped(title));
  out += "</h2>\n";
  if (!v.notice.empty()) {
    out += "<p class=\"causerie-notice\" role=\"status\">";
    append_html_escaped(out, v.notice);
    out += "</p>\n";
  }
  comment_list(out, v);
  if (!v.next_cursor.empty()) {
    out += "<p><a href=\"";
    append_html_escaped(out, v.base_path + ".html" + view_query(v, "&cursor=" + percent_encode(v.next_cursor)));
    out += "\">";
    append_html_escaped(out, tr(cat, "thread.load_more"));
    out += "</a></p>\n";
  }
  comment_form(out, v);
  out += "<p class=\"causerie-notes\"><a href=\"";
  append_html_escaped(out, feed);
  out += "\" type=\"application/atom+xml\">";
  append_html_escaped(out, feed_text(cat, "subscribe"));
  out += "</a></p>\n<p class=\"causerie-notes\"><a href=\"";
  append_html_escaped(out, std::string(kMyDataPath) + ".html?lang=" + percent_encode(cat.language));
  out += "\">";
  append_html_escaped(out, my_data_text(cat, "footer"));
  out += "</a></p>\n</section>\n</body>\n</html>\n";
  return out;
}

std::string render_message_page(const Catalog& catalog, std::string_view message) {
  std::string out;
  head(out, catalog, message);
  out += "<section class=\"causerie-fallback\">\n<p class=\"causerie-error\" role=\"alert\">";
  append_html_escaped(out, message);
  out += "</p>\n</section>\n</body>\n</html>\n";
  return out;
}

namespace {

void paragraph(std::string& out, std::string_view text, const char* attributes = "") {
  out += "<p";
  out += attributes;
  out += ">";
  append_html_escaped(out, text);
  out += "</p>\n";
}

void ask_again_link(std::string& out, const Catalog& catalog) {
  out += "<p><a href=\"";
  append_html_escaped(out, std::string(kMyDataPath) + ".html?lang=" + percent_encode(catalog.language));
  out += "\">";
  append_html_escaped(out, my_data_text(catalog, "ask_again"));
  out += "</a></p>\n";
}

}  // namespace

std::string render_my_data_form(const Catalog& catalog, std::string_view email, DataAction action,
                                std::string_view message, bool error) {
  const std::string title = my_data_text(catalog, "title");
  std::string out;
  head(out, catalog, title);
  out += "<section class=\"causerie-fallback\">\n<h2>";
  append_html_escaped(out, title);
  out += "</h2>\n";
  if (!message.empty())
    paragraph(out, message, error ? " class=\"causerie-error\" role=\"alert\"" : " class=\"causerie-notice\" role=\"status\"");
  paragraph(out, my_data_text(catalog, "intro"));
  out += "<form method=\"post\" action=\"";
  out += kMyDataPath;
  out += ".form\">\n<p>\n<label for=\"causerie-email\">";
  append_html_escaped(out, my_data_text(catalog, "email"));
  out += "</label>\n<input id=\"causerie-email\" name=\"email\" type=\"email\" autocomplete=\"email\" "
         "maxlength=\"254\" required value=\"";
  append_html_escaped(out, email);
  out += "\">\n</p>\n<fieldset>\n<legend>";
  append_html_escaped(out, my_data_text(catalog, "what"));
  out += "</legend>\n";
  for (const DataAction a : {DataAction::copy, DataAction::erase}) {
    const char* name = a == DataAction::copy ? "copy" : "erase";
    out += std::string("<label><input type=\"radio\" name=\"action\" value=\"") + name + "\"" +
           (a == action ? " checked" : "") + "> ";
    append_html_escaped(out, my_data_text(catalog, name));
    out += "</label>\n";
  }
  out += "</fieldset>\n";
  hidden(out, "lang", catalog.language);
  out += "<p><button type=\"submit\">";
  append_html_escaped(out, my_data_text(catalog, "send"));
  out += "</button></p>\n</form>\n</section>\n</body>\n</html>\n";
  return out;
}

std::string render_my_data_confirm(const Catalog& catalog, DataAction action, std::string_view email, int64_t count,
                                   std::string_view token) {
  const std::string title = my_data_text(catalog, "title");
  std::string out;
  head(out, catalog, title);
  out += "<section class=\"causerie-fallback\">\n<h2>";
  append_html_escaped(out, title);
  out += "</h2>\n";
  const bool copy = action == DataAction::copy;
  paragraph(out, fill_text(fill_text(my_data_text(catalog, copy ? "confirm_copy" : "confirm_erase"), "email",
                                     std::string(email)),
                           "comments", comment_count(catalog, count)));
  out += "<form method=\"post\" action=\"";
  out += kMyDataPath;
  out += "/link\">\n";
  hidden(out, "t", token);
  hidden(out, "lang", catalog.language);
  out += "<p><button type=\"submit\">";
  append_html_escaped(out, my_data_text(catalog, copy ? "download" : "erase_button"));
  out += "</button></p>\n</form>\n</section>\n</body>\n</html>\n";
  return out;
}

std::string render_my_data_result(const Catalog& catalog, std::string_view message,
                                  const std::vector<std::string>& items, bool error) {
  const std::string title = my_data_text(catalog, "title");
  std::string out;
  head(out, catalog, title);
  out += "<section class=\"causerie-fallback\">\n<h2>";
  append_html_escaped(out, title);
  out += "</h2>\n";
  paragraph(out, message, error ? " class=\"causerie-error\" role=\"alert\"" : " class=\"causerie-notice\" role=\"status\"");
  if (!items.empty()) {
    out += "<ul>\n";
    for (const std::string& item : items) {
      out += "<li dir=\"auto\">";
      append_html_escaped(out, item);
      out += "</li>\n";
    }
    out += "</ul>\n";
  }
  if (error) ask_again_link(out, catalog);
  out += "</section>\n</body>\n</html>\n";
  return out;
}

std::string render_link_confirm(const Catalog& catalog, std::string_view title, std::string_view message,
                                std::string_view quote, std::string_view action_path, std::string_view token,
                                std::string_view button) {
  std::string out;
  head(out, catalog, title);
  out += "<section class=\"causerie-fallback\">\n<h2>";
  append_html_escaped(out, title);
  out += "</h2>\n";
  paragraph(out, message);
  if (!quote.empty()) {
    // The text as written, a paragraph per line (the CSP allows no style attribute).
    out += "<blockquote>\n";
    size_t start = 0;
    while (start <= quote.size()) {
      const size_t end = std::min(quote.find('\n', start), quote.size());
      if (end > start) paragraph(out, quote.substr(start, end - start), " dir=\"auto\"");
      start = end + 1;
    }
    out += "</blockquote>\n";
  }
  out += "<form method=\"post\" action=\"";
  append_html_escaped(out, action_path);
  out += "\">\n";
  hidden(out, "t", token);
  hidden(out, "lang", catalog.language);
  out += "<p><button type=\"submit\">";
  append_html_escaped(out, button);
  out += "</button></p>\n</form>\n</section>\n</body>\n</html>\n";
  return out;
}

std::string render_link_result(const Catalog& catalog, std::string_view title, std::string_view message, bool error) {
  std::string out;
  head(out, catalog, title);
  out += "<section class=\"causerie-fallback\">\n<h2>";
  append_html_escaped(out, title);
  out += "</h2>\n";
  paragraph(out, message, error ? " class=\"causerie-error\" role=\"alert\"" : " class=\"causerie-notice\" role=\"status\"");
  out += "</section>\n</body>\n</html>\n";
  return out;
}

std::string view_content_security_policy(const std::vector<std::string>& allowed_origins) {
  std::string origins = "'self'";
  for (const std::string& o : allowed_origins)
    if (is_plain_origin(o)) origins += " " + o;
  return "default-src 'none'; style-src " + style_hash_source() + "; form-action " + origins + "; frame-ancestors " +
         origins + "; base-uri 'none'";
}

}  // namespace causerie::server
