#pragma once
// The browser as the widget's TextShaper (widget/text_shaper.h), over the host calls
// of platform/host.h (web/loader/text.js on the page's side): paragraphs laid out by
// the DOM, strings measured and drawn by Canvas 2D in the page's own fonts, caret
// stops at grapheme-cluster boundaries. Drawn text is kept as pictures in a texture
// atlas, one picture per (text, style, size, line, colour, direction, pixel ratio),
// drawn by ImGui as an image quad (white vertex colour: the colour is in the picture).
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "widget/text_shaper.h"

namespace causerie {

class Renderer;

class BrowserText final : public TextShaper {
public:
  // Pages of the atlas are textures the renderer makes, fills and binds.
  explicit BrowserText(Renderer& renderer) : renderer_(renderer) {}

  ShapedParagraph layout(const std::vector<ShaperSpan>& spans, float width, float size, float line,
                         bool pre) override;
  float measure(std::string_view text, uint8_t style, float size) override;
  void draw(ImDrawList* dl, std::string_view text, uint8_t style, float size, float line, ImVec2 top_left,
            ImU32 colour, int direction) override;
  std::vector<CaretStop> caret_stops(std::string_view text, uint8_t style, float size, bool rtl) override;

  // The page's fonts changed: every measure and picture is dropped.
  void clear();
  // Frees the atlas's textures (the GL context is going).
  void shutdown();

  // Figures for the tests and benchmarks.
  size_t atlas_bytes() const;
  size_t pictures() const { return pictures_.size(); }

private:
  // Atlas pages are 2048 x 1024 device pixels (a line of text at a pixel ratio of 2
  // to 3 fits across), at most kMaxPages of them (32 MB of texture, none of it on the
  // wasm heap: pictures go to the GPU and their pixels are freed); the page drawn
  // least recently is emptied when no room is left. A picture wider or taller than a
  // page gets a page of its own, cut at kMaxSide.
  static constexpr int kPageWidth = 2048, kPageHeight = 1024, kMaxSide = 4096;
  static constexpr size_t kMaxPages = 4;

  struct Shelf {
    int y = 0, height = 0, x = 0;
  };
  struct Page {
    ImTextureID texture = ImTextureID_Invalid;
    int width = 0, height = 0;
    std::vector<Shelf> shelves;
    int next_y = 0;
    int last_drawn = -1;  // ImGui frame
  };
  struct Picture {
    int page = -1;  // -1: nothing to draw (spaces)
    int x = 0, y = 0, width = 0, height = 0;
    float left = 0, top = 0;  // device px from the pen's left and the line box's top
  };

  const Picture& picture(std::string_view text, uint8_t style, float size, float line, ImU32 colour, int direction,
                         float scale);
  // Room for w x h device pixels: a page and a place, or false when none could be made.
  bool place(int w, int h, int& page, int& x, int& y);
  void empty_page(int page);

  Renderer& renderer_;
  std::vector<Page> pages_;
  std::unordered_map<std::string, Picture> pictures_;  // by key (see picture())
  std::unordered_map<std::string, float> widths_;      // measures, by style, size and text
};

}  // namespace causerie
