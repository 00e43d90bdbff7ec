#pragma once
// SQLite implementation of the storage interface.
//
// Durability: WAL journal with synchronous=FULL by default, so a commit is fsync'ed
// before the route answers 201/202; it survives kill -9 and power loss alike. With
// sync_full=false (synchronous=NORMAL), a commit is written to the WAL file before
// the answer, with no fsync: a killed or crashed server process still loses nothing
// (the bytes are in the kernel), a power loss may lose the last commits, never
// corrupting the file. Housekeeping writes (pruning old events) acknowledge nothing
// and are committed at NORMAL (synchronous_level: the one place this is decided;
// never OFF, whose checkpoints would not fsync what was acknowledged before).
// Rate-limit counters live in memory.
//
// Concurrency: cpp-httplib runs handlers on a thread pool. Reads take a connection
// from a small mutex-guarded pool, each with its own prepared-statement cache.
//
// Writes (group commit): every change, whether comments, threads, settings or
// pruned events, is a job handed to one writer thread, which owns the only
// connection of the process that writes. It takes every job waiting, runs them in
// one BEGIN IMMEDIATE transaction, each inside a savepoint of its own (a refused or
// failed job undoes only its own changes; one whose error undoes the whole
// transaction, such as a full disk, fails alone and the others run again), and
// commits once: under FULL that is one
// fsync for the whole batch instead of one per comment. A caller returns only after
// the commit of its batch, so a 201 means what it meant before: with FULL the
// comment is fsync'ed, with NORMAL it is in the WAL file. Jobs run in the order they
// arrived; within a batch a later job sees the earlier ones (duplicates, versions).
// One writer connection also keeps its page cache warm: in WAL mode a connection
// drops its whole cache whenever another connection has written, so several
// writing connections taking turns re-read their pages on every write. Hashing
// (body hashes) happens before a job is queued. The busy timeout only matters
// against other processes, and applies at BEGIN, never mid-transaction.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/storage.h"

struct sqlite3;
struct sqlite3_stmt;

namespace causerie::server {

class SqliteStorage final : public Storage {
public:
  // Opens (creating the file and its folder if needed) and migrates the schema.
  // On failure returns nullptr and puts the reason in `error`.
  static std::unique_ptr<SqliteStorage> open(const std::string& path, bool sync_full, std::string& error);
  ~SqliteStorage() override;

  // Schema version after migrations (for tests and logs).
  int schema_version();

  DbResult find_thread(const std::string& key, ThreadRow& out) override;
  DbResult upsert_thread(const std::string& key, const std::string& title, const std::string& url, int64_t now,
                         ThreadRow& out) override;
  DbResult set_thread_closed(const std::string& key, bool closed) override;
  DbResult list_threads(std::vector<ThreadRow>& out) override;
  DbResult list_comments(const PageQuery& q, ThreadRow& thread, PageResult& out) override;
  DbResult get_comment(int64_t id, CommentRow& out) override;
  bool write_comments(const std::function<bool(CommentWriter&)>& work) override;
  DbResult edit_token_hash(int64_t id, std::string& out) override;
  DbResult list_by_email(const std::string& email, std::vector<CommentRow>& out) override;
  DbResult for_each_comment(const std::function<void(const StoredComment&)>& each, int batch) override;
  DbResult list_origins(const std::string& origin,
                        const std::function<void(const std::string& origin_id, int64_t comment_id)>& each) override;
  DbResult find_imported(const std::string& thread_key, const std::string& origin_id, int64_t& comment_id) override;
  DbResult count_comments(const std::vector<std::string>& keys, std::vector<int64_t>& out) override;
  DbResult list_latest_published(int limit, std::vector<CommentRow>& out) override;
  DbResult list_pending(int limit, const std::optional<PageCursor>& after, std::vector<CommentRow>& out) override;
  bool count_hit(const std::string& bucket, int64_t window_start, int64_t& count) override;
  bool count_of(const std::string& bucket, int64_t window_start, int64_t& count) override;
  void expire_rate_limits(int64_t before) override;
  bool writes_available(int64_t max_age_ms) override;
  DbResult list_events(const std::string& thread_key, int64_t after_id, int limit, std::vector<EventRow>& out,
                       bool& pruned) override;
  void prune_events(int64_t before) override;
  void set_event_listener(EventListener listener) override;
  DbResult install_salt(std::string& out) override;
  DbResult set_install_salt(const std::string& salt) override;
  DbResult claim_link(const std::string& link_hash, int64_t expires_at, int64_t now) override;
  DbResult enqueue(const OutboxRow& row) override;
  DbResult lease_due(int64_t now, int64_t lease_until, int limit, std::vector<OutboxRow>& out) override;
  DbResult record_attempt(int64_t id, bool delivered, bool counted, const std::string& error, int64_t now,
                          int64_t next_attempt_at) override;
  DbResult list_outbox(const std::string& channel, int limit, int64_t before, std::vector<OutboxRow>& out) override;
  void prune_outbox(int64_t before) override;
  DbResult is_empty(bool& out) override;

  struct Connection;
  // Group commit figures since start (for logs and tests): jobs and batches committed.
  struct WriteStats {
    int64_t jobs = 0;
    int64_t batches = 0;
    int64_t largest_batch = 0;
    // Batches committed with each PRAGMA synchronous in force, as SQLite reported
    // it inside the batch: OFF, NORMAL, FULL, EXTRA.
    int64_t batches_at_level[4] = {};
  };
  WriteStats write_stats();

private:
  struct WriteJob;
  SqliteStorage(std::string path, bool sync_full);
  Connection* open_connection(std::string& error);
  Connection* acquire();
  void release(Connection* c);
  bool migrate(Connection& c, std::string& error);
  friend class PooledConnection;
  // Runs `job` on the writer connection, in the next batch; returns once that batch
  // is committed (true) or rolled back (false). `job` returns false to undo its own
  // changes (a refusal or a failed statement) without failing the batch; it may run
  // more than once (when another job undid the whole batch), so it sets every result
  // it reports on each run. `kind` decides its batch's durability.
  enum class WriteKind {
    record,        // what an answer acknowledges: at the --sync level
    housekeeping,  // acknowledges nothing: no fsync of its own (NORMAL)
  };
  bool write(WriteKind kind, const std::function<bool(Connection&)>& job);
  void writer_loop();
  // Runs a batch in one transaction. When one job's failure undid the whole
  // transaction, that job fails alone and the others are put in `again`.
  void run_batch(std::vector<WriteJob*>& batch, std::vector<WriteJob*>& again);
  static constexpr int kSynchronousNormal = 1, kSynchronousFull = 2;  // SQLite's numbers
  int synchronous_level(WriteKind kind) const;
  bool set_synchronous(int level);
  int synchronous_in_force();
  // What a batch (or a probe) found: SQLITE_OK, or an error code; only the codes
  // that say the file refuses writes change the recorded state.
  void record_write_outcome(int code);
  void notify(const std::string& thread_key);

  std::string path_;
  bool sync_full_ = true;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> idle_;
  std::vector<std::unique_ptr<Connection>> all_;
  size_t opened_ = 0;  // readers opened (or being opened), at most max_connections_
  size_t max_connections_ = 16;

  // The writer: its connection (touched by the writer thread only, once started),
  // the queue of jobs waiting for the next batch, and the figures.
  std::unique_ptr<Connection> writer_;
  int writer_sync_ = -1;  // the synchronous level set on writer_ (SQLite's numbers)
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<WriteJob*> queue_;
  bool stopping_ = false;
  WriteStats stats_;
  std::thread writer_thread_;
  EventListener listener_;

  // Whether the last batch could write, and when (writes_available).
  std::mutex outcome_mutex_;
  bool writable_ = true;
  int64_t outcome_at_ms_ = 0;

  // Rate-limit counters (count_hit): bucket -> its current window and count.
  struct Counter {
    int64_t window_start = 0;
    int64_t count = 0;
  };
  static constexpr size_t kMaxCounters = 1 << 20;  // ~100 MB at most, whatever the addresses
  std::mutex counters_mutex_;
  std::unordered_map<std::string, Counter> counters_;
};

}  // namespace causerie::server
