// Every endpoint's happy path and its error paths, against the real server.
#include <doctest/doctest.h>

#include <set>

#include "harness.h"

using namespace test;

TEST_CASE("healthz, --help and a bad option") {
  Server s;
  auto c = s.client();
  auto r = c.Get("/healthz");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(parse(r)["status"] == "ok");

  const std::string help_cmd = std::string(CAUSERIE_SERVER_BIN) + " --help";
  FILE* p = popen(help_cmd.c_str(), "r");
  REQUIRE(p);
  std::string help;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) help.append(buf, n);
  CHECK(pclose(p) == 0);
  for (const char* opt : {"--listen", "--db", "--static", "--admin-token-file", "--allowed-origin", "--moderation",
                          "--edit-window", "--rate-post", "--rate-read", "--seed-demo"})
    CHECK_MESSAGE(help.find(opt) != std::string::npos, opt);
  const std::string bad_cmd = std::string(CAUSERIE_SERVER_BIN) + " --moderation sometimes 2>/dev/null";
  CHECK(WEXITSTATUS(system(bad_cmd.c_str())) == 2);
}

TEST_CASE("post, then read back: the stored comment, verbatim, never the e-mail") {
  Server s;
  auto c = s.client();
  const std::string hostile =
      "Robert'); DROP TABLE comments; --\n\n<script>alert('x')</script> & « guillemets » “quotes” ’";
  auto r =
      post_comment(c, "/2026/12/un-article",
                   json{{"author", {{"name", "Zoé <b>"}, {"email", "Zoe.Secret@Example.org"}, {"url", "zoe.example"}}},
                        {"body", hostile},
                        {"title", "Un article"},
                        {"url", "https://example.org/2026/12/un-article"}});
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(r->get_header_value("Content-Type") == "application/json; charset=utf-8");
  CHECK(r->get_header_value("Cache-Control") == "no-store");
  CHECK(r->body.find("Zoe.Secret") == std::string::npos);
  CHECK(r->body.find("zoe.secret") == std::string::npos);
  causerie::PostedComment posted;
  causerie::DecodeError err;
  REQUIRE(causerie::decode_posted_comment(r->body, posted, err));
  CHECK(r->get_header_value("Location") == "/api/v1/comments/" + std::to_string(posted.comment.id));
  CHECK(posted.comment.body == hostile);
  CHECK(posted.comment.author.name == "Zoé <b>");
  CHECK(posted.comment.author.url == std::optional<std::string>("https://zoe.example"));
  CHECK(posted.comment.author.avatar_seed.size() == 32);
  CHECK(posted.edit_token.size() == 43);
  CHECK(posted.edit_expires_at == posted.comment.created_at + 15 * 60);

  auto g = c.Get(thread_path("/2026/12/un-article").c_str());
  REQUIRE(g);
  CHECK(g->status == 200);
  CHECK(g->body.find("Secret") == std::string::npos);
  causerie::CommentPage page;
  REQUIRE(causerie::decode_comment_page(g->body, page, err));
  CHECK(page.thread.key == "/2026/12/un-article");
  CHECK(page.thread.title == "Un article");
  CHECK(page.thread.url == "https://example.org/2026/12/un-article");
  CHECK(page.thread.comment_count == 1);
  REQUIRE(page.comments.size() == 1);
  CHECK(page.comments[0] == posted.comment);
  CHECK_FALSE(page.next_cursor);

  // The avatar seed is salted: not the plain SHA-256 of the e-mail, same for the same e-mail.
  auto r2 = post_comment(c, "/autre", new_comment("Deuxième", "Zoé", "zoe.secret@example.org"));
  REQUIRE(r2);
  CHECK(parse(r2)["comment"]["author"]["avatar_seed"] == posted.comment.author.avatar_seed);
}

TEST_CASE("replies, unknown threads, counts") {
  Server s;
  auto c = s.client();
  auto top = parse(post_comment(c, "/t", new_comment("Premier")));
  const int64_t top_id = top["comment"]["id"];
  json reply = new_comment("Réponse", "Paul", "paul@example.org");
  reply["parent_id"] = top_id;
  auto r = post_comment(c, "/t", reply);
  REQUIRE(r);
  CHECK(r->status == 201);
  CHECK(parse(r)["comment"]["parent_id"] == top_id);

  // A parent from another thread, or missing, is a validation failure.
  auto other = post_comment(c, "/other", reply);
  CHECK(other->status == 422);
  CHECK(api_error(other).details == std::vector<causerie::FieldError>{{"parent_id", "invalid_parent"}});
  reply["parent_id"] = 999999;
  CHECK(post_comment(c, "/t", reply)->status == 422);

  auto empty = c.Get(thread_path("/never/commented").c_str());
  REQUIRE(empty);
  CHECK(empty->status == 200);
  auto ej = parse(empty);
  CHECK(ej["comments"].empty());
  CHECK(ej["next_cursor"].is_null());
  CHECK(ej["thread"]["comment_count"] == 0);
  CHECK(ej["thread"]["status"] == "open");

  auto counts = c.Get("/api/v1/counts?thread=%2Ft&thread=%2Fother&thread=%2Fnone");
  REQUIRE(counts);
  CHECK(counts->status == 200);
  CHECK(counts->get_header_value("Cache-Control") == "public, max-age=60");
  std::vector<causerie::ThreadCount> got;
  causerie::DecodeError err;
  REQUIRE(causerie::decode_counts(counts->body, got, err));
  std::map<std::string, int64_t> m;
  for (auto& tc : got) m[tc.thread] = tc.count;
  CHECK(m == std::map<std::string, int64_t>{{"/t", 2}, {"/other", 0}, {"/none", 0}});

  CHECK(error_code(c.Get("/api/v1/counts")) == "invalid_parameter");
  std::string many = "/api/v1/counts?";
  for (int i = 0; i < 101; ++i) many += "thread=k" + std::to_string(i) + "&";
  CHECK(c.Get(many.c_str())->status == 400);
}

TEST_CASE("pagination with cursors, both sorts") {
  Server s;
  auto c = s.client();
  std::vector<int64_t> ids;
  for (int i = 0; i < 7; ++i) {
    auto r = post_comment(c, "/p",
                          new_comment("Commentaire " + std::to_string(i), "A" + std::to_string(i),
                                      "a" + std::to_string(i) + "@example.org"));
    REQUIRE(r->status == 201);
    ids.push_back(parse(r)["comment"]["id"]);
  }
  for (const char* sort : {"oldest", "newest"}) {
    std::vector<int64_t> seen;
    std::string cursor;
    int pages = 0;
    for (;;) {
      std::string q = std::string("?sort=") + sort + "&limit=3";
      if (!cursor.empty()) q += "&cursor=" + causerie::percent_encode(cursor);
      auto page = get_page(c, "/p", q);
      for (auto& cm : page.comments) seen.push_back(cm.id);
      ++pages;
      if (!page.next_cursor) break;
      cursor = *page.next_cursor;
      REQUIRE(pages < 10);
    }
    CHECK(pages == 3);
    std::vector<int64_t> expected = ids;
    if (std::string(sort) == "newest") std::reverse(expected.begin(), expected.end());
    CHECK(seen == expected);
  }
  // A cursor is bound to its sort; a damaged one is refused.
  auto first = get_page(c, "/p", "?sort=oldest&limit=3");
  REQUIRE(first.next_cursor);
  auto wrong = c.Get((thread_path("/p") + "?sort=newest&cursor=" + *first.next_cursor).c_str());
  CHECK(wrong->status == 400);
  CHECK(api_error(wrong).field == std::optional<std::string>("cursor"));
  CHECK(c.Get((thread_path("/p") + "?cursor=zzzz").c_str())->status == 400);
  CHECK(api_error(c.Get((thread_path("/p") + "?sort=random").c_str())).field == std::optional<std::string>("sort"));
  CHECK(api_error(c.Get((thread_path("/p") + "?limit=0").c_str())).field == std::optional<std::string>("limit"));
  CHECK(api_error(c.Get((thread_path("/p") + "?limit=abc").c_str())).field == std::optional<std::string>("limit"));
  CHECK(get_page(c, "/p", "?limit=100000").comments.size() == 7);  // clamped to 200
}

TEST_CASE("hostile requests are refused with 4xx and store nothing") {
  Server s({"--max-body", "8k"});
  auto c = s.client();
  const std::string path = thread_path("/h");

  auto malformed = post_json(c, path, "{\"author\": {\"name\": ");
  CHECK(malformed->status == 400);
  CHECK(error_code(malformed) == "malformed_json");
  CHECK(error_code(post_json(c, path, "[1, 2]")) == "malformed_json");
  CHECK(error_code(post_json(c, path, "\"just a string\"")) == "malformed_json");

  auto wrong_type =
      post_json(c, path, R"({"parent_id": "3", "author": {"name": "A", "email": "a@example.org"}, "body": "x"})");
  CHECK(wrong_type->status == 400);
  CHECK(error_code(wrong_type) == "invalid_field");
  CHECK(api_error(wrong_type).field == std::optional<std::string>("parent_id"));
  CHECK(error_code(post_json(c, path, R"({"author": "A", "body": "x"})")) == "invalid_field");
  CHECK(error_code(post_json(c, path, R"({"author": {"name": 5, "email": "a@example.org"}, "body": "x"})")) ==
        "invalid_field");

  const std::string bad_utf8 =
      std::string(R"({"author": {"name": "A)") + "\xC3\x28" + R"(", "email": "a@example.org"}, "body": "x"})";
  CHECK(error_code(post_json(c, path, bad_utf8)) == "malformed_json");

  auto big = post_json(c, path, new_comment(std::string(20000, 'a')).dump());
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(error_code(big) == "too_large");

  auto text = c.Post(path.c_str(), new_comment("x").dump(), "text/plain");
  CHECK(text->status == 415);
  CHECK(error_code(text) == "unsupported_media_type");
  CHECK(c.Post(path.c_str(), new_comment("x").dump(), "application/json; charset=latin1")->status == 415);

  auto missing = post_json(c, path, R"({"author": {"email": "a@example.org"}, "body": null})");
  CHECK(missing->status == 422);
  auto e = api_error(missing);
  CHECK(e.code == "validation_failed");
  std::set<std::pair<std::string, std::string>> details;
  for (auto& d : e.details) details.insert({d.field, d.code});
  CHECK(details.count({"author.name", "required"}) == 1);
  CHECK(details.count({"body", "required"}) == 1);

  json honeypot = new_comment("Bonjour");
  honeypot["website"] = "http://spam.example";
  auto hp = post_comment(c, "/h", honeypot);
  CHECK(hp->status == 422);
  CHECK(api_error(hp).details == std::vector<causerie::FieldError>{{"website", "honeypot"}});

  std::string links;
  for (int i = 0; i < 11; ++i) links += "https://spam" + std::to_string(i) + ".example ";
  CHECK(api_error(post_comment(c, "/h", new_comment(links))).details ==
        std::vector<causerie::FieldError>{{"body", "too_many_links"}});

  json js = new_comment("Bonjour");
  js["author"]["url"] = "javascript:alert(1)";
  CHECK(api_error(post_comment(c, "/h", js)).details ==
        std::vector<causerie::FieldError>{{"author.url", "invalid_url_scheme"}});
  CHECK(api_error(post_comment(c, "/h", new_comment("Bonjour", "A", "not-an-email"))).details ==
        std::vector<causerie::FieldError>{{"author.email", "invalid_email"}});
  CHECK(api_error(post_comment(c, "/h",
                               new_comment(std::string("a\x01"
                                                       "b"))))
            .details == std::vector<causerie::FieldError>{{"body", "control_characters"}});

  // Bad thread keys in the path: invalid UTF-8, control characters, broken escapes, too long.
  for (const std::string& seg : std::vector<std::string>{"%FF%FE", "a%01b", "%zz", std::string(600, 'k')}) {
    auto r = c.Get(("/api/v1/threads/" + seg + "/comments").c_str());
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(api_error(r).field == std::optional<std::string>("thread"));
  }
  // Nothing of the above was stored.
  auto page = get_page(c, "/h");
  CHECK(page.comments.empty());
  CHECK(page.thread.comment_count == 0);
}

TEST_CASE("routes: unknown is 404, wrong method is 405 with Allow, bad ids are 400") {
  Server s;
  auto c = s.client();
  auto unknown = c.Get("/api/v1/nothing");
  CHECK(unknown->status == 404);
  CHECK(error_code(unknown) == "not_found");
  auto wrong = c.Put(thread_path("/x").c_str(), "{}", "application/json");
  CHECK(wrong->status == 405);
  CHECK(error_code(wrong) == "method_not_allowed");
  CHECK(wrong->get_header_value("Allow").find("POST") != std::string::npos);
  CHECK(c.Get("/api/v1/comments/5")->status == 405);
  auto bad_id = c.Patch("/api/v1/comments/abc", bearer("t"), "{}", "application/json");
  CHECK(bad_id->status == 400);
  CHECK(api_error(bad_id).field == std::optional<std::string>("id"));
  CHECK(c.Patch("/api/v1/comments/123456", bearer("t"), R"({"body":"x"})", "application/json")->status == 404);
  CHECK(error_code(c.Get("/api/v1/threads/%2Fx/comments.xml")) == "not_found");
}

TEST_CASE("edit and delete with the edit token") {
  Server s;
  auto c = s.client();
  auto posted = parse(post_comment(c, "/e", new_comment("Premier jet")));
  const int64_t id = posted["comment"]["id"];
  const std::string token = posted["edit_token"];
  const std::string path = "/api/v1/comments/" + std::to_string(id);

  auto none = c.Patch(path.c_str(), R"({"body": "x"})", "application/json");
  CHECK(none->status == 401);
  CHECK(error_code(none) == "missing_token");
  CHECK(none->get_header_value("WWW-Authenticate") == "Bearer");
  auto wrong = c.Patch(path.c_str(), bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), R"({"body": "x"})",
                       "application/json");
  CHECK(wrong->status == 403);
  CHECK(error_code(wrong) == "invalid_token");
  CHECK(error_code(c.Patch(path.c_str(), bearer(token), R"({"body": 5})", "application/json")) == "invalid_field");
  CHECK(error_code(c.Patch(path.c_str(), bearer(token), R"({"body": "  "})", "application/json")) ==
        "validation_failed");

  auto ok = c.Patch(path.c_str(), bearer(token), R"({"body": "Version corrigée\r\n"})", "application/json");
  REQUIRE(ok);
  CHECK(ok->status == 200);
  auto oj = parse(ok);
  CHECK(oj["comment"]["body"] == "Version corrigée");
  CHECK(oj["comment"]["edited_at"].is_string());
  CHECK(get_page(c, "/e").comments.at(0).body == "Version corrigée");

  // Someone else's token does not open this comment.
  auto other = parse(post_comment(c, "/e", new_comment("Autre", "B", "b@example.org")));
  CHECK(c.Delete(path.c_str(), bearer(other["edit_token"].get<std::string>()))->status == 403);

  auto del = c.Delete(path.c_str(), bearer(token));
  REQUIRE(del);
  CHECK(del->status == 200);
  auto dj = parse(del);
  CHECK(dj["comment"]["status"] == "deleted");
  CHECK(dj["comment"]["body"] == "");
  CHECK(dj["comment"]["author"]["name"] == "");
  CHECK(dj["comment"]["author"]["avatar_seed"] == "");
  // Deleted without replies: not listed, not counted; a second delete is 404.
  auto page = get_page(c, "/e");
  CHECK(page.comments.size() == 1);
  CHECK(page.thread.comment_count == 1);
  CHECK(c.Delete(path.c_str(), bearer(token))->status == 404);

  // Deleted with a reply: stays as a placeholder so the reply keeps its place.
  auto parent = parse(post_comment(c, "/e2", new_comment("Parent")));
  json reply = new_comment("Réponse", "C", "c@example.org");
  reply["parent_id"] = parent["comment"]["id"];
  REQUIRE(post_comment(c, "/e2", reply)->status == 201);
  const std::string ppath = "/api/v1/comments/" + std::to_string(parent["comment"]["id"].get<int64_t>());
  REQUIRE(c.Delete(ppath.c_str(), bearer(parent["edit_token"].get<std::string>()))->status == 200);
  auto p2 = get_page(c, "/e2");
  REQUIRE(p2.comments.size() == 2);
  CHECK(p2.comments[0].status == causerie::CommentStatus::deleted);
  CHECK(p2.comments[0].body.empty());
  CHECK(p2.thread.comment_count == 1);
}

TEST_CASE("the edit window closes") {
  Server s({"--edit-window", "2s"});
  auto c = s.client();
  auto posted = parse(post_comment(c, "/w", new_comment("Vite")));
  const std::string path = "/api/v1/comments/" + std::to_string(posted["comment"]["id"].get<int64_t>());
  const std::string token = posted["edit_token"];
  CHECK(c.Patch(path.c_str(), bearer(token), R"({"body": "Encore à temps"})", "application/json")->status == 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2300));
  auto late = c.Patch(path.c_str(), bearer(token), R"({"body": "Trop tard"})", "application/json");
  CHECK(late->status == 403);
  CHECK(error_code(late) == "edit_window_closed");
  CHECK(error_code(c.Delete(path.c_str(), bearer(token))) == "edit_window_closed");
  CHECK(get_page(c, "/w").comments.at(0).body == "Encore à temps");
}

TEST_CASE("duplicates within the window are refused") {
  Server s;
  auto c = s.client();
  CHECK(post_comment(c, "/d", new_comment("Même texte"))->status == 201);
  auto again = post_comment(c, "/d", new_comment("Même texte", "Marie", "MARIE@example.org"));
  CHECK(again->status == 409);
  CHECK(error_code(again) == "duplicate");
  CHECK(post_comment(c, "/d", new_comment("Même texte", "Paul", "paul@example.org"))->status == 201);
  CHECK(post_comment(c, "/d-autre", new_comment("Même texte"))->status == 201);
  CHECK(get_page(c, "/d").thread.comment_count == 2);
}

TEST_CASE("ETag and 304 on thread reads; gzip for big JSON") {
  Server s;
  auto c = s.client();
  for (int i = 0; i < 20; ++i)
    post_comment(
        c, "/g",
        new_comment("Un commentaire assez long pour que la page dépasse un kilo-octet, numéro " + std::to_string(i),
                    "N" + std::to_string(i), "n" + std::to_string(i) + "@example.org"));
  auto first = c.Get(thread_path("/g").c_str());
  REQUIRE(first);
  const std::string etag = first->get_header_value("ETag");
  CHECK(etag.size() > 2);
  CHECK(first->get_header_value("Cache-Control") == "no-cache");
  CHECK(first->get_header_value("Vary").find("Origin") != std::string::npos);
  auto again = c.Get(thread_path("/g").c_str(), {{"If-None-Match", etag}});
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  // Another page shape has another tag.
  CHECK(c.Get((thread_path("/g") + "?limit=5").c_str())->get_header_value("ETag") != etag);
  post_comment(c, "/g", new_comment("Nouveau"));
  auto changed = c.Get(thread_path("/g").c_str(), {{"If-None-Match", etag}});
  CHECK(changed->status == 200);
  CHECK(changed->get_header_value("ETag") != etag);

  auto gz = c.Get(thread_path("/g").c_str(), {{"Accept-Encoding", "gzip"}});
  REQUIRE(gz);
  CHECK(gz->get_header_value("Content-Encoding") == "gzip");
  CHECK(gz->body.size() < changed->body.size());
  CHECK((unsigned char)gz->body[0] == 0x1f);
  CHECK((unsigned char)gz->body[1] == 0x8b);
  auto plain = c.Get(thread_path("/g").c_str(), {{"Accept-Encoding", "gzip;q=0"}});
  CHECK(plain->get_header_value("Content-Encoding").empty());
  // Small answers are not worth it.
  CHECK(c.Get("/healthz", {{"Accept-Encoding", "gzip"}})->get_header_value("Content-Encoding").empty());
}

TEST_CASE("demo seed: French and English threads") {
  Server s({"--seed-demo"});
  auto c = s.client();
  auto fr = get_page(c, "/demo/chine-russie");
  CHECK(fr.thread.title == "Chine - Russie : Xi Jinping appelle à un partenariat solide face à l'Occident");
  CHECK(fr.thread.comment_count == 3);
  REQUIRE(fr.comments.size() == 3);
  CHECK(fr.comments[0].body.rfind("Accord sino-russe, le pire qu’on pouvait faire !", 0) == 0);
  CHECK(fr.comments[1].body ==
        "C’est pas génial pour nous europèens mais on ne pourra pas pleurer tellement on l’aura cherché !");
  CHECK(fr.comments[2].parent_id == fr.comments[0].id);
  CHECK(fr.comments[2].body.find("« la Russie est un pays européen »") != std::string::npos);
  auto en = get_page(c, "/en/demo");
  CHECK(en.thread.comment_count == 3);
  bool nested = false;
  for (auto& cm : en.comments) nested = nested || cm.parent_id.has_value();
  CHECK(nested);
  // Seeding happens only into an empty database: a restart does not duplicate it.
  s.restart();
  auto c2 = s.client();
  CHECK(get_page(c2, "/demo/chine-russie").comments.size() == 3);
}
