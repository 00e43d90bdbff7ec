#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>
#include <string_view>

#include "core/markdown.h"
#include "null_imgui.h"
#include "widget/theme.h"
#include "widget/text_layout.h"

// The text layout over the fixed-advance shaper (half an em per code point): the
// geometry kept between blocks, hit-testing through caret stops, selection in
// mixed directions and the text a selection copies.
namespace causerie {
namespace {

std::string_view text_of(const TextRun& r) { return {r.begin, size_t(r.end - r.begin)}; }

size_t line_count(const TextLayout& l) {
  std::set<float> tops;
  for (const TextRun& r : l.runs) tops.insert(r.y);
  return tops.size();
}

// "אבג" and "דה": Hebrew letters, two bytes each.
const std::string kAlef = "\xD7\x90", kBet = "\xD7\x91", kGimel = "\xD7\x92", kDalet = "\xD7\x93", kHe = "\xD7\x94";

}  // namespace

TEST_CASE("a paragraph is laid out by the shaper, one line height per line") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const std::string text =
      "Le premier choix de la diplomatie est toujours celui qui coûte le moins, et pourtant il se paie longtemps.";
  const Document doc = parse_markdown(text);
  const TextLayout wide = layout_text(doc, fonts, 5000);
  CHECK(line_count(wide) == 1);
  CHECK(wide.height == doctest::Approx(fonts.line()));
  REQUIRE(wide.blocks.size() == 1);
  CHECK(block_text(wide, 0) == text);

  const float width = 180;
  const TextLayout narrow = layout_text(doc, fonts, width);
  CHECK(narrow.width == width);
  CHECK(line_count(narrow) > 2);
  CHECK(narrow.blocks[0].lines == line_count(narrow));
  CHECK(narrow.height == doctest::Approx(line_count(narrow) * fonts.line()));
  std::string joined;
  for (const TextRun& r : narrow.runs) {
    CHECK(r.y == doctest::Approx(fonts.line() * std::round(r.y / fonts.line())));
    CHECK(std::string_view(block_text(narrow, 0)).substr(r.offset, text_of(r).size()) == text_of(r));
    joined += text_of(r);
  }
  CHECK(joined == text);
}

TEST_CASE("blocks keep their gaps, quote and list indents, and code its padding") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Document doc = parse_markdown("un\n\n> deux\n\n- trois\n\n```\ncode\n\nfin\n```");
  const TextLayout l = layout_text(doc, fonts, 400);
  REQUIRE(l.blocks.size() == 4);
  CHECK(l.blocks[0].left == 0);
  CHECK(l.blocks[1].left == 16);
  CHECK(l.blocks[2].left == 24);
  CHECK(l.blocks[3].pre);
  CHECK(l.blocks[3].left == 8);
  CHECK(l.blocks[3].lines == 3);  // a hard break and an empty line
  CHECK(l.blocks[1].top == doctest::Approx(fonts.line() + fonts.size * 0.75f));
  CHECK(l.height == doctest::Approx(l.blocks[3].top + 3 * fonts.line() + 8));
  CHECK(block_text(l, 3) == "code\n\nfin");
  // A point on the empty line lands after the first break.
  const TextPosition empty = text_position_at(l, fonts, ImVec2(20, l.blocks[3].top + fonts.line() * 1.5f));
  CHECK(empty == TextPosition{3, 5});
}

TEST_CASE("hit-testing goes through the run's caret stops, asked once per run") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Document doc = parse_markdown("abcdef ghijkl mnopqr stuvwx");
  const TextLayout l = layout_text(doc, fonts, 90);
  REQUIRE(line_count(l) > 1);
  const float adv = fonts.size * test::FixedShaper::kAdvance;

  CHECK(text_position_at(l, fonts, ImVec2(-10, 1)) == TextPosition{0, 0});
  CHECK(text_position_at(l, fonts, ImVec2(2.6f * adv, 1)) == TextPosition{0, 3});
  CHECK(text_position_at(l, fonts, ImVec2(2.4f * adv, 1)) == TextPosition{0, 2});
  CHECK(text_caret(l, fonts, {0, 3}).x == doctest::Approx(3 * adv));
  const int calls = imgui.shaper.caret_stop_calls;
  text_position_at(l, fonts, ImVec2(1.2f * adv, 1));
  CHECK(imgui.shaper.caret_stop_calls == calls);  // cached in the layout
  // Above everything: the start; below the last line: the end.
  CHECK(text_position_at(l, fonts, ImVec2(50, -30)) == TextPosition{0, 0});
  CHECK(text_position_at(l, fonts, ImVec2(0, l.height + 40)) == TextPosition{0, 27});
  // The second line starts at "ghijkl".
  CHECK(text_position_at(l, fonts, ImVec2(1, fonts.line() * 1.5f)) == TextPosition{0, 7});
}

TEST_CASE("caret stops map bytes to x in a right-to-left run: byte 0 at its right edge") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const std::string hebrew = kAlef + kBet + kGimel;
  const Document doc = parse_markdown("ab " + hebrew + " cd");
  const TextLayout l = layout_text(doc, fonts, 500);
  REQUIRE(l.runs.size() == 3);
  const TextRun& rtl = l.runs[1];
  CHECK(rtl.rtl);
  CHECK(text_of(rtl) == hebrew);
  const float adv = fonts.size * test::FixedShaper::kAdvance;
  CHECK(rtl.x == doctest::Approx(3 * adv));
  // Logical offset 3 (the run's start) is at its right edge, each letter after it
  // one advance to the left.
  CHECK(text_caret(l, fonts, {0, 3}).x == doctest::Approx(rtl.x + 3 * adv));
  CHECK(text_caret(l, fonts, {0, 5}).x == doctest::Approx(rtl.x + 2 * adv));
  CHECK(text_caret(l, fonts, {0, 7}).x == doctest::Approx(rtl.x + adv));
  // A point near the run's left edge is its logical end.
  CHECK(text_position_at(l, fonts, ImVec2(rtl.x + 0.2f * adv, 1)) == TextPosition{0, 9});
  CHECK(text_position_at(l, fonts, ImVec2(rtl.x + 2.9f * adv, 1)) == TextPosition{0, 3});
}

TEST_CASE("copying over a right-to-left run gives the logical text; the highlight is per run") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  // A right-to-left paragraph quoting a Latin word: "אב gdz דה".
  const std::string text = kAlef + kBet + " gdz " + kDalet + kHe;
  const Document doc = parse_markdown(text);
  const TextLayout l = layout_text(doc, fonts, 500);
  REQUIRE(l.blocks.size() == 1);
  CHECK(l.blocks[0].rtl);
  REQUIRE(l.runs.size() == 3);
  // Visual order: the last Hebrew word at the left, the first at the right.
  CHECK(text_of(l.runs[0]).find(kDalet + kHe) != std::string_view::npos);
  CHECK(text_of(l.runs[1]) == "gdz");
  CHECK(text_of(l.runs[2]).substr(0, 4) == kAlef + kBet);
  CHECK(l.runs[0].x < l.runs[1].x);
  CHECK(l.runs[1].x < l.runs[2].x);
  // Dragging from the visual left end to the visual right end selects it all, in
  // logical order, whichever way the drag went.
  const TextPosition left = text_position_at(l, fonts, ImVec2(l.runs[0].x, 1));
  const TextPosition right = text_position_at(l, fonts, ImVec2(l.runs[2].x + l.runs[2].width, 1));
  CHECK(left == TextPosition{0, uint32_t(text.size())});
  CHECK(right == TextPosition{0, 0});
  CHECK(text_between(l, left, right) == text);
  CHECK(text_between(l, right, left) == text);
  // "ב gd": from inside the first Hebrew word into the Latin one; two rectangles,
  // one at each of the runs it touches, each inside its run.
  const TextPosition a{0, 2}, b{0, uint32_t(4 + 1 + 2)};
  CHECK(text_between(l, a, b) == kBet + " gd");
  const std::vector<ImVec4> rects = text_selection_rects(l, fonts, a, b);
  REQUIRE(rects.size() == 2);
  for (const ImVec4& r : rects) {
    bool inside = false;
    for (const TextRun& run : l.runs)
      inside = inside || (r.x >= run.x - 0.01f && r.z <= run.x + run.width + 0.01f && r.z > r.x);
    CHECK(inside);
  }
}

TEST_CASE("a selection copies what the reader sees: paragraphs apart, breaks kept, wrapped lines joined") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Document doc = parse_markdown("un deux trois quatre cinq six\n\nseconde **partie**  \nfin");
  const TextLayout l = layout_text(doc, fonts, 80);
  const TextPosition start{0, 0};
  const TextPosition end = text_position_at(l, fonts, ImVec2(1000, l.height + 10));
  CHECK(text_between(l, start, end) == "un deux trois quatre cinq six\n\nseconde partie\nfin");
  CHECK(text_between(l, end, start) == text_between(l, start, end));
  CHECK(text_between(l, {0, 1}, {0, 2}) == "n");
  bool bold = false;
  for (const TextRun& r : l.runs) bold = bold || (text_of(r) == "partie" && (r.style & kStyleStrong));
  CHECK(bold);
}

TEST_CASE("runs are drawn in their own direction, at their line box") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Theme theme;
  const Document doc = parse_markdown("ab " + kAlef + kBet);
  const TextLayout l = layout_text(doc, fonts, 500);
  imgui.shaper.drawn.clear();
  draw_text_layout(imgui.draw_list(), fonts, theme, l, ImVec2(10, 20));
  REQUIRE(imgui.shaper.drawn.size() == l.runs.size());
  for (size_t i = 0; i < l.runs.size(); ++i) {
    CHECK(imgui.shaper.drawn[i].text == text_of(l.runs[i]));
    CHECK(imgui.shaper.drawn[i].direction == (l.runs[i].rtl ? 1 : 0));
    CHECK(imgui.shaper.drawn[i].top_left.x == doctest::Approx(10 + l.runs[i].x));
    CHECK(imgui.shaper.drawn[i].top_left.y == doctest::Approx(20 + l.runs[i].y));
  }
}

TEST_CASE("hit-testing beyond a line's ends gives its logical start or end by the paragraph's direction") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  // A right-to-left paragraph ending in a Latin word: visually "abc" then "אבג ".
  const std::string text = kAlef + kBet + kGimel + " abc";
  const Document doc = parse_markdown(text);  // outlives the layout, which points into it
  const TextLayout l = layout_text(doc, fonts, 500);
  REQUIRE(l.blocks[0].rtl);
  REQUIRE(l.runs.size() == 2);
  REQUIRE(!l.runs[0].rtl);  // "abc", on the left
  const TextRun& right = l.runs[1];
  // Right of the line (and just inside its right edge): the paragraph's start.
  CHECK(text_position_at(l, fonts, ImVec2(right.x + right.width + 5, 1)) == TextPosition{0, 0});
  CHECK(text_position_at(l, fonts, ImVec2(right.x + right.width - 1, 1)) == TextPosition{0, 0});
  // Left of "abc": the paragraph's end, not the word's start.
  CHECK(text_position_at(l, fonts, ImVec2(l.runs[0].x - 3, 1)) == TextPosition{0, uint32_t(text.size())});
  // Inside "abc", left to right.
  const float adv = fonts.size * test::FixedShaper::kAdvance;
  CHECK(text_position_at(l, fonts, ImVec2(l.runs[0].x + 1.1f * adv, 1)) == TextPosition{0, 8});
  CHECK(text_between(l, text_position_at(l, fonts, ImVec2(right.x + right.width - 1, 1)),
                     text_position_at(l, fonts, ImVec2(l.runs[0].x - 3, 1))) == text);
}

TEST_CASE("list markers are the layout's own; markers, bars and indents stand on a right-to-left block's right") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const float width = 400;
  const std::string hebrew = kAlef + kBet + kGimel;
  const Document doc = parse_markdown("> " + hebrew + "\n\n1. " + hebrew + "\n2. un\n\n- deux");
  const TextLayout l = layout_text(doc, fonts, width);
  // Memory flatten() used is reused, and what the layout keeps is unchanged.
  std::vector<std::string> noise(64, std::string(40, 'Z'));
  std::vector<const TextDecoration*> markers, bars;
  for (const TextDecoration& d : l.decorations) {
    if (d.kind == TextDecoration::ListMarker) markers.push_back(&d);
    if (d.kind == TextDecoration::QuoteBar) bars.push_back(&d);
  }
  REQUIRE(markers.size() == 3);
  REQUIRE(bars.size() == 1);
  REQUIRE(l.blocks.size() == 4);
  CHECK(markers[0]->marker == "1.");
  CHECK(markers[1]->marker == "2.");
  CHECK(markers[2]->marker == "\xE2\x80\xA2");
  // The quote: its bar on the right, its text box indented from the right.
  CHECK(l.blocks[0].rtl);
  CHECK(bars[0]->max.x == doctest::Approx(width - 2));
  CHECK(l.blocks[0].left == 0);
  CHECK(l.blocks[0].width == doctest::Approx(width - 16));
  for (uint32_t r = l.blocks[0].first_run; r < l.blocks[0].first_run + l.blocks[0].run_count; ++r)
    CHECK(l.runs[r].x + l.runs[r].width <= doctest::Approx(width - 16));
  // The Hebrew item: the marker right of the text; the French ones on the left.
  CHECK(markers[0]->rtl);
  CHECK(markers[0]->min.x == doctest::Approx(width - 24));
  CHECK(l.blocks[1].left == 0);
  CHECK(!markers[1]->rtl);
  CHECK(markers[1]->max.x == doctest::Approx(24));
  CHECK(l.blocks[2].left == 24);
  // Drawn where they stand, as the DOM's ::marker: a space from their text, in their
  // item's direction (the Hebrew item's "1." reads ".1", on the right).
  imgui.shaper.drawn.clear();
  draw_text_layout(imgui.draw_list(), fonts, Theme{}, l, ImVec2(0, 0));
  REQUIRE(imgui.shaper.drawn.size() >= 3);
  const float space = fonts.size * test::FixedShaper::kAdvance;
  CHECK(imgui.shaper.drawn[0].text == "1.");
  CHECK(imgui.shaper.drawn[0].direction == 1);
  CHECK(imgui.shaper.drawn[0].top_left.x == doctest::Approx(width - 24 + space));
  CHECK(imgui.shaper.drawn[1].text == "2.");
  CHECK(imgui.shaper.drawn[1].direction == 0);
  CHECK(imgui.shaper.drawn[1].top_left.x + 2 * space == doctest::Approx(24 - space));
}

}  // namespace causerie
