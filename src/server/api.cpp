#include "server/api.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/codec.h"
#include "core/i18n.h"
#include "core/rfc3339.h"
#include "core/url.h"
#include "core/utf8.h"
#include "server/crypto.h"
#include "server/event_hub.h"
#include "server/html_view.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace causerie::server {

namespace {

constexpr int kDefaultPageSize = 50;
constexpr int kMaxPageSize = 200;
constexpr size_t kMaxCountKeys = 100;
constexpr size_t kMaxReadTokens = 50;
constexpr size_t kMaxTokenBytes = 128;
constexpr int64_t kDuplicateWindowMs = 10 * 60 * 1000;

void send_error(httplib::Response& res, int status, const char* code, std::string message,
                std::optional<std::string> field = std::nullopt, std::optional<int64_t> retry_after = std::nullopt) {
  ApiError e;
  e.code = code;
  e.message = std::move(message);
  e.field = std::move(field);
  e.retry_after = retry_after;
  if (retry_after) res.set_header("Retry-After", std::to_string(*retry_after));
  res.status = status;
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  res.set_content(encode_api_error(e), kJsonType);
}

void send_api_error(httplib::Response& res, int status, const ApiError& e) {
  res.status = status;
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  res.set_content(encode_api_error(e), kJsonType);
}

void internal_error(httplib::Response& res) {
  send_error(res, 500, "internal", "storage failure; nothing was stored half-way");
}

Comment to_model(const CommentRow& r, bool with_thread = false) {
  Comment c;
  c.id = r.id;
  if (r.parent_id) c.parent_id = r.parent_id;
  c.created_at = r.created_at / 1000;
  c.status = r.status;
  if (r.status != CommentStatus::deleted) {
    c.author.name = r.author_name;
    if (!r.author_url.empty()) c.author.url = r.author_url;
    c.author.avatar_seed = r.avatar_seed;
    c.body = r.body;
    if (r.edited_at) c.edited_at = r.edited_at / 1000;
  }
  if (with_thread) c.thread = r.thread_key;
  return c;
}

ThreadInfo to_model(const ThreadRow& t) {
  ThreadInfo i;
  i.key = t.key;
  i.title = t.title;
  i.url = t.url;
  i.comment_count = t.comment_count;
  i.status = t.closed ? ThreadStatus::closed : ThreadStatus::open;
  return i;
}

// "a=1&b=2" (a query string or an x-www-form-urlencoded body), each name and
// value percent-decoded exactly once.
bool parse_params(std::string_view query, std::vector<std::pair<std::string, std::string>>& out,
                  std::string& bad_name) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view part = query.substr(start, end - start);
    if (!part.empty()) {
      const auto eq = part.find('=');
      std::string name, value;
      if (!percent_decode(part.substr(0, eq), name, true)) {
        bad_name = std::string(part.substr(0, eq));
        return false;
      }
      if (eq != std::string_view::npos && !percent_decode(part.substr(eq + 1), value, true)) {
        bad_name = name;
        return false;
      }
      out.emplace_back(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return true;
}

bool parse_query(const std::string& target, std::vector<std::pair<std::string, std::string>>& out,
                 std::string& bad_name) {
  const auto q = target.find('?');
  if (q == std::string::npos) return true;
  return parse_params(std::string_view(target).substr(q + 1), out, bad_name);
}

bool parse_positive_int(const std::string& s, int64_t& out) {
  if (s.empty() || s.size() > 16) return false;
  int64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return false;
    v = v * 10 + (ch - '0');
  }
  if (v <= 0 || v >= (int64_t(1) << 53)) return false;
  out = v;
  return true;
}

// Cursors are opaque to clients: base64url of "<tag>:<created_at ms>:<id>", where
// the tag binds them to the listing and sort they came from.
std::string encode_cursor(char tag, const PageCursor& c) {
  return base64url_encode(std::string(1, tag) + ":" + std::to_string(c.created_at) + ":" + std::to_string(c.id));
}

bool decode_cursor(const std::string& text, char tag, PageCursor& out) {
  std::string raw;
  if (text.empty() || text.size() > 100 || !base64url_decode(text, raw)) return false;
  if (raw.size() < 5 || raw[0] != tag || raw[1] != ':') return false;
  const auto colon = raw.find(':', 2);
  if (colon == std::string::npos) return false;
  const std::string created = raw.substr(2, colon - 2);
  int64_t id = 0, ms = 0;
  if (created.empty() || created.size() > 18) return false;
  for (char ch : created) {
    if (ch < '0' || ch > '9') return false;
    ms = ms * 10 + (ch - '0');
  }
  if (!parse_positive_int(raw.substr(colon + 1), id)) return false;
  out = PageCursor{ms, id};
  return true;
}

// "Bearer <token>" from the Authorization header; false when absent or another scheme.
bool bearer_token(const httplib::Request& req, std::string& token) {
  const std::string h = req.get_header_value("Authorization");
  if (h.size() < 8 || lower(h.substr(0, 7)) != "bearer ") return false;
  token = trim(h.substr(7));
  return !token.empty();
}

// The hashes of the edit tokens a reader sends to see their own pending comments.
std::vector<std::string> own_token_hashes(const httplib::Request& req) {
  std::vector<std::string> hashes;
  const std::string h = req.get_header_value("X-Causerie-Edit-Tokens");
  size_t start = 0;
  while (start < h.size() && hashes.size() < kMaxReadTokens) {
    size_t end = h.find(',', start);
    if (end == std::string::npos) end = h.size();
    const std::string token = trim(std::string_view(h).substr(start, end - start));
    if (!token.empty() && token.size() <= kMaxTokenBytes) hashes.push_back(sha256_hex(token));
    start = end + 1;
  }
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  return hashes;
}

bool etag_matches(const httplib::Request& req, const std::string& etag) {
  const std::string inm = req.get_header_value("If-None-Match");
  if (inm.empty()) return false;
  if (trim(inm) == "*") return true;
  return inm.find(etag) != std::string::npos;
}

enum class Route { none, thread_comments, thread_html, thread_form, thread_events, comment, counts, pending, approve, spam, mod_comment, mod_thread };

struct RouteMatch {
  Route route = Route::none;
  std::string thread_segment;  // still percent-encoded
  std::string id_segment;
};

// Splits the raw path (never the decoded one: a thread key is one percent-encoded
// segment that may itself hold "%2F").
RouteMatch match_route(const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  std::vector<std::string> seg;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    seg.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  RouteMatch m;
  if (seg.size() < 3 || seg[0] != "api" || seg[1] != "v1") return m;
  const size_t n = seg.size();
  if (n == 5 && seg[2] == "threads" && seg[4] == "comments") {
    m.route = Route::thread_comments;
    m.thread_segment = seg[3];
  } else if (n == 5 && seg[2] == "threads" && (seg[4] == "comments.html" || seg[4] == "comments.form")) {
    m.route = seg[4] == "comments.html" ? Route::thread_html : Route::thread_form;
    m.thread_segment = seg[3];
  } else if (n == 5 && seg[2] == "threads" && seg[4] == "events") {
    m.route = Route::thread_events;
    m.thread_segment = seg[3];
  } else if (n == 4 && seg[2] == "comments") {
    m.route = Route::comment;
    m.id_segment = seg[3];
  } else if (n == 3 && seg[2] == "counts") {
    m.route = Route::counts;
  } else if (n == 4 && seg[2] == "moderation" && seg[3] == "pending") {
    m.route = Route::pending;
  } else if (n == 6 && seg[2] == "moderation" && seg[3] == "comments" && (seg[5] == "approve" || seg[5] == "spam")) {
    m.route = seg[5] == "approve" ? Route::approve : Route::spam;
    m.id_segment = seg[4];
  } else if (n == 5 && seg[2] == "moderation" && seg[3] == "comments") {
    m.route = Route::mod_comment;
    m.id_segment = seg[4];
  } else if (n == 5 && seg[2] == "moderation" && seg[3] == "threads") {
    m.route = Route::mod_thread;
    m.thread_segment = seg[4];
  }
  return m;
}

const char* allowed_methods(Route r) {
  switch (r) {
    case Route::thread_comments: return "GET, HEAD, POST, OPTIONS";
    case Route::thread_html: return "GET, HEAD";
    case Route::thread_form: return "POST";
    case Route::thread_events: return "GET, OPTIONS";
    case Route::comment: return "PATCH, DELETE, OPTIONS";
    case Route::counts: return "GET, HEAD, OPTIONS";
    case Route::pending: return "GET, HEAD, OPTIONS";
    case Route::approve:
    case Route::spam: return "POST, OPTIONS";
    case Route::mod_comment: return "DELETE, OPTIONS";
    case Route::mod_thread: return "PUT, OPTIONS";
    case Route::none: break;
  }
  return "";
}

bool method_allowed(Route r, const std::string& m) {
  const bool get = m == "GET" || m == "HEAD";
  switch (r) {
    case Route::thread_comments: return get || m == "POST";
    case Route::thread_html: return get;
    case Route::thread_form: return m == "POST";
    case Route::thread_events: return m == "GET";
    case Route::comment: return m == "PATCH" || m == "DELETE";
    case Route::counts:
    case Route::pending: return get;
    case Route::approve:
    case Route::spam: return m == "POST";
    case Route::mod_comment: return m == "DELETE";
    case Route::mod_thread: return m == "PUT";
    case Route::none: break;
  }
  return false;
}

// access log timing: set when a request's headers are read, on the worker thread.
thread_local int64_t t_request_start_us = 0;

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Api::Api(Storage& storage, const Options& options, std::string install_salt, std::string admin_token)
    : storage_(storage), options_(options), salt_(std::move(install_salt)) {
  if (!admin_token.empty()) admin_token_hash_ = sha256_hex(admin_token);
}

void Api::install(httplib::Server& server) {
  server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    bool empty = false;
    res.set_header("Cache-Control", "no-store");
    if (storage_.is_empty(empty) == DbResult::ok) {
      res.set_content(R"({"status":"ok"})", kJsonType);
    } else {
      res.status = 503;
      res.set_header("Retry-After", "5");
      res.set_content(R"({"status":"unavailable"})", kJsonType);
    }
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); };
  server.Get("/api/.*", handler);
  server.Post("/api/.*", handler);
  server.Put("/api/.*", handler);
  server.Patch("/api/.*", handler);
  server.Delete("/api/.*", handler);
  server.Options("/api/.*", handler);

  server.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_start_us = now_us();
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // cpp-httplib's own errors (unknown route, 413, malformed request) get the one
  // JSON error shape too; answers our handlers already wrote are left alone.
  server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (req.path.rfind("/api/", 0) == 0 && !res.has_header("Vary")) add_cors_headers(req, res);
    switch (res.status) {
      case 404: send_error(res, 404, "not_found", "no such route"); break;
      case 405: send_error(res, 405, "method_not_allowed", "method not allowed"); break;
      case 413: send_error(res, 413, "too_large", "the request body is over the size limit"); break;
      case 414: send_error(res, 414, "too_large", "the request URI is too long"); break;
      case 415: send_error(res, 415, "unsupported_media_type", "compressed request bodies are not accepted"); break;
      case 400: send_error(res, 400, "invalid_parameter", "malformed HTTP request"); break;
      case 503: send_error(res, 503, "unavailable", "try again later", std::nullopt, 5); break;
      default: send_error(res, res.status >= 500 ? res.status : 400, res.status >= 500 ? "internal" : "invalid_parameter", "request failed"); break;
    }
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.body.clear();
    internal_error(res);
  });
  if (options_.access_log) {
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      // One JSON line per request; no IP, no query string (it can hold thread keys
      // of what a reader reads, which is theirs).
      const int64_t start = t_request_start_us;
      const double ms = start ? (double)(now_us() - start) / 1000.0 : 0.0;
      t_request_start_us = 0;
      const std::string path = req.target.substr(0, req.target.find('?'));
      nlohmann::json line = {{"time", format_rfc3339(now_ms() / 1000)}, {"method", req.method},
                             {"path", path},  {"status", res.status},
                             {"bytes", res.body.size()},   {"ms", (double)((int64_t)(ms * 100)) / 100}};
      const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      std::fwrite(text.data(), 1, text.size(), stderr);
    });
  }
}

bool Api::origin_allowed(const httplib::Request& req) const {
  const std::string origin = req.get_header_value("Origin");
  if (origin.empty()) return true;  // not a browser cross-site request
  // The server's own pages (the demo) are same-origin.
  const std::string host = req.get_header_value("Host");
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  return std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(), origin) !=
         options_.allowed_origins.end();
}

void Api::add_cors_headers(const httplib::Request& req, httplib::Response& res) const {
  const std::string origin = req.get_header_value("Origin");
  if (!origin.empty() && origin_allowed(req)) {
    res.set_header("Access-Control-Allow-Origin", origin);
    res.set_header("Access-Control-Expose-Headers", "ETag, Retry-After, Location, Causerie-Event-Id");
  }
  res.set_header("Vary", "Origin, Accept-Encoding, X-Causerie-Edit-Tokens");
}

std::string Api::client_ip(const httplib::Request& req) const {
  if (options_.trust_proxy) {
    // The proxy in front of us appends the address it saw: trust the last entry only.
    const std::string xff = req.get_header_value("X-Forwarded-For");
    if (!xff.empty()) {
      const auto comma = xff.rfind(',');
      const std::string last = trim(comma == std::string::npos ? xff : xff.substr(comma + 1));
      if (!last.empty()) return last;
    }
  }
  return req.remote_addr;
}

int Api::rate_wait(const httplib::Request& req, const RateLimit& limit, const char* kind) {
  if (limit.count <= 0) return 0;
  // Buckets hold a salted hash of the IP, never the IP itself, and expire with the window.
  const std::string bucket = std::string(kind) + ":" + sha256_hex(salt_ + "|ip|" + client_ip(req)).substr(0, 32);
  const RateDecision d = storage_.rate_limit_hit(bucket, limit.count, limit.window_seconds, now_ms());
  return d.allowed ? 0 : std::max(1, d.retry_after_seconds);
}

bool Api::check_rate(const httplib::Request& req, httplib::Response& res, const RateLimit& limit, const char* kind) {
  const int wait = rate_wait(req, limit, kind);
  if (wait == 0) return true;
  send_error(res, 429, "rate_limited", "too many requests; retry later", std::nullopt, wait);
  return false;
}

bool Api::check_admin(const httplib::Request& req, httplib::Response& res) {
  std::string token;
  if (!bearer_token(req, token)) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "missing_token", "the moderation API needs Authorization: Bearer <admin token>");
    return false;
  }
  // Hash both sides so the compare runs over equal lengths whatever was sent.
  if (admin_token_hash_.empty() || !constant_time_equals(sha256_hex(token), admin_token_hash_)) {
    send_error(res, 403, "invalid_token", "wrong admin token");
    return false;
  }
  return true;
}

bool Api::check_edit_token(const httplib::Request& req, httplib::Response& res, int64_t id, CommentRow& row) {
  std::string token;
  if (!bearer_token(req, token)) {
    res.set_header("WWW-Authenticate", "Bearer");
    send_error(res, 401, "missing_token", "send the comment's edit token as Authorization: Bearer <token>");
    return false;
  }
  const DbResult r = storage_.get_comment(id, row);
  if (r == DbResult::error) {
    internal_error(res);
    return false;
  }
  if (r == DbResult::not_found || row.status == CommentStatus::deleted || row.status == CommentStatus::spam) {
    send_error(res, 404, "not_found", "no such comment");
    return false;
  }
  std::string stored;
  if (storage_.edit_token_hash(id, stored) != DbResult::ok) {
    internal_error(res);
    return false;
  }
  if (stored.empty() || token.size() > kMaxTokenBytes || !constant_time_equals(sha256_hex(token), stored)) {
    send_error(res, 403, "invalid_token", "this edit token does not own this comment");
    return false;
  }
  if (now_ms() > row.created_at + options_.edit_window_seconds * 1000) {
    send_error(res, 403, "edit_window_closed", "the edit window of this comment is over");
    return false;
  }
  return true;
}

bool Api::check_json_body(const httplib::Request& req, httplib::Response& res) {
  const std::string type = lower(req.get_header_value("Content-Type"));
  const auto semi = type.find(';');
  bool ok = trim(type.substr(0, semi)) == "application/json";
  if (ok && semi != std::string::npos) {
    std::string params;
    for (char ch : type.substr(semi + 1))
      if (ch != ' ' && ch != '"') params += ch;
    ok = params.empty() || params == "charset=utf-8" || params == "charset=utf8";
  }
  if (!ok) {
    send_error(res, 415, "unsupported_media_type", "send the body as application/json (UTF-8)");
    return false;
  }
  if (!utf8_valid(req.body)) {
    send_error(res, 400, "malformed_json", "the body is not valid UTF-8");
    return false;
  }
  return true;
}

void Api::send_json(const httplib::Request& req, httplib::Response& res, int status, std::string body) {
  res.status = status;
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  // cpp-httplib compresses only "application/json" without parameters; our JSON
  // carries "; charset=utf-8", so it is compressed here.
  if (body.size() > 1024 && accepts_gzip(req)) {
    std::string gz = gzip_compress(body);
    if (!gz.empty()) {
      res.set_header("Content-Encoding", "gzip");
      body = std::move(gz);
    }
  }
  res.set_content(std::move(body), kJsonType);
}

void Api::dispatch(const httplib::Request& req, httplib::Response& res) {
  add_cors_headers(req, res);
  const RouteMatch m = match_route(req.target);
  if (req.method == "OPTIONS") {
    // Preflight: answered for any API path; without an allowed origin the browser
    // finds no Access-Control-Allow-Origin and stops there.
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-Causerie-Edit-Tokens, If-None-Match");
    res.set_header("Access-Control-Max-Age", "600");
    return;
  }
  if (m.route == Route::none) return send_error(res, 404, "not_found", "no such route");
  if (!method_allowed(m.route, req.method)) {
    res.set_header("Allow", allowed_methods(m.route));
    return send_error(res, 405, "method_not_allowed", req.method + " is not allowed here");
  }
  const bool write = req.method != "GET" && req.method != "HEAD";
  // The form post answers a refused origin with a page, not JSON (post_form).
  if (write && m.route != Route::thread_form && !origin_allowed(req))
    return send_error(res, 403, "origin_not_allowed", "this site is not in the server's allowed origins");

  std::string key;
  if (m.route == Route::thread_comments || m.route == Route::thread_html || m.route == Route::thread_form ||
      m.route == Route::thread_events || m.route == Route::mod_thread) {
    if (!percent_decode(m.thread_segment, key) || !is_valid_thread_key(key, limits_))
      return send_error(res, 400, "invalid_parameter", "bad thread key", std::string("thread"));
  }
  int64_t id = 0;
  if (!m.id_segment.empty() || m.route == Route::comment || m.route == Route::approve || m.route == Route::spam ||
      m.route == Route::mod_comment) {
    if (!parse_positive_int(m.id_segment, id))
      return send_error(res, 400, "invalid_parameter", "bad comment id", std::string("id"));
  }

  switch (m.route) {
    case Route::thread_comments:
      return write ? post_comment(req, res, key) : get_thread(req, res, key);
    case Route::thread_html: return get_thread_html(req, res, key);
    case Route::thread_form: return post_form(req, res, key);
    case Route::comment:
      return req.method == "PATCH" ? patch_comment(req, res, id) : delete_comment(req, res, id);
    case Route::thread_events: return get_events(req, res, key);
    case Route::counts: return get_counts(req, res);
    case Route::pending: return get_pending(req, res);
    case Route::approve: return moderate(req, res, id, CommentStatus::published);
    case Route::spam: return moderate(req, res, id, CommentStatus::spam);
    case Route::mod_comment: return moderate(req, res, id, CommentStatus::deleted);
    case Route::mod_thread: return put_thread(req, res, key);
    case Route::none: break;
  }
}

void Api::get_thread(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!check_rate(req, res, options_.rate_read, "read")) return;
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) return send_error(res, 400, "invalid_parameter", "bad query escape", bad);
  SortOrder sort = SortOrder::oldest;
  int limit = kDefaultPageSize;
  std::string cursor_text;
  for (const auto& [name, value] : params) {
    if (name == "sort") {
      if (!parse_sort_order(value, sort))
        return send_error(res, 400, "invalid_parameter", "sort is oldest or newest", std::string("sort"));
    } else if (name == "limit") {
      int64_t n = 0;
      if (value.size() > 9 || !parse_positive_int(value, n))
        return send_error(res, 400, "invalid_parameter", "limit is a positive integer", std::string("limit"));
      limit = (int)std::min<int64_t>(n, kMaxPageSize);
    } else if (name == "cursor") {
      cursor_text = value;
    }
  }
  PageQuery q;
  q.thread_key = key;
  q.sort = sort;
  q.limit = limit;
  const char tag = sort == SortOrder::oldest ? 'o' : 'n';
  if (!cursor_text.empty()) {
    PageCursor c;
    if (!decode_cursor(cursor_text, tag, c))
      return send_error(res, 400, "invalid_parameter", "bad cursor (or a cursor of another sort)", std::string("cursor"));
    q.after = c;
  }
  q.own_token_hashes = own_token_hashes(req);

  res.set_header("Cache-Control", "no-cache");
  auto make_etag = [&](int64_t version) {
    std::string material = key + '\n' + std::to_string(version) + '\n' + tag + std::to_string(limit) + '\n' + cursor_text;
    for (const auto& h : q.own_token_hashes) material += '\n' + h;
    return "\"" + sha256_hex(material).substr(0, 32) + "\"";
  };

  // Revalidation and the page cache need only the thread's version: one small query.
  ThreadRow thread;
  const DbResult found = storage_.find_thread(key, thread);
  if (found == DbResult::error) return internal_error(res);
  const int64_t version = found == DbResult::ok ? thread.version : 0;
  const std::string etag = make_etag(version);
  // Where a live stream opened after this read starts (events/?after=): the
  // version of the thread this answer shows.
  res.set_header("Causerie-Event-Id", std::to_string(version));
  if (etag_matches(req, etag)) {
    res.set_header("ETag", etag);
    res.status = 304;
    return;
  }
  const std::string cache_key = key + '\0' + tag + std::to_string(limit) + '\0' + cursor_text;
  const bool cacheable = q.own_token_hashes.empty();
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    auto it = page_cache_.find(cache_key);
    if (it != page_cache_.end() && it->second.version == version) {
      res.set_header("ETag", it->second.etag);
      const bool gz = !it->second.gzip.empty() && accepts_gzip(req);
      if (gz) res.set_header("Content-Encoding", "gzip");
      res.set_content(gz ? it->second.gzip : it->second.body, kJsonType);
      return;
    }
  }

  PageResult page;
  ThreadRow listed;
  const DbResult r = storage_.list_comments(q, listed, page);
  if (r == DbResult::error) return internal_error(res);
  CommentPage out;
  if (r == DbResult::not_found) {
    out.thread.key = key;
    listed.version = 0;
  } else {
    out.thread = to_model(listed);
  }
  out.comments.reserve(page.comments.size());
  for (const auto& row : page.comments) out.comments.push_back(to_model(row));
  if (page.next) out.next_cursor = encode_cursor(tag, *page.next);

  CachedPage entry;
  entry.version = listed.version;
  if (listed.version != version) {
    res.headers.erase("Causerie-Event-Id");
    res.set_header("Causerie-Event-Id", std::to_string(listed.version));
  }
  entry.etag = make_etag(listed.version);
  entry.body = encode_comment_page(out);
  if (entry.body.size() > 1024) entry.gzip = gzip_compress(entry.body);
  res.set_header("ETag", entry.etag);
  const bool gz = !entry.gzip.empty() && accepts_gzip(req);
  if (gz) res.set_header("Content-Encoding", "gzip");
  res.set_content(gz ? entry.gzip : entry.body, kJsonType);
  if (cacheable) {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (page_cache_.size() >= 4096) page_cache_.clear();  // bounded; refills on demand
    page_cache_[cache_key] = std::move(entry);
  }
}

void Api::post_comment(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!check_rate(req, res, options_.rate_post, "post")) return;
  if (!check_json_body(req, res)) return;
  NewComment c;
  DecodeError err;
  if (!decode_new_comment(req.body, c, err)) {
    if (err.syntax) return send_error(res, 400, "malformed_json", err.to_string());
    return send_error(res, 400, "invalid_field", err.to_string(), err.field);
  }
  Submission s = submit_comment(req, key, std::move(c));
  if (s.status >= 400) return send_api_error(res, s.status, s.error);
  PostedComment posted;
  posted.comment = to_model(s.row);
  posted.edit_token = s.edit_token;
  posted.edit_expires_at = s.row.created_at / 1000 + options_.edit_window_seconds;
  res.set_header("Location", "/api/v1/comments/" + std::to_string(s.row.id));
  send_json(req, res, s.status, encode_posted_comment(posted));
}

Api::Submission Api::submit_comment(const httplib::Request& req, const std::string& key, NewComment c) {
  Submission s;
  auto fail = [&](int status, const char* code, std::string message) {
    s.status = status;
    s.error.code = code;
    s.error.message = std::move(message);
    return s;
  };
  normalize_new_comment(c);
  const auto errors = validate_new_comment(c, limits_);
  if (!errors.empty()) {
    s.status = 422;
    s.error = validation_api_error(errors);
    return s;
  }
  s.edit_token = random_base64url(32);
  if (s.edit_token.empty()) return fail(500, "internal", "storage failure; nothing was stored half-way");
  InsertRequest r;
  r.thread_key = key;
  r.thread_title = c.title.value_or("");
  r.thread_url = c.url.value_or("");
  r.parent_id = c.parent_id.value_or(0);
  r.own_token_hashes = own_token_hashes(req);
  r.author_name = c.author.name;
  r.author_email = c.author.email;
  r.author_url = c.author.url.value_or("");
  r.avatar_seed = avatar_seed(salt_, c.author.email);
  r.body = c.body;
  r.edit_token_hash = sha256_hex(s.edit_token);
  r.now = now_ms();
  r.duplicate_window_ms = kDuplicateWindowMs;
  switch (options_.moderation) {
    case ModerationMode::open:
      r.status_known_author = r.status_new_author = CommentStatus::published;
      break;
    case ModerationMode::first:
      r.status_known_author = CommentStatus::published;
      r.status_new_author = CommentStatus::pending;
      break;
    case ModerationMode::all:
      r.status_known_author = r.status_new_author = CommentStatus::pending;
      break;
  }
  switch (storage_.insert_comment(r, s.row)) {
    case InsertOutcome::ok: break;
    case InsertOutcome::thread_closed: return fail(403, "thread_closed", "this thread is closed to new comments");
    case InsertOutcome::parent_not_found:
      s.status = 422;
      s.error = validation_api_error({{"parent_id", ValidationCode::invalid_parent}});
      return s;
    case InsertOutcome::duplicate: return fail(409, "duplicate", "the same comment was already posted here");
    case InsertOutcome::thread_not_found: return fail(404, "not_found", "no such thread");
    case InsertOutcome::error: return fail(500, "internal", "storage failure; nothing was stored half-way");
  }
  s.status = s.row.status == CommentStatus::pending ? 202 : 201;
  return s;
}

void Api::patch_comment(const httplib::Request& req, httplib::Response& res, int64_t id) {
  if (!check_rate(req, res, options_.rate_post, "post")) return;
  CommentRow row;
  if (!check_edit_token(req, res, id, row)) return;
  if (!check_json_body(req, res)) return;
  CommentEdit e;
  DecodeError err;
  if (!decode_comment_edit(req.body, e, err)) {
    if (err.syntax) return send_error(res, 400, "malformed_json", err.to_string());
    return send_error(res, 400, "invalid_field", err.to_string(), err.field);
  }
  e.body = normalize_body(e.body);
  const auto errors = validate_comment_edit(e, limits_);
  if (!errors.empty()) return send_api_error(res, 422, validation_api_error(errors));
  const DbResult r = storage_.update_body(id, e.body, now_ms());
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no such comment");
  if (r != DbResult::ok || storage_.get_comment(id, row) != DbResult::ok) return internal_error(res);
  send_json(req, res, 200, encode_comment_answer(to_model(row)));
}

void Api::delete_comment(const httplib::Request& req, httplib::Response& res, int64_t id) {
  if (!check_rate(req, res, options_.rate_post, "post")) return;
  CommentRow row;
  if (!check_edit_token(req, res, id, row)) return;
  const DbResult r = storage_.soft_delete(id, now_ms());
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no such comment");
  if (r != DbResult::ok || storage_.get_comment(id, row) != DbResult::ok) return internal_error(res);
  send_json(req, res, 200, encode_comment_answer(to_model(row)));
}

void Api::get_counts(const httplib::Request& req, httplib::Response& res) {
  if (!check_rate(req, res, options_.rate_read, "read")) return;
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) return send_error(res, 400, "invalid_parameter", "bad query escape", bad);
  std::vector<std::string> keys;
  for (const auto& [name, value] : params) {
    if (name != "thread") continue;
    if (!is_valid_thread_key(value, limits_))
      return send_error(res, 400, "invalid_parameter", "bad thread key", std::string("thread"));
    keys.push_back(value);
  }
  if (keys.empty() || keys.size() > kMaxCountKeys)
    return send_error(res, 400, "invalid_parameter", "give 1 to 100 thread keys", std::string("thread"));
  std::vector<int64_t> counts;
  if (storage_.count_comments(keys, counts) != DbResult::ok) return internal_error(res);
  std::vector<ThreadCount> out;
  for (size_t i = 0; i < keys.size(); ++i) out.push_back({keys[i], counts[i]});
  res.set_header("Cache-Control", "public, max-age=60");
  send_json(req, res, 200, encode_counts(out));
}

void Api::get_events(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!events_) return send_error(res, 404, "not_found", "live updates are off on this server");
  // Where to start: Last-Event-ID (a browser reconnecting) replays what came after
  // it; ?after=N (the Causerie-Event-Id of the reader's last read) too; neither
  // starts from now: the thread's version, read before the head goes out, so that
  // a comment posted once the client has its 200 is always streamed.
  int64_t after = 0;
  std::string last = trim(req.get_header_value("Last-Event-ID"));
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) return send_error(res, 400, "invalid_parameter", "bad query escape", bad);
  for (const auto& [name, value] : params)
    if (name == "after" && last.empty()) last = value;
  if (!last.empty()) {
    if (last != "0" && !parse_positive_int(last, after))
      return send_error(res, 400, "invalid_parameter", "Last-Event-ID / after is an event id", std::string("after"));
  } else {
    ThreadRow thread;
    const DbResult r = storage_.find_thread(key, thread);
    if (r == DbResult::error) return internal_error(res);
    if (r == DbResult::ok) after = thread.version;
  }
  const std::string ip = client_ip(req);
  switch (events_->reserve(ip)) {
    case EventHub::Reserve::ok: break;
    case EventHub::Reserve::too_many_for_ip:
      res.set_header("Retry-After", "30");
      return send_error(res, 429, "rate_limited", "too many live streams from this address", std::nullopt, 30);
    case EventHub::Reserve::full:
      return send_error(res, 503, "unavailable", "too many live streams on this server", std::nullopt, 30);
  }
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");  // nginx: pass events through as they come
  EventHub* hub = events_;
  auto adopted = std::make_shared<bool>(false);
  // cpp-httplib writes the head, then calls the provider once: the connection then
  // leaves the worker thread for the hub (returning false ends cpp-httplib's part
  // without writing or closing anything more).
  res.set_chunked_content_provider(
      "text/event-stream",
      [hub, key, after, ip, adopted](size_t, httplib::DataSink&) {
        const int fd = HttpServer::take_connection();
        if (fd >= 0) {
          *adopted = true;
          hub->adopt(fd, key, after, ip);
        }
        return false;
      },
      [hub, ip, adopted](bool) {
        if (!*adopted) hub->release(ip);
      });
}

void Api::get_pending(const httplib::Request& req, httplib::Response& res) {
  if (!check_admin(req, res)) return;
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) return send_error(res, 400, "invalid_parameter", "bad query escape", bad);
  int limit = kDefaultPageSize;
  std::optional<PageCursor> after;
  for (const auto& [name, value] : params) {
    if (name == "limit") {
      int64_t n = 0;
      if (value.size() > 9 || !parse_positive_int(value, n))
        return send_error(res, 400, "invalid_parameter", "limit is a positive integer", std::string("limit"));
      limit = (int)std::min<int64_t>(n, kMaxPageSize);
    } else if (name == "cursor") {
      PageCursor c;
      if (!decode_cursor(value, 'p', c))
        return send_error(res, 400, "invalid_parameter", "bad cursor", std::string("cursor"));
      after = c;
    }
  }
  std::vector<CommentRow> rows;
  if (storage_.list_pending(limit + 1, after, rows) != DbResult::ok) return internal_error(res);
  ModerationPage page;
  if ((int)rows.size() > limit) {
    rows.pop_back();
    page.next_cursor = encode_cursor('p', PageCursor{rows.back().created_at, rows.back().id});
  }
  for (const auto& row : rows) page.comments.push_back(to_model(row, true));
  send_json(req, res, 200, encode_moderation_page(page));
}

void Api::moderate(const httplib::Request& req, httplib::Response& res, int64_t id, CommentStatus status) {
  if (!check_admin(req, res)) return;
  const DbResult r = status == CommentStatus::deleted ? storage_.soft_delete(id, now_ms()) : storage_.set_status(id, status);
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no such comment");
  CommentRow row;
  if (r != DbResult::ok || storage_.get_comment(id, row) != DbResult::ok) return internal_error(res);
  send_json(req, res, 200, encode_comment_answer(to_model(row)));
}

void Api::put_thread(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!check_admin(req, res)) return;
  if (!check_json_body(req, res)) return;
  ThreadStatus status = ThreadStatus::open;
  DecodeError err;
  if (!decode_thread_status_change(req.body, status, err)) {
    if (err.syntax) return send_error(res, 400, "malformed_json", err.to_string());
    return send_error(res, 400, "invalid_field", err.to_string(), err.field.empty() ? std::string("status") : err.field);
  }
  ThreadRow thread;
  if (storage_.upsert_thread(key, "", "", now_ms(), thread) != DbResult::ok ||
      storage_.set_thread_closed(key, status == ThreadStatus::closed) != DbResult::ok ||
      storage_.find_thread(key, thread) != DbResult::ok)
    return internal_error(res);
  send_json(req, res, 200, encode_thread_answer(to_model(thread)));
}


// ---------------------------------------------------------------------------
// Without JavaScript: the thread as HTML (html_view.h) and the form post.

namespace {

constexpr size_t kViewMaxComments = 1000;  // per HTML page; the rest behind "load more"
constexpr const char* kHtmlType = "text/html; charset=utf-8";

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

void set_view_headers(httplib::Response& res, const Options& options) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", view_content_security_policy(options.allowed_origins));
  res.set_header("Referrer-Policy", "strict-origin-when-cross-origin");
  // The language can come from Accept-Language.
  res.headers.erase("Vary");
  res.set_header("Vary", "Origin, Accept-Encoding, Accept-Language");
}

std::string form_error_message(const Catalog& catalog, const ApiError& e) {
  if (e.code == "validation_failed") return tr(catalog, "error.validation");
  if (e.code == "internal") return tr(catalog, "error.server_error");
  if (e.code == "thread_closed" || e.code == "duplicate" || e.code == "not_found") return tr(catalog, "error." + e.code);
  return tr(catalog, "error.bad_request");
}

}  // namespace

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
static DbResult load_view(Storage& storage, const std::string& key, const std::optional<PageCursor>& after,
                          ThreadView& v) {
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
      v.next_cursor = encode_cursor('o', *page.next);
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
  ThreadView v;
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
    if (!decode_cursor(cursor_text, 'o', c))
      return send_error(res, 400, "invalid_parameter", "bad cursor", std::string("cursor"));
    after = c;
  }
  if (pending == "pending") v.notice = tr(catalog, "comment.awaiting_moderation");

  ThreadRow thread;
  const DbResult found = storage_.find_thread(key, thread);
  if (found == DbResult::error) return internal_error(res);
  const std::string material = std::string("html1\n") + key + '\n' +
                               std::to_string(found == DbResult::ok ? thread.version : 0) + '\n' + catalog.language +
                               '\n' + (v.tz_given ? std::to_string(v.tz_offset_minutes) : "") + '\n' + v.return_to +
                               '\n' + v.title + '\n' + std::to_string(v.reply_to) + '\n' + cursor_text + '\n' + pending + (v.framed ? "\nframed" : "");
  const std::string etag = "\"" + sha256_hex(material).substr(0, 32) + "\"";
  set_view_headers(res, options_);
  res.set_header("Cache-Control", "no-cache");
  res.set_header("ETag", etag);
  if (etag_matches(req, etag)) {
    res.status = 304;
    return;
  }
  if (load_view(storage_, key, after, v) != DbResult::ok) return internal_error(res);
  res.status = 200;
  res.set_content(render_thread_view(v), kHtmlType);
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
    else if (name == "url") { if (!value.empty()) c.author.url = std::move(value); }
    else if (name == "website") c.website = std::move(value);
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
  ThreadView v;
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
    if (load_view(storage_, key, std::nullopt, v) != DbResult::ok) return internal_error(res);
    res.status = status;
    res.set_content(render_thread_view(v), kHtmlType);
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
  if (check_http_url(v.return_to) == UrlCheck::ok) c.url = v.return_to;

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
  res.set_content(render_message_page(catalog, tr(catalog, s.status == 202 ? "comment.awaiting_moderation" : "form.posted")),
                  kHtmlType);
}

}  // namespace causerie::server
