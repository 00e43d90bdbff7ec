#pragma once
// WebGL2 renderer for Dear ImGui 1.92 draw data: ImGui's own atlas through its
// texture protocol (ImGuiBackendFlags_RendererHasTextures), the pages of the text
// atlas (platform/browser_text.h) and pictures as textures of its own, premultiplied
// alpha everywhere, scissoring.
#include <imgui.h>

namespace causerie {

class Renderer {
public:
  bool init();  // needs a current WebGL2 context; sets the backend flags on ImGuiIO
  void shutdown();
  // Draws into the current framebuffer of `fb_width` x `fb_height` device pixels,
  // cleared to transparent first.
  void render(ImDrawData* draw_data, int fb_width, int fb_height);
  // A picture (authors' avatars) as a texture ImGui can draw: RGBA, straight alpha,
  // rows top first. Owned by the renderer until shutdown().
  ImTextureID add_picture(int width, int height, const unsigned char* rgba);
  // A page of the text atlas: a texture of its own, transparent, filled rectangle by
  // rectangle with what the browser rasterized (RGBA, straight alpha, rows of
  // `pitch` bytes; premultiplied here, in wasm: the same loop in the page's script
  // cost a cold load about 10 ms), freed by destroy_texture. The text atlas keeps no copy of its pixels on the wasm heap,
  // which ImGui's texture protocol would (ImTextureData holds the whole texture).
  ImTextureID create_text_page(int width, int height);
  void upload_rect(ImTextureID page, int x, int y, int width, int height, const unsigned char* rgba, int pitch);
  void destroy_texture(ImTextureID texture);

private:
  void update_texture(ImTextureData* tex);
  static unsigned create_texture(int width, int height, const void* rgba);
  // Straight alpha to premultiplied, into upload_buffer_ (rows of `pitch` bytes).
  const unsigned char* premultiplied(const unsigned char* rgba, int width, int height, int pitch);
  void setup_attributes(unsigned vtx_offset);
  // The rounded boxes (widget/rounded_box.h) met among ImGui's commands.
  bool init_box_program();
  void draw_box(const ImDrawCmd& cmd, const ImVec2& clip_off, const ImVec2& scale, int fb_height);

  unsigned program_ = 0, vao_ = 0, vbo_ = 0, ebo_ = 0;
  int u_projection_ = -1, u_texture_ = -1;
  int a_position_ = -1, a_uv_ = -1, a_color_ = -1;
  unsigned box_program_ = 0, box_vao_ = 0;
  int u_box_projection_ = -1, u_bounds_ = -1, u_rect_ = -1, u_radius_ = -1, u_border_ = -1, u_fill_ = -1,
      u_stroke_ = -1, u_shadow_rect_ = -1, u_shadow_radius_ = -1, u_sigma_ = -1, u_shadow_ = -1, u_px_ = -1;
  float projection_[16] = {};
  ImVector<unsigned> pictures_;
  ImVector<unsigned char> upload_buffer_;  // WebGL has no UNPACK_ROW_LENGTH: rows copied here
};

}  // namespace causerie
