#include "server/sqlite_storage.h"

#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>

#include "server/clock.h"
#include "server/crypto.h"
#include "server/nfc.h"
#include "server/storage_rows.h"

namespace causerie::server {

// Ordered list of schema migrations. Append only: an installed database records
// how many it has applied in schema_version and runs the rest at start-up.
static const char* const kMigrations[] = {
    // 1: threads, comments, settings, rate-limit counters.
    R"sql(
CREATE TABLE threads (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  closed INTEGER NOT NULL DEFAULT 0,
  comment_count INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE TABLE comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id INTEGER NOT NULL REFERENCES threads(id),
  parent_id INTEGER REFERENCES comments(id),
  author_name TEXT NOT NULL,
  author_email TEXT NOT NULL DEFAULT '',
  author_url TEXT NOT NULL DEFAULT '',
  avatar_seed TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('published', 'pending', 'spam', 'deleted')),
  created_at INTEGER NOT NULL,
  edited_at INTEGER,
  edit_token_hash TEXT
);
CREATE INDEX comments_by_thread ON comments(thread_id, created_at, id);
CREATE INDEX comments_by_author ON comments(avatar_seed, created_at);
CREATE INDEX comments_by_parent ON comments(parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX comments_pending ON comments(created_at) WHERE status = 'pending';
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE rate_limits (
  bucket TEXT NOT NULL,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (bucket, window_start)
) WITHOUT ROWID;
)sql",
    // 2: duplicate detection by a hash of the body (an index lookup, not a scan of
    // the author's recent comments), and a partial index for published counts.
    R"sql(
ALTER TABLE comments ADD COLUMN body_hash TEXT;
CREATE INDEX comments_duplicates ON comments(avatar_seed, body_hash) WHERE body_hash IS NOT NULL;
)sql",
    // 3: the live-updates log (Server-Sent Events replay with Last-Event-ID), kept
    // for a bounded time; threads remember how far it was pruned.
    R"sql(
CREATE TABLE thread_events (
  thread_id INTEGER NOT NULL REFERENCES threads(id),
  id INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('comment', 'update')),
  comment_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (thread_id, id)
) WITHOUT ROWID;
CREATE INDEX thread_events_by_time ON thread_events(created_at);
ALTER TABLE threads ADD COLUMN events_pruned_through INTEGER NOT NULL DEFAULT 0;
)sql",
    // 4: where imported comments came from (causerie-server import), so that a
    // second import of the same file adds nothing.
    R"sql(
CREATE TABLE comment_origins (
  origin TEXT NOT NULL,
  origin_id TEXT NOT NULL,
  comment_id INTEGER NOT NULL REFERENCES comments(id),
  PRIMARY KEY (origin, origin_id)
) WITHOUT ROWID;
)sql",
    // 5: rate-limit counters moved to the process's memory (count_hit).
    R"sql(
DROP TABLE rate_limits;
)sql",
    // 6: a reader's own-data links already used (single use), until they expire.
    R"sql(
CREATE TABLE used_links (
  link_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql",
    // 7: an old site's comment anchors (#comment-123) looked up by the source's id.
    R"sql(
CREATE INDEX comment_origins_by_source_id ON comment_origins(origin_id);
)sql",
    // 8: the outbox: e-mails and webhook calls waiting to go or gone (outbox.h).
    R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL CHECK (channel IN ('mail', 'webhook')),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  leased_until INTEGER NOT NULL DEFAULT 0,
  delivered_at INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at = 0;
CREATE INDEX outbox_by_channel ON outbox(channel, id);
)sql",
    // 9: names, websites, bodies, titles and URLs stored before NFC on input.
    kMigrateTextToNfc,
};

struct SqliteStorage::Connection {
  sqlite3* db = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> statements;

  ~Connection() {
    for (auto& entry : statements) sqlite3_finalize(entry.second);
    if (db) sqlite3_close_v2(db);
  }
  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = statements.find(sql);
    if (it != statements.end()) return it->second;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
      std::fprintf(stderr, "sqlite: cannot prepare: %s\n", sqlite3_errmsg(db));
      return nullptr;
    }
    statements.emplace(sql, s);
    return s;
  }
};

namespace {

using Connection = SqliteStorage::Connection;

constexpr int kLockWaitMs = 800;

// The errors that mean the file refuses writes for now (another process's lock,
// a full disk, a read-only or failing file), not that a statement was wrong.
bool is_unwritable(int code) {
  switch (code & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN: return true;
    default: return false;
  }
}

// A cached prepared statement, reset when it goes out of scope.
class Stmt {
public:
  Stmt(Connection& c, const std::string& sql) : s_(c.prepare(sql)) {}
  ~Stmt() {
    if (s_) {
      sqlite3_reset(s_);
      sqlite3_clear_bindings(s_);
    }
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return s_ != nullptr; }
  Stmt& bind(int i, int64_t v) {
    if (s_) sqlite3_bind_int64(s_, i, v);
    return *this;
  }
  Stmt& bind(int i, const std::string& v) {
    if (s_) sqlite3_bind_text(s_, i, v.data(), (int)v.size(), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind_null(int i) {
    if (s_) sqlite3_bind_null(s_, i);
    return *this;
  }
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return s_ ? sqlite3_step(s_) : SQLITE_ERROR; }
  bool run() { return step() == SQLITE_DONE; }
  int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }  // 0 for NULL
  bool flag(int col) const { return i64(col) != 0; }
  std::string text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
    return p ? std::string(p, (size_t)sqlite3_column_bytes(s_, col)) : std::string();
  }

private:
  sqlite3_stmt* s_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() succeeded (migrations,
// before the writer thread starts).
class WriteTransaction {
public:
  explicit WriteTransaction(Connection& c) : c_(c) { began_ = c_.exec("BEGIN IMMEDIATE"); }
  ~WriteTransaction() {
    if (began_ && !committed_) c_.exec("ROLLBACK");
  }
  bool began() const { return began_; }
  bool commit() {
    committed_ = c_.exec("COMMIT");
    return committed_;
  }

private:
  Connection& c_;
  bool began_ = false;
  bool committed_ = false;
};

void read_comment(const Stmt& s, CommentRow& c) { read_comment_columns(s, c); }
void read_thread(const Stmt& s, ThreadRow& t) { read_thread_columns(s, t); }

// Steps a statement that finds at most one row, which `read` takes.
template <class Read>
DbResult one_row(Stmt& s, Read read) {
  const int rc = s.step();
  if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? DbResult::not_found : DbResult::error;
  read(s);
  return DbResult::ok;
}

// Steps through every row, appending to `out` what `read` makes of each.
template <class T, class Read>
DbResult all_rows(Stmt& s, std::vector<T>& out, Read read) {
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    out.emplace_back();
    read(s, out.back());
  }
  return rc == SQLITE_DONE ? DbResult::ok : DbResult::error;
}

DbResult find_thread_on(Connection& c, const std::string& key, ThreadRow& out) {
  Stmt s(c, std::string("SELECT ") + kThreadColumns + " FROM threads WHERE key = ?1");
  s.bind(1, key);
  return one_row(s, [&](const Stmt& row) { read_thread(row, out); });
}

}  // namespace

// Hands a pooled connection back when the scope ends.
class PooledConnection {
public:
  explicit PooledConnection(SqliteStorage& st) : st_(st), c_(st.acquire()) {}
  ~PooledConnection() {
    if (c_) st_.release(c_);
  }
  explicit operator bool() const { return c_ != nullptr; }
  Connection& operator*() { return *c_; }

private:
  SqliteStorage& st_;
  Connection* c_;
};

std::unique_ptr<SqliteStorage> SqliteStorage::open(const std::string& path, bool sync_full, std::string& error) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) {
    error = "cannot create folder " + parent.string() + ": " + ec.message();
    return nullptr;
  }
  std::unique_ptr<SqliteStorage> st(new SqliteStorage(path, sync_full));
  // The writer's connection migrates the schema, then belongs to the writer thread.
  st->writer_.reset(st->open_connection(error));
  if (!st->writer_) return nullptr;
  if (!st->migrate(*st->writer_, error)) return nullptr;
  // One reader up front, so that a database that cannot be read fails at start.
  Connection* first = st->open_connection(error);
  if (!first) return nullptr;
  {
    std::lock_guard<std::mutex> lock(st->pool_mutex_);
    st->all_.emplace_back(first);
    st->idle_.push_back(first);
    st->opened_ = 1;
  }
  st->writer_thread_ = std::thread([s = st.get()] { s->writer_loop(); });
  return st;
}

SqliteStorage::SqliteStorage(std::string path, bool sync_full) : path_(std::move(path)), sync_full_(sync_full) {}

SqliteStorage::~SqliteStorage() {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    stopping_ = true;
  }
  queue_cv_.notify_one();
  if (writer_thread_.joinable()) writer_thread_.join();  // after the jobs still queued
}

SqliteStorage::Connection* SqliteStorage::open_connection(std::string& error) {
  auto c = std::make_unique<Connection>();
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path_.c_str(), &c->db, flags, nullptr) != SQLITE_OK) {
    error = "cannot open " + path_ + ": " + (c->db ? sqlite3_errmsg(c->db) : "out of memory");
    return nullptr;
  }
  // How long a statement waits for another process's lock: a batch that cannot
  // begin fails after this, and a write that arrived during such a batch waits
  // for it and then for its own, so a locked file answers within 2 s (503).
  // Readers (WAL) wait on nothing of ours; the same bound keeps one from hanging
  // on an exclusive lock.
  sqlite3_busy_timeout(c->db, kLockWaitMs);
  if (!c->exec("PRAGMA journal_mode = WAL") || !c->exec("PRAGMA foreign_keys = ON") ||
      !c->exec(sync_full_ ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")) {
    error = "cannot configure " + path_ + ": " + sqlite3_errmsg(c->db);
    return nullptr;
  }
  return c.release();
}

// A write waiting for (or running in) a batch; lives on the caller's stack.
struct SqliteStorage::WriteJob {
  const std::function<bool(Connection&)>* run = nullptr;
  WriteKind kind = WriteKind::record;
  bool committed = false;
  bool done = false;
  std::mutex mutex;
  std::condition_variable cv;
};

bool SqliteStorage::write(WriteKind kind, const std::function<bool(Connection&)>& job) {
  WriteJob w;
  w.run = &job;
  w.kind = kind;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (stopping_) return false;
    queue_.push_back(&w);
  }
  queue_cv_.notify_one();
  std::unique_lock<std::mutex> lock(w.mutex);
  w.cv.wait(lock, [&w] { return w.done; });
  return w.committed;
}

SqliteStorage::WriteStats SqliteStorage::write_stats() {
  std::lock_guard<std::mutex> lock(queue_mutex_);
  return stats_;
}

void SqliteStorage::writer_loop() {
  // Bounds a batch's time (and so the wait of its first caller) under a flood of jobs.
  constexpr size_t kMaxBatch = 256;
  std::vector<WriteJob*> batch, again;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(queue_mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to write
      batch.clear();
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    again.clear();
    run_batch(batch, again);
    int64_t committed = 0;
    for (WriteJob* w : batch) {
      if (std::find(again.begin(), again.end(), w) != again.end()) continue;
      committed += w->committed ? 1 : 0;
      std::lock_guard<std::mutex> lock(w->mutex);
      w->done = true;
      w->cv.notify_one();  // w may be gone once its mutex is released
    }
    std::lock_guard<std::mutex> lock(queue_mutex_);
    queue_.insert(queue_.begin(), again.begin(), again.end());  // first in the next batch, in order
    if (committed) {
      stats_.jobs += committed;
      stats_.batches += 1;
      stats_.largest_batch = std::max<int64_t>(stats_.largest_batch, committed);
    }
  }
}

// The one place durability is decided. What an answer acknowledges (a comment, a
// moderation change, a setting) is committed at the level --sync asks for: FULL
// fsyncs the WAL at each commit, NORMAL at checkpoints only. Housekeeping that
// acknowledges nothing (old events pruned, the probe of writes_available) needs no
// fsync of its own, but never goes below NORMAL: a checkpoint may run at the end
// of any batch, and at NORMAL it fsyncs the WAL and the database file before the
// WAL is reused, where at OFF it would not, and the comments acknowledged before
// could be lost with the power.
int SqliteStorage::synchronous_level(WriteKind kind) const {
  return kind == WriteKind::record && sync_full_ ? kSynchronousFull : kSynchronousNormal;
}

// SQLite refuses to change synchronous inside a transaction: set before BEGIN, and
// only when it changes.
bool SqliteStorage::set_synchronous(int level) {
  if (level == writer_sync_) return true;
  if (!writer_->exec(level == kSynchronousFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL"))
    return false;
  writer_sync_ = level;
  return true;
}

// What SQLite has in force on the writer connection (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
int SqliteStorage::synchronous_in_force() {
  Stmt s(*writer_, "PRAGMA synchronous");
  return s.step() == SQLITE_ROW ? (int)s.i64(0) : -1;
}

void SqliteStorage::run_batch(std::vector<WriteJob*>& batch, std::vector<WriteJob*>& again) {
  Connection& c = *writer_;
  int level = kSynchronousNormal;
  for (WriteJob* w : batch) level = std::max(level, synchronous_level(w->kind));
  if (!set_synchronous(level) || !c.exec("BEGIN IMMEDIATE")) {
    std::fprintf(stderr, "sqlite: cannot begin a write: %s\n", sqlite3_errmsg(c.db));
    record_write_outcome(sqlite3_extended_errcode(c.db));
    return;  // every job of the batch fails; nothing was written
  }
  size_t culprit = batch.size();
  for (size_t i = 0; i < batch.size(); ++i) {
    // A savepoint per job: a refused job, or one whose statement failed, is undone alone.
    bool ok = c.exec("SAVEPOINT job");
    if (ok) {
      bool keep = false;
      try {
        keep = (*batch[i]->run)(c);
      } catch (const std::exception& e) {  // out of memory: this job fails, the others go on
        std::fprintf(stderr, "sqlite: a write failed: %s\n", e.what());
      }
      // Some errors (I/O, a full disk, out of memory) roll the whole transaction back,
      // the jobs before this one with it.
      ok = !sqlite3_get_autocommit(c.db) && (keep || c.exec("ROLLBACK TO job")) && c.exec("RELEASE job");
    }
    if (!ok) {
      culprit = i;
      break;
    }
  }
  if (culprit == batch.size()) {
    const int in_force = synchronous_in_force();
    if (c.exec("COMMIT")) {
      record_write_outcome(SQLITE_OK);
      std::lock_guard<std::mutex> lock(queue_mutex_);
      if (in_force >= 0 && in_force < 4) stats_.batches_at_level[in_force] += 1;
      for (WriteJob* w : batch) w->committed = true;
      return;
    }
    std::fprintf(stderr, "sqlite: a batch of %zu writes failed to commit: %s\n", batch.size(), sqlite3_errmsg(c.db));
    record_write_outcome(sqlite3_extended_errcode(c.db));
    if (!sqlite3_get_autocommit(c.db)) c.exec("ROLLBACK");
    return;  // they all fail: none of them is to blame more than another
  }
  if (sqlite3_get_autocommit(c.db)) record_write_outcome(sqlite3_extended_errcode(c.db));
  // That job fails alone: the others, undone with it, run again in the next batch
  // (the jobs set all their results on each run).
  std::fprintf(stderr, "sqlite: a write failed and undid its batch of %zu, which runs again without it: %s\n",
               batch.size(), sqlite3_errmsg(c.db));
  if (!sqlite3_get_autocommit(c.db)) c.exec("ROLLBACK");
  for (size_t i = 0; i < batch.size(); ++i)
    if (i != culprit) again.push_back(batch[i]);
}

void SqliteStorage::record_write_outcome(int code) {
  if (code != SQLITE_OK && !is_unwritable(code)) return;  // one job's own failure says nothing of the file
  std::lock_guard<std::mutex> lock(outcome_mutex_);
  writable_ = code == SQLITE_OK;
  outcome_at_ms_ = now_ms();
}

bool SqliteStorage::writes_available(int64_t max_age_ms) {
  {
    std::lock_guard<std::mutex> lock(outcome_mutex_);
    if (outcome_at_ms_ && now_ms() - outcome_at_ms_ <= max_age_ms) return writable_;
  }
  // An empty write transaction: BEGIN IMMEDIATE takes the file's write lock, or
  // fails as a write would. It records its outcome like any batch.
  write(WriteKind::housekeeping, [](Connection&) { return true; });
  std::lock_guard<std::mutex> lock(outcome_mutex_);
  return writable_;
}

SqliteStorage::Connection* SqliteStorage::acquire() {
  std::unique_lock<std::mutex> lock(pool_mutex_);
  for (;;) {
    if (!idle_.empty()) {
      Connection* c = idle_.back();
      idle_.pop_back();
      return c;
    }
    if (opened_ < max_connections_) break;
    pool_cv_.wait(lock);
  }
  ++opened_;  // counted before opening, so that no other thread opens one too many
  lock.unlock();
  std::string error;
  Connection* c = open_connection(error);
  lock.lock();
  if (!c) {
    --opened_;
    std::fprintf(stderr, "sqlite: %s\n", error.c_str());
    pool_cv_.notify_one();
    return nullptr;
  }
  all_.emplace_back(c);
  return c;
}

void SqliteStorage::release(Connection* c) {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    idle_.push_back(c);
  }
  pool_cv_.notify_one();
}

namespace {

// The migration kMigrateTextToNfc, in the migration's transaction: a few hundred
// rows read at a time, the changed ones written back (a body with its duplicate hash).
bool stored_text_to_nfc(Connection& c) {
  constexpr int kRowsAtOnce = 500;
  struct Text {
    int64_t id = 0;
    std::string a, b, body;
    bool hashed = false;
  };
  auto each_batch = [&](const char* select, auto&& write) {
    for (int64_t after = 0;;) {
      std::vector<Text> rows;
      {
        Stmt s(c, select);
        s.bind(1, after).bind(2, (int64_t)kRowsAtOnce);
        while (s.step() == SQLITE_ROW)
          rows.push_back(Text{s.i64(0), s.text(1), s.text(2), s.text(3), s.flag(4)});
      }
      if (rows.empty()) return true;
      after = rows.back().id;
      for (Text& t : rows) {
        const bool a = make_nfc(t.a), b = make_nfc(t.b), body = make_nfc(t.body);
        if ((a || b || body) && !write(t)) return false;
      }
    }
  };
  return each_batch("SELECT id, author_name, author_url, body, body_hash IS NOT NULL FROM comments "
                    "WHERE id > ?1 ORDER BY id LIMIT ?2",
                    [&](const Text& t) {
                      Stmt u(c, "UPDATE comments SET author_name = ?1, author_url = ?2, body = ?3, body_hash = ?4 "
                                "WHERE id = ?5");
                      u.bind(1, t.a).bind(2, t.b).bind(3, t.body).bind(5, t.id);
                      if (t.hashed) u.bind(4, body_hash(t.body));
                      else u.bind_null(4);
                      return u.run();
                    }) &&
         each_batch("SELECT id, title, url, '', 0 FROM threads WHERE id > ?1 ORDER BY id LIMIT ?2",
                    [&](const Text& t) {
                      Stmt u(c, "UPDATE threads SET title = ?1, url = ?2 WHERE id = ?3");
                      u.bind(1, t.a).bind(2, t.b).bind(3, t.id);
                      return u.run();
                    });
}

}  // namespace

bool SqliteStorage::migrate(Connection& c, std::string& error) {
  if (!c.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")) {
    error = std::string("cannot create schema_version: ") + sqlite3_errmsg(c.db);
    return false;
  }
  const int total = (int)(sizeof(kMigrations) / sizeof(kMigrations[0]));
  for (;;) {
    // Re-read the version inside the write lock: two processes starting at once
    // must not apply the same migration twice.
    WriteTransaction tx(c);
    if (!tx.began()) {
      error = std::string("cannot lock the database: ") + sqlite3_errmsg(c.db);
      return false;
    }
    int64_t version = 0;
    {
      Stmt s(c, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
      if (s.step() != SQLITE_ROW) {
        error = "cannot read schema_version";
        return false;
      }
      version = s.i64(0);
    }
    if (version >= total) {
      if (version > total) {
        error =
            "database schema " + std::to_string(version) + " is newer than this server (" + std::to_string(total) + ")";
        return false;
      }
      return true;
    }
    if (kMigrations[version] == kMigrateTextToNfc ? !stored_text_to_nfc(c) : !c.exec(kMigrations[version])) {
      error = "migration " + std::to_string(version + 1) + " failed: " + sqlite3_errmsg(c.db);
      return false;
    }
    Stmt s(c, "INSERT INTO schema_version (version) VALUES (?1)");
    s.bind(1, version + 1);
    if (!s.run() || !tx.commit()) {
      error = std::string("cannot record migration: ") + sqlite3_errmsg(c.db);
      return false;
    }
  }
}

int SqliteStorage::schema_version() {
  PooledConnection c(*this);
  if (!c) return -1;
  Stmt s(*c, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  return s.step() == SQLITE_ROW ? (int)s.i64(0) : -1;
}

DbResult SqliteStorage::find_thread(const std::string& key, ThreadRow& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  return find_thread_on(*c, key, out);
}

DbResult SqliteStorage::upsert_thread(const std::string& key, const std::string& title, const std::string& url,
                                      int64_t now, ThreadRow& out) {
  DbResult result = DbResult::error;
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    result = DbResult::error;  // a job may run again (run_batch): every result is set anew
    Stmt s(c,
           "INSERT INTO threads (key, title, url, created_at) VALUES (?1, ?2, ?3, ?4) "
           "ON CONFLICT (key) DO UPDATE SET "
           "title = CASE WHEN ?2 = '' THEN title ELSE ?2 END, "
           "url = CASE WHEN ?3 = '' THEN url ELSE ?3 END, version = version + 1");
    s.bind(1, key).bind(2, title).bind(3, url).bind(4, now);
    if (!s.run()) return false;
    result = find_thread_on(c, key, out);
    return result == DbResult::ok;
  });
  return committed ? result : DbResult::error;
}

DbResult SqliteStorage::set_thread_closed(const std::string& key, bool closed) {
  DbResult result = DbResult::error;
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    result = DbResult::error;
    Stmt s(c, "UPDATE threads SET closed = ?1, version = version + 1 WHERE key = ?2");
    s.bind(1, closed ? 1 : 0).bind(2, key);
    if (!s.run()) return false;
    result = sqlite3_changes(c.db) ? DbResult::ok : DbResult::not_found;
    return true;
  });
  return committed ? result : DbResult::error;
}

DbResult SqliteStorage::list_threads(std::vector<ThreadRow>& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kThreadColumns + " FROM threads ORDER BY key");
  out.clear();
  return all_rows(s, out, read_thread);
}

DbResult SqliteStorage::list_comments(const PageQuery& q, ThreadRow& thread, PageResult& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  out = PageResult{};
  // One read transaction: the thread row and its comments are one snapshot.
  if (!(*c).exec("BEGIN")) return DbResult::error;
  struct EndRead {
    Connection& c;
    ~EndRead() { c.exec("COMMIT"); }
  } end_read{*c};

  const DbResult r = find_thread_on(*c, q.thread_key, thread);
  if (r != DbResult::ok) return r;

  const bool newest = q.sort == SortOrder::newest;
  std::string sql = std::string("SELECT ") + kCommentColumns +
                    " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.thread_id = ?1 AND "
                    "(c.status = 'published' OR (c.status = 'deleted' AND EXISTS (SELECT 1 FROM "
                    "comments r WHERE r.parent_id = c.id AND r.status IN ('published', 'deleted')))";
  const size_t tokens = std::min<size_t>(q.own_token_hashes.size(), 50);
  if (tokens > 0) {
    sql += " OR (c.status = 'pending' AND c.edit_token_hash IN (";
    for (size_t i = 0; i < tokens; ++i) sql += (i ? ", ?" : "?") + std::to_string(10 + i);
    sql += "))";
  }
  sql += ")";
  if (q.after) {
    sql += newest ? " AND (c.created_at < ?2 OR (c.created_at = ?2 AND c.id < ?3))"
                  : " AND (c.created_at > ?2 OR (c.created_at = ?2 AND c.id > ?3))";
  }
  sql += newest ? " ORDER BY c.created_at DESC, c.id DESC LIMIT ?4" : " ORDER BY c.created_at ASC, c.id ASC LIMIT ?4";
  Stmt s(*c, sql);
  if (!s.ok()) return DbResult::error;
  s.bind(1, thread.id);
  if (q.after) s.bind(2, q.after->created_at).bind(3, q.after->id);
  s.bind(4, (int64_t)page_rows_to_read(q));
  for (size_t i = 0; i < tokens; ++i) s.bind(10 + (int)i, q.own_token_hashes[i]);
  if (all_rows(s, out.comments, read_comment) != DbResult::ok) return DbResult::error;
  end_page(q, out);
  return DbResult::ok;
}

DbResult SqliteStorage::get_comment(int64_t id, CommentRow& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kCommentColumns +
                 " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = ?1");
  s.bind(1, id);
  return one_row(s, [&](const Stmt& row) { read_comment(row, out); });
}

namespace {

// The comment rules' questions and writes, on the writer's connection, inside the
// batch's transaction: the writer thread runs one job at a time, so no lock is needed.
class SqliteCommentWriter final : public CommentWriter {
public:
  explicit SqliteCommentWriter(Connection& c) : c_(c) {}

  // The threads whose live readers hear of this job, after its commit.
  std::vector<std::string> changed;

  DbResult find_thread(const std::string& key, ThreadRow& out) override { return find_thread_on(c_, key, out); }

  DbResult create_thread(const std::string& key, const std::string& title, const std::string& url, int64_t now,
                         ThreadRow& out) override {
    Stmt s(c_, "INSERT INTO threads (key, title, url, created_at) VALUES (?1, ?2, ?3, ?4)");
    s.bind(1, key).bind(2, title).bind(3, url).bind(4, now);
    if (!s.run()) return DbResult::error;
    return find_thread_on(c_, key, out);
  }

  DbResult find_comment(int64_t id, CommentState& out) override {
    Stmt s(c_, "SELECT thread_id, status, COALESCE(edit_token_hash, '') FROM comments WHERE id = ?1");
    s.bind(1, id);
    const int rc = s.step();
    if (rc != SQLITE_ROW) return rc == SQLITE_DONE ? DbResult::not_found : DbResult::error;
    out.thread_id = s.i64(0);
    if (!parse_status(s.text(1), out.status)) return DbResult::error;
    out.edit_token_hash = s.text(2);
    return DbResult::ok;
  }

  DbResult lock_comment(int64_t id, CommentState& out) override { return find_comment(id, out); }

  DbResult has_duplicate(int64_t thread_id, const std::string& avatar_seed, const std::string& body_hash, int64_t since,
                         bool& out) override {
    // INDEXED BY: without statistics the planner prefers comments_by_author for the
    // range on created_at, and then reads every comment the author posted in the
    // window (one table lookup each) instead of the one or two with this body.
    Stmt s(c_,
           "SELECT 1 FROM comments INDEXED BY comments_duplicates WHERE avatar_seed = ?1 AND body_hash = ?3 "
           "AND created_at >= ?2 AND thread_id = ?4 AND status != 'deleted' LIMIT 1");
    s.bind(1, avatar_seed).bind(2, since).bind(3, body_hash).bind(4, thread_id);
    return exists(s, out);
  }

  DbResult has_published(const std::string& avatar_seed, bool& out) override {
    Stmt s(c_, "SELECT 1 FROM comments WHERE avatar_seed = ?1 AND status = 'published' LIMIT 1");
    s.bind(1, avatar_seed);
    return exists(s, out);
  }

  DbResult insert_comment(const CommentRow& row, const std::string& edit_token_hash, const std::string& body_hash,
                          int64_t& id) override {
    Stmt s(c_,
           "INSERT INTO comments (thread_id, parent_id, author_name, author_email, author_url, "
           "avatar_seed, body, status, created_at, edit_token_hash, body_hash, id, edited_at) "
           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    s.bind(1, row.thread_id);
    if (row.parent_id) s.bind(2, row.parent_id);
    else s.bind_null(2);
    s.bind(3, row.author_name).bind(4, row.author_email).bind(5, row.author_url).bind(6, row.avatar_seed);
    s.bind(7, row.body).bind(8, std::string(status_name(row.status))).bind(9, row.created_at);
    if (edit_token_hash.empty()) s.bind_null(10);
    else s.bind(10, edit_token_hash);
    s.bind(11, body_hash);
    if (row.id) s.bind(12, row.id);
    else s.bind_null(12);
    if (row.edited_at) s.bind(13, row.edited_at);
    else s.bind_null(13);
    if (!s.run()) return DbResult::error;
    id = sqlite3_last_insert_rowid(c_.db);
    return DbResult::ok;
  }

  DbResult update_body(int64_t id, const std::string& body, const std::string& body_hash, int64_t now) override {
    Stmt s(c_, "UPDATE comments SET body = ?1, edited_at = ?2, body_hash = ?4 WHERE id = ?3");
    s.bind(1, body).bind(2, now).bind(3, id).bind(4, body_hash);
    return changed_one(s);
  }

  DbResult erase_comment(int64_t id, int64_t now) override {
    Stmt s(c_,
           "UPDATE comments SET status = 'deleted', body = '', body_hash = NULL, author_email = '', "
           "author_url = '', edit_token_hash = NULL, edited_at = ?1 WHERE id = ?2");
    s.bind(1, now).bind(2, id);
    return changed_one(s);
  }

  DbResult set_status(int64_t id, CommentStatus status) override {
    Stmt s(c_, "UPDATE comments SET status = ?1 WHERE id = ?2");
    s.bind(1, std::string(status_name(status))).bind(2, id);
    return changed_one(s);
  }

  DbResult touch_thread(int64_t thread_id, int delta, std::optional<EventKind> event, int64_t comment_id,
                        int64_t now) override {
    Stmt s(c_,
           "UPDATE threads SET version = version + 1, comment_count = comment_count + ?2 WHERE id = ?1 "
           "RETURNING version, key");
    s.bind(1, thread_id).bind(2, (int64_t)delta);
    if (s.step() != SQLITE_ROW) return DbResult::error;
    const int64_t version = s.i64(0);
    const std::string key = s.text(1);
    if (s.step() != SQLITE_DONE) return DbResult::error;
    if (!event) return DbResult::ok;
    Stmt e(c_, "INSERT INTO thread_events (thread_id, id, kind, comment_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5)");
    e.bind(1, thread_id).bind(2, version).bind(3, std::string(event_kind_name(*event))).bind(4, comment_id);
    e.bind(5, now);
    if (!e.run()) return DbResult::error;
    changed.push_back(key);
    return DbResult::ok;
  }

  DbResult purge_author(int64_t id) override {
    Stmt s(c_,
           "UPDATE comments SET author_name = '', author_email = '', author_url = '', avatar_seed = '', body = '', "
           "body_hash = NULL, edit_token_hash = NULL WHERE id = ?1");
    s.bind(1, id);
    return changed_one(s);
  }

  DbResult remember_origin(const std::string& origin, const std::string& origin_id, int64_t comment_id) override {
    Stmt s(c_, "INSERT INTO comment_origins (origin, origin_id, comment_id) VALUES (?1, ?2, ?3)");
    s.bind(1, origin).bind(2, origin_id).bind(3, comment_id);
    return s.run() ? DbResult::ok : DbResult::error;
  }

private:
  static DbResult exists(Stmt& s, bool& out) {
    const int rc = s.step();
    out = rc == SQLITE_ROW;
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? DbResult::ok : DbResult::error;
  }
  DbResult changed_one(Stmt& s) {
    if (!s.run()) return DbResult::error;
    return sqlite3_changes(c_.db) ? DbResult::ok : DbResult::not_found;
  }

  Connection& c_;
};

}  // namespace

bool SqliteStorage::write_comments(const std::function<bool(CommentWriter&)>& work) {
  std::vector<std::string> changed;
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    SqliteCommentWriter w(c);
    const bool keep = work(w);
    changed = keep ? std::move(w.changed) : std::vector<std::string>{};  // set anew on every run
    return keep;
  });
  if (!committed) return false;
  // Live readers in this process hear of it once committed: with SQLite, one process
  // serves the whole site (docs/deploying.md).
  for (const std::string& key : changed) notify(key);
  return true;
}

DbResult SqliteStorage::edit_token_hash(int64_t id, std::string& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, "SELECT COALESCE(edit_token_hash, '') FROM comments WHERE id = ?1");
  s.bind(1, id);
  return one_row(s, [&](const Stmt& row) { out = row.text(0); });
}

DbResult SqliteStorage::list_by_email(const std::string& email, std::vector<CommentRow>& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kCommentColumns +
                 " FROM comments c JOIN threads t ON t.id = c.thread_id "
                 "WHERE lower(c.author_email) = lower(?1) AND c.author_email != '' ORDER BY c.created_at, c.id");
  s.bind(1, email);
  return all_rows(s, out, [](const Stmt& row, CommentRow& comment) { read_comment(row, comment); });
}

DbResult SqliteStorage::for_each_comment(const std::function<void(const StoredComment&)>& each, int batch) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kCommentColumns +
                 ", COALESCE(c.edit_token_hash, ''), COALESCE(o.origin, ''), COALESCE(o.origin_id, '') "
                 "FROM comments c JOIN threads t ON t.id = c.thread_id "
                 "LEFT JOIN comment_origins o ON o.comment_id = c.id ORDER BY c.id");
  (void)batch;  // one statement streams them all: SQLite reads as it steps
  StoredComment sc;
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) {
    read_comment(s, sc.row);
    sc.edit_token_hash = s.text(12);
    sc.origin = s.text(13);
    sc.origin_id = s.text(14);
    each(sc);
  }
  return rc == SQLITE_DONE ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::list_origins(
    const std::string& origin, const std::function<void(const std::string& origin_id, int64_t comment_id)>& each) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, "SELECT origin_id, comment_id FROM comment_origins WHERE origin = ?1");
  s.bind(1, origin);
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) each(s.text(0), s.i64(1));
  return rc == SQLITE_DONE ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::find_imported(const std::string& thread_key, const std::string& origin_id,
                                      int64_t& comment_id) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c,
         "SELECT o.comment_id FROM comment_origins o JOIN comments c ON c.id = o.comment_id "
         "JOIN threads t ON t.id = c.thread_id WHERE o.origin_id = ?1 AND t.key = ?2 ORDER BY o.comment_id LIMIT 1");
  s.bind(1, origin_id).bind(2, thread_key);
  const int rc = s.step();
  if (rc == SQLITE_ROW) {
    comment_id = s.i64(0);
    return DbResult::ok;
  }
  return rc == SQLITE_DONE ? DbResult::not_found : DbResult::error;
}

DbResult SqliteStorage::count_comments(const std::vector<std::string>& keys, std::vector<int64_t>& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  out.assign(keys.size(), 0);
  for (size_t i = 0; i < keys.size(); ++i) {
    Stmt s(*c, "SELECT comment_count FROM threads WHERE key = ?1");
    s.bind(1, keys[i]);
    const int rc = s.step();
    if (rc == SQLITE_ROW) out[i] = s.i64(0);
    else if (rc != SQLITE_DONE) return DbResult::error;
  }
  return DbResult::ok;
}

DbResult SqliteStorage::list_latest_published(int limit, std::vector<CommentRow>& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kCommentColumns +
                 " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.status = 'published' "
                 "ORDER BY c.created_at DESC, c.id DESC LIMIT ?1");
  s.bind(1, (int64_t)limit);
  out.clear();
  return all_rows(s, out, read_comment);
}

DbResult SqliteStorage::list_pending(int limit, const std::optional<PageCursor>& after, std::vector<CommentRow>& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kCommentColumns +
                 " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.status = 'pending' "
                 "AND (c.created_at > ?2 OR (c.created_at = ?2 AND c.id > ?3)) "
                 "ORDER BY c.created_at, c.id LIMIT ?1");
  s.bind(1, (int64_t)limit).bind(2, after ? after->created_at : INT64_MIN).bind(3, after ? after->id : 0);
  out.clear();
  return all_rows(s, out, read_comment);
}

// One process per SQLite file (docs/deploying.md): the counters live in its memory,
// so a read request never waits for the writer, nor for a lock another process
// holds on the file, and never writes to disk.
bool SqliteStorage::count_hit(const std::string& bucket, int64_t window_start, int64_t& count) {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  auto it = counters_.find(bucket);
  if (it == counters_.end()) {
    if (counters_.size() >= kMaxCounters) return false;  // let through, as an uncountable hit
    it = counters_.emplace(bucket, Counter{window_start, 0}).first;
  }
  if (it->second.window_start != window_start) it->second = Counter{window_start, 0};
  count = ++it->second.count;
  return true;
}

bool SqliteStorage::count_of(const std::string& bucket, int64_t window_start, int64_t& count) {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  const auto it = counters_.find(bucket);
  count = it != counters_.end() && it->second.window_start == window_start ? it->second.count : 0;
  return true;
}

void SqliteStorage::expire_rate_limits(int64_t before) {
  std::lock_guard<std::mutex> lock(counters_mutex_);
  std::erase_if(counters_, [before](const auto& entry) { return entry.second.window_start < before; });
}

DbResult SqliteStorage::list_events(const std::string& thread_key, int64_t after_id, int limit,
                                    std::vector<EventRow>& out, bool& pruned) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  out.clear();
  pruned = false;
  if (!(*c).exec("BEGIN")) return DbResult::error;
  struct EndRead {
    Connection& c;
    ~EndRead() { c.exec("COMMIT"); }
  } end_read{*c};
  int64_t thread_id = 0;
  {
    Stmt s(*c, "SELECT id, events_pruned_through FROM threads WHERE key = ?1");
    s.bind(1, thread_key);
    const int rc = s.step();
    if (rc == SQLITE_DONE) return DbResult::ok;
    if (rc != SQLITE_ROW) return DbResult::error;
    thread_id = s.i64(0);
    pruned = after_id < s.i64(1);
  }
  Stmt s(*c,
         "SELECT id, kind, comment_id, created_at FROM thread_events WHERE thread_id = ?1 AND id > ?2 "
         "ORDER BY id LIMIT ?3");
  s.bind(1, thread_id).bind(2, after_id).bind(3, (int64_t)limit);
  return all_rows(s, out, [](const Stmt& row, EventRow& e) {
    e.id = row.i64(0);
    e.kind = parse_event_kind(row.text(1));
    e.comment_id = row.i64(2);
    e.created_at = row.i64(3);
  });
}

void SqliteStorage::prune_events(int64_t before) {
  // Events that come back after a power loss are pruned next time.
  write(WriteKind::housekeeping, [&](Connection& c) {
    Stmt mark(c,
              "UPDATE threads SET events_pruned_through = gone.last FROM (SELECT thread_id, MAX(id) AS last "
              "FROM thread_events WHERE created_at < ?1 GROUP BY thread_id) AS gone WHERE threads.id = gone.thread_id");
    mark.bind(1, before);
    Stmt drop(c, "DELETE FROM thread_events WHERE created_at < ?1");
    drop.bind(1, before);
    return mark.run() && drop.run();
  });
}

void SqliteStorage::set_event_listener(EventListener listener) { listener_ = std::move(listener); }

void SqliteStorage::notify(const std::string& thread_key) {
  if (listener_) listener_(thread_key);
}

DbResult SqliteStorage::install_salt(std::string& out) {
  const std::string candidate = random_hex(32);
  if (candidate.empty()) return DbResult::error;
  bool found = false;
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    found = false;
    Stmt ins(c, "INSERT OR IGNORE INTO settings (name, value) VALUES ('install_salt', ?1)");
    ins.bind(1, candidate);
    if (!ins.run()) return false;
    Stmt s(c, "SELECT value FROM settings WHERE name = 'install_salt'");
    if (s.step() != SQLITE_ROW) return false;
    out = s.text(0);
    found = true;
    return true;
  });
  return committed && found ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::set_install_salt(const std::string& salt) {
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    Stmt s(c, "INSERT OR REPLACE INTO settings (name, value) VALUES ('install_salt', ?1)");
    s.bind(1, salt);
    return s.run();
  });
  return committed ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::claim_link(const std::string& link_hash, int64_t expires_at, int64_t now) {
  DbResult result = DbResult::error;
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    result = DbResult::error;
    Stmt expired(c, "DELETE FROM used_links WHERE expires_at < ?1");
    expired.bind(1, now);
    if (!expired.run()) return false;
    Stmt s(c, "INSERT OR IGNORE INTO used_links (link_hash, expires_at) VALUES (?1, ?2)");
    s.bind(1, link_hash).bind(2, expires_at);
    if (!s.run()) return false;
    result = sqlite3_changes(c.db) ? DbResult::ok : DbResult::not_found;
    return true;
  });
  return committed ? result : DbResult::error;
}

namespace {

constexpr const char* kOutboxColumns =
    "id, channel, recipient, subject, body, created_at, attempts, next_attempt_at, delivered_at, last_error";

OutboxRow outbox_row(const Stmt& s) {
  OutboxRow r;
  r.id = s.i64(0);
  r.channel = s.text(1);
  r.recipient = s.text(2);
  r.subject = s.text(3);
  r.body = s.text(4);
  r.created_at = s.i64(5);
  r.attempts = (int)s.i64(6);
  r.next_attempt_at = s.i64(7);
  r.delivered_at = s.i64(8);
  r.last_error = s.text(9);
  return r;
}

}  // namespace

DbResult SqliteStorage::enqueue(const OutboxRow& row) {
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    Stmt s(c, "INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?5)");
    s.bind(1, row.channel).bind(2, row.recipient).bind(3, row.subject).bind(4, row.body).bind(5, row.created_at);
    return s.run();
  });
  return committed ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::lease_due(int64_t now, int64_t lease_until, int limit, std::vector<OutboxRow>& out) {
  const bool committed = write(WriteKind::housekeeping, [&](Connection& c) {
    out.clear();
    Stmt s(c, std::string("UPDATE outbox SET leased_until = ?2 WHERE id IN (SELECT id FROM outbox WHERE "
                          "delivered_at = 0 AND next_attempt_at <= ?1 AND leased_until <= ?1 "
                          "ORDER BY next_attempt_at, id LIMIT ?3) RETURNING ") +
                  kOutboxColumns);
    s.bind(1, now).bind(2, lease_until).bind(3, (int64_t)limit);
    int rc;
    while ((rc = s.step()) == SQLITE_ROW) out.push_back(outbox_row(s));
    return rc == SQLITE_DONE;
  });
  return committed ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::record_attempt(int64_t id, bool delivered, bool counted, const std::string& error,
                                       int64_t now, int64_t next_attempt_at) {
  const bool committed = write(WriteKind::record, [&](Connection& c) {
    Stmt s(c, "UPDATE outbox SET leased_until = 0, attempts = attempts + ?2, delivered_at = ?3, "
              "last_error = ?4, next_attempt_at = ?5 WHERE id = ?1");
    s.bind(1, id).bind(2, (int64_t)(counted ? 1 : 0)).bind(3, delivered ? now : 0).bind(4, error)
        .bind(5, next_attempt_at);
    return s.run();
  });
  return committed ? DbResult::ok : DbResult::error;
}

DbResult SqliteStorage::list_outbox(const std::string& channel, int limit, int64_t before,
                                    std::vector<OutboxRow>& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, std::string("SELECT ") + kOutboxColumns +
                 " FROM outbox WHERE channel = ?1 AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?2");
  s.bind(1, channel).bind(2, (int64_t)limit).bind(3, before);
  out.clear();
  int rc;
  while ((rc = s.step()) == SQLITE_ROW) out.push_back(outbox_row(s));
  return rc == SQLITE_DONE ? DbResult::ok : DbResult::error;
}

void SqliteStorage::prune_outbox(int64_t before) {
  write(WriteKind::housekeeping, [&](Connection& c) {
    Stmt s(c, "DELETE FROM outbox WHERE delivered_at > 0 AND delivered_at < ?1");
    s.bind(1, before);
    return s.run();
  });
}

DbResult SqliteStorage::is_empty(bool& out) {
  PooledConnection c(*this);
  if (!c) return DbResult::error;
  Stmt s(*c, "SELECT NOT EXISTS (SELECT 1 FROM threads)");
  if (s.step() != SQLITE_ROW) return DbResult::error;
  out = s.i64(0) != 0;
  return DbResult::ok;
}

}  // namespace causerie::server
