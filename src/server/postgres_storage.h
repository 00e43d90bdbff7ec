#pragma once
// PostgreSQL implementation of the storage interface (libpq), for several
// causerie-server processes sharing one database (docs/deploying.md).
//
// Everything the processes must agree on lives in the database: comments, threads,
// moderation state, edit-token hashes, duplicate detection, rate-limit counters
// (an UNLOGGED table: losing counters in a crash is harmless) and the live-events
// log. Every change to a thread first locks the thread's row (SELECT ... FOR
// UPDATE, or the UPDATE that bumps its version), so the comment rules' checks
// (closed thread, duplicates, the parent) and the thread's version, which doubles
// as the event id, are decided one writer at a time per thread, in commit order,
// whatever process the writers are in. Counters are one atomic
// INSERT ... ON CONFLICT DO UPDATE ... RETURNING. Migrations run under an advisory
// lock, so processes starting together apply each one once.
//
// Live events: each change that readers see is logged in thread_events and
// announced with pg_notify('causerie_events', thread key) in the same transaction,
// delivered at commit; a background thread LISTENs on a connection of its own and
// tells the event listener (the SSE hub), which reads the log.
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/storage.h"

namespace causerie::server {

class PostgresStorage final : public Storage {
public:
  // `conninfo` is a libpq connection string or URI (postgresql://user@host:port/db).
  // Connects and migrates; on failure returns nullptr with the reason in `error`.
  // sync_full=false sets synchronous_commit=off (a crash of the database server
  // may lose the last commits; never corrupts).
  static std::unique_ptr<PostgresStorage> open(const std::string& conninfo, bool sync_full, std::string& error);
  ~PostgresStorage() override;

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
  bool writes_available(int64_t max_age_ms) override;

  struct Connection;

private:
  PostgresStorage(std::string conninfo, bool sync_full);
  Connection* open_connection(std::string& error);
  bool configure_session(Connection& c);
  Connection* acquire();
  void release(Connection* c);
  bool migrate(Connection& c, std::string& error);
  void listen_loop();
  friend class PgPooled;

  std::string conninfo_;
  bool sync_full_ = true;
  std::mutex pool_mutex_;
  // A thread waiting for a connection (acquire); release() hands one to the first.
  struct PoolWaiter {
    Connection* handed = nullptr;
    bool open_own = false;  // no connection to hand, but room to open one
    std::condition_variable ready;
  };
  std::deque<PoolWaiter*> waiters_;
  std::vector<Connection*> idle_;
  std::vector<std::unique_ptr<Connection>> all_;
  size_t opened_ = 0;  // connections open or being opened, at most max_connections_
  size_t max_connections_ = 16;

  EventListener listener_;
  std::thread listen_thread_;
  std::atomic<bool> stopping_{false};
  int wake_fd_ = -1;  // eventfd: wakes the LISTEN thread to stop
  std::mutex listen_mutex_;
  std::condition_variable listen_cv_;
  bool listening_ = false;

  // When a statement last gave up waiting for a lock or its time (0: a commit has
  // succeeded since): writes_available answers from it for a while.
  std::mutex outcome_mutex_;
  int64_t gave_up_at_ms_ = 0;
};

}  // namespace causerie::server
