#include "platform/font_faces.h"

#include <imgui.h>

#include "platform/canvas_glyphs.h"

namespace causerie {

bool FontFaces::add(int face, std::vector<unsigned char> file) {
  if (face < 0 || face >= kFiles || file.empty()) return false;
  files_[face] = std::move(file);
  if (face == kRegular) {
    em_scale_ = em_scale_of_font(files_[0].data(), int(files_[0].size()));
    set_canvas_glyph_em_scale(em_scale_);
  }
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (ImFont*& f : faces_)
    if (f) {
      atlas->RemoveFont(f);
      f = nullptr;
    }
  for (int f = 0; f < 3; ++f) {
    std::vector<unsigned char>& base = files_[f];
    if (base.empty()) continue;
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the atlas copies it
    faces_[f] = atlas->AddFontFromMemoryTTF(base.data(), int(base.size()), 16.0f, &cfg);
    std::vector<unsigned char>& extra = files_[f + kExtendedRegular];
    if (!extra.empty() && faces_[f]) {
      ImFontConfig merge;
      merge.MergeMode = true;
      merge.FontDataOwnedByAtlas = false;
      atlas->AddFontFromMemoryTTF(extra.data(), int(extra.size()), 16.0f, &merge);
    }
    if (faces_[f]) {  // last: what no bundled face has, the browser draws
      ImFontConfig browser;
      browser.MergeMode = true;
      browser.SizePixels = 16.0f;
      browser.FontLoader = canvas_glyph_loader();
      atlas->AddFont(&browser);
    }
  }
  return true;
}

TextFonts FontFaces::fonts() const {
  TextFonts fonts;
  fonts.regular = faces_[0];
  fonts.bold = faces_[1] ? faces_[1] : faces_[0];
  fonts.italic = faces_[2] ? faces_[2] : faces_[0];
  fonts.em_scale = em_scale_;
  return fonts;
}

}  // namespace causerie
