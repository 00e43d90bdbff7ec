#include "core/wordpress_client.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "core/html.h"
#include "core/rfc3339.h"
#include "core/url.h"

namespace causerie {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

constexpr int64_t kMaxSafeInteger = (int64_t(1) << 53) - 1;

bool fail(DecodeError& err, std::string field, const char* message) {
  err.syntax = false;
  err.field = std::move(field);
  err.message = message;
  return false;
}

bool parse_json(std::string_view text, json& out, DecodeError& err) {
  out = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    err = {true, "", "malformed JSON"};
    return false;
  }
  return true;
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const std::string* string_member(const json& object, const char* key) {
  const json* v = member(object, key);
  return v && v->is_string() ? &v->get_ref<const std::string&>() : nullptr;
}

bool integer_value(const json& v, int64_t& out) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > uint64_t(kMaxSafeInteger)) return false;
    out = int64_t(u);
    return true;
  }
  if (v.is_number_integer()) {
    out = v.get<int64_t>();
    return out >= -kMaxSafeInteger && out <= kMaxSafeInteger;
  }
  return false;
}

bool parse_decimal(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  int64_t v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size()) return false;
  out = v;
  return true;
}

std::optional<int64_t> header_integer(const HttpResponse& response, std::string_view name) {
  const std::string* value = response.header(name);
  int64_t v = 0;
  if (!value || !parse_decimal(*value, v) || v < 0) return std::nullopt;
  return v;
}

// WordPress stores dates in UTC without a zone designator: "2026-11-30T08:12:00".
bool parse_wordpress_gmt(const std::string& text, int64_t& out) {
  if (parse_rfc3339(text, out)) return true;  // in case a plugin adds the "Z"
  return parse_rfc3339(text + "Z", out);
}

bool parse_wordpress_status(std::string_view s, CommentStatus& out) {
  if (s == "approved" || s == "approve" || s == "1") out = CommentStatus::published;
  else if (s == "hold" || s == "unapproved" || s == "0") out = CommentStatus::pending;
  else if (s == "spam") out = CommentStatus::spam;
  else if (s == "trash") out = CommentStatus::deleted;
  else return false;
  return true;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool decode_comment_value(const json& v, const std::string& path, Comment& out, DecodeError& err) {
  if (!v.is_object()) return fail(err, path, "expected an object");
  Comment c;
  const json* id = member(v, "id");
  if (!id) return fail(err, path + ".id", "missing");
  if (!integer_value(*id, c.id) || c.id < 1) return fail(err, path + ".id", "expected a positive integer");
  if (const json* parent = member(v, "parent")) {
    int64_t p = 0;
    if (!integer_value(*parent, p) || p < 0) return fail(err, path + ".parent", "expected an id or 0");
    if (p > 0) c.parent_id = p;
  }
  if (const json* name = member(v, "author_name")) {
    if (!name->is_string()) return fail(err, path + ".author_name", "expected a string");
    // WordPress escapes names on the way in (esc_html): "Paul &amp; Marie".
    c.author.name = decode_entities(name->get_ref<const std::string&>());
  }
  std::string url;
  if (const json* u = member(v, "author_url")) {
    if (!u->is_string()) return fail(err, path + ".author_url", "expected a string");
    url = u->get_ref<const std::string&>();
    // Only links the widget may open: WordPress checks on save, plugins may not.
    if (check_http_url(url) == UrlCheck::ok) c.author.url = url;
  }
  const std::string* date = string_member(v, "date_gmt");
  if (!date) return fail(err, path + ".date_gmt", "expected a string");
  if (!parse_wordpress_gmt(*date, c.created_at)) return fail(err, path + ".date_gmt", "expected a date");
  const json* content = member(v, "content");
  const std::string* rendered = content ? string_member(*content, "rendered") : nullptr;
  if (!rendered) return fail(err, path + ".content.rendered", "expected a string");
  c.body = *rendered;
  if (const std::string* status = string_member(v, "status")) {
    if (!parse_wordpress_status(*status, c.status)) return fail(err, path + ".status", "unknown status");
  }
  std::string avatar;
  if (const json* urls = member(v, "author_avatar_urls"); urls && urls->is_object()) {
    for (const char* size : {"96", "48", "24"})
      if (const std::string* a = string_member(*urls, size)) {
        avatar = *a;
        break;
      }
  }
  c.author.avatar_seed = wordpress_avatar_seed(c.author.name, url, avatar);
  // The largest size (96 px covers a 40 px avatar on a 2x screen); never a
  // javascript: or data: address.
  if (check_http_url(avatar) == UrlCheck::ok) c.author.avatar_url = std::move(avatar);
  out = std::move(c);
  return true;
}

// rest_invalid_param names WordPress's parameters; the widget's fields are the model's.
FieldError field_of_param(std::string_view param) {
  if (param == "author_name") return {"author.name", "invalid"};
  if (param == "author_email") return {"author.email", "invalid_email"};
  if (param == "author_url") return {"author.url", "invalid_url"};
  if (param == "content") return {"body", "invalid"};
  if (param == "parent") return {"parent_id", "invalid_parent"};
  return {std::string(param), "invalid"};
}

// wp_check_comment_data_max_lengths' codes.
std::optional<FieldError> too_long_field(std::string_view code) {
  if (code == "comment_author_column_length") return FieldError{"author.name", "too_long"};
  if (code == "comment_author_email_column_length") return FieldError{"author.email", "too_long"};
  if (code == "comment_author_url_column_length") return FieldError{"author.url", "too_long"};
  if (code == "comment_content_column_length") return FieldError{"body", "too_long"};
  return std::nullopt;
}

}  // namespace

bool parse_wordpress_post_id(std::string_view text, int64_t& out) {
  int64_t v = 0;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  if (!parse_decimal(text, v) || v < 1 || v > kMaxSafeInteger) return false;
  out = v;
  return true;
}

std::string wordpress_avatar_seed(std::string_view name, std::string_view url, std::string_view avatar_url) {
  // Gravatar URLs carry the hash of the e-mail: .../avatar/<md5 or sha256 hex>?s=96...
  if (const size_t at = avatar_url.find("/avatar/"); at != std::string_view::npos) {
    size_t i = at + 8, n = 0;
    while (i + n < avatar_url.size() && is_hex(avatar_url[i + n])) ++n;
    if (n >= 32 && n <= 64) {
      std::string seed(avatar_url.substr(i, n));
      for (char& c : seed)
        if (c >= 'A' && c <= 'F') c = char(c - 'A' + 'a');
      return seed;
    }
  }
  // FNV-1a 64 of the lower-cased name and the URL.
  uint64_t h = 14695981039346656037ull;
  const auto mix = [&h](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
  for (char c : name) mix(static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
  mix('\n');
  for (char c : url) mix(static_cast<unsigned char>(c));
  static const char kHex[] = "0123456789abcdef";
  std::string seed(16, '0');
  for (int k = 15; k >= 0; --k, h >>= 4) seed[size_t(k)] = kHex[h & 15];
  return seed;
}

bool decode_wordpress_comment(std::string_view text, Comment& out, DecodeError& err) {
  json j;
  if (!parse_json(text, j, err)) return false;
  if (!j.is_object()) {
    err = {true, "", "expected a JSON object"};
    return false;
  }
  return decode_comment_value(j, "comment", out, err);
}

bool decode_wordpress_comments(std::string_view text, std::vector<Comment>& out, DecodeError& err) {
  json j;
  if (!parse_json(text, j, err)) return false;
  if (!j.is_array()) {
    err = {true, "", "expected a JSON array"};
    return false;
  }
  std::vector<Comment> comments;
  comments.reserve(j.size());
  for (size_t i = 0; i < j.size(); ++i) {
    Comment c;
    if (!decode_comment_value(j[i], "[" + std::to_string(i) + "]", c, err)) return false;
    comments.push_back(std::move(c));
  }
  out = std::move(comments);
  return true;
}

ClientError wordpress_error_from_response(const HttpResponse& response, std::string_view request_body) {
  ClientError e = error_from_response(response);  // network, timeout, and the status alone
  if (response.status == 0) return e;
  const json j = json::parse(response.body.begin(), response.body.end(), nullptr, false);
  const std::string* code = j.is_object() ? string_member(j, "code") : nullptr;
  if (!code) return e;  // a proxy's HTML page: the status is all there is
  e.api.code = *code;
  if (const std::string* message = string_member(j, "message")) e.api.message = decode_entities(*message);
  const json* data = member(j, "data");
  const std::string_view c = *code;
  const auto validation = [&](std::vector<FieldError> fields) {
    e.kind = ClientErrorKind::validation;
    e.fields = std::move(fields);
    e.retry_after_seconds = 0;
  };
  if (c == "rest_comment_login_required" || c == "rest_cookie_invalid_nonce") {
    e.kind = ClientErrorKind::forbidden;
  } else if (c == "comment_duplicate") {
    e.kind = ClientErrorKind::duplicate;
  } else if (c == "comment_flood") {
    // WordPress answers 400 and no Retry-After; its default interval is 15 s.
    e.kind = ClientErrorKind::rate_limited;
    e.retry_after_seconds = kWordPressFloodSeconds;
  } else if (c == "rest_comment_closed") {
    e.kind = ClientErrorKind::thread_closed;
  } else if (c == "rest_comment_invalid_post_id" || c == "rest_post_invalid_id") {
    e.kind = ClientErrorKind::not_found;
  } else if (c == "rest_comment_content_invalid") {
    validation({{"body", "required"}});
  } else if (c == "rest_comment_author_data_required") {
    // It does not say which one: look at what was sent.
    std::vector<FieldError> fields;
    const json sent = json::parse(request_body.begin(), request_body.end(), nullptr, false);
    const auto blank = [&](const char* key) {
      const std::string* s = sent.is_object() ? string_member(sent, key) : nullptr;
      return !s || s->find_first_not_of(" \t\r\n") == std::string::npos;
    };
    if (blank("author_name")) fields.push_back({"author.name", "required"});
    if (blank("author_email")) fields.push_back({"author.email", "required"});
    if (fields.empty()) fields = {{"author.name", "required"}, {"author.email", "required"}};
    validation(std::move(fields));
  } else if (c == "rest_invalid_param" || c == "rest_missing_callback_param") {
    std::vector<FieldError> fields;
    const json* params = data ? member(*data, "params") : nullptr;
    if (params && params->is_object()) {
      for (auto it = params->begin(); it != params->end(); ++it) fields.push_back(field_of_param(it.key()));
    } else if (params && params->is_array()) {  // rest_missing_callback_param: ["content"]
      for (const json& p : *params)
        if (p.is_string()) fields.push_back(field_of_param(p.get_ref<const std::string&>()));
    }
    if (c == "rest_missing_callback_param")
      for (FieldError& f : fields) f.code = "required";
    validation(std::move(fields));
  } else if (std::optional<FieldError> f = too_long_field(c)) {
    validation({*f});
  }
  return e;
}

WordPressClient::WordPressClient(WordPressClientConfig config) : config_(std::move(config)) {
  while (!config_.api_root.empty() && config_.api_root.back() == '/') config_.api_root.pop_back();
  config_.page_size = std::clamp(config_.page_size, 1, 100);
  state_.thread.key = std::to_string(config_.post_id);
  state_.thread.title = config_.title;
  state_.body_format = BodyFormat::html;
}

namespace {

// Sites without pretty permalinks have "https://site/?rest_route=" as their REST
// root: the route then goes into that query value and the parameters follow with '&'.
std::string route_url(const std::string& root, std::string_view route, std::string_view query) {
  std::string url = root + std::string(route);
  if (!query.empty()) {
    url += root.find('?') == std::string::npos ? '?' : '&';
    url += query;
  }
  return url;
}

}  // namespace

HttpRequest WordPressClient::make_page_request(int page) const {
  HttpRequest r;
  r.kind = RequestKind::load_page;
  r.method = "GET";
  r.cursor = page > 1 ? std::to_string(page) : std::string();
  r.url = route_url(config_.api_root, "/wp/v2/comments",
                    "post=" + std::to_string(config_.post_id) + "&per_page=" + std::to_string(config_.page_size) +
                        "&page=" + std::to_string(page) + "&orderby=date_gmt&order=asc");
  r.headers.push_back({"Accept", "application/json"});
  return r;
}

HttpRequest WordPressClient::load_first_page() { return make_page_request(1); }

std::optional<HttpRequest> WordPressClient::load_next_page() {
  if (!state_.loaded || !more_pages_) return std::nullopt;
  return make_page_request(loaded_pages_ + 1);
}

std::optional<HttpRequest> WordPressClient::load_thread_info() {
  if (info_done_ || info_in_flight_) return std::nullopt;
  info_in_flight_ = true;
  HttpRequest r;
  r.kind = RequestKind::load_thread_info;
  r.method = "GET";
  r.url = route_url(config_.api_root, std::string("/wp/v2/") + info_path_ + "/" + std::to_string(config_.post_id),
                    "_fields=title,link,comment_status");
  r.headers.push_back({"Accept", "application/json"});
  return r;
}

HttpRequest WordPressClient::post_comment(const NewComment& comment) {
  HttpRequest r;
  r.kind = RequestKind::post_comment;
  r.method = "POST";
  r.url = route_url(config_.api_root, "/wp/v2/comments", "");
  r.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  // The honeypot (`website`) has no WordPress counterpart: anti-spam plugins
  // (Akismet) judge the comment on the site.
  ojson j = ojson::object();
  j["post"] = config_.post_id;
  j["parent"] = comment.parent_id.value_or(0);
  j["author_name"] = comment.author.name;
  j["author_email"] = comment.author.email;
  if (comment.author.url && !comment.author.url->empty()) j["author_url"] = *comment.author.url;
  j["content"] = comment.body;
  r.body = j.dump(-1, ' ', false, ojson::error_handler_t::replace);
  return r;
}

ClientResult WordPressClient::on_response(const HttpRequest& request, const HttpResponse& response) {
  ClientResult result;
  result.kind = request.kind;
  if (request.kind == RequestKind::load_thread_info) info_in_flight_ = false;
  if (response.status < 200 || response.status > 299) {
    result.error = wordpress_error_from_response(response, request.body);
    if (request.kind == RequestKind::load_page && result.error.api.code == "rest_comment_invalid_page_number") {
      // Comments went away between two pages: what is loaded is all there is.
      result.error = {};
      more_pages_ = false;
      state_.complete = true;
      result.page = CommentPage{state_.thread, {}, std::nullopt};
    } else if (request.kind == RequestKind::load_thread_info) {
      // A page's id is not a post's: try /wp/v2/pages once; give up on anything else.
      if (response.status == 404 && std::string_view(info_path_) == "posts") info_path_ = "pages";
      else info_done_ = true;
    }
    return result;
  }
  switch (request.kind) {
    case RequestKind::load_page: apply_page(result, request, response); break;
    case RequestKind::post_comment: apply_posted(result, response); break;
    case RequestKind::load_thread_info: apply_thread_info(result, response); break;
    case RequestKind::edit_comment:
    case RequestKind::delete_comment:
    case RequestKind::load_counts:
    case RequestKind::ask_my_data:
    case RequestKind::find_imported:
      result.error.kind = ClientErrorKind::bad_request;  // never made by this client
      break;
  }
  if (!result.ok() && result.error.kind == ClientErrorKind::malformed_response)
    result.error.http_status = response.status;
  return result;
}

void WordPressClient::apply_page(ClientResult& result, const HttpRequest& request, const HttpResponse& response) {
  std::vector<Comment> comments;
  DecodeError err;
  if (!decode_wordpress_comments(response.body, comments, err)) {
    result.error.kind = ClientErrorKind::malformed_response;
    result.error.detail = err.to_string();
    return;
  }
  int64_t page = 1;
  if (!request.cursor.empty()) parse_decimal(request.cursor, page);
  if (page <= 1) state_.comments.clear();  // the first page (or a refresh) starts over
  // A comment approved between two reads may come twice: keep one.
  std::unordered_map<CommentId, size_t> position;
  position.reserve(state_.comments.size() + comments.size());
  for (size_t i = 0; i < state_.comments.size(); ++i) position.emplace(state_.comments[i].id, i);
  for (const Comment& c : comments) {
    auto [it, inserted] = position.emplace(c.id, state_.comments.size());
    if (inserted) state_.comments.push_back(c);
    else state_.comments[it->second] = c;
  }
  loaded_pages_ = int(page);
  // Proxies may drop the X-WP-* headers: a full page then means "maybe more".
  if (const std::optional<int64_t> total_pages = header_integer(response, "X-WP-TotalPages"))
    more_pages_ = page < *total_pages;
  else more_pages_ = int64_t(comments.size()) >= config_.page_size;
  if (const std::optional<int64_t> total = header_integer(response, "X-WP-Total")) state_.thread.comment_count = *total;
  else
    state_.thread.comment_count =
        int64_t(std::count_if(state_.comments.begin(), state_.comments.end(),
                              [](const Comment& c) { return c.status == CommentStatus::published; }));
  state_.loaded = true;
  state_.complete = !more_pages_;
  CommentPage p;
  p.thread = state_.thread;
  p.comments = std::move(comments);
  if (more_pages_) p.next_cursor = std::to_string(page + 1);
  result.page = std::move(p);
}

void WordPressClient::apply_posted(ClientResult& result, const HttpResponse& response) {
  Comment c;
  DecodeError err;
  if (!decode_wordpress_comment(response.body, c, err)) {
    result.error.kind = ClientErrorKind::malformed_response;
    result.error.detail = err.to_string();
    return;
  }
  auto it =
      std::find_if(state_.comments.begin(), state_.comments.end(), [&](const Comment& x) { return x.id == c.id; });
  if (it != state_.comments.end()) {
    *it = c;
  } else {
    state_.comments.push_back(c);
    if (c.status == CommentStatus::published) ++state_.thread.comment_count;
  }
  PostedComment posted;
  posted.comment = std::move(c);  // no edit token: WordPress has none for visitors
  result.posted = std::move(posted);
}

void WordPressClient::apply_thread_info(ClientResult& result, const HttpResponse& response) {
  info_done_ = true;
  const json j = json::parse(response.body.begin(), response.body.end(), nullptr, false);
  if (!j.is_object()) {
    result.error.kind = ClientErrorKind::malformed_response;
    result.error.detail = "expected a JSON object";
    return;
  }
  const json* title = member(j, "title");
  if (const std::string* rendered = title ? string_member(*title, "rendered") : nullptr) {
    // title.rendered is HTML text: "L&#8217;été &amp; l&#8217;hiver".
    if (config_.title.empty()) state_.thread.title = decode_entities(*rendered);
  }
  if (const std::string* link = string_member(j, "link"); link && check_http_url(*link) == UrlCheck::ok)
    state_.thread.url = *link;
  if (const std::string* status = string_member(j, "comment_status"))
    state_.thread.status = *status == "closed" ? ThreadStatus::closed : ThreadStatus::open;
}

}  // namespace causerie
