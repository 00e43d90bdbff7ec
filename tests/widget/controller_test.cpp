#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "core/codec.h"
#include "core/error_messages.h"
#include "core/i18n.h"
#include "null_imgui.h"
#include "widget/controller.h"

// The controller against a page that records what it is asked, with the real API
// clients: each request the controller sends is answered here as the server (or
// WordPress) would.
using namespace causerie;

namespace {

struct FakeHost final : Host {
  struct Pending {
    HttpRequest request;
    std::function<void(HttpResponse)> done;
  };
  std::vector<Pending> requests;  // sent and not answered yet
  std::vector<std::string> urls;  // every request sent, in order
  double clock_ms = 1000;
  int64_t unix_seconds = 1796105580;
  std::vector<float> scrolled_to;
  float scrolled_by = 0;
  std::vector<std::string> announcements;
  std::vector<std::string> mirrors;
  std::vector<std::string> messages;
  std::vector<std::pair<bool, std::string>> previews;
  std::vector<std::string> post_answers;
  int forms_posted = 0;
  std::vector<OwnedComment> owned_saved;
  std::string state, live_url, live_position;
  bool confirm_answer = true;

  double now_ms() override { return clock_ms; }
  int64_t unix_now() override { return unix_seconds; }
  void request_frame() override {}
  void request_frame_after(int) override {}
  void fetch(const HttpRequest& request, int, std::function<void(HttpResponse)> done) override {
    urls.push_back(request.method + " " + request.url);
    requests.push_back({request, std::move(done)});
  }
  void set_content_height(float) override {}
  void set_state(const char* s) override { state = s; }
  void set_cursor(const char*) override {}
  void scroll_to(float y) override { scrolled_to.push_back(y); }
  void scroll_by(float d) override { scrolled_by += d; }
  void set_live(const std::string& url, const std::string& position) override {
    live_url = url;
    live_position = position;
  }
  void set_link(const HoveredLink&) override {}
  void load_avatar(const std::string&, int) override {}
  void set_mirror(const std::string& json) override { mirrors.push_back(json); }
  void announce(const std::string& text) override { announcements.push_back(text); }
  bool confirm(const std::string&) override { return confirm_answer; }
  void warn(const std::string&) override {}
  void set_field_style(float, float, const std::string&) override {}
  void set_form_layout(const std::vector<float>&) override {}
  void set_form_labels(const std::vector<std::string>&) override {}
  void set_form_messages(const std::vector<std::string>& m) override { messages = m; }
  void set_form_preview(bool shown, const std::string& text) override { previews.emplace_back(shown, text); }
  void set_reply_target(CommentId) override {}
  void set_edit_target(CommentId, const std::string&) override {}
  void form_posted(CommentId, const std::vector<OwnedComment>& owned, const std::string& text) override {
    ++forms_posted;
    owned_saved = owned;
    announcements.push_back(text);
  }
  void post_done(int, const std::string& json) override { post_answers.push_back(json); }

  // Answers the oldest request still waiting.
  HttpRequest answer(int status, std::string body, std::vector<HttpHeader> headers = {}) {
    REQUIRE_FALSE(requests.empty());
    Pending p = std::move(requests.front());
    requests.erase(requests.begin());
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.push_back({"Content-Type", "application/json; charset=utf-8"});
    p.done(std::move(r));
    return p.request;
  }
};

Comment comment(CommentId id, std::optional<CommentId> parent = std::nullopt) {
  Comment c;
  c.id = id;
  c.parent_id = parent;
  c.author.name = "Auteur " + std::to_string(id);
  c.author.avatar_seed = "abcdef0123456789";
  c.body = "Texte du commentaire " + std::to_string(id) + ", assez long pour tenir une ligne ou deux.";
  c.created_at = 1796105000 + id;
  return c;
}

std::string page(std::vector<Comment> comments, std::optional<std::string> cursor, int64_t count) {
  CommentPage p;
  p.thread = {"/a", "Un article", "https://example.org/a", count, ThreadStatus::open};
  p.comments = std::move(comments);
  p.next_cursor = std::move(cursor);
  return encode_comment_page(p);
}

StartOptions causerie_options(CommentId target = 0) {
  StartOptions o = *parse_start_options(
      R"({"canvas":"#c","api":"https://c.example/api/v1","server":"https://c.example",)"
      R"("first_page_url":"https://c.example/api/v1/threads/%2Fa/comments?sort=oldest&limit=200","thread":"/a","lang":"fr","owned":[{"id":1,"edit_token":"t1","edit_expires_at":1796106000},{"id":"x"}]})");
  o.target_comment = target;
  return o;
}

// One widget: the fake page, the real client the options name, the controller.
struct Widget {
  test::NullImGui imgui;
  FakeHost host;
  StartOptions options;
  ApiChoice api;
  Controller controller;
  explicit Widget(StartOptions o)
      : options(std::move(o)), api(make_api_client(options)), controller(host, *api.client, options.config) {
    controller.set_fonts(imgui.fonts);
    controller.resize(600, 400, 1);
    controller.start(options, api.thread_valid);
  }
  void frame() {
    REQUIRE(controller.frame().drawn);
    test::NullImGui::render();
  }
  void type(int field, std::string value) {
    controller.field(field, std::move(value));
  }
  const Catalog& catalog() const { return catalog_for(options.config.lang); }
};

}  // namespace

TEST_CASE("start options: the loader's JSON, edit tokens kept only when well formed") {
  CHECK_FALSE(parse_start_options("[1]"));
  CHECK_FALSE(parse_start_options("not json"));
  const StartOptions o = causerie_options();
  CHECK(o.config.api == "https://c.example/api/v1");
  CHECK_FALSE(o.wordpress);
  REQUIRE(o.owned.size() == 1);
  CHECK(o.owned[0] == OwnedComment{1, "t1", 1796106000});
}

TEST_CASE("#comment-<id> loads pages until the comment is found, then scrolls there") {
  Widget w(causerie_options(5));
  REQUIRE(w.host.urls.size() == 1);
  CHECK(w.host.urls[0] == "GET https://c.example/api/v1/threads/%2Fa/comments?sort=oldest&limit=200");
  w.host.answer(200, page({comment(1), comment(2)}, "p2", 5));
  w.frame();
  REQUIRE(w.host.requests.size() == 1);  // not on the first page: the next one
  CHECK(w.host.requests[0].request.cursor == "p2");
  w.frame();
  CHECK(w.host.requests.size() == 1);  // one page at a time
  w.host.answer(200, page({comment(3), comment(4), comment(5)}, std::nullopt, 5));
  CHECK(w.host.scrolled_to.empty());
  w.frame();
  REQUIRE(w.host.scrolled_to.size() == 1);
  CHECK(w.host.scrolled_to[0] == w.controller.section().comment_top(5));
  CHECK(w.host.scrolled_to[0] > w.controller.section().comment_top(1));
  w.frame();
  CHECK(w.host.scrolled_to.size() == 1);  // once
  CHECK(w.host.requests.empty());
  CHECK(w.host.state == "ready");

  SUBCASE("none of the thread's ids: asked once as an old site's id, nothing scrolls when it is none") {
    w.controller.go_to_comment(99);
    w.frame();
    REQUIRE(w.host.requests.size() == 1);
    CHECK(w.host.urls.back() == "GET https://c.example/api/v1/threads/%2Fa/imported/99");
    w.host.answer(404, R"({"error":{"code":"not_found","message":"no"}})");
    w.frame();
    w.frame();
    CHECK(w.host.requests.empty());
    CHECK(w.host.scrolled_to.size() == 1);
  }
  SUBCASE("an old WordPress anchor: the comment imported with that id") {
    w.controller.go_to_comment(5003);
    w.frame();
    REQUIRE(w.host.requests.size() == 1);
    CHECK(w.host.urls.back() == "GET https://c.example/api/v1/threads/%2Fa/imported/5003");
    w.host.answer(200, R"({"id":3})");
    w.frame();
    REQUIRE(w.host.scrolled_to.size() == 2);
    CHECK(w.host.scrolled_to[1] == w.controller.section().comment_top(3));
    CHECK(w.host.requests.empty());
  }
}

TEST_CASE("« Mes données »: the form asks the address, sends a copy or an erasure, says what came of it") {
  Widget w(causerie_options());
  w.host.answer(200, page({comment(1)}, std::nullopt, 1));
  w.frame();
  ReplyForm& form = w.controller.section().form();
  CHECK(form.element_rect(kMyDataButton).z > 0);
  CHECK(form.element_rect(kEraseButton).z == 0);
  w.controller.act(action::OpenMyData{});
  w.frame();
  CHECK(form.asking_my_data());
  CHECK(form.element_rect(kFieldEmail).z > 0);
  CHECK(form.element_rect(kFieldBody).z == 0);
  CHECK(form.element_rect(kFieldName).z == 0);
  CHECK(form.element_rect(kEraseButton).z > 0);
  CHECK(form.element_rect(kMyDataButton).z == 0);
  CHECK(form.labels()[kSubmitButton] == "Recevoir une copie");

  w.type(kFieldEmail, "pas une adresse");
  w.controller.act(action::Submit{});
  CHECK(w.host.requests.empty());
  w.frame();
  CHECK(w.host.messages[kFieldEmail] == tr(w.catalog(), "validation.invalid_email"));

  w.type(kFieldEmail, " zoe@example.org ");
  w.controller.act(action::Submit{});
  REQUIRE(w.host.requests.size() == 1);
  CHECK(w.host.urls.back() == "POST https://c.example/api/v1/my-data");
  CHECK(w.host.requests[0].request.body == R"({"action":"copy","email":"zoe@example.org","lang":"fr"})");
  w.host.answer(202, R"({"status":"accepted"})");
  CHECK(w.host.announcements.back() == tr(w.catalog(), "my_data.sent"));

  w.controller.act(action::Submit{true});
  REQUIRE(w.host.requests.size() == 1);
  CHECK(w.host.requests[0].request.body == R"({"action":"erase","email":"zoe@example.org","lang":"fr"})");
  w.host.answer(429, R"({"error":{"code":"rate_limited","message":"slow down"}})", {{"Retry-After", "3000"}});
  CHECK(w.host.announcements.back() == tr(w.catalog(), "my_data.rate_limited"));
  w.frame();
  CHECK(w.host.messages.back() == tr(w.catalog(), "my_data.rate_limited"));

  w.controller.act(action::Submit{});
  w.host.answer(503, R"({"error":{"code":"mail_unavailable","message":"no mail"}})");
  CHECK(w.host.announcements.back() == tr(w.catalog(), "my_data.no_mail"));
  w.controller.act(action::Submit{});
  w.host.answer(503, R"({"error":{"code":"mail_unavailable","message":"smtp down"}})", {{"Retry-After", "60"}});
  CHECK(w.host.announcements.back() == tr(w.catalog(), "my_data.mail_failed"));

  // Cancel (Escape) gives the comment form back; the erase button sends nothing there.
  w.controller.act(action::OpenReply{});
  w.frame();
  CHECK_FALSE(form.asking_my_data());
  CHECK(form.element_rect(kFieldBody).z > 0);
  w.controller.act(action::Submit{true});
  CHECK(w.host.requests.empty());
}

TEST_CASE("an edit refused after its window says so, and is not sent") {
  Widget w(causerie_options());
  w.host.answer(200, page({comment(1), comment(2)}, std::nullopt, 2));
  w.frame();
  w.controller.act(action::OpenEdit{1});
  w.frame();
  REQUIRE(w.controller.section().form().editing() == CommentId(1));
  w.type(kFieldBody, "Texte corrigé");

  SUBCASE("within the window: PATCH with the comment's token") {
    w.host.unix_seconds = 1796105999;
    w.controller.act(action::Submit{});
    REQUIRE(w.host.requests.size() == 1);
    const HttpRequest& r = w.host.requests[0].request;
    CHECK(r.method == "PATCH");
    CHECK(r.url == "https://c.example/api/v1/comments/1");
    REQUIRE(r.header("Authorization"));
    CHECK(*r.header("Authorization") == "Bearer t1");
  }
  SUBCASE("after it: the reader is told, nothing goes out") {
    w.host.unix_seconds = 1796106000;
    w.controller.act(action::Submit{});
    CHECK(w.host.requests.empty());
    w.frame();
    REQUIRE_FALSE(w.host.messages.empty());
    ClientError late;
    late.kind = ClientErrorKind::edit_window_closed;
    CHECK(w.host.messages.back() == error_message(w.catalog(), late));
    CHECK(w.controller.section().form().phase() == ReplyForm::Phase::Editing);
  }
  SUBCASE("a comment this browser holds no token for is refused as forbidden") {
    w.controller.act(action::OpenEdit{2});
    w.frame();
    w.type(kFieldBody, "Pas à moi");
    w.controller.act(action::Submit{});
    CHECK(w.host.requests.empty());
    w.frame();
    ClientError forbidden;
    forbidden.kind = ClientErrorKind::forbidden;
    CHECK(w.host.messages.back() == error_message(w.catalog(), forbidden));
  }
}

TEST_CASE("a failed post keeps the text; a confirmed one keeps the edit token and shows the comment") {
  Widget w(causerie_options());
  w.host.answer(200, page({comment(1)}, std::nullopt, 1));
  w.frame();
  w.type(kFieldBody, "Mon avis, qui compte.");
  w.type(kFieldName, "Anne");
  w.type(kFieldEmail, "anne@example.org");
  w.frame();
  w.controller.act(action::Submit{});
  REQUIRE(w.host.requests.size() == 1);
  CHECK(w.host.requests[0].request.method == "POST");
  w.controller.act(action::Submit{});  // while it is sent: not twice
  CHECK(w.host.requests.size() == 1);

  w.host.answer(503, encode_api_error({"unavailable", "busy", std::nullopt, {}, 30}));
  w.frame();
  CHECK(w.host.forms_posted == 0);
  NewComment kept;
  REQUIRE(w.controller.section().form().validate(kept));
  CHECK(kept.body == "Mon avis, qui compte.");
  CHECK(kept.author.name == "Anne");
  REQUIRE_FALSE(w.host.messages.empty());
  CHECK_FALSE(w.host.messages.back().empty());

  w.controller.act(action::Submit{});  // the reader tries again
  REQUIRE(w.host.requests.size() == 1);
  Comment c = comment(7);
  c.body = "Mon avis, qui compte.";
  w.host.answer(201, encode_posted_comment({c, "t7", 1796106500}));
  CHECK(w.host.forms_posted == 1);
  CHECK(std::find(w.host.owned_saved.begin(), w.host.owned_saved.end(), OwnedComment{7, "t7", 1796106500}) !=
        w.host.owned_saved.end());
  w.frame();
  CHECK(w.controller.section().comment_top(7) > 0);
  CHECK(w.host.scrolled_to.size() == 1);  // to the new comment
}

TEST_CASE("« Aperçu » shows the body as a posted comment, and posting ends it") {
  Widget w(causerie_options());
  w.host.answer(200, page({comment(1)}, std::nullopt, 1));
  w.frame();
  w.type(kFieldBody, "**Gras**, `code` et [un lien](https://x.org).");
  w.type(kFieldName, "Anne");
  w.type(kFieldEmail, "anne@example.org");
  w.frame();
  w.controller.act(action::TogglePreview{});
  w.frame();
  REQUIRE_FALSE(w.host.previews.empty());
  CHECK(w.host.previews.back() == std::pair<bool, std::string>(true, "Gras, code et un lien."));
  CHECK(w.controller.section().form().previewing());
  // The field's place holds the preview; the page lays its accessible copy there.
  CHECK(w.controller.section().form().element_rect(kFieldBody).z > 0);

  w.controller.act(action::TogglePreview{});
  w.frame();
  CHECK(w.host.previews.back().first == false);

  w.controller.act(action::TogglePreview{});
  w.controller.act(action::Submit{});  // posting from the preview is allowed
  REQUIRE(w.host.requests.size() == 1);
  Comment c = comment(7);
  c.body = "**Gras**, `code` et [un lien](https://x.org).";
  w.host.answer(201, encode_posted_comment({c, "t7", 1796106500}));
  w.frame();
  CHECK_FALSE(w.controller.section().form().previewing());
  CHECK(w.host.previews.back().first == false);
}

TEST_CASE("the reader's clicks and the mirror's buttons are the same actions") {
  Widget w(causerie_options());
  w.host.answer(500, "{}");
  w.frame();
  CHECK(w.host.state == "error");
  w.controller.act(action::Retry{});
  REQUIRE(w.host.requests.size() == 1);
  w.host.answer(200, page({comment(1), comment(2)}, "p2", 4));
  w.frame();
  CHECK(w.host.state == "ready");
  REQUIRE_FALSE(w.host.mirrors.empty());
  CHECK(w.host.mirrors.back().find("\"has_more\":true") != std::string::npos);
  w.controller.act(action::LoadMore{});
  REQUIRE(w.host.requests.size() == 1);
  CHECK(w.host.requests[0].request.cursor == "p2");

  SUBCASE("delete asks first") {
    w.host.answer(200, page({comment(3)}, std::nullopt, 4));
    w.host.confirm_answer = false;
    w.controller.act(action::Delete{1});
    CHECK(w.host.requests.empty());
    w.host.confirm_answer = true;
    w.controller.act(action::Delete{1});
    REQUIRE(w.host.requests.size() == 1);
    CHECK(w.host.requests[0].request.method == "DELETE");
  }
}

TEST_CASE("live events: new comments wait behind the pill until revealed") {
  Widget w(causerie_options());
  w.host.answer(200, page({comment(1)}, std::nullopt, 1), {{"Causerie-Event-Id", "e1"}});
  CHECK(w.host.live_url == "https://c.example/api/v1/threads/%2Fa/events");
  CHECK(w.host.live_position == "e1");
  w.frame();
  w.controller.live_event("comment", "e2", encode_comment(comment(2)));
  CHECK(w.controller.section().arrived_count() == 1);
  CHECK(w.host.announcements.size() == 1);
  w.frame();
  CHECK(w.controller.section().comment_top(2) < 0);
  w.controller.act(action::Reveal{});
  w.frame();
  CHECK(w.controller.section().arrived_count() == 0);
  CHECK(w.controller.section().comment_top(2) > 0);
}

TEST_CASE("a WordPress thread goes through the same paths") {
  StartOptions o = *parse_start_options(
      R"({"canvas":"#c","api":"https://wp.example/wp-json","api_kind":"wordpress","thread":"5","lang":"en","target_comment":9})");
  Widget w(o);
  REQUIRE(w.host.requests.size() == 2);  // the comments and the post
  CHECK(w.host.urls[0] ==
        "GET https://wp.example/wp-json/wp/v2/comments?post=5&per_page=100&page=1&orderby=date_gmt&order=asc");
  const auto wp_comment = [](int id) {
    return R"({"id":)" + std::to_string(id) +
           R"(,"post":5,"parent":0,"author_name":"Reader","date_gmt":"2026-11-30T08:12:00","content":{"rendered":"<p>Hello</p>"},"status":"approved"})";
  };
  w.host.answer(200, "[" + wp_comment(2) + "," + wp_comment(3) + "]", {{"X-WP-Total", "3"}, {"X-WP-TotalPages", "2"}});
  w.host.answer(200, R"({"comment_status":"open","title":{"rendered":"A post"}})");
  CHECK(w.host.live_url.empty());  // no live stream on WordPress
  w.frame();
  // WordPress answers readers' data requests itself: no « My data » here.
  CHECK(w.controller.section().form().element_rect(kMyDataButton).z == 0);
  w.controller.act(action::OpenMyData{});
  CHECK_FALSE(w.controller.section().form().asking_my_data());
  REQUIRE(w.host.requests.size() == 1);  // #comment-9 is not on page 1
  CHECK(w.host.requests[0].request.url.find("page=2") != std::string::npos);
  w.host.answer(200, "[" + wp_comment(9) + "]", {{"X-WP-Total", "3"}, {"X-WP-TotalPages", "2"}});
  w.frame();
  REQUIRE(w.host.scrolled_to.size() == 1);
  CHECK(w.host.scrolled_to[0] == w.controller.section().comment_top(9));

  // Posting: a held comment is pending; WordPress gives no edit token.
  w.type(kFieldBody, "Nice post.");
  w.type(kFieldName, "Anne");
  w.type(kFieldEmail, "anne@example.org");
  w.frame();
  w.controller.act(action::Submit{});
  REQUIRE(w.host.requests.size() == 1);
  CHECK(w.host.urls.back() == "POST https://wp.example/wp-json/wp/v2/comments");
  w.host.answer(
      201,
      R"({"id":10,"post":5,"parent":0,"author_name":"Anne","date_gmt":"2026-12-01T08:00:00","content":{"rendered":"<p>Nice post.</p>"},"status":"hold"})");
  CHECK(w.host.forms_posted == 1);
  CHECK(w.host.owned_saved.empty());
  CHECK(w.host.announcements.back() == tr(w.catalog(), "comment.awaiting_moderation"));

  // Editing is the same action, refused as WordPress does not let visitors edit.
  w.frame();
  w.controller.act(action::OpenEdit{2});
  w.frame();
  w.type(kFieldBody, "Changed");
  w.controller.act(action::Submit{});
  CHECK(w.host.requests.empty());
}

TEST_CASE("a WordPress thread that is not a post id is never read") {
  Widget w(*parse_start_options(R"({"api":"https://wp.example/wp-json","api_kind":"wordpress","thread":"/a"})"));
  CHECK(w.host.requests.empty());
  w.frame();
  CHECK(w.host.state == "error");
}

TEST_CASE("a post of the page's script is answered with its outcome") {
  Widget w(causerie_options());
  w.host.answer(200, page({comment(1)}, std::nullopt, 1));
  CHECK(w.controller.post_from_page("nope") == 0);
  const int seq = w.controller.post_from_page(R"({"parent_id":1,"name":"Anne","email":"a@example.org","body":"Oui"})");
  CHECK(seq == 1);
  REQUIRE(w.host.requests.size() == 1);
  w.host.answer(422,
                encode_api_error({"validation_failed", "bad", std::nullopt, {{"body", "too_short"}}, std::nullopt}));
  REQUIRE(w.host.post_answers.size() == 1);
  CHECK(w.host.post_answers[0].find("\"ok\":false") != std::string::npos);
  CHECK(w.host.post_answers[0].find("\"field\":\"body\"") != std::string::npos);
}
