#pragma once
// The storage interface of causerie-server. The routes talk only to this class;
// SQLite implements it now (sqlite_storage.h), PostgreSQL later. Everything that
// several server processes must agree on lives behind it: comments, threads,
// moderation state, edit-token hashes, duplicate detection and rate-limit counters.
//
// Rules that must hold atomically (a thread created with its first comment, the
// duplicate check, "first comment waits" moderation, closed threads) are decided
// inside insert_comment() so that each implementation can run them in one
// transaction. Times are milliseconds since the Unix epoch, UTC.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace causerie::server {

using causerie::CommentStatus;
using causerie::SortOrder;

// The names statuses have in storage (kept apart from the wire names on purpose:
// the database format must not change when the API grows).
const char* status_name(CommentStatus s);
bool parse_status(const std::string& s, CommentStatus& out);

enum class DbResult { ok, not_found, error };

struct ThreadRow {
  int64_t id = 0;
  std::string key;
  std::string title;
  std::string url;
  bool closed = false;
  int64_t comment_count = 0;  // published comments only
  int64_t version = 0;        // bumped by every change in the thread (ETag, caches)
  int64_t created_at = 0;
};

struct CommentRow {
  int64_t id = 0;
  int64_t thread_id = 0;
  std::string thread_key;
  int64_t parent_id = 0;  // 0 = top level
  std::string author_name;
  std::string author_email;  // stored for the site owner, never returned by the API
  std::string author_url;
  std::string avatar_seed;  // salted hash of the e-mail (or name)
  std::string body;
  CommentStatus status = CommentStatus::published;
  int64_t created_at = 0;
  int64_t edited_at = 0;  // 0 = never edited
};

// Keyset pagination: the position of the last comment of the previous page.
struct PageCursor {
  int64_t created_at = 0;
  int64_t id = 0;
};

struct PageQuery {
  std::string thread_key;
  SortOrder sort = SortOrder::oldest;
  int limit = 50;
  std::optional<PageCursor> after;
  // Pending comments are listed only to their authors, who prove it with the
  // edit tokens they hold (hashed here).
  std::vector<std::string> own_token_hashes;
};

struct PageResult {
  std::vector<CommentRow> comments;
  std::optional<PageCursor> next;
};

struct InsertRequest {
  std::string thread_key;
  std::string thread_title;  // used when the thread is created by this comment
  std::string thread_url;
  bool may_create_thread = true;
  int64_t parent_id = 0;
  // A pending parent is acceptable only to its own author (these are their tokens, hashed).
  std::vector<std::string> own_token_hashes;
  std::string author_name, author_email, author_url, avatar_seed;
  std::string body;
  std::string edit_token_hash;
  int64_t now = 0;
  // Moderation: the status for an author who already has a published comment,
  // and for one who has none ("first" mode makes these differ).
  CommentStatus status_known_author = CommentStatus::published;
  CommentStatus status_new_author = CommentStatus::published;
  // Same thread, same author (avatar seed) and same body within this many ms: refused.
  int64_t duplicate_window_ms = 10 * 60 * 1000;
};

enum class InsertOutcome { ok, thread_not_found, thread_closed, parent_not_found, duplicate, error };

struct RateDecision {
  bool allowed = true;
  int64_t count = 0;
  int retry_after_seconds = 0;
};

// A change that readers of a thread see live (docs/api.md, "Live updates"): a new
// published comment, or a comment approved, edited, deleted or marked as spam.
enum class EventKind { comment, update };

struct EventRow {
  // The thread's version right after the change: increasing within a thread, in
  // commit order (every change of a thread locks its row), with gaps.
  int64_t id = 0;
  EventKind kind = EventKind::comment;
  int64_t comment_id = 0;
  int64_t created_at = 0;
};

// Told that a thread has new events, after their commit, by whichever process made
// them; "" means any thread may have (a listener reconnected and may have missed some).
using EventListener = std::function<void(const std::string& thread_key)>;

class Storage {
public:
  virtual ~Storage() = default;

  virtual DbResult find_thread(const std::string& key, ThreadRow& out) = 0;
  // Creates the thread if missing, else updates title/url when given; closed state is kept.
  virtual DbResult upsert_thread(const std::string& key, const std::string& title,
                                 const std::string& url, int64_t now, ThreadRow& out) = 0;
  virtual DbResult set_thread_closed(const std::string& key, bool closed) = 0;
  virtual DbResult list_threads(std::vector<ThreadRow>& out) = 0;

  // One page of a thread: published comments, deleted ones (the routes blank their
  // body, so replies keep their place) and the caller's own pending ones.
  virtual DbResult list_comments(const PageQuery& q, ThreadRow& thread, PageResult& out) = 0;
  virtual DbResult get_comment(int64_t id, CommentRow& out) = 0;
  virtual InsertOutcome insert_comment(const InsertRequest& r, CommentRow& out) = 0;
  virtual DbResult update_body(int64_t id, const std::string& body, int64_t now) = 0;
  virtual DbResult soft_delete(int64_t id, int64_t now) = 0;
  virtual DbResult set_status(int64_t id, CommentStatus status) = 0;
  // The edit-token hash of a comment (empty when it has none, e.g. seeded ones).
  virtual DbResult edit_token_hash(int64_t id, std::string& out) = 0;

  // Published counts for many thread keys at once; unknown keys count 0.
  virtual DbResult count_comments(const std::vector<std::string>& keys, std::vector<int64_t>& out) = 0;
  // Pending comments of every thread, oldest first, after the cursor if any.
  virtual DbResult list_pending(int limit, const std::optional<PageCursor>& after,
                                std::vector<CommentRow>& out) = 0;

  // Fixed-window counter shared by every process using the same database.
  virtual RateDecision rate_limit_hit(const std::string& bucket, int64_t limit,
                                      int window_seconds, int64_t now) = 0;
  // Drops counters whose window ended before `before` (IPs are kept no longer than needed).
  virtual void expire_rate_limits(int64_t before) = 0;

  // The events of a thread after `after_id`, oldest first, at most `limit`.
  // `pruned` is set when events after `after_id` have already been dropped from the
  // log: that reader cannot catch up and must reload the thread.
  virtual DbResult list_events(const std::string& thread_key, int64_t after_id, int limit,
                               std::vector<EventRow>& out, bool& pruned) = 0;
  // Drops events created before `before` (ms), remembering per thread how far it went.
  virtual void prune_events(int64_t before) = 0;
  // Set once, before serving. SQLite calls it from the writing thread; PostgreSQL from
  // a thread that LISTENs, so it hears the other processes too.
  virtual void set_event_listener(EventListener listener) = 0;

  // A per-install secret (avatar seeds, IP hashes), created on first use.
  virtual DbResult install_salt(std::string& out) = 0;
  virtual DbResult is_empty(bool& out) = 0;
};

}  // namespace causerie::server
