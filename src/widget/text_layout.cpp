#include "widget/text_layout.h"

#include <algorithm>

#include "core/utf8.h"
#include "widget/theme.h"

namespace causerie {

namespace {

constexpr float kQuoteIndent = 16.0f;
constexpr float kListIndent = 24.0f;
constexpr float kCodePadding = 8.0f;

// Builds runs line by line for one leaf block.
class LineBuilder {
public:
  LineBuilder(TextLayout& out, const TextFonts& fonts, float left, float right, float top)
      : out_(out), fonts_(fonts), left_(left), right_(right), x_(left), y_(top) {}

  void set_link(int16_t link) { link_ = link; }
  void set_block(uint16_t block) { block_ = block; }

  // Adds text in one style, wrapping at spaces; a word longer than a line is cut
  // between characters; '\n' is an explicit line break.
  void add(const char* begin, const char* end, uint8_t style) {
    ImFont* font = fonts_.face(style);
    const char* p = begin;
    while (p < end) {
      if (*p == '\n') {
        new_line();
        after_break_ = true;
        ++p;
        continue;
      }
      const char* word_end = p;
      while (word_end < end && *word_end != ' ' && *word_end != '\n') ++word_end;
      const char* token_end = word_end;
      while (token_end < end && *token_end == ' ') ++token_end;
      const float word_w = measure(font, p, word_end);
      if (x_ + word_w > right_ && x_ > left_) new_line();
      if (word_w > right_ - left_) {
        add_cut_word(font, p, word_end, style);
        p = word_end;
        if (token_end > word_end) emit(font, word_end, token_end, style);
      } else {
        emit(font, p, token_end, style);
      }
      p = token_end;
    }
  }

  void new_line() {
    x_ = left_;
    y_ += fonts_.line();
    run_open_ = false;
  }

  float bottom() const { return y_ + fonts_.line(); }

private:
  float measure(ImFont* font, const char* b, const char* e) const {
    return b == e ? 0.0f : font->CalcTextSizeA(fonts_.px(fonts_.size), FLT_MAX, 0.0f, b, e).x;
  }

  void add_cut_word(ImFont* font, const char* b, const char* e, uint8_t style) {
    std::string_view s(b, e - b);
    size_t i = 0;
    while (i < s.size()) {
      size_t j = i;
      float w = 0;
      while (j < s.size()) {
        size_t k = j;
        utf8_next(s, k);
        const float cw = measure(font, b + j, b + k);
        if (x_ + w + cw > right_ && (x_ > left_ || w > 0)) break;
        w += cw;
        j = k;
      }
      if (j == i) {  // nothing fits on this line: start a fresh one
        new_line();
        continue;
      }
      emit(font, b + i, b + j, style);
      i = j;
      if (i < s.size()) new_line();
    }
  }

  // Appends text at the pen, extending the previous run when it continues it.
  void emit(ImFont* font, const char* b, const char* e, uint8_t style) {
    const float w = measure(font, b, e);
    if (run_open_) {
      TextRun& last = out_.runs.back();
      if (last.end == b && last.style == style && last.link == link_) {
        last.end = e;
        last.width += w;
        x_ += w;
        return;
      }
    }
    out_.runs.push_back({x_, y_, w, b, e, style, link_, block_, after_break_});
    after_break_ = false;
    run_open_ = true;
    x_ += w;
  }

  TextLayout& out_;
  const TextFonts& fonts_;
  float left_, right_, x_, y_;
  int16_t link_ = -1;
  uint16_t block_ = 0;
  bool run_open_ = false;
  bool after_break_ = false;
};

int16_t link_index(TextLayout& out, std::string_view href) {
  if (href.empty()) return -1;
  for (size_t i = 0; i < out.links.size(); ++i)
    if (out.links[i] == href) return int16_t(i);
  if (out.links.size() >= 32000) return -1;
  out.links.push_back(href);
  return int16_t(out.links.size() - 1);
}

}  // namespace

ImFont* TextFonts::face(uint8_t style) const {
  if ((style & kStyleStrong) && bold) return bold;
  if ((style & kStyleEmphasis) && italic) return italic;
  return regular;
}

float text_width(const TextFonts& fonts, ImFont* font, float css_size, std::string_view text) {
  return font->CalcTextSizeA(fonts.px(css_size), FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
}

void draw_text(ImDrawList* dl, const TextFonts& fonts, ImFont* font, float css_size, ImVec2 top_left, ImU32 colour,
               std::string_view text) {
  const float px = fonts.px(css_size);
  const ImVec2 pos(top_left.x, top_left.y + (css_size * 1.2f - px) * 0.5f);
  dl->AddText(font, px, pos, colour, text.data(), text.data() + text.size());
}

TextPosition text_position_at(const TextLayout& layout, const TextFonts& fonts, ImVec2 p) {
  const std::vector<TextRun>& runs = layout.runs;
  const float line = fonts.line();
  // The line: the last one whose top is above p (runs are in reading order).
  size_t first = 0;
  if (p.y < runs.front().y) return {0, runs.front().begin};
  for (size_t i = 0; i < runs.size(); ++i)
    if (runs[i].y <= p.y && (i == 0 || runs[i].y != runs[i - 1].y)) first = i;
  size_t last = first;
  while (last + 1 < runs.size() && runs[last + 1].y == runs[first].y) ++last;
  if (p.y >= runs[last].y + line && last + 1 == runs.size()) return {last, runs[last].end};
  if (p.x <= runs[first].x) return {first, runs[first].begin};
  size_t r = first;
  while (r < last && p.x >= runs[r + 1].x) ++r;
  const TextRun& run = runs[r];
  ImFont* font = fonts.face(run.style);
  const std::string_view s(run.begin, run.end - run.begin);
  float x = run.x;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    utf8_next(s, j);
    const float w = font->CalcTextSizeA(fonts.px(fonts.size), FLT_MAX, 0.0f, run.begin + i, run.begin + j).x;
    if (p.x < x + w * 0.5f) return {r, run.begin + i};
    x += w;
    i = j;
  }
  return {r, run.end};
}

float text_position_x(const TextLayout& layout, const TextFonts& fonts, TextPosition pos) {
  const TextRun& run = layout.runs[pos.run];
  return run.x + (pos.at == run.begin
                      ? 0.0f
                      : fonts.face(run.style)->CalcTextSizeA(fonts.px(fonts.size), FLT_MAX, 0.0f, run.begin, pos.at).x);
}

std::string text_between(const TextLayout& layout, TextPosition from, TextPosition to) {
  if (to < from) std::swap(from, to);
  std::string out;
  for (size_t r = from.run; r <= to.run && r < layout.runs.size(); ++r) {
    const TextRun& run = layout.runs[r];
    if (r > from.run) {
      const TextRun& prev = layout.runs[r - 1];
      if (run.block != prev.block) out += "\n\n";
      else if (run.after_break) out += '\n';
    }
    const char* b = r == from.run ? from.at : run.begin;
    const char* e = r == to.run ? to.at : run.end;
    out.append(b, e);
  }
  return out;
}

float em_scale_of_font(const void* data, int size) {
  const auto* p = static_cast<const unsigned char*>(data);
  auto u16 = [&](int at) { return at + 2 <= size ? (p[at] << 8) | p[at + 1] : 0; };
  auto u32 = [&](int at) { return at + 4 <= size ? (uint32_t(u16(at)) << 16) | uint32_t(u16(at + 2)) : 0u; };
  int head = -1, hhea = -1;
  const int tables = u16(4);
  for (int i = 0; i < tables; ++i) {
    const int rec = 12 + 16 * i;
    if (rec + 16 > size) break;
    const uint32_t tag = u32(rec);
    const int offset = int(u32(rec + 8));
    if (tag == 0x68656164u) head = offset;  // 'head'
    if (tag == 0x68686561u) hhea = offset;  // 'hhea'
  }
  if (head < 0 || hhea < 0) return 1.0f;
  const int units_per_em = u16(head + 18);
  const int ascender = int16_t(u16(hhea + 4));
  const int descender = int16_t(u16(hhea + 6));
  if (units_per_em <= 0 || ascender - descender <= 0) return 1.0f;
  return float(ascender - descender) / float(units_per_em);
}

TextLayout layout_text(const Document& doc, const TextFonts& fonts, float width) {
  TextLayout out;
  out.width = width;
  const float gap = fonts.size * 0.75f;
  float y = 0;
  bool first = true;
  uint16_t block_index = 0;
  for (const FlatBlock& leaf : flatten(doc)) {
    ++block_index;
    if (!first) y += gap;
    first = false;
    const float indent = leaf.quote_depth * kQuoteIndent + leaf.list_depth * kListIndent;
    const float left = std::min(indent, std::max(0.0f, width - 40.0f));
    const float top = y;
    float bottom = y;
    if (leaf.block->kind == BlockKind::CodeBlock) {
      LineBuilder lines(out, fonts, left + kCodePadding, width - kCodePadding, y + kCodePadding);
      lines.set_block(block_index);
      const std::string& code = leaf.block->code;
      const char* p = code.data();
      const char* end = p + code.size();
      while (p <= end) {
        const char* nl = std::find(p, end, '\n');
        lines.add(p, nl, kStyleCode);
        if (nl == end) break;
        lines.new_line();
        p = nl + 1;
      }
      bottom = lines.bottom() + kCodePadding;
      out.decorations.push_back({TextDecoration::CodeBackground, {left, top}, {width, bottom}, {}});
    } else {
      LineBuilder lines(out, fonts, left, width, y);
      lines.set_block(block_index);
      for (const Span& span : leaf.block->spans) {
        lines.set_link(link_index(out, span.href));
        lines.add(span.text.data(), span.text.data() + span.text.size(), span.style);
      }
      bottom = lines.bottom();
    }
    if (!leaf.marker.empty())
      out.decorations.push_back(
          {TextDecoration::ListMarker, {left - kListIndent, top}, {left, top + fonts.line()}, leaf.marker});
    // One bar per enclosing quote, continued across the gap from the block above.
    for (int q = 0; q < leaf.quote_depth; ++q) {
      const float bx = q * kQuoteIndent + 2.0f;
      bool extended = false;
      for (auto it = out.decorations.rbegin(); it != out.decorations.rend(); ++it) {
        if (it->kind == TextDecoration::QuoteBar && it->min.x == bx && it->max.y + gap >= top - 0.5f) {
          it->max.y = bottom;
          extended = true;
          break;
        }
      }
      if (!extended) out.decorations.push_back({TextDecoration::QuoteBar, {bx, top}, {bx + 3.0f, bottom}, {}});
    }
    y = bottom;
  }
  out.height = y;
  return out;
}

void draw_text_layout(ImDrawList* dl, const TextFonts& fonts, const Theme& theme, const TextLayout& layout,
                      ImVec2 origin, int hovered_run) {
  const float baseline_pad = (fonts.line() - fonts.size * 1.2f) * 0.5f;
  for (const TextDecoration& d : layout.decorations) {
    const ImVec2 a(origin.x + d.min.x, origin.y + d.min.y), b(origin.x + d.max.x, origin.y + d.max.y);
    switch (d.kind) {
      case TextDecoration::QuoteBar: dl->AddRectFilled(a, b, theme.quote_bar, 1.5f); break;
      case TextDecoration::CodeBackground: dl->AddRectFilled(a, b, theme.code_background, 4.0f); break;
      case TextDecoration::ListMarker:
        draw_text(dl, fonts, fonts.regular, fonts.size, ImVec2(a.x + 4, a.y + baseline_pad), theme.muted, d.marker);
        break;
    }
  }
  for (size_t i = 0; i < layout.runs.size(); ++i) {
    const TextRun& r = layout.runs[i];
    const ImVec2 p(origin.x + r.x, origin.y + r.y + baseline_pad);
    ImU32 colour = theme.text;
    if (r.style & kStyleCode)
      dl->AddRectFilled(ImVec2(p.x - 1, p.y - 1), ImVec2(p.x + r.width + 1, p.y + fonts.size * 1.3f),
                        theme.code_background, 3.0f);
    if (r.link >= 0) {
      colour = theme.accent;
      const float underline_y = p.y + fonts.size * 1.2f;
      dl->AddLine(ImVec2(p.x, underline_y), ImVec2(p.x + r.width, underline_y),
                  static_cast<int>(i) == hovered_run ? colour : (colour & 0x00ffffff) | 0x60000000);
    }
    draw_text(dl, fonts, fonts.face(r.style), fonts.size, p, colour, std::string_view(r.begin, r.end - r.begin));
  }
}

}  // namespace causerie
