#include "platform/renderer.h"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "shaders.gen.h"
#include "widget/rounded_box.h"

namespace causerie {

static void set_colour(int location, ImU32 c) {
  const ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  glUniform4f(location, v.x, v.y, v.z, v.w);
}

static GLuint compile(GLenum type, const char* source) {
  GLuint shader = glCreateShader(type);
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[512];
    glGetShaderInfoLog(shader, sizeof log, nullptr, log);
    std::fprintf(stderr, "causerie: shader compile failed: %s\n", log);
  }
  return shader;
}

bool Renderer::init() {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "causerie_webgl2";
  // VtxOffset: WebGL2 has no drawElementsBaseVertex, so attributes are rebound at an
  // offset instead; large threads then keep 16-bit indices.
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset | ImGuiBackendFlags_RendererHasTextures;

  const GLuint vs = compile(GL_VERTEX_SHADER, shaders::kImguiVert);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, shaders::kImguiFrag);
  program_ = glCreateProgram();
  glAttachShader(program_, vs);
  glAttachShader(program_, fs);
  glLinkProgram(program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint linked = 0;
  glGetProgramiv(program_, GL_LINK_STATUS, &linked);
  if (!linked) return false;
  u_projection_ = glGetUniformLocation(program_, "u_projection");
  u_texture_ = glGetUniformLocation(program_, "u_texture");
  a_position_ = glGetAttribLocation(program_, "a_position");
  a_uv_ = glGetAttribLocation(program_, "a_uv");
  a_color_ = glGetAttribLocation(program_, "a_color");
  glGenVertexArrays(1, &vao_);
  glGenBuffers(1, &vbo_);
  glGenBuffers(1, &ebo_);
  return init_box_program();
}

bool Renderer::init_box_program() {
  const GLuint vs = compile(GL_VERTEX_SHADER, shaders::kBoxVert);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, shaders::kBoxFrag);
  box_program_ = glCreateProgram();
  glAttachShader(box_program_, vs);
  glAttachShader(box_program_, fs);
  glLinkProgram(box_program_);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint linked = 0;
  glGetProgramiv(box_program_, GL_LINK_STATUS, &linked);
  if (!linked) return false;
  const auto at = [this](const char* name) { return glGetUniformLocation(box_program_, name); };
  u_box_projection_ = at("u_projection");
  u_bounds_ = at("u_bounds");
  u_rect_ = at("u_rect");
  u_radius_ = at("u_radius");
  u_border_ = at("u_border");
  u_fill_ = at("u_fill");
  u_stroke_ = at("u_stroke");
  u_shadow_rect_ = at("u_shadow_rect");
  u_shadow_radius_ = at("u_shadow_radius");
  u_sigma_ = at("u_sigma");
  u_shadow_ = at("u_shadow");
  u_px_ = at("u_px");
  glGenVertexArrays(1, &box_vao_);  // no attributes: the quad comes from gl_VertexID
  return true;
}

void Renderer::draw_box(const ImDrawCmd& cmd, const ImVec2& clip_off, const ImVec2& scale, int fb_height) {
  if (cmd.UserCallbackDataSize != sizeof(RoundedBox)) return;
  RoundedBox b;
  std::memcpy(&b, cmd.UserCallbackData, sizeof b);
  if (!(b.max.x > b.min.x && b.max.y > b.min.y)) return;
  const ImVec2 cmin((cmd.ClipRect.x - clip_off.x) * scale.x, (cmd.ClipRect.y - clip_off.y) * scale.y);
  const ImVec2 cmax((cmd.ClipRect.z - clip_off.x) * scale.x, (cmd.ClipRect.w - clip_off.y) * scale.y);
  if (cmax.x <= cmin.x || cmax.y <= cmin.y) return;
  glScissor((int)cmin.x, (int)(fb_height - cmax.y), (int)(cmax.x - cmin.x), (int)(cmax.y - cmin.y));
  // CSS box-shadow: the box moved by the offsets, grown by the spread (corners too),
  // blurred with sigma = blur / 2.
  const bool shadow = (b.shadow >> IM_COL32_A_SHIFT) != 0;
  const float spread = b.shadow_spread;
  const ImVec4 srect(b.min.x + b.shadow_offset.x - spread, b.min.y + b.shadow_offset.y - spread,
                     b.max.x + b.shadow_offset.x + spread, b.max.y + b.shadow_offset.y + spread);
  const float sigma = b.shadow_blur * 0.5f;
  ImVec4 bounds(b.min.x - 1, b.min.y - 1, b.max.x + 1, b.max.y + 1);
  if (shadow && srect.z > srect.x && srect.w > srect.y) {
    const float reach = 3.0f * sigma + 1.0f;
    bounds = ImVec4(std::min(bounds.x, srect.x - reach), std::min(bounds.y, srect.y - reach),
                    std::max(bounds.z, srect.z + reach), std::max(bounds.w, srect.w + reach));
  }
  glUseProgram(box_program_);
  glUniformMatrix4fv(u_box_projection_, 1, GL_FALSE, projection_);
  glUniform4f(u_bounds_, bounds.x, bounds.y, bounds.z, bounds.w);
  glUniform4f(u_rect_, b.min.x, b.min.y, b.max.x, b.max.y);
  glUniform1f(u_radius_, std::max(0.0f, b.radius));
  glUniform1f(u_border_, std::max(0.0f, b.border));
  set_colour(u_fill_, b.fill);
  set_colour(u_stroke_, b.stroke);
  glUniform4f(u_shadow_rect_, srect.x, srect.y, srect.z, srect.w);
  glUniform1f(u_shadow_radius_, std::max(0.0f, b.radius + spread));
  glUniform1f(u_sigma_, sigma);
  set_colour(u_shadow_, shadow && srect.z > srect.x && srect.w > srect.y ? b.shadow : 0);
  glUniform1f(u_px_, scale.x);
  glBindVertexArray(box_vao_);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  // Back to ImGui's state (the attribute pointers live in its VAO).
  glUseProgram(program_);
  glBindVertexArray(vao_);
}

void Renderer::shutdown() {
  for (ImTextureData* tex : ImGui::GetPlatformIO().Textures) {
    if (tex->RefCount != 1) continue;
    GLuint id = (GLuint)tex->TexID;
    glDeleteTextures(1, &id);
    tex->SetTexID(ImTextureID_Invalid);
    tex->SetStatus(ImTextureStatus_Destroyed);
  }
  if (!pictures_.empty()) glDeleteTextures(pictures_.Size, pictures_.Data);
  pictures_.clear();
  glDeleteBuffers(1, &vbo_);
  glDeleteBuffers(1, &ebo_);
  glDeleteVertexArrays(1, &vao_);
  glDeleteProgram(program_);
  glDeleteVertexArrays(1, &box_vao_);
  glDeleteProgram(box_program_);
  program_ = vao_ = vbo_ = ebo_ = box_program_ = box_vao_ = 0;
}

unsigned Renderer::create_texture(int width, int height, const void* rgba) {
  GLuint id = 0;
  glGenTextures(1, &id);
  glBindTexture(GL_TEXTURE_2D, id);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
  return id;
}

const unsigned char* Renderer::premultiplied(const unsigned char* rgba, int width, int height, int pitch) {
  upload_buffer_.resize(width * height * 4);
  unsigned char* out = upload_buffer_.Data;
  for (int y = 0; y < height; ++y) {
    const unsigned char* row = rgba + size_t(y) * size_t(pitch);
    for (int x = 0; x < width; ++x, out += 4) {
      const unsigned a = row[x * 4 + 3];
      out[0] = (unsigned char)((row[x * 4] * a + 127) / 255);
      out[1] = (unsigned char)((row[x * 4 + 1] * a + 127) / 255);
      out[2] = (unsigned char)((row[x * 4 + 2] * a + 127) / 255);
      out[3] = (unsigned char)a;
    }
  }
  return upload_buffer_.Data;
}

ImTextureID Renderer::add_picture(int width, int height, const unsigned char* rgba) {
  const GLuint id = create_texture(width, height, premultiplied(rgba, width, height, width * 4));
  pictures_.push_back(id);
  return (ImTextureID)id;
}

ImTextureID Renderer::create_text_page(int width, int height) {
  const GLuint id = create_texture(width, height, nullptr);  // WebGL zero-fills: transparent
  return id ? (ImTextureID)id : ImTextureID_Invalid;
}

void Renderer::upload_rect(ImTextureID page, int x, int y, int width, int height, const unsigned char* rgba,
                           int pitch) {
  glBindTexture(GL_TEXTURE_2D, (GLuint)page);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexSubImage2D(GL_TEXTURE_2D, 0, x, y, width, height, GL_RGBA, GL_UNSIGNED_BYTE,
                  premultiplied(rgba, width, height, pitch));
}

void Renderer::destroy_texture(ImTextureID texture) {
  GLuint id = (GLuint)texture;
  if (id) glDeleteTextures(1, &id);
}

void Renderer::update_texture(ImTextureData* tex) {
  // ImGui's atlas (its shapes' white pixel and anti-aliased lines, its own font) is
  // straight alpha, premultiplied on the way up like every texture here.
  if (tex->Status == ImTextureStatus_WantCreate) {
    tex->SetTexID((ImTextureID)create_texture(
        tex->Width, tex->Height, premultiplied((const unsigned char*)tex->GetPixels(), tex->Width, tex->Height, tex->GetPitch())));
    tex->SetStatus(ImTextureStatus_OK);
  } else if (tex->Status == ImTextureStatus_WantUpdates) {
    // Only the rectangles ImGui changed are uploaded.
    glBindTexture(GL_TEXTURE_2D, (GLuint)tex->TexID);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    for (const ImTextureRect& r : tex->Updates)
      glTexSubImage2D(GL_TEXTURE_2D, 0, r.x, r.y, r.w, r.h, GL_RGBA, GL_UNSIGNED_BYTE,
                      premultiplied((const unsigned char*)tex->GetPixelsAt(r.x, r.y), r.w, r.h, tex->GetPitch()));
    tex->SetStatus(ImTextureStatus_OK);
  } else if (tex->Status == ImTextureStatus_WantDestroy && tex->UnusedFrames > 0) {
    GLuint id = (GLuint)tex->TexID;
    glDeleteTextures(1, &id);
    tex->SetTexID(ImTextureID_Invalid);
    tex->SetStatus(ImTextureStatus_Destroyed);
  }
}

void Renderer::setup_attributes(unsigned vtx_offset) {
  const size_t base = size_t(vtx_offset) * sizeof(ImDrawVert);
  glVertexAttribPointer(a_position_, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        (void*)(base + offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(a_uv_, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), (void*)(base + offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(a_color_, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert),
                        (void*)(base + offsetof(ImDrawVert, col)));
}

void Renderer::render(ImDrawData* draw_data, int fb_width, int fb_height) {
  if (draw_data->Textures)
    for (ImTextureData* tex : *draw_data->Textures)
      if (tex->Status != ImTextureStatus_OK) update_texture(tex);

  glViewport(0, 0, fb_width, fb_height);
  glClearColor(0, 0, 0, 0);
  glClear(GL_COLOR_BUFFER_BIT);
  if (fb_width <= 0 || fb_height <= 0 || draw_data->CmdListsCount == 0) return;

  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_ONE, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glEnable(GL_SCISSOR_TEST);

  const float L = draw_data->DisplayPos.x, R = L + draw_data->DisplaySize.x;
  const float T = draw_data->DisplayPos.y, B = T + draw_data->DisplaySize.y;
  const float projection[16] = {2.0f / (R - L),    0, 0, 0, 0, 2.0f / (T - B), 0, 0, 0, 0, -1, 0, (R + L) / (L - R),
                                (T + B) / (B - T), 0, 1};
  std::memcpy(projection_, projection, sizeof projection);
  glUseProgram(program_);
  glUniform1i(u_texture_, 0);
  glUniformMatrix4fv(u_projection_, 1, GL_FALSE, projection);
  glBindVertexArray(vao_);
  glBindBuffer(GL_ARRAY_BUFFER, vbo_);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ebo_);
  glEnableVertexAttribArray(a_position_);
  glEnableVertexAttribArray(a_uv_);
  glEnableVertexAttribArray(a_color_);
  glActiveTexture(GL_TEXTURE0);

  const ImVec2 clip_off = draw_data->DisplayPos;
  const ImVec2 scale = draw_data->FramebufferScale;
  for (const ImDrawList* list : draw_data->CmdLists) {
    glBufferData(GL_ARRAY_BUFFER, list->VtxBuffer.Size * sizeof(ImDrawVert), list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, list->IdxBuffer.Size * sizeof(ImDrawIdx), list->IdxBuffer.Data,
                 GL_STREAM_DRAW);
    unsigned bound_offset = ~0u;
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback == &rounded_box_callback) {
        draw_box(cmd, clip_off, scale, fb_height);
        continue;
      }
      if (cmd.UserCallback) {
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      const ImVec2 cmin((cmd.ClipRect.x - clip_off.x) * scale.x, (cmd.ClipRect.y - clip_off.y) * scale.y);
      const ImVec2 cmax((cmd.ClipRect.z - clip_off.x) * scale.x, (cmd.ClipRect.w - clip_off.y) * scale.y);
      if (cmax.x <= cmin.x || cmax.y <= cmin.y) continue;
      glScissor((int)cmin.x, (int)(fb_height - cmax.y), (int)(cmax.x - cmin.x), (int)(cmax.y - cmin.y));
      if (cmd.VtxOffset != bound_offset) setup_attributes(bound_offset = cmd.VtxOffset);
      glBindTexture(GL_TEXTURE_2D, (GLuint)cmd.GetTexID());
      glDrawElements(GL_TRIANGLES, (GLsizei)cmd.ElemCount, sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     (void*)(intptr_t)(cmd.IdxOffset * sizeof(ImDrawIdx)));
    }
  }
  glDisable(GL_SCISSOR_TEST);
}

}  // namespace causerie
