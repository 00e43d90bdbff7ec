#include <doctest/doctest.h>

#include <limits>
#include <string>
#include <vector>

#include "null_imgui.h"
#include "widget/card_layout.h"
#include "widget/reading_position.h"
#include "widget/thread_view.h"

// ThreadView through Dear ImGui with no renderer: heights are the card layout's,
// tops are their running sum, what is on screen is found by binary search, and an
// unchanged comment keeps its layout across set_comments.
namespace causerie {
namespace {

Comment comment(CommentId id, std::optional<CommentId> parent, std::string body, UnixSeconds at) {
  Comment c;
  c.id = id;
  c.parent_id = parent;
  c.author.name = "Auteur " + std::to_string(id);
  c.body = std::move(body);
  c.created_at = at;
  return c;
}

std::string words(int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s += "mot" + std::to_string(i) + " ";
  return s;
}

// The card layout_card gives for item i, as ThreadView must have it.
CardLayout expected(const ThreadView& view, size_t i, const TextFonts& fonts, const CardMetrics& m, float width) {
  const ThreadView::Item& it = view.item(i);
  return layout_card(*it.comment, it.entry, it.body, fonts, m, width);
}

// layout() estimates; the widget lays out by the shaper what it draws and the rest
// when idle. Here: everything, at once.
float lay_out_all(ThreadView& view, const TextFonts& fonts, const CardMetrics& m, float width) {
  view.layout(fonts, m, width);
  view.lay_out_exactly(0, std::numeric_limits<float>::infinity());
  return view.height();
}

}  // namespace

TEST_CASE("heights are the card layout's and tops their running sum") {
  test::NullImGuiWindow imgui;
  const CardMetrics m;
  std::vector<Comment> comments = {
      comment(1, std::nullopt, words(5), 100),
      comment(2, 1, words(60), 110),   // a reply that wraps
      comment(3, 99, words(10), 120),  // its parent is not shown: an orphan
      comment(4, std::nullopt, words(30), 130),
  };
  comments.push_back(comment(5, 4, "", 140));
  comments.back().status = CommentStatus::pending;
  comments.push_back(comment(6, std::nullopt, "", 150));
  comments.back().status = CommentStatus::deleted;
  ThreadView view;
  view.set_comments(comments, {});
  const float width = 500;
  const float total = lay_out_all(view, imgui.fonts, m, width);
  REQUIRE(view.size() == comments.size());

  float top = 0;
  for (size_t i = 0; i < view.size(); ++i) {
    const CardLayout card = expected(view, i, imgui.fonts, m, width);
    CHECK(view.item(i).height == card.height);
    CHECK(view.item(i).top == top);
    top += view.item(i).height;
  }
  CHECK(total == doctest::Approx(top));
  CHECK(view.height() == total);

  // The lines that differ between cards are reserved.
  const auto at = [&](CommentId id) { return view.index_of(id); };
  const CardLayout plain = expected(view, at(1), imgui.fonts, m, width);
  const CardLayout orphan = expected(view, at(3), imgui.fonts, m, width);
  const CardLayout pending = expected(view, at(5), imgui.fonts, m, width);
  CHECK_FALSE(plain.in_reply_to_y);
  REQUIRE(orphan.in_reply_to_y);
  CHECK(orphan.body_y == doctest::Approx(plain.body_y + orphan.notice_height));
  REQUIRE(pending.pending_y);
  CHECK(pending.body_y == doctest::Approx(plain.body_y + pending.notice_height));
  // Every row lies inside its card, in order.
  for (size_t i = 0; i < view.size(); ++i) {
    const CardLayout c = expected(view, i, imgui.fonts, m, width);
    CHECK(c.header_y < c.body_y);
    CHECK(c.body_y + c.body_height <= c.actions_y);
    CHECK(c.actions_y + c.actions_height <= c.height);
  }
  // The wrapped reply is taller than the one-line comment, and indented.
  CHECK(view.item(at(2)).height > view.item(at(1)).height);
  CHECK(view.item(at(2)).card.text_x == doctest::Approx(plain.text_x + m.indent));
  CHECK(plain.avatar_x == 0);
  CHECK(plain.text_x == doctest::Approx(m.avatar + m.avatar_gap));
  CHECK(plain.text_x + plain.text_width == doctest::Approx(width));
}

TEST_CASE("a mirrored card (right-to-left interface): avatar and indentation on the right, same heights") {
  test::NullImGuiWindow imgui;
  CardMetrics ltr, rtl;
  rtl.mirrored = true;
  const std::vector<Comment> comments = {comment(1, std::nullopt, words(40), 100), comment(2, 1, words(40), 110)};
  ThreadView view;
  view.set_comments(comments, {});
  const float width = 500;
  lay_out_all(view, imgui.fonts, rtl, width);
  for (size_t i = 0; i < view.size(); ++i) {
    const CardLayout mirrored = expected(view, i, imgui.fonts, rtl, width);
    const CardLayout plain = expected(view, i, imgui.fonts, ltr, width);
    INFO("item " << i);
    // The left-to-right card reflected about the card's middle.
    CHECK(mirrored.avatar_x == doctest::Approx(width - plain.avatar_x - rtl.avatar));
    CHECK(mirrored.text_x == doctest::Approx(width - plain.text_x - plain.text_width));
    CHECK(mirrored.text_width == doctest::Approx(plain.text_width));
    CHECK(mirrored.height == doctest::Approx(plain.height));
    CHECK(mirrored.avatar_x > mirrored.text_x + mirrored.text_width);  // the text is left of the avatar
    CHECK(mirrored.text_x == 0);
    CHECK(view.item(i).card.avatar_x == mirrored.avatar_x);
  }
  // The reply is indented from the right.
  CHECK(view.item(1).card.avatar_x == doctest::Approx(view.item(0).card.avatar_x - rtl.indent));
}

TEST_CASE("the item under a list coordinate is found by binary search, and the gap moves what follows") {
  test::NullImGuiWindow imgui;
  const CardMetrics m;
  std::vector<Comment> comments;
  for (CommentId id = 1; id <= 200; ++id)
    comments.push_back(comment(id, std::nullopt, words(int(id % 40) + 1), UnixSeconds(id)));
  ThreadView view;
  view.set_comments(comments, {});
  lay_out_all(view, imgui.fonts, m, 400);
  for (size_t i = 0; i < view.size(); i += 17) {
    const ThreadView::Item& it = view.item(i);
    CHECK(view.index_at(it.top) == i);
    CHECK(view.index_at(it.top + it.height * 0.5f) == i);
    CHECK(view.index_at(it.top + it.height - 0.01f) == i);
  }
  CHECK(view.index_at(-50) == 0);
  CHECK(view.index_at(view.height() + 50) == view.size() - 1);
  CHECK(view.index_of(150) == 149);
  CHECK(view.index_of(999) == ThreadView::npos);

  const float before = view.height(), after_gap = view.item(11).top;
  view.set_gap(10, 120);
  CHECK(view.gap_top() == doctest::Approx(view.item(10).top + view.item(10).height));
  CHECK(view.item(11).top == doctest::Approx(after_gap + 120));
  CHECK(view.height() == doctest::Approx(before + 120));
  CHECK(view.index_at(view.gap_top() + 60) == 11);  // inside the gap: the item after it
}

TEST_CASE("set_comments keeps unchanged cards and lays out again those whose shape changed") {
  test::NullImGuiWindow imgui;
  const CardMetrics m;
  const float width = 500;
  // A loop of parent ids: the older comment is shown at the top level, as a
  // comment that answers nothing (no notice line).
  std::vector<Comment> comments = {
      comment(1, 2, words(8), 100),
      comment(2, 1, words(8), 200),
      comment(3, std::nullopt, words(20), 300),
  };
  ThreadView view;
  view.set_comments(comments, {});
  lay_out_all(view, imgui.fonts, m, width);
  CHECK(view.take_relaid_out());
  REQUIRE(view.index_of(1) == 0);
  CHECK(view.item(0).entry.cycle);
  CHECK_FALSE(view.item(0).card.in_reply_to_y);
  const ThreadView::Item* third = &view.item(view.index_of(3));

  // Its partner is removed (spam): comment 1 is now an orphan, at the same depth
  // with the same reply-to name, and gains the « in reply to a comment not shown » line.
  std::vector<Comment> after = {comments[0], comments[2]};
  view.set_comments(after, {});
  lay_out_all(view, imgui.fonts, m, width);
  CHECK_FALSE(view.take_relaid_out());  // only what changed
  REQUIRE(view.size() == 2);
  const ThreadView::Item& orphan = view.item(view.index_of(1));
  CHECK(orphan.entry.orphan);
  REQUIRE(orphan.card.in_reply_to_y);
  CHECK(orphan.height == expected(view, view.index_of(1), imgui.fonts, m, width).height);
  CHECK(view.item(1).top == doctest::Approx(orphan.height));
  // The unchanged comment kept its item (parsed body and layout).
  CHECK(&view.item(view.index_of(3)) == third);

  // An edited body is laid out again; the other keeps its item.
  const ThreadView::Item* kept = &view.item(view.index_of(1));
  after[1].body = words(80);
  view.set_comments(after, {});
  lay_out_all(view, imgui.fonts, m, width);
  CHECK(&view.item(view.index_of(1)) == kept);
  CHECK(view.item(view.index_of(3)).height == expected(view, view.index_of(3), imgui.fonts, m, width).height);
  CHECK(view.height() == doctest::Approx(view.item(0).height + view.item(1).height));

  // A new width lays everything out again.
  lay_out_all(view, imgui.fonts, m, 300);
  CHECK(view.take_relaid_out());
  for (size_t i = 0; i < view.size(); ++i) CHECK(view.item(i).height == expected(view, i, imgui.fonts, m, 300).height);
}

TEST_CASE("estimated heights become the shaper's without moving the comment being read") {
  test::NullImGuiWindow imgui;
  const CardMetrics m;
  const float width = 400, header = 120, screen = 600;
  std::vector<Comment> comments;
  for (CommentId id = 1; id <= 80; ++id)
    comments.push_back(comment(id, id % 3 ? std::optional<CommentId>(id - 1) : std::nullopt,
                               words(int(id * 7 % 50) + 1), UnixSeconds(id)));
  ThreadView view;
  view.set_comments(comments, {});
  view.layout(imgui.fonts, m, width);
  CHECK(view.estimated() == view.size());  // no shaper call yet
  CHECK(view.height() > 0);

  // The reader jumped to comment 50: what is on screen is laid out, from its top down.
  const size_t reading = view.index_of(50);
  float viewport_top = header + view.item(reading).top;
  const float estimated_top = view.item(reading).top;
  view.lay_out_exactly(estimated_top, estimated_top + screen);
  CHECK(view.item(reading).exact);
  CHECK(view.item(reading).top == estimated_top);  // laid out in place
  for (size_t i = reading; i < view.size() && view.item(i).top < estimated_top + screen; ++i) {
    CHECK(view.item(i).exact);
    CHECK(view.item(i).height == expected(view, i, imgui.fonts, m, width).height);
  }
  CHECK_FALSE(view.item(0).exact);
  CHECK(view.estimated() > 0);

  // The rest when idle; the reading position keeps comment 50 where the reader sees it.
  ReadingPosition position;
  position.remember(view, reading, viewport_top, header);
  while (view.estimated() > 0) view.lay_out_some(0.001);
  CHECK(view.item(reading).top != doctest::Approx(estimated_top));  // the cards above it changed height
  viewport_top += position.restore(view, header);
  CHECK(header + view.item(reading).top - viewport_top == doctest::Approx(0));

  // Now every height is the shaper's and every top the running sum.
  float top = 0;
  for (size_t i = 0; i < view.size(); ++i) {
    if (i > 0 && view.item(i).entry.depth == 0) top += m.card_gap;
    CHECK(view.item(i).exact);
    CHECK(view.item(i).height == expected(view, i, imgui.fonts, m, width).height);
    CHECK(view.item(i).top == doctest::Approx(top));
    top += view.item(i).height;
  }
  CHECK(view.height() == doctest::Approx(top));
}

TEST_CASE("lay_out_some stays inside the range it is given and says when some are left there") {
  test::NullImGuiWindow imgui;
  const CardMetrics m;
  std::vector<Comment> comments;
  for (CommentId id = 1; id <= 40; ++id) comments.push_back(comment(id, std::nullopt, words(int(id % 9) + 1), UnixSeconds(id)));
  ThreadView view;
  view.set_comments(comments, {});
  view.layout(imgui.fonts, m, 400);
  // One card a call (a budget no layout fits in): cards 10 to 19 only.
  size_t calls = 0;
  while (view.lay_out_some(0, 10, 20)) ++calls;
  CHECK(calls == 9);  // the tenth call lays out the last one and finds none left
  for (size_t i = 0; i < view.size(); ++i) CHECK(view.item(i).exact == (i >= 10 && i < 20));
  CHECK(view.estimated() == 30);
  CHECK_FALSE(view.lay_out_some(0, 10, 20));
  // An estimated card keeps only its height: it is never drawn.
  CHECK(view.item(0).card.body.blocks.empty());
  CHECK_FALSE(view.item(10).card.body.runs.empty());
}

TEST_CASE("the view keeps bodies parsed: the comments it points to need not hold their text") {
  test::NullImGuiWindow imgui;
  const CardMetrics m;
  const float width = 400;
  const std::vector<Comment> full = {
      comment(1, std::nullopt, words(12), 100),
      comment(2, 1, words(30), 110),
      comment(3, 2, words(5), 120),
  };
  std::vector<Comment> light = full;
  for (Comment& c : light) c.body.clear();
  ThreadView view;
  view.set_comments(light, {}, BodyFormat::markdown, &full);
  lay_out_all(view, imgui.fonts, m, width);
  for (size_t i = 0; i < view.size(); ++i) {
    CHECK_FALSE(view.item(i).body.blocks.empty());
    CHECK(view.same_body(i, full[view.item(i).entry.index]));
    CHECK_FALSE(view.same_body(i, light[view.item(i).entry.index]));
  }
  CHECK(view.item(view.index_of(2)).card.body.runs.size() > 1);

  // A new nesting depth moves comment 3 to comment 2's level: its card is laid out
  // again from the body the view kept; the others keep their items.
  const ThreadView::Item* first = &view.item(view.index_of(1));
  ThreadOptions flat;
  flat.max_visual_depth = 1;
  view.set_options(light, flat);
  lay_out_all(view, imgui.fonts, m, width);
  CHECK(&view.item(view.index_of(1)) == first);
  const size_t third = view.index_of(3);
  CHECK(view.item(third).entry.visual_depth == 1);
  CHECK_FALSE(view.item(third).card.body.runs.empty());
  CHECK(view.item(third).height == expected(view, third, imgui.fonts, m, width).height);
  CHECK(view.same_body(third, full[2]));
}

}  // namespace causerie
