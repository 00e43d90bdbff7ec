#include "core/codec.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/rfc3339.h"

namespace causerie {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // keeps members in the documented order

std::string DecodeError::to_string() const { return field.empty() ? message : field + ": " + message; }

namespace {

constexpr int64_t kMaxSafeInteger = (int64_t(1) << 53) - 1;  // JavaScript's limit

std::string dump(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

ojson optional_string(const std::optional<std::string>& s) { return s ? ojson(*s) : ojson(nullptr); }

ojson comment_json(const Comment& c) {
  ojson j = ojson::object();
  j["id"] = c.id;
  j["parent_id"] = c.parent_id ? ojson(*c.parent_id) : ojson(nullptr);
  ojson author = ojson::object();
  author["name"] = c.author.name;
  author["url"] = optional_string(c.author.url);
  author["avatar_seed"] = c.author.avatar_seed;
  j["author"] = std::move(author);
  j["body"] = c.body;
  j["created_at"] = format_rfc3339(c.created_at);
  j["edited_at"] = c.edited_at ? ojson(format_rfc3339(*c.edited_at)) : ojson(nullptr);
  j["status"] = to_string(c.status);
  if (!c.thread.empty()) j["thread"] = c.thread;
  return j;
}

ojson thread_json(const ThreadInfo& t) {
  ojson j = ojson::object();
  j["key"] = t.key;
  j["title"] = t.title;
  j["url"] = t.url;
  j["comment_count"] = t.comment_count;
  j["status"] = to_string(t.status);
  return j;
}

ojson comments_json(const std::vector<Comment>& comments) {
  ojson a = ojson::array();
  for (const Comment& c : comments) a.push_back(comment_json(c));
  return a;
}

// ---- Decoding helpers. Each takes the JSON path of the value it reads, so an
// error always says where it happened.

std::string member_path(const std::string& base, const char* key) {
  return base.empty() ? std::string(key) : base + "." + key;
}

bool fail(DecodeError& err, std::string field, const char* message) {
  err.syntax = false;
  err.field = std::move(field);
  err.message = message;
  return false;
}

bool parse_object(std::string_view text, json& out, DecodeError& err) {
  out = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    err = {true, "", "malformed JSON"};
    return false;
  }
  if (!out.is_object()) {
    err = {true, "", "expected a JSON object"};
    return false;
  }
  return true;
}

// The member, or nullptr when absent or null (the API treats both alike).
const json* find(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

enum Need { optional_member, required_member };

bool read_string(const json& o, const char* key, const std::string& base, Need need, std::string& out,
                 DecodeError& err) {
  const json* v = find(o, key);
  if (!v) {
    if (need == required_member) return fail(err, member_path(base, key), "missing");
    out.clear();
    return true;
  }
  if (!v->is_string()) return fail(err, member_path(base, key), "expected a string");
  out = v->get_ref<const std::string&>();
  return true;
}

bool read_optional_string(const json& o, const char* key, const std::string& base, std::optional<std::string>& out,
                          DecodeError& err) {
  const json* v = find(o, key);
  if (!v) {
    out.reset();
    return true;
  }
  if (!v->is_string()) return fail(err, member_path(base, key), "expected a string or null");
  out = v->get_ref<const std::string&>();
  return true;
}

bool integer_value(const json& v, int64_t& out) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    out = static_cast<int64_t>(u);
    return true;
  }
  if (v.is_number_integer()) {
    out = v.get<int64_t>();
    return true;
  }
  return false;
}

// Integers in answers are ids and counts: within [min_value, 2^53).
bool read_integer(const json& o, const char* key, const std::string& base, Need need, int64_t min_value, int64_t& out,
                  DecodeError& err) {
  const json* v = find(o, key);
  if (!v) {
    if (need == required_member) return fail(err, member_path(base, key), "missing");
    return true;
  }
  int64_t value;
  if (!integer_value(*v, value)) return fail(err, member_path(base, key), "expected an integer");
  if (value < min_value || value > kMaxSafeInteger) return fail(err, member_path(base, key), "integer out of range");
  out = value;
  return true;
}

bool read_optional_id(const json& o, const char* key, const std::string& base, int64_t min_value,
                      std::optional<int64_t>& out, DecodeError& err) {
  if (!find(o, key)) {
    out.reset();
    return true;
  }
  int64_t value = 0;
  if (!read_integer(o, key, base, required_member, min_value, value, err)) {
    if (err.message == "expected an integer") err.message = "expected an integer or null";
    return false;
  }
  out = value;
  return true;
}

bool read_time(const json& o, const char* key, const std::string& base, Need need, std::optional<int64_t>& out,
               DecodeError& err) {
  std::optional<std::string> text;
  if (!read_optional_string(o, key, base, text, err)) {
    err.message = need == required_member ? "expected a string" : "expected a string or null";
    return false;
  }
  if (!text) {
    if (need == required_member) return fail(err, member_path(base, key), "missing");
    out.reset();
    return true;
  }
  int64_t t;
  if (!parse_rfc3339(*text, t)) return fail(err, member_path(base, key), "expected an RFC 3339 time");
  out = t;
  return true;
}

const json* read_object(const json& o, const char* key, const std::string& base, Need need, DecodeError& err) {
  const json* v = find(o, key);
  if (!v) {
    if (need == required_member) fail(err, member_path(base, key), "missing");
    return nullptr;
  }
  if (!v->is_object()) {
    fail(err, member_path(base, key), "expected an object");
    return nullptr;
  }
  return v;
}

bool decode_comment_value(const json& v, const std::string& path, Comment& c, DecodeError& err) {
  if (!v.is_object()) return fail(err, path, "expected an object");
  if (!read_integer(v, "id", path, required_member, 1, c.id, err)) return false;
  if (!read_optional_id(v, "parent_id", path, 1, c.parent_id, err)) return false;
  const json* author = read_object(v, "author", path, required_member, err);
  if (!author) return false;
  const std::string author_path = member_path(path, "author");
  if (!read_string(*author, "name", author_path, required_member, c.author.name, err) ||
      !read_optional_string(*author, "url", author_path, c.author.url, err) ||
      !read_string(*author, "avatar_seed", author_path, optional_member, c.author.avatar_seed, err) ||
      !read_string(v, "body", path, required_member, c.body, err))
    return false;
  std::optional<int64_t> created;
  if (!read_time(v, "created_at", path, required_member, created, err)) return false;
  c.created_at = *created;
  if (!read_time(v, "edited_at", path, optional_member, c.edited_at, err)) return false;
  std::string status;
  if (!read_string(v, "status", path, required_member, status, err)) return false;
  if (!parse_comment_status(status, c.status)) return fail(err, member_path(path, "status"), "unknown comment status");
  return read_string(v, "thread", path, optional_member, c.thread, err);
}

bool decode_comments_value(const json& o, const char* key, std::vector<Comment>& out, DecodeError& err) {
  const json* list = find(o, key);
  if (!list) return fail(err, key, "missing");
  if (!list->is_array()) return fail(err, key, "expected an array");
  out.reserve(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    Comment c;
    if (!decode_comment_value((*list)[i], std::string(key) + "[" + std::to_string(i) + "]", c, err)) return false;
    out.push_back(std::move(c));
  }
  return true;
}

bool decode_thread_value(const json& v, const std::string& path, ThreadInfo& t, DecodeError& err) {
  if (!v.is_object()) return fail(err, path, "expected an object");
  std::string status;
  if (!read_string(v, "key", path, required_member, t.key, err) ||
      !read_string(v, "title", path, optional_member, t.title, err) ||
      !read_string(v, "url", path, optional_member, t.url, err) ||
      !read_integer(v, "comment_count", path, required_member, 0, t.comment_count, err) ||
      !read_string(v, "status", path, required_member, status, err))
    return false;
  if (!parse_thread_status(status, t.status))
    return fail(err, member_path(path, "status"), "expected \"open\" or \"closed\"");
  return true;
}

}  // namespace

// ---- Encoders

std::string encode_comment(const Comment& c) { return dump(comment_json(c)); }

std::string encode_comment_page(const CommentPage& page) {
  ojson j = ojson::object();
  j["thread"] = thread_json(page.thread);
  j["comments"] = comments_json(page.comments);
  j["next_cursor"] = optional_string(page.next_cursor);
  return dump(j);
}

std::string encode_moderation_page(const ModerationPage& page) {
  ojson j = ojson::object();
  j["comments"] = comments_json(page.comments);
  j["next_cursor"] = optional_string(page.next_cursor);
  return dump(j);
}

std::string encode_posted_comment(const PostedComment& posted) {
  ojson j = ojson::object();
  j["comment"] = comment_json(posted.comment);
  j["edit_token"] = posted.edit_token;
  j["edit_expires_at"] = format_rfc3339(posted.edit_expires_at);
  return dump(j);
}

std::string encode_comment_answer(const Comment& c) {
  ojson j = ojson::object();
  j["comment"] = comment_json(c);
  return dump(j);
}

std::string encode_thread_answer(const ThreadInfo& t) {
  ojson j = ojson::object();
  j["thread"] = thread_json(t);
  return dump(j);
}

std::string encode_counts(const std::vector<ThreadCount>& counts) {
  ojson map = ojson::object();
  for (const ThreadCount& c : counts) map[c.thread] = c.count;
  ojson j = ojson::object();
  j["counts"] = std::move(map);
  return dump(j);
}

std::string encode_api_error(const ApiError& e) {
  ojson inner = ojson::object();
  inner["code"] = e.code;
  inner["message"] = e.message;
  inner["field"] = optional_string(e.field);
  if (!e.details.empty()) {
    ojson details = ojson::array();
    for (const FieldError& d : e.details) details.push_back({{"field", d.field}, {"code", d.code}});
    inner["details"] = std::move(details);
  }
  if (e.retry_after) inner["retry_after"] = *e.retry_after;
  ojson j = ojson::object();
  j["error"] = std::move(inner);
  return dump(j);
}

std::string encode_new_comment(const NewComment& c) {
  ojson j = ojson::object();
  j["parent_id"] = c.parent_id ? ojson(*c.parent_id) : ojson(nullptr);
  ojson author = ojson::object();
  author["name"] = c.author.name;
  author["email"] = c.author.email;
  author["url"] = optional_string(c.author.url);
  j["author"] = std::move(author);
  j["body"] = c.body;
  j["title"] = optional_string(c.title);
  j["url"] = optional_string(c.url);
  j["website"] = c.website;
  return dump(j);
}

std::string encode_comment_edit(const CommentEdit& e) {
  ojson j = ojson::object();
  j["body"] = e.body;
  return dump(j);
}

std::string encode_thread_status_change(ThreadStatus s) {
  ojson j = ojson::object();
  j["status"] = to_string(s);
  return dump(j);
}

// ---- Decoders: each fills a local value and moves it out only on success.

bool decode_comment(std::string_view text, Comment& out, DecodeError& err) {
  json j;
  Comment c;
  if (!parse_object(text, j, err) || !decode_comment_value(j, "", c, err)) return false;
  out = std::move(c);
  return true;
}

bool decode_comment_page(std::string_view text, CommentPage& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  CommentPage page;
  const json* thread = read_object(j, "thread", "", required_member, err);
  if (!thread || !decode_thread_value(*thread, "thread", page.thread, err) ||
      !decode_comments_value(j, "comments", page.comments, err) ||
      !read_optional_string(j, "next_cursor", "", page.next_cursor, err))
    return false;
  out = std::move(page);
  return true;
}

bool decode_moderation_page(std::string_view text, ModerationPage& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  ModerationPage page;
  if (!decode_comments_value(j, "comments", page.comments, err) ||
      !read_optional_string(j, "next_cursor", "", page.next_cursor, err))
    return false;
  out = std::move(page);
  return true;
}

bool decode_posted_comment(std::string_view text, PostedComment& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  PostedComment posted;
  const json* comment = read_object(j, "comment", "", required_member, err);
  std::optional<int64_t> expires;
  if (!comment || !decode_comment_value(*comment, "comment", posted.comment, err) ||
      !read_string(j, "edit_token", "", required_member, posted.edit_token, err) ||
      !read_time(j, "edit_expires_at", "", required_member, expires, err))
    return false;
  posted.edit_expires_at = *expires;
  out = std::move(posted);
  return true;
}

bool decode_comment_answer(std::string_view text, Comment& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  Comment c;
  const json* comment = read_object(j, "comment", "", required_member, err);
  if (!comment || !decode_comment_value(*comment, "comment", c, err)) return false;
  out = std::move(c);
  return true;
}

bool decode_thread_answer(std::string_view text, ThreadInfo& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  ThreadInfo t;
  const json* thread = read_object(j, "thread", "", required_member, err);
  if (!thread || !decode_thread_value(*thread, "thread", t, err)) return false;
  out = std::move(t);
  return true;
}

bool decode_counts(std::string_view text, std::vector<ThreadCount>& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  const json* map = read_object(j, "counts", "", required_member, err);
  if (!map) return false;
  std::vector<ThreadCount> counts;
  counts.reserve(map->size());
  for (auto it = map->begin(); it != map->end(); ++it) {
    int64_t n;
    if (!integer_value(it.value(), n)) return fail(err, "counts." + it.key(), "expected an integer");
    if (n < 0 || n > kMaxSafeInteger) return fail(err, "counts." + it.key(), "integer out of range");
    counts.push_back({it.key(), n});
  }
  out = std::move(counts);
  return true;
}

bool decode_api_error(std::string_view text, ApiError& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  const json* inner = read_object(j, "error", "", required_member, err);
  if (!inner) return false;
  ApiError e;
  if (!read_string(*inner, "code", "error", required_member, e.code, err) ||
      !read_string(*inner, "message", "error", optional_member, e.message, err) ||
      !read_optional_string(*inner, "field", "error", e.field, err))
    return false;
  if (const json* details = find(*inner, "details")) {
    if (!details->is_array()) return fail(err, "error.details", "expected an array");
    for (size_t i = 0; i < details->size(); ++i) {
      const std::string path = "error.details[" + std::to_string(i) + "]";
      const json& d = (*details)[i];
      if (!d.is_object()) return fail(err, path, "expected an object");
      FieldError fe;
      if (!read_string(d, "field", path, required_member, fe.field, err) ||
          !read_string(d, "code", path, required_member, fe.code, err))
        return false;
      e.details.push_back(std::move(fe));
    }
  }
  if (find(*inner, "retry_after")) {
    int64_t seconds = 0;
    if (!read_integer(*inner, "retry_after", "error", required_member, 0, seconds, err)) return false;
    e.retry_after = seconds;
  }
  out = std::move(e);
  return true;
}

bool decode_new_comment(std::string_view text, NewComment& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  NewComment c;
  // Requests accept any integer id: a wrong one is the server's 422 invalid_parent.
  if (!read_optional_id(j, "parent_id", "", std::numeric_limits<int64_t>::min(), c.parent_id, err)) return false;
  if (find(j, "author")) {
    const json* author = read_object(j, "author", "", required_member, err);
    if (!author || !read_string(*author, "name", "author", optional_member, c.author.name, err) ||
        !read_string(*author, "email", "author", optional_member, c.author.email, err) ||
        !read_optional_string(*author, "url", "author", c.author.url, err))
      return false;
  }
  if (!read_string(j, "body", "", optional_member, c.body, err) ||
      !read_optional_string(j, "title", "", c.title, err) || !read_optional_string(j, "url", "", c.url, err) ||
      !read_string(j, "website", "", optional_member, c.website, err))
    return false;
  out = std::move(c);
  return true;
}

bool decode_comment_edit(std::string_view text, CommentEdit& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  CommentEdit e;
  if (!read_string(j, "body", "", optional_member, e.body, err)) return false;
  out = std::move(e);
  return true;
}

bool decode_thread_status_change(std::string_view text, ThreadStatus& out, DecodeError& err) {
  json j;
  if (!parse_object(text, j, err)) return false;
  std::string status;
  if (!read_string(j, "status", "", required_member, status, err)) return false;
  ThreadStatus s;
  if (!parse_thread_status(status, s)) return fail(err, "status", "expected \"open\" or \"closed\"");
  out = s;
  return true;
}

}  // namespace causerie
