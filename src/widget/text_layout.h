#pragma once
// Wraps a rich-text document (core/richtext.h) to a width with Dear ImGui's fonts,
// once per comment and width: drawing a laid-out body is then a loop over runs, and
// its height is known without drawing (the thread's scroll height is their sum).
#include <imgui.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/richtext.h"

namespace causerie {

// The faces and metrics bodies are set in. Code has no face of its own (no monospace
// font is shipped): it is drawn in the regular face on a tinted background.
struct TextFonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* italic = nullptr;
  float size = 16.0f;        // CSS pixels
  float line_height = 1.5f;  // multiple of size
  // ImGui font size per CSS pixel. stb_truetype sizes a font by ascent - descent,
  // CSS by the em: for Noto Sans, CSS's 16px is ImGui's 21.8 (em_scale_of_font).
  float em_scale = 1.0f;

  ImFont* face(uint8_t style) const;
  float line() const { return size * line_height; }
  float px(float css_size) const { return css_size * em_scale; }
};

// em_scale for a TrueType/OpenType file: (hhea ascender - descender) / unitsPerEm;
// 1 when the tables cannot be read.
float em_scale_of_font(const void* data, int size);

// A piece of one span on one line: text from begin to end, at (x, y) relative to the
// body's top-left corner. Points into the Document, which must outlive the layout.
struct TextRun {
  float x = 0, y = 0, width = 0;
  const char* begin = nullptr;
  const char* end = nullptr;
  uint8_t style = kStyleNone;
  int16_t link = -1;         // index into TextLayout::links, -1 when not a link
  uint16_t block = 0;        // leaf block it belongs to (paragraph, code block...)
  bool after_break = false;  // first run after an explicit line break
};

// A caret position in a laid-out text: a run and a byte inside it (begin..end).
struct TextPosition {
  size_t run = 0;
  const char* at = nullptr;
  bool operator<(const TextPosition& o) const { return run != o.run ? run < o.run : at < o.at; }
  bool operator==(const TextPosition& o) const { return run == o.run && at == o.at; }
};

// Things drawn behind or beside the text.
struct TextDecoration {
  enum Kind : uint8_t { QuoteBar, CodeBackground, ListMarker } kind;
  ImVec2 min, max;          // rectangle (marker: its top-left and baseline box)
  std::string_view marker;  // ListMarker: "•" or "3."
};

struct TextLayout {
  std::vector<TextRun> runs;
  std::vector<TextDecoration> decorations;
  std::vector<std::string_view> links;  // hrefs, in order of first appearance
  float width = 0;                      // the width it was laid out for
  float height = 0;
};

TextLayout layout_text(const Document& doc, const TextFonts& fonts, float width);

// The position nearest to point p (relative to the text's top-left corner).
// Needs at least one run.
TextPosition text_position_at(const TextLayout& layout, const TextFonts& fonts, ImVec2 p);

// The x offset of a position inside its run.
float text_position_x(const TextLayout& layout, const TextFonts& fonts, TextPosition pos);

// The text between two positions, as a reader copying it expects: blocks separated
// by a blank line, explicit breaks as '\n', wrapped lines joined.
std::string text_between(const TextLayout& layout, TextPosition from, TextPosition to);

// Measures one string in a face at a CSS size (no wrapping).
float text_width(const TextFonts& fonts, ImFont* font, float css_size, std::string_view text);

// Draws one string at a CSS size; `top_left.y` is the top of a line box of
// 1.2 x css_size (CSS's "normal" line height), the glyphs centred in it as CSS does.
void draw_text(ImDrawList* dl, const TextFonts& fonts, ImFont* font, float css_size, ImVec2 top_left, ImU32 colour,
               std::string_view text);

struct Theme;

// Draws a laid-out body at `origin`: quote bars, code backgrounds, list markers, then
// the runs (code on a tint, links in the accent colour and underlined, the run
// `hovered_run` more strongly). Posted comments and the form's preview both use it.
void draw_text_layout(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const TextLayout& layout,
                      ImVec2 origin, int hovered_run = -1);

}  // namespace causerie
