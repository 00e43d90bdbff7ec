#pragma once
// A shaper for the native tests, where there is no browser: every code point
// advances half an em, lines break at spaces (a word longer than the line is cut
// between code points), '\n' is a hard break. Hebrew and Arabic letters are right
// to left, with a two-level bidi: a paragraph takes its first strong letter's
// direction, spaces between two right-to-left letters go with them, and each line's
// runs are put in visual order. What is drawn is recorded, not drawn.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "widget/text_shaper.h"

namespace causerie::test {

class FixedShaper final : public TextShaper {
public:
  static constexpr float kAdvance = 0.5f;  // em per code point

  static bool is_rtl(char32_t c) { return (c >= 0x0590 && c < 0x0900) || (c >= 0xFB1D && c < 0xFE00); }
  static bool is_strong_ltr(char32_t c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c < 0x590);
  }

  ShapedParagraph layout(const std::vector<ShaperSpan>& spans, float width, float size, float, bool) override {
    ++layouts;
    struct Cp {
      uint32_t span, begin, end;
      char32_t c;
    };
    std::vector<Cp> cps;
    for (uint32_t s = 0; s < spans.size(); ++s)
      for (size_t i = 0; i < spans[s].text.size();) {
        const size_t b = i;
        const char32_t c = utf8_next(spans[s].text, i);
        cps.push_back({s, uint32_t(b), uint32_t(i), c});
      }
    ShapedParagraph out;
    for (const Cp& cp : cps)
      if (is_rtl(cp.c) || is_strong_ltr(cp.c)) {
        out.rtl = is_rtl(cp.c);
        break;
      }
    const float adv = size * kAdvance;
    // Lines as ranges of code points (a hard break belongs to none).
    std::vector<std::pair<size_t, size_t>> lines;
    const size_t n = cps.size();
    size_t start = 0, i = 0;
    float x = 0;
    while (i < n) {
      if (cps[i].c == '\n') {
        lines.push_back({start, i});
        start = ++i;
        x = 0;
        continue;
      }
      size_t w = i;
      while (w < n && cps[w].c != ' ' && cps[w].c != '\n') ++w;
      size_t t = w;
      while (t < n && cps[t].c == ' ') ++t;
      const float word = float(w - i) * adv;
      if (x + word > width && x > 0) {
        lines.push_back({start, i});
        start = i;
        x = 0;
      }
      if (word > width) {
        for (size_t k = i; k < w; ++k) {
          if (x + adv > width && x > 0) {
            lines.push_back({start, k});
            start = k;
            x = 0;
          }
          x += adv;
        }
      } else {
        x += word;
      }
      x += float(t - w) * adv;
      i = t;
    }
    lines.push_back({start, n});
    out.lines = uint32_t(lines.size());
    for (uint32_t l = 0; l < lines.size(); ++l) {
      const auto [b, e] = lines[l];
      // Each code point's direction, then runs of one span and one direction.
      std::vector<bool> rtl(e - b);
      for (size_t k = b; k < e; ++k) {
        const char32_t c = cps[k].c;
        if (is_rtl(c)) rtl[k - b] = true;
        else if (is_strong_ltr(c)) rtl[k - b] = false;
        else {  // neutral: between two right-to-left letters, or the paragraph's
          size_t p = k, q = k;
          while (p > b && !is_rtl(cps[p - 1].c) && !is_strong_ltr(cps[p - 1].c)) --p;
          while (q < e && !is_rtl(cps[q].c) && !is_strong_ltr(cps[q].c)) ++q;
          const bool before = p > b ? is_rtl(cps[p - 1].c) : out.rtl;
          const bool after = q < e ? is_rtl(cps[q].c) : out.rtl;
          rtl[k - b] = before && after ? true : !before && !after ? false : out.rtl;
        }
      }
      std::vector<ShapedRun> runs;
      for (size_t k = b; k < e; ++k) {
        if (!runs.empty() && runs.back().span == cps[k].span && runs.back().rtl == rtl[k - b] &&
            runs.back().end == cps[k].begin) {
          runs.back().end = cps[k].end;
          runs.back().width += adv;
        } else {
          runs.push_back({l, cps[k].span, cps[k].begin, cps[k].end, 0, adv, rtl[k - b]});
        }
      }
      // Visual order: the paragraph's direction, runs of the other one kept in their order.
      if (out.rtl) std::reverse(runs.begin(), runs.end());
      for (size_t k = 0; k < runs.size();) {
        size_t m = k;
        while (m < runs.size() && runs[m].rtl != out.rtl) ++m;
        std::reverse(runs.begin() + long(k), runs.begin() + long(m));
        k = m + 1;
      }
      float total = 0;
      for (const ShapedRun& r : runs) total += r.width;
      float rx = out.rtl ? width - total : 0;
      for (ShapedRun& r : runs) {
        r.x = rx;
        rx += r.width;
      }
      out.runs.insert(out.runs.end(), runs.begin(), runs.end());
    }
    return out;
  }

  float measure(std::string_view text, uint8_t, float size) override {
    return float(utf8_length(text)) * size * kAdvance;
  }

  struct Drawn {
    std::string text;
    uint8_t style;
    float size;
    ImVec2 top_left;
    ImU32 colour;
    int direction;
  };
  void draw(ImDrawList*, std::string_view text, uint8_t style, float size, float, ImVec2 top_left, ImU32 colour,
            int direction) override {
    if (drawn.size() > 100000) drawn.clear();  // long controller tests
    drawn.push_back({std::string(text), style, size, top_left, colour, direction});
  }

  std::vector<CaretStop> caret_stops(std::string_view text, uint8_t, float size, bool rtl) override {
    ++caret_stop_calls;
    const float total = measure(text, 0, size);
    std::vector<CaretStop> stops{{0, rtl ? total : 0.0f}};
    float x = 0;
    for (size_t i = 0; i < text.size();) {
      utf8_next(text, i);
      x += size * kAdvance;
      stops.push_back({uint32_t(i), rtl ? total - x : x});
    }
    return stops;
  }

  std::vector<Drawn> drawn;
  int layouts = 0;
  int caret_stop_calls = 0;
};

}  // namespace causerie::test
