// Moderation modes open/first/all, pending comments seen only by their authors,
// and the admin API.
#include <doctest/doctest.h>

#include "harness.h"

using namespace test;

namespace {

const std::string kAdmin = "admin-token-0123456789abcdef";

std::string write_admin_token_file() {
  const std::string dir = make_temp_dir();
  std::ofstream(dir + "/admin-token") << kAdmin << "\n";
  return dir + "/admin-token";
}

}  // namespace

TEST_CASE("moderation 'first': a first comment waits, only its author sees it, approval lets the next through") {
  const std::string token_file = write_admin_token_file();
  Server s({"--moderation", "first", "--admin-token-file", token_file});
  auto c = s.client();

  auto r = post_comment(c, "/m", new_comment("Mon premier commentaire", "Nouveau", "nouveau@example.org"));
  REQUIRE(r);
  CHECK(r->status == 202);
  auto pj = parse(r);
  CHECK(pj["comment"]["status"] == "pending");
  const int64_t id = pj["comment"]["id"];
  const std::string token = pj["edit_token"];

  // Others do not see it, nor count it.
  auto page = get_page(c, "/m");
  CHECK(page.comments.empty());
  CHECK(page.thread.comment_count == 0);
  // Its author does, with the token (garbage tokens around it are ignored).
  auto own = get_page(c, "/m", "", {{"X-Causerie-Edit-Tokens", "garbage, " + token + " ," + std::string(300, 'x')}});
  REQUIRE(own.comments.size() == 1);
  CHECK(own.comments[0].status == causerie::CommentStatus::pending);
  CHECK(own.thread.comment_count == 0);
  // Its author may reply to it; nobody else may.
  json reply = new_comment("Je complète", "Nouveau", "nouveau@example.org");
  reply["parent_id"] = id;
  CHECK(post_comment(c, "/m", reply)->status == 422);
  CHECK(post_comment(c, "/m", reply, {{"X-Causerie-Edit-Tokens", token}})->status == 202);

  // The admin API: tokens checked.
  CHECK(c.Get("/api/v1/moderation/pending")->status == 401);
  CHECK(error_code(c.Get("/api/v1/moderation/pending", bearer("wrong-token-wrong-token"))) == "invalid_token");
  auto pending = c.Get("/api/v1/moderation/pending", bearer(kAdmin));
  REQUIRE(pending);
  CHECK(pending->status == 200);
  CHECK(pending->body.find("nouveau@example.org") == std::string::npos);
  causerie::ModerationPage mp;
  causerie::DecodeError err;
  REQUIRE(causerie::decode_moderation_page(pending->body, mp, err));
  REQUIRE(mp.comments.size() == 2);
  CHECK(mp.comments[0].id == id);
  CHECK(mp.comments[0].thread == "/m");
  // Paging of the pending list.
  auto first = parse(c.Get("/api/v1/moderation/pending?limit=1", bearer(kAdmin)));
  CHECK(first["comments"].size() == 1);
  REQUIRE(first["next_cursor"].is_string());
  auto second =
      parse(c.Get(("/api/v1/moderation/pending?limit=1&cursor=" + first["next_cursor"].get<std::string>()).c_str(),
                  bearer(kAdmin)));
  CHECK(second["comments"].size() == 1);
  CHECK(second["comments"][0]["id"] != first["comments"][0]["id"]);
  CHECK(second["next_cursor"].is_null());

  auto approve =
      c.Post(("/api/v1/moderation/comments/" + std::to_string(id) + "/approve").c_str(), bearer(kAdmin), "", "");
  REQUIRE(approve);
  CHECK(approve->status == 200);
  CHECK(parse(approve)["comment"]["status"] == "published");
  CHECK(get_page(c, "/m").thread.comment_count == 1);
  // Known author now: published at once (e-mail matched case-insensitively).
  auto next = post_comment(c, "/m", new_comment("Et un deuxième", "Nouveau", "Nouveau@Example.org"));
  CHECK(next->status == 201);
  CHECK(post_comment(c, "/m", new_comment("Un inconnu", "X", "x@example.org"))->status == 202);
  CHECK(c.Post("/api/v1/moderation/comments/999999/approve", bearer(kAdmin), "", "")->status == 404);
}

TEST_CASE("moderation 'all' holds every comment; spam and admin delete hide them") {
  const std::string token_file = write_admin_token_file();
  Server s({"--moderation", "all", "--admin-token-file", token_file});
  auto c = s.client();
  auto a = parse(post_comment(c, "/all", new_comment("Un")));
  CHECK(a["comment"]["status"] == "pending");
  const int64_t id = a["comment"]["id"];
  c.Post(("/api/v1/moderation/comments/" + std::to_string(id) + "/approve").c_str(), bearer(kAdmin), "", "");
  // Even a known author waits.
  auto b = post_comment(c, "/all", new_comment("Deux"));
  CHECK(b->status == 202);
  const int64_t id2 = parse(b)["comment"]["id"];

  auto spam = c.Post(("/api/v1/moderation/comments/" + std::to_string(id2) + "/spam").c_str(), bearer(kAdmin), "", "");
  CHECK(spam->status == 200);
  CHECK(parse(spam)["comment"]["status"] == "spam");
  // Spam is hidden even from its author's token.
  auto own = get_page(c, "/all", "", {{"X-Causerie-Edit-Tokens", parse(b)["edit_token"].get<std::string>()}});
  CHECK(own.comments.size() == 1);

  auto del = c.Delete(("/api/v1/moderation/comments/" + std::to_string(id)).c_str(), bearer(kAdmin));
  CHECK(del->status == 200);
  CHECK(parse(del)["comment"]["status"] == "deleted");
  auto page = get_page(c, "/all");
  CHECK(page.comments.empty());
  CHECK(page.thread.comment_count == 0);
}

TEST_CASE("moderation 'open' publishes at once; closed threads refuse posts") {
  const std::string token_file = write_admin_token_file();
  Server s({"--moderation", "open", "--admin-token-file", token_file});
  auto c = s.client();
  CHECK(post_comment(c, "/o", new_comment("Direct"))->status == 201);

  auto close = c.Put("/api/v1/moderation/threads/%2Fo", bearer(kAdmin), R"({"status": "closed"})", "application/json");
  REQUIRE(close);
  CHECK(close->status == 200);
  CHECK(parse(close)["thread"]["status"] == "closed");
  auto refused = post_comment(c, "/o", new_comment("Trop tard", "B", "b@example.org"));
  CHECK(refused->status == 403);
  CHECK(error_code(refused) == "thread_closed");
  CHECK(get_page(c, "/o").thread.status == causerie::ThreadStatus::closed);
  CHECK(error_code(c.Put("/api/v1/moderation/threads/%2Fo", bearer(kAdmin), R"({"status": "ajar"})",
                         "application/json")) == "invalid_field");
  CHECK(c.Put("/api/v1/moderation/threads/%2Fo", bearer(kAdmin), R"({"status": "open"})", "application/json")->status ==
        200);
  CHECK(post_comment(c, "/o", new_comment("Rouvert", "B", "b@example.org"))->status == 201);
  // A thread can be closed before its first comment.
  CHECK(c.Put("/api/v1/moderation/threads/%2Fneuf", bearer(kAdmin), R"({"status": "closed"})", "application/json")
            ->status == 200);
  CHECK(error_code(post_comment(c, "/neuf", new_comment("Non"))) == "thread_closed");
}

TEST_CASE("without --admin-token-file the moderation API refuses everything") {
  Server s;
  auto c = s.client();
  CHECK(c.Get("/api/v1/moderation/pending", bearer(kAdmin))->status == 403);
  CHECK(c.Get("/api/v1/moderation/pending")->status == 401);
}

TEST_CASE("a wrong edit token learns nothing of pending comments: 404 as for a missing one, 403 for published ones") {
  Server s({"--moderation", "first"});
  auto c = s.client();
  auto pending = parse(post_comment(c, "/cache", new_comment("En attente", "Nouveau", "nouveau@example.org")));
  REQUIRE(pending["comment"]["status"] == "pending");
  const std::string pending_path = "/api/v1/comments/" + std::to_string(pending["comment"]["id"].get<int64_t>());
  const std::string missing_path = "/api/v1/comments/999999";
  const auto wrong = bearer("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  for (const std::string& path : {pending_path, missing_path}) {
    CAPTURE(path);
    auto patch = c.Patch(path.c_str(), wrong, R"({"body": "x"})", "application/json");
    REQUIRE(patch);
    CHECK(patch->status == 404);
    CHECK(error_code(patch) == "not_found");
    auto del = c.Delete(path.c_str(), wrong);
    REQUIRE(del);
    CHECK(del->status == 404);
    CHECK(del->body == patch->body);
  }
  // Its author still edits it.
  CHECK(c.Patch(pending_path.c_str(), bearer(pending["edit_token"].get<std::string>()), R"({"body": "Corrigé"})",
                "application/json")
            ->status == 200);
  // A published comment is public: a wrong token there is 403.
  Server open_server;
  auto o = open_server.client();
  auto published = parse(post_comment(o, "/public", new_comment("Publié")));
  const std::string published_path = "/api/v1/comments/" + std::to_string(published["comment"]["id"].get<int64_t>());
  auto patch = o.Patch(published_path.c_str(), wrong, R"({"body": "x"})", "application/json");
  REQUIRE(patch);
  CHECK(patch->status == 403);
  CHECK(error_code(patch) == "invalid_token");
}

TEST_CASE("a thread's title and URL: never from a held comment, set and corrected by the site owner") {
  const std::string token_file = write_admin_token_file();
  Server s({"--moderation", "all", "--admin-token-file", token_file});
  auto c = s.client();
  json spam = new_comment("Achetez !", "Bot", "bot@example.org");
  spam["title"] = "CASINO EN LIGNE";
  spam["url"] = "https://casino.example/";
  auto held = post_comment(c, "/titre", spam);
  REQUIRE(held);
  REQUIRE(held->status == 202);
  auto page = get_page(c, "/titre");
  CHECK(page.thread.title.empty());
  CHECK(page.thread.url.empty());

  const std::string path = "/api/v1/moderation/threads/%2Ftitre";
  auto set = c.Put(path.c_str(), bearer(kAdmin),
                   json{{"title", "Le vrai titre"}, {"url", "https://example.org/titre"}}.dump(), "application/json");
  REQUIRE(set);
  CHECK(set->status == 200);
  CHECK(parse(set)["thread"]["title"] == "Le vrai titre");
  CHECK(parse(set)["thread"]["status"] == "open");  // untouched without "status"
  page = get_page(c, "/titre");
  CHECK(page.thread.title == "Le vrai titre");
  CHECK(page.thread.url == "https://example.org/titre");
  // Corrected later, alone; NFC like every text.
  REQUIRE(
      c.Put(path.c_str(), bearer(kAdmin), json{{"title", "Le caf\u0065\u0301"}}.dump(), "application/json")->status ==
      200);
  page = get_page(c, "/titre");
  CHECK(page.thread.title == "Le caf\u00E9");
  CHECK(page.thread.url == "https://example.org/titre");
  // Refused as a comment's would be; nothing changes.
  auto bad = c.Put(path.c_str(), bearer(kAdmin), json{{"url", "javascript:alert(1)"}}.dump(), "application/json");
  CHECK(bad->status == 422);
  CHECK(parse(bad)["error"]["field"] == "url");
  CHECK(error_code(c.Put(path.c_str(), bearer(kAdmin), R"({"title": 5})", "application/json")) == "invalid_field");
  CHECK(error_code(c.Put(path.c_str(), bearer(kAdmin), R"({})", "application/json")) == "invalid_field");
  CHECK(get_page(c, "/titre").thread.url == "https://example.org/titre");

  // Published at once (open moderation), the first comment names the thread.
  Server open_server({"--admin-token-file", token_file});
  auto o = open_server.client();
  json first = new_comment("Bonjour");
  first["title"] = "Un article";
  REQUIRE(post_comment(o, "/ouvert", first)->status == 201);
  CHECK(get_page(o, "/ouvert").thread.title == "Un article");
}

TEST_CASE(
    "a pending post changes nothing others can see: not the ETag, not the event id; its author's reads follow it") {
  Server s({"--moderation", "first"});
  auto c = s.client();
  // The thread exists (made by a first comment, itself held).
  REQUIRE(post_comment(c, "/discret", new_comment("Premier", "Connu", "connu@example.org"))->status == 202);
  auto before = c.Get(thread_path("/discret").c_str());
  REQUIRE(before);
  const std::string etag = before->get_header_value("ETag");
  const std::string event_id = before->get_header_value("Causerie-Event-Id");
  auto held = parse(post_comment(c, "/discret", new_comment("En attente", "Nouveau", "nouveau@example.org")));
  REQUIRE(held["comment"]["status"] == "pending");
  const std::string token = held["edit_token"];
  auto after = c.Get(thread_path("/discret").c_str(), {{"If-None-Match", etag}});
  REQUIRE(after);
  CHECK(after->status == 304);
  CHECK(after->get_header_value("Causerie-Event-Id") == event_id);

  // Its author sees it, and each change of it, with the tags of what they see.
  auto own = c.Get(thread_path("/discret").c_str(), {{"X-Causerie-Edit-Tokens", token}});
  REQUIRE(own);
  CHECK(own->status == 200);
  CHECK(own->body.find("En attente") != std::string::npos);
  const std::string own_etag = own->get_header_value("ETag");
  CHECK(c.Get(thread_path("/discret").c_str(), {{"X-Causerie-Edit-Tokens", token}, {"If-None-Match", own_etag}})
            ->status == 304);
  const std::string path = "/api/v1/comments/" + std::to_string(held["comment"]["id"].get<int64_t>());
  REQUIRE(c.Patch(path.c_str(), bearer(token), R"({"body": "Toujours en attente"})", "application/json")->status ==
          200);
  auto edited =
      c.Get(thread_path("/discret").c_str(), {{"X-Causerie-Edit-Tokens", token}, {"If-None-Match", own_etag}});
  REQUIRE(edited);
  CHECK(edited->status == 200);
  CHECK(edited->body.find("Toujours en attente") != std::string::npos);
  // Still nothing for the others.
  CHECK(c.Get(thread_path("/discret").c_str(), {{"If-None-Match", etag}})->status == 304);
}
