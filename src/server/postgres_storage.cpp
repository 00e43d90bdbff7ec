#include "server/postgres_storage.h"

#include <libpq-fe.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdio>
#include <unordered_map>

#include "server/clock.h"
#include "server/crypto.h"
#include "server/nfc.h"
#include "server/storage_rows.h"

namespace causerie::server {

// The same migrations as sqlite_storage.cpp, version for version, in PostgreSQL's
// dialect. Append only.
static const char* const kMigrations[] = {
    // 1: threads, comments, settings, rate-limit counters.
    R"sql(
CREATE TABLE threads (
  id BIGSERIAL PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  closed BOOLEAN NOT NULL DEFAULT FALSE,
  comment_count BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE TABLE comments (
  id BIGSERIAL PRIMARY KEY,
  thread_id BIGINT NOT NULL REFERENCES threads(id),
  parent_id BIGINT REFERENCES comments(id),
  author_name TEXT NOT NULL,
  author_email TEXT NOT NULL DEFAULT '',
  author_url TEXT NOT NULL DEFAULT '',
  avatar_seed TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('published', 'pending', 'spam', 'deleted')),
  created_at BIGINT NOT NULL,
  edited_at BIGINT,
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
CREATE UNLOGGED TABLE rate_limits (
  bucket TEXT NOT NULL,
  window_start BIGINT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (bucket, window_start)
);
)sql",
    // 2: duplicate detection by a hash of the body.
    R"sql(
ALTER TABLE comments ADD COLUMN body_hash TEXT;
CREATE INDEX comments_duplicates ON comments(avatar_seed, body_hash) WHERE body_hash IS NOT NULL;
)sql",
    // 3: the live-updates log, kept for a bounded time.
    R"sql(
CREATE TABLE thread_events (
  thread_id BIGINT NOT NULL REFERENCES threads(id),
  id BIGINT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('comment', 'update')),
  comment_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (thread_id, id)
);
CREATE INDEX thread_events_by_time ON thread_events(created_at);
ALTER TABLE threads ADD COLUMN events_pruned_through BIGINT NOT NULL DEFAULT 0;
)sql",
    // 4: where imported comments came from.
    R"sql(
CREATE TABLE comment_origins (
  origin TEXT NOT NULL,
  origin_id TEXT NOT NULL,
  comment_id BIGINT NOT NULL REFERENCES comments(id),
  PRIMARY KEY (origin, origin_id)
);
)sql",
    // 5: a reader's own-data links already used (single use), until they expire.
    R"sql(
CREATE TABLE used_links (
  link_hash TEXT PRIMARY KEY,
  expires_at BIGINT NOT NULL
);
)sql",
    // 6: an old site's comment anchors (#comment-123) looked up by the source's id.
    R"sql(
CREATE INDEX comment_origins_by_source_id ON comment_origins(origin_id);
)sql",
    // 7: the outbox: e-mails and webhook calls waiting to go or gone (outbox.h).
    R"sql(
CREATE TABLE outbox (
  id BIGSERIAL PRIMARY KEY,
  channel TEXT NOT NULL CHECK (channel IN ('mail', 'webhook')),
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  leased_until BIGINT NOT NULL DEFAULT 0,
  delivered_at BIGINT NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at = 0;
CREATE INDEX outbox_by_channel ON outbox(channel, id);
)sql",
    // 8: names, websites, bodies, titles and URLs stored before NFC on input.
    kMigrateTextToNfc,
};

// Any constant will do: it names the lock that serialises migrations across processes.
constexpr int64_t kMigrationLock = 0x63617573657269;  // "causeri"
constexpr const char* kEventChannel = "causerie_events";

// How long a statement of a request waits for a lock (a row or table another session
// holds) and runs at most: past them it fails, and the request answers 503 with
// Retry-After (writes_available) instead of hanging. The lock wait matches SQLite's
// busy timeout. Migrations wait as long as they need.
constexpr const char* kLockTimeout = "800ms";
constexpr const char* kStatementTimeout = "5s";

struct PostgresStorage::Connection {
  PGconn* db = nullptr;
  std::unordered_map<std::string, std::string> prepared;  // SQL -> statement name
  // Since it was acquired: a statement gave up on a lock or its time, a COMMIT succeeded.
  bool timed_out = false;
  bool committed = false;

  ~Connection() {
    if (db) PQfinish(db);
  }
  bool ok() const { return db && PQstatus(db) == CONNECTION_OK; }
};

namespace {

using Connection = PostgresStorage::Connection;

// A query's parameters: text, or NULL.
struct Param {
  Param(const std::string& s) : text(s) {}
  Param(const char* s) : text(s) {}
  Param(int64_t v) : text(std::to_string(v)) {}
  Param(int v) : text(std::to_string(v)) {}
  Param(bool v) : text(v ? "t" : "f") {}
  static Param null() {
    Param p("");
    p.is_null = true;
    return p;
  }
  std::string text;
  bool is_null = false;
};

class Result {
public:
  explicit Result(PGresult* r = nullptr) : r_(r) {}
  ~Result() {
    if (r_) PQclear(r_);
  }
  Result(Result&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  Result& operator=(Result&& o) noexcept {
    std::swap(r_, o.r_);
    return *this;
  }
  Result(const Result&) = delete;

  bool ok() const {
    if (!r_) return false;
    const auto s = PQresultStatus(r_);
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  }
  int rows() const { return r_ ? PQntuples(r_) : 0; }
  bool is_null(int row, int col) const { return PQgetisnull(r_, row, col); }
  std::string text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), (size_t)PQgetlength(r_, row, col));
  }
  int64_t i64(int row, int col) const {
    return is_null(row, col) ? 0 : std::strtoll(PQgetvalue(r_, row, col), nullptr, 10);
  }
  bool boolean(int row, int col) const { return PQgetvalue(r_, row, col)[0] == 't'; }
  int64_t affected() const { return r_ ? std::strtoll(PQcmdTuples(r_), nullptr, 10) : 0; }
  // "40001" serialization failure, "23505" unique violation...
  std::string sqlstate() const {
    const char* s = r_ ? PQresultErrorField(r_, PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
  }

private:
  PGresult* r_;
};

// Logs a failed statement; one that gave up waiting (lock_timeout: 55P03,
// statement_timeout: 57014) marks the connection, which writes_available reads.
void note_failure(Connection& c, const Result& r) {
  std::fprintf(stderr, "postgres: %s", PQerrorMessage(c.db));
  const std::string state = r.sqlstate();
  if (state == "55P03" || state == "57014") c.timed_out = true;
}

// Runs `sql` (prepared once per connection) with text parameters.
Result query(Connection& c, const std::string& sql, const std::vector<Param>& params = {}) {
  auto it = c.prepared.find(sql);
  if (it == c.prepared.end()) {
    const std::string name = "s" + std::to_string(c.prepared.size());
    Result prep(PQprepare(c.db, name.c_str(), sql.c_str(), 0, nullptr));
    if (!prep.ok()) {
      std::fprintf(stderr, "postgres: cannot prepare: %s", PQerrorMessage(c.db));
      return prep;
    }
    it = c.prepared.emplace(sql, name).first;
  }
  std::vector<const char*> values;
  std::vector<int> lengths;
  values.reserve(params.size());
  for (const auto& p : params) {
    values.push_back(p.is_null ? nullptr : p.text.c_str());
    lengths.push_back((int)p.text.size());
  }
  Result r(PQexecPrepared(c.db, it->second.c_str(), (int)params.size(), values.data(), lengths.data(), nullptr, 0));
  if (!r.ok()) note_failure(c, r);
  return r;
}

bool exec(Connection& c, const char* sql) {
  Result r(PQexec(c.db, sql));
  if (!r.ok()) note_failure(c, r);
  return r.ok();
}

// BEGIN ... COMMIT, rolled back unless commit() succeeded.
class Transaction {
public:
  explicit Transaction(Connection& c, const char* begin = "BEGIN") : c_(c) { began_ = exec(c_, begin); }
  ~Transaction() {
    if (began_ && !committed_) exec(c_, "ROLLBACK");
  }
  bool began() const { return began_; }
  bool commit() {
    committed_ = exec(c_, "COMMIT");
    c_.committed = c_.committed || committed_;
    return committed_;
  }

private:
  Connection& c_;
  bool began_ = false;
  bool committed_ = false;
};

// One row of a result, as storage_rows.h reads it.
struct PgRow {
  const Result& r;
  int row;
  int64_t i64(int col) const { return r.i64(row, col); }
  std::string text(int col) const { return r.text(row, col); }
  bool flag(int col) const { return r.boolean(row, col); }
};

void read_comment(const Result& r, int row, CommentRow& c) { read_comment_columns(PgRow{r, row}, c); }
void read_thread(const Result& r, int row, ThreadRow& t) { read_thread_columns(PgRow{r, row}, t); }

DbResult find_thread_on(Connection& c, const std::string& key, ThreadRow& out, bool lock = false) {
  Result r = query(
      c, std::string("SELECT ") + kThreadColumns + " FROM threads WHERE key = $1" + (lock ? " FOR UPDATE" : ""), {key});
  if (!r.ok()) return DbResult::error;
  if (r.rows() == 0) return DbResult::not_found;
  read_thread(r, 0, out);
  return DbResult::ok;
}

// {"a","b"}: a text[] literal of hex hashes (nothing to escape in them, quoted anyway).
std::string text_array(const std::vector<std::string>& items, size_t max) {
  std::string out = "{";
  for (size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) out += ',';
    out += '"';
    for (char ch : items[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace

// The migration kMigrateTextToNfc, in the migration's transaction: a few hundred
// rows read at a time, the changed ones written back (a body with its duplicate hash).
static bool stored_text_to_nfc(Connection& c) {
  constexpr int kRowsAtOnce = 500;
  auto each_batch = [&](const char* select, auto&& write) {
    for (int64_t after = 0;;) {
      Result r = query(c, select, {after, kRowsAtOnce});
      if (!r.ok()) return false;
      if (r.rows() == 0) return true;
      after = r.i64(r.rows() - 1, 0);
      for (int i = 0; i < r.rows(); ++i) {
        std::string a = r.text(i, 1), b = r.text(i, 2), body = r.text(i, 3);
        const bool changed_a = make_nfc(a), changed_b = make_nfc(b), changed_body = make_nfc(body);
        if ((changed_a || changed_b || changed_body) && !write(r.i64(i, 0), a, b, body, r.boolean(i, 4))) return false;
      }
    }
  };
  return each_batch("SELECT id, author_name, author_url, body, body_hash IS NOT NULL FROM comments "
                    "WHERE id > $1 ORDER BY id LIMIT $2",
                    [&](int64_t id, const std::string& name, const std::string& url, const std::string& body,
                        bool hashed) {
                      return query(c,
                                   "UPDATE comments SET author_name = $1, author_url = $2, body = $3, body_hash = $4 "
                                   "WHERE id = $5",
                                   {name, url, body, hashed ? Param(body_hash(body)) : Param::null(), id})
                          .ok();
                    }) &&
         each_batch("SELECT id, title, url, '', FALSE FROM threads WHERE id > $1 ORDER BY id LIMIT $2",
                    [&](int64_t id, const std::string& title, const std::string& url, const std::string&, bool) {
                      return query(c, "UPDATE threads SET title = $1, url = $2 WHERE id = $3", {title, url, id}).ok();
                    });
}

class PgPooled {
public:
  explicit PgPooled(PostgresStorage& st) : st_(st), c_(st.acquire()) {}
  ~PgPooled() {
    if (c_) st_.release(c_);
  }
  explicit operator bool() const { return c_ != nullptr; }
  Connection& operator*() { return *c_; }

private:
  PostgresStorage& st_;
  Connection* c_;
};

std::unique_ptr<PostgresStorage> PostgresStorage::open(const std::string& conninfo, bool sync_full,
                                                       std::string& error) {
  std::unique_ptr<PostgresStorage> st(new PostgresStorage(conninfo, sync_full));
  Connection* first = st->open_connection(error);
  if (!first) return nullptr;
  if (!st->migrate(*first, error)) return nullptr;
  first->prepared.clear();  // DEALLOCATE ALL below: statements may name tables that changed
  exec(*first, "DEALLOCATE ALL");
  st->idle_.push_back(first);
  st->opened_ = 1;
  st->wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  return st;
}

PostgresStorage::PostgresStorage(std::string conninfo, bool sync_full)
    : conninfo_(std::move(conninfo)), sync_full_(sync_full) {}

PostgresStorage::~PostgresStorage() {
  stopping_ = true;
  if (wake_fd_ >= 0) {
    const uint64_t one = 1;
    if (write(wake_fd_, &one, sizeof one) < 0) {}
  }
  if (listen_thread_.joinable()) listen_thread_.join();
  if (wake_fd_ >= 0) close(wake_fd_);
}

bool PostgresStorage::configure_session(Connection& c) {
  const std::string settings = std::string("SET client_encoding = 'UTF8'; SET synchronous_commit = ") +
                               (sync_full_ ? "on" : "off") + "; SET lock_timeout = '" + kLockTimeout +
                               "'; SET statement_timeout = '" + kStatementTimeout + "'";
  return exec(c, settings.c_str());
}

PostgresStorage::Connection* PostgresStorage::open_connection(std::string& error) {
  auto c = std::make_unique<Connection>();
  c->db = PQconnectdb(conninfo_.c_str());
  if (!c->ok()) {
    error = std::string("cannot connect to PostgreSQL: ") + (c->db ? PQerrorMessage(c->db) : "out of memory");
    while (!error.empty() && error.back() == '\n') error.pop_back();
    return nullptr;
  }
  // Quiet NOTICEs ("relation already exists, skipping") off stderr.
  PQsetNoticeProcessor(
      c->db, [](void*, const char*) {}, nullptr);
  if (!configure_session(*c)) {
    error = std::string("cannot configure the PostgreSQL session: ") + PQerrorMessage(c->db);
    return nullptr;
  }
  Connection* raw = c.get();
  std::lock_guard<std::mutex> lock(pool_mutex_);
  all_.push_back(std::move(c));
  return raw;
}

// Connections are handed out first come, first served: a released connection goes
// straight to the thread that has waited longest, never to one that just arrived, so
// that with more requests than connections no request waits behind a stream of
// newcomers (a plain condition variable lets them barge in).
PostgresStorage::Connection* PostgresStorage::acquire() {
  Connection* c = nullptr;
  {
    std::unique_lock<std::mutex> lock(pool_mutex_);
    if (waiters_.empty() && !idle_.empty()) {
      c = idle_.back();
      idle_.pop_back();
    } else if (waiters_.empty() && opened_ < max_connections_) {
      ++opened_;  // counted now, so that threads opening at once stay within the cap
    } else {
      PoolWaiter me;
      waiters_.push_back(&me);
      me.ready.wait(lock, [&] { return me.handed != nullptr || me.open_own; });
      c = me.handed;  // null with open_own: a slot freed by a failed open, open one here
    }
  }
  if (!c) {
    std::string error;
    c = open_connection(error);
    if (!c) {
      std::fprintf(stderr, "postgres: %s\n", error.c_str());
      std::lock_guard<std::mutex> lock(pool_mutex_);
      if (waiters_.empty()) {
        --opened_;
      } else {  // the slot goes to the first waiter, who tries in turn (no one waits forever)
        PoolWaiter* first = waiters_.front();
        waiters_.pop_front();
        first->open_own = true;
        first->ready.notify_one();
      }
      return nullptr;
    }
    return c;
  }
  // A connection the database dropped (restart, idle timeout) is reset once.
  if (!c->ok() || PQtransactionStatus(c->db) != PQTRANS_IDLE) {
    PQreset(c->db);
    c->prepared.clear();
    if (c->ok()) configure_session(*c);
  }
  if (!c->ok()) {
    std::fprintf(stderr, "postgres: connection lost: %s", PQerrorMessage(c->db));
    release(c);
    return nullptr;
  }
  return c;
}

void PostgresStorage::release(Connection* c) {
  if (c->timed_out || c->committed) {
    std::lock_guard<std::mutex> lock(outcome_mutex_);
    if (c->timed_out) gave_up_at_ms_ = now_ms();
    else gave_up_at_ms_ = 0;
  }
  c->timed_out = c->committed = false;
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (waiters_.empty()) {
    idle_.push_back(c);
    return;
  }
  PoolWaiter* first = waiters_.front();
  waiters_.pop_front();
  first->handed = c;
  first->ready.notify_one();  // under the lock: `first` lives on a stack that may unwind once it is set
}

bool PostgresStorage::migrate(Connection& c, std::string& error) {
  // Session-level advisory lock: a second process starting now waits here, then
  // finds the migrations applied, however long they take.
  if (!exec(c, "SET lock_timeout = 0; SET statement_timeout = 0") ||
      !exec(c, ("SELECT pg_advisory_lock(" + std::to_string(kMigrationLock) + ")").c_str())) {
    error = std::string("cannot take the migration lock: ") + PQerrorMessage(c.db);
    return false;
  }
  struct Unlock {
    PostgresStorage& st;
    Connection& c;
    ~Unlock() {
      exec(c, ("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLock) + ")").c_str());
      st.configure_session(c);
    }
  } unlock{*this, c};
  if (!exec(c, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")) {
    error = std::string("cannot create schema_version: ") + PQerrorMessage(c.db);
    return false;
  }
  const int total = (int)(sizeof(kMigrations) / sizeof(kMigrations[0]));
  for (;;) {
    Transaction tx(c);
    if (!tx.began()) {
      error = std::string("cannot begin: ") + PQerrorMessage(c.db);
      return false;
    }
    Result v(PQexec(c.db, "SELECT COALESCE(MAX(version), 0) FROM schema_version"));
    if (!v.ok() || v.rows() != 1) {
      error = "cannot read schema_version";
      return false;
    }
    const int64_t version = v.i64(0, 0);
    if (version >= total) {
      if (version > total) {
        error =
            "database schema " + std::to_string(version) + " is newer than this server (" + std::to_string(total) + ")";
        return false;
      }
      return tx.commit();
    }
    if (kMigrations[version] == kMigrateTextToNfc ? !stored_text_to_nfc(c) : !exec(c, kMigrations[version])) {
      error = "migration " + std::to_string(version + 1) + " failed: " + PQerrorMessage(c.db);
      return false;
    }
    Result ins = query(c, "INSERT INTO schema_version (version) VALUES ($1)", {version + 1});
    if (!ins.ok() || !tx.commit()) {
      error = std::string("cannot record migration: ") + PQerrorMessage(c.db);
      return false;
    }
  }
}

int PostgresStorage::schema_version() {
  PgPooled c(*this);
  if (!c) return -1;
  Result r = query(*c, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
  return r.ok() && r.rows() == 1 ? (int)r.i64(0, 0) : -1;
}

DbResult PostgresStorage::find_thread(const std::string& key, ThreadRow& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  return find_thread_on(*c, key, out);
}

DbResult PostgresStorage::upsert_thread(const std::string& key, const std::string& title, const std::string& url,
                                        int64_t now, ThreadRow& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   std::string("INSERT INTO threads (key, title, url, created_at) VALUES ($1, $2, $3, $4) "
                               "ON CONFLICT (key) DO UPDATE SET "
                               "title = CASE WHEN $2 = '' THEN threads.title ELSE $2 END, "
                               "url = CASE WHEN $3 = '' THEN threads.url ELSE $3 END, version = threads.version + 1 "
                               "RETURNING ") +
                       kThreadColumns,
                   {key, title, url, now});
  if (!r.ok() || r.rows() != 1) return DbResult::error;
  read_thread(r, 0, out);
  return DbResult::ok;
}

DbResult PostgresStorage::set_thread_closed(const std::string& key, bool closed) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c, "UPDATE threads SET closed = $1, version = version + 1 WHERE key = $2", {closed, key});
  if (!r.ok()) return DbResult::error;
  return r.affected() ? DbResult::ok : DbResult::not_found;
}

DbResult PostgresStorage::list_threads(std::vector<ThreadRow>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  // Byte order, as SQLite sorts, whatever the database's locale.
  Result r = query(*c, std::string("SELECT ") + kThreadColumns + " FROM threads ORDER BY key COLLATE \"C\"");
  if (!r.ok()) return DbResult::error;
  out.resize((size_t)r.rows());
  for (int i = 0; i < r.rows(); ++i) read_thread(r, i, out[(size_t)i]);
  return DbResult::ok;
}

DbResult PostgresStorage::list_comments(const PageQuery& q, ThreadRow& thread, PageResult& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  out = PageResult{};
  // One snapshot for the thread row and its comments.
  Transaction tx(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx.began()) return DbResult::error;
  const DbResult found = find_thread_on(*c, q.thread_key, thread);
  if (found != DbResult::ok) return found;

  const bool newest = q.sort == SortOrder::newest;
  std::string sql = std::string("SELECT ") + kCommentColumns +
                    " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.thread_id = $1 AND "
                    "(c.status = 'published' OR (c.status = 'deleted' AND EXISTS (SELECT 1 FROM "
                    "comments r WHERE r.parent_id = c.id AND r.status IN ('published', 'deleted')))"
                    " OR (c.status = 'pending' AND c.edit_token_hash = ANY($5::text[])))";
  if (q.after) {
    sql += newest ? " AND (c.created_at < $2 OR (c.created_at = $2 AND c.id < $3))"
                  : " AND (c.created_at > $2 OR (c.created_at = $2 AND c.id > $3))";
  } else {
    sql += " AND $2::bigint IS NOT NULL AND $3::bigint IS NOT NULL";  // same parameters either way
  }
  sql += newest ? " ORDER BY c.created_at DESC, c.id DESC LIMIT $4" : " ORDER BY c.created_at ASC, c.id ASC LIMIT $4";
  Result r = query(*c, sql,
                   {thread.id, q.after ? q.after->created_at : 0, q.after ? q.after->id : 0,
                    (int64_t)page_rows_to_read(q), text_array(q.own_token_hashes, 50)});
  if (!r.ok()) return DbResult::error;
  out.comments.resize((size_t)r.rows());
  for (int i = 0; i < r.rows(); ++i) read_comment(r, i, out.comments[(size_t)i]);
  end_page(q, out);
  tx.commit();
  return DbResult::ok;
}

DbResult PostgresStorage::get_comment(int64_t id, CommentRow& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   std::string("SELECT ") + kCommentColumns +
                       " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.id = $1",
                   {id});
  if (!r.ok()) return DbResult::error;
  if (r.rows() == 0) return DbResult::not_found;
  read_comment(r, 0, out);
  return DbResult::ok;
}

namespace {

// The comment rules' questions and writes, inside one transaction. Every change to a
// thread's comments first locks the thread's row (find_thread, lock_comment), so the
// rules' checks and the thread's version, which doubles as the event id, are decided
// one writer at a time per thread, in commit order, across processes.
class PgCommentWriter final : public CommentWriter {
public:
  explicit PgCommentWriter(Connection& c) : c_(c) {}

  DbResult find_thread(const std::string& key, ThreadRow& out) override { return find_thread_on(c_, key, out, true); }

  DbResult create_thread(const std::string& key, const std::string& title, const std::string& url, int64_t now,
                         ThreadRow& out) override {
    // Two processes creating the same thread: one inserts, the other finds it.
    Result ins = query(c_,
                       "INSERT INTO threads (key, title, url, created_at) VALUES ($1, $2, $3, $4) "
                       "ON CONFLICT (key) DO NOTHING",
                       {key, title, url, now});
    if (!ins.ok()) return DbResult::error;
    return find_thread_on(c_, key, out, true) == DbResult::ok ? DbResult::ok : DbResult::error;
  }

  DbResult find_comment(int64_t id, CommentState& out) override {
    Result r = query(c_, "SELECT thread_id, status, COALESCE(edit_token_hash, '') FROM comments WHERE id = $1", {id});
    if (!r.ok()) return DbResult::error;
    if (r.rows() == 0) return DbResult::not_found;
    out.thread_id = r.i64(0, 0);
    if (!parse_status(r.text(0, 1), out.status)) return DbResult::error;
    out.edit_token_hash = r.text(0, 2);
    return DbResult::ok;
  }

  DbResult lock_comment(int64_t id, CommentState& out) override {
    // A comment never changes thread: find it, lock its thread, then read it again
    // (another writer may have changed it while this one waited for the lock).
    const DbResult found = find_comment(id, out);
    if (found != DbResult::ok) return found;
    Result l = query(c_, "SELECT 1 FROM threads WHERE id = $1 FOR UPDATE", {out.thread_id});
    if (!l.ok()) return DbResult::error;
    return find_comment(id, out);
  }

  DbResult has_duplicate(int64_t thread_id, const std::string& avatar_seed, const std::string& body_hash, int64_t since,
                         bool& out) override {
    return exists(
        "SELECT 1 FROM comments WHERE avatar_seed = $1 AND body_hash = $3 AND created_at >= $2 "
        "AND thread_id = $4 AND status != 'deleted' LIMIT 1",
        {avatar_seed, since, body_hash, thread_id}, out);
  }

  DbResult has_published(const std::string& avatar_seed, bool& out) override {
    return exists("SELECT 1 FROM comments WHERE avatar_seed = $1 AND status = 'published' LIMIT 1", {avatar_seed}, out);
  }

  DbResult insert_comment(const CommentRow& row, const std::string& edit_token_hash, const std::string& body_hash,
                          int64_t& id) override {
    Result r = query(c_,
                     "INSERT INTO comments (thread_id, parent_id, author_name, author_email, author_url, "
                     "avatar_seed, body, status, created_at, edit_token_hash, body_hash, id, edited_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                     "COALESCE($12, nextval(pg_get_serial_sequence('comments', 'id'))), $13) RETURNING id",
                     {row.thread_id, row.parent_id ? Param(row.parent_id) : Param::null(), row.author_name,
                      row.author_email, row.author_url, row.avatar_seed, row.body, status_name(row.status),
                      row.created_at, edit_token_hash.empty() ? Param::null() : Param(edit_token_hash), body_hash,
                      row.id ? Param(row.id) : Param::null(), row.edited_at ? Param(row.edited_at) : Param::null()});
    if (!r.ok() || r.rows() != 1) return DbResult::error;
    id = r.i64(0, 0);
    // A given id moves the sequence past it, or the next post would take it.
    if (row.id && !query(c_,
                         "SELECT setval(pg_get_serial_sequence('comments', 'id'), "
                         "GREATEST($1, (SELECT last_value FROM comments_id_seq)))",
                         {row.id})
                       .ok())
      return DbResult::error;
    return DbResult::ok;
  }

  DbResult update_body(int64_t id, const std::string& body, const std::string& body_hash, int64_t now) override {
    return changed_one(query(c_, "UPDATE comments SET body = $1, edited_at = $2, body_hash = $4 WHERE id = $3",
                             {body, now, id, body_hash}));
  }

  DbResult erase_comment(int64_t id, int64_t now) override {
    return changed_one(query(c_,
                             "UPDATE comments SET status = 'deleted', body = '', body_hash = NULL, author_email = '', "
                             "author_url = '', edit_token_hash = NULL, edited_at = $1 WHERE id = $2",
                             {now, id}));
  }

  DbResult set_status(int64_t id, CommentStatus status) override {
    return changed_one(query(c_, "UPDATE comments SET status = $1 WHERE id = $2", {status_name(status), id}));
  }

  // The UPDATE holds the thread's row lock until commit, so versions, hence event
  // ids, follow commit order within a thread. pg_notify is delivered at commit, to
  // every process listening.
  DbResult touch_thread(int64_t thread_id, int delta, std::optional<EventKind> event, int64_t comment_id,
                        int64_t now) override {
    Result r = query(c_,
                     "UPDATE threads SET version = version + 1, comment_count = comment_count + $2 WHERE id = $1 "
                     "RETURNING version, key",
                     {thread_id, (int64_t)delta});
    if (!r.ok() || r.rows() != 1) return DbResult::error;
    if (!event) return DbResult::ok;
    Result e = query(c_,
                     "INSERT INTO thread_events (thread_id, id, kind, comment_id, created_at) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     {thread_id, r.i64(0, 0), event_kind_name(*event), comment_id, now});
    if (!e.ok()) return DbResult::error;
    Result n = query(c_, "SELECT pg_notify($1, $2)", {kEventChannel, r.text(0, 1)});
    return n.ok() ? DbResult::ok : DbResult::error;
  }

  DbResult purge_author(int64_t id) override {
    return changed_one(
        query(c_,
              "UPDATE comments SET author_name = '', author_email = '', author_url = '', avatar_seed = '', "
              "body = '', body_hash = NULL, edit_token_hash = NULL WHERE id = $1",
              {id}));
  }

  DbResult remember_origin(const std::string& origin, const std::string& origin_id, int64_t comment_id) override {
    Result r = query(c_, "INSERT INTO comment_origins (origin, origin_id, comment_id) VALUES ($1, $2, $3)",
                     {origin, origin_id, comment_id});
    return r.ok() ? DbResult::ok : DbResult::error;
  }

private:
  DbResult exists(const char* sql, const std::vector<Param>& params, bool& out) {
    Result r = query(c_, sql, params);
    if (!r.ok()) return DbResult::error;
    out = r.rows() > 0;
    return DbResult::ok;
  }
  static DbResult changed_one(const Result& r) {
    if (!r.ok()) return DbResult::error;
    return r.affected() ? DbResult::ok : DbResult::not_found;
  }

  Connection& c_;
};

}  // namespace

bool PostgresStorage::write_comments(const std::function<bool(CommentWriter&)>& work) {
  PgPooled c(*this);
  if (!c) return false;
  Transaction tx(*c);
  if (!tx.began()) return false;
  PgCommentWriter w(*c);
  if (!work(w)) return true;  // undone when `tx` ends
  return tx.commit();
}

DbResult PostgresStorage::edit_token_hash(int64_t id, std::string& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c, "SELECT COALESCE(edit_token_hash, '') FROM comments WHERE id = $1", {id});
  if (!r.ok()) return DbResult::error;
  if (r.rows() == 0) return DbResult::not_found;
  out = r.text(0, 0);
  return DbResult::ok;
}

DbResult PostgresStorage::list_by_email(const std::string& email, std::vector<CommentRow>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   std::string("SELECT ") + kCommentColumns +
                       " FROM comments c JOIN threads t ON t.id = c.thread_id "
                       "WHERE lower(c.author_email) = lower($1) AND c.author_email != '' ORDER BY c.created_at, c.id",
                   {email});
  if (!r.ok()) return DbResult::error;
  out.resize((size_t)r.rows());
  for (int i = 0; i < r.rows(); ++i) read_comment(r, i, out[(size_t)i]);
  return DbResult::ok;
}

DbResult PostgresStorage::for_each_comment(const std::function<void(const StoredComment&)>& each, int batch) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  // Pages by id, so a big database is never one result in memory.
  int64_t after = 0;
  StoredComment sc;
  for (;;) {
    Result r = query(*c,
                     std::string("SELECT ") + kCommentColumns +
                         ", COALESCE(c.edit_token_hash, ''), COALESCE(o.origin, ''), COALESCE(o.origin_id, '') "
                         "FROM comments c JOIN threads t ON t.id = c.thread_id "
                         "LEFT JOIN comment_origins o ON o.comment_id = c.id WHERE c.id > $1 ORDER BY c.id LIMIT $2",
                     {after, (int64_t)batch});
    if (!r.ok()) return DbResult::error;
    for (int k = 0; k < r.rows(); ++k) {
      read_comment(r, k, sc.row);
      sc.edit_token_hash = r.text(k, 12);
      sc.origin = r.text(k, 13);
      sc.origin_id = r.text(k, 14);
      each(sc);
      after = sc.row.id;
    }
    if (r.rows() < batch) return DbResult::ok;
  }
}

DbResult PostgresStorage::list_origins(
    const std::string& origin, const std::function<void(const std::string& origin_id, int64_t comment_id)>& each) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c, "SELECT origin_id, comment_id FROM comment_origins WHERE origin = $1", {origin});
  if (!r.ok()) return DbResult::error;
  for (int k = 0; k < r.rows(); ++k) each(r.text(k, 0), r.i64(k, 1));
  return DbResult::ok;
}

DbResult PostgresStorage::find_imported(const std::string& thread_key, const std::string& origin_id,
                                        int64_t& comment_id) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   "SELECT o.comment_id FROM comment_origins o JOIN comments c ON c.id = o.comment_id "
                   "JOIN threads t ON t.id = c.thread_id WHERE o.origin_id = $1 AND t.key = $2 "
                   "ORDER BY o.comment_id LIMIT 1",
                   {origin_id, thread_key});
  if (!r.ok()) return DbResult::error;
  if (r.rows() == 0) return DbResult::not_found;
  comment_id = r.i64(0, 0);
  return DbResult::ok;
}

DbResult PostgresStorage::count_comments(const std::vector<std::string>& keys, std::vector<int64_t>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  out.assign(keys.size(), 0);
  // One round trip for all the keys.
  Result r =
      query(*c, "SELECT key, comment_count FROM threads WHERE key = ANY($1::text[])", {text_array(keys, keys.size())});
  if (!r.ok()) return DbResult::error;
  for (int row = 0; row < r.rows(); ++row) {
    const std::string key = r.text(row, 0);
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i] == key) out[i] = r.i64(row, 1);
  }
  return DbResult::ok;
}

DbResult PostgresStorage::list_latest_published(int limit, std::vector<CommentRow>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   std::string("SELECT ") + kCommentColumns +
                       " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.status = 'published' "
                       "ORDER BY c.created_at DESC, c.id DESC LIMIT $1",
                   {(int64_t)limit});
  if (!r.ok()) return DbResult::error;
  out.resize((size_t)r.rows());
  for (int i = 0; i < r.rows(); ++i) read_comment(r, i, out[(size_t)i]);
  return DbResult::ok;
}

DbResult PostgresStorage::list_pending(int limit, const std::optional<PageCursor>& after,
                                       std::vector<CommentRow>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   std::string("SELECT ") + kCommentColumns +
                       " FROM comments c JOIN threads t ON t.id = c.thread_id WHERE c.status = 'pending' "
                       "AND (c.created_at > $2 OR (c.created_at = $2 AND c.id > $3)) "
                       "ORDER BY c.created_at, c.id LIMIT $1",
                   {(int64_t)limit, after ? after->created_at : INT64_MIN, after ? after->id : 0});
  if (!r.ok()) return DbResult::error;
  out.resize((size_t)r.rows());
  for (int i = 0; i < r.rows(); ++i) read_comment(r, i, out[(size_t)i]);
  return DbResult::ok;
}

bool PostgresStorage::count_hit(const std::string& bucket, int64_t window_start, int64_t& count) {
  PgPooled c(*this);
  if (!c) return false;
  // One atomic statement: two processes counting the same bucket never lose a hit.
  Result r = query(*c,
                   "INSERT INTO rate_limits (bucket, window_start, count) VALUES ($1, $2, 1) "
                   "ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count",
                   {bucket, window_start});
  if (!r.ok() || r.rows() != 1) return false;
  count = r.i64(0, 0);
  return true;
}

bool PostgresStorage::count_of(const std::string& bucket, int64_t window_start, int64_t& count) {
  PgPooled c(*this);
  if (!c) return false;
  Result r = query(*c, "SELECT count FROM rate_limits WHERE bucket = $1 AND window_start = $2", {bucket, window_start});
  if (!r.ok()) return false;
  count = r.rows() ? r.i64(0, 0) : 0;
  return true;
}

void PostgresStorage::expire_rate_limits(int64_t before) {
  PgPooled c(*this);
  if (c) query(*c, "DELETE FROM rate_limits WHERE window_start < $1", {before});
}

DbResult PostgresStorage::list_events(const std::string& thread_key, int64_t after_id, int limit,
                                      std::vector<EventRow>& out, bool& pruned) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  out.clear();
  pruned = false;
  Transaction tx(*c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!tx.began()) return DbResult::error;
  Result t = query(*c, "SELECT id, events_pruned_through FROM threads WHERE key = $1", {thread_key});
  if (!t.ok()) return DbResult::error;
  if (t.rows() == 0) return DbResult::ok;
  pruned = after_id < t.i64(0, 1);
  Result r = query(*c,
                   "SELECT id, kind, comment_id, created_at FROM thread_events WHERE thread_id = $1 AND id > $2 "
                   "ORDER BY id LIMIT $3",
                   {t.i64(0, 0), after_id, (int64_t)limit});
  if (!r.ok()) return DbResult::error;
  for (int i = 0; i < r.rows(); ++i) {
    EventRow e;
    e.id = r.i64(i, 0);
    e.kind = parse_event_kind(r.text(i, 1));
    e.comment_id = r.i64(i, 2);
    e.created_at = r.i64(i, 3);
    out.push_back(e);
  }
  tx.commit();
  return DbResult::ok;
}

void PostgresStorage::prune_events(int64_t before) {
  PgPooled c(*this);
  if (!c) return;
  Transaction tx(*c);
  if (!tx.began()) return;
  Result mark = query(*c,
                      "UPDATE threads SET events_pruned_through = GREATEST(threads.events_pruned_through, gone.last) "
                      "FROM (SELECT thread_id, MAX(id) AS last FROM thread_events WHERE created_at < $1 "
                      "GROUP BY thread_id) AS gone WHERE threads.id = gone.thread_id",
                      {before});
  if (!mark.ok()) return;
  Result drop = query(*c, "DELETE FROM thread_events WHERE created_at < $1", {before});
  if (drop.ok()) tx.commit();
}

void PostgresStorage::set_event_listener(EventListener listener) {
  listener_ = std::move(listener);
  if (listen_thread_.joinable()) return;
  // Serve nothing before LISTEN is in place: a stream opened then would miss
  // notifications until the next heartbeat.
  listen_thread_ = std::thread([this] { listen_loop(); });
  std::unique_lock<std::mutex> lock(listen_mutex_);
  listen_cv_.wait_for(lock, std::chrono::seconds(10), [this] { return listening_; });
}

// LISTEN on a connection of its own; reconnects after a second when it drops, and
// then says "" (any thread): notifications sent meanwhile are lost, the log is not.
void PostgresStorage::listen_loop() {
  bool first = true;
  while (!stopping_) {
    Connection c;
    c.db = PQconnectdb(conninfo_.c_str());
    if (!c.ok() || !exec(c, (std::string("LISTEN ") + kEventChannel).c_str())) {
      if (c.db) std::fprintf(stderr, "postgres: LISTEN connection: %s", PQerrorMessage(c.db));
      pollfd p{wake_fd_, POLLIN, 0};
      poll(&p, 1, 1000);
      continue;
    }
    if (!first && listener_) listener_("");
    if (first) {
      std::lock_guard<std::mutex> lock(listen_mutex_);
      listening_ = true;
      listen_cv_.notify_all();
    }
    first = false;
    while (!stopping_) {
      pollfd fds[2] = {{PQsocket(c.db), POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      if (poll(fds, 2, 30000) < 0) continue;
      if (fds[1].revents) break;
      if (!PQconsumeInput(c.db)) {
        std::fprintf(stderr, "postgres: LISTEN connection lost: %s", PQerrorMessage(c.db));
        break;
      }
      while (PGnotify* n = PQnotifies(c.db)) {
        const std::string key = n->extra ? n->extra : "";
        PQfreemem(n);
        if (listener_) listener_(key);
      }
      if (PQstatus(c.db) != CONNECTION_OK) break;
    }
  }
}

DbResult PostgresStorage::install_salt(std::string& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  const std::string candidate = random_hex(32);
  if (candidate.empty()) return DbResult::error;
  Result ins = query(*c, "INSERT INTO settings (name, value) VALUES ('install_salt', $1) ON CONFLICT (name) DO NOTHING",
                     {candidate});
  if (!ins.ok()) return DbResult::error;
  Result r = query(*c, "SELECT value FROM settings WHERE name = 'install_salt'");
  if (!r.ok() || r.rows() != 1) return DbResult::error;
  out = r.text(0, 0);
  return DbResult::ok;
}

DbResult PostgresStorage::set_install_salt(const std::string& salt) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   "INSERT INTO settings (name, value) VALUES ('install_salt', $1) "
                   "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value",
                   {salt});
  return r.ok() ? DbResult::ok : DbResult::error;
}

DbResult PostgresStorage::claim_link(const std::string& link_hash, int64_t expires_at, int64_t now) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  if (!query(*c, "DELETE FROM used_links WHERE expires_at < $1", {now}).ok()) return DbResult::error;
  Result r = query(*c, "INSERT INTO used_links (link_hash, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                   {link_hash, expires_at});
  if (!r.ok()) return DbResult::error;
  return r.affected() ? DbResult::ok : DbResult::not_found;
}

namespace {

constexpr const char* kOutboxColumns =
    "id, channel, recipient, subject, body, created_at, attempts, next_attempt_at, delivered_at, last_error";

void outbox_rows(const Result& r, std::vector<OutboxRow>& out) {
  out.clear();
  for (int i = 0; i < r.rows(); ++i) {
    OutboxRow o;
    o.id = r.i64(i, 0);
    o.channel = r.text(i, 1);
    o.recipient = r.text(i, 2);
    o.subject = r.text(i, 3);
    o.body = r.text(i, 4);
    o.created_at = r.i64(i, 5);
    o.attempts = (int)r.i64(i, 6);
    o.next_attempt_at = r.i64(i, 7);
    o.delivered_at = r.i64(i, 8);
    o.last_error = r.text(i, 9);
    out.push_back(std::move(o));
  }
}

}  // namespace

DbResult PostgresStorage::enqueue(const OutboxRow& row) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   "INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at) "
                   "VALUES ($1, $2, $3, $4, $5, $5)",
                   {row.channel, row.recipient, row.subject, row.body, row.created_at});
  return r.ok() ? DbResult::ok : DbResult::error;
}

DbResult PostgresStorage::lease_due(int64_t now, int64_t lease_until, int limit, std::vector<OutboxRow>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  // SKIP LOCKED: senders of several processes take different messages.
  Result r = query(*c,
                   std::string("UPDATE outbox SET leased_until = $2 WHERE id IN (SELECT id FROM outbox WHERE "
                               "delivered_at = 0 AND next_attempt_at <= $1 AND leased_until <= $1 "
                               "ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING ") +
                       kOutboxColumns,
                   {now, lease_until, limit});
  if (!r.ok()) return DbResult::error;
  outbox_rows(r, out);
  return DbResult::ok;
}

DbResult PostgresStorage::record_attempt(int64_t id, bool delivered, bool counted, const std::string& error,
                                         int64_t now, int64_t next_attempt_at) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   "UPDATE outbox SET leased_until = 0, attempts = attempts + $2, delivered_at = $3, "
                   "last_error = $4, next_attempt_at = $5 WHERE id = $1",
                   {id, counted ? 1 : 0, delivered ? now : (int64_t)0, error, next_attempt_at});
  return r.ok() ? DbResult::ok : DbResult::error;
}

DbResult PostgresStorage::list_outbox(const std::string& channel, int limit, int64_t before,
                                      std::vector<OutboxRow>& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c,
                   std::string("SELECT ") + kOutboxColumns +
                       " FROM outbox WHERE channel = $1 AND ($3::bigint = 0 OR id < $3::bigint) ORDER BY id DESC LIMIT $2",
                   {channel, limit, before});
  if (!r.ok()) return DbResult::error;
  outbox_rows(r, out);
  return DbResult::ok;
}

void PostgresStorage::prune_outbox(int64_t before) {
  PgPooled c(*this);
  if (c) query(*c, "DELETE FROM outbox WHERE delivered_at > 0 AND delivered_at < $1", {before});
}

DbResult PostgresStorage::is_empty(bool& out) {
  PgPooled c(*this);
  if (!c) return DbResult::error;
  Result r = query(*c, "SELECT NOT EXISTS (SELECT 1 FROM threads)");
  if (!r.ok() || r.rows() != 1) return DbResult::error;
  out = r.boolean(0, 0);
  return DbResult::ok;
}

// PostgreSQL has no file lock that stops every writer: what refuses writes is a
// lock held too long by another session (a statement gave up on it lately, and no
// commit has succeeded since), a standby (recovery) or a read-only setting.
bool PostgresStorage::writes_available(int64_t max_age_ms) {
  {
    std::lock_guard<std::mutex> lock(outcome_mutex_);
    if (gave_up_at_ms_ && now_ms() - gave_up_at_ms_ <= max_age_ms) return false;
  }
  PgPooled c(*this);
  if (!c) return false;
  Result r = query(*c, "SELECT NOT pg_is_in_recovery() AND current_setting('transaction_read_only') = 'off'");
  return r.ok() && r.rows() == 1 && r.boolean(0, 0);
}

}  // namespace causerie::server
