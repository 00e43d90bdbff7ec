#pragma once
// WebGL2 renderer for Dear ImGui 1.92 draw data: dynamic font atlas textures
// (ImGuiBackendFlags_RendererHasTextures), premultiplied alpha, scissoring.
#include <imgui.h>

namespace causerie {

class Renderer {
 public:
  bool init();  // needs a current WebGL2 context; sets the backend flags on ImGuiIO
  void shutdown();
  // Draws into the current framebuffer of `fb_width` x `fb_height` device pixels,
  // cleared to transparent first.
  void render(ImDrawData* draw_data, int fb_width, int fb_height);

 private:
  void update_texture(ImTextureData* tex);
  void setup_attributes(unsigned vtx_offset);

  unsigned program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0;
  int u_projection_ = -1, u_texture_ = -1;
  int a_position_ = -1, a_uv_ = -1, a_color_ = -1;
  ImVector<unsigned char> upload_buffer_;  // WebGL has no UNPACK_ROW_LENGTH: rows copied here
};

}  // namespace causerie
