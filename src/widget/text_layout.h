#pragma once
// Lays a rich-text document (core/richtext.h) out to a width, once per comment and
// width, through a TextShaper (widget/text_shaper.h: the browser in the widget): the
// shaper lays each leaf block out as the DOM would; this file keeps the geometry
// between blocks (gaps, quote and list indents, code padding), and hit-testing,
// selection and copying over the runs it got back. Drawing a laid-out body is then
// a loop over runs, and its height is known without drawing (the thread's scroll
// height is their sum).
#include <imgui.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/richtext.h"
#include "widget/text_shaper.h"

namespace causerie {

// How text is set: who shapes it, at which size and line height. The style names
// are SpanStyle bits, so that `draw_text(dl, fonts, fonts.bold, ...)` reads as before.
struct TextFonts {
  TextShaper* shaper = nullptr;
  static constexpr uint8_t regular = kStyleNone;
  static constexpr uint8_t bold = kStyleStrong;
  static constexpr uint8_t italic = kStyleEmphasis;
  float size = 16.0f;        // CSS pixels
  float line_height = 1.5f;  // multiple of size

  float line() const { return size * line_height; }
};

// A piece of one span on one line in one direction: text from begin to end (pointers
// into the Document, which must outlive the layout), its box's left edge at x and its
// line's top at y, relative to the body's top-left corner. A line's runs are in
// visual order, left to right.
struct TextRun {
  float x = 0, y = 0, width = 0;
  const char* begin = nullptr;
  const char* end = nullptr;
  uint32_t offset = 0;  // of `begin` in its block's logical text (its spans joined)
  uint8_t style = kStyleNone;
  int16_t link = -1;    // index into TextLayout::links, -1 when not a link
  uint16_t block = 0;   // index into TextLayout::blocks
  bool rtl = false;
};

// One leaf block (paragraph, code block) as laid out.
struct TextBlock {
  float left = 0, top = 0, width = 0;  // the box its lines are laid in (top: the first line's)
  uint32_t lines = 1;
  bool rtl = false;  // base direction
  bool pre = false;  // code: spaces kept
  uint32_t first_span = 0, span_count = 0;  // its logical text: TextLayout::spans
  uint32_t first_run = 0, run_count = 0;    // its runs
};

// A caret position: a byte of a block's logical text. Ordered as the text is read.
struct TextPosition {
  uint32_t block = 0;
  uint32_t offset = 0;
  bool operator<(const TextPosition& o) const { return block != o.block ? block < o.block : offset < o.offset; }
  bool operator==(const TextPosition& o) const { return block == o.block && offset == o.offset; }
};

// Things drawn behind or beside the text. Bars and markers stand on the side a
// block starts on: the right of a right-to-left block (as the DOM puts them with
// dir=auto items and quotes).
struct TextDecoration {
  enum Kind : uint8_t { QuoteBar, CodeBackground, ListMarker } kind;
  ImVec2 min, max;     // rectangle (marker: the box beside its block's first line)
  std::string marker;  // ListMarker: "•" or "3." (owned: flatten()'s blocks are temporaries)
  bool rtl = false;    // ListMarker: drawn right to left, against the box's left edge instead of its right
};

struct TextLayout {
  std::vector<TextRun> runs;
  std::vector<TextBlock> blocks;
  std::vector<std::string_view> spans;  // every block's spans, in order (into the Document)
  std::vector<TextDecoration> decorations;
  std::vector<std::string_view> links;  // hrefs, in order of first appearance
  float width = 0;                      // the width it was laid out for
  float height = 0;
  // Caret stops by run, asked of the shaper the first time a run is hit or selected.
  mutable std::unordered_map<uint32_t, std::vector<CaretStop>> caret_stops;
};

TextLayout layout_text(const Document& doc, const TextFonts& fonts, float width);

// A block's logical text (its spans joined): what offsets count bytes of.
std::string block_text(const TextLayout& layout, size_t block);

// The position nearest to point p (relative to the text's top-left corner).
TextPosition text_position_at(const TextLayout& layout, const TextFonts& fonts, ImVec2 p);

// Where the caret of a position is drawn: x, and the top of its line.
ImVec2 text_caret(const TextLayout& layout, const TextFonts& fonts, TextPosition pos);

// The rectangles (x0, y0, x1, y1) that show the text between two positions: one per
// run it covers, so that mixed directions highlight what is selected.
std::vector<ImVec4> text_selection_rects(const TextLayout& layout, const TextFonts& fonts, TextPosition from,
                                         TextPosition to);

// The text between two positions in logical order (as it was written, whatever the
// order lines show it in): blocks separated by a blank line, breaks as '\n'.
std::string text_between(const TextLayout& layout, TextPosition from, TextPosition to);

// Measures one line of text in a style at a CSS size.
float text_width(const TextFonts& fonts, uint8_t style, float css_size, std::string_view text);

// Draws one line of text at a CSS size; `top_left.y` is the top of a line box of
// 1.2 x css_size (CSS's "normal" line height). Its direction is its first strong
// character's, so a name written right to left is drawn so, and cannot turn what
// is drawn after it.
void draw_text(ImDrawList* dl, const TextFonts& fonts, uint8_t style, float css_size, ImVec2 top_left, ImU32 colour,
               std::string_view text);

struct Theme;

// Draws a laid-out body at `origin`: quote bars, code backgrounds, list markers, then
// the runs (code on a tint, links in the accent colour and underlined, the run
// `hovered_run` more strongly). Posted comments and the form's preview both use it.
void draw_text_layout(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const TextLayout& layout,
                      ImVec2 origin, int hovered_run = -1);

}  // namespace causerie
