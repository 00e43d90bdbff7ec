#pragma once
// The comment model shared by the widget and the server (docs/api.md, "Objects").
// Plain values: no I/O, no JSON here (see core/codec.h).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace causerie {

using CommentId = int64_t;    // positive, below 2^53 so it survives JavaScript
using UnixSeconds = int64_t;  // UTC seconds since 1970; RFC 3339 on the wire

enum class CommentStatus { published, pending, deleted, spam };
enum class ThreadStatus { open, closed };
enum class SortOrder { oldest, newest };

// What Comment::body holds: Causerie's Markdown-lite source, or HTML that WordPress
// already rendered (`content.rendered`). The widget parses each with its own parser.
enum class BodyFormat { markdown, html };

// Wire names ("published", "open", "oldest"...). The parsers return false on an
// unknown name and leave `out` untouched.
const char* to_string(CommentStatus s);
const char* to_string(ThreadStatus s);
const char* to_string(SortOrder s);
bool parse_comment_status(std::string_view s, CommentStatus& out);
bool parse_thread_status(std::string_view s, ThreadStatus& out);
bool parse_sort_order(std::string_view s, SortOrder& out);

struct Author {
  std::string name;
  std::optional<std::string> url;
  std::string avatar_seed;  // lower-case hex, salted hash of the e-mail; "" when deleted
  // A picture the site gives for the author (WordPress's author_avatar_urls, http(s)
  // only); "" when none: the widget then draws its avatar from avatar_seed.
  std::string avatar_url;
  bool operator==(const Author&) const = default;
};

struct Comment {
  CommentId id = 0;
  std::optional<CommentId> parent_id;
  Author author;
  std::string body;  // Markdown-lite source text (HTML from WordPress: BodyFormat)
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> edited_at;
  CommentStatus status = CommentStatus::published;
  std::string thread;  // only in moderation listings ("" elsewhere)
  bool operator==(const Comment&) const = default;
};

struct ThreadInfo {
  std::string key;
  std::string title;
  std::string url;
  int64_t comment_count = 0;
  ThreadStatus status = ThreadStatus::open;
  bool operator==(const ThreadInfo&) const = default;
};

// One answer of GET /threads/{thread}/comments.
struct CommentPage {
  ThreadInfo thread;
  std::vector<Comment> comments;
  std::optional<std::string> next_cursor;  // nullopt on the last page
  bool operator==(const CommentPage&) const = default;
};

// One answer of GET /moderation/pending (comments carry their `thread`).
struct ModerationPage {
  std::vector<Comment> comments;
  std::optional<std::string> next_cursor;
  bool operator==(const ModerationPage&) const = default;
};

// What the widget sends to POST /threads/{thread}/comments.
struct NewAuthor {
  std::string name;
  std::string email;
  std::optional<std::string> url;
  bool operator==(const NewAuthor&) const = default;
};

struct NewComment {
  std::optional<CommentId> parent_id;
  NewAuthor author;
  std::string body;
  std::optional<std::string> title;  // article title, kept when the thread is created
  std::optional<std::string> url;    // article URL, idem
  std::string website;               // honeypot: must stay empty
  bool operator==(const NewComment&) const = default;
};

// PATCH /comments/{id}.
struct CommentEdit {
  std::string body;
  bool operator==(const CommentEdit&) const = default;
};

// 201/202 answer of a post: the stored comment and the one-time edit token.
struct PostedComment {
  Comment comment;
  std::string edit_token;
  UnixSeconds edit_expires_at = 0;
  bool operator==(const PostedComment&) const = default;
};

// One {field, code} of a validation_failed error.
struct FieldError {
  std::string field;
  std::string code;
  bool operator==(const FieldError&) const = default;
};

// The one error shape: {"error": {"code", "message", "field", "details"?, "retry_after"?}}.
struct ApiError {
  std::string code;
  std::string message;
  std::optional<std::string> field;
  std::vector<FieldError> details;     // validation_failed only
  std::optional<int64_t> retry_after;  // rate_limited / unavailable only
  bool operator==(const ApiError&) const = default;
};

// GET /counts: thread key -> published count (a JSON object: order not significant).
struct ThreadCount {
  std::string thread;
  int64_t count = 0;
  bool operator==(const ThreadCount&) const = default;
};

}  // namespace causerie
