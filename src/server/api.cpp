#include "server/api.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "core/codec.h"
#include "core/rfc3339.h"
#include "core/url.h"
#include "core/utf8.h"
#include "server/api_helpers.h"
#include "server/body_decoding.h"
#include "server/clock.h"
#include "server/crypto.h"
#include "server/event_hub.h"
#include "server/http_server.h"
#include "server/http_util.h"
#include "server/nfc.h"

namespace causerie::server {

void send_error(httplib::Response& res, int status, const char* code, std::string message,
                std::optional<std::string> field, std::optional<int64_t> retry_after) {
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
  if (e.retry_after) res.set_header("Retry-After", std::to_string(*e.retry_after));
  if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
  res.set_content(encode_api_error(e), kJsonType);
}

void internal_error(httplib::Response& res) {
  send_error(res, 500, "internal", "storage failure; nothing was stored half-way");
}

Comment to_model(const CommentRow& r, bool with_thread) {
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

// Cursors are opaque to clients: base64url of "<tag>:<created_at ms>:<id>" followed
// by the first 16 bytes of an HMAC over the tag, the scope and that text, keyed from
// the install salt (shared by every process of an install), so only cursors this
// install issued for this listing are taken, before any work is done for them.
namespace {
constexpr size_t kCursorMacBytes = 16;
std::string cursor_mac(std::string_view key, char tag, std::string_view scope, std::string_view payload) {
  std::string material(1, tag);
  material.append("\n").append(scope).append("\n").append(payload);
  return hmac_sha256(key, material).substr(0, kCursorMacBytes);
}
}  // namespace

std::string cursor_key(std::string_view install_salt) { return hmac_sha256(install_salt, "causerie cursor v1"); }

std::string encode_cursor(std::string_view key, char tag, std::string_view scope, const PageCursor& c) {
  const std::string payload = std::string(1, tag) + ":" + std::to_string(c.created_at) + ":" + std::to_string(c.id);
  return base64url_encode(payload + cursor_mac(key, tag, scope, payload));
}

bool decode_cursor(std::string_view key, const std::string& text, char tag, std::string_view scope,
                   PageCursor& out) {
  std::string raw;
  if (text.empty() || text.size() > 128 || !base64url_decode(text, raw)) return false;
  if (raw.size() < 5 + kCursorMacBytes) return false;
  const std::string mac = raw.substr(raw.size() - kCursorMacBytes);
  raw.resize(raw.size() - kCursorMacBytes);
  if (!constant_time_equals(mac, cursor_mac(key, tag, scope, raw))) return false;
  if (raw[0] != tag || raw[1] != ':') return false;
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

bool etag_matches(const httplib::Request& req, const std::string& etag) {
  const std::string inm = req.get_header_value("If-None-Match");
  if (inm.empty()) return false;
  if (trim(inm) == "*") return true;
  return inm.find(etag) != std::string::npos;
}

namespace {

// A JSON body that does not decode: malformed, or a field of the wrong shape.
void send_decode_error(httplib::Response& res, const DecodeError& err) {
  if (err.syntax) return send_error(res, 400, "malformed_json", err.to_string());
  send_error(res, 400, "invalid_field", err.to_string(), err.field);
}

constexpr int kDefaultPageSize = 50;
constexpr size_t kMaxCountKeys = 100;
constexpr size_t kMaxReadTokens = 50;
constexpr size_t kMaxTokenBytes = 128;
constexpr int64_t kDuplicateWindowMs = 10 * 60 * 1000;
// How old the storage's last word on writes may be (/healthz probes beyond), and
// when to come back while the database refuses them.
constexpr int64_t kWriteStateMaxAgeMs = 1000;
constexpr int kStorageRetryAfterSeconds = 2;
// Wrong admin tokens an address may send per window before every moderation
// request from it is refused (429): guessing a 128-bit token stays hopeless.
constexpr int64_t kAdminFailures = 10;
constexpr int kAdminFailureWindowSeconds = 600;

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

// The segments of a raw path below /api/v1/ (never the decoded path: a thread key
// is one percent-encoded segment that may itself hold "%2F"); false elsewhere.
bool api_segments(const std::string& target, std::vector<std::string_view>& out) {
  constexpr std::string_view kPrefix = "/api/v1/";
  const std::string_view path = std::string_view(target).substr(0, target.find('?'));
  if (path.substr(0, kPrefix.size()) != kPrefix) return false;
  size_t start = kPrefix.size();
  for (;;) {
    const size_t end = path.find('/', start);
    out.push_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

// The raw segments a route's pattern names {thread} and {id}, when `path` matches it.
struct PathMatch {
  std::string_view thread, id;
  bool has_thread = false, has_id = false;
};

bool match_pattern(std::string_view pattern, const std::vector<std::string_view>& path, PathMatch& out) {
  out = PathMatch{};
  size_t i = 0, start = 0;
  for (;;) {
    const size_t end = pattern.find('/', start);
    const std::string_view part =
        pattern.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (i == path.size()) return false;
    if (part == "{thread}") {
      out.thread = path[i];
      out.has_thread = true;
    } else if (part == "{id}") {
      out.id = path[i];
      out.has_id = true;
    } else if (part != path[i]) {
      return false;
    }
    ++i;
    if (end == std::string_view::npos) return i == path.size();
    start = end + 1;
  }
}

// access log timing: set when a request's headers are read, on the worker thread.
thread_local int64_t t_request_start_us = 0;

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Api::Api(Storage& storage, const Options& options, std::string install_salt, std::string admin_token)
    : storage_(storage), comments_(storage), rates_(storage), options_(options), salt_(std::move(install_salt)),
      cursor_key_(cursor_key(salt_)),
      page_cache_(options.page_cache_bytes) {
  if (!admin_token.empty()) admin_token_hash_ = sha256_hex(admin_token);
}

void Api::install(httplib::Server& server) {
  server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    bool empty = false;
    res.set_header("Cache-Control", "no-store");
    if (storage_.is_empty(empty) != DbResult::ok) {
      res.status = 503;
      res.set_header("Retry-After", "5");
      res.set_content(R"({"status":"unavailable"})", kJsonType);
    } else if (!storage_.writes_available(kWriteStateMaxAgeMs)) {
      // Threads can be read, nothing can be posted: a monitor must see it.
      res.status = 503;
      res.set_header("Retry-After", std::to_string(kStorageRetryAfterSeconds));
      res.set_content(R"({"status":"degraded","reads":"ok","writes":"unavailable"})", kJsonType);
    } else {
      res.set_content(R"({"status":"ok"})", kJsonType);
    }
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res, nullptr); };
  server.Get("/api/.*", handler);
  server.Options("/api/.*", handler);
  // Methods with a body get it unread: dispatch reads it once the route is known
  // and the request's head acceptable, so a body sent to no route is never read.
  auto with_body = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& body) {
    dispatch(req, res, &body);
  };
  server.Post("/api/.*", with_body);
  server.Put("/api/.*", with_body);
  server.Patch("/api/.*", with_body);
  server.Delete("/api/.*", with_body);

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
      case 400: send_error(res, 400, "invalid_parameter", "malformed HTTP request"); break;
      case 503: send_error(res, 503, "unavailable", "try again later", std::nullopt, 5); break;
      default:
        send_error(res, res.status >= 500 ? res.status : 400, res.status >= 500 ? "internal" : "invalid_parameter",
                   "request failed");
        break;
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
      nlohmann::json line = {{"time", format_rfc3339(now_ms() / 1000)},
                             {"method", req.method},
                             {"path", path},
                             {"status", res.status},
                             {"bytes", res.body.size()},
                             {"ms", (double)((int64_t)(ms * 100)) / 100}};
      const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
      std::fwrite(text.data(), 1, text.size(), stderr);
    });
  }
}

ApiError Api::storage_failure() {
  ApiError e;
  if (!storage_.writes_available(kWriteStateMaxAgeMs)) {
    e.code = "unavailable";
    e.message = "the database is busy or cannot take writes now; nothing was stored, try again";
    e.retry_after = kStorageRetryAfterSeconds;
  } else {
    e.code = "internal";
    e.message = "storage failure; nothing was stored half-way";
  }
  return e;
}

void Api::storage_failure(httplib::Response& res) {
  const ApiError e = storage_failure();
  send_api_error(res, e.code == "unavailable" ? 503 : 500, e);
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
  if (options_.trusted_proxies.empty()) return req.remote_addr;
  // Every X-Forwarded-For header, in order, split into its entries.
  std::vector<std::string> values;
  for (size_t i = 0, n = req.get_header_value_count("X-Forwarded-For"); i < n; ++i)
    values.push_back(req.get_header_value("X-Forwarded-For", "", i));
  std::vector<std::string_view> hops;
  for (const std::string& value : values) {
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t comma = std::min(rest.find(','), rest.size());
      std::string_view hop = rest.substr(0, comma);
      while (!hop.empty() && (hop.front() == ' ' || hop.front() == '\t')) hop.remove_prefix(1);
      while (!hop.empty() && (hop.back() == ' ' || hop.back() == '\t')) hop.remove_suffix(1);
      hops.push_back(hop);
      rest.remove_prefix(std::min(comma + 1, rest.size()));
    }
  }
  return std::string(forwarded_client(req.remote_addr, hops, options_.trusted_proxies));
}

std::string Api::rate_bucket(const httplib::Request& req, const char* kind) const {
  // Buckets hold a salted hash of the IP, never the IP itself, and expire with the window.
  return std::string(kind) + ":" + sha256_hex(salt_ + "|ip|" + client_ip(req)).substr(0, 32);
}

int Api::rate_wait(const httplib::Request& req, const RateLimit& limit, const char* kind) {
  if (limit.count <= 0) return 0;
  const RateDecision d = rates_.hit(rate_bucket(req, kind), limit.count, limit.window_seconds, now_ms());
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
  // Checked before the token is: an address past its wrong tokens learns nothing more.
  const std::string failures = rate_bucket(req, "admin-failure");
  const RateDecision d = rates_.peek(failures, kAdminFailures, kAdminFailureWindowSeconds, now_ms());
  if (!d.allowed) {
    send_error(res, 429, "rate_limited", "too many wrong admin tokens from this address; retry later", std::nullopt,
               d.retry_after_seconds);
    return false;
  }
  // Hash both sides so the compare runs over equal lengths whatever was sent.
  if (admin_token_hash_.empty() || !constant_time_equals(sha256_hex(token), admin_token_hash_)) {
    const RateDecision counted = rates_.hit(failures, kAdminFailures, kAdminFailureWindowSeconds, now_ms());
    // For the operator (fail2ban and the like): the address, as the access log has none.
    std::fprintf(stderr, "causerie-server: wrong admin token from %s (%lld in this window)\n", client_ip(req).c_str(),
                 (long long)counted.count);
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
    storage_failure(res);
    return false;
  }
  if (r == DbResult::not_found || row.status == CommentStatus::deleted || row.status == CommentStatus::spam) {
    send_error(res, 404, "not_found", "no such comment");
    return false;
  }
  std::string stored;
  if (storage_.edit_token_hash(id, stored) != DbResult::ok) {
    storage_failure(res);
    return false;
  }
  if (stored.empty() || token.size() > kMaxTokenBytes || !constant_time_equals(sha256_hex(token), stored)) {
    // A pending comment is seen by its author only: to anyone else it is missing.
    if (row.status == CommentStatus::pending) send_error(res, 404, "not_found", "no such comment");
    else send_error(res, 403, "invalid_token", "this edit token does not own this comment");
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

// Every route of docs/api.md, below /api/v1/: the one place a route is registered.
// {thread} is a thread key (checked before the handler runs), {id} a comment id.
// A GET route answers HEAD too unless `head` is false. `cross_origin`: called by
// scripts on the allowed origins, so listed for preflight and, when it writes,
// refused to other origins (the plain form answers those itself, with a page).
const std::vector<Api::Route>& Api::routes() {
  using Req = const httplib::Request&;
  using Res = httplib::Response&;
  using Args = const RouteArgs&;
  static const std::vector<Route> table = {
      {.method = "GET",
       .path = "threads/{thread}/comments",
       .handle = [](Api& a, Req q, Res r, Args p) { a.get_thread(q, r, p.thread); }},
      {.method = "POST",
       .path = "threads/{thread}/comments",
       .handle = [](Api& a, Req q, Res r, Args p) { a.post_comment(q, r, p.thread); }},
      {.method = "GET",
       .path = "threads/{thread}/comments.html",
       .handle = [](Api& a, Req q, Res r, Args p) { a.get_thread_html(q, r, p.thread); },
       .cross_origin = false},
      {.method = "POST",
       .path = "threads/{thread}/comments.form",
       .handle = [](Api& a, Req q, Res r, Args p) { a.post_form(q, r, p.thread); },
       .cross_origin = false},
      {.method = "GET",
       .path = "threads/{thread}/comments.atom",
       .handle = [](Api& a, Req q, Res r, Args p) { a.get_thread_feed(q, r, p.thread); }},
      {.method = "GET", .path = "comments.atom", .handle = [](Api& a, Req q, Res r, Args) { a.get_site_feed(q, r); }},
      {.method = "GET",
       .path = "threads/{thread}/events",
       .handle = [](Api& a, Req q, Res r, Args p) { a.get_events(q, r, p.thread); },
       .head = false},
      {.method = "PATCH",
       .path = "comments/{id}",
       .handle = [](Api& a, Req q, Res r, Args p) { a.patch_comment(q, r, p.id); }},
      {.method = "DELETE",
       .path = "comments/{id}",
       .handle = [](Api& a, Req q, Res r, Args p) { a.delete_comment(q, r, p.id); }},
      {.method = "GET", .path = "counts", .handle = [](Api& a, Req q, Res r, Args) { a.get_counts(q, r); }},
      {.method = "GET",
       .path = "threads/{thread}/imported/{id}",
       .handle = [](Api& a, Req q, Res r, Args p) { a.get_imported(q, r, p.thread, p.id); }},
      {.method = "GET",
       .path = "moderation/pending",
       .handle = [](Api& a, Req q, Res r, Args) { a.get_pending(q, r); }},
      {.method = "POST",
       .path = "moderation/comments/{id}/approve",
       .handle = [](Api& a, Req q, Res r, Args p) { a.moderate(q, r, p.id, CommentStatus::published); }},
      {.method = "POST",
       .path = "moderation/comments/{id}/spam",
       .handle = [](Api& a, Req q, Res r, Args p) { a.moderate(q, r, p.id, CommentStatus::spam); }},
      {.method = "DELETE",
       .path = "moderation/comments/{id}",
       .handle = [](Api& a, Req q, Res r, Args p) { a.moderate(q, r, p.id, CommentStatus::deleted); }},
      {.method = "GET", .path = "moderation/authors", .handle = [](Api& a, Req q, Res r, Args) { a.get_author(q, r); }},
      {.method = "DELETE",
       .path = "moderation/authors",
       .handle = [](Api& a, Req q, Res r, Args) { a.forget_author(q, r); }},
      {.method = "PUT",
       .path = "moderation/threads/{thread}",
       .handle = [](Api& a, Req q, Res r, Args p) { a.put_thread(q, r, p.thread); }},
      {.method = "POST", .path = "my-data", .handle = [](Api& a, Req q, Res r, Args) { a.post_my_data(q, r); }},
      {.method = "GET",
       .path = "my-data.html",
       .handle = [](Api& a, Req q, Res r, Args) { a.get_my_data_page(q, r); },
       .cross_origin = false},
      {.method = "POST",
       .path = "my-data.form",
       .handle = [](Api& a, Req q, Res r, Args) { a.post_my_data_form(q, r); },
       .cross_origin = false},
      {.method = "GET",
       .path = "my-data/link",
       .handle = [](Api& a, Req q, Res r, Args) { a.get_my_data_link(q, r); },
       .cross_origin = false},
      {.method = "POST",
       .path = "my-data/link",
       .handle = [](Api& a, Req q, Res r, Args) { a.post_my_data_link(q, r); },
       .cross_origin = false},
      {.method = "GET",
       .path = "moderation/link",
       .handle = [](Api& a, Req q, Res r, Args) { a.get_moderation_link(q, r); },
       .cross_origin = false},
      {.method = "POST",
       .path = "moderation/link",
       .handle = [](Api& a, Req q, Res r, Args) { a.post_moderation_link(q, r); },
       .cross_origin = false},
      {.method = "GET",
       .path = "moderation/deliveries",
       .handle = [](Api& a, Req q, Res r, Args) { a.get_deliveries(q, r); }},
  };
  return table;
}

void Api::dispatch(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader* body) {
  // An answer given before the body was read: the unread bytes must not be taken
  // for the next request, so the connection closes after it.
  struct CloseUnlessRead {
    const httplib::ContentReader* body;
    ~CloseUnlessRead() {
      if (body) HttpServer::close_after_answer();
    }
  } unread{body};
  add_cors_headers(req, res);
  if (req.method == "OPTIONS") {
    // Preflight: answered for any API path; without an allowed origin the browser
    // finds no Access-Control-Allow-Origin and stops there.
    res.status = 204;
    res.set_header("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE, OPTIONS");
    res.set_header("Access-Control-Allow-Headers",
                   "Content-Type, Authorization, X-Causerie-Edit-Tokens, If-None-Match");
    res.set_header("Access-Control-Max-Age", "600");
    return;
  }
  std::vector<std::string_view> path;
  const Route* route = nullptr;
  PathMatch args;
  std::string allow;  // the methods of the routes on this path, for a 405
  bool cross_origin = false;
  if (api_segments(req.target, path)) {
    for (const Route& r : routes()) {
      PathMatch m;
      if (!match_pattern(r.path, path, m)) continue;
      const bool get = std::string_view(r.method) == "GET";
      if (!route && (req.method == r.method || (get && r.head && req.method == "HEAD"))) {
        route = &r;
        args = m;
      }
      (allow += allow.empty() ? "" : ", ") += r.method;
      if (get && r.head) allow += ", HEAD";
      cross_origin = cross_origin || r.cross_origin;
    }
  }
  if (allow.empty()) return send_error(res, 404, "not_found", "no such route");
  if (!route) {
    res.set_header("Allow", cross_origin ? allow + ", OPTIONS" : allow);
    return send_error(res, 405, "method_not_allowed", req.method + " is not allowed here");
  }
  const bool write = req.method != "GET" && req.method != "HEAD";
  if (write && route->cross_origin && !origin_allowed(req))
    return send_error(res, 403, "origin_not_allowed", "this site is not in the server's allowed origins");

  RouteArgs p;
  if (args.has_thread && (!percent_decode(args.thread, p.thread) || !is_valid_thread_key(p.thread, limits_)))
    return send_error(res, 400, "invalid_parameter", "bad thread key", std::string("thread"));
  if (args.has_id && !parse_positive_int(std::string(args.id), p.id))
    return send_error(res, 400, "invalid_parameter", "bad comment id", std::string("id"));
  if (!body) return route->handle(*this, req, res, p);

  // The route is known and the head acceptable: now, and only now, the body (up
  // to the payload limit, whatever its framing).
  if (req.is_multipart_form_data())
    return send_error(res, 415, "unsupported_media_type", "multipart bodies are not accepted");
  const auto decoder = BodyDecoder::for_encoding(req.get_header_value("Content-Encoding"), options_.max_body_bytes);
  if (!decoder)
    return send_error(res, 415, "unsupported_media_type", "Content-Encoding is gzip, deflate, br or none");
  // cpp-httplib is built without codecs (CMakeLists.txt) and would refuse an encoded
  // body: it reads the bytes as sent and the decoder undoes the coding, capped. The
  // request is the one cpp-httplib's reader reads from, not a const object.
  const_cast<httplib::Request&>(req).headers.erase("Content-Encoding");
  httplib::Request with_body = req;
  BodyDecoder::Result decoded = BodyDecoder::Result::ok;
  bool read = (*body)([&](const char* data, size_t n) {
    decoded = decoder->append(data, n, with_body.body);
    return decoded == BodyDecoder::Result::ok;
  });
  if (read) decoded = decoder->finish();
  if (res.status == 413 || decoded == BodyDecoder::Result::too_large)
    return send_error(res, 413, "too_large", "the request body is over the size limit");
  if (!read || decoded != BodyDecoder::Result::ok)
    return send_error(res, 400, "invalid_parameter", "the request body could not be read");
  unread.body = nullptr;
  route->handle(*this, with_body, res, p);
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
    if (!decode_cursor(cursor_key_, cursor_text, tag, key, c))
      return send_error(res, 400, "invalid_parameter", kBadCursor, std::string("cursor"));
    q.after = c;
  }
  q.own_token_hashes = own_token_hashes(req);

  res.set_header("Cache-Control", "no-cache");
  auto make_etag = [&](int64_t version) {
    const std::string material =
        key + '\n' + std::to_string(version) + '\n' + tag + std::to_string(limit) + '\n' + cursor_text;
    return "\"" + sha256_hex(material).substr(0, 32) + "\"";
  };
  // A reader holding edit tokens also sees their own pending comments, whose
  // changes leave the thread's version alone (it is public, and must not tell that
  // a comment is waiting): their answer's tag is a hash of its content instead.
  const bool own = !q.own_token_hashes.empty();

  // Revalidation and the page cache need only the thread's version: one small query.
  ThreadRow thread;
  const DbResult found = storage_.find_thread(key, thread);
  if (found == DbResult::error) return storage_failure(res);
  const int64_t version = found == DbResult::ok ? thread.version : 0;
  const std::string etag = make_etag(version);
  // Where a live stream opened after this read starts (events/?after=): the
  // version of the thread this answer shows.
  res.set_header("Causerie-Event-Id", std::to_string(version));
  if (!own && etag_matches(req, etag)) {
    res.set_header("ETag", etag);
    res.status = 304;
    return;
  }
  const std::string cache_key = key + '\0' + tag + std::to_string(limit) + '\0' + cursor_text;
  if (!own) {
    if (const auto cached = page_cache_.find(cache_key, version)) {
      res.set_header("ETag", cached->etag);
      const bool gz = !cached->gzip.empty() && accepts_gzip(req);
      if (gz) res.set_header("Content-Encoding", "gzip");
      res.set_content(gz ? cached->gzip : cached->body, kJsonType);
      return;
    }
  }

  PageResult page;
  ThreadRow listed;
  const DbResult r = storage_.list_comments(q, listed, page);
  if (r == DbResult::error) return storage_failure(res);
  CommentPage out;
  if (r == DbResult::not_found) {
    out.thread.key = key;
    listed.version = 0;
  } else {
    out.thread = to_model(listed);
  }
  out.comments.reserve(page.comments.size());
  for (const auto& row : page.comments) out.comments.push_back(to_model(row));
  if (page.next) out.next_cursor = encode_cursor(cursor_key_, tag, key, *page.next);

  PageCache::Page entry;
  entry.version = listed.version;
  if (listed.version != version) {
    res.headers.erase("Causerie-Event-Id");
    res.set_header("Causerie-Event-Id", std::to_string(listed.version));
  }
  entry.body = encode_comment_page(out);
  entry.etag = own ? "\"" + sha256_hex(entry.body).substr(0, 32) + "\"" : make_etag(listed.version);
  res.set_header("ETag", entry.etag);
  if (own && etag_matches(req, entry.etag)) {
    res.status = 304;
    return;
  }
  if (entry.body.size() > 1024) entry.gzip = gzip_compress(entry.body);
  const bool gz = !entry.gzip.empty() && accepts_gzip(req);
  if (gz) res.set_header("Content-Encoding", "gzip");
  res.set_content(gz ? entry.gzip : entry.body, kJsonType);
  if (!own) page_cache_.put(cache_key, std::move(entry));
}

void Api::post_comment(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!check_rate(req, res, options_.rate_post, "post")) return;
  if (!check_json_body(req, res)) return;
  NewComment c;
  DecodeError err;
  if (!decode_new_comment(req.body, c, err)) return send_decode_error(res, err);
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
  to_nfc(c);
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
    case ModerationMode::open: r.status_known_author = r.status_new_author = CommentStatus::published; break;
    case ModerationMode::first:
      r.status_known_author = CommentStatus::published;
      r.status_new_author = CommentStatus::pending;
      break;
    case ModerationMode::all: r.status_known_author = r.status_new_author = CommentStatus::pending; break;
  }
  switch (comments_.insert(r, s.row)) {
    case InsertOutcome::ok: break;
    case InsertOutcome::thread_closed: return fail(403, "thread_closed", "this thread is closed to new comments");
    case InsertOutcome::parent_not_found:
      s.status = 422;
      s.error = validation_api_error({{"parent_id", ValidationCode::invalid_parent}});
      return s;
    case InsertOutcome::duplicate: return fail(409, "duplicate", "the same comment was already posted here");
    case InsertOutcome::thread_not_found: return fail(404, "not_found", "no such thread");
    case InsertOutcome::error:
      s.error = storage_failure();
      s.status = s.error.code == "unavailable" ? 503 : 500;
      return s;
  }
  s.status = s.row.status == CommentStatus::pending ? 202 : 201;
  alert_owners(s.row);
  return s;
}

void Api::patch_comment(const httplib::Request& req, httplib::Response& res, int64_t id) {
  if (!check_rate(req, res, options_.rate_post, "post")) return;
  CommentRow row;
  if (!check_edit_token(req, res, id, row)) return;
  if (!check_json_body(req, res)) return;
  CommentEdit e;
  DecodeError err;
  if (!decode_comment_edit(req.body, e, err)) return send_decode_error(res, err);
  e.body = normalize_body(to_nfc(e.body));
  const auto errors = validate_comment_edit(e, limits_);
  if (!errors.empty()) return send_api_error(res, 422, validation_api_error(errors));
  const DbResult r = comments_.edit(id, e.body, now_ms());
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no such comment");
  if (r != DbResult::ok || storage_.get_comment(id, row) != DbResult::ok) return storage_failure(res);
  send_json(req, res, 200, encode_comment_answer(to_model(row)));
}

void Api::delete_comment(const httplib::Request& req, httplib::Response& res, int64_t id) {
  if (!check_rate(req, res, options_.rate_post, "post")) return;
  CommentRow row;
  if (!check_edit_token(req, res, id, row)) return;
  const DbResult r = comments_.erase(id, now_ms());
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no such comment");
  if (r != DbResult::ok || storage_.get_comment(id, row) != DbResult::ok) return storage_failure(res);
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
  if (storage_.count_comments(keys, counts) != DbResult::ok) return storage_failure(res);
  std::vector<ThreadCount> out;
  for (size_t i = 0; i < keys.size(); ++i) out.push_back({keys[i], counts[i]});
  res.set_header("Cache-Control", "public, max-age=60");
  send_json(req, res, 200, encode_counts(out));
}

// An imported comment by the id it had on the old site (WordPress's #comment-123):
// the widget asks when an anchor is none of the thread's own ids.
void Api::get_imported(const httplib::Request& req, httplib::Response& res, const std::string& key,
                       int64_t origin_id) {
  if (!check_rate(req, res, options_.rate_read, "read")) return;
  int64_t id = 0;
  const DbResult r = storage_.find_imported(key, std::to_string(origin_id), id);
  if (r == DbResult::error) return storage_failure(res);
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no comment imported with this id here");
  res.set_header("Cache-Control", "public, max-age=3600");
  send_json(req, res, 200, nlohmann::json{{"id", id}}.dump());
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
    if (r == DbResult::error) return storage_failure(res);
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
      if (!decode_cursor(cursor_key_, value, 'p', "", c))
        return send_error(res, 400, "invalid_parameter", kBadCursor, std::string("cursor"));
      after = c;
    }
  }
  std::vector<CommentRow> rows;
  if (storage_.list_pending(limit + 1, after, rows) != DbResult::ok) return storage_failure(res);
  ModerationPage page;
  if ((int)rows.size() > limit) {
    rows.pop_back();
    page.next_cursor = encode_cursor(cursor_key_, 'p', "", PageCursor{rows.back().created_at, rows.back().id});
  }
  for (const auto& row : rows) page.comments.push_back(to_model(row, true));
  send_json(req, res, 200, encode_moderation_page(page));
}

void Api::moderate(const httplib::Request& req, httplib::Response& res, int64_t id, CommentStatus status) {
  if (!check_admin(req, res)) return;
  const DbResult r = comments_.set_status(id, status, now_ms());
  if (r == DbResult::not_found) return send_error(res, 404, "not_found", "no such comment");
  CommentRow row;
  if (r != DbResult::ok || storage_.get_comment(id, row) != DbResult::ok) return storage_failure(res);
  send_json(req, res, 200, encode_comment_answer(to_model(row)));
}

void Api::put_thread(const httplib::Request& req, httplib::Response& res, const std::string& key) {
  if (!check_admin(req, res)) return;
  if (!check_json_body(req, res)) return;
  // {"status"?, "title"?, "url"?}: at least one; title and URL follow a comment's rules.
  const nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) return send_error(res, 400, "malformed_json", "expected a JSON object");
  std::optional<ThreadStatus> status;
  NewComment info;  // its title and url, checked by validate_new_comment
  for (const char* name : {"status", "title", "url"}) {
    if (!body.contains(name) || body[name].is_null()) continue;
    if (!body[name].is_string())
      return send_error(res, 400, "invalid_field", std::string(name) + ": expected a string", std::string(name));
    const std::string value = to_nfc(body[name].get<std::string>());
    if (std::string_view(name) == "title") info.title = value;
    if (std::string_view(name) == "url") info.url = value;
    ThreadStatus s;
    if (std::string_view(name) == "status" && !parse_thread_status(value, s))
      return send_error(res, 400, "invalid_field", "status: expected \"open\" or \"closed\"", std::string("status"));
    if (std::string_view(name) == "status") status = s;
  }
  if (!status && !info.title && !info.url)
    return send_error(res, 400, "invalid_field", "give status, title or url", std::string("status"));
  normalize_new_comment(info);
  std::vector<ValidationError> errors;
  for (const ValidationError& e : validate_new_comment(info, limits_))
    if (e.field == "title" || e.field == "url") errors.push_back(e);
  if (!errors.empty()) return send_api_error(res, 422, validation_api_error(errors));
  ThreadRow thread;
  if (storage_.upsert_thread(key, info.title.value_or(""), info.url.value_or(""), now_ms(), thread) != DbResult::ok ||
      (status && storage_.set_thread_closed(key, *status == ThreadStatus::closed) != DbResult::ok) ||
      storage_.find_thread(key, thread) != DbResult::ok)
    return storage_failure(res);
  send_json(req, res, 200, encode_thread_answer(to_model(thread)));
}

namespace {

// The e-mail of ?email=, or "" after answering 400.
std::string email_parameter(const httplib::Request& req, httplib::Response& res) {
  std::vector<std::pair<std::string, std::string>> params;
  std::string bad;
  if (!parse_query(req.target, params, bad)) {
    send_error(res, 400, "invalid_parameter", "bad query escape", bad);
    return {};
  }
  for (const auto& [name, value] : params)
    if (name == "email" && is_email_shape(value)) return to_nfc(value);  // as stored
  send_error(res, 400, "invalid_parameter", "email is an e-mail address", std::string("email"));
  return {};
}

}  // namespace

void Api::get_author(const httplib::Request& req, httplib::Response& res) {
  if (!check_admin(req, res)) return;
  const std::string email = email_parameter(req, res);
  if (email.empty()) return;
  std::vector<CommentRow> rows;
  if (storage_.list_by_email(email, rows) != DbResult::ok) return storage_failure(res);
  nlohmann::json comments = nlohmann::json::array();
  for (const CommentRow& r : rows)
    comments.push_back(
        {{"id", r.id},
         {"thread", r.thread_key},
         {"parent_id", r.parent_id ? nlohmann::json(r.parent_id) : nlohmann::json(nullptr)},
         {"author", {{"name", r.author_name}, {"email", r.author_email}, {"url", r.author_url}}},
         {"body", r.body},
         {"status", to_string(r.status)},
         {"created_at", format_rfc3339(r.created_at / 1000)},
         {"edited_at", r.edited_at ? nlohmann::json(format_rfc3339(r.edited_at / 1000)) : nlohmann::json(nullptr)}});
  send_json(req, res, 200,
            nlohmann::json{{"email", email}, {"comments", comments}}.dump(-1, ' ', false,
                                                                          nlohmann::json::error_handler_t::replace));
}

void Api::forget_author(const httplib::Request& req, httplib::Response& res) {
  if (!check_admin(req, res)) return;
  const std::string email = email_parameter(req, res);
  if (email.empty()) return;
  std::vector<CommentRow> rows;
  if (!erase_author(email, rows)) return storage_failure(res);
  send_json(req, res, 200, nlohmann::json{{"erased", rows.size()}}.dump());
}

bool Api::erase_author(const std::string& email, std::vector<CommentRow>& rows) {
  if (storage_.list_by_email(email, rows) != DbResult::ok) return false;
  for (const CommentRow& r : rows)
    if (comments_.forget_author(r.id, now_ms()) != DbResult::ok) return false;
  return true;
}

}  // namespace causerie::server
