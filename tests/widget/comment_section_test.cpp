#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/dates.h"
#include "core/i18n.h"
#include "null_imgui.h"
#include "widget/comment_section.h"
#include "widget/mirror.h"

// CommentSection drawn through Dear ImGui with no renderer: what the reader sees
// is laid out, their clicks become actions, the mirror follows, and the comment
// being read stays put when the thread changes above it.
using namespace causerie;

namespace {

constexpr int64_t kNow = 1796106000;

Comment comment(CommentId id, std::optional<CommentId> parent = std::nullopt) {
  Comment c;
  c.id = id;
  c.parent_id = parent;
  c.author.name = "Auteur " + std::to_string(id);
  c.body = "Le commentaire " + std::to_string(id) + " dit quelque chose d'assez long pour occuper une ligne entière.";
  c.created_at = kNow - 3600 + id;
  return c;
}

ThreadState thread_of(std::vector<Comment> comments, bool complete = true) {
  ThreadState t;
  t.thread = {"/a", "Un article", "https://example.org/a", int64_t(comments.size()), ThreadStatus::open};
  t.comments = std::move(comments);
  t.loaded = true;
  t.complete = complete;
  return t;
}

struct Section {
  test::NullImGui imgui;
  CommentSection section;
  float width = 600, height = 400, top = 0;
  explicit Section(const char* lang = "fr")
      : section(WidgetConfig{"https://c.example/api/v1", "/a", "Un article", lang}) {
    section.set_fonts(imgui.fonts);
  }

  void frame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(width, height);
    ImGui::NewFrame();
    section.draw(width, top, height, kNow);
    ImGui::Render();
    test::NullImGui::render();
  }
  // The first point down the left edge where the pointer becomes a hand (a button).
  std::optional<ImVec2> find_button(float from_y) {
    for (float y = from_y; y < height; y += 3) {
      ImGui::GetIO().AddMousePosEvent(12, y);
      frame();
      if (ImGui::GetMouseCursor() == ImGuiMouseCursor_Hand) return ImVec2(12, y);
    }
    return std::nullopt;
  }
  void click(ImVec2 at) {
    ImGuiIO& io = ImGui::GetIO();
    io.AddMousePosEvent(at.x, at.y);
    frame();
    io.AddMouseButtonEvent(0, true);
    frame();
    io.AddMouseButtonEvent(0, false);
    frame();
  }
  void type(int field, std::string value) { section.form().set_field(field, std::move(value)); }
};

std::vector<Comment> comments(int n) {
  std::vector<Comment> out;
  for (int i = 1; i <= n; ++i) out.push_back(comment(i));
  return out;
}

}  // namespace

TEST_CASE("the section lays the thread out: each comment below the previous one, all in the content height") {
  Section s;
  s.frame();
  CHECK(s.section.state() == CommentSection::State::Loading);
  CHECK_FALSE(s.section.mirror_update());  // nothing to describe while loading
  s.section.show_thread(thread_of(comments(20)));
  s.frame();
  CHECK(s.section.state() == CommentSection::State::Ready);
  float previous = 0;
  for (CommentId id = 1; id <= 20; ++id) {
    const float top = s.section.comment_top(id);
    CHECK(top > previous);
    previous = top;
  }
  CHECK(s.section.content_height() > previous);
  CHECK(s.section.comment_top(21) < 0);
}

TEST_CASE("the text report gives each laid-out body where it is drawn, block by block, run by run") {
  Section s;
  std::vector<Comment> list = comments(3);
  list[1].body = "premier paragraphe\n\n> une citation";
  list[2].status = CommentStatus::deleted;
  s.section.show_thread(thread_of(list));
  s.frame();
  const auto report = nlohmann::json::parse(s.section.text_report(), nullptr, false);
  REQUIRE(report.is_array());
  REQUIRE(report.size() == 2);  // the deleted comment has no body
  CHECK(report[0]["id"] == 1);
  CHECK(report[0]["blocks"][0]["text"] == list[0].body);
  CHECK(report[1]["blocks"].size() == 2);
  CHECK(report[1]["blocks"][1]["text"] == "une citation");
  CHECK(report[1]["blocks"][1]["left"].get<float>() > 0);  // the quote's indent
  // The body's top is in the section, below its comment's top.
  CHECK(report[1]["top"].get<float>() > s.section.comment_top(2));
  for (const auto& c : report)
    for (const auto& b : c["blocks"]) {
      const std::string text = b["text"];
      std::string drawn;
      for (const auto& l : b["lines"])
        for (const auto& r : l["runs"]) {
          CHECK(r["end"].get<size_t>() <= text.size());
          CHECK(r["x"].get<float>() + r["width"].get<float>() <= b["width"].get<float>() + 0.01f);
          drawn += text.substr(r["begin"].get<size_t>(), r["end"].get<size_t>() - r["begin"].get<size_t>());
        }
      CHECK(drawn == text);
    }
}

TEST_CASE("the text report gives each card's name and date, one after the other from the start edge") {
  for (const char* lang : {"fr", "ar"}) {
    CAPTURE(lang);
    Section s(lang);
    std::vector<Comment> list = comments(2);
    list[1].author.name = "Mallory\u202Eliam.moc";
    s.section.show_thread(thread_of(list));
    s.frame();
    const auto report = nlohmann::json::parse(s.section.text_report(), nullptr, false);
    REQUIRE(report.size() == 2);
    for (size_t i = 0; i < 2; ++i) {
      const auto& name = report[i]["header"][0];
      const auto& date = report[i]["header"][1];
      CHECK(name["text"] == list[i].author.name);
      CHECK(date["text"] == format_comment_date(catalog_for(lang), list[i].created_at, kNow, 0));
      CHECK(name["width"].get<float>() > 0);
      CHECK(date["width"].get<float>() > 0);
      // Above the body, on one line; the date after the name in the interface's direction.
      CHECK(name["top"].get<float>() < report[i]["top"].get<float>());
      CHECK(std::abs(name["top"].get<float>() - date["top"].get<float>()) < 4);
      const float name_left = name["left"], name_right = name_left + name["width"].get<float>();
      const float date_left = date["left"], date_right = date_left + date["width"].get<float>();
      if (std::string(lang) == "ar") CHECK(date_right < name_left);
      else CHECK(date_left > name_right);
    }
  }
}

TEST_CASE("the form report gives what each field holds, where it is, and the preview as laid out") {
  Section s;
  s.height = 2000;
  s.section.show_thread(thread_of(comments(1)));
  s.type(kFieldBody, "un\n\n1. deux");
  s.type(kFieldName, "Zoé");
  s.frame();
  auto report = nlohmann::json::parse(s.section.form_report(), nullptr, false);
  REQUIRE(report["fields"].size() == kTextFieldCount);
  CHECK(report["fields"][kFieldBody]["value"] == "un\n\n1. deux");
  CHECK(report["fields"][kFieldName]["value"] == "Zoé");
  const std::vector<float> layout = s.section.form_layout();
  CHECK(report["fields"][kFieldName]["left"].get<float>() == layout[4 * kFieldName]);
  CHECK(report["fields"][kFieldName]["top"].get<float>() == layout[4 * kFieldName + 1]);
  CHECK(report["preview"].is_null());
  s.section.form().set_previewing(true);
  s.frame();
  report = nlohmann::json::parse(s.section.form_report(), nullptr, false);
  REQUIRE(report["preview"].is_object());
  REQUIRE(report["preview"]["blocks"].size() == 2);
  CHECK(report["preview"]["blocks"][1]["text"] == "deux");
  CHECK(report["preview"]["decorations"][0]["text"] == "1.");
  // Inside the frame that took the textarea's place.
  CHECK(report["preview"]["left"].get<float>() > report["fields"][kFieldBody]["left"].get<float>());
  CHECK(report["preview"]["top"].get<float>() > report["fields"][kFieldBody]["top"].get<float>());
}

TEST_CASE("the mirror describes the thread once, then again only when it changed") {
  Section s;
  s.section.show_thread(thread_of(comments(3)));
  s.frame();
  const std::optional<std::string> mirror = s.section.mirror_update();
  REQUIRE(mirror);
  CHECK(mirror->find("\"total\":3") != std::string::npos);
  CHECK(mirror->find("Auteur 2") != std::string::npos);
  CHECK(mirror->find("\"arrived_label\":\"\"") != std::string::npos);
  s.frame();
  CHECK_FALSE(s.section.mirror_update());
  s.section.set_arrived_count(2);
  const std::optional<std::string> again = s.section.mirror_update();
  REQUIRE(again);
  CHECK(again->find(tr_count(catalog_for("fr"), "thread.new_comments", 2)) != std::string::npos);
}

TEST_CASE("in Arabic the section is mirrored: the text column left of the avatar, the mirror says rtl") {
  for (const char* lang : {"fr", "ar"}) {
    CAPTURE(lang);
    const bool rtl = std::string(lang) == "ar";
    Section s(lang);
    s.section.show_thread(thread_of(comments(3)));
    s.frame();
    const std::optional<std::string> mirror = s.section.mirror_update();
    REQUIRE(mirror);
    CHECK(mirror->find(rtl ? R"("dir":"rtl")" : R"("dir":"ltr")") != std::string::npos);
    CHECK(mirror->find(rtl ? R"("lang":"ar")" : R"("lang":"fr")") != std::string::npos);
    // Down the middle to the first body (the pointer becomes a text cursor), then
    // across it: the text column is on the end side, the avatar's edge is not text.
    const auto cursor_at = [&](float x, float y) {
      ImGui::GetIO().AddMousePosEvent(x, y);
      s.frame();
      return ImGui::GetMouseCursor();
    };
    float y = 0;
    while (y < s.height && cursor_at(s.width / 2, y) != ImGuiMouseCursor_TextInput) y += 3;
    REQUIRE(y < s.height);
    const float near_left = 20, near_right = s.width - 20;
    CHECK((cursor_at(near_left, y) == ImGuiMouseCursor_TextInput) == rtl);
    CHECK((cursor_at(near_right, y) == ImGuiMouseCursor_TextInput) == !rtl);
  }
}

TEST_CASE("the mirror's window follows the reader through a long thread") {
  Section s;
  s.section.show_thread(thread_of(comments(200)));
  s.frame();
  REQUIRE(s.section.mirror_update());
  const std::vector<Comment> list = comments(200);
  ThreadView view;  // keeps pointers into list
  view.set_comments(list, {}, BodyFormat::markdown);
  view.layout(s.imgui.fonts, CardMetrics{}, 500);
  view.lay_out_exactly(0, view.height());
  const std::vector<std::pair<CommentId, int64_t>> editable;
  const std::string heading = "Titre", error;
  const MirrorContent content{catalog_for("fr"), view, list, editable, heading, error};
  MirrorWindow window;
  const std::optional<std::string> first = window.update(content, 0);
  REQUIRE(first);
  CHECK(first->find("\"first\":0") != std::string::npos);
  CHECK_FALSE(window.update(content, 10));                              // well inside the window
  const std::optional<std::string> moved = window.update(content, 50);  // near its end
  REQUIRE(moved);
  CHECK(moved->find("\"first\":30") != std::string::npos);
}

TEST_CASE("the reader's clicks in the canvas become actions: retry, load more") {
  Section s;
  ClientError error;
  error.kind = ClientErrorKind::network;
  s.section.show_error(error);
  s.frame();
  CHECK(s.section.take_actions().empty());
  const std::optional<ImVec2> retry = s.find_button(0);
  REQUIRE(retry);
  s.click(*retry);
  std::vector<ReaderAction> actions = s.section.take_actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::holds_alternative<action::Retry>(actions[0]));
  CHECK(s.section.take_actions().empty());  // taken once

  s.section.show_thread(thread_of(comments(2), /*complete=*/false));
  s.frame();
  const std::optional<ImVec2> load_more = s.find_button(s.section.comment_top(2) + 40);
  REQUIRE(load_more);
  s.click(*load_more);
  actions = s.section.take_actions();
  REQUIRE(actions.size() == 1);
  CHECK(std::holds_alternative<action::LoadMore>(actions[0]));
}

TEST_CASE("submitting: errors on an invalid form, one comment per send, the text kept after a failure") {
  Section s;
  s.section.show_thread(thread_of(comments(1)));
  s.frame();
  CHECK(std::holds_alternative<std::monostate>(s.section.submit()));  // empty
  bool shown = false;
  for (const std::string& m : s.section.form().messages()) shown = shown || !m.empty();
  CHECK(shown);

  s.type(kFieldBody, "Je réponds.");
  s.type(kFieldName, "Anne");
  s.type(kFieldEmail, "anne@example.org");
  s.section.open_reply(1);
  s.frame();
  const CommentSection::Submission sent = s.section.submit();
  REQUIRE(std::holds_alternative<NewComment>(sent));
  CHECK(std::get<NewComment>(sent).title == "Un article");
  CHECK(std::get<NewComment>(sent).parent_id == CommentId(1));
  CHECK(std::holds_alternative<std::monostate>(s.section.submit()));  // already sending

  ClientResult failed;
  failed.error.kind = ClientErrorKind::server_error;
  s.section.show_post_result(failed);
  const CommentSection::Submission again = s.section.submit();
  REQUIRE(std::holds_alternative<NewComment>(again));
  CHECK(std::get<NewComment>(again).body == "Je réponds.");
}

TEST_CASE("a comment arriving above the one being read moves the page by its height") {
  Section s;
  s.section.show_thread(thread_of(comments(30)));
  s.frame();
  const float read_before = s.section.comment_top(20);
  s.top = read_before + 2;  // comment 20 at the top of the viewport
  s.frame();
  CHECK(s.section.take_scroll_correction() == 0);

  std::vector<Comment> with_reply = comments(30);
  with_reply.insert(with_reply.begin() + 1, comment(31, 1));  // a reply to the first comment
  s.section.show_thread(thread_of(with_reply));
  s.frame();
  const float moved = s.section.take_scroll_correction();
  CHECK(moved > 20);
  CHECK(s.section.comment_top(20) - read_before == doctest::Approx(moved));
  CHECK(s.section.take_scroll_correction() == 0);  // once

  SUBCASE("above the thread, nothing moves") {
    s.top = 0;
    s.frame();
    with_reply.insert(with_reply.begin() + 1, comment(32, 1));
    s.section.show_thread(thread_of(with_reply));
    s.frame();
    CHECK(s.section.take_scroll_correction() == 0);
  }
}
