// Rate limits, CORS, static files and path tricks, crash durability, concurrency.
#include <doctest/doctest.h>

#include <atomic>
#include <ctime>
#include <set>

#include "harness.h"

using namespace test;

TEST_CASE("rate limits: posting and reading separately, 429 with Retry-After") {
  // Windows are clock-aligned: an hour's, so that a slow run (under the sanitizers)
  // does not cross into the next window between the posts and the checks.
  Server s({"--rate-post", "3/h", "--rate-read", "5/h"});
  auto c = s.client();
  for (int i = 0; i < 3; ++i) CHECK(post_comment(c, "/r", new_comment("Message " + std::to_string(i)))->status == 201);
  auto limited = post_comment(c, "/r", new_comment("Un de trop"));
  REQUIRE(limited);
  CHECK(limited->status == 429);
  CHECK(error_code(limited) == "rate_limited");
  const int retry = std::atoi(limited->get_header_value("Retry-After").c_str());
  CHECK(retry >= 1);
  CHECK(retry <= 3600);
  CHECK(api_error(limited).retry_after == std::optional<int64_t>(retry));

  // Reading has its own budget, untouched by the posts.
  for (int i = 0; i < 5; ++i) CHECK(c.Get(thread_path("/r").c_str())->status == 200);
  auto read_limited = c.Get("/api/v1/counts?thread=%2Fr");
  CHECK(read_limited->status == 429);
  CHECK(!read_limited->get_header_value("Retry-After").empty());
  // Health checks and static files are not limited.
  CHECK(c.Get("/healthz")->status == 200);

  if (using_postgres()) {
    // Counters live in the database, which every process shares: a restart does
    // not reset them. The database holds hashed IPs, never the address itself.
    s.restart();
    auto c2 = s.client();
    CHECK(post_comment(c2, "/r", new_comment("Après redémarrage"))->status == 429);
    const std::string buckets = pg_query_text(s.db(), "SELECT string_agg(bucket, ' ') FROM rate_limits");
    CHECK(!buckets.empty());
    CHECK(buckets.find("127.0.0.1") == std::string::npos);
  } else {
    // One process per SQLite file: counters live in its memory (a read never waits
    // for a write), and nothing of them reaches the file.
    const std::string db = read_file(s.dir() + "/db/causerie.db") + read_file(s.dir() + "/db/causerie.db-wal");
    CHECK(db.find("127.0.0.1") == std::string::npos);
    CHECK(db.find("read:") == std::string::npos);
  }
}

TEST_CASE("CORS: allow-list, preflight, refused origins") {
  Server s({"--allowed-origin", "https://site.example", "--allowed-origin", "https://other.example/"});
  auto c = s.client();
  auto pre = c.Options(thread_path("/c").c_str(), {{"Origin", "https://site.example"},
                                                   {"Access-Control-Request-Method", "POST"},
                                                   {"Access-Control-Request-Headers", "content-type"}});
  REQUIRE(pre);
  CHECK(pre->status == 204);
  CHECK(pre->get_header_value("Access-Control-Allow-Origin") == "https://site.example");
  CHECK(pre->get_header_value("Access-Control-Allow-Methods").find("PATCH") != std::string::npos);
  CHECK(pre->get_header_value("Access-Control-Allow-Headers").find("X-Causerie-Edit-Tokens") != std::string::npos);
  CHECK(pre->get_header_value("Access-Control-Max-Age") == "600");
  CHECK(pre->get_header_value("Vary").find("Origin") != std::string::npos);
  CHECK(pre->get_header_value("Access-Control-Allow-Credentials").empty());

  auto evil_pre = c.Options(thread_path("/c").c_str(), {{"Origin", "https://evil.example"}});
  CHECK(evil_pre->status == 204);
  CHECK(evil_pre->get_header_value("Access-Control-Allow-Origin").empty());

  auto ok = post_comment(c, "/c", new_comment("Depuis le site"), {{"Origin", "https://site.example"}});
  CHECK(ok->status == 201);
  CHECK(ok->get_header_value("Access-Control-Allow-Origin") == "https://site.example");
  CHECK(post_comment(c, "/c", new_comment("Autre site", "B", "b@example.org"), {{"Origin", "https://other.example"}})
            ->status == 201);

  auto evil =
      post_comment(c, "/c", new_comment("Depuis ailleurs", "E", "e@example.org"), {{"Origin", "https://evil.example"}});
  CHECK(evil->status == 403);
  CHECK(error_code(evil) == "origin_not_allowed");
  CHECK(evil->get_header_value("Access-Control-Allow-Origin").empty());
  // Reads from anywhere are answered, but without the CORS header the browser keeps them.
  auto evil_read = c.Get(thread_path("/c").c_str(), {{"Origin", "https://evil.example"}});
  CHECK(evil_read->status == 200);
  CHECK(evil_read->get_header_value("Access-Control-Allow-Origin").empty());
  // The server's own pages are same-origin.
  const std::string self = "http://127.0.0.1:" + std::to_string(s.port());
  CHECK(post_comment(c, "/c", new_comment("Démo locale", "D", "d@example.org"), {{"Origin", self}})->status == 201);
  CHECK(get_page(c, "/c").comments.size() == 3);
}

TEST_CASE("static files: MIME types, caching, gzip of wasm, and no way out of the folder") {
  const std::string dir = make_temp_dir();
  fs::create_directories(dir + "/static/sub");
  std::ofstream(dir + "/static/causerie.js") << "console.log('causerie');\n";
  std::ofstream(dir + "/static/index.html") << "<!doctype html><title>demo</title>\n";
  std::ofstream(dir + "/static/.env") << "SECRET=1\n";
  std::ofstream(dir + "/secret.txt") << "outside\n";
  {
    std::ofstream wasm(dir + "/static/sub/causerie.wasm", std::ios::binary);
    wasm << std::string("\0asm\1\0\0\0", 8);
    for (int i = 0; i < 4000; ++i) wasm << "abcd";
  }
  fs::create_symlink(dir + "/secret.txt", dir + "/static/link.txt");
  {
    Server s({}, dir);
    auto c = s.client();
    auto js = c.Get("/causerie.js");
    REQUIRE(js);
    CHECK(js->status == 200);
    CHECK(js->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    CHECK(js->get_header_value("Cache-Control") == "public, max-age=300");
    auto index = c.Get("/");
    CHECK(index->status == 200);
    std::ofstream(dir + "/static/sub/index.html") << "<!doctype html><title>article</title>\n";
    auto folder = c.Get("/sub");
    CHECK(folder->status == 301);
    CHECK(folder->get_header_value("Location") == "/sub/");
    CHECK(c.Get("/sub/")->body.find("article") != std::string::npos);
    CHECK(index->get_header_value("Content-Type") == "text/html; charset=utf-8");

    auto wasm = c.Get("/sub/causerie.wasm?v=0.1.0", {{"Accept-Encoding", "gzip"}});
    REQUIRE(wasm);
    CHECK(wasm->status == 200);
    CHECK(wasm->get_header_value("Content-Type") == "application/wasm");
    CHECK(wasm->get_header_value("Cache-Control") == "public, max-age=31536000, immutable");
    CHECK(wasm->get_header_value("Content-Encoding") == "gzip");
    CHECK(wasm->body.size() < 1000);
    CHECK(wasm->get_header_value("Access-Control-Allow-Origin") == "*");
    auto raw = c.Get("/sub/causerie.wasm");
    CHECK(raw->body.size() == 16008);
    CHECK(raw->body.compare(0, 4, std::string("\0asm", 4)) == 0);
    auto again = c.Get("/sub/causerie.wasm", {{"If-None-Match", raw->get_header_value("ETag")}});
    CHECK(again->status == 304);

    for (const char* trick :
         {"/..%2Fsecret.txt", "/%2e%2e/secret.txt", "/sub/..%2F..%2Fsecret.txt", "/.env", "/link.txt",
          "/sub/%2e%2e/%2e%2e/secret.txt", "/%2Fetc%2Fpasswd", "/sub%5C..%5C..%5Csecret.txt", "/nothing.js"}) {
      auto r = c.Get(trick);
      REQUIRE(r);
      CHECK_MESSAGE(r->status == 404, trick);
      CHECK_MESSAGE(r->body.find("outside") == std::string::npos, trick);
      CHECK_MESSAGE(r->body.find("SECRET") == std::string::npos, trick);
    }
  }
  fs::remove_all(dir);
}

TEST_CASE("a comment answered 201 survives kill -9 right after the answer, in both sync modes") {
  const char* mode = nullptr;
  SUBCASE("--sync full") { mode = "full"; }
  SUBCASE("--sync normal") { mode = "normal"; }
  CAPTURE(mode);
  Server s({"--sync", mode});
  std::vector<int64_t> ids;
  {
    auto c = s.client();
    for (int i = 0; i < 10; ++i) {
      auto r = post_comment(c, "/crash",
                            new_comment("Durable " + std::to_string(i), "K" + std::to_string(i),
                                        "k" + std::to_string(i) + "@example.org"));
      REQUIRE(r);
      REQUIRE(r->status == 201);
      ids.push_back(parse(r)["comment"]["id"]);
    }
  }
  // The last answer was just read: kill at once, no chance to flush anything.
  auto c = s.client();
  auto last = post_comment(c, "/crash", new_comment("Le dernier", "Z", "z@example.org"));
  REQUIRE(last->status == 201);
  const int status = s.stop(SIGKILL);
  CHECK(WIFSIGNALED(status));
  ids.push_back(parse(last)["comment"]["id"]);

  s.start();
  REQUIRE(s.running());
  auto c2 = s.client();
  auto page = get_page(c2, "/crash", "?limit=200");
  std::vector<int64_t> got;
  for (auto& cm : page.comments) got.push_back(cm.id);
  CHECK(got == ids);
  CHECK(page.thread.comment_count == (int64_t)ids.size());
}

TEST_CASE("clean shutdown on SIGTERM and SIGINT") {
  Server s;
  {
    auto c = s.client();
    CHECK(post_comment(c, "/bye", new_comment("Au revoir"))->status == 201);
  }
  const int status = s.stop(SIGTERM);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(s.log().find("stopped") != std::string::npos);
  s.start();
  {
    auto c = s.client();
    CHECK(get_page(c, "/bye").comments.size() == 1);
  }
  const int st2 = s.stop(SIGINT);
  CHECK(WIFEXITED(st2));
  CHECK(WEXITSTATUS(st2) == 0);
}

TEST_CASE("8 clients posting 25 comments each at once: all 200 stored exactly once, thread intact") {
  Server s({"--threads", "8"});
  std::atomic<int> created{0}, failed{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&, t] {
      auto c = s.client();
      for (int i = 0; i < 25; ++i) {
        const std::string tag = std::to_string(t) + "-" + std::to_string(i);
        auto r = post_comment(c, "/busy",
                              new_comment("Message " + tag, "Client " + std::to_string(t),
                                          "client" + std::to_string(t) + "@example.org"));
        if (r && r->status == 201) ++created;
        else ++failed;
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(created == 200);
  CHECK(failed == 0);
  auto c = s.client();
  auto page = get_page(c, "/busy", "?limit=200");
  CHECK(page.thread.comment_count == 200);
  REQUIRE(page.comments.size() == 200);
  std::set<int64_t> ids;
  std::set<std::string> bodies;
  for (auto& cm : page.comments) {
    ids.insert(cm.id);
    bodies.insert(cm.body);
  }
  CHECK(ids.size() == 200);
  CHECK(bodies.size() == 200);
  CHECK_FALSE(page.next_cursor);
}

// The server batches concurrent writes into one transaction (SQLite's group commit):
// every rule of a post must still hold for each post of a batch on its own.
TEST_CASE("16 clients at once: duplicates refused, refused posts leave nothing, the rest all stored") {
  Server s({"--threads", "16"});
  constexpr int kClients = 16;
  std::atomic<int> dup_created{0}, dup_refused{0}, bad_parent{0}, created{0}, unexpected{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < kClients; ++t) {
    clients.emplace_back([&, t] {
      auto c = s.client();
      const std::string who = std::to_string(t);
      // The same comment by the same author, from every client at once: one is stored.
      auto d = post_comment(c, "/lot", new_comment("Le même message, envoyé seize fois.", "Même", "meme@example.org"));
      if (d && d->status == 201) ++dup_created;
      else if (d && d->status == 409 && error_code(d) == "duplicate") ++dup_refused;
      else ++unexpected;
      for (int i = 0; i < 3; ++i) {
        // A reply to a comment that does not exist, in a thread this post would have
        // created: refused, and the thread must not exist afterwards.
        json bad = new_comment("Réponse perdue " + who, "Perdu " + who, "perdu" + who + "@example.org");
        bad["parent_id"] = 999999;
        auto b = post_comment(c, "/neuf-" + who + "-" + std::to_string(i), bad);
        if (b && b->status == 422) ++bad_parent;
        else ++unexpected;
        auto r = post_comment(
            c, "/lot",
            new_comment("Message " + who + "-" + std::to_string(i), "Client " + who, "client" + who + "@example.org"));
        if (r && r->status == 201) ++created;
        else ++unexpected;
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(unexpected == 0);
  CHECK(dup_created == 1);
  CHECK(dup_refused == kClients - 1);
  CHECK(bad_parent == kClients * 3);
  CHECK(created == kClients * 3);

  auto c = s.client();
  auto page = get_page(c, "/lot", "?limit=200");
  CHECK(page.thread.comment_count == kClients * 3 + 1);
  REQUIRE(page.comments.size() == (size_t)(kClients * 3 + 1));
  std::set<int64_t> ids;
  for (auto& cm : page.comments) ids.insert(cm.id);
  CHECK(ids.size() == page.comments.size());
  // Every stored comment bumped the thread's version once, from 1 at its creation; the
  // refused ones not at all (the version is also the live event id).
  auto head = c.Get(thread_path("/lot").c_str());
  REQUIRE(head);
  CHECK(head->get_header_value("Causerie-Event-Id") == std::to_string(1 + kClients * 3 + 1));
  for (int t = 0; t < kClients; ++t) {
    auto r = c.Get(thread_path("/neuf-" + std::to_string(t) + "-0").c_str());
    REQUIRE(r);
    CHECK(r->get_header_value("Causerie-Event-Id") == "0");  // no such thread: version 0
  }
  auto counts = c.Get("/api/v1/counts?thread=%2Fneuf-0-0&thread=%2Fneuf-15-2&thread=%2Flot");
  REQUIRE(counts);
  CHECK(parse(counts)["counts"] == json({{"/neuf-0-0", 0}, {"/neuf-15-2", 0}, {"/lot", kClients * 3 + 1}}));
}

TEST_CASE("rate limits hold exactly under concurrent posts from one address") {
  // An hour's window, so that a test run almost never straddles two windows; when it
  // does (the hour turned during the run), the exact count is not checked.
  Server s({"--threads", "16", "--rate-post", "40/h"});
  const auto hour = [] { return std::time(nullptr) / 3600; };
  const auto hour_before = hour();
  std::atomic<int> created{0}, limited{0}, unexpected{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t) {
    clients.emplace_back([&, t] {
      auto c = s.client();
      for (int i = 0; i < 4; ++i) {
        const std::string tag = std::to_string(t) + "-" + std::to_string(i);
        auto r =
            post_comment(c, "/limite-lot", new_comment("Message " + tag, "Client " + tag, "c" + tag + "@example.org"));
        if (r && r->status == 201) ++created;
        else if (r && r->status == 429) ++limited;
        else ++unexpected;
      }
    });
  }
  for (auto& t : clients) t.join();
  CHECK(unexpected == 0);
  CHECK(created + limited == 64);
  if (hour() == hour_before) {
    CHECK(created == 40);
    CHECK(limited == 24);
  }
  auto c = s.client();
  CHECK(get_page(c, "/limite-lot", "?limit=200").thread.comment_count == created);
}
