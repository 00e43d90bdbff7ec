// The routes without JavaScript: the thread as an HTML page (html_view.h) and the
// plain form post, answered with 303 back to the article. Registered in the route
// table of api.cpp; a post takes the same path as JSON (Api::submit_comment).
#include <httplib.h>

#include <cstdlib>

#include "core/i18n.h"
#include "core/url.h"
#include "core/utf8.h"
#include "server/api.h"
#include "server/api_helpers.h"
#include "server/crypto.h"
#include "server/html_view.h"
#include "server/http_util.h"

namespace causerie::server {

namespace {

constexpr size_t kViewMaxComments = 1000;  // per HTML page; the rest behind "load more"

// Minutes east of UTC, as the loader sends it (-new Date().getTimezoneOffset()).
bool parse_tz(const std::string& s, int& out) {
  if (s.empty() || s.size() > 5) return false;
  size_t i = s[0] == '-' || s[0] == '+' ? 1 : 0;
  if (i == s.size()) return false;
  int v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  if (v > 18 * 60) return false;
  out = s[0] == '-' ? -v : v;
  return true;
}

// A path on this server ("/demo/article/"), not "//host" nor "/\\host" that
// browsers read as another host.
bool is_local_path(const std::string& url) {
  if (url.size() < 1 || url[0] != '/' || (url.size() > 1 && (url[1] == '/' || url[1] == '\\'))) return false;
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch >= 0x7F || ch == '\\') return false;
  return true;
}

// The article URL a view and its form carry: an http(s) URL or a path on this
// server, without the "causerie=pending" marker a previous post added.
std::string clean_return_to(const std::string& url) {
  if (url.size() > 2048 || (check_http_url(url) != UrlCheck::ok && !is_local_path(url))) return {};
  std::string out = url.substr(0, url.find('#'));
  for (const char* marker : {"?causerie=pending&", "&causerie=pending", "?causerie=pending"}) {
    const size_t at = out.find(marker);
    if (at == std::string::npos) continue;
    out.erase(at + (marker[0] == '?' ? 1 : 0), std::char_traits<char>::length(marker) - 1);
    if (!out.empty() && out.back() == '?') out.pop_back();
    break;
  }
  return out;
}

std::string form_error_message(const Catalog& catalog, const ApiError& e) {
  if (e.code == "validation_failed") return tr(catalog, "error.validation");
  if (e.code == "internal" || e.code == "unavailable") return tr(catalog, "error.server_error");
  if (e.code == "thread_closed" || e.code == "duplicate" || e.code == "not_found")
    return tr(catalog, "error." + e.code);
  return tr(catalog, "error.bad_request");
}

}  // namespace

// The reader's language: ?lang= (or the form's lang), else the best supported
// entry of Accept-Language, else English.
const Catalog& view_catalog(const httplib::Request& req, const std::string& lang) {
  if (!lang.empty()) return catalog_for(lang);
  const std::string accept = req.get_header_value("Accept-Language");
  std::string best;
  double best_q = 0;
  size_t start = 0;
  while (start < accept.size()) {
    size_t end = accept.find(',', start);
    if (end == std::string::npos) end = accept.size();
    const std::string item = trim(std::string_view(accept).substr(start, end - start));
    start = end + 1;
    const size_t semi = item.find(';');
    const std::string tag = lower(trim(item.substr(0, semi)));
    double q = 1;
    if (semi != std::string::npos) {
      const size_t qpos = item.find("q=", semi);
      if (qpos != std::string::npos) q = std::strtod(item.c_str() + qpos + 2, nullptr);
    }
    if (tag.empty() || tag == "*" || tag.size() > 35 || q <= best_q) continue;
    // Supported when the catalog found is the tag's own language, not the fallback.
    const std::string primary = tag.substr(0, tag.find_first_of("-_"));
    if (catalog_for(tag).language != primary) continue;
    best = tag;
    best_q = q;
  }
  return catalog_for(best.empty() ? "en" : best);
}

void set_view_headers(httplib::Response& res, const Options& options) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", view_content_security_policy(options.allowed_origins));
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  // The language can come from Accept-Language.
  res.headers.erase("Vary");
  res.set_header("Vary", "Origin, Accept-Encoding, Accept-Language");
}

bool Api::may_redirect_to(const httplib::Request& req, const std::string& url) const {
  if (is_local_path(url)) return true;
  if (url.empty() || url.size() > 2048 || check_http_url(url) != UrlCheck::ok) return false;
  // Location is a header: plain printable ASCII only, and no '\' that browsers read as '/'.
  for (unsigned char ch : url)
    if (ch <= 0x20 || ch >= 0x7F || ch == '\\') return false;
  const size_t authority = url.find("://") + 3;
  const std::string origin = lower(url.substr(0, url.find_first_of("/?#", authority)));
  if (origin.find('@') != std::string::npos) return false;
  const std::string host = lower(req.get_header_value("Host"));
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  for (const std::string& allowed : options_.allowed_origins)
    if (lower(allowed) == origin) return true;
  return false;
}

// Loads what a view shows: the thread and up to kViewMaxComments of its published
// (and deleted placeholder) comments, oldest first, from `after` on.
static DbResult load_view(Storage& storage, std::string_view signing_key, const std::string& key,
                          const std::optional<PageCursor>& after,
                          HtmlThreadPage& v) {
  PageQuery q;
  q.thread_key = key;
  q.sort = SortOrder::oldest;
  q.limit = kMaxPageSize;
  q.after = after;
  v.from_start = !after;
  v.thread.key = key;
  for (;;) {
    PageResult page;
    ThreadRow thread;
    const DbResult r = storage.list_comments(q, thread, page);
    if (r == DbResult::error) return r;
    if (r == DbResult::not_found) return DbResult::ok;
    v.thread = to_model(thread);
    for (const CommentRow& row : page.comments)
      if (row.status == CommentStatus::published || row.status == CommentStatus::deleted)
        v.comments.push_back(to_model(row));
    if (!page.next) break;
    if (v.comments.size() >= kViewMaxComments) {
      v.next_cursor = encode_cursor(signing_key, 'o', key, *page.next);
      break;
    }
    q.after = page.next;
  }
  return DbResult::ok;
}

void Api::get_thread_html(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!check_rate(req, res, options_.rate_read, "read")) return;
  if (!parse_query(req.target, params, bad)) return send_error(res, 400, "invalid_parameter", "bad query escape", bad);
  std::string lang, cursor_text, pending;
  HtmlThreadPage v;
  for (const auto& [name, value] : params) {
    if (name == "lang") lang = value;
    else if (name == "tz") v.tz_given = parse_tz(value, v.tz_offset_minutes);
    else if (name == "return_to") v.return_to = clean_return_to(value);
    else if (name == "title" && value.size() <= 1200) v.title = trim(value);
    else if (name == "reply_to") parse_positive_int(value, v.reply_to);
    else if (name == "cursor") cursor_text = value;
    else if (name == "causerie") pending = value;
    else if (name == "framed") v.framed = value == "1";
  }
  const Catalog& catalog = view_catalog(req, lang);
  v.catalog = &catalog;
  v.base_path = "/api/v1/threads/" + percent_encode(key) + "/comments";
  std::optional<PageCursor> after;
  if (!cursor_text.empty()) {
    PageCursor c;
    if (!decode_cursor(cursor_key_, cursor_text, 'o', key, c))
      return send_error(res, 400, "invalid_parameter", kBadCursor, std::string("cursor"));
    after = c;
  }
  if (pending == "pending") v.notice = tr(catalog, "comment.awaiting_moderation");

  ThreadRow thread;
  const DbResult found = storage_.find_thread(key, thread);
  if (found == DbResult::error) return storage_failure(res);
  const std::string material =
      std::string("html1\n") + key + '\n' + std::to_string(found == DbResult::ok ? thread.version : 0) + '\n' +
      catalog.language + '\n' + (v.tz_given ? std::to_string(v.tz_offset_minutes) : "") + '\n' + v.return_to + '\n' +
      v.title + '\n' + std::to_string(v.reply_to) + '\n' + cursor_text + '\n' + pending + (v.framed ? "\nframed" : "");
  const std::string etag = "\"" + sha256_hex(material).substr(0, 32) + "\"";
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", etag);
  if (etag_matches(req, etag)) {
    res.status = 304;
    return;
  }
  if (load_view(storage_, cursor_key_, key, after, v) != DbResult::ok) return storage_failure(res);
  res.status = 200;
  res.set_content(render_thread_page(v), kHtmlType);
}

void Api::post_form(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  const std::string type = lower(req.get_header_value("Content-Type"));
  if (trim(type.substr(0, type.find(';'))) != "application/x-www-form-urlencoded")
    return send_error(res, 415, "unsupported_media_type", "send the form as application/x-www-form-urlencoded");
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_params(req.body, params, bad)) return send_error(res, 400, "invalid_parameter", "bad form escape", bad);
  std::string lang, parent_text, return_to, title, tz;
  NewComment c;
  for (auto& [name, value] : params) {
    if (name == "body") c.body = std::move(value);
    else if (name == "name") c.author.name = std::move(value);
    else if (name == "email") c.author.email = std::move(value);
    else if (name == "url") {
      if (!value.empty()) c.author.url = std::move(value);
    } else if (name == "website") c.website = std::move(value);
    else if (name == "parent_id") parent_text = std::move(value);
    else if (name == "return_to") return_to = std::move(value);
    else if (name == "title") title = std::move(value);
    else if (name == "lang") lang = std::move(value);
    else if (name == "tz") tz = std::move(value);
  }
  const Catalog& catalog = view_catalog(req, lang);
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-store");
  if (!origin_allowed(req)) {
    res.status = 403;
    res.set_content(render_message_page(catalog, tr(catalog, "error.forbidden")), kHtmlType);
    return;
  }

  // What a failed post shows: the thread and the form as the reader left it.
  HtmlThreadPage v;
  v.catalog = &catalog;
  v.base_path = "/api/v1/threads/" + percent_encode(key) + "/comments";
  v.return_to = clean_return_to(return_to);
  v.title = trim(title.size() <= 1200 ? title : std::string());
  v.tz_given = parse_tz(tz, v.tz_offset_minutes);
  v.form.body = c.body;
  v.form.name = c.author.name;
  v.form.email = c.author.email;
  v.form.url = c.author.url.value_or("");
  const bool parent_ok = parent_text.empty() || parse_positive_int(parent_text, v.reply_to);
  auto answer_with_form = [&](int status) {
    if (load_view(storage_, cursor_key_, key, std::nullopt, v) != DbResult::ok) return storage_failure(res);
    res.status = status;
    res.set_content(render_thread_page(v), kHtmlType);
  };

  if (const int wait = rate_wait(req, options_.rate_post, "post")) {
    res.set_header("Retry-After", std::to_string(wait));
    v.error_message = tr_count(catalog, "error.rate_limited", wait);
    return answer_with_form(429);
  }
  if (!parent_ok) {
    v.error_message = validation_message(catalog, "parent_id", "invalid_parent");
    return answer_with_form(422);
  }
  if (v.reply_to) c.parent_id = v.reply_to;
  if (!title.empty()) c.title = title;
  if (is_valid_comment_url(v.return_to, limits_)) c.url = v.return_to;  // else the thread names none

  const Submission s = submit_comment(req, key, std::move(c));
  if (s.status >= 400) {
    // Field errors go next to their inputs; the others (honeypot, parent, article
    // title or URL) above the form.
    std::string others;
    for (const FieldError& d : s.error.details) {
      ValidationError e{d.field, ValidationCode::required};
      if (!parse_validation_code(d.code, e.code)) continue;
      if (d.field == "body" || d.field == "author.name" || d.field == "author.email" || d.field == "author.url") {
        v.errors.push_back(e);
      } else {
        if (!others.empty()) others += ' ';
        others += validation_message(catalog, d.field, d.code);
      }
    }
    v.error_message = !others.empty() && v.errors.empty() ? others : form_error_message(catalog, s.error);
    if (!others.empty() && !v.errors.empty()) v.error_message += ' ' + others;
    if (s.error.retry_after) res.set_header("Retry-After", std::to_string(*s.error.retry_after));
    return answer_with_form(s.status);
  }

  // Back to the article (or this view when the article's URL is not ours to send
  // people to), at the new comment or with the "awaiting moderation" marker.
  std::string target = may_redirect_to(req, v.return_to) ? v.return_to : std::string();
  if (target.empty()) {
    target = v.base_path + ".html?lang=" + percent_encode(catalog.language);
    if (v.tz_given) target += "&tz=" + std::to_string(v.tz_offset_minutes);
  }
  if (s.status == 202) {
    target += (target.find('?') == std::string::npos ? "?" : "&");
    target += "causerie=pending#causerie-respond";
  } else {
    target += "#comment-" + std::to_string(s.row.id);
  }
  res.status = 303;
  res.set_header("Location", target);
  res.set_content(
      render_message_page(catalog, tr(catalog, s.status == 202 ? "comment.awaiting_moderation" : "form.posted")),
      kHtmlType);
}

}  // namespace causerie::server
