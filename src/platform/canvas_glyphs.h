#pragma once
// Glyphs the bundled subset fonts lack (emoji, CJK, Arabic, Hebrew...) drawn by the
// browser's own fonts through Canvas 2D and put into Dear ImGui's dynamic atlas, as
// egui's web backend does (../shared/design/canvas-in-a-page.md, addendum). The
// bundled faces stay small; nothing large is downloaded for other scripts.
#include <imgui.h>

struct ImFontLoader;

namespace causerie {

// A font loader for a merged source added last to each face: it is asked only for
// code points the faces before it do not have.
const ImFontLoader* canvas_glyph_loader();

// ImGui font size per CSS pixel (the faces' em scale), so the browser draws the
// fallback glyphs at the same CSS size as the text around them.
void set_canvas_glyph_em_scale(float em_scale);

}  // namespace causerie
