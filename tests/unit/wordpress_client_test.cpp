// WordPressClient against answers in the exact shape WordPress 6.1 sends
// (wp_json_encode: escaped slashes, `meta: []`, `_links`), French content as
// wptexturize renders it.
#include <doctest/doctest.h>

#include <string>

#include "core/error_messages.h"
#include "core/html.h"
#include "core/i18n.h"
#include "core/richtext.h"
#include "core/thread.h"
#include "core/wordpress_client.h"
#include "richtext_dump.h"

using namespace causerie;

namespace {

// GET /wp-json/wp/v2/comments?post=5&per_page=100&page=1&orderby=date_gmt&order=asc
// as an anonymous reader sees it (approved only), with one reply.
const char* kListing =
    R"json([{"id":2,"post":5,"parent":0,"author":0,"author_name":"Marie Dupont","author_url":"https:\/\/marie.example.fr","date":"2026-11-30T09:12:00","date_gmt":"2026-11-30T08:12:00","content":{"rendered":"<p>Merci pour cet article&nbsp;! C&#8217;est tr&egrave;s clair&hellip; et &#171;&nbsp;pr&eacute;cis&nbsp;&#187;.<\/p>\n"},"link":"http:\/\/127.0.0.1:8080\/?p=5#comment-2","status":"approved","type":"comment","author_avatar_urls":{"24":"https:\/\/secure.gravatar.com\/avatar\/6a6c19fea4a3676970167ce51f39e6ee?s=24&d=mm&r=g","48":"https:\/\/secure.gravatar.com\/avatar\/6a6c19fea4a3676970167ce51f39e6ee?s=48&d=mm&r=g","96":"https:\/\/secure.gravatar.com\/avatar\/6a6c19fea4a3676970167ce51f39e6ee?s=96&d=mm&r=g"},"meta":[],"_links":{"self":[{"href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/comments\/2"}],"collection":[{"href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/comments"}],"up":[{"embeddable":true,"post_type":"post","href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/posts\/5"}]}},{"id":3,"post":5,"parent":2,"author":0,"author_name":"Jean-Pierre &amp; Fils","author_url":"","date":"2026-11-30T10:40:00","date_gmt":"2026-11-30T09:40:00","content":{"rendered":"<p>Je ne suis pas d&#8217;accord&#8230; Voir <a href=\"https:\/\/fr.wikipedia.org\/wiki\/Causerie\" rel=\"nofollow ugc\">l&#8217;article<\/a>.<\/p>\n<p>Deuxi&egrave;me paragraphe&nbsp;: <em>vraiment<\/em>.<\/p>\n"},"link":"http:\/\/127.0.0.1:8080\/?p=5#comment-3","status":"approved","type":"comment","author_avatar_urls":{"24":"https:\/\/secure.gravatar.com\/avatar\/d41d8cd98f00b204e9800998ecf8427e?s=24&d=mm&r=g","48":"https:\/\/secure.gravatar.com\/avatar\/d41d8cd98f00b204e9800998ecf8427e?s=48&d=mm&r=g","96":"https:\/\/secure.gravatar.com\/avatar\/d41d8cd98f00b204e9800998ecf8427e?s=96&d=mm&r=g"},"meta":[],"_links":{"self":[{"href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/comments\/3"}],"collection":[{"href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/comments"}],"up":[{"embeddable":true,"post_type":"post","href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/posts\/5"}],"in-reply-to":[{"embeddable":true,"href":"http:\/\/127.0.0.1:8080\/index.php?rest_route=\/wp\/v2\/comments\/2"}]}},{"id":4,"post":5,"parent":0,"author":0,"author_name":"Lucie","author_url":"javascript:alert(1)","date":"2026-12-01T06:13:00","date_gmt":"2026-12-01T05:13:00","content":{"rendered":"<p>Question&nbsp;: &#8220;quid&#8221;&nbsp;? 5&nbsp;&#215;&nbsp;3 &#038; plus.<\/p>\n"},"link":"http:\/\/127.0.0.1:8080\/?p=5#comment-4","status":"approved","type":"comment","meta":[],"_links":{}}])json";

// The 201 of POST /wp/v2/comments (edit context) when WordPress holds the comment.
const char* kPostedHold =
    R"json({"id":7,"post":5,"parent":2,"author":0,"author_email":"anne@example.org","author_ip":"127.0.0.1","author_name":"Anne","author_url":"","author_user_agent":"Mozilla\/5.0","date":"2026-12-01T09:00:00","date_gmt":"2026-12-01T08:00:00","content":{"rendered":"<p>Bien vu&nbsp;!<\/p>\n","raw":"Bien vu !"},"link":"http:\/\/127.0.0.1:8080\/?p=5#comment-7","status":"hold","type":"comment","author_avatar_urls":{"24":"https:\/\/secure.gravatar.com\/avatar\/0bc83cb571cd1c50ba6f3e8a78ef1346?s=24&d=mm&r=g"},"meta":[],"_links":{}})json";

HttpResponse response(int status, std::string body, std::vector<HttpHeader> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  r.headers.push_back({"Content-Type", "application/json; charset=UTF-8"});
  return r;
}

WordPressClient make_client(std::string title = "") {
  return WordPressClient({"https://exemple.fr/wp-json/", 5, std::move(title), 100});
}

std::string text_of(const Comment& c) { return to_plain_text(parse_html(c.body)); }

}  // namespace

TEST_CASE("wordpress: the listing request, and its answer mapped to the model") {
  WordPressClient client = make_client();
  CHECK_FALSE(client.load_next_page());
  const HttpRequest req = client.load_first_page();
  CHECK(req.kind == RequestKind::load_page);
  CHECK(req.method == "GET");
  CHECK(req.url == "https://exemple.fr/wp-json/wp/v2/comments?post=5&per_page=100&page=1&orderby=date_gmt&order=asc");

  // Header names in any case (HTTP/2 sends them lower-case).
  const ClientResult r =
      client.on_response(req, response(200, kListing, {{"x-wp-total", "3"}, {"X-WP-TOTALPAGES", "1"}}));
  REQUIRE(r.ok());
  REQUIRE(r.page);
  CHECK_FALSE(r.page->next_cursor);
  const ThreadState& t = client.thread();
  CHECK(t.loaded);
  CHECK(t.complete);
  CHECK(t.body_format == BodyFormat::html);
  CHECK(t.thread.comment_count == 3);
  CHECK(t.thread.key == "5");
  REQUIRE(t.comments.size() == 3);
  CHECK_FALSE(client.load_next_page());

  const Comment& marie = t.comments[0];
  CHECK(marie.id == 2);
  CHECK_FALSE(marie.parent_id);
  CHECK(marie.author.name == "Marie Dupont");
  CHECK(marie.author.url == std::optional<std::string>("https://marie.example.fr"));
  CHECK(marie.created_at == 1796026320);  // 2026-11-30T08:12:00Z: date_gmt is UTC, not the site's time
  CHECK(marie.status == CommentStatus::published);
  CHECK(marie.author.avatar_seed == "6a6c19fea4a3676970167ce51f39e6ee");  // the Gravatar hash
  // The picture drawn in the avatar: the largest size WordPress offers.
  CHECK(marie.author.avatar_url == "https://secure.gravatar.com/avatar/6a6c19fea4a3676970167ce51f39e6ee?s=96&d=mm&r=g");
  CHECK_FALSE(marie.edited_at);
  CHECK(text_of(marie) ==
        "Merci pour cet article\u00a0! C\u2019est tr\u00e8s clair\u2026 et \u00ab\u00a0pr\u00e9cis\u00a0\u00bb.");

  const Comment& reply = t.comments[1];
  CHECK(reply.parent_id == std::optional<CommentId>(2));
  CHECK(reply.author.name == "Jean-Pierre & Fils");  // esc_html'ed on save by WordPress
  CHECK_FALSE(reply.author.url);                     // "" means none
  CHECK(test::dump_blocks(parse_html(reply.body).blocks) ==
        "P{Je ne suis pas d\u2019accord\u2026 Voir [@https://fr.wikipedia.org/wiki/Causerie:l\u2019article].}"
        "P{Deuxi\u00e8me paragraphe\u00a0: [e:vraiment].}");

  const Comment& lucie = t.comments[2];
  CHECK_FALSE(lucie.author.url);  // javascript: never becomes a link
  CHECK(text_of(lucie) == "Question\u00a0: \u201cquid\u201d\u00a0? 5\u00a0\u00d7\u00a03 & plus.");
  // No avatar URL (avatars off on the site): a stable hash of the name.
  CHECK(lucie.author.avatar_seed.size() == 16);
  CHECK(lucie.author.avatar_seed == wordpress_avatar_seed("lucie", "javascript:alert(1)", ""));
  CHECK(lucie.author.avatar_seed != wordpress_avatar_seed("Lucie B.", "", ""));
  CHECK(lucie.author.avatar_url.empty());

  // The tree: the reply under Marie, Lucie at the top level.
  const std::vector<ThreadEntry> order = build_thread(t.comments);
  REQUIRE(order.size() == 3);
  CHECK(t.comments[order[0].index].id == 2);
  CHECK(t.comments[order[1].index].id == 3);
  CHECK(order[1].depth == 1);
  CHECK(t.comments[order[2].index].id == 4);
  CHECK(order[2].depth == 0);
}

TEST_CASE("wordpress: pages follow X-WP-TotalPages, and a vanished page ends the thread") {
  WordPressClient client({"https://exemple.fr/wp-json", 5, "", 2});
  const HttpRequest first = client.load_first_page();
  CHECK(first.url.find("per_page=2&page=1&") != std::string::npos);
  // Two of three comments.
  std::string two = kListing;
  two = two.substr(0, two.find(",{\"id\":4,")) + "]";
  REQUIRE(client.on_response(first, response(200, two, {{"X-WP-Total", "3"}, {"X-WP-TotalPages", "2"}})).ok());
  CHECK_FALSE(client.thread().complete);
  CHECK(client.thread().thread.comment_count == 3);
  std::optional<HttpRequest> next = client.load_next_page();
  REQUIRE(next);
  CHECK(next->url == "https://exemple.fr/wp-json/wp/v2/comments?post=5&per_page=2&page=2&orderby=date_gmt&order=asc");
  std::string last = kListing;
  last = "[" + last.substr(last.find("{\"id\":4,"));
  const ClientResult r =
      client.on_response(*next, response(200, last, {{"X-WP-Total", "3"}, {"X-WP-TotalPages", "2"}}));
  REQUIRE(r.ok());
  CHECK(client.thread().complete);
  CHECK(client.thread().comments.size() == 3);
  CHECK_FALSE(client.load_next_page());

  // Without the X-WP-* headers (a proxy dropped them): a full page means maybe more.
  WordPressClient bare({"https://exemple.fr/wp-json", 5, "", 2});
  const HttpRequest b1 = bare.load_first_page();
  REQUIRE(bare.on_response(b1, response(200, two)).ok());
  CHECK(bare.thread().thread.comment_count == 2);
  next = bare.load_next_page();
  REQUIRE(next);
  // Comments were deleted meanwhile: WordPress refuses the page number.
  const ClientResult gone = bare.on_response(
      *next,
      response(
          400,
          R"({"code":"rest_comment_invalid_page_number","message":"The page number requested is larger than the number of pages available.","data":{"status":400}})"));
  CHECK(gone.ok());
  CHECK(bare.thread().complete);
  CHECK(bare.thread().comments.size() == 2);
}

TEST_CASE("wordpress: sites without pretty permalinks use ?rest_route=") {
  WordPressClient client({"https://exemple.fr/?rest_route=", 5, "", 100});
  CHECK(client.load_first_page().url ==
        "https://exemple.fr/?rest_route=/wp/v2/comments&post=5&per_page=100&page=1&orderby=date_gmt&order=asc");
  CHECK(client.load_thread_info()->url ==
        "https://exemple.fr/?rest_route=/wp/v2/posts/5&_fields=title,link,comment_status");
}

TEST_CASE("wordpress: malformed listings are errors, not half threads") {
  WordPressClient client = make_client();
  const HttpRequest req = client.load_first_page();
  for (const char* body :
       {"<html>Maintenance</html>", "{\"id\":1}",
        R"([{"id":"2","date_gmt":"2026-11-30T08:12:00","content":{"rendered":""}}])",
        R"([{"id":2,"content":{"rendered":""}}])", R"([{"id":2,"date_gmt":"hier","content":{"rendered":""}}])",
        R"([{"id":2,"date_gmt":"2026-11-30T08:12:00","content":"x"}])",
        R"([{"id":2,"date_gmt":"2026-11-30T08:12:00","content":{"rendered":""},"status":"weird"}])"}) {
    CAPTURE(body);
    const ClientResult r = client.on_response(req, response(200, body));
    CHECK(r.error.kind == ClientErrorKind::malformed_response);
    CHECK(r.error.http_status == 200);
    CHECK_FALSE(r.error.detail.empty());
    CHECK_FALSE(client.thread().loaded);
  }
}

TEST_CASE("wordpress: only http(s) avatar pictures are kept; the largest size wins") {
  const auto avatar_of = [](const char* urls) {
    const std::string json =
        std::string(R"({"id":2,"date_gmt":"2026-11-30T08:12:00","content":{"rendered":""},"author_avatar_urls":)") +
        urls + "}";
    Comment c;
    DecodeError err;
    REQUIRE(decode_wordpress_comment(json, c, err));
    return c.author.avatar_url;
  };
  CHECK(avatar_of(
            R"({"24":"https://a.example/24.png","96":"https://a.example/96.png","48":"https://a.example/48.png"})") ==
        "https://a.example/96.png");
  CHECK(avatar_of(R"({"24":"http://a.example/24.png"})") == "http://a.example/24.png");
  CHECK(avatar_of(R"j({"96":"javascript:alert(1)"})j").empty());
  CHECK(avatar_of(R"({"96":"data:image/png;base64,AAAA"})").empty());
  CHECK(avatar_of(R"({"96":false,"48":false})").empty());  // a site filter that turns avatars off
  CHECK(avatar_of("[]").empty());
}

TEST_CASE("wordpress: the post gives title, link and open/closed; pages are tried after posts") {
  WordPressClient client = make_client();
  std::optional<HttpRequest> info = client.load_thread_info();
  REQUIRE(info);
  CHECK(info->kind == RequestKind::load_thread_info);
  CHECK(info->url == "https://exemple.fr/wp-json/wp/v2/posts/5?_fields=title,link,comment_status");
  CHECK_FALSE(client.load_thread_info());  // one at a time
  // A page's id: /posts answers 404, then /pages.
  ClientResult r = client.on_response(
      *info, response(404, R"({"code":"rest_post_invalid_id","message":"Invalid post ID.","data":{"status":404}})"));
  CHECK(r.error.kind == ClientErrorKind::not_found);
  info = client.load_thread_info();
  REQUIRE(info);
  CHECK(info->url == "https://exemple.fr/wp-json/wp/v2/pages/5?_fields=title,link,comment_status");
  r = client.on_response(
      *info,
      response(
          200,
          R"({"link":"http:\/\/127.0.0.1:8080\/?page_id=5","comment_status":"closed","title":{"rendered":"L&#8217;&eacute;t&eacute; &#038; l&#8217;hiver&nbsp;: &#171;&nbsp;bilan&nbsp;&#187;"}})"));
  REQUIRE(r.ok());
  CHECK(client.thread().thread.title == "L\u2019\u00e9t\u00e9 & l\u2019hiver\u00a0: \u00ab\u00a0bilan\u00a0\u00bb");
  CHECK(client.thread().thread.url == "http://127.0.0.1:8080/?page_id=5");
  CHECK(client.thread().thread.status == ThreadStatus::closed);
  CHECK_FALSE(client.load_thread_info());

  // A title given by the page wins; the state still comes from WordPress.
  WordPressClient titled = make_client("Titre de la page");
  info = titled.load_thread_info();
  REQUIRE(titled.on_response(*info, response(200, R"({"comment_status":"open","title":{"rendered":"Autre"}})")).ok());
  CHECK(titled.thread().thread.title == "Titre de la page");
  CHECK(titled.thread().thread.status == ThreadStatus::open);
  // The thread info survives the comments arriving afterwards.
  REQUIRE(titled
              .on_response(titled.load_first_page(),
                           response(200, kListing, {{"X-WP-Total", "3"}, {"X-WP-TotalPages", "1"}}))
              .ok());
  CHECK(titled.thread().thread.title == "Titre de la page");

  // Any other failure: give up (the thread shows without it).
  WordPressClient other = make_client();
  info = other.load_thread_info();
  CHECK(other.on_response(*info, response(401, R"({"code":"rest_forbidden","message":"Sorry","data":{"status":401}})"))
            .error.kind == ClientErrorKind::forbidden);
  CHECK_FALSE(other.load_thread_info());
}

TEST_CASE("wordpress: posting sends WordPress's fields; a held comment is pending") {
  WordPressClient client = make_client();
  REQUIRE(client
              .on_response(client.load_first_page(),
                           response(200, kListing, {{"X-WP-Total", "3"}, {"X-WP-TotalPages", "1"}}))
              .ok());
  NewComment c;
  c.parent_id = 2;
  c.author = {"Anne", "anne@example.org", std::nullopt};
  c.body = "Bien vu !";
  c.website = "";
  const HttpRequest req = client.post_comment(c);
  CHECK(req.kind == RequestKind::post_comment);
  CHECK(req.method == "POST");
  CHECK(req.url == "https://exemple.fr/wp-json/wp/v2/comments");
  REQUIRE(req.header("content-type"));
  CHECK(*req.header("content-type") == "application/json");
  CHECK(req.body ==
        R"({"post":5,"parent":2,"author_name":"Anne","author_email":"anne@example.org","content":"Bien vu !"})");

  NewComment top = c;
  top.parent_id.reset();
  top.author.url = "https://anne.example.org";
  CHECK(
      client.post_comment(top).body ==
      R"({"post":5,"parent":0,"author_name":"Anne","author_email":"anne@example.org","author_url":"https://anne.example.org","content":"Bien vu !"})");

  ClientResult r = client.on_response(req, response(201, kPostedHold));
  REQUIRE(r.ok());
  REQUIRE(r.posted);
  CHECK(r.posted->comment.id == 7);
  CHECK(r.posted->comment.status == CommentStatus::pending);
  CHECK(r.posted->comment.parent_id == std::optional<CommentId>(2));
  CHECK(r.posted->edit_token.empty());
  // Shown to its author as awaiting moderation; not counted.
  REQUIRE(client.thread().comments.size() == 4);
  CHECK(client.thread().comments.back().status == CommentStatus::pending);
  CHECK(client.thread().thread.comment_count == 3);

  // Approved at once (a known commenter): published and counted.
  std::string approved = kPostedHold;
  approved.replace(approved.find("\"id\":7"), 6, "\"id\":8");
  approved.replace(approved.find("\"hold\""), 6, "\"approved\"");
  r = client.on_response(req, response(201, approved));
  REQUIRE(r.ok());
  CHECK(r.posted->comment.status == CommentStatus::published);
  CHECK(client.thread().thread.comment_count == 4);

  // WordPress cannot edit or delete for a visitor.
  CHECK_FALSE(client.edit_comment(8, "x"));
  CHECK_FALSE(client.delete_comment(8));
  CHECK_FALSE(client.can_edit(8, 0));
}

TEST_CASE("wordpress: errors become the widget's kinds and field errors") {
  WordPressClient client = make_client();
  NewComment c;
  c.author = {"", "anne@example.org", std::nullopt};
  c.body = "Texte";
  const HttpRequest req = client.post_comment(c);
  const auto error_of = [&](int status, const char* body) {
    const ClientResult r = client.on_response(req, response(status, body));
    CHECK_FALSE(r.ok());
    CHECK(r.error.http_status == status);
    return r.error;
  };

  ClientError e = error_of(
      401,
      R"({"code":"rest_comment_login_required","message":"Sorry, you must be logged in to comment.","data":{"status":401}})");
  CHECK(e.kind == ClientErrorKind::forbidden);
  CHECK(e.api.code == "rest_comment_login_required");

  e = error_of(
      409,
      R"({"code":"comment_duplicate","message":"Duplicate comment detected; it looks as though you&#8217;ve already said that!","data":{"status":409}})");
  CHECK(e.kind == ClientErrorKind::duplicate);
  CHECK(e.api.message == "Duplicate comment detected; it looks as though you\u2019ve already said that!");

  // WordPress says 400 for a flood: the code decides.
  e = error_of(
      400,
      R"({"code":"comment_flood","message":"You are posting comments too quickly. Slow down.","data":{"status":400}})");
  CHECK(e.kind == ClientErrorKind::rate_limited);
  CHECK(e.retry_after_seconds == kWordPressFloodSeconds);

  e = error_of(
      403,
      R"({"code":"rest_comment_closed","message":"Sorry, comments are closed for this item.","data":{"status":403}})");
  CHECK(e.kind == ClientErrorKind::thread_closed);

  e = error_of(
      403,
      R"({"code":"rest_comment_invalid_post_id","message":"Sorry, you are not allowed to create this comment without a post.","data":{"status":403}})");
  CHECK(e.kind == ClientErrorKind::not_found);

  e = error_of(400,
               R"({"code":"rest_comment_content_invalid","message":"Invalid comment content.","data":{"status":400}})");
  CHECK(e.kind == ClientErrorKind::validation);
  CHECK(e.fields == std::vector<FieldError>{{"body", "required"}});

  // Only the name was blank in what was sent.
  e = error_of(
      400,
      R"({"code":"rest_comment_author_data_required","message":"Creating a comment requires valid author name and email values.","data":{"status":400}})");
  CHECK(e.kind == ClientErrorKind::validation);
  CHECK(e.fields == std::vector<FieldError>{{"author.name", "required"}});

  e = error_of(
      400,
      R"({"code":"rest_invalid_param","message":"Invalid parameter(s): author_email","data":{"status":400,"params":{"author_email":"Invalid email address."},"details":{"author_email":{"code":"rest_invalid_email","message":"Invalid email address.","data":null}}}})");
  CHECK(e.kind == ClientErrorKind::validation);
  CHECK(e.fields == std::vector<FieldError>{{"author.email", "invalid_email"}});

  e = error_of(
      400,
      R"({"code":"rest_invalid_param","message":"Invalid parameter(s): author_url, parent","data":{"status":400,"params":{"author_url":"Invalid URL.","parent":"parent is not of type integer."}}})");
  CHECK(e.fields == std::vector<FieldError>{{"author.url", "invalid_url"}, {"parent_id", "invalid_parent"}});

  e = error_of(
      400, R"({"code":"comment_content_column_length","message":"Your comment is too long.","data":{"status":400}})");
  CHECK(e.kind == ClientErrorKind::validation);
  CHECK(e.fields == std::vector<FieldError>{{"body", "too_long"}});

  // Unknown codes fall back on the status; non-JSON answers too.
  CHECK(error_of(400, R"({"code":"rest_something_new","message":"?","data":{"status":400}})").kind ==
        ClientErrorKind::bad_request);
  CHECK(error_of(503, "<html><body>Service Unavailable</body></html>").kind == ClientErrorKind::server_error);
  CHECK(
      error_of(
          500,
          R"({"code":"internal_server_error","message":"<p>There has been a critical error on this website.<\/p>","data":{"status":500}})")
          .kind == ClientErrorKind::server_error);

  HttpResponse offline;
  CHECK(client.on_response(req, offline).error.kind == ClientErrorKind::network);
  CHECK(client.thread().comments.empty());
}

TEST_CASE("wordpress: post ids from data-thread") {
  int64_t id = 0;
  CHECK(parse_wordpress_post_id("1234", id));
  CHECK(id == 1234);
  for (const char* bad : {"", "0", "-3", "12a", " 12", "/2026/12/un-article", "99999999999999999999"}) {
    CAPTURE(bad);
    id = 7;
    CHECK_FALSE(parse_wordpress_post_id(bad, id));
    CHECK(id == 7);
  }
}

TEST_CASE("wordpress: what the reader reads for WordPress's refusals") {
  WordPressClient client = make_client();
  NewComment c;
  c.author = {"Anne", "", std::nullopt};
  c.body = "Texte";
  const HttpRequest req = client.post_comment(c);
  const Catalog& fr = catalog_for("fr");
  const Catalog& en = catalog_for("en");
  const auto error_of = [&](int status, const char* body) {
    return client.on_response(req, response(status, body)).error;
  };

  const ClientError dup = error_of(
      409,
      R"({"code":"comment_duplicate","message":"Duplicate comment detected; it looks as though you&#8217;ve already said that!","data":{"status":409}})");
  CHECK(error_message(fr, dup) ==
        "Commentaire en double détecté\u00a0; il semblerait que vous ayez déjà dit ceci\u00a0!");
  CHECK(error_message(en, dup) == tr(en, "error.duplicate"));
  CHECK(error_message(en, dup) != error_message(fr, dup));

  const ClientError flood = error_of(
      400,
      R"({"code":"comment_flood","message":"You are posting comments too quickly. Slow down.","data":{"status":400}})");
  CHECK(error_message(fr, flood) == "Trop de commentaires envoyés, réessayez dans 15 secondes");

  const ClientError closed = error_of(
      403,
      R"({"code":"rest_comment_closed","message":"Sorry, comments are closed for this item.","data":{"status":403}})");
  CHECK(error_message(fr, closed) == "Les commentaires sont fermés pour cet article.");

  // Only the e-mail was missing from what was sent.
  const ClientError author = error_of(
      400,
      R"({"code":"rest_comment_author_data_required","message":"Creating a comment requires valid author name and email values.","data":{"status":400}})");
  CHECK(error_message(fr, author) == "Certains champs sont à corriger.");
  CHECK(field_messages(fr, author) == std::vector<std::string>{"Veuillez indiquer votre adresse e-mail."});

  const ClientError email = error_of(
      400,
      R"({"code":"rest_invalid_param","message":"Invalid parameter(s): author_email","data":{"status":400,"params":{"author_email":"Invalid email address."}}})");
  CHECK(field_messages(fr, email) == std::vector<std::string>{"Veuillez saisir une adresse e-mail valide."});

  const ClientError login = error_of(
      401,
      R"({"code":"rest_comment_login_required","message":"Sorry, you must be logged in to comment.","data":{"status":401}})");
  CHECK(error_message(fr, login) == "Vous n’avez pas l’autorisation de faire cela.");
}
