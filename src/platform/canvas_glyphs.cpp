#include "platform/canvas_glyphs.h"

#include <imgui_internal.h>

#include <cstdlib>

#include "platform/host.h"

namespace causerie {

namespace {

float g_em_scale = 1.0f;

bool load_glyph(ImFontAtlas* atlas, ImFontConfig* src, ImFontBaked* baked, void*, ImWchar codepoint,
                ImFontGlyph* out_glyph, float* out_advance_x) {
  if (codepoint < 0x80) return false;  // ASCII is always in the bundled faces
  const float density = src->RasterizerDensity * baked->RasterizerDensity;
  const float css_px = baked->Size / g_em_scale;
  float m[6] = {};
  unsigned char* pixels = host_rasterize_glyph(int(codepoint), css_px * density, m);
  if (!pixels && m[0] <= 0) return false;
  const float advance = m[0] / density * g_em_scale;
  if (out_advance_x) {  // metrics only
    std::free(pixels);
    *out_advance_x = advance;
    return true;
  }
  out_glyph->Codepoint = codepoint;
  out_glyph->AdvanceX = advance;
  const int w = int(m[3]), h = int(m[4]);
  if (pixels && w > 0 && h > 0) {
    const ImFontAtlasRectId pack_id = ImFontAtlasPackAddRect(atlas, w, h);
    if (pack_id == ImFontAtlasRectId_Invalid) {
      std::free(pixels);
      return false;
    }
    ImTextureRect* r = ImFontAtlasPackGetRect(atlas, pack_id);
    // Canvas text is sized by the em like CSS; scale its box back into ImGui units.
    const float to_layout = g_em_scale / density;
    const float x0 = m[1] * to_layout;
    const float y0 = IM_ROUND(baked->Ascent) + m[2] * to_layout;
    out_glyph->X0 = x0;
    out_glyph->Y0 = y0;
    out_glyph->X1 = x0 + w / density;
    out_glyph->Y1 = y0 + h / density;
    out_glyph->Visible = true;
    out_glyph->Colored = m[5] != 0;
    out_glyph->PackId = pack_id;
    ImFontAtlasBakedSetFontGlyphBitmap(atlas, baked, src, out_glyph, r, pixels, ImTextureFormat_RGBA32, w * 4);
  }
  std::free(pixels);
  return true;
}

}  // namespace

const ImFontLoader* canvas_glyph_loader() {
  static ImFontLoader loader = [] {
    ImFontLoader l;
    l.Name = "causerie_canvas_glyphs";
    l.FontBakedLoadGlyph = load_glyph;
    return l;
  }();
  return &loader;
}

void set_canvas_glyph_em_scale(float em_scale) { g_em_scale = em_scale > 0 ? em_scale : 1.0f; }

}  // namespace causerie
