#include "core/api_client.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/codec.h"
#include "core/url.h"

namespace causerie {

namespace {

bool equal_ignore_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && starts_with_ignore_case(a, b);
}

const std::string* find_header(const std::vector<HttpHeader>& headers, std::string_view name) {
  for (const HttpHeader& h : headers)
    if (equal_ignore_case(h.name, name)) return &h.value;
  return nullptr;
}

// Retry-After in seconds; the HTTP-date form is not used by Causerie servers.
std::optional<int64_t> parse_retry_after(const std::string* value) {
  if (!value || value->empty()) return std::nullopt;
  int64_t seconds = 0;
  const char* end = value->data() + value->size();
  const auto [ptr, ec] = std::from_chars(value->data(), end, seconds);
  if (ec != std::errc() || ptr != end || seconds < 0) return std::nullopt;
  return seconds;
}

constexpr size_t kMaxTokensPerRead = 50;  // docs/api.md, "Pending comments"
constexpr int64_t kDefaultRetryAfter = 60;

}  // namespace

const std::string* HttpRequest::header(std::string_view name) const { return find_header(headers, name); }
const std::string* HttpResponse::header(std::string_view name) const { return find_header(headers, name); }

const char* to_string(ClientErrorKind kind) {
  switch (kind) {
    case ClientErrorKind::none: return "none";
    case ClientErrorKind::network: return "network";
    case ClientErrorKind::timeout: return "timeout";
    case ClientErrorKind::bad_request: return "bad_request";
    case ClientErrorKind::validation: return "validation";
    case ClientErrorKind::rate_limited: return "rate_limited";
    case ClientErrorKind::forbidden: return "forbidden";
    case ClientErrorKind::edit_window_closed: return "edit_window_closed";
    case ClientErrorKind::thread_closed: return "thread_closed";
    case ClientErrorKind::not_found: return "not_found";
    case ClientErrorKind::duplicate: return "duplicate";
    case ClientErrorKind::server_error: return "server_error";
    case ClientErrorKind::malformed_response: return "malformed_response";
  }
  return "server_error";
}

ClientError error_from_response(const HttpResponse& response) {
  ClientError e;
  e.http_status = response.status;
  if (response.status == 0) {
    e.kind = response.timed_out ? ClientErrorKind::timeout : ClientErrorKind::network;
    return e;
  }
  // Proxies and load balancers answer with HTML: the status alone must be enough.
  DecodeError ignored;
  const bool has_api = decode_api_error(response.body, e.api, ignored);
  const std::string& code = e.api.code;
  const int s = response.status;
  if (s == 422 || s == 413) {
    e.kind = ClientErrorKind::validation;
    if (has_api) e.fields = e.api.details;
    if (e.fields.empty() && has_api && e.api.field) e.fields.push_back({*e.api.field, "invalid"});
    if (e.fields.empty() && s == 413) e.fields.push_back({"body", "too_long"});
  } else if (s == 429) {
    e.kind = ClientErrorKind::rate_limited;
  } else if (s == 400 || s == 405 || s == 415) {
    e.kind = ClientErrorKind::bad_request;
  } else if (s == 401) {
    e.kind = ClientErrorKind::forbidden;
  } else if (s == 403) {
    e.kind = code == "edit_window_closed" ? ClientErrorKind::edit_window_closed
             : code == "thread_closed"    ? ClientErrorKind::thread_closed
                                          : ClientErrorKind::forbidden;
  } else if (s == 404 || s == 410) {
    e.kind = ClientErrorKind::not_found;
  } else if (s == 409) {
    e.kind = ClientErrorKind::duplicate;
  } else {
    e.kind = ClientErrorKind::server_error;  // 5xx and anything unexpected (3xx, 1xx)
  }
  if (s == 429 || s == 503) {
    std::optional<int64_t> wait = e.api.retry_after;
    if (!wait) wait = parse_retry_after(response.header("Retry-After"));
    e.retry_after_seconds = wait.value_or(s == 429 ? kDefaultRetryAfter : 0);
  }
  return e;
}

CauserieClient::CauserieClient(CauserieClientConfig config) : config_(std::move(config)) {
  while (!config_.base_url.empty() && config_.base_url.back() == '/') config_.base_url.pop_back();
  config_.page_size = std::clamp(config_.page_size, 1, 200);
  state_.thread.key = config_.thread_key;
}

HttpRequest CauserieClient::make_page_request(const std::string& cursor) {
  HttpRequest r;
  r.kind = RequestKind::load_page;
  r.method = "GET";
  r.cursor = cursor;
  r.url = !config_.first_page_url.empty()
              ? config_.first_page_url
              : config_.base_url + "/api/v1/threads/" + percent_encode(config_.thread_key) +
                    "/comments?sort=" + to_string(config_.sort) + "&limit=" + std::to_string(config_.page_size);
  if (!cursor.empty()) r.url += "&cursor=" + percent_encode(cursor);
  r.headers.push_back({"Accept", "application/json"});
  if (!owned_.empty()) {
    // The newest tokens first: they are the ones whose comments may still be pending.
    std::string tokens;
    const size_t count = std::min(owned_.size(), kMaxTokensPerRead);
    for (size_t k = 0; k < count; ++k) {
      if (!tokens.empty()) tokens += ',';
      tokens += owned_[owned_.size() - 1 - k].edit_token;
    }
    r.headers.push_back({"X-Causerie-Edit-Tokens", tokens});
  }
  return r;
}

HttpRequest CauserieClient::load_first_page() {
  HttpRequest r = make_page_request("");
  if (state_.loaded && !first_page_etag_.empty()) r.headers.push_back({"If-None-Match", first_page_etag_});
  return r;
}

std::optional<HttpRequest> CauserieClient::load_next_page() {
  if (!state_.loaded || !next_cursor_) return std::nullopt;
  return make_page_request(*next_cursor_);
}

HttpRequest CauserieClient::post_comment(const NewComment& comment) {
  HttpRequest r;
  r.kind = RequestKind::post_comment;
  r.method = "POST";
  r.url = config_.base_url + "/api/v1/threads/" + percent_encode(config_.thread_key) + "/comments";
  r.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  r.body = encode_new_comment(comment);
  return r;
}

const OwnedComment* CauserieClient::find_owned(CommentId id) const {
  for (const OwnedComment& o : owned_)
    if (o.id == id) return &o;
  return nullptr;
}

std::optional<HttpRequest> CauserieClient::edit_comment(CommentId id, std::string_view body) {
  const OwnedComment* owned = find_owned(id);
  if (!owned) return std::nullopt;
  HttpRequest r;
  r.kind = RequestKind::edit_comment;
  r.method = "PATCH";
  r.comment_id = id;
  r.url = config_.base_url + "/api/v1/comments/" + std::to_string(id);
  r.headers = {{"Accept", "application/json"},
               {"Content-Type", "application/json"},
               {"Authorization", "Bearer " + owned->edit_token}};
  r.body = encode_comment_edit({std::string(body)});
  return r;
}

std::optional<HttpRequest> CauserieClient::delete_comment(CommentId id) {
  const OwnedComment* owned = find_owned(id);
  if (!owned) return std::nullopt;
  HttpRequest r;
  r.kind = RequestKind::delete_comment;
  r.method = "DELETE";
  r.comment_id = id;
  r.url = config_.base_url + "/api/v1/comments/" + std::to_string(id);
  r.headers = {{"Accept", "application/json"}, {"Authorization", "Bearer " + owned->edit_token}};
  return r;
}

std::optional<HttpRequest> CauserieClient::ask_my_data(std::string_view email, bool erase,
                                                      std::string_view lang) const {
  HttpRequest r;
  r.kind = RequestKind::ask_my_data;
  r.method = "POST";
  r.url = config_.base_url + "/api/v1/my-data";
  r.headers = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
  r.body = nlohmann::json{{"email", email}, {"action", erase ? "erase" : "copy"}, {"lang", lang}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::optional<HttpRequest> CauserieClient::find_imported(CommentId old_id) const {
  HttpRequest r;
  r.kind = RequestKind::find_imported;
  r.method = "GET";
  r.url = config_.base_url + "/api/v1/threads/" + percent_encode(config_.thread_key) + "/imported/" +
          std::to_string(old_id);
  r.headers = {{"Accept", "application/json"}};
  return r;
}

HttpRequest CauserieClient::load_counts(const std::vector<std::string>& thread_keys) const {
  HttpRequest r;
  r.kind = RequestKind::load_counts;
  r.method = "GET";
  r.url = config_.base_url + "/api/v1/counts";
  char separator = '?';
  for (const std::string& key : thread_keys) {
    r.url += separator;
    r.url += "thread=" + percent_encode(key);
    separator = '&';
  }
  r.headers.push_back({"Accept", "application/json"});
  return r;
}

ClientErrorKind ApiClient::edit_refusal(CommentId id, UnixSeconds now) const {
  if (can_edit(id, now)) return ClientErrorKind::none;
  for (const OwnedComment& o : owned())
    if (o.id == id && now >= o.edit_expires_at) return ClientErrorKind::edit_window_closed;
  return ClientErrorKind::forbidden;
}

const std::vector<OwnedComment>& ApiClient::owned() const {
  static const std::vector<OwnedComment> none;
  return none;
}

const std::string& ApiClient::live_position() const {
  static const std::string none;
  return none;
}

bool CauserieClient::can_edit(CommentId id, UnixSeconds now) const {
  const OwnedComment* owned = find_owned(id);
  if (!owned || now >= owned->edit_expires_at) return false;
  for (const Comment& c : state_.comments)
    if (c.id == id) return c.status != CommentStatus::deleted;
  return true;
}

void CauserieClient::upsert(const Comment& c) {
  // The reader's own post may be announced live before its answer arrives.
  std::erase_if(state_.arrived, [&](const Comment& a) { return a.id == c.id; });
  for (Comment& existing : state_.comments) {
    if (existing.id == c.id) {
      existing = c;
      return;
    }
  }
  state_.comments.push_back(c);
}

// A deleted comment, as the server lists it: a placeholder only when replies hang from it.
void CauserieClient::remove_deleted(CommentId id, const Comment& placeholder) {
  auto it = std::find_if(state_.comments.begin(), state_.comments.end(), [&](const Comment& x) { return x.id == id; });
  if (it == state_.comments.end()) return;
  if (it->status == CommentStatus::published && state_.thread.comment_count > 0) --state_.thread.comment_count;
  const bool has_replies =
      std::any_of(state_.comments.begin(), state_.comments.end(), [&](const Comment& x) { return x.parent_id == id; });
  if (has_replies) *it = placeholder;
  else state_.comments.erase(it);
}

std::string CauserieClient::events_url() const {
  return config_.base_url + "/api/v1/threads/" + percent_encode(config_.thread_key) + "/events";
}

LiveChange CauserieClient::on_live_event(std::string_view event, std::string_view id, std::string_view data) {
  if (event == "reset") {
    live_position_.clear();  // the reload's Causerie-Event-Id says where to resume
    return LiveChange::reload;
  }
  if (event != "comment" && event != "update") {
    if (!id.empty()) live_position_ = id;  // the opening block
    return LiveChange::none;
  }
  Comment c;
  DecodeError err;
  if (!decode_comment(data, c, err)) return LiveChange::none;
  if (!id.empty()) live_position_ = id;
  const auto same_id = [&](const Comment& x) { return x.id == c.id; };
  auto shown = std::find_if(state_.comments.begin(), state_.comments.end(), same_id);
  auto waiting = std::find_if(state_.arrived.begin(), state_.arrived.end(), same_id);
  const bool visible = c.status == CommentStatus::published;
  if (waiting != state_.arrived.end()) {  // not shown yet: keep its latest state
    if (visible) *waiting = c;
    else state_.arrived.erase(waiting);
    return LiveChange::arrived;
  }
  if (shown == state_.comments.end()) {
    if (!visible) return LiveChange::none;  // deleted before this reader saw it
    state_.arrived.push_back(c);
    return LiveChange::arrived;
  }
  if (c.status == CommentStatus::deleted) {
    remove_deleted(c.id, c);
  } else {
    if (shown->status != CommentStatus::published && visible) ++state_.thread.comment_count;  // approved
    *shown = c;
  }
  return LiveChange::changed;
}

std::vector<CommentId> CauserieClient::reveal_arrived() {
  std::vector<CommentId> ids;
  for (Comment& c : state_.arrived) {
    ids.push_back(c.id);
    state_.comments.push_back(std::move(c));
    ++state_.thread.comment_count;
  }
  state_.arrived.clear();
  return ids;
}

ClientResult CauserieClient::on_response(const HttpRequest& request, const HttpResponse& response) {
  ClientResult result;
  result.kind = request.kind;
  if (request.kind == RequestKind::load_page && request.cursor.empty() &&
      (response.status == 200 || response.status == 304)) {
    // Where the live stream resumes: the position of the thread this read shows.
    if (const std::string* position = response.header("Causerie-Event-Id")) live_position_ = *position;
  }
  if (response.status == 304 && request.kind == RequestKind::load_page) {
    result.not_modified = true;
    return result;
  }
  if (response.status < 200 || response.status > 299) {
    result.error = error_from_response(response);
    return result;
  }
  apply(result, request, response);
  return result;
}

void CauserieClient::apply(ClientResult& result, const HttpRequest& request, const HttpResponse& response) {
  DecodeError err;
  const auto malformed = [&] {
    result.error.kind = ClientErrorKind::malformed_response;
    result.error.http_status = response.status;
    result.error.detail = err.to_string();
  };
  switch (request.kind) {
    case RequestKind::load_page: {
      CommentPage page;
      if (!decode_comment_page(response.body, page, err)) return malformed();
      if (request.cursor.empty()) {
        // The first page (or a refresh of it) starts the thread over.
        state_.comments.clear();
        state_.arrived.clear();  // the new read lists them
        if (const std::string* etag = response.header("ETag")) first_page_etag_ = *etag;
      }
      state_.thread = page.thread;
      state_.comments.reserve(state_.comments.size() + page.comments.size());
      // Keyset pages do not overlap, but a comment edited or moved between two
      // reads may come again: replace it rather than list it twice.
      std::unordered_map<CommentId, size_t> position;
      position.reserve(state_.comments.size() + page.comments.size());
      for (size_t i = 0; i < state_.comments.size(); ++i) position.emplace(state_.comments[i].id, i);
      for (const Comment& c : page.comments) {
        auto [it, inserted] = position.emplace(c.id, state_.comments.size());
        if (inserted) state_.comments.push_back(c);
        else state_.comments[it->second] = c;
      }
      state_.loaded = true;
      next_cursor_ = page.next_cursor;
      state_.complete = !next_cursor_;
      result.page = std::move(page);
      return;
    }
    case RequestKind::post_comment: {
      PostedComment posted;
      if (!decode_posted_comment(response.body, posted, err)) return malformed();
      if (!find_owned(posted.comment.id))
        owned_.push_back({posted.comment.id, posted.edit_token, posted.edit_expires_at});
      const bool known = std::any_of(state_.comments.begin(), state_.comments.end(),
                                     [&](const Comment& c) { return c.id == posted.comment.id; });
      upsert(posted.comment);
      if (!known && posted.comment.status == CommentStatus::published) ++state_.thread.comment_count;
      result.posted = std::move(posted);
      return;
    }
    case RequestKind::edit_comment: {
      Comment c;
      if (!decode_comment_answer(response.body, c, err)) return malformed();
      upsert(c);
      result.comment = std::move(c);
      return;
    }
    case RequestKind::delete_comment: {
      Comment c;
      if (!decode_comment_answer(response.body, c, err)) return malformed();
      remove_deleted(request.comment_id, c);
      owned_.erase(std::remove_if(owned_.begin(), owned_.end(),
                                  [&](const OwnedComment& o) { return o.id == request.comment_id; }),
                   owned_.end());
      result.comment = std::move(c);
      return;
    }
    case RequestKind::load_counts: {
      if (!decode_counts(response.body, result.counts, err)) return malformed();
      return;
    }
    case RequestKind::load_thread_info: return;  // never asked: the pages carry the thread
    case RequestKind::ask_my_data: return;       // 202: the e-mail is on its way
    case RequestKind::find_imported: {
      const auto j = nlohmann::json::parse(response.body, nullptr, false);
      const auto id = j.is_object() ? j.find("id") : j.end();
      if (!j.is_object() || id == j.end() || !id->is_number_integer() || id->get<int64_t>() <= 0) {
        err.field = "id";
        err.message = "expected a positive integer";
        return malformed();
      }
      result.imported_id = id->get<int64_t>();
      return;
    }
  }
}

}  // namespace causerie
