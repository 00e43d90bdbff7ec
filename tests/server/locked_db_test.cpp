// The SQLite file locked by another connection (another process's write lock, as
// a backup tool, a migration or `sqlite3` at a prompt may hold it): writes answer
// 503 with Retry-After within 2 s, reads and their rate-limit counters do not
// wait, /healthz says the write path is degraded, and all is well once it is free.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "harness.h"

using namespace test;

namespace {

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// Another connection to the server's database file, holding its write lock
// (BEGIN IMMEDIATE, one row written) until released.
class WriteLock {
public:
  explicit WriteLock(const std::string& path) {
    ok_ = sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK &&
          sqlite3_exec(db_, "BEGIN IMMEDIATE; INSERT OR REPLACE INTO settings (name, value) VALUES ('held', '1')",
                       nullptr, nullptr, nullptr) == SQLITE_OK;
  }
  ~WriteLock() {
    release();
    sqlite3_close_v2(db_);
  }
  bool ok() const { return ok_; }
  void release() {
    if (ok_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    ok_ = false;
  }

private:
  sqlite3* db_ = nullptr;
  bool ok_ = false;
};

}  // namespace

TEST_CASE("a locked SQLite file: writes 503 within 2 s, reads do not wait, /healthz degraded" *
          doctest::skip(using_postgres())) {
  // Rate limits on: every read counts a hit, which once went through the writer.
  Server s({"--rate-read", "10000/min", "--rate-post", "10000/min"});
  auto c = s.client();
  auto first = parse(post_comment(c, "/verrou", new_comment("Avant le verrou")));
  REQUIRE(first["comment"]["id"].is_number());
  const std::string comment_path = "/api/v1/comments/" + std::to_string(first["comment"]["id"].get<int64_t>());
  const std::string token = first["edit_token"];
  REQUIRE(c.Get("/healthz")->status == 200);

  WriteLock lock(s.dir() + "/db/causerie.db");
  REQUIRE(lock.ok());

  // Posts, edits and the plain form: 503 unavailable with Retry-After, in time.
  auto start = Clock::now();
  auto post = post_comment(c, "/verrou", new_comment("Pendant le verrou", "Paul", "paul@example.org"));
  const int64_t post_ms = ms_since(start);
  REQUIRE(post);
  CHECK(post->status == 503);
  CHECK(error_code(post) == "unavailable");
  CHECK(!post->get_header_value("Retry-After").empty());
  CHECK(post_ms < 2000);
  start = Clock::now();
  auto edit = c.Patch(comment_path.c_str(), bearer(token), R"({"body": "Corrigé"})", "application/json");
  REQUIRE(edit);
  CHECK(edit->status == 503);
  CHECK(!edit->get_header_value("Retry-After").empty());
  CHECK(ms_since(start) < 2000);
  start = Clock::now();
  auto form =
      c.Post((thread_path("/verrou") + ".form").c_str(),
             "body=Par+le+formulaire&name=Ana&email=ana%40example.org&lang=fr", "application/x-www-form-urlencoded");
  REQUIRE(form);
  CHECK(form->status == 503);
  CHECK(!form->get_header_value("Retry-After").empty());
  CHECK(form->body.find("Par le formulaire</textarea>") != std::string::npos);  // the reader's text is kept
  CHECK(ms_since(start) < 2000);

  // Reads, each counted by the read rate limit, answer at once, several at a time.
  std::vector<std::thread> readers;
  std::atomic<int> slow{0}, failed{0};
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      auto rc = s.client();
      for (int i = 0; i < 10; ++i) {
        const auto t0 = Clock::now();
        auto g = rc.Get(thread_path("/verrou").c_str());
        if (!g || g->status != 200) ++failed;
        if (ms_since(t0) > 300) ++slow;
      }
    });
  }
  // /healthz tells the failing write path apart from a dead server, in time.
  start = Clock::now();
  auto health = c.Get("/healthz");
  const int64_t health_ms = ms_since(start);
  for (auto& r : readers) r.join();
  CHECK(failed == 0);
  CHECK(slow == 0);
  REQUIRE(health);
  CHECK(health->status == 503);
  CHECK(parse(health)["status"] == "degraded");
  CHECK(!health->get_header_value("Retry-After").empty());
  CHECK(health_ms < 2000);
  CHECK(get_page(c, "/verrou").comments.size() == 1);  // nothing half-stored

  // Free again: /healthz within its second of memory, posts at once.
  lock.release();
  int status = 0;
  for (int i = 0; i < 40 && status != 200; ++i) {
    status = c.Get("/healthz")->status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(status == 200);
  CHECK(post_comment(c, "/verrou", new_comment("Après le verrou", "Paul", "paul@example.org"))->status == 201);
  CHECK(c.Patch(comment_path.c_str(), bearer(token), R"({"body": "Corrigé"})", "application/json")->status == 200);
  CHECK(get_page(c, "/verrou").comments.size() == 2);
}

namespace {

// Another PostgreSQL session holding locks (a row, a table) until it rolls back.
class PgSession {
public:
  explicit PgSession(const std::string& url) : db_(PQconnectdb(url.c_str())) {}
  ~PgSession() { PQfinish(db_); }
  bool run(const std::string& sql) {
    PGresult* r = PQexec(db_, sql.c_str());
    const auto status = PQresultStatus(r);
    PQclear(r);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }

private:
  PGconn* db_;
};

}  // namespace

TEST_CASE("PostgreSQL: a row or table locked by another session: 503 with Retry-After within 2 s, no hang" *
          doctest::skip(!using_postgres())) {
  Server s;
  auto c = s.client();
  REQUIRE(post_comment(c, "/verrou", new_comment("Avant le verrou"))->status == 201);
  REQUIRE(post_comment(c, "/libre", new_comment("Ailleurs"))->status == 201);

  // The thread's row locked, as every change to a thread locks it first.
  PgSession other(s.db());
  REQUIRE(other.run("BEGIN"));
  REQUIRE(other.run("SELECT id FROM threads WHERE key = '/verrou' FOR UPDATE"));
  auto start = Clock::now();
  auto post = post_comment(c, "/verrou", new_comment("Pendant le verrou", "Paul", "paul@example.org"));
  CHECK(ms_since(start) < 2000);
  REQUIRE(post);
  CHECK(post->status == 503);
  CHECK(error_code(post) == "unavailable");
  CHECK(!post->get_header_value("Retry-After").empty());
  // /healthz says the write path is failing, while it is.
  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 503);
  CHECK(parse(health)["status"] == "degraded");
  // Reads of the locked thread do not wait for the row; other threads take posts.
  start = Clock::now();
  CHECK(get_page(c, "/verrou").comments.size() == 1);
  CHECK(ms_since(start) < 500);
  CHECK(post_comment(c, "/libre", new_comment("Toujours ouvert", "Ana", "ana@example.org"))->status == 201);

  // A whole table locked: reads give up in time too, with the same answer.
  REQUIRE(other.run("LOCK TABLE comments IN ACCESS EXCLUSIVE MODE"));
  start = Clock::now();
  auto read = c.Get(thread_path("/libre").c_str());
  CHECK(ms_since(start) < 2000);
  REQUIRE(read);
  CHECK(read->status == 503);
  CHECK(!read->get_header_value("Retry-After").empty());

  // Free again: the post goes through, nothing half-stored before.
  REQUIRE(other.run("ROLLBACK"));
  CHECK(post_comment(c, "/verrou", new_comment("Après le verrou", "Paul", "paul@example.org"))->status == 201);
  CHECK(get_page(c, "/verrou").comments.size() == 2);
  CHECK(c.Get("/healthz")->status == 200);
}
