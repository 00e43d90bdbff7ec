#include "platform/browser_text.h"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/utf8.h"
#include "platform/host.h"
#include "platform/renderer.h"

namespace causerie {

namespace {

// A JSON string the host malloc'ed, parsed and freed (discarded when null or bad).
nlohmann::json take_json(char* s) {
  if (!s) return nlohmann::json(nlohmann::json::value_t::discarded);
  nlohmann::json j = nlohmann::json::parse(s, nullptr, false);
  std::free(s);
  return j;
}

// Built without exceptions: a value of the wrong type is read as 0, never thrown.
double number(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return 0;
  auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : 0;
}

// Characters that may make a paragraph, or part of it, right to left: Hebrew,
// Arabic and the scripts between them, their presentation forms, the right-to-left
// scripts of the SMP, and every bidi control.
bool may_be_rtl(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const char32_t c = utf8_next(s, i);
    if ((c >= 0x0590 && c < 0x0900) || (c >= 0xFB1D && c < 0xFE00) || (c >= 0xFE70 && c < 0xFF00) ||
        (c >= 0x10800 && c < 0x11000) || (c >= 0x1E800 && c < 0x1F000) || (c >= 0x200E && c <= 0x200F) ||
        (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
      return true;
  }
  return false;
}

}  // namespace

ShapedParagraph BrowserText::layout(const std::vector<ShaperSpan>& spans, float width, float size, float line,
                                    bool pre) {
  // Most comments are short: a paragraph with no break, no right-to-left text and no
  // spaces the DOM would collapse, whose spans measured end to end fit the width, is
  // the one line the DOM would make, without a DOM layout. Not tried when its
  // letters and digits alone, at a fifth of an em each (narrower than any text
  // face's), would not fit: measuring it would be a host call for nothing.
  size_t alnum = 0;
  for (const ShaperSpan& s : spans)
    alnum += size_t(std::count_if(s.text.begin(), s.text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }));
  if (float(alnum) * 0.2f * size <= width) {
    ShapedParagraph one;
    float x = 0;
    bool simple = true;
    for (uint32_t i = 0; i < spans.size() && simple; ++i) {
      const std::string_view t = spans[i].text;
      simple = t.find('\n') == std::string_view::npos && t.find('\t') == std::string_view::npos &&
               t.find("  ") == std::string_view::npos && !may_be_rtl(t) &&
               !(i == 0 && !t.empty() && t.front() == ' ') && !(i + 1 == spans.size() && !t.empty() && t.back() == ' ');
      if (!simple || t.empty()) continue;
      // A span's spaces at its end are not in its run (as the DOM layout gives them),
      // but do advance the pen.
      const size_t ink = t.find_last_not_of(' ') + 1;  // 0 when only spaces
      const float w = measure(t, spans[i].style, size);
      if (ink > 0)
        one.runs.push_back(
            {0, i, 0, uint32_t(ink), x, ink == t.size() ? w : measure(t.substr(0, ink), spans[i].style, size), false});
      x += w;
      simple = x <= width - 0.5f;
    }
    for (uint32_t i = 1; i < spans.size() && simple; ++i)  // a space across spans collapses too
      simple = !(spans[i - 1].text.ends_with(' ') && spans[i].text.starts_with(' '));
    if (simple) return one;
  }
  nlohmann::json in = {{"width", width}, {"size", size}, {"line", line}, {"pre", pre ? 1 : 0}};
  nlohmann::json& list = in["spans"] = nlohmann::json::array();
  for (const ShaperSpan& s : spans) list.push_back({{"text", s.text}, {"style", s.style}});
  const std::string request = in.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const nlohmann::json out = take_json(host_layout_paragraph(request.c_str()));
  ShapedParagraph p;
  if (!out.is_object()) return p;
  p.rtl = number(out, "rtl") != 0;
  auto lines = out.find("lines");
  if (lines == out.end() || !lines->is_array()) return p;
  p.lines = std::max<uint32_t>(1, uint32_t(lines->size()));
  for (uint32_t l = 0; l < lines->size(); ++l) {
    const nlohmann::json& ln = (*lines)[l];
    auto runs = ln.is_object() ? ln.find("runs") : ln.end();
    if (!ln.is_object() || runs == ln.end() || !runs->is_array()) continue;
    for (const nlohmann::json& r : *runs)
      p.runs.push_back({l, uint32_t(number(r, "span")), uint32_t(number(r, "begin")), uint32_t(number(r, "end")),
                        float(number(r, "x")), float(number(r, "width")), number(r, "rtl") != 0});
  }
  return p;
}

float BrowserText::measure(std::string_view text, uint8_t style, float size) {
  if (text.empty()) return 0;
  // Short strings (names, dates, labels: measured every frame) are kept; paragraphs
  // are measured once per layout anyway.
  if (text.size() > 64) return host_measure_text(std::string(text).c_str(), style, size);
  std::string key(reinterpret_cast<const char*>(&size), sizeof size);
  key += char(style);
  key += text;
  if (auto it = widths_.find(key); it != widths_.end()) return it->second;
  if (widths_.size() >= 4096) widths_.clear();  // bounded
  const std::string s(text);
  const float w = host_measure_text(s.c_str(), style, size);
  widths_.emplace(std::move(key), w);
  return w;
}

std::vector<CaretStop> BrowserText::caret_stops(std::string_view text, uint8_t style, float size, bool rtl) {
  const std::string s(text);
  const nlohmann::json out = take_json(host_caret_stops(s.c_str(), style, size, rtl ? 1 : 0));
  std::vector<CaretStop> stops;
  if (!out.is_array()) return stops;
  for (const nlohmann::json& stop : out)
    if (stop.is_array() && stop.size() == 2 && stop[0].is_number() && stop[1].is_number())
      stops.push_back({uint32_t(std::clamp(stop[0].get<double>(), 0.0, double(text.size()))), stop[1].get<float>()});
  return stops;
}

void BrowserText::draw(ImDrawList* dl, std::string_view text, uint8_t style, float size, float line, ImVec2 top_left,
                       ImU32 colour, int direction) {
  if (text.empty() || (colour >> IM_COL32_A_SHIFT) == 0) return;
  const float scale = std::max(0.25f, ImGui::GetIO().DisplayFramebufferScale.x);
  const Picture& p = picture(text, style, size, line, colour, direction, scale);
  if (p.page < 0) return;
  Page& page = pages_[size_t(p.page)];
  page.last_drawn = ImGui::GetFrameCount();
  // On whole device pixels: the picture is sampled texel for pixel.
  const float x = (std::round(top_left.x * scale) + p.left) / scale;
  const float y = (std::round(top_left.y * scale) + p.top) / scale;
  const ImVec2 uv0(float(p.x) / float(page.width), float(p.y) / float(page.height));
  const ImVec2 uv1(float(p.x + p.width) / float(page.width), float(p.y + p.height) / float(page.height));
  dl->AddImage(page.texture, ImVec2(x, y), ImVec2(x + float(p.width) / scale, y + float(p.height) / scale), uv0, uv1,
               IM_COL32_WHITE);
}

const BrowserText::Picture& BrowserText::picture(std::string_view text, uint8_t style, float size, float line,
                                                 ImU32 colour, int direction, float scale) {
  std::string key;
  key.reserve(text.size() + 24);
  for (const float f : {size, line, scale}) key.append(reinterpret_cast<const char*>(&f), sizeof f);
  key.append(reinterpret_cast<const char*>(&colour), sizeof colour);
  key += char(style);
  key += char(direction + 1);
  key += text;
  if (auto it = pictures_.find(key); it != pictures_.end()) return it->second;

  // ImU32 is 0xAABBGGRR; the host takes 0xRRGGBBAA.
  const unsigned rgba = ((colour >> IM_COL32_R_SHIFT) & 0xff) << 24 | ((colour >> IM_COL32_G_SHIFT) & 0xff) << 16 |
                        ((colour >> IM_COL32_B_SHIFT) & 0xff) << 8 | ((colour >> IM_COL32_A_SHIFT) & 0xff);
  float m[4] = {};
  const std::string s(text);
  unsigned char* pixels = host_rasterize_text(s.c_str(), style, size, line, direction, rgba, scale, m);
  Picture p;
  const int w = int(m[0]), h = int(m[1]);
  if (pixels && w > 0 && h > 0) {
    // Cut to what one texture may hold (a single-line field's very long value).
    const int cw = std::min(w, kMaxSide), ch = std::min(h, kMaxSide);
    if (place(cw, ch, p.page, p.x, p.y)) {
      renderer_.upload_rect(pages_[size_t(p.page)].texture, p.x, p.y, cw, ch, pixels, w * 4);
      p.width = cw;
      p.height = ch;
      p.left = m[2];
      p.top = m[3];
    }
  }
  std::free(pixels);
  return pictures_.emplace(std::move(key), p).first->second;
}

bool BrowserText::place(int w, int h, int& page_index, int& x, int& y) {
  const int frame = ImGui::GetFrameCount();
  const auto fit = [&](size_t i) {
    Page& page = pages_[i];
    if (w > page.width || h > page.height) return false;
    // A shelf of about this height with room left, else a new shelf.
    for (Shelf& shelf : page.shelves) {
      if (h <= shelf.height && h * 5 >= shelf.height * 4 - 8 && shelf.x + w <= page.width) {
        x = shelf.x;
        y = shelf.y;
        shelf.x += w + 1;
        page_index = int(i);
        return true;
      }
    }
    if (page.next_y + h > page.height) return false;
    page.shelves.push_back({page.next_y, h, w + 1});
    x = 0;
    y = page.next_y;
    page.next_y += h + 1;
    page_index = int(i);
    return true;
  };
  for (size_t i = pages_.size(); i-- > 0;)  // the newest first: recent text stays together
    if (fit(i)) return true;
  if (pages_.size() >= kMaxPages) {
    // Empty the page drawn least recently, unless every page was drawn this frame
    // (then one more, over the budget, until an eviction takes one back).
    size_t lru = 0;
    for (size_t i = 1; i < pages_.size(); ++i)
      if (pages_[i].last_drawn < pages_[lru].last_drawn) lru = i;
    if (pages_[lru].last_drawn < frame) {
      empty_page(int(lru));
      const Page& old = pages_[lru];
      if (pages_.size() == kMaxPages && old.width == kPageWidth && old.height == kPageHeight && fit(lru))
        return true;  // its texture reused
      renderer_.destroy_texture(old.texture);
      pages_.erase(pages_.begin() + long(lru));
      for (auto& entry : pictures_)
        if (entry.second.page > int(lru)) --entry.second.page;
    }
  }
  Page page;
  page.width = std::max(kPageWidth, w);
  page.height = std::max(kPageHeight, h);
  page.texture = renderer_.create_text_page(page.width, page.height);
  if (page.texture == ImTextureID_Invalid) return false;
  page.last_drawn = frame;
  pages_.push_back(std::move(page));
  return fit(pages_.size() - 1);
}

void BrowserText::empty_page(int page) {
  Page& p = pages_[size_t(page)];
  p.shelves.clear();
  p.next_y = 0;
  std::erase_if(pictures_, [&](const auto& entry) { return entry.second.page == page; });
}

void BrowserText::clear() {
  for (Page& p : pages_) renderer_.destroy_texture(p.texture);
  pages_.clear();
  pictures_.clear();
  widths_.clear();
}

void BrowserText::shutdown() { clear(); }

size_t BrowserText::atlas_bytes() const {
  size_t bytes = 0;
  for (const Page& p : pages_) bytes += size_t(p.width) * size_t(p.height) * 4;
  return bytes;
}

}  // namespace causerie
