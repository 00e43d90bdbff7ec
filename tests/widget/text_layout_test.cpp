#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

#include "core/markdown.h"
#include "null_imgui.h"
#include "widget/text_layout.h"

// The text layout with Dear ImGui's built-in font and no renderer: wrapping,
// hit-testing and the text a selection copies.
namespace causerie {
namespace {

std::string_view text_of(const TextRun& r) { return {r.begin, size_t(r.end - r.begin)}; }

// The run's width without the spaces that end it (they may hang past the edge).
float ink_width(const TextFonts& fonts, const TextRun& r) {
  std::string_view s = text_of(r);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return text_width(fonts, fonts.face(r.style), fonts.size, s);
}

size_t line_count(const TextLayout& l) {
  std::set<float> tops;
  for (const TextRun& r : l.runs) tops.insert(r.y);
  return tops.size();
}

}  // namespace

TEST_CASE("a paragraph wraps at spaces within the width, one line height per line") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Document doc = parse_markdown(
      "Le premier choix de la diplomatie est toujours celui qui coûte le moins, et pourtant il se paie longtemps.");
  const TextLayout wide = layout_text(doc, fonts, 5000);
  CHECK(line_count(wide) == 1);
  CHECK(wide.height == doctest::Approx(fonts.line()));

  const float width = 180;
  const TextLayout narrow = layout_text(doc, fonts, width);
  CHECK(narrow.width == width);
  CHECK(line_count(narrow) > 2);
  CHECK(narrow.height == doctest::Approx(line_count(narrow) * fonts.line()));
  std::string joined;
  for (const TextRun& r : narrow.runs) {
    CHECK(r.x + ink_width(fonts, r) <= width + 0.01f);
    joined += text_of(r);
  }
  // Nothing is lost or doubled: the lines put back together are the paragraph.
  CHECK(joined ==
        "Le premier choix de la diplomatie est toujours celui qui coûte le moins, et pourtant il se paie longtemps.");
}

TEST_CASE("a word longer than the line is cut between characters; explicit breaks start a line") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const std::string word(60, 'x');
  const Document doc = parse_markdown(word);
  const TextLayout l = layout_text(doc, fonts, 100);
  CHECK(line_count(l) > 3);
  size_t bytes = 0;
  for (const TextRun& r : l.runs) {
    CHECK(r.x + r.width <= 100.01f);
    bytes += text_of(r).size();
  }
  CHECK(bytes == word.size());

  const Document broken = parse_markdown("première ligne  \nseconde ligne");
  const TextLayout b = layout_text(broken, fonts, 5000);
  REQUIRE(line_count(b) == 2);
  CHECK(b.runs.back().after_break);
  CHECK(b.runs.back().y == doctest::Approx(fonts.line()));
}

TEST_CASE("hit-testing finds the character under a point and its x") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Document doc = parse_markdown("abcdef ghijkl mnopqr stuvwx");
  const TextLayout l = layout_text(doc, fonts, 90);
  REQUIRE(line_count(l) > 1);
  const TextRun& first = l.runs.front();
  const float ab = text_width(fonts, fonts.regular, fonts.size, "ab");
  const float abc = text_width(fonts, fonts.regular, fonts.size, "abc");

  // Left of the text: the start; a point inside a glyph's right half: after it.
  CHECK(text_position_at(l, fonts, ImVec2(-10, 1)) == TextPosition{0, first.begin});
  const TextPosition third = text_position_at(l, fonts, ImVec2(ab + 0.6f * (abc - ab), 1));
  CHECK(third == TextPosition{0, first.begin + 3});
  CHECK(text_position_x(l, fonts, third) == doctest::Approx(abc));
  // ...and in its left half: before it.
  CHECK(text_position_at(l, fonts, ImVec2(ab + 0.4f * (abc - ab), 1)) == TextPosition{0, first.begin + 2});
  // Above everything: the start; below the last line: the very end.
  CHECK(text_position_at(l, fonts, ImVec2(50, -30)) == TextPosition{0, first.begin});
  const TextPosition end = text_position_at(l, fonts, ImVec2(0, l.height + 40));
  CHECK(end == TextPosition{l.runs.size() - 1, l.runs.back().end});
  // A point on the second line lands in a run of that line.
  const TextPosition second = text_position_at(l, fonts, ImVec2(1, fonts.line() * 1.5f));
  CHECK(l.runs[second.run].y == doctest::Approx(fonts.line()));
  CHECK(second.at == l.runs[second.run].begin);
}

TEST_CASE("a selection copies what the reader sees: paragraphs apart, wrapped lines joined") {
  test::NullImGuiWindow imgui;
  const TextFonts& fonts = imgui.fonts;
  const Document doc = parse_markdown("un deux trois quatre cinq six\n\nseconde **partie**");
  const TextLayout l = layout_text(doc, fonts, 80);
  const TextPosition start{0, l.runs.front().begin};
  const TextPosition end{l.runs.size() - 1, l.runs.back().end};
  CHECK(text_between(l, start, end) == "un deux trois quatre cinq six\n\nseconde partie");
  // Backwards is the same selection.
  CHECK(text_between(l, end, start) == text_between(l, start, end));
  // Inside one run: just those bytes.
  CHECK(text_between(l, {0, l.runs[0].begin + 1}, {0, l.runs[0].begin + 2}) == "n");
  // The bold word is its own run, in the bold face's style.
  CHECK((l.runs.back().style & kStyleStrong) != 0);
  CHECK(text_of(l.runs.back()) == "partie");
}

}  // namespace causerie
