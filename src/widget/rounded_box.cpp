#include "widget/rounded_box.h"

namespace causerie {

void rounded_box_callback(const ImDrawList*, const ImDrawCmd*) {}

void add_rounded_box(ImDrawList* dl, const RoundedBox& box) {
  // Copied into the list's callback storage (ImGui 1.92): the box outlives this call.
  dl->AddCallback(&rounded_box_callback, const_cast<RoundedBox*>(&box), sizeof box);
}

}  // namespace causerie
