// Several server processes on one PostgreSQL behave as one server: what one
// stores the other lists and streams, rate limits are shared, and a reader whose
// process dies resumes on another without missing anything. PostgreSQL only
// (ctest server.postgres): SQLite serves a site from one process.
#include <doctest/doctest.h>

#include <atomic>
#include <set>

#include "harness.h"

using namespace test;

namespace {

causerie::Comment event_comment(const SseEvent& e) {
  causerie::Comment c;
  causerie::DecodeError err;
  if (!causerie::decode_comment(e.data, c, err)) FAIL_CHECK("not a comment: " << e.data);
  return c;
}

}  // namespace

TEST_CASE("two processes: posted through A, listed by B and pushed to a stream on B" *
          doctest::skip(!using_postgres())) {
  Server a;
  Server b({}, {}, a.db());
  REQUIRE(a.running());
  REQUIRE(b.running());
  EventStream stream(b.port(), "/partage");
  REQUIRE(stream.status() == 200);
  auto ca = a.client();
  auto cb = b.client();
  auto posted = post_comment(ca, "/partage", new_comment("Écrit sur A"));
  REQUIRE(posted);
  REQUIRE(posted->status == 201);
  SseEvent e;
  REQUIRE(stream.next_event(e, 3000));
  CHECK(e.event == "comment");
  CHECK(event_comment(e).body == "Écrit sur A");
  const auto page = get_page(cb, "/partage");
  REQUIRE(page.comments.size() == 1);
  CHECK(page.comments[0].body == "Écrit sur A");
  CHECK(page.thread.comment_count == 1);
  // B's cached page is revalidated against the database's version, not its own.
  auto etag_b = cb.Get(thread_path("/partage").c_str())->get_header_value("ETag");
  REQUIRE(post_comment(ca, "/partage", new_comment("Encore sur A"))->status == 201);
  auto again = cb.Get(thread_path("/partage").c_str(), {{"If-None-Match", etag_b}});
  REQUIRE(again);
  CHECK(again->status == 200);
  CHECK(get_page(cb, "/partage").comments.size() == 2);
  // Duplicates are refused across processes too.
  auto dup = post_comment(cb, "/partage", new_comment("Encore sur A"));
  REQUIRE(dup);
  CHECK(dup->status == 409);
}

TEST_CASE("two processes share rate limits: N posts through A, the next through B is 429" *
          doctest::skip(!using_postgres())) {
  Server a({"--rate-post", "3/h"});  // an hour's clock-aligned window: a slow run stays in it
  Server b({"--rate-post", "3/h"}, {}, a.db());
  auto ca = a.client();
  auto cb = b.client();
  for (int i = 0; i < 3; ++i)
    CHECK(post_comment(ca, "/limite", new_comment("Message " + std::to_string(i)))->status == 201);
  auto r = post_comment(cb, "/limite", new_comment("Un de trop"));
  REQUIRE(r);
  CHECK(r->status == 429);
  CHECK(error_code(r) == "rate_limited");
  CHECK(!r->get_header_value("Retry-After").empty());
}

TEST_CASE("two processes posting at once into one thread: every comment once, event ids all distinct" *
          doctest::skip(!using_postgres())) {
  Server a;
  Server b({}, {}, a.db());
  EventStream stream(a.port(), "/ensemble");
  REQUIRE(stream.status() == 200);
  std::atomic<int> created{0};
  auto poster = [&](const Server& s, const std::string& who) {
    auto c = s.client();
    for (int i = 0; i < 15; ++i) {
      auto r = post_comment(c, "/ensemble", new_comment(who + " " + std::to_string(i), who, who + "@example.org"));
      if (r && r->status == 201) ++created;
    }
  };
  std::thread ta(poster, std::cref(a), "A"), tb(poster, std::cref(b), "B");
  ta.join();
  tb.join();
  CHECK(created == 30);
  auto c = a.client();
  const auto page = get_page(c, "/ensemble", "?limit=100");
  CHECK(page.thread.comment_count == 30);
  CHECK(page.comments.size() == 30);
  std::set<int64_t> ids;
  std::set<std::string> bodies;
  int64_t last = 0;
  SseEvent e;
  while (bodies.size() < 30 && stream.next_event(e, 3000)) {
    const int64_t id = std::stoll(e.id);
    CHECK(id > last);
    last = id;
    ids.insert(id);
    bodies.insert(event_comment(e).body);
  }
  CHECK(ids.size() == 30);
  CHECK(bodies.size() == 30);
}

TEST_CASE("kill -9 the process a reader streams from: resuming on the other with Last-Event-ID misses nothing" *
          doctest::skip(!using_postgres())) {
  Server a;
  Server b({}, {}, a.db());
  auto ca = a.client();
  std::string last_id;
  {
    EventStream stream(b.port(), "/panne");
    REQUIRE(stream.status() == 200);
    REQUIRE(post_comment(ca, "/panne", new_comment("Avant la panne"))->status == 201);
    SseEvent e;
    REQUIRE(stream.next_event(e, 3000));
    CHECK(event_comment(e).body == "Avant la panne");
    last_id = stream.last_id();
    b.stop(SIGKILL);
    // The stream ends with the process.
    CHECK_FALSE(stream.next(e, 2000));
  }
  // While the reader reconnects, comments keep coming through A.
  for (const char* body : {"Pendant 1", "Pendant 2"})
    REQUIRE(post_comment(ca, "/panne", new_comment(body))->status == 201);
  EventStream resumed(a.port(), "/panne", {"Last-Event-ID: " + last_id});
  REQUIRE(resumed.status() == 200);
  REQUIRE(post_comment(ca, "/panne", new_comment("Après"))->status == 201);
  std::vector<std::string> bodies;
  SseEvent e;
  while (bodies.size() < 3 && resumed.next_event(e, 3000)) bodies.push_back(event_comment(e).body);
  CHECK(bodies == std::vector<std::string>{"Pendant 1", "Pendant 2", "Après"});
}
