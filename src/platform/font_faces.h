#pragma once
// The widget's faces in ImGui's atlas, built from the font files the loader hands
// over: 0-2 Latin (regular, bold, italic), 3-5 Greek and Cyrillic, loaded only
// when a thread needs them and merged into the Latin faces. Every file is kept,
// since adding a script means building the faces again (ImGui merges a source only
// into the last font added); what no bundled face has, the browser draws
// (canvas_glyphs.h).
#include <vector>

#include "widget/text_layout.h"

namespace causerie {

// The files causerie_add_font takes: a style's extended file is its Latin one + 3
// (the loader's FontFile, generated from this enum).
enum FontFile : int { kRegular, kBold, kItalic, kExtendedRegular, kExtendedBold, kExtendedItalic, kFontFileCount };

class FontFaces {
public:
  static constexpr int kFiles = kFontFileCount;
  // Takes one file and builds the faces again; false when `face` is out of range
  // or the file is empty.
  bool add(int face, std::vector<unsigned char> file);
  // The faces for the text layout (bold and italic fall back to regular until
  // they arrive); regular is null until its file arrived.
  TextFonts fonts() const;

private:
  std::vector<unsigned char> files_[kFiles];
  ImFont* faces_[3] = {};
  float em_scale_ = 1.0f;  // ImGui size per CSS px (see em_scale_of_font)
};

}  // namespace causerie
