// The Atom feeds: GET threads/{thread}/comments.atom and GET comments.atom, read
// by Debian's python3-feedparser (a strict parser would set its bozo flag on any
// XML error), with hostile text, and with comments that must never appear
// (pending, spam, deleted) and e-mail addresses that must never appear.
#include <doctest/doctest.h>

#include <cstdio>

#include "harness.h"
#include "server/atom_feed.h"

using namespace test;

namespace {

const std::string kAdmin = "admin-token-feeds-0123456789abcdef";

std::string write_admin_token_file(const std::string& dir) {
  std::ofstream(dir + "/admin-token") << kAdmin << "\n";
  return dir + "/admin-token";
}

// What feedparser reads of `xml`: {bozo, bozo_exception, title, entries: [{id,
// title, link, author, content, published, updated}]}.
json feedparser_read(const std::string& xml) {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/feed.xml", std::ios::binary) << xml;
  std::ofstream(dir + "/read.py") << R"(import json, sys, feedparser
d = feedparser.parse(sys.argv[1])
print(json.dumps({
  "bozo": int(d.bozo), "bozo_exception": str(d.get("bozo_exception", "")),
  "version": d.version, "title": d.feed.get("title", ""), "language": d.feed.get("language", ""),
  "entries": [{"id": e.get("id", ""), "title": e.get("title", ""), "link": e.get("link", ""),
               "author": e.get("author", ""), "author_href": e.get("author_detail", {}).get("href", ""),
               "content": e.content[0].value if "content" in e else "",
               "content_type": e.content[0].type if "content" in e else "",
               "published": e.get("published", ""), "updated": e.get("updated", "")} for e in d.entries]}))
)";
  // Debian's own Python, where python3-feedparser is installed (not a python3 earlier on PATH).
  FILE* p = popen(("/usr/bin/python3 " + dir + "/read.py " + dir + "/feed.xml").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = pclose(p);
  fs::remove_all(dir);
  REQUIRE_MESSAGE(status == 0, "python3-feedparser failed (tools/setup installs it)");
  return json::parse(out);
}

// No byte XML 1.0 forbids: C0 controls other than tab, LF, CR.
bool only_xml_characters(const std::string& xml) {
  for (unsigned char ch : xml)
    if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') return false;
  return xml.find("\xEF\xBF\xBE") == std::string::npos && xml.find("\xEF\xBF\xBF") == std::string::npos;
}

int64_t post_id(httplib::Client& c, const std::string& key, const json& body, int expected) {
  auto r = post_comment(c, key, body);
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == expected, r->body);
  return parse(r)["comment"]["id"].get<int64_t>();
}

std::string feed_path(const std::string& key) { return thread_path(key) + ".atom"; }

}  // namespace

TEST_CASE("xml_text: escaped, and what XML 1.0 forbids is gone") {
  using causerie::server::xml_text;
  CHECK(xml_text("a]]>b<script>&\"") == "a]]&gt;b&lt;script&gt;&amp;&quot;");
  CHECK(xml_text(std::string("a\x01" "b\x0b" "c\x1f" "d\x7f" "e\xc2\x85" "f", 12)) == "abcdef");
  CHECK(xml_text("x\xEF\xBF\xBEy\xEF\xBF\xBFz") == "xyz");
  CHECK(xml_text("tab\tline\n") == "tab\tline\n");
  CHECK(xml_text("bad \xff utf-8") == "bad \xEF\xBF\xBD utf-8");
  CHECK(xml_text("مرحبا 👩‍💻") == "مرحبا 👩‍💻");
}

TEST_CASE("Atom feeds: a thread's and the site's published comments, newest first, valid for feedparser") {
  const std::string dir = make_temp_dir();
  Server s({"--moderation", "first", "--admin-token-file", write_admin_token_file(dir)});
  REQUIRE(s.running());
  auto c = s.client();
  const std::string key = "/2026/feeds/";
  const std::string article = "https://blog.example.org/2026/feeds/";
  const std::string email = "zoe-secret@example.org";

  // The first comment of an author waits: approved, later ones are published.
  json first = new_comment("Premier ]]> <script>alert(1)</script> & \"co\" <![CDATA[x]]>", "Zoé <b>ë</b>", email);
  first["author"]["url"] = "https://zoe.example/?a=1&b=2";
  const int64_t id1 = post_id(c, key, first, 202);
  auto approved = c.Post(("/api/v1/moderation/comments/" + std::to_string(id1) + "/approve").c_str(), bearer(kAdmin),
                         "", "application/json");
  REQUIRE(approved);
  REQUIRE(approved->status == 200);
  // The thread's first comment was held, so it gave the thread no title: the owner sets it.
  json thread_info = {{"title", "Un article « spécial » <i>&</i>"}, {"url", article}};
  auto titled = c.Put(("/api/v1/moderation/threads/" + httplib::encode_uri_component(key)).c_str(), bearer(kAdmin),
                      thread_info.dump(), "application/json");
  REQUIRE(titled);
  REQUIRE(titled->status == 200);
  const int64_t id2 = post_id(c, key, new_comment("مرحبا بالعالم\u200f، نص من اليمين إلى اليسار", "سارة \u202e", email), 201);
  const int64_t id3 = post_id(c, key, new_comment("Émoji 👩‍💻🎉 **gras** et `code` \xEF\xBF\xBE fin", "Zoé", email), 201);
  // Never in a feed: pending, spam, deleted; and control characters never get stored.
  post_id(c, key, new_comment("TEXTE-EN-ATTENTE secret", "Pierre", "pierre@example.org"), 202);
  const int64_t spam = post_id(c, key, new_comment("TEXTE-SPAM achetez", "Zoé", email), 201);
  const int64_t gone = post_id(c, key, new_comment("TEXTE-SUPPRIME oups", "Zoé", email), 201);
  REQUIRE(c.Post(("/api/v1/moderation/comments/" + std::to_string(spam) + "/spam").c_str(), bearer(kAdmin), "",
                 "application/json")->status == 200);
  REQUIRE(c.Delete(("/api/v1/moderation/comments/" + std::to_string(gone)).c_str(), bearer(kAdmin))->status == 200);
  auto control = post_comment(c, key, new_comment(std::string("bell \x07 here"), "Zoé", email));
  REQUIRE(control);
  CHECK(control->status == 422);
  const int64_t other = post_id(c, "other-thread", new_comment("Ailleurs, sans titre", "Zoé", email), 201);

  auto r = c.Get(feed_path(key) + "?lang=fr");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/atom+xml; charset=utf-8");
  CHECK(r->get_header_value("Cache-Control") == "public, max-age=60");
  const std::string xml = r->body;
  CHECK(only_xml_characters(xml));
  for (const char* never : {"TEXTE-EN-ATTENTE", "TEXTE-SPAM", "TEXTE-SUPPRIME", "@example.org", "<script", "<b>", "<i>"})
    CHECK_MESSAGE(xml.find(never) == std::string::npos, never);
  CHECK(xml.find("]]>") == std::string::npos);

  json feed = feedparser_read(xml);
  CHECK_MESSAGE(feed["bozo"] == 0, feed["bozo_exception"].get<std::string>());
  CHECK(feed["version"] == "atom10");
  CHECK(feed["language"] == "fr");
  CHECK(feed["title"] == "Commentaires sur « Un article « spécial » <i>&</i> »");
  REQUIRE(feed["entries"].size() == 3);
  const std::vector<int64_t> order = {id3, id2, id1};
  for (size_t i = 0; i < order.size(); ++i) {
    const json& e = feed["entries"][i];
    const std::string n = std::to_string(order[i]);
    CHECK(e["id"].get<std::string>().starts_with("tag:"));
    CHECK(e["id"].get<std::string>().ends_with(":causerie/comment/" + n));
    CHECK(e["link"] == article + "#comment-" + n);
    CHECK(e["content_type"] == "text/html");
    CHECK(!e["published"].get<std::string>().empty());
  }
  const json& hostile = feed["entries"][2];
  CHECK(hostile["author"] == "Zoé <b>ë</b>");
  CHECK(hostile["author_href"] == "https://zoe.example/?a=1&b=2");
  CHECK(hostile["title"] == "Zoé <b>ë</b> sur « Un article « spécial » <i>&</i> »");
  const std::string content = hostile["content"];
  CHECK(content.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(content.find("]]&gt;") != std::string::npos);
  CHECK(content.find("<script") == std::string::npos);
  CHECK(feed["entries"][1]["author"] == "سارة \u202e");
  CHECK(feed["entries"][1]["content"].get<std::string>().find("مرحبا بالعالم") != std::string::npos);
  const std::string emoji = feed["entries"][0]["content"];
  CHECK(emoji.find("👩‍💻🎉 <strong>gras</strong> et <code>code</code>") != std::string::npos);
  CHECK(emoji.find("\xEF\xBF\xBE") == std::string::npos);

  // Revalidation: the same thread answers 304 until it changes.
  const std::string etag = r->get_header_value("ETag");
  REQUIRE(!etag.empty());
  auto again = c.Get(feed_path(key) + "?lang=fr", {{"If-None-Match", etag}});
  REQUIRE(again);
  CHECK(again->status == 304);
  auto english = c.Get(feed_path(key) + "?lang=en", {{"If-None-Match", etag}});
  REQUIRE(english);
  CHECK(english->status == 200);
  CHECK(feedparser_read(english->body)["title"] == "Comments on “Un article « spécial » <i>&</i>”");
  const int64_t id4 = post_id(c, key, new_comment("Encore un", "Zoé", email), 201);
  auto changed = c.Get(feed_path(key) + "?lang=fr", {{"If-None-Match", etag}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  CHECK(feedparser_read(changed->body)["entries"][0]["id"].get<std::string>().ends_with("/" + std::to_string(id4)));

  // The site's feed: every thread, newest first; a thread without URL links to its page here.
  auto site = c.Get("/api/v1/comments.atom", {{"Accept-Language", "en-GB,en;q=0.8"}});
  REQUIRE(site);
  REQUIRE(site->status == 200);
  CHECK(only_xml_characters(site->body));
  for (const char* never : {"TEXTE-EN-ATTENTE", "TEXTE-SPAM", "TEXTE-SUPPRIME", "@example.org", "<script"})
    CHECK_MESSAGE(site->body.find(never) == std::string::npos, never);
  json all = feedparser_read(site->body);
  CHECK_MESSAGE(all["bozo"] == 0, all["bozo_exception"].get<std::string>());
  CHECK(all["title"] == "Latest comments");
  REQUIRE(all["entries"].size() == 5);
  const std::vector<int64_t> site_order = {id4, other, id3, id2, id1};
  for (size_t i = 0; i < site_order.size(); ++i)
    CHECK(all["entries"][i]["id"].get<std::string>().ends_with("/" + std::to_string(site_order[i])));
  CHECK(all["entries"][1]["link"] == "http://127.0.0.1:" + std::to_string(s.port()) +
                                         "/api/v1/threads/other-thread/comments.html#comment-" + std::to_string(other));
  CHECK(all["entries"][1]["title"] == "Zoé");
  auto site_again = c.Get("/api/v1/comments.atom", {{"Accept-Language", "en-GB,en;q=0.8"},
                                                    {"If-None-Match", site->get_header_value("ETag")}});
  REQUIRE(site_again);
  CHECK(site_again->status == 304);

  // A thread with no comment yet is an empty, valid feed.
  auto empty = c.Get(feed_path("nothing-here"));
  REQUIRE(empty);
  CHECK(empty->status == 200);
  json none = feedparser_read(empty->body);
  CHECK(none["bozo"] == 0);
  CHECK(none["entries"].empty());
  fs::remove_all(dir);
}

TEST_CASE("The no-JavaScript page links to its thread's feed, in French and in English") {
  Server s;
  auto c = s.client();
  REQUIRE(post_comment(c, "linked", new_comment("Bonjour"))->status == 201);
  for (const auto& [lang, words] : {std::pair<std::string, std::string>{"fr", "Suivre ces commentaires (flux Atom)"},
                                    {"en", "Follow these comments (Atom feed)"}}) {
    auto r = c.Get(thread_path("linked") + ".html?lang=" + lang);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    const std::string href = thread_path("linked") + ".atom?lang=" + lang;
    CHECK(r->body.find("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"" + href + "\">") !=
          std::string::npos);
    CHECK(r->body.find("<a href=\"" + href + "\" type=\"application/atom+xml\">" + words + "</a>") !=
          std::string::npos);
    auto feed = c.Get(href);
    REQUIRE(feed);
    CHECK(feed->status == 200);
    CHECK(feedparser_read(feed->body)["entries"].size() == 1);
  }
}
