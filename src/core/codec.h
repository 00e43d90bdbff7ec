#pragma once
// JSON codecs for every document of docs/api.md, used by both the server and the
// widget so that the two can never disagree on a shape.
//
// Decoders are strict about types and tolerant of unknown members. They never
// throw and never half-fill: they decode into a temporary and move it into `out`
// only on success; on failure `out` is untouched and `err` names the member,
// e.g. "comments[3].author.name: expected a string".
//
// Encoders write compact JSON; invalid UTF-8 (which validation rejects upstream)
// is replaced by U+FFFD rather than producing invalid JSON.
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace causerie {

struct DecodeError {
  bool syntax = false;            // not JSON, or not an object at the top: 400 malformed_json
  std::string field;              // JSON path of the bad member ("" for syntax errors)
  std::string message;            // "expected a string", "missing", ...
  std::string to_string() const;  // "field: message", or the message alone
};

// Answers (the server encodes, the client decodes).
std::string encode_comment(const Comment& c);                       // one Comment object
std::string encode_comment_page(const CommentPage& page);           // GET thread comments
std::string encode_moderation_page(const ModerationPage& page);     // GET moderation/pending
std::string encode_posted_comment(const PostedComment& posted);     // 201/202 of a post
std::string encode_comment_answer(const Comment& c);                // {"comment": {...}}
std::string encode_thread_answer(const ThreadInfo& t);              // {"thread": {...}}
std::string encode_counts(const std::vector<ThreadCount>& counts);  // {"counts": {...}}
std::string encode_api_error(const ApiError& e);                    // {"error": {...}}

bool decode_comment(std::string_view json, Comment& out, DecodeError& err);
bool decode_comment_page(std::string_view json, CommentPage& out, DecodeError& err);
bool decode_moderation_page(std::string_view json, ModerationPage& out, DecodeError& err);
bool decode_posted_comment(std::string_view json, PostedComment& out, DecodeError& err);
bool decode_comment_answer(std::string_view json, Comment& out, DecodeError& err);
bool decode_thread_answer(std::string_view json, ThreadInfo& out, DecodeError& err);
bool decode_counts(std::string_view json, std::vector<ThreadCount>& out, DecodeError& err);
bool decode_api_error(std::string_view json, ApiError& out, DecodeError& err);

// Requests (the widget encodes, the server decodes). Missing or null required
// strings decode as "" so that validation can report `required` for the field;
// only wrong types are decode errors (400 invalid_field).
std::string encode_new_comment(const NewComment& c);
std::string encode_comment_edit(const CommentEdit& e);
std::string encode_thread_status_change(ThreadStatus s);  // {"status": "closed"}

bool decode_new_comment(std::string_view json, NewComment& out, DecodeError& err);
bool decode_comment_edit(std::string_view json, CommentEdit& out, DecodeError& err);
bool decode_thread_status_change(std::string_view json, ThreadStatus& out, DecodeError& err);

}  // namespace causerie
