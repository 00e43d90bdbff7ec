#pragma once
// Colours and shapes the views draw with: the built-in light theme by default,
// filled from a core ThemeSpec (CSS custom properties, theme file, dark, contrast).
#include <imgui.h>

#include "core/theme.h"

namespace causerie {

struct Theme {
  ImU32 text = IM_COL32(0x1d, 0x1d, 0x1f, 0xff);
  ImU32 muted = IM_COL32(0x5f, 0x63, 0x68, 0xff);   // 6.1:1 on white
  ImU32 accent = IM_COL32(0x1a, 0x5f, 0xb4, 0xff);  // links, Reply: 6.0:1 on white
  ImU32 accent_hover = IM_COL32(0x14, 0x4b, 0x8f, 0xff);
  ImU32 border = IM_COL32(0xdd, 0xdd, 0xdd, 0xff);
  ImU32 field_background = IM_COL32(0xff, 0xff, 0xff, 0xff);
  ImU32 field_border = IM_COL32(0x8a, 0x8a, 0x8a, 0xff);  // 3.4:1, non-text contrast
  ImU32 code_background = IM_COL32(0x00, 0x00, 0x00, 0x0f);
  ImU32 quote_bar = IM_COL32(0xc8, 0xc8, 0xc8, 0xff);
  ImU32 selection = IM_COL32(0x1a, 0x5f, 0xb4, 0x40);
  ImU32 highlight = IM_COL32(0xff, 0xe8, 0x8c, 0x70);
  ImU32 skeleton = IM_COL32(0x00, 0x00, 0x00, 0x12);
  ImU32 thread_line = IM_COL32(0x00, 0x00, 0x00, 0x1c);
  ImU32 on_accent = IM_COL32_WHITE;
  ImU32 background = IM_COL32(0xff, 0xff, 0xff, 0xff);
  bool paint_background = false;  // transparent canvas: the page shows through
  float radius = 6.0f;
  AvatarShape avatar = AvatarShape::circle;
  // Cards (core/theme.h): off by default, as a page's own look has none.
  bool paint_card = false;
  ImU32 card = IM_COL32_WHITE;
  float card_border = 1.0f;
  ImVec2 shadow_offset;
  float shadow_blur = 0, shadow_spread = 0;
  ImU32 shadow = 0;  // 0: none
};

inline ImU32 to_imu32(Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }

inline Theme theme_from_spec(const ThemeSpec& s) {
  Theme t;
  t.text = to_imu32(s.text);
  t.muted = to_imu32(s.muted);
  t.accent = to_imu32(s.accent);
  t.accent_hover = to_imu32(s.accent_hover);
  t.border = to_imu32(s.border);
  t.field_background = to_imu32(s.field_background);
  t.field_border = to_imu32(s.field_border);
  t.code_background = to_imu32(s.code_background);
  t.quote_bar = to_imu32(s.quote_bar);
  t.selection = to_imu32(s.selection);
  t.highlight = to_imu32(s.highlight);
  t.skeleton = to_imu32(s.skeleton);
  t.thread_line = to_imu32(s.thread_line);
  t.on_accent = to_imu32(s.on_accent);
  t.background = to_imu32(s.background);
  t.paint_background = s.paint_background;
  t.radius = s.radius;
  t.avatar = s.avatar;
  t.paint_card = s.paint_card;
  t.card = to_imu32(s.card);
  t.card_border = s.card_border;
  if (s.shadow) {
    t.shadow_offset = ImVec2(s.shadow->x, s.shadow->y);
    t.shadow_blur = s.shadow->blur;
    t.shadow_spread = s.shadow->spread;
    t.shadow = to_imu32(s.shadow->colour.value_or(s.text));  // CSS: currentColor
  }
  return t;
}

}  // namespace causerie
