#pragma once
// Dear ImGui with no renderer, for the widget's tests: a context with the faces the
// widget ships (Noto Sans, whole), one window open for the test to draw into, and at
// the end the frame rendered into draw lists that nothing uploads (the atlas's
// textures are acknowledged as a renderer would, without a GPU).
#include <imgui.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "widget/text_layout.h"

namespace causerie::test {

class NullImGui {
 public:
  NullImGui() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.BackendFlags |= ImGuiBackendFlags_RendererHasTextures;
    fonts.regular = add_font("NotoSans-Regular.ttf");
    fonts.bold = add_font("NotoSans-Bold.ttf");
    fonts.italic = add_font("NotoSans-Italic.ttf");
    fonts.em_scale = em_scale_of_font(files_.front().data(), int(files_.front().size()));
    fonts.size = 16.0f;
    fonts.line_height = 1.5f;
    begin_frame();
  }
  ~NullImGui() {
    end_frame();
    ImGui::DestroyContext();
  }
  NullImGui(const NullImGui&) = delete;
  NullImGui& operator=(const NullImGui&) = delete;

  // Ends the frame being drawn and starts the next one (input given in between
  // through ImGui::GetIO() is seen by the next frame).
  void next_frame() {
    end_frame();
    begin_frame();
  }
  ImDrawList* draw_list() const { return ImGui::GetWindowDrawList(); }

  TextFonts fonts;

 private:
  ImFont* add_font(const std::string& name) {
    std::ifstream in(std::string(CAUSERIE_TEST_FONT_DIR) + "/" + name, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + name + " in " CAUSERIE_TEST_FONT_DIR);
    files_.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false;   // files_ keeps the bytes
    return ImGui::GetIO().Fonts->AddFontFromMemoryTTF(files_.back().data(), int(files_.back().size()), 16.0f, &config);
  }
  void begin_frame() {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("##test", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
  }
  void end_frame() {
    ImGui::End();
    ImGui::Render();
    for (ImTextureData* tex : ImGui::GetPlatformIO().Textures) {
      if (tex->Status == ImTextureStatus_WantCreate) tex->SetTexID(ImTextureID(1));
      if (tex->Status == ImTextureStatus_WantDestroy) {
        tex->SetTexID(ImTextureID_Invalid);
        tex->SetStatus(ImTextureStatus_Destroyed);
      } else if (tex->Status != ImTextureStatus_OK) {
        tex->SetStatus(ImTextureStatus_OK);
      }
    }
  }

  std::vector<std::vector<char>> files_;
};

}  // namespace causerie::test
