// Text is stored in Unicode NFC: what a reader types decomposed (e + U+0301, as
// some keyboards and macOS file names give it) is stored, shown and compared as
// the precomposed text.
#include <doctest/doctest.h>
#include <sqlite3.h>

#include "harness.h"
#include "server/nfc.h"
#include "server/storage.h"

using namespace test;
using causerie::server::to_nfc;

namespace {

// The same words in both forms: Vietnamese, French, Swedish, Korean (Hangul jamo).
const std::string kComposed = "Nguy\u1EC5n, caf\u00E9, \u00C5ngstr\u00F6m, \uD55C";
const std::string kDecomposed = "Nguye\u0302\u0303n, cafe\u0301, A\u030Angstro\u0308m, \u1112\u1161\u11AB";

std::string comment_path(int64_t id) { return "/api/v1/comments/" + std::to_string(id); }

}  // namespace

TEST_CASE("to_nfc composes, keeps what is already NFC, leaves invalid UTF-8 alone") {
  CHECK(to_nfc(kDecomposed) == kComposed);
  CHECK(to_nfc(kComposed) == kComposed);
  CHECK(to_nfc("plain ASCII") == "plain ASCII");
  // Canonical reordering: two marks typed in either order are one text.
  CHECK(to_nfc("q\u0307\u0323") == to_nfc("q\u0323\u0307"));
  // Compatibility characters are not folded (NFC, not NFKC): "ﬁ" and "²" stay.
  CHECK(to_nfc("\uFB01 x\u00B2") == "\uFB01 x\u00B2");
  // Scripts whose NFC is their usual form go through unchanged.
  const std::string mixed =
      "\u0645\u0631\u062D\u0628\u0627 \u05E9\u05DC\u05D5\u05DD \u0928\u092E\u0938\u094D\u0924\u0947 "
      "\U0001F469\u200D\U0001F4BB";
  CHECK(to_nfc(mixed) == mixed);
  const std::string invalid = "caf\xC3";  // a truncated sequence
  CHECK(to_nfc(invalid) == invalid);
}

TEST_CASE("posted text is stored in NFC: body, name, website, title; edits too") {
  Server s;
  auto c = s.client();
  json body = new_comment(kDecomposed + "\n\nDeuxie\u0300me paragraphe", "Zoe\u0301 Nguye\u0302\u0303n");
  body["author"]["url"] = "https://exe\u0301mple.org/cafe\u0301";
  body["title"] = "Le cafe\u0301";
  auto r = post_comment(c, "/nfc", body);
  REQUIRE(r);
  REQUIRE(r->status == 201);
  auto posted = parse(r);
  CHECK(posted["comment"]["body"] == kComposed + "\n\nDeuxi\u00E8me paragraphe");
  CHECK(posted["comment"]["author"]["name"] == "Zo\u00E9 Nguy\u1EC5n");

  auto page = get_page(c, "/nfc");
  REQUIRE(page.comments.size() == 1);
  CHECK(page.comments[0].body == kComposed + "\n\nDeuxi\u00E8me paragraphe");
  CHECK(page.comments[0].author.name == "Zo\u00E9 Nguy\u1EC5n");
  CHECK(page.comments[0].author.url == std::optional<std::string>("https://ex\u00E9mple.org/caf\u00E9"));
  CHECK(page.thread.title == "Le caf\u00E9");

  // Lengths are counted on the stored form: 80 decomposed "é" (160 code points)
  // are an 80-character name, within the limit.
  std::string long_name;
  for (int i = 0; i < 80; ++i) long_name += "e\u0301";
  auto named = post_comment(c, "/nfc-long", new_comment("Bonjour", long_name, "long@example.org"));
  REQUIRE(named);
  CHECK(named->status == 201);

  const int64_t id = posted["comment"]["id"];
  auto edited = c.Patch(comment_path(id).c_str(), bearer(posted["edit_token"].get<std::string>()),
                        json{{"body", "Corrige\u0301"}}.dump(), "application/json");
  REQUIRE(edited);
  CHECK(edited->status == 200);
  CHECK(parse(edited)["comment"]["body"] == "Corrig\u00E9");
  CHECK(get_page(c, "/nfc").comments.at(0).body == "Corrig\u00E9");
}

TEST_CASE("duplicates compare the NFC text: decomposed after precomposed is the same comment") {
  Server s;
  auto c = s.client();
  REQUIRE(post_comment(c, "/dup", new_comment(kComposed))->status == 201);
  auto again = post_comment(c, "/dup", new_comment(kDecomposed));
  REQUIRE(again);
  CHECK(again->status == 409);
  CHECK(error_code(again) == "duplicate");
  // And the other way round, on the plain form post as well.
  REQUIRE(post_comment(c, "/dup2", new_comment(kDecomposed))->status == 201);
  const std::string form = "body=" + causerie::percent_encode(kComposed) + "&name=Marie&email=marie%40example.org";
  auto f = c.Post((thread_path("/dup2") + ".form").c_str(), form, "application/x-www-form-urlencoded");
  REQUIRE(f);
  CHECK(f->status == 409);  // the page again, with the error
  CHECK(f->body.find("causerie-error") != std::string::npos);
  CHECK(get_page(c, "/dup2").thread.comment_count == 1);
}

namespace {

// Runs `sql` on the database of a stopped server, as another program would.
bool run_sql(const Server& s, const std::string& sql) {
  if (using_postgres()) {
    PGconn* c = PQconnectdb(s.db().c_str());
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    PQfinish(c);
    return ok;
  }
  sqlite3* db = nullptr;
  const bool ok = sqlite3_open((s.dir() + "/db/causerie.db").c_str(), &db) == SQLITE_OK &&
                  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

std::string sql_text(const std::string& text) { return "'" + text + "'"; }  // no quotes in the texts below

}  // namespace

TEST_CASE("rows stored before NFC on input are made NFC by a migration, their duplicate hash too") {
  Server s;
  auto c = s.client();
  json first = new_comment("placeholder", "Marie", "marie@example.org");
  first["author"]["url"] = "https://example.org/";
  first["title"] = "placeholder";
  REQUIRE(post_comment(c, "/ancien", first)->status == 201);
  REQUIRE(post_comment(c, "/ancien", new_comment("D\u00E9j\u00E0 compos\u00E9", "Ana", "ana@example.org"))->status ==
          201);
  s.stop();

  // What an older server stored: decomposed text, hashed as it was, and a schema
  // one migration behind.
  const std::string body = kDecomposed + "\n\nDeuxie\u0300me paragraphe";
  REQUIRE(run_sql(s, "UPDATE comments SET body = " + sql_text(body) + ", author_name = " +
                         sql_text("Zoe\u0301 Nguye\u0302\u0303n") + ", author_url = " +
                         sql_text("https://exe\u0301mple.org/cafe\u0301") + ", body_hash = " +
                         sql_text(causerie::server::body_hash(body)) + " WHERE author_name = 'Marie'"));
  REQUIRE(run_sql(s, "UPDATE threads SET title = " + sql_text("Le cafe\u0301") + ", url = " +
                         sql_text("https://exe\u0301mple.org/ancien") + " WHERE key = '/ancien'"));
  REQUIRE(run_sql(s, "DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version)"));

  s.start();
  REQUIRE(s.running());
  auto c2 = s.client();
  const auto page = get_page(c2, "/ancien");
  REQUIRE(page.comments.size() == 2);
  CHECK(page.comments[0].body == kComposed + "\n\nDeuxi\u00E8me paragraphe");
  CHECK(page.comments[0].author.name == "Zo\u00E9 Nguy\u1EC5n");
  CHECK(page.comments[0].author.url == std::optional<std::string>("https://ex\u00E9mple.org/caf\u00E9"));
  CHECK(page.comments[1].body == "D\u00E9j\u00E0 compos\u00E9");  // already NFC: left as it was
  CHECK(page.thread.title == "Le caf\u00E9");
  // The duplicate hash follows the body: the same text posted again by its author
  // is recognised, however it is typed.
  auto again = post_comment(c2, "/ancien", new_comment(body, "Marie", "marie@example.org"));
  REQUIRE(again);
  CHECK(again->status == 409);
  // Applied once: a restart finds nothing more to do and the same text.
  s.restart();
  auto c3 = s.client();
  CHECK(get_page(c3, "/ancien").comments.at(0).body == kComposed + "\n\nDeuxi\u00E8me paragraphe");
}
