#pragma once
// Dear ImGui with no renderer, for native tests of the views: a context, the
// widget's font (Debian's Noto Sans, as the wasm build subsets it) in a dynamic
// atlas, and a backend that "creates" every texture ImGui asks for, so NewFrame ...
// Render runs as in the browser without a GPU.
#include <imgui.h>

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <vector>

#include "widget/text_layout.h"

#ifndef CAUSERIE_TEST_FONT
#define CAUSERIE_TEST_FONT "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
#endif

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
    std::ifstream in(CAUSERIE_TEST_FONT, std::ios::binary);
    font_file_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (font_file_.empty()) throw std::runtime_error("no font at " CAUSERIE_TEST_FONT);
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;
    font_ = io.Fonts->AddFontFromMemoryTTF(font_file_.data(), int(font_file_.size()), 16.0f, &cfg);
    em_scale_ = em_scale_of_font(font_file_.data(), int(font_file_.size()));
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

  TextFonts fonts() const {
    TextFonts f;
    f.regular = f.bold = f.italic = font_;
    f.em_scale = em_scale_;
    return f;
  }

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

 private:
  std::vector<char> font_file_;
  ImFont* font_ = nullptr;
  float em_scale_ = 1.0f;
};

}  // namespace causerie::test
