// SQLite's synchronous level per batch: what an answer acknowledges is committed at
// the --sync level, housekeeping at NORMAL, nothing ever at OFF (whose checkpoints
// would not fsync what was acknowledged before). The server reports, when it stops,
// the level SQLite had in force in each batch it committed.
#include <doctest/doctest.h>

#include <regex>

#include "harness.h"

using namespace test;

namespace {

struct Levels {
  long full = -1, normal = -1, off = -1;
};

Levels levels_in_log(const std::string& log) {
  std::smatch m;
  Levels l;
  if (std::regex_search(log, m, std::regex(R"(synchronous in force: FULL (\d+), NORMAL (\d+), OFF (\d+))"))) {
    l.full = std::stol(m[1]);
    l.normal = std::stol(m[2]);
    l.off = std::stol(m[3]);
  }
  return l;
}

}  // namespace

TEST_CASE("SQLite: comments at the --sync level, housekeeping at NORMAL, no batch at OFF" *
          doctest::skip(using_postgres())) {
  bool full = true;
  SUBCASE("--sync full") { full = true; }
  SUBCASE("--sync normal") { full = false; }
  CAPTURE(full);
  Server s({"--sync", full ? "full" : "normal"});
  auto c = s.client();
  for (int i = 0; i < 5; ++i)
    REQUIRE(post_comment(c, "/durable", new_comment("Commentaire " + std::to_string(i), "N" + std::to_string(i),
                                                     "n" + std::to_string(i) + "@example.org"))
                ->status == 201);
  // No write for over a second: /healthz probes the write path with an empty
  // housekeeping batch.
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  REQUIRE(c.Get("/healthz")->status == 200);
  s.stop(SIGTERM);
  const Levels l = levels_in_log(s.log());
  INFO(s.log());
  CHECK(l.off == 0);
  CHECK(l.normal >= 1);  // the probe, at least
  if (full) CHECK(l.full >= 5);
  else CHECK(l.full == 0);
}
