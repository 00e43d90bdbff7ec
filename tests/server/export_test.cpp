// `causerie-server export`, then `import --from causerie` into an empty database:
// the same API answers, byte for byte, on SQLite and PostgreSQL.
#include <doctest/doctest.h>

#include <sys/wait.h>

#include "harness.h"

using namespace test;

namespace {

const std::string kAdmin = "admin-token-0123456789abcdef";

int run(const std::string& args, std::string* out = nullptr) {
  const std::string cmd = std::string(CAUSERIE_SERVER_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  const int status = pclose(p);
  if (out) *out = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

httplib::Headers admin() { return {{"Authorization", "Bearer " + kAdmin}}; }

// Every answer a reader or the owner can get about these threads, as bytes.
std::string answers(Server& s, const std::vector<std::string>& keys) {
  auto c = s.client();
  std::string all;
  for (const auto& key : keys) {
    auto r = c.Get(thread_path(key).c_str());
    all += key + " " + (r ? std::to_string(r->status) + " " + r->body : "no answer") + "\n";
    auto newest = c.Get((thread_path(key) + "?sort=newest&limit=2").c_str());
    all += newest ? newest->body + "\n" : "no answer\n";
  }
  std::string counts = "/api/v1/counts?";
  for (const auto& key : keys) counts += "thread=" + causerie::percent_encode(key) + "&";
  auto r = c.Get(counts.c_str());
  all += r ? r->body + "\n" : "no answer\n";
  auto pending = c.Get("/api/v1/moderation/pending", admin());
  all += pending ? pending->body + "\n" : "no answer\n";
  return all;
}

}  // namespace

TEST_CASE("export, then import into an empty database: the same answers, byte for byte") {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/admin-token") << kAdmin << "\n";
  Server a({"--moderation", "first", "--admin-token-file", dir + "/admin-token"});
  REQUIRE(a.running());
  auto c = a.client();
  // Comments of every kind: imported ones (with origins), posted ones, a reply, an
  // edit, a deletion with a reply below it, a pending one, spam, a closed thread.
  REQUIRE(run("import --db '" + a.db() + "' --from wordpress '" + CAUSERIE_SOURCE_DIR +
              "/tests/server/import/wordpress.xml'") == 0);
  const std::string key = "/2026/12/export";
  auto first = parse(
      post_comment(c, key,
                   json{{"author", {{"name", "Zoé"}, {"email", "zoe@example.org"}, {"url", "https://zoe.example"}}},
                        {"body", "Premier, avec un [lien](https://example.org) et *style*."},
                        {"title", "Exporter"},
                        {"url", "https://example.org/2026/12/export"}}));
  REQUIRE(first.contains("comment"));
  const int64_t first_id = first["comment"]["id"];
  REQUIRE(c.Post(("/api/v1/moderation/comments/" + std::to_string(first_id) + "/approve").c_str(), admin(), "",
                 "application/json")
              ->status == 200);
  auto reply = parse(post_comment(c, key,
                                  json{{"author", {{"name", "Zoé"}, {"email", "zoe@example.org"}}},
                                       {"body", "Une réponse, éditée ensuite."},
                                       {"parent_id", first_id}}));
  REQUIRE(reply.contains("edit_token"));
  const std::string reply_id = std::to_string(reply["comment"]["id"].get<int64_t>());
  httplib::Headers token = {{"Authorization", "Bearer " + reply["edit_token"].get<std::string>()}};
  REQUIRE(
      c.Patch(("/api/v1/comments/" + reply_id).c_str(), token, R"({"body":"Une réponse, éditée."})", "application/json")
          ->status == 200);
  auto doomed = parse(post_comment(c, key,
                                   json{{"author", {{"name", "Zoé"}, {"email", "zoe@example.org"}}},
                                        {"body", "Supprimé ensuite."},
                                        {"parent_id", first_id}}));
  const std::string doomed_id = std::to_string(doomed["comment"]["id"].get<int64_t>());
  REQUIRE(post_comment(c, key,
                       json{{"author", {{"name", "Ana"}, {"email", "ana@example.org"}}},
                            {"body", "Réponse à un commentaire qui sera supprimé."},
                            {"parent_id", doomed["comment"]["id"]}})
              ->status == 202);  // a new author waits
  REQUIRE(c.Delete(("/api/v1/moderation/comments/" + doomed_id).c_str(), admin())->status == 200);
  auto spam = parse(
      post_comment(c, key, json{{"author", {{"name", "Bot"}, {"email", "bot@spam.example"}}}, {"body", "Buy now"}}));
  REQUIRE(
      c.Post(("/api/v1/moderation/comments/" + std::to_string(spam["comment"]["id"].get<int64_t>()) + "/spam").c_str(),
             admin(), "", "application/json")
          ->status == 200);
  REQUIRE(c.Put("/api/v1/moderation/threads/%2F2024%2F06%2Files-grecques%2F", admin(), R"({"status":"closed"})",
                "application/json")
              ->status == 200);

  const std::vector<std::string> keys = {key, "/2024/03/transsiberien/", "/2024/06/iles-grecques/"};
  const std::string before = answers(a, keys);
  const std::string file = dir + "/export.json";
  REQUIRE(run("export '" + file + "' --db '" + a.db() + "'") == 0);
  const std::string exported = read_file(file);
  CHECK(exported.rfind("{\"causerie_export\":1,", 0) == 0);
  CHECK(exported.find("\"email\":\"zoe@example.org\"") != std::string::npos);
  CHECK(exported.find("\"origin\":{\"id\":\"101\",\"name\":\"wordpress https://old.example.org\"}") !=
        std::string::npos);

  Server b({"--moderation", "first", "--admin-token-file", dir + "/admin-token"});
  REQUIRE(b.running());
  std::string out;
  REQUIRE_MESSAGE(run("import --from causerie '" + file + "' --db '" + b.db() + "'", &out) == 0, out);
  CHECK(out.find("rejected (not imported): 0") != std::string::npos);
  // Cursors are signed with a key from the salt, which the server reads when it starts.
  b.restart();
  CHECK(answers(b, keys) == before);
  // The thread stays closed, the salt the same (read by the server when it starts):
  // a new comment by Zoé has her avatar.
  b.restart();
  auto cb = b.client();
  CHECK(error_code(post_comment(cb, "/2024/06/iles-grecques/", new_comment("Encore ?"))) == "thread_closed");
  auto again_a = parse(
      post_comment(c, key, json{{"author", {{"name", "Zoé"}, {"email", "zoe@example.org"}}}, {"body", "Après."}}));
  auto again_b = parse(
      post_comment(cb, key, json{{"author", {{"name", "Zoé"}, {"email", "zoe@example.org"}}}, {"body", "Après."}}));
  CHECK(again_a["comment"]["author"]["avatar_seed"] == again_b["comment"]["author"]["avatar_seed"]);
  CHECK(again_a["comment"]["id"] == again_b["comment"]["id"]);  // ids go on from the same place

  // Imported twice: nothing changes; and an import into the WordPress comments it
  // came from does not duplicate them either.
  const std::string after = answers(b, keys);
  REQUIRE(run("import --from causerie '" + file + "' --db '" + b.db() + "'", &out) == 0);
  CHECK(out.find("comments imported: 0") != std::string::npos);
  CHECK(answers(b, keys) == after);
  REQUIRE(run("import --db '" + b.db() + "' --from wordpress '" + CAUSERIE_SOURCE_DIR +
                  "/tests/server/import/wordpress.xml'",
              &out) == 0);
  CHECK(out.find("already imported, left as they are: 8") != std::string::npos);

  // Into a database that has comments of its own: ids that are taken are refused, by name.
  Server other;
  REQUIRE(other.running());
  auto co = other.client();
  REQUIRE(post_comment(co, "/ailleurs", new_comment("Le premier d'ici."))->status == 201);
  REQUIRE(run("import --from causerie '" + file + "' --db '" + other.db() + "'", &out) == 0);
  CHECK(out.find("line 5, id 1: its id is taken by another comment") != std::string::npos);
  CHECK(get_page(co, "/ailleurs").comments.size() == 1);

  CHECK(run("export --db '" + b.db() + "'") == 2);
  CHECK(run("export '" + dir + "/missing/folder.json' --db '" + b.db() + "'") == 1);
  // A damaged line is refused with its reason; the rest goes in.
  std::string damaged = exported;
  const size_t comment_line = damaged.find("{\"comment\":");
  damaged.replace(damaged.find("\"author\":", comment_line), 9, "\"writer\":");
  std::ofstream(dir + "/damaged.json") << damaged;
  Server d;
  REQUIRE(run("import --from causerie '" + dir + "/damaged.json' --db '" + d.db() + "'", &out) == 0);
  CHECK(out.find("id 1: author needs name, email, url and avatar_seed strings") != std::string::npos);
  CHECK(out.find("rejected (not imported): 1") != std::string::npos);
  std::ofstream(dir + "/not-export.json") << "{\"hello\": 1}\n";
  CHECK(run("import --from causerie '" + dir + "/not-export.json' --db '" + b.db() + "'") == 1);
  std::filesystem::remove_all(dir);
}
