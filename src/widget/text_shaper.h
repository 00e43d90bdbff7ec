#pragma once
// What the widget asks of whoever shapes its text. The canvas does not shape: the
// browser lays paragraphs out (bidi, shaping, grapheme clusters, line breaking),
// measures and draws strings (platform/browser_text.h over the host calls of
// web/loader/bridge.js); the native tests use a fixed-advance shaper. The widget
// keeps the geometry: where each paragraph goes, how wide it is, what is drawn.
#include <imgui.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace causerie {

// One span of a paragraph: text in one style (core/richtext.h's SpanStyle bits).
struct ShaperSpan {
  std::string_view text;
  uint8_t style = 0;
};

// A piece of one span, on one line, in one direction.
struct ShapedRun {
  uint32_t line = 0;          // from the paragraph's top: y = line x line height
  uint32_t span = 0;          // index into the spans laid out
  uint32_t begin = 0, end = 0;  // byte range in that span's text
  float x = 0, width = 0;     // from the paragraph's left edge, CSS px
  bool rtl = false;
};

struct ShapedParagraph {
  bool rtl = false;             // the paragraph's base direction (first strong character)
  uint32_t lines = 1;           // an empty paragraph has one line
  std::vector<ShapedRun> runs;  // line by line, each line's runs in visual order (left to right)
};

// A caret position inside a run: a grapheme-cluster boundary (byte offset in the
// run's text) and its x from the run's left edge.
struct CaretStop {
  uint32_t byte = 0;
  float x = 0;
};

class TextShaper {
public:
  virtual ~TextShaper() = default;
  // Lays a paragraph out as a DOM block of `width` CSS px would: font `size`, line
  // box `line`, direction from its first strong character, '\n' a hard break, spaces
  // kept as they are when `pre` (code) and collapsed otherwise.
  virtual ShapedParagraph layout(const std::vector<ShaperSpan>& spans, float width, float size, float line,
                                 bool pre) = 0;
  // Advance width of one line of text, CSS px.
  virtual float measure(std::string_view text, uint8_t style, float size) = 0;
  // Draws one line of text whose line box (height `line`) has its top-left corner at
  // `top_left`. direction: 1 right to left, 0 left to right, -1 from the first
  // strong character.
  virtual void draw(ImDrawList* dl, std::string_view text, uint8_t style, float size, float line, ImVec2 top_left,
                    ImU32 colour, int direction) = 0;
  // One stop per grapheme-cluster boundary of a run's text, 0 and the end included.
  virtual std::vector<CaretStop> caret_stops(std::string_view text, uint8_t style, float size, bool rtl) = 0;
};

}  // namespace causerie
