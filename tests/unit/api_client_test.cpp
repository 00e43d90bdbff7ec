#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/api_client.h"
#include "core/codec.h"

using namespace causerie;

namespace {

CauserieClient make_client(SortOrder sort = SortOrder::oldest) {
  return CauserieClient({"https://comments.example.org/", "/2026/12/un-article", sort, 2, ""});
}

Comment comment(CommentId id, std::optional<CommentId> parent = std::nullopt,
                CommentStatus status = CommentStatus::published) {
  Comment c;
  c.id = id;
  c.parent_id = parent;
  c.author.name = "Auteur " + std::to_string(id);
  c.author.avatar_seed = "abcdef0123456789";
  c.body = "Texte " + std::to_string(id);
  c.created_at = 1796105580 + id;
  c.status = status;
  return c;
}

HttpResponse json_response(int status, std::string body, std::vector<HttpHeader> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
  return r;
}

HttpResponse page_response(std::vector<Comment> comments, std::optional<std::string> cursor, int64_t count,
                           std::string etag = "") {
  CommentPage page;
  page.thread = {"/2026/12/un-article", "Un article", "https://example.org/2026/12/un-article", count,
                 ThreadStatus::open};
  page.comments = std::move(comments);
  page.next_cursor = std::move(cursor);
  std::vector<HttpHeader> headers;
  if (!etag.empty()) headers.push_back({"ETag", etag});
  return json_response(200, encode_comment_page(page), headers);
}

HttpResponse error_response(int status, ApiError e, std::vector<HttpHeader> headers = {}) {
  return json_response(status, encode_api_error(e), std::move(headers));
}

std::vector<CommentId> ids(const ThreadState& s) {
  std::vector<CommentId> out;
  for (const Comment& c : s.comments) out.push_back(c.id);
  return out;
}

}  // namespace

TEST_CASE("page requests: encoded thread key, sort, limit, cursor") {
  CauserieClient client = make_client(SortOrder::newest);
  CHECK_FALSE(client.load_next_page().has_value());  // nothing loaded yet
  const HttpRequest first = client.load_first_page();
  CHECK(first.kind == RequestKind::load_page);
  CHECK(first.method == "GET");
  CHECK(first.url ==
        "https://comments.example.org/api/v1/threads/%2F2026%2F12%2Fun-article/comments?sort=newest&limit=2");
  REQUIRE(first.header("accept"));
  CHECK(*first.header("ACCEPT") == "application/json");
  CHECK_FALSE(first.header("If-None-Match"));
  CHECK_FALSE(first.header("X-Causerie-Edit-Tokens"));

  ClientResult r = client.on_response(first, page_response({comment(3), comment(2)}, "cur/+=sor", 3, "\"v1\""));
  REQUIRE(r.ok());
  REQUIRE(r.page.has_value());
  CHECK(client.thread().loaded);
  CHECK_FALSE(client.thread().complete);
  CHECK(client.thread().thread.title == "Un article");

  const auto next = client.load_next_page();
  REQUIRE(next.has_value());
  CHECK(next->cursor == "cur/+=sor");
  CHECK(next->url.ends_with("&cursor=cur%2F%2B%3Dsor"));
  r = client.on_response(*next, page_response({comment(1)}, std::nullopt, 3));
  REQUIRE(r.ok());
  CHECK(client.thread().complete);
  CHECK(ids(client.thread()) == std::vector<CommentId>{3, 2, 1});
  CHECK_FALSE(client.load_next_page().has_value());

  // A refresh revalidates the first page with its ETag; 304 changes nothing.
  const HttpRequest refresh = client.load_first_page();
  REQUIRE(refresh.header("If-None-Match"));
  CHECK(*refresh.header("If-None-Match") == "\"v1\"");
  HttpResponse not_modified;
  not_modified.status = 304;
  r = client.on_response(refresh, not_modified);
  CHECK(r.ok());
  CHECK(r.not_modified);
  CHECK(ids(client.thread()) == std::vector<CommentId>{3, 2, 1});

  // A changed first page starts the thread over.
  r = client.on_response(refresh, page_response({comment(4), comment(3)}, "c2", 4, "\"v2\""));
  REQUIRE(r.ok());
  CHECK(ids(client.thread()) == std::vector<CommentId>{4, 3});
  CHECK_FALSE(client.thread().complete);
  CHECK(*client.load_first_page().header("If-None-Match") == "\"v2\"");
}

TEST_CASE("a comment that comes again on a later page replaces the first copy") {
  CauserieClient client = make_client();
  const HttpRequest first = client.load_first_page();
  REQUIRE(client.on_response(first, page_response({comment(1), comment(2)}, "c", 2)).ok());
  Comment edited = comment(2);
  edited.body = "corrigé";
  const auto next = client.load_next_page();
  REQUIRE(next);
  REQUIRE(client.on_response(*next, page_response({edited, comment(3)}, std::nullopt, 3)).ok());
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2, 3});
  CHECK(client.thread().comments[1].body == "corrigé");
}

TEST_CASE("posting: 201 stores the token, 202 shows the pending comment to its author") {
  CauserieClient client = make_client();
  REQUIRE(client.on_response(client.load_first_page(), page_response({comment(1)}, std::nullopt, 1)).ok());

  NewComment n;
  n.parent_id = 1;
  n.author = {"Marie", "marie@example.org", std::nullopt};
  n.body = "Réponse";
  const HttpRequest post = client.post_comment(n);
  CHECK(post.method == "POST");
  CHECK(post.url == "https://comments.example.org/api/v1/threads/%2F2026%2F12%2Fun-article/comments");
  REQUIRE(post.header("Content-Type"));
  CHECK(*post.header("Content-Type") == "application/json");
  NewComment sent;
  DecodeError err;
  REQUIRE(decode_new_comment(post.body, sent, err));
  CHECK(sent == n);

  ClientResult r =
      client.on_response(post, json_response(201, encode_posted_comment({comment(2, 1), "tok-2", 1796106480})));
  REQUIRE(r.ok());
  REQUIRE(r.posted.has_value());
  CHECK(r.posted->edit_token == "tok-2");
  CHECK(client.owned() == std::vector<OwnedComment>{{2, "tok-2", 1796106480}});
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2});
  CHECK(client.thread().thread.comment_count == 2);

  r = client.on_response(
      post, json_response(202, encode_posted_comment({comment(3, 1, CommentStatus::pending), "tok-3", 1796106500})));
  REQUIRE(r.ok());
  CHECK(r.posted->comment.status == CommentStatus::pending);
  CHECK(client.thread().thread.comment_count == 2);  // pending does not count
  CHECK(client.owned().size() == 2);

  // Later reads carry the tokens, newest first, so the pending comment stays visible.
  const HttpRequest read = client.load_first_page();
  REQUIRE(read.header("X-Causerie-Edit-Tokens"));
  CHECK(*read.header("X-Causerie-Edit-Tokens") == "tok-3,tok-2");
}

TEST_CASE("edit tokens: at most 50 per read, restored from storage") {
  CauserieClient client = make_client();
  std::vector<OwnedComment> owned;
  for (int i = 1; i <= 60; ++i) owned.push_back({i, "t" + std::to_string(i), 0});
  client.set_owned(owned);
  const HttpRequest read = client.load_first_page();
  REQUIRE(read.header("X-Causerie-Edit-Tokens"));
  const std::string& tokens = *read.header("X-Causerie-Edit-Tokens");
  CHECK(std::count(tokens.begin(), tokens.end(), ',') == 49);
  CHECK(tokens.starts_with("t60,t59,"));
  CHECK(tokens.ends_with(",t11"));
}

TEST_CASE("edit and delete need the token and follow the edit window") {
  CauserieClient client = make_client();
  REQUIRE(client
              .on_response(client.load_first_page(),
                           page_response({comment(1), comment(2, 1), comment(3)}, std::nullopt, 3))
              .ok());
  CHECK_FALSE(client.edit_comment(1, "x").has_value());  // not ours
  CHECK_FALSE(client.delete_comment(1).has_value());
  client.set_owned({{1, "tok-1", 1000}, {3, "tok-3", 1000}});
  CHECK(client.can_edit(1, 999));
  CHECK_FALSE(client.can_edit(1, 1000));
  CHECK_FALSE(client.can_edit(2, 0));

  const auto edit = client.edit_comment(1, "nouveau");
  REQUIRE(edit);
  CHECK(edit->method == "PATCH");
  CHECK(edit->url == "https://comments.example.org/api/v1/comments/1");
  CHECK(*edit->header("Authorization") == "Bearer tok-1");
  CommentEdit sent;
  DecodeError err;
  REQUIRE(decode_comment_edit(edit->body, sent, err));
  CHECK(sent.body == "nouveau");
  Comment edited = comment(1);
  edited.body = "nouveau";
  edited.edited_at = 1796105600;
  ClientResult r = client.on_response(*edit, json_response(200, encode_comment_answer(edited)));
  REQUIRE(r.ok());
  CHECK(client.thread().comments[0].body == "nouveau");

  // Deleting a comment with replies leaves a placeholder; without, it goes.
  Comment gone = comment(1, std::nullopt, CommentStatus::deleted);
  gone.body.clear();
  gone.author = {};
  const auto del1 = client.delete_comment(1);
  REQUIRE(del1);
  CHECK(del1->method == "DELETE");
  REQUIRE(client.on_response(*del1, json_response(200, encode_comment_answer(gone))).ok());
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2, 3});
  CHECK(client.thread().comments[0].status == CommentStatus::deleted);
  CHECK(client.thread().thread.comment_count == 2);
  CHECK_FALSE(client.can_edit(1, 0));
  CHECK(client.owned() == std::vector<OwnedComment>{{3, "tok-3", 1000}});

  const auto del3 = client.delete_comment(3);
  REQUIRE(del3);
  Comment gone3 = comment(3, std::nullopt, CommentStatus::deleted);
  REQUIRE(client.on_response(*del3, json_response(200, encode_comment_answer(gone3))).ok());
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2});
  CHECK(client.thread().thread.comment_count == 1);
  CHECK(client.owned().empty());

  // The window closed on the server: a typed error, nothing changes.
  client.set_owned({{2, "tok-2", 1000}});
  const auto late = client.edit_comment(2, "trop tard");
  REQUIRE(late);
  r = client.on_response(*late, error_response(403, {"edit_window_closed", "too late", std::nullopt, {}, {}}));
  CHECK(r.error.kind == ClientErrorKind::edit_window_closed);
  CHECK(client.thread().comments[1].body == "Texte 2");
}

TEST_CASE("every failure becomes a typed error") {
  CauserieClient client = make_client();
  const HttpRequest post = client.post_comment({});

  HttpResponse offline;
  CHECK(client.on_response(post, offline).error.kind == ClientErrorKind::network);
  HttpResponse timeout;
  timeout.timed_out = true;
  CHECK(client.on_response(post, timeout).error.kind == ClientErrorKind::timeout);

  ClientResult r = client.on_response(
      post,
      error_response(
          422,
          {"validation_failed", "m", "author.email", {{"author.email", "invalid_email"}, {"body", "too_long"}}, {}}));
  CHECK(r.error.kind == ClientErrorKind::validation);
  CHECK(r.error.http_status == 422);
  CHECK(r.error.fields == std::vector<FieldError>{{"author.email", "invalid_email"}, {"body", "too_long"}});
  CHECK(r.error.api.field == "author.email");

  r = client.on_response(post, json_response(413, "<html>Request Entity Too Large</html>"));
  CHECK(r.error.kind == ClientErrorKind::validation);
  CHECK(r.error.fields == std::vector<FieldError>{{"body", "too_long"}});

  r = client.on_response(post,
                         error_response(429, {"rate_limited", "m", std::nullopt, {}, 42}, {{"Retry-After", "42"}}));
  CHECK(r.error.kind == ClientErrorKind::rate_limited);
  CHECK(r.error.retry_after_seconds == 42);
  r = client.on_response(post, json_response(429, "slow down", {{"retry-after", "7"}}));
  CHECK(r.error.retry_after_seconds == 7);
  r = client.on_response(post, json_response(429, "slow down", {{"Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"}}));
  CHECK(r.error.retry_after_seconds == 60);

  const std::pair<HttpResponse, ClientErrorKind> cases[] = {
      {error_response(403, {"thread_closed", "m", std::nullopt, {}, {}}), ClientErrorKind::thread_closed},
      {error_response(403, {"invalid_token", "m", std::nullopt, {}, {}}), ClientErrorKind::forbidden},
      {error_response(401, {"missing_token", "m", std::nullopt, {}, {}}), ClientErrorKind::forbidden},
      {error_response(409, {"duplicate", "m", std::nullopt, {}, {}}), ClientErrorKind::duplicate},
      {error_response(400, {"malformed_json", "m", std::nullopt, {}, {}}), ClientErrorKind::bad_request},
      {error_response(415, {"unsupported_media_type", "m", std::nullopt, {}, {}}), ClientErrorKind::bad_request},
      {json_response(404, "<h1>Not Found</h1>"), ClientErrorKind::not_found},
      {json_response(500, "<h1>Internal</h1>"), ClientErrorKind::server_error},
      {json_response(502, ""), ClientErrorKind::server_error},
      {json_response(302, ""), ClientErrorKind::server_error},
  };
  for (const auto& [response, kind] : cases) {
    CAPTURE(response.status);
    const ClientResult res = client.on_response(post, response);
    CHECK(res.error.kind == kind);
    CHECK_FALSE(res.ok());
    CHECK(res.error.http_status == response.status);
  }
  r = client.on_response(post, error_response(503, {"unavailable", "m", std::nullopt, {}, 5}));
  CHECK(r.error.kind == ClientErrorKind::server_error);
  CHECK(r.error.retry_after_seconds == 5);
  CHECK(std::string(to_string(ClientErrorKind::rate_limited)) == "rate_limited");
  CHECK(client.owned().empty());  // none of these stored anything
}

TEST_CASE("a 2xx that is not the documented document is malformed, and changes nothing") {
  CauserieClient client = make_client();
  REQUIRE(client.on_response(client.load_first_page(), page_response({comment(1)}, "c", 1)).ok());
  const HttpRequest first = client.load_first_page();
  for (const char* body :
       {"", "<html>", "[]", R"({"thread":{"key":"/k","comment_count":1,"status":"open"},"comments":[{"id":"1"}]})",
        R"({"comments":[]})"}) {
    CAPTURE(body);
    const ClientResult r = client.on_response(first, json_response(200, body));
    CHECK(r.error.kind == ClientErrorKind::malformed_response);
    CHECK_FALSE(r.error.detail.empty());
    CHECK(ids(client.thread()) == std::vector<CommentId>{1});
  }
  const ClientResult bad_post = client.on_response(client.post_comment({}), json_response(201, R"({"comment":{}})"));
  CHECK(bad_post.error.kind == ClientErrorKind::malformed_response);
  CHECK(bad_post.error.detail == "comment.id: missing");
  CHECK(client.owned().empty());
}

TEST_CASE("the first page's URL given by the loader is used as given; next pages add their cursor") {
  CauserieClientConfig config{"https://comments.example.org", "/t", SortOrder::oldest, 2, ""};
  config.first_page_url = "https://comments.example.org/api/v1/threads/%2Ft/comments?sort=oldest&limit=200";
  CauserieClient client(config);
  const HttpRequest first = client.load_first_page();
  CHECK(first.url == config.first_page_url);
  REQUIRE(client.on_response(first, page_response({comment(1)}, "c/1", 2)).ok());
  const auto next = client.load_next_page();
  REQUIRE(next.has_value());
  CHECK(next->url == config.first_page_url + "&cursor=c%2F1");
}

TEST_CASE("counts for index pages") {
  CauserieClient client = make_client();
  const HttpRequest r = client.load_counts({"/a b", "/é"});
  CHECK(r.url == "https://comments.example.org/api/v1/counts?thread=%2Fa%20b&thread=%2F%C3%A9");
  const ClientResult res = client.on_response(r, json_response(200, encode_counts({{"/a b", 3}, {"/é", 0}})));
  REQUIRE(res.ok());
  CHECK(res.counts == std::vector<ThreadCount>{{"/a b", 3}, {"/é", 0}});
}

TEST_CASE("a 10,000-comment thread loads page after page without slowing down") {
  CauserieClient client({"https://c.example", "/t", SortOrder::oldest, 200, ""});
  HttpRequest req = client.load_first_page();
  CommentId next_id = 1;
  for (int page = 0; page < 50; ++page) {
    std::vector<Comment> comments;
    for (int k = 0; k < 200; ++k) comments.push_back(comment(next_id++));
    std::optional<std::string> cursor;
    if (page < 49) cursor = "p" + std::to_string(page);
    REQUIRE(client.on_response(req, page_response(std::move(comments), cursor, 10000)).ok());
    if (auto more = client.load_next_page()) req = *more;
  }
  CHECK(client.thread().comments.size() == 10000);
  CHECK(client.thread().complete);
}

// ---- Live updates (docs/api.md, GET .../events) ----

namespace {

std::vector<CommentId> arrived_ids(const ThreadState& s) {
  std::vector<CommentId> out;
  for (const Comment& c : s.arrived) out.push_back(c.id);
  return out;
}

}  // namespace

TEST_CASE("live: the stream resumes from the first page's Causerie-Event-Id, then from each event") {
  CauserieClient client = make_client();
  CHECK(client.live_position().empty());
  CHECK(client.events_url() == "https://comments.example.org/api/v1/threads/%2F2026%2F12%2Fun-article/events");
  HttpResponse first = page_response({comment(1)}, std::string("c1"), 1);
  first.headers.push_back({"causerie-event-id", "41"});
  const HttpRequest read = client.load_first_page();
  REQUIRE(client.on_response(read, first).ok());
  CHECK(client.live_position() == "41");
  // A later page does not move it: events since the first read still apply.
  HttpResponse second = page_response({comment(2)}, std::nullopt, 2);
  second.headers.push_back({"Causerie-Event-Id", "45"});
  REQUIRE(client.on_response(*client.load_next_page(), second).ok());
  CHECK(client.live_position() == "41");
  CHECK(client.on_live_event("", "42", "") == LiveChange::none);  // the opening block
  CHECK(client.live_position() == "42");
  CHECK(client.on_live_event("comment", "43", encode_comment(comment(3))) == LiveChange::arrived);
  CHECK(client.live_position() == "43");
  // A 304 on a refresh carries the position too.
  HttpResponse not_modified;
  not_modified.status = 304;
  not_modified.headers.push_back({"Causerie-Event-Id", "50"});
  CHECK(client.on_response(client.load_first_page(), not_modified).not_modified);
  CHECK(client.live_position() == "50");
}

TEST_CASE("live: new comments wait in `arrived` until revealed; the count follows the reveal") {
  CauserieClient client = make_client();
  REQUIRE(client.on_response(client.load_first_page(), page_response({comment(1)}, std::nullopt, 1)).ok());
  CHECK(client.on_live_event("comment", "2", encode_comment(comment(2, 1))) == LiveChange::arrived);
  CHECK(client.on_live_event("comment", "3", encode_comment(comment(3))) == LiveChange::arrived);
  CHECK(ids(client.thread()) == std::vector<CommentId>{1});
  CHECK(arrived_ids(client.thread()) == std::vector<CommentId>{2, 3});
  CHECK(client.thread().thread.comment_count == 1);
  // Edited before being revealed: the latest text is what shows.
  Comment edited = comment(2, 1);
  edited.body = "Corrigé";
  edited.edited_at = edited.created_at + 30;
  CHECK(client.on_live_event("update", "4", encode_comment(edited)) == LiveChange::arrived);
  CHECK(client.thread().arrived.front().body == "Corrigé");
  CHECK(client.reveal_arrived() == std::vector<CommentId>{2, 3});
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2, 3});
  CHECK(client.thread().arrived.empty());
  CHECK(client.thread().thread.comment_count == 3);
  CHECK(client.thread().comments[1].body == "Corrigé");
}

TEST_CASE("live: edits, deletions and approvals change comments in place") {
  CauserieClient client = make_client();
  REQUIRE(client
              .on_response(client.load_first_page(),
                           page_response({comment(1), comment(2, 1), comment(3)}, std::nullopt, 3))
              .ok());
  Comment edited = comment(3);
  edited.body = "Nouveau texte";
  CHECK(client.on_live_event("update", "10", encode_comment(edited)) == LiveChange::changed);
  CHECK(client.thread().comments[2].body == "Nouveau texte");
  // Deleted with a reply under it: a placeholder stays; without: it goes.
  Comment gone = comment(1, std::nullopt, CommentStatus::deleted);
  gone.author.name.clear();
  gone.body.clear();
  CHECK(client.on_live_event("update", "11", encode_comment(gone)) == LiveChange::changed);
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2, 3});
  CHECK(client.thread().comments[0].status == CommentStatus::deleted);
  CHECK(client.on_live_event("update", "12", encode_comment(comment(3, std::nullopt, CommentStatus::deleted))) ==
        LiveChange::changed);
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2});
  CHECK(client.thread().thread.comment_count == 1);
  // Spam or deleted before anyone here saw it: nothing to show.
  CHECK(client.on_live_event("update", "13", encode_comment(comment(9, std::nullopt, CommentStatus::deleted))) ==
        LiveChange::none);
  // Approved by the site owner: new to this reader, so it waits in the pill.
  CHECK(client.on_live_event("update", "14", encode_comment(comment(8, 2))) == LiveChange::arrived);
  CHECK(arrived_ids(client.thread()) == std::vector<CommentId>{8});
  // ...and deleted before the reader revealed it: the pill forgets it.
  CHECK(client.on_live_event("update", "15", encode_comment(comment(8, 2, CommentStatus::deleted))) ==
        LiveChange::arrived);
  CHECK(client.thread().arrived.empty());
}

TEST_CASE("live: the reader's own pending comment, approved, turns published in place") {
  CauserieClient client = make_client();
  REQUIRE(client.on_response(client.load_first_page(), page_response({comment(1)}, std::nullopt, 1)).ok());
  NewComment n;
  n.author = {"Marie", "marie@example.org", std::nullopt};
  n.body = "En attente";
  REQUIRE(client
              .on_response(client.post_comment(n),
                           json_response(202, encode_posted_comment({comment(2, std::nullopt, CommentStatus::pending),
                                                                     "tok-2", 1796106500})))
              .ok());
  CHECK(client.thread().thread.comment_count == 1);
  CHECK(client.on_live_event("update", "7", encode_comment(comment(2))) == LiveChange::changed);
  CHECK(client.thread().comments[1].status == CommentStatus::published);
  CHECK(client.thread().arrived.empty());
  CHECK(client.thread().thread.comment_count == 2);
}

TEST_CASE("live: the reader's own post announced before its answer is not a new comment") {
  CauserieClient client = make_client();
  REQUIRE(client.on_response(client.load_first_page(), page_response({comment(1)}, std::nullopt, 1)).ok());
  NewComment n;
  n.author = {"Marie", "marie@example.org", std::nullopt};
  n.body = "Texte 2";
  const HttpRequest post = client.post_comment(n);
  CHECK(client.on_live_event("comment", "5", encode_comment(comment(2))) == LiveChange::arrived);
  REQUIRE(client.on_response(post, json_response(201, encode_posted_comment({comment(2), "tok-2", 1796106480}))).ok());
  CHECK(client.thread().arrived.empty());
  CHECK(ids(client.thread()) == std::vector<CommentId>{1, 2});
  CHECK(client.thread().thread.comment_count == 2);
}

TEST_CASE("live: reset asks for a reload; malformed events change nothing") {
  CauserieClient client = make_client();
  HttpResponse first = page_response({comment(1)}, std::nullopt, 1);
  first.headers.push_back({"Causerie-Event-Id", "3"});
  REQUIRE(client.on_response(client.load_first_page(), first).ok());
  CHECK(client.on_live_event("comment", "4", "{not json") == LiveChange::none);
  CHECK(client.on_live_event("comment", "4", "{\"id\": \"x\"}") == LiveChange::none);
  CHECK(client.live_position() == "3");
  CHECK(client.thread().arrived.empty());
  CHECK(client.on_live_event("reset", "", "{}") == LiveChange::reload);
  CHECK(client.live_position().empty());
}
