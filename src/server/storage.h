#pragma once
// The storage interface of causerie-server, implemented by SQLite
// (sqlite_storage.h) and PostgreSQL (postgres_storage.h). Everything that
// several server processes must agree on lives behind it: comments, threads,
// moderation state, edit-token hashes, duplicate detection and rate-limit counters.
//
// It stores and queries; it decides nothing. What a comment may do (closed threads,
// parents, duplicates, moderation, which changes readers see live) is decided once,
// in comment_rules.h, inside one write transaction of the storage (write_comments,
// CommentWriter), so the checks and the change are atomic in every backend. Times
// are milliseconds since the Unix epoch, UTC.
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

// A migration of both backends that is no SQL: text stored before it was made NFC
// on input (nfc.h) is made NFC, row by row, through utf8proc.
inline constexpr const char* kMigrateTextToNfc = "-- stored text to NFC";

// What duplicate detection compares (stored with every comment).
std::string body_hash(const std::string& body);

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

// A change that readers of a thread see live (docs/api.md, "Live updates"): a new
// published comment, or a comment approved, edited, deleted or marked as spam.
enum class EventKind { comment, update };
// Their names in storage.
const char* event_kind_name(EventKind k);
EventKind parse_event_kind(const std::string& s);

struct EventRow {
  // The thread's version right after the change: increasing within a thread, in
  // commit order (every change of a thread locks its row), with gaps.
  int64_t id = 0;
  EventKind kind = EventKind::comment;
  int64_t comment_id = 0;
  int64_t created_at = 0;
};

// A comment as the rules see it before changing it or answering it.
struct CommentState {
  int64_t thread_id = 0;
  CommentStatus status = CommentStatus::published;
  std::string edit_token_hash;  // empty when it has none
};

// The storage's side of one write transaction, for the comment rules: narrow
// questions and plain writes. Every change to a thread's comments first locks the
// thread's row (find_thread, lock_comment), so that the rules' checks and the change
// happen one writer at a time per thread, whatever process the writers are in.
class CommentWriter {
public:
  // The thread, its row locked until the end of the transaction.
  virtual DbResult find_thread(const std::string& key, ThreadRow& out) = 0;
  // Creates it (or, when another writer just did, finds it), locked.
  virtual DbResult create_thread(const std::string& key, const std::string& title, const std::string& url, int64_t now,
                                 ThreadRow& out) = 0;
  // Another comment of the thread being written (a parent): read, not locked.
  virtual DbResult find_comment(int64_t id, CommentState& out) = 0;
  // A comment about to change: its thread's row is locked first (every writer's lock order).
  virtual DbResult lock_comment(int64_t id, CommentState& out) = 0;
  // A comment of the thread by this author (avatar seed) with this body hash, since
  // `since`, not deleted.
  virtual DbResult has_duplicate(int64_t thread_id, const std::string& avatar_seed, const std::string& body_hash,
                                 int64_t since, bool& out) = 0;
  // Whether this author (avatar seed) has a published comment anywhere.
  virtual DbResult has_published(const std::string& avatar_seed, bool& out) = 0;
  // Writes `row` and sets `id`: row.id when non-zero (a Causerie export imported
  // into an empty database keeps its ids), else a new one; edited_at 0 is never.
  virtual DbResult insert_comment(const CommentRow& row, const std::string& edit_token_hash,
                                  const std::string& body_hash, int64_t& id) = 0;
  virtual DbResult update_body(int64_t id, const std::string& body, const std::string& body_hash, int64_t now) = 0;
  // Keeps the row (replies keep their parent) and drops what the author wrote.
  virtual DbResult erase_comment(int64_t id, int64_t now) = 0;
  virtual DbResult set_status(int64_t id, CommentStatus status) = 0;
  // Bumps the thread's version (ETags, caches, event ids) and moves its published
  // count by `delta`; with an event, logs it under the new version and tells the
  // thread's live readers after the commit.
  virtual DbResult touch_thread(int64_t thread_id, int delta, std::optional<EventKind> event, int64_t comment_id,
                                int64_t now) = 0;
  // Drops everything that identifies the author (name, e-mail, website, avatar seed,
  // edit token) and the text: a reader's right to erasure. The row stays for replies.
  virtual DbResult purge_author(int64_t id) = 0;
  // An imported comment remembers where it came from (its origin and the source's
  // id), so that importing the same file again adds nothing.
  virtual DbResult remember_origin(const std::string& origin, const std::string& origin_id, int64_t comment_id) = 0;

protected:
  ~CommentWriter() = default;
};

// One message of the outbox (outbox.h): an e-mail or a webhook call, kept until
// delivered and then as the delivery log.
struct OutboxRow {
  int64_t id = 0;
  std::string channel;    // "mail" or "webhook"
  std::string recipient;  // an e-mail address, or the webhook's URL
  std::string subject;    // e-mails only
  std::string body;       // the e-mail's text, or the webhook's JSON
  int64_t created_at = 0;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  int64_t delivered_at = 0;  // 0: not yet
  std::string last_error;    // the last failed attempt's reason
};

// A comment with what the API never shows, for `causerie-server export`.
struct StoredComment {
  CommentRow row;
  std::string edit_token_hash;
  std::string origin, origin_id;  // empty unless imported
};

// Told that a thread has new events, after their commit, by whichever process made
// them; "" means any thread may have (a listener reconnected and may have missed some).
using EventListener = std::function<void(const std::string& thread_key)>;

class Storage {
public:
  virtual ~Storage() = default;

  virtual DbResult find_thread(const std::string& key, ThreadRow& out) = 0;
  // Creates the thread if missing, else updates title/url when given; closed state is kept.
  virtual DbResult upsert_thread(const std::string& key, const std::string& title, const std::string& url, int64_t now,
                                 ThreadRow& out) = 0;
  virtual DbResult set_thread_closed(const std::string& key, bool closed) = 0;
  virtual DbResult list_threads(std::vector<ThreadRow>& out) = 0;

  // One page of a thread: published comments, deleted ones (the routes blank their
  // body, so replies keep their place) and the caller's own pending ones.
  virtual DbResult list_comments(const PageQuery& q, ThreadRow& thread, PageResult& out) = 0;
  virtual DbResult get_comment(int64_t id, CommentRow& out) = 0;
  // Runs `work` in one write transaction, its changes kept when it returns true and
  // undone when it returns false (a refusal or a failed step). It may run more than
  // once (SQLite's group commit), so it sets every result it reports on each run.
  // False: the storage failed and nothing of it was kept.
  virtual bool write_comments(const std::function<bool(CommentWriter&)>& work) = 0;
  // The edit-token hash of a comment (empty when it has none, e.g. seeded ones).
  virtual DbResult edit_token_hash(int64_t id, std::string& out) = 0;
  // Every comment made with this e-mail address (any letter case), oldest first.
  virtual DbResult list_by_email(const std::string& email, std::vector<CommentRow>& out) = 0;
  // Every comment of every thread, in id order, `batch` rows per query.
  virtual DbResult for_each_comment(const std::function<void(const StoredComment&)>& each, int batch = 5000) = 0;
  // Every comment imported from `origin` so far: the source's id and the comment's.
  virtual DbResult list_origins(const std::string& origin,
                                const std::function<void(const std::string& origin_id, int64_t comment_id)>& each) = 0;
  // The comment of thread `thread_key` imported with the source's id `origin_id`,
  // whatever the origin (the lowest id if two sources share it): an old site's
  // #comment-123. not_found when there is none.
  virtual DbResult find_imported(const std::string& thread_key, const std::string& origin_id, int64_t& comment_id) = 0;

  // Published counts for many thread keys at once; unknown keys count 0.
  virtual DbResult count_comments(const std::vector<std::string>& keys, std::vector<int64_t>& out) = 0;
  // The newest published comments of every thread, newest first (the site's feed).
  virtual DbResult list_latest_published(int limit, std::vector<CommentRow>& out) = 0;
  // Pending comments of every thread, oldest first, after the cursor if any.
  virtual DbResult list_pending(int limit, const std::optional<PageCursor>& after, std::vector<CommentRow>& out) = 0;

  // Counts one hit of a rate-limit bucket in the window starting at `window_start`
  // (seconds), shared by every process using the same database (SQLite has one
  // process, which keeps them in memory), and sets that window's count; false when
  // it cannot be counted (rate_limits.h lets it through). Never waits for a write.
  virtual bool count_hit(const std::string& bucket, int64_t window_start, int64_t& count) = 0;
  // That window's count without counting a hit (0 when none).
  virtual bool count_of(const std::string& bucket, int64_t window_start, int64_t& count) = 0;
  // Drops counters whose window started before `before` (seconds).
  virtual void expire_rate_limits(int64_t before) = 0;

  // The events of a thread after `after_id`, oldest first, at most `limit`.
  // `pruned` is set when events after `after_id` have already been dropped from the
  // log: that reader cannot catch up and must reload the thread.
  virtual DbResult list_events(const std::string& thread_key, int64_t after_id, int limit, std::vector<EventRow>& out,
                               bool& pruned) = 0;
  // Drops events created before `before` (ms), remembering per thread how far it went.
  virtual void prune_events(int64_t before) = 0;
  // Set once, before serving. SQLite calls it from the writing thread; PostgreSQL from
  // a thread that LISTENs, so it hears the other processes too.
  virtual void set_event_listener(EventListener listener) = 0;

  // Marks a signed link (a reader's own-data link, by the hash of its signature)
  // as used: ok the first time, not_found every later time, across processes and
  // restarts. `expires_at` (ms): the row may be dropped after it, when the link is
  // refused for its date anyway; expired rows are dropped here.
  virtual DbResult claim_link(const std::string& link_hash, int64_t expires_at, int64_t now) = 0;

  // The outbox: `row` is added, due at once (row.next_attempt_at = row.created_at).
  virtual DbResult enqueue(const OutboxRow& row) = 0;
  // Takes up to `limit` undelivered messages due at `now` that no sender holds, and
  // holds them until `lease_until` (another process's sender skips them; one that
  // died releases them when the lease ends).
  virtual DbResult lease_due(int64_t now, int64_t lease_until, int limit, std::vector<OutboxRow>& out) = 0;
  // What became of a leased message: delivered (at `now`), or failed with `error`
  // and due again at `next_attempt_at`; `counted`: whether it was an attempt (a
  // message held back by a rate limit was not). Ends the lease.
  virtual DbResult record_attempt(int64_t id, bool delivered, bool counted, const std::string& error, int64_t now,
                                  int64_t next_attempt_at) = 0;
  // The messages of a channel, newest first, at most `limit`, before id `before` (0: the newest).
  virtual DbResult list_outbox(const std::string& channel, int limit, int64_t before, std::vector<OutboxRow>& out) = 0;
  // Drops messages delivered before `before` (ms).
  virtual void prune_outbox(int64_t before) = 0;

  // A per-install secret (avatar seeds, IP hashes), created on first use.
  virtual DbResult install_salt(std::string& out) = 0;
  // Replaces it: a Causerie export imported into an empty database keeps its salt.
  virtual DbResult set_install_salt(const std::string& salt) = 0;
  virtual DbResult is_empty(bool& out) = 0;

  // Whether the database takes writes now: false while it refuses them (locked by
  // another process, disk full, read-only), when reads may still work. Answers
  // from the outcome of the writes made in the last `max_age_ms`, else probes.
  virtual bool writes_available(int64_t max_age_ms) = 0;
};

}  // namespace causerie::server
