#include <doctest/doctest.h>

#include <string>

#include "core/codec.h"

using namespace causerie;

namespace {

Comment sample_comment() {
  Comment c;
  c.id = 42;
  c.parent_id = 41;
  c.author.name = "Marie « la Lyonnaise »";
  c.author.url = "https://marie.example";
  c.author.avatar_seed = "9f86d081884c7d65";
  c.body = "C’est **pas** génial.\n\n<script>alert(1)</script> \"quoted\" \\ back";
  c.created_at = 1796105580;
  c.edited_at = 1796105640;
  c.status = CommentStatus::published;
  return c;
}

CommentPage sample_page() {
  CommentPage page;
  page.thread = {"/2026/12/un-article", "Chine - Russie", "https://example.org/2026/12/un-article", 2,
                 ThreadStatus::open};
  Comment top = sample_comment();
  top.id = 41;
  top.parent_id.reset();
  top.author.url.reset();
  top.edited_at.reset();
  page.comments = {top, sample_comment()};
  page.next_cursor = "b2xkZXN0OjQy";
  return page;
}

const char* kGoodComment =
    R"({"id":7,"parent_id":null,"author":{"name":"Léa","url":null,"avatar_seed":"ab"},)"
    R"("body":"Bonjour","created_at":"2026-12-01T06:13:00Z","edited_at":null,"status":"pending"})";

}  // namespace

TEST_CASE("a comment page survives encode then decode exactly") {
  const CommentPage page = sample_page();
  const std::string json = encode_comment_page(page);
  CommentPage back;
  DecodeError err;
  REQUIRE_MESSAGE(decode_comment_page(json, back, err), err.to_string());
  CHECK(back == page);
  // The documented member names and formats are on the wire.
  CHECK(json.find(R"("created_at":"2026-12-01T06:13:00Z")") != std::string::npos);
  CHECK(json.find(R"("parent_id":null)") != std::string::npos);
  CHECK(json.find(R"("next_cursor":"b2xkZXN0OjQy")") != std::string::npos);
  CHECK(json.find(R"("status":"open")") != std::string::npos);
  CHECK(json.find("email") == std::string::npos);

  CommentPage last = page;
  last.next_cursor.reset();
  const std::string last_json = encode_comment_page(last);
  CHECK(last_json.find(R"("next_cursor":null)") != std::string::npos);
  REQUIRE(decode_comment_page(last_json, back, err));
  CHECK_FALSE(back.next_cursor.has_value());
}

TEST_CASE("every answer and request document round-trips") {
  DecodeError err;
  PostedComment posted{sample_comment(), "q3N5dG9rZW4", 1796106480};
  PostedComment posted_back;
  REQUIRE(decode_posted_comment(encode_posted_comment(posted), posted_back, err));
  CHECK(posted_back == posted);

  Comment c;
  REQUIRE(decode_comment_answer(encode_comment_answer(sample_comment()), c, err));
  CHECK(c == sample_comment());
  REQUIRE(decode_comment(encode_comment(sample_comment()), c, err));
  CHECK(c == sample_comment());

  ThreadInfo t{"/en/post", "Title", "", 0, ThreadStatus::closed}, t_back;
  REQUIRE(decode_thread_answer(encode_thread_answer(t), t_back, err));
  CHECK(t_back == t);

  ModerationPage mod;
  Comment pending = sample_comment();
  pending.status = CommentStatus::pending;
  pending.thread = "/2026/12/un-article";
  mod.comments = {pending};
  ModerationPage mod_back;
  REQUIRE(decode_moderation_page(encode_moderation_page(mod), mod_back, err));
  CHECK(mod_back == mod);
  CHECK(mod_back.comments[0].thread == "/2026/12/un-article");

  std::vector<ThreadCount> counts{{"/a", 3}, {"/b", 0}}, counts_back;
  REQUIRE(decode_counts(encode_counts(counts), counts_back, err));
  CHECK(counts_back == counts);

  ApiError e{"validation_failed",
             "author.email is not an e-mail address",
             "author.email",
             {{"author.email", "invalid_email"}, {"body", "too_long"}},
             std::nullopt};
  ApiError e_back;
  REQUIRE(decode_api_error(encode_api_error(e), e_back, err));
  CHECK(e_back == e);
  ApiError rate{"rate_limited", "slow down", std::nullopt, {}, 30};
  const std::string rate_json = encode_api_error(rate);
  CHECK(rate_json.find(R"("field":null)") != std::string::npos);
  REQUIRE(decode_api_error(rate_json, e_back, err));
  CHECK(e_back == rate);

  NewComment n;
  n.parent_id = 41;
  n.author = {"Marie", "marie@example.org", "https://marie.example"};
  n.body = "Tout à fait d’accord.";
  n.title = "Chine - Russie";
  n.url = "https://example.org/x";
  NewComment n_back;
  REQUIRE(decode_new_comment(encode_new_comment(n), n_back, err));
  CHECK(n_back == n);

  CommentEdit edit{"nouveau texte"}, edit_back;
  REQUIRE(decode_comment_edit(encode_comment_edit(edit), edit_back, err));
  CHECK(edit_back == edit);

  ThreadStatus s = ThreadStatus::open;
  REQUIRE(decode_thread_status_change(encode_thread_status_change(ThreadStatus::closed), s, err));
  CHECK(s == ThreadStatus::closed);
}

TEST_CASE("unknown members are tolerated, at every level") {
  const std::string json =
      R"({"future":{"x":[1,2]},"thread":{"key":"/k","comment_count":1,"status":"open","extra":true},)"
      R"("comments":[{"id":1,"author":{"name":"A","new":1},"body":"b","created_at":"2026-12-01T06:13:00Z",)"
      R"("status":"published","reactions":{"+1":3}}]})";
  CommentPage page;
  DecodeError err;
  REQUIRE_MESSAGE(decode_comment_page(json, page, err), err.to_string());
  CHECK(page.thread.key == "/k");
  CHECK(page.thread.title.empty());
  REQUIRE(page.comments.size() == 1);
  CHECK_FALSE(page.comments[0].parent_id.has_value());
  CHECK_FALSE(page.comments[0].author.url.has_value());
  CHECK_FALSE(page.next_cursor.has_value());  // absent is null
}

TEST_CASE("wrong types are refused with the path of the member, and nothing is half-filled") {
  struct Case {
    const char* json;
    const char* field;
  };
  const std::string good = kGoodComment;
  const auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const size_t at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  const std::pair<std::string, std::string> cases[] = {
      {with(R"("id":7)", R"("id":"7")"), "comments[1].id"},
      {with(R"("id":7)", R"("id":7.5)"), "comments[1].id"},
      {with(R"("id":7)", R"("id":true)"), "comments[1].id"},
      {with(R"("id":7)", R"("id":0)"), "comments[1].id"},
      {with(R"("id":7)", R"("id":-3)"), "comments[1].id"},
      {with(R"("id":7)", R"("id":9007199254740993)"), "comments[1].id"},
      {with(R"("id":7)", R"("id":18446744073709551615)"), "comments[1].id"},
      {with(R"("id":7,)", ""), "comments[1].id"},
      {with(R"("parent_id":null)", R"("parent_id":"41")"), "comments[1].parent_id"},
      {with(R"("parent_id":null)", R"("parent_id":[])"), "comments[1].parent_id"},
      {with(R"("name":"Léa")", R"("name":null)"), "comments[1].author.name"},
      {with(R"("name":"Léa")", R"("name":5)"), "comments[1].author.name"},
      {with(R"("name":"Léa")", R"("name":{"first":"L"})"), "comments[1].author.name"},
      {with(R"("url":null)", R"("url":false)"), "comments[1].author.url"},
      {with(R"("avatar_seed":"ab")", R"("avatar_seed":12)"), "comments[1].author.avatar_seed"},
      {with(R"("author":{"name":"Léa","url":null,"avatar_seed":"ab"})", R"("author":"Léa")"), "comments[1].author"},
      {with(R"("body":"Bonjour")", R"("body":["Bonjour"])"), "comments[1].body"},
      {with(R"("body":"Bonjour",)", ""), "comments[1].body"},
      {with(R"("created_at":"2026-12-01T06:13:00Z")", R"("created_at":1796105580)"), "comments[1].created_at"},
      {with(R"("created_at":"2026-12-01T06:13:00Z")", R"("created_at":"yesterday")"), "comments[1].created_at"},
      {with(R"("edited_at":null)", R"("edited_at":"2026-02-30T00:00:00Z")"), "comments[1].edited_at"},
      {with(R"("status":"pending")", R"("status":"approved")"), "comments[1].status"},
      {with(R"("status":"pending")", R"("status":1)"), "comments[1].status"},
  };
  for (const auto& [comment, field] : cases) {
    const std::string json = R"({"thread":{"key":"/k","comment_count":0,"status":"open"},"comments":[)" + good + "," +
                             comment + R"(],"next_cursor":null})";
    CAPTURE(json);
    CommentPage page = sample_page();
    const CommentPage before = page;
    DecodeError err;
    CHECK_FALSE(decode_comment_page(json, page, err));
    CHECK_FALSE(err.syntax);
    CHECK(err.field == field);
    CHECK_FALSE(err.message.empty());
    CHECK(page == before);
  }
  // And the unmodified document decodes, so the cases above fail for their one change.
  CommentPage page;
  DecodeError err;
  CHECK(decode_comment_page(std::string(R"({"thread":{"key":"/k","comment_count":0,"status":"open"},)") +
                                R"("comments":[)" + good + "," + good + "]}",
                            page, err));
}

TEST_CASE("page-level shape errors") {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"comments":[]})", "thread"},
      {R"({"thread":[],"comments":[]})", "thread"},
      {R"({"thread":{"comment_count":0,"status":"open"},"comments":[]})", "thread.key"},
      {R"({"thread":{"key":"/k","comment_count":-1,"status":"open"},"comments":[]})", "thread.comment_count"},
      {R"({"thread":{"key":"/k","comment_count":0,"status":"locked"},"comments":[]})", "thread.status"},
      {R"({"thread":{"key":"/k","comment_count":0,"status":"open"}})", "comments"},
      {R"({"thread":{"key":"/k","comment_count":0,"status":"open"},"comments":{}})", "comments"},
      {R"({"thread":{"key":"/k","comment_count":0,"status":"open"},"comments":[1]})", "comments[0]"},
      {R"({"thread":{"key":"/k","comment_count":0,"status":"open"},"comments":[],"next_cursor":5})", "next_cursor"},
  };
  for (const auto& [json, field] : cases) {
    CAPTURE(json);
    CommentPage page;
    DecodeError err;
    CHECK_FALSE(decode_comment_page(json, page, err));
    CHECK(err.field == field);
  }
}

TEST_CASE("syntax errors: not JSON, not an object, invalid UTF-8, deep nesting") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string deep_in_member = R"({"thread":)" + std::string(50000, '{') + "}";
  for (const std::string& bad :
       {std::string(""), std::string("nul"), std::string("[]"), std::string("\"x\""), std::string("{\"a\":1"),
        std::string("{\"body\":\"\xC3\x28\"}"), std::string("{\"body\":\"\xED\xA0\x80\"}"), std::string("{} {}"), deep,
        deep_in_member}) {
    CAPTURE(bad.substr(0, 40));
    CommentPage page;
    NewComment n;
    DecodeError err;
    CHECK_FALSE(decode_comment_page(bad, page, err));
    CHECK(err.syntax);
    CHECK_FALSE(decode_new_comment(bad, n, err));
    CHECK(err.syntax);
  }
  // Deep nesting inside an unknown member is still valid JSON: accepted, ignored.
  const std::string deep_unknown =
      R"({"body":"ok","junk":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  NewComment n;
  DecodeError err;
  CHECK(decode_new_comment(deep_unknown, n, err));
  CHECK(n.body == "ok");
}

TEST_CASE("a 1 MB body and 10,000 comments decode") {
  Comment big = sample_comment();
  big.body = std::string(1 << 20, 'a');
  Comment back;
  DecodeError err;
  REQUIRE(decode_comment(encode_comment(big), back, err));
  CHECK(back.body.size() == size_t(1) << 20);

  CommentPage page = sample_page();
  page.comments.clear();
  for (int i = 1; i <= 10000; ++i) {
    Comment c = sample_comment();
    c.id = i;
    c.parent_id = i > 1 ? std::optional<CommentId>(i - 1) : std::nullopt;
    page.comments.push_back(c);
  }
  CommentPage page_back;
  REQUIRE(decode_comment_page(encode_comment_page(page), page_back, err));
  CHECK(page_back == page);
}

TEST_CASE("requests: missing strings are empty for validation, wrong types are errors") {
  NewComment n;
  DecodeError err;
  REQUIRE(decode_new_comment("{}", n, err));
  CHECK(n.author.name.empty());
  CHECK(n.body.empty());
  CHECK_FALSE(n.parent_id.has_value());
  REQUIRE(decode_new_comment(R"({"author":null,"body":null,"parent_id":null,"website":null})", n, err));
  CHECK(n.body.empty());
  REQUIRE(decode_new_comment(R"({"parent_id":-5})", n, err));  // a value for the server to refuse
  CHECK(n.parent_id == -5);

  const std::pair<const char*, const char*> cases[] = {
      {R"({"parent_id":"3"})", "parent_id"},
      {R"({"parent_id":3.0})", "parent_id"},
      {R"({"author":"Marie"})", "author"},
      {R"({"author":{"name":1}})", "author.name"},
      {R"({"author":{"email":["a@b.c"]}})", "author.email"},
      {R"({"author":{"url":{}}})", "author.url"},
      {R"({"body":true})", "body"},
      {R"({"title":1})", "title"},
      {R"({"url":1})", "url"},
      {R"({"website":0})", "website"},
  };
  for (const auto& [json, field] : cases) {
    CAPTURE(json);
    NewComment out;
    out.body = "kept";
    CHECK_FALSE(decode_new_comment(json, out, err));
    CHECK_FALSE(err.syntax);
    CHECK(err.field == field);
    CHECK(out.body == "kept");
  }
  CommentEdit edit{"kept"};
  CHECK_FALSE(decode_comment_edit(R"({"body":12})", edit, err));
  CHECK(err.field == "body");
  CHECK(edit.body == "kept");

  ThreadStatus s = ThreadStatus::open;
  CHECK_FALSE(decode_thread_status_change(R"({"status":"shut"})", s, err));
  CHECK(err.field == "status");
  CHECK_FALSE(decode_thread_status_change(R"({})", s, err));
  CHECK(s == ThreadStatus::open);
}

TEST_CASE("error and counts documents: shape errors") {
  ApiError e;
  DecodeError err;
  CHECK_FALSE(decode_api_error(R"({"message":"x"})", e, err));
  CHECK(err.field == "error");
  CHECK_FALSE(decode_api_error(R"({"error":{"message":"x"}})", e, err));
  CHECK(err.field == "error.code");
  CHECK_FALSE(decode_api_error(R"({"error":{"code":"x","details":[{"field":"body"}]}})", e, err));
  CHECK(err.field == "error.details[0].code");
  CHECK_FALSE(decode_api_error(R"({"error":{"code":"x","retry_after":"30"}})", e, err));
  CHECK(err.field == "error.retry_after");
  REQUIRE(decode_api_error(R"({"error":{"code":"internal"}})", e, err));
  CHECK(e.code == "internal");
  CHECK(e.message.empty());

  std::vector<ThreadCount> counts;
  CHECK_FALSE(decode_counts(R"({"counts":{"/a":"3"}})", counts, err));
  CHECK(err.field == "counts./a");
  CHECK_FALSE(decode_counts(R"({"counts":{"/a":-1}})", counts, err));
  CHECK_FALSE(decode_counts(R"({"counts":[]})", counts, err));
  CHECK(err.field == "counts");
  CHECK(counts.empty());
}

TEST_CASE("the encoder never writes invalid JSON, even from invalid UTF-8") {
  Comment c = sample_comment();
  c.body = "bad \xFF\xFE bytes";
  const std::string json = encode_comment(c);
  Comment back;
  DecodeError err;
  REQUIRE(decode_comment(json, back, err));
  CHECK(back.body == "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST_CASE("DecodeError::to_string names the field") {
  DecodeError err{false, "comments[3].author.name", "expected a string"};
  CHECK(err.to_string() == "comments[3].author.name: expected a string");
  DecodeError syntax{true, "", "malformed JSON"};
  CHECK(syntax.to_string() == "malformed JSON");
}
