#pragma once
// SQLite implementation of the storage interface.
//
// Durability: WAL journal with synchronous=FULL by default, so a commit is fsync'ed
// before the route answers 201/202; it survives kill -9 and power loss alike. With
// sync_full=false (synchronous=NORMAL), a commit is written to the WAL file before
// the answer, with no fsync: a killed or crashed server process still loses nothing
// (the bytes are in the kernel), a power loss may lose the last commits, never
// corrupting the file. One fsync per comment bounds FULL to the disk's fsync rate. Counters
// for rate limiting go through their own connection with synchronous=OFF: losing
// the last second of counters in a crash is harmless, and it keeps an fsync off
// every read request.
//
// Concurrency: cpp-httplib runs handlers on a thread pool, so connections come
// from a small mutex-guarded pool, each with its own prepared-statement cache.
// Writers take one in-process mutex, then BEGIN IMMEDIATE: SQLite allows one
// writer at a time anyway, and waiting on a mutex is fair and immediate where
// SQLite's busy handler sleeps and retries. The busy timeout then only matters
// against other processes, and applies at BEGIN, never mid-transaction.
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>
#include <atomic>

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
  DbResult upsert_thread(const std::string& key, const std::string& title,
                         const std::string& url, int64_t now, ThreadRow& out) override;
  DbResult set_thread_closed(const std::string& key, bool closed) override;
  DbResult list_threads(std::vector<ThreadRow>& out) override;
  DbResult list_comments(const PageQuery& q, ThreadRow& thread, PageResult& out) override;
  DbResult get_comment(int64_t id, CommentRow& out) override;
  InsertOutcome insert_comment(const InsertRequest& r, CommentRow& out) override;
  DbResult update_body(int64_t id, const std::string& body, int64_t now) override;
  DbResult soft_delete(int64_t id, int64_t now) override;
  DbResult set_status(int64_t id, CommentStatus status) override;
  DbResult edit_token_hash(int64_t id, std::string& out) override;
  DbResult count_comments(const std::vector<std::string>& keys, std::vector<int64_t>& out) override;
  DbResult list_pending(int limit, const std::optional<PageCursor>& after,
                        std::vector<CommentRow>& out) override;
  RateDecision rate_limit_hit(const std::string& bucket, int64_t limit, int window_seconds,
                              int64_t now) override;
  void expire_rate_limits(int64_t before) override;
  DbResult list_events(const std::string& thread_key, int64_t after_id, int limit, std::vector<EventRow>& out,
                       bool& pruned) override;
  void prune_events(int64_t before) override;
  void set_event_listener(EventListener listener) override;
  DbResult install_salt(std::string& out) override;
  DbResult is_empty(bool& out) override;

  struct Connection;
  std::mutex& write_mutex() { return write_mutex_; }

private:
  SqliteStorage(std::string path, bool sync_full);
  Connection* open_connection(bool durable, std::string& error);
  Connection* acquire();
  void release(Connection* c);
  bool migrate(Connection& c, std::string& error);
  friend class PooledConnection;
  // Live readers in this process hear of a change right after its commit: with
  // SQLite, one process serves the whole site (docs/deploying.md).
  void notify(const std::string& thread_key);
  void notify_thread(Connection& c, int64_t thread_id);

  std::string path_;
  bool sync_full_ = true;
  std::mutex pool_mutex_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> idle_;
  std::vector<std::unique_ptr<Connection>> all_;
  size_t max_connections_ = 16;

  std::mutex write_mutex_;  // one writer at a time in this process (comments and counters)
  std::unique_ptr<Connection> counters_;
  std::atomic<int64_t> last_expiry_{0};
  EventListener listener_;
};

}  // namespace causerie::server
