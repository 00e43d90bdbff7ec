// Stands in for imgui_tables.cpp in the wasm (cmake/dependencies.cmake). The widget
// never begins an ImGui table or legacy column set, so ImGui never has one to end,
// compact or save; but imgui.cpp's error recovery, garbage collection and settings
// name these functions, and linking them would keep all of imgui_tables.cpp.
#include <imgui.h>
#include <imgui_internal.h>

namespace ImGui {

void EndTable() { IM_ASSERT(false && "the widget uses no tables"); }
void EndColumns() { IM_ASSERT(false && "the widget uses no columns"); }
void TablePushColumnChannel(int) {}
void TablePopColumnChannel() {}
void TableGcCompactTransientBuffers(ImGuiTable*) {}
void TableGcCompactTransientBuffers(ImGuiTableTempData*) {}
void TableGcCompactSettings() {}
void TableSettingsAddSettingsHandler() {}  // no .ini file: nothing to load or save

}  // namespace ImGui
