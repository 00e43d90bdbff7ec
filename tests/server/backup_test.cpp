// `causerie-server backup` and --backup-every: consistent SQLite copies while the
// server runs, which another server then serves as they were.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include "harness.h"

using namespace test;

namespace {

int run(const std::string& args) {
  const std::string cmd = std::string(CAUSERIE_SERVER_BIN) + " " + args + " >/dev/null 2>&1";
  const int status = system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("backup: a copy taken while the server writes serves the same thread" * doctest::skip(using_postgres())) {
  Server s;
  REQUIRE(s.running());
  auto c = s.client();
  for (int k = 0; k < 20; ++k)
    REQUIRE(post_comment(c, "/sauvegarde", new_comment("Commentaire " + std::to_string(k), "N" + std::to_string(k)))
                ->status == 201);
  const std::string dir = make_temp_dir();
  // Writes go on during the backup; the copy is one moment of the database.
  std::thread writer([&] {
    auto w = s.client();
    for (int k = 0; k < 20; ++k)
      post_comment(w, "/pendant", new_comment("Pendant " + std::to_string(k), "P" + std::to_string(k)));
  });
  REQUIRE(run("backup '" + dir + "/copy.db' --db '" + s.db() + "'") == 0);
  writer.join();
  CHECK_FALSE(std::filesystem::exists(dir + "/copy.db.tmp"));
  Server copy({}, {}, "sqlite:" + dir + "/copy.db");
  REQUIRE(copy.running());
  auto cc = copy.client();
  CHECK(cc.Get(thread_path("/sauvegarde").c_str())->body == c.Get(thread_path("/sauvegarde").c_str())->body);
  const size_t during = get_page(cc, "/pendant").comments.size();
  CHECK(during <= 20);

  CHECK(run("backup --db postgresql://nobody@127.0.0.1:1/none '" + dir + "/x.db'") == 2);  // pg_dump's job
  CHECK(run("backup '" + dir + "/x.db' --db '" + dir + "/missing.db'") == 1);
  std::filesystem::remove_all(dir);
}

TEST_CASE("--backup-every keeps the newest --backup-keep copies" * doctest::skip(using_postgres())) {
  const std::string dir = make_temp_dir();
  Server s({"--backup-every", "1s", "--backup-keep", "2", "--backup-dir", dir});
  REQUIRE(s.running());
  auto c = s.client();
  REQUIRE(post_comment(c, "/periodique", new_comment("Une fois"))->status == 201);
  // Names carry the second: 3.5 s give at least three backups, of which two are kept.
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) files.push_back(e.path().filename().string());
  CHECK(files.size() == 2);
  for (const auto& f : files) CHECK(f.rfind("causerie-", 0) == 0);
  s.stop();
  std::filesystem::remove_all(dir);
}
