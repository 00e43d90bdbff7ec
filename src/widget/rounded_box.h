#pragma once
// Rounded boxes with a soft shadow (the comment cards), drawn by the renderer's
// signed-distance shader (shaders/box.frag) rather than as ImGui's tessellated
// shapes: the corners are anti-aliased analytically at any device pixel ratio and
// the shadow is a gaussian blur, as CSS's border-radius and box-shadow are.
//
// add_rounded_box() puts the box into the draw list as an ImGui draw callback
// carrying its description, in drawing order with the rest of the list; the
// renderer recognises rounded_box_callback and draws the box itself. Platform-free:
// natively (tests) the callback is simply never called.
#include <imgui.h>

namespace causerie {

struct RoundedBox {
  ImVec2 min, max;  // CSS px, canvas coordinates
  float radius = 0;
  float border = 0;  // width in CSS px, drawn inside the box
  ImU32 fill = 0, stroke = 0;
  ImVec2 shadow_offset;  // CSS box-shadow: offsets, blur radius, spread
  float shadow_blur = 0, shadow_spread = 0;
  ImU32 shadow = 0;  // colour; 0 alpha: no shadow
};

// The marker the renderer looks for; does nothing when called.
void rounded_box_callback(const ImDrawList* list, const ImDrawCmd* cmd);
void add_rounded_box(ImDrawList* dl, const RoundedBox& box);

}  // namespace causerie
