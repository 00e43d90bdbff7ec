#pragma once
// A shaper that asks nobody: every character advances by an average width (a wide
// one for CJK and Hangul), lines break when that runs past the width. It gives the
// height a card will probably have, so a thread of thousands has a scroll height at
// once; ThreadView replaces each estimate with the browser's layout when the card
// comes near the viewport or the widget is idle. Nothing it returns is drawn.
#include <cmath>

#include "core/utf8.h"
#include "widget/text_shaper.h"

namespace causerie {

class EstimatingShaper final : public TextShaper {
public:
  ShapedParagraph layout(const std::vector<ShaperSpan>& spans, float width, float size, float, bool) override {
    ShapedParagraph p;
    p.lines = 0;
    float x = 0;
    const auto end_line = [&] { p.lines += std::max(1u, uint32_t(std::ceil(x / std::max(1.0f, width)))); x = 0; };
    for (const ShaperSpan& s : spans) {
      for (size_t i = 0; i < s.text.size();) {
        if (s.text[i] == '\n') {
          end_line();
          ++i;
          continue;
        }
        x += advance(utf8_next(s.text, i)) * size;
      }
    }
    end_line();
    return p;
  }
  float measure(std::string_view text, uint8_t, float size) override {
    float x = 0;
    for (size_t i = 0; i < text.size();) x += advance(utf8_next(text, i)) * size;
    return x;
  }
  void draw(ImDrawList*, std::string_view, uint8_t, float, float, ImVec2, ImU32, int) override {}
  std::vector<CaretStop> caret_stops(std::string_view, uint8_t, float, bool) override { return {}; }

private:
  // In em: the average advance of running text in common sans faces.
  static float advance(char32_t c) {
    if (c < 0x80) return 0.5f;
    if ((c >= 0x0300 && c < 0x0370) || (c >= 0x064B && c < 0x0660) || c == 0x200B || c == 0x200C || c == 0x200D)
      return 0;  // combining marks and joiners
    if ((c >= 0x1100 && c < 0x1200) || (c >= 0x2E80 && c < 0xA4D0) || (c >= 0xAC00 && c < 0xD7A4) ||
        (c >= 0xF900 && c < 0xFB00) || (c >= 0xFF00 && c < 0xFF61) || c >= 0x1F300)
      return 1.0f;  // CJK, Hangul, full-width forms, emoji
    return 0.55f;
  }
};

}  // namespace causerie
