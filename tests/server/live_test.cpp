// Live updates: the Server-Sent Events stream of a thread (docs/api.md, "Live
// updates"), on whichever backend the suite runs (SQLite: the in-process bus;
// PostgreSQL: LISTEN/NOTIFY).
#include <doctest/doctest.h>

#include "harness.h"

using namespace test;

namespace {

causerie::Comment event_comment(const SseEvent& e) {
  causerie::Comment c;
  causerie::DecodeError err;
  if (!causerie::decode_comment(e.data, c, err)) FAIL_CHECK("not a comment: " << e.data);
  return c;
}

int64_t posted_id(const httplib::Result& r) { return parse(r)["comment"]["id"].get<int64_t>(); }

}  // namespace

TEST_CASE("live stream: new comments, edits and deletions arrive with increasing ids; pings keep it open") {
  Server s({"--events-heartbeat", "300ms"});
  auto c = s.client();
  EventStream stream(s.port(), "/live");
  REQUIRE(stream.status() == 200);
  CHECK(stream.head().find("Content-Type: text/event-stream") != std::string::npos);
  CHECK(stream.head().find("Cache-Control: no-store") != std::string::npos);

  auto posted = post_comment(c, "/live", new_comment("Premier en direct"));
  REQUIRE(posted);
  REQUIRE(posted->status == 201);
  const std::string token = parse(posted)["edit_token"];
  SseEvent e;
  REQUIRE(stream.next_event(e));
  CHECK(e.event == "comment");
  const causerie::Comment first = event_comment(e);
  CHECK(first.id == posted_id(posted));
  CHECK(first.body == "Premier en direct");
  CHECK(first.author.name == "Marie");
  CHECK(e.data.find("marie@example.org") == std::string::npos);
  const int64_t id1 = std::stoll(e.id);

  auto patched = c.Patch(("/api/v1/comments/" + std::to_string(first.id)).c_str(), bearer(token),
                         R"({"body":"Premier, corrigé"})", "application/json");
  REQUIRE(patched);
  REQUIRE(patched->status == 200);
  REQUIRE(stream.next_event(e));
  CHECK(e.event == "update");
  CHECK(event_comment(e).body == "Premier, corrigé");
  CHECK(event_comment(e).edited_at.has_value());
  const int64_t id2 = std::stoll(e.id);
  CHECK(id2 > id1);

  auto deleted = c.Delete(("/api/v1/comments/" + std::to_string(first.id)).c_str(), bearer(token));
  REQUIRE(deleted);
  REQUIRE(deleted->status == 200);
  REQUIRE(stream.next_event(e));
  CHECK(e.event == "update");
  CHECK(event_comment(e).status == causerie::CommentStatus::deleted);
  CHECK(event_comment(e).body.empty());
  CHECK(std::stoll(e.id) > id2);

  // Another thread's comment is not pushed here; pings are.
  REQUIRE(post_comment(c, "/ailleurs", new_comment("Ailleurs"))->status == 201);
  bool pinged = false;
  while (!pinged && stream.next(e, 1500)) {
    CHECK(e.ping);
    pinged = e.ping;
  }
  CHECK(pinged);
}

TEST_CASE("live stream: Last-Event-ID and ?after= replay what was missed, in order, exactly once") {
  Server s;
  auto c = s.client();
  REQUIRE(post_comment(c, "/reprise", new_comment("Un"))->status == 201);
  // A reader loads the thread: the answer says where its snapshot stands.
  auto read = c.Get(thread_path("/reprise").c_str());
  REQUIRE(read);
  const std::string snapshot = read->get_header_value("Causerie-Event-Id");
  REQUIRE(!snapshot.empty());
  std::string resume_from;
  {
    EventStream stream(s.port(), "/reprise", {}, "?after=" + snapshot);
    REQUIRE(stream.status() == 200);
    REQUIRE(post_comment(c, "/reprise", new_comment("Deux"))->status == 201);
    SseEvent e;
    REQUIRE(stream.next_event(e));
    CHECK(event_comment(e).body == "Deux");
    resume_from = e.id;
  }  // the reader goes away...
  for (const char* body : {"Trois", "Quatre", "Cinq"})
    REQUIRE(post_comment(c, "/reprise", new_comment(body))->status == 201);
  // ...and comes back with the last id it had.
  EventStream again(s.port(), "/reprise", {"Last-Event-ID: " + resume_from});
  REQUIRE(again.status() == 200);
  std::vector<std::string> bodies;
  SseEvent e;
  while (bodies.size() < 4 && again.next_event(e, 1500)) bodies.push_back(event_comment(e).body);
  CHECK(bodies == std::vector<std::string>{"Trois", "Quatre", "Cinq"});

  // Without a position, a stream starts now: nothing old is replayed.
  EventStream fresh(s.port(), "/reprise");
  REQUIRE(fresh.status() == 200);
  CHECK_FALSE(fresh.next_event(e, 500));
  REQUIRE(post_comment(c, "/reprise", new_comment("Six"))->status == 201);
  REQUIRE(fresh.next_event(e));
  CHECK(event_comment(e).body == "Six");

  // Bad positions are refused.
  EventStream bad(s.port(), "/reprise", {"Last-Event-ID: abc"});
  CHECK(bad.status() == 400);
}

TEST_CASE("live stream: moderation decisions reach readers; pending comments never do") {
  const std::string dir = make_temp_dir();
  const std::string admin = "admin-token-0123456789abcdef";
  std::ofstream(dir + "/admin-token") << admin << "\n";
  Server s({"--moderation", "first", "--admin-token-file", dir + "/admin-token"});
  auto c = s.client();
  EventStream stream(s.port(), "/modere");
  REQUIRE(stream.status() == 200);
  auto pending = post_comment(c, "/modere", new_comment("En attente", "Nouveau", "nouveau@example.org"));
  REQUIRE(pending);
  REQUIRE(pending->status == 202);
  SseEvent e;
  CHECK_FALSE(stream.next_event(e, 500));
  const int64_t id = posted_id(pending);
  auto approve =
      c.Post(("/api/v1/moderation/comments/" + std::to_string(id) + "/approve").c_str(), bearer(admin), "", "");
  REQUIRE(approve);
  REQUIRE(approve->status == 200);
  REQUIRE(stream.next_event(e));
  CHECK(e.event == "update");
  CHECK(event_comment(e).id == id);
  CHECK(event_comment(e).status == causerie::CommentStatus::published);
  CHECK(event_comment(e).body == "En attente");
  auto spam = c.Post(("/api/v1/moderation/comments/" + std::to_string(id) + "/spam").c_str(), bearer(admin), "", "");
  REQUIRE(spam);
  REQUIRE(spam->status == 200);
  REQUIRE(stream.next_event(e));
  CHECK(e.event == "update");
  CHECK(event_comment(e).status == causerie::CommentStatus::deleted);  // readers see it gone, not its text
  CHECK(e.data.find("En attente") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("live stream: a cap on streams per address (429), freed when a stream closes") {
  Server s({"--events-per-ip", "2"});
  auto a = std::make_unique<EventStream>(s.port(), "/cap");
  EventStream b(s.port(), "/cap");
  CHECK(a->status() == 200);
  CHECK(b.status() == 200);
  EventStream third(s.port(), "/cap");
  CHECK(third.status() == 429);
  CHECK(third.head().find("Retry-After:") != std::string::npos);
  a.reset();
  // The server notices the closed stream at once (EPOLLRDHUP); allow it a moment.
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    EventStream retry(s.port(), "/cap");
    status = retry.status();
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(status == 200);
  // Ordinary requests are not held up by open streams.
  auto c = s.client();
  CHECK(c.Get(thread_path("/cap").c_str())->status == 200);
}

TEST_CASE("live streams do not hold worker threads: 200 idle streams on a server of 4 workers") {
  Server s({"--threads", "4", "--events-per-ip", "1000"});
  std::vector<std::unique_ptr<EventStream>> streams;
  for (int i = 0; i < 200; ++i) {
    streams.push_back(std::make_unique<EventStream>(s.port(), "/beaucoup"));
    REQUIRE(streams.back()->status() == 200);
  }
  auto c = s.client();
  auto r = post_comment(c, "/beaucoup", new_comment("Pour tous"));
  REQUIRE(r);
  CHECK(r->status == 201);
  int received = 0;
  for (auto& st : streams) {
    SseEvent e;
    if (st->next_event(e) && event_comment(e).body == "Pour tous") ++received;
  }
  CHECK(received == 200);
}
