// The export readers on the fixture files in tests/server/import/: what each
// source record becomes before Causerie decides anything about it.
#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/markdown.h"
#include "core/richtext.h"
#include "server/import_sources.h"
#include "server/importer.h"

using namespace causerie;
using namespace causerie::server;

namespace {

struct Recorded final : SourceSink {
  std::string origin_name;
  std::vector<SourceThread> threads;
  std::vector<SourceComment> comments;
  void origin(const std::string& o) override { origin_name = o; }
  void thread(const SourceThread& t) override { threads.push_back(t); }
  void comment(SourceComment& c) override { comments.push_back(c); }
  const SourceComment& by_id(const std::string& id) const {
    for (const auto& c : comments)
      if (c.id == id) return c;
    static SourceComment none;
    return none;
  }
};

std::string fixture(const char* name) { return std::string(CAUSERIE_SOURCE_DIR) + "/tests/server/import/" + name; }

bool read_fixture(const char* name, bool wordpress, Recorded& out, std::string& error) {
  std::FILE* f = std::fopen(fixture(name).c_str(), "rb");
  REQUIRE(f);
  const bool ok = wordpress ? read_wordpress(f, out, error) : read_disqus(f, out, error);
  std::fclose(f);
  return ok;
}

bool read_text(const std::string& xml, bool wordpress, Recorded& out, std::string& error) {
  std::FILE* f = fmemopen(const_cast<char*>(xml.data()), xml.size(), "rb");
  REQUIRE(f);
  const bool ok = wordpress ? read_wordpress(f, out, error) : read_disqus(f, out, error);
  std::fclose(f);
  return ok;
}

}  // namespace

TEST_CASE("WXR: posts' comments with nesting, dates, authors, statuses, kinds and problems") {
  Recorded r;
  std::string error;
  REQUIRE(read_fixture("wordpress.xml", true, r, error));
  CHECK(r.origin_name == "wordpress https://old.example.org");
  // The page without comments is never handed over.
  REQUIRE(r.threads.size() == 2);
  CHECK(r.threads[0].id == "12");
  CHECK(r.threads[0].url == "https://old.example.org/2024/03/transsiberien/");
  CHECK(r.threads[0].title == "Le train de Pékin à Moscou");
  CHECK(r.comments.size() == 12);

  const auto& first = r.by_id("101");
  CHECK(first.thread_id == "12");
  CHECK(first.parent_id.empty());
  CHECK(first.author_name == "Jean-Michel");
  CHECK(first.author_email == "jm@example.net");
  CHECK(first.author_url == "https://jm.example.net/");
  CHECK(first.created_at == 1709374500);  // 2024-03-02T10:15:00Z, from comment_date_gmt
  CHECK(first.status == CommentStatus::published);
  CHECK(first.text == SourceText::wordpress);
  CHECK(first.body.find("<strong>en hiver</strong>") != std::string::npos);  // commentmeta did not leak in

  CHECK(r.by_id("103").parent_id == "101");
  CHECK(r.by_id("103").author_name == "Наталья");
  CHECK(r.by_id("104").status == CommentStatus::pending);
  CHECK(r.by_id("105").status == CommentStatus::spam);
  CHECK(r.by_id("106").status == CommentStatus::deleted);
  CHECK(r.by_id("107").skip_as == "pingback");
  CHECK(r.by_id("202").skip_as == "trackback");
  CHECK(r.by_id("108").problem.find("comment_date") != std::string::npos);
  CHECK(r.by_id("201").thread_id == "31");
  CHECK(r.by_id("201").author_name == "Γιώργος &amp; Ελένη");  // as WordPress stores it; the importer decodes
  CHECK(r.by_id("201").line > r.by_id("101").line);
}

TEST_CASE("Disqus: threads by dsq:id, posts by thread and parent, deleted and spam") {
  Recorded r;
  std::string error;
  REQUIRE(read_fixture("disqus.xml", false, r, error));
  CHECK(r.origin_name == "disqus");
  REQUIRE(r.threads.size() == 3);
  CHECK(r.threads[1].id == "5002");
  CHECK(r.threads[1].url == "http://old.example.org/2024/03/transsiberien/?utm_source=feed");
  CHECK(r.threads[2].title == "京都の秋");
  REQUIRE(r.comments.size() == 9);
  CHECK(r.comments[0].id == "7001");
  CHECK(r.comments[0].thread_id == "5001");  // the post's <thread>, not a thread record
  CHECK(r.comments[0].author_name == "Jean-Michel");
  CHECK(r.comments[0].author_email == "jm@example.net");
  CHECK(r.comments[0].created_at == 1709374500);
  CHECK(r.comments[0].text == SourceText::html);
  CHECK(r.by_id("7004").parent_id == "7003");
  CHECK(r.by_id("7002").status == CommentStatus::deleted);
  CHECK(r.by_id("7005").status == CommentStatus::spam);
  CHECK(r.by_id("7006").author_email.empty());
  CHECK(r.by_id("7008").thread_id == "5999");
  CHECK(r.by_id("7009").problem.find("createdAt") != std::string::npos);
}

TEST_CASE("a file that is not well-formed, or not that export, is an error with its line") {
  Recorded r;
  std::string error;
  CHECK_FALSE(read_text("<?xml version=\"1.0\"?>\n<rss>\n<channel>\n<item></channel>", true, r, error));
  CHECK(error.find("line 4") == 0);
  CHECK_FALSE(read_text("<disqus xmlns=\"http://disqus.com\"/>", true, r, error));
  CHECK(error.find("not a WordPress export") != std::string::npos);
  CHECK_FALSE(read_text("<rss/>", false, r, error));
  CHECK(error.find("not a Disqus export") != std::string::npos);
  CHECK_FALSE(read_text("", false, r, error));
}

TEST_CASE("thread keys: --map prefix rewrites, else the URL's path as the widget's data-thread") {
  std::vector<PrefixRewrite> maps;
  CHECK(thread_key_for("https://old.example.org/2024/03/x/?utm=1#c", maps) == "/2024/03/x/");
  CHECK(thread_key_for("https://old.example.org", maps) == "/");
  PrefixRewrite m;
  REQUIRE(parse_prefix_rewrite("https://old.example.org/?p==/posts/", m));
  CHECK(m.from == "https://old.example.org/?p=");
  CHECK(m.to == "/posts/");
  maps.push_back(m);
  REQUIRE(parse_prefix_rewrite("https://old.example.org/=/blog/", m));
  maps.push_back(m);
  CHECK(thread_key_for("https://old.example.org/?p=12", maps) == "/posts/12");
  CHECK(thread_key_for("https://old.example.org/2024/x/", maps) == "/blog/2024/x/");
  CHECK(thread_key_for("https://old.example.org/?p=12#comments", maps) == "/posts/12");
  CHECK(thread_key_for("https://old.example.org/2024/x/?replytocom=3", maps) == "/blog/2024/x/");
  CHECK(thread_key_for("http://elsewhere.example/a", maps) == "/a");
  CHECK_FALSE(parse_prefix_rewrite("no-equals-sign", m));
}

TEST_CASE("WordPress bodies: blank lines are paragraphs, newlines breaks, HTML the rich-text subset") {
  const std::string md = body_as_markdown(
      "Superbe !\n\nJ'ai fait le <strong>même</strong> voyage.\nEn hiver.\n<blockquote>cité</blockquote>\nfin",
      SourceText::wordpress);
  CHECK(md == "Superbe !\n\nJ'ai fait le **même** voyage.\nEn hiver.\n\n> cité\n\nfin");
  CHECK(body_as_markdown("<p>a <i>b</i></p><p><a href=\"javascript:x\">c</a> *d*</p>", SourceText::html) ==
        "a *b*\n\nc \\*d\\*");
}
