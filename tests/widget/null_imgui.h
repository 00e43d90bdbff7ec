#pragma once
// Dear ImGui with no renderer, for the widget's native tests: a context (ImGui's
// own default font, which the widget's text never uses), the fixed-advance shaper
// in place of the browser (fixed_shaper.h), and render(), which acknowledges the
// dynamic atlas's texture requests as a renderer would, without a GPU. NullImGui leaves the frames to the test (NewFrame ...
// Render, then render()); NullImGuiWindow keeps one frame and one window open for
// the test to draw into.
#include <imgui.h>

#include "fixed_shaper.h"
#include "widget/text_layout.h"

namespace causerie::test {

class NullImGui {
public:
  NullImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.BackendFlags |= ImGuiBackendFlags_RendererHasTextures | ImGuiBackendFlags_HasMouseCursors;
    io.DisplaySize = ImVec2(800, 600);
    fonts.shaper = &shaper;
    fonts.size = 16.0f;
    fonts.line_height = 1.5f;
  }
  ~NullImGui() {
    for (ImTextureData* t : ImGui::GetPlatformIO().Textures) {
      t->SetTexID(ImTextureID_Invalid);
      t->SetStatus(ImTextureStatus_Destroyed);
    }
    ImGui::DestroyContext();
  }
  NullImGui(const NullImGui&) = delete;
  NullImGui& operator=(const NullImGui&) = delete;

  // What a renderer does after ImGui::Render(): honour the atlas's requests.
  static void render() {
    for (ImTextureData* t : ImGui::GetPlatformIO().Textures) {
      if (t->Status == ImTextureStatus_WantCreate || t->Status == ImTextureStatus_WantUpdates) {
        t->SetTexID(ImTextureID(1));
        t->SetStatus(ImTextureStatus_OK);
      } else if (t->Status == ImTextureStatus_WantDestroy) {
        t->SetTexID(ImTextureID_Invalid);
        t->SetStatus(ImTextureStatus_Destroyed);
      }
    }
  }

  FixedShaper shaper;
  TextFonts fonts;
};

class NullImGuiWindow : public NullImGui {
public:
  NullImGuiWindow() { begin_frame(); }
  ~NullImGuiWindow() { end_frame(); }

  // Ends the frame being drawn and starts the next one (input given in between
  // through ImGui::GetIO() is seen by the next frame).
  void next_frame() {
    end_frame();
    begin_frame();
  }
  ImDrawList* draw_list() const { return ImGui::GetWindowDrawList(); }

private:
  static void begin_frame() {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("##test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
  }
  static void end_frame() {
    ImGui::End();
    ImGui::Render();
    render();
  }
};

}  // namespace causerie::test
