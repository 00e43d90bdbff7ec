#include "widget/text_layout.h"

#include <algorithm>
#include <cmath>

#include "widget/theme.h"

namespace causerie {

namespace {

constexpr float kQuoteIndent = 16.0f;
constexpr float kListIndent = 24.0f;
constexpr float kCodePadding = 8.0f;

int16_t link_index(TextLayout& out, std::string_view href) {
  if (href.empty()) return -1;
  for (size_t i = 0; i < out.links.size(); ++i)
    if (out.links[i] == href) return int16_t(i);
  if (out.links.size() >= 32000) return -1;
  out.links.push_back(href);
  return int16_t(out.links.size() - 1);
}

// Asks the shaper for one block's lines and keeps its runs, placed in the body:
// b.left is where the box starts in a left-to-right block; a right-to-left one is
// moved by `shift` (the indent then stands on its right).
// `links` holds each span's link index.
void lay_out_block(TextLayout& out, const TextFonts& fonts, TextBlock& b, const std::vector<ShaperSpan>& spans,
                   const std::vector<int16_t>& links, float shift) {
  b.first_span = uint32_t(out.spans.size());
  b.span_count = uint32_t(spans.size());
  b.first_run = uint32_t(out.runs.size());
  std::vector<uint32_t> offsets;
  offsets.reserve(spans.size());
  uint32_t offset = 0;
  for (const ShaperSpan& s : spans) {
    out.spans.push_back(s.text);
    offsets.push_back(offset);
    offset += uint32_t(s.text.size());
  }
  if (!spans.empty() && fonts.shaper) {
    const ShapedParagraph p = fonts.shaper->layout(spans, b.width, fonts.size, fonts.line(), b.pre);
    b.rtl = p.rtl;
    if (b.rtl) b.left -= shift;
    b.lines = std::max<uint32_t>(1, p.lines);
    const uint16_t block = uint16_t(out.blocks.size());
    for (const ShapedRun& r : p.runs) {
      // What the shaper answered is checked, not trusted: a run stays inside its span.
      if (r.span >= spans.size() || r.begin >= r.end || r.end > spans[r.span].text.size()) continue;
      const char* text = spans[r.span].text.data();
      out.runs.push_back({b.left + r.x, b.top + float(std::min(r.line, b.lines - 1)) * fonts.line(), r.width,
                          text + r.begin, text + r.end, offsets[r.span] + r.begin, spans[r.span].style,
                          links[r.span], block, r.rtl});
    }
  }
  b.run_count = uint32_t(out.runs.size()) - b.first_run;
  out.blocks.push_back(b);
}

uint32_t run_size(const TextRun& r) { return uint32_t(r.end - r.begin); }

const std::vector<CaretStop>& stops_of(const TextLayout& layout, const TextFonts& fonts, size_t run) {
  auto it = layout.caret_stops.find(uint32_t(run));
  if (it != layout.caret_stops.end()) return it->second;
  const TextRun& r = layout.runs[run];
  std::vector<CaretStop> stops;
  if (fonts.shaper)
    stops = fonts.shaper->caret_stops(std::string_view(r.begin, run_size(r)), r.style, fonts.size, r.rtl);
  // Both ends are always stops, whatever the shaper said.
  std::erase_if(stops, [&](const CaretStop& s) { return s.byte > run_size(r); });
  const auto has = [&](uint32_t byte) {
    return std::any_of(stops.begin(), stops.end(), [&](const CaretStop& s) { return s.byte == byte; });
  };
  if (!has(0)) stops.push_back({0, r.rtl ? r.width : 0.0f});
  if (!has(run_size(r))) stops.push_back({run_size(r), r.rtl ? 0.0f : r.width});
  std::sort(stops.begin(), stops.end(), [](const CaretStop& a, const CaretStop& b) { return a.byte < b.byte; });
  return layout.caret_stops.emplace(uint32_t(run), std::move(stops)).first->second;
}

// x from the run's left edge of a byte of the run (the stop at or before it).
float x_in_run(const TextLayout& layout, const TextFonts& fonts, size_t run, uint32_t byte) {
  const TextRun& r = layout.runs[run];
  if (byte == 0) return r.rtl ? r.width : 0.0f;
  if (byte >= run_size(r)) return r.rtl ? 0.0f : r.width;
  const std::vector<CaretStop>& stops = stops_of(layout, fonts, run);
  float x = stops.front().x;
  for (const CaretStop& s : stops)
    if (s.byte <= byte) x = s.x;
  return x;
}

uint32_t block_size(const TextLayout& layout, const TextBlock& b) {
  uint32_t n = 0;
  for (uint32_t s = 0; s < b.span_count; ++s) n += uint32_t(layout.spans[b.first_span + s].size());
  return n;
}

float block_bottom(const TextBlock& b, const TextFonts& fonts) { return b.top + float(b.lines) * fonts.line(); }

}  // namespace

TextLayout layout_text(const Document& doc, const TextFonts& fonts, float width) {
  TextLayout out;
  out.width = width;
  const float gap = fonts.size * 0.75f;
  float y = 0;
  bool first = true;
  std::vector<ShaperSpan> spans;
  std::vector<int16_t> links;
  for (const FlatBlock& leaf : flatten(doc)) {
    if (!first) y += gap;
    first = false;
    const float indent = leaf.quote_depth * kQuoteIndent + leaf.list_depth * kListIndent;
    const float left = std::min(indent, std::max(0.0f, width - 40.0f));
    const float top = y;
    spans.clear();
    links.clear();
    TextBlock b;
    if (leaf.block->kind == BlockKind::CodeBlock) {
      if (!leaf.block->code.empty()) {
        spans.push_back({leaf.block->code, kStyleCode});
        links.push_back(-1);
      }
      b.left = left + kCodePadding;
      b.top = y + kCodePadding;
      b.pre = true;
    } else {
      for (const Span& span : leaf.block->spans) {
        spans.push_back({span.text, span.style});
        links.push_back(link_index(out, span.href));
      }
      b.left = left;
      b.top = y;
    }
    b.width = std::max(1.0f, width - b.left - (b.pre ? kCodePadding : 0.0f));
    lay_out_block(out, fonts, b, spans, links, left);
    // A right-to-left block's indent, bars and marker are on its right, in either
    // interface: each block is dir=auto, so a left-to-right item keeps them on its
    // left even in a mirrored page (its text is left-aligned there too).
    const bool rtl = b.rtl;
    const auto side = [&](float x0, float x1) { return rtl ? std::pair(width - x1, width - x0) : std::pair(x0, x1); };
    float bottom = block_bottom(b, fonts);
    if (b.pre) {
      bottom += kCodePadding;
      const auto [x0, x1] = side(left, width);
      out.decorations.push_back({TextDecoration::CodeBackground, {x0, top}, {x1, bottom}, {}});
    }
    if (!leaf.marker.empty()) {
      const auto [x0, x1] = side(left - kListIndent, left);
      out.decorations.push_back(
          {TextDecoration::ListMarker, {x0, top}, {x1, top + fonts.line()}, leaf.marker, rtl});
    }
    // One bar per enclosing quote, continued across the gap from the block above.
    for (int q = 0; q < leaf.quote_depth; ++q) {
      const auto [bx, bx1] = side(q * kQuoteIndent + 2.0f, q * kQuoteIndent + 5.0f);
      bool extended = false;
      for (auto it = out.decorations.rbegin(); it != out.decorations.rend(); ++it) {
        if (it->kind == TextDecoration::QuoteBar && it->min.x == bx && it->max.y + gap >= top - 0.5f) {
          it->max.y = bottom;
          extended = true;
          break;
        }
      }
      if (!extended) out.decorations.push_back({TextDecoration::QuoteBar, {bx, top}, {bx1, bottom}, {}});
    }
    y = bottom;
  }
  out.height = y;
  return out;
}

std::string block_text(const TextLayout& layout, size_t block) {
  std::string s;
  if (block >= layout.blocks.size()) return s;
  const TextBlock& b = layout.blocks[block];
  for (uint32_t i = 0; i < b.span_count; ++i) s += layout.spans[b.first_span + i];
  return s;
}

TextPosition text_position_at(const TextLayout& layout, const TextFonts& fonts, ImVec2 p) {
  if (layout.blocks.empty()) return {};
  if (p.y < layout.blocks.front().top) return {0, 0};
  // The block: the last one whose first line starts above p; below its last line
  // (in the gap after it), its end.
  size_t bi = 0;
  for (size_t i = 0; i < layout.blocks.size(); ++i)
    if (layout.blocks[i].top <= p.y) bi = i;
  const TextBlock& b = layout.blocks[bi];
  if (p.y >= block_bottom(b, fonts)) return {uint32_t(bi), block_size(layout, b)};
  const uint32_t line = std::min(b.lines - 1, uint32_t(std::max(0.0f, (p.y - b.top) / fonts.line())));
  const float line_y = b.top + float(line) * fonts.line();
  size_t first = 0, last = 0;  // the line's runs: [first, last)
  for (size_t r = b.first_run; r < b.first_run + b.run_count; ++r) {
    if (layout.runs[r].y != line_y) continue;
    if (first == last) first = r;
    last = r + 1;
  }
  if (first == last) {
    // A line with no run (an empty one between hard breaks): after the break that
    // ends the line above.
    uint32_t before = 0;
    for (size_t r = b.first_run; r < b.first_run + b.run_count; ++r)
      if (layout.runs[r].y < line_y) before = std::max(before, layout.runs[r].offset + run_size(layout.runs[r]));
    const std::string text = block_text(layout, bi);
    const size_t nl = text.find('\n', before);
    return {uint32_t(bi), uint32_t(nl == std::string::npos ? text.size() : nl + 1)};
  }
  // Beyond the line's ends: its logical start or end, by the paragraph's direction
  // (the start is on the right of a right-to-left line).
  uint32_t line_begin = UINT32_MAX, line_end = 0;
  for (size_t r = first; r < last; ++r) {
    line_begin = std::min(line_begin, layout.runs[r].offset);
    line_end = std::max(line_end, layout.runs[r].offset + run_size(layout.runs[r]));
  }
  const TextRun& leftmost = layout.runs[first];
  const TextRun& rightmost = layout.runs[last - 1];
  if (p.x <= leftmost.x) return {uint32_t(bi), b.rtl ? line_end : line_begin};
  if (p.x >= rightmost.x + rightmost.width) return {uint32_t(bi), b.rtl ? line_begin : line_end};
  // Inside: the caret stop nearest in x, whatever its run's direction; on a tie
  // (two runs meeting), the run under the point.
  uint32_t best = line_begin;
  float best_d = 1e30f;
  for (size_t r = first; r < last; ++r) {
    const TextRun& run = layout.runs[r];
    const bool under = p.x >= run.x && p.x < run.x + run.width;
    for (const CaretStop& s : stops_of(layout, fonts, r)) {
      const float d = std::fabs(run.x + s.x - p.x);
      if (d < best_d || (d == best_d && under)) {
        best_d = d;
        best = run.offset + s.byte;
      }
    }
  }
  return {uint32_t(bi), best};
}

ImVec2 text_caret(const TextLayout& layout, const TextFonts& fonts, TextPosition pos) {
  if (pos.block >= layout.blocks.size()) return ImVec2(0, 0);
  const TextBlock& b = layout.blocks[pos.block];
  // The run holding the position (before its last byte if one does, else at its end).
  size_t at_end = SIZE_MAX, before = SIZE_MAX;
  for (size_t r = b.first_run; r < b.first_run + b.run_count; ++r) {
    const TextRun& run = layout.runs[r];
    if (pos.offset >= run.offset && pos.offset < run.offset + run_size(run))
      return ImVec2(run.x + x_in_run(layout, fonts, r, pos.offset - run.offset), run.y);
    if (pos.offset == run.offset + run_size(run)) at_end = r;
    if (run.offset + run_size(run) <= pos.offset &&
        (before == SIZE_MAX || run.offset > layout.runs[before].offset))
      before = r;
  }
  if (at_end != SIZE_MAX) {
    const TextRun& run = layout.runs[at_end];
    return ImVec2(run.rtl ? run.x : run.x + run.width, run.y);
  }
  // In text no run shows (spaces at a line's end, hard breaks): after the run before
  // it, or at the start of a line below when breaks come in between.
  const std::string text = block_text(layout, pos.block);
  const uint32_t from = before == SIZE_MAX ? 0 : layout.runs[before].offset + run_size(layout.runs[before]);
  const auto breaks = std::count(text.begin() + std::min<size_t>(from, text.size()),
                                 text.begin() + std::min<size_t>(pos.offset, text.size()), '\n');
  const float line_start = b.rtl ? b.left + b.width : b.left;
  if (before == SIZE_MAX) return ImVec2(line_start, b.top + float(breaks) * fonts.line());
  const TextRun& run = layout.runs[before];
  if (breaks > 0) return ImVec2(line_start, run.y + float(breaks) * fonts.line());
  return ImVec2(run.rtl ? run.x : run.x + run.width, run.y);
}

std::vector<ImVec4> text_selection_rects(const TextLayout& layout, const TextFonts& fonts, TextPosition from,
                                         TextPosition to) {
  if (to < from) std::swap(from, to);
  std::vector<ImVec4> out;
  for (uint32_t bi = from.block; bi <= to.block && bi < layout.blocks.size(); ++bi) {
    const TextBlock& b = layout.blocks[bi];
    const uint32_t lo = bi == from.block ? from.offset : 0;
    const uint32_t hi = bi == to.block ? to.offset : UINT32_MAX;
    for (size_t r = b.first_run; r < b.first_run + b.run_count; ++r) {
      const TextRun& run = layout.runs[r];
      const uint32_t a = std::max(lo, run.offset), e = std::min<uint64_t>(hi, run.offset + run_size(run));
      if (a >= e) continue;
      const float x0 = x_in_run(layout, fonts, r, a - run.offset), x1 = x_in_run(layout, fonts, r, e - run.offset);
      out.push_back(ImVec4(run.x + std::min(x0, x1), run.y, run.x + std::max(x0, x1), run.y + fonts.line()));
    }
  }
  return out;
}

std::string text_between(const TextLayout& layout, TextPosition from, TextPosition to) {
  if (to < from) std::swap(from, to);
  std::string out;
  for (uint32_t bi = from.block; bi <= to.block && bi < layout.blocks.size(); ++bi) {
    const std::string text = block_text(layout, bi);
    const size_t a = bi == from.block ? std::min<size_t>(from.offset, text.size()) : 0;
    const size_t e = bi == to.block ? std::min<size_t>(to.offset, text.size()) : text.size();
    if (bi > from.block) out += "\n\n";
    if (a < e) out.append(text, a, e - a);
  }
  return out;
}

float text_width(const TextFonts& fonts, uint8_t style, float css_size, std::string_view text) {
  return fonts.shaper && !text.empty() ? fonts.shaper->measure(text, style, css_size) : 0.0f;
}

void draw_text(ImDrawList* dl, const TextFonts& fonts, uint8_t style, float css_size, ImVec2 top_left, ImU32 colour,
               std::string_view text) {
  if (fonts.shaper && !text.empty())
    fonts.shaper->draw(dl, text, style, css_size, css_size * 1.2f, top_left, colour, -1);
}

void draw_text_layout(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const TextLayout& layout,
                      ImVec2 origin, int hovered_run) {
  const float baseline_pad = (fonts.line() - fonts.size * 1.2f) * 0.5f;
  for (const TextDecoration& d : layout.decorations) {
    const ImVec2 a(origin.x + d.min.x, origin.y + d.min.y), b(origin.x + d.max.x, origin.y + d.max.y);
    switch (d.kind) {
      case TextDecoration::QuoteBar: dl->AddRectFilled(a, b, theme.quote_bar, 1.5f); break;
      case TextDecoration::CodeBackground: dl->AddRectFilled(a, b, theme.code_background, 4.0f); break;
      case TextDecoration::ListMarker: {
        // As the DOM's outside ::marker ("3. " in its item's direction): a space from
        // the text, and "3." reading ".3" in a right-to-left item.
        if (!fonts.shaper) break;
        const float gap = text_width(fonts, fonts.regular, fonts.size, " ");
        const float x = d.rtl ? a.x + gap : b.x - gap - text_width(fonts, fonts.regular, fonts.size, d.marker);
        fonts.shaper->draw(dl, d.marker, fonts.regular, fonts.size, fonts.line(), ImVec2(x, a.y), theme.muted,
                           d.rtl ? 1 : 0);
        break;
      }
    }
  }
  if (!fonts.shaper) return;
  for (size_t i = 0; i < layout.runs.size(); ++i) {
    const TextRun& r = layout.runs[i];
    const ImVec2 p(origin.x + r.x, origin.y + r.y);
    ImU32 colour = theme.text;
    if (r.style & kStyleCode)
      dl->AddRectFilled(ImVec2(p.x - 1, p.y + baseline_pad - 1),
                        ImVec2(p.x + r.width + 1, p.y + baseline_pad + fonts.size * 1.3f), theme.code_background,
                        3.0f);
    if (r.link >= 0) {
      colour = theme.accent;
      const float underline_y = p.y + baseline_pad + fonts.size * 1.2f;
      dl->AddLine(ImVec2(p.x, underline_y), ImVec2(p.x + r.width, underline_y),
                  static_cast<int>(i) == hovered_run ? colour : (colour & 0x00ffffff) | 0x60000000);
    }
    fonts.shaper->draw(dl, std::string_view(r.begin, run_size(r)), r.style, fonts.size, fonts.line(), p, colour,
                       r.rtl ? 1 : 0);
  }
}

}  // namespace causerie
