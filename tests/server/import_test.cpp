// `causerie-server import` as a site owner runs it: the real binary on the fixture
// exports, into the database of a running (or stopped) server, read back through
// the API. On PostgreSQL too (ctest server.postgres).
#include <doctest/doctest.h>

#include <sys/wait.h>

#include "harness.h"

using namespace test;

namespace {

const std::string kAdmin = "admin-token-0123456789abcdef";

std::string fixture(const std::string& name) {
  return std::string(CAUSERIE_SOURCE_DIR) + "/tests/server/import/" + name;
}

struct Run {
  int status = -1;
  std::string out;  // stdout and stderr
};

Run import(const Server& s, const std::vector<std::string>& args) {
  std::string cmd = std::string(CAUSERIE_SERVER_BIN) + " import --db '" + s.db() + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1";
  Run run;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) run.out.append(buf, n);
  const int status = pclose(p);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::string raw_page(Server& s, const std::string& key) {
  auto c = s.client();
  auto r = c.Get(thread_path(key).c_str());
  return r ? std::to_string(r->status) + " " + r->body : "no answer";
}

const causerie::Comment* by_author(const causerie::CommentPage& page, const std::string& name) {
  for (const auto& c : page.comments)
    if (c.author.name == name) return &c;
  return nullptr;
}

std::string token_file() {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/admin-token") << kAdmin << "\n";
  return dir + "/admin-token";
}

}  // namespace

TEST_CASE("import from WordPress into a running server: nesting, dates, statuses, HTML as Markdown, once") {
  Server s({"--admin-token-file", token_file()});
  REQUIRE(s.running());
  const std::string thread = "/2024/03/transsiberien/";

  auto c = s.client();
  const Run dry = import(s, {"--from", "wordpress", fixture("wordpress.xml"), "--dry-run"});
  CHECK(dry.status == 0);
  CHECK(dry.out.find("comments to import: 8 (published 5, pending 1, spam 1, deleted 1)") != std::string::npos);
  CHECK(dry.out.find("skipped (pingback, not comments): 1") != std::string::npos);
  CHECK(dry.out.find("line 164, id 109: parent 99 is not in the file") != std::string::npos);
  CHECK(dry.out.find("id 108: no valid comment_date_gmt") != std::string::npos);
  CHECK(dry.out.find("id 110: body required") != std::string::npos);
  CHECK(dry.out.find("id 104: author.url invalid_url_scheme") != std::string::npos);
  CHECK(dry.out.find("dry run: nothing was written") != std::string::npos);
  CHECK(get_page(c, thread).thread.title.empty());  // the dry run wrote nothing

  const Run first = import(s, {"--from", "wordpress", fixture("wordpress.xml")});
  REQUIRE_MESSAGE(first.status == 0, first.out);
  CHECK(first.out.find("comments imported: 8") != std::string::npos);

  const causerie::CommentPage page = get_page(c, thread);
  CHECK(page.thread.title == "Le train de Pékin à Moscou");
  CHECK(page.thread.comment_count == 4);
  // Published ones only: neither pending nor spam, and the trashed one has no
  // replies to keep a place for (as WordPress shows it).
  CHECK(page.comments.size() == 4);
  const auto* jm = by_author(page, "Jean-Michel");
  const auto* natalia = by_author(page, "Наталья");
  const auto* claire = by_author(page, "Claire");
  const auto* lucie = by_author(page, "Lucie");
  REQUIRE((jm && natalia && claire && lucie));
  CHECK(jm->created_at == 1709374500);
  CHECK_FALSE(jm->parent_id);
  CHECK(jm->author.url == std::optional<std::string>("https://jm.example.net/"));
  CHECK(
      jm->body ==
      "Superbe récit !\n\nJ'ai fait le même voyage en 2019, **en hiver**.\nLe samovar du wagon était toujours chaud.");
  CHECK(natalia->parent_id == jm->id);
  CHECK(natalia->body.find("[Байкал](https://example.ru/baikal)") != std::string::npos);
  CHECK(claire->parent_id == jm->id);
  CHECK(claire->body.find("\n\n> Le samovar du wagon était toujours chaud.\n\n") != std::string::npos);
  CHECK_FALSE(lucie->parent_id);  // its parent was not in the file
  // Oldest first, by the dates WordPress had, not by the order of the file.
  CHECK(page.comments[0].id == jm->id);
  CHECK(page.comments[1].id == claire->id);
  CHECK(page.comments[2].id == natalia->id);
  const causerie::CommentPage greek = get_page(c, "/2024/06/iles-grecques/");
  REQUIRE(greek.comments.size() == 1);
  CHECK(greek.comments[0].author.name == "Γιώργος & Ελένη");
  CHECK(greek.comments[0].body.find("- take the *early* ferry\n- book ahead in August") != std::string::npos);
  auto pending = parse(c.Get("/api/v1/moderation/pending", httplib::Headers{{"Authorization", "Bearer " + kAdmin}}));
  REQUIRE(pending["comments"].size() == 1);
  CHECK(pending["comments"][0]["author"]["name"] == "小林 健");
  CHECK(pending["comments"][0]["author"]["url"].is_null());  // javascript: was left out

  // WordPress's anchors (#comment-101) find the imported comment, in its own thread only.
  const auto imported = [&](const std::string& key, const std::string& wordpress_id) {
    const std::string path = thread_path(key);
    return c.Get((path.substr(0, path.rfind('/')) + "/imported/" + wordpress_id).c_str());
  };
  auto found = imported(thread, "101");
  REQUIRE(found);
  CHECK(found->status == 200);
  CHECK(parse(found)["id"] == jm->id);
  CHECK(parse(imported(thread, "103"))["id"] == natalia->id);
  CHECK(imported("/2024/06/iles-grecques/", "101")->status == 404);
  CHECK(imported(thread, "999")->status == 404);

  // The same file again changes nothing: the same answers, byte for byte.
  const std::string before = raw_page(s, thread) + raw_page(s, "/2024/06/iles-grecques/");
  const Run second = import(s, {"--from", "wordpress", fixture("wordpress.xml")});
  CHECK(second.status == 0);
  CHECK(second.out.find("comments imported: 0") != std::string::npos);
  CHECK(second.out.find("already imported, left as they are: 8") != std::string::npos);
  CHECK(raw_page(s, thread) + raw_page(s, "/2024/06/iles-grecques/") == before);
}

TEST_CASE("import from Disqus into a stopped server: threads by link, parents later in the file, deleted parents") {
  Server s;
  REQUIRE(s.running());
  s.stop();
  const Run run = import(s, {"--from", "disqus", fixture("disqus.xml")});
  REQUIRE_MESSAGE(run.status == 0, run.out);
  CHECK(run.out.find("comments imported: 7 (published 5, pending 0, spam 1, deleted 1)") != std::string::npos);
  CHECK(run.out.find("id 7007: parent 6999 is not in the file") != std::string::npos);
  CHECK(run.out.find("id 7008: its thread 5999 is not in the file") != std::string::npos);
  CHECK(run.out.find("id 7009: no valid createdAt") != std::string::npos);
  s.start();
  REQUIRE(s.running());
  auto c = s.client();
  // Two Disqus threads (http and https, a tracking query) are one article: one thread.
  const causerie::CommentPage page = get_page(c, "/2024/03/transsiberien/");
  REQUIRE(page.comments.size() == 4);
  const auto* jm = by_author(page, "Jean-Michel");
  const auto* lea = by_author(page, "Léa");
  const auto* ana = by_author(page, "Ana");
  REQUIRE((jm && lea && ana));
  const causerie::Comment* erased = nullptr;
  for (const auto& cm : page.comments)
    if (cm.status == causerie::CommentStatus::deleted) erased = &cm;
  REQUIRE(erased);
  CHECK(erased->parent_id == jm->id);
  CHECK(erased->body.empty());
  CHECK(lea->parent_id == erased->id);  // a reply to a deleted comment keeps its place
  CHECK(ana->parent_id == lea->id);     // its parent came later in the file
  CHECK(lea->body == "Reply to a deleted comment.\nSecond line, with [a link](https://example.org/train).");
  const causerie::CommentPage kyoto = get_page(c, "/2024/09/kyoto/");
  CHECK(kyoto.thread.title == "京都の秋");
  CHECK(kyoto.comments.size() == 2);
  CHECK(by_author(kyoto, "ゲスト")->body == "紅葉がきれいでした。`嵐山` がおすすめです。");

  const Run again = import(s, {"--from", "disqus", fixture("disqus.xml")});
  CHECK(again.out.find("already imported, left as they are: 7") != std::string::npos);
}

TEST_CASE("import: --map rewrites thread keys; a malformed file or bad arguments write nothing") {
  Server s;
  REQUIRE(s.running());
  const Run mapped =
      import(s, {"--from", "disqus", "--map", "https://old.example.org/2024/=/archives/", fixture("disqus.xml")});
  CHECK(mapped.status == 0);
  auto c = s.client();
  CHECK(get_page(c, "/archives/09/kyoto/").comments.size() == 2);
  // The https link's thread; the http one kept its path (a reply across them is an orphan).
  CHECK(get_page(c, "/archives/03/transsiberien/").comments.size() == 2);
  CHECK(get_page(c, "/2024/03/transsiberien/").comments.size() == 1);

  const std::string dir = make_temp_dir();
  const std::string broken = dir + "/broken.xml";
  std::string text = read_file(fixture("wordpress.xml"));
  text.resize(text.find("<wp:comment_id>104"));  // cut in the middle of an item
  std::ofstream(broken) << text;
  const Run bad = import(s, {"--from", "wordpress", broken});
  CHECK(bad.status == 1);
  CHECK(bad.out.find("broken.xml, line ") != std::string::npos);
  CHECK(get_page(c, "/2024/06/iles-grecques/").comments.empty());
  CHECK(raw_page(s, "/2024/03/transsiberien/").find("\"Léa\"") != std::string::npos);  // Disqus's, untouched
  CHECK(import(s, {"--from", "wordpress", fixture("disqus.xml")}).status == 1);        // not a WXR
  CHECK(import(s, {"--from", "blogger", fixture("disqus.xml")}).status == 2);
  CHECK(import(s, {"--from", "wordpress"}).status == 2);
  CHECK(import(s, {"--from", "wordpress", "--map", "nothing", fixture("wordpress.xml")}).status == 2);
  CHECK(import(s, {"--from", "wordpress", dir + "/missing.xml"}).out.find("cannot open") != std::string::npos);
  std::filesystem::remove_all(dir);
}
