#pragma once
// Colours and shapes the views draw with. Built-in light for now; themes (CSS
// custom properties, dark, contrast) fill this from the page.
#include <imgui.h>

namespace causerie {

struct Theme {
  ImU32 text = IM_COL32(0x1d, 0x1d, 0x1f, 0xff);
  ImU32 muted = IM_COL32(0x5f, 0x63, 0x68, 0xff);     // 6.1:1 on white
  ImU32 accent = IM_COL32(0x1a, 0x5f, 0xb4, 0xff);    // links, Reply: 6.0:1 on white
  ImU32 accent_hover = IM_COL32(0x14, 0x4b, 0x8f, 0xff);
  ImU32 border = IM_COL32(0xdd, 0xdd, 0xdd, 0xff);
  ImU32 field_background = IM_COL32(0xff, 0xff, 0xff, 0xff);
  ImU32 field_border = IM_COL32(0x8a, 0x8a, 0x8a, 0xff);        // 3.4:1, non-text contrast
  ImU32 code_background = IM_COL32(0x00, 0x00, 0x00, 0x0f);
  ImU32 quote_bar = IM_COL32(0xc8, 0xc8, 0xc8, 0xff);
  ImU32 selection = IM_COL32(0x1a, 0x5f, 0xb4, 0x40);
  ImU32 highlight = IM_COL32(0xff, 0xe8, 0x8c, 0x70);
  ImU32 skeleton = IM_COL32(0x00, 0x00, 0x00, 0x12);
  ImU32 thread_line = IM_COL32(0x00, 0x00, 0x00, 0x1c);
  float radius = 6.0f;
};

}  // namespace causerie
