// The widget's entry points, called by the loader (web/causerie.js). One wasm
// instance is one widget, so the state below is per widget.
//
// Render on demand: nothing runs between events. Each event feeds ImGui's input
// queue and asks the host for one animation frame; a frame asks for a few more only
// while ImGui still settles (hover, queued inputs) or an animation runs.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <GLES3/gl3.h>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/api_client.h"
#include "core/error_messages.h"
#include "core/i18n.h"
#include "core/theme.h"
#include "core/wordpress_client.h"
#include "platform/canvas_glyphs.h"
#include "platform/fetch.h"
#include "platform/host.h"
#include "platform/renderer.h"
#include "widget/comment_section.h"

// The answer to causerie_post_comment, for the loader's handle.postComment() promise.
EM_JS(void, js_post_done, (int seq, const char* json), { Module.causerieHost.postDone(seq, UTF8ToString(json)); });

namespace {

struct App {
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  causerie::Renderer renderer;
  std::unique_ptr<causerie::CommentSection> section;
  float css_width = 0, css_height = 0, pixel_ratio = 1;
  float viewport_top = 0;  // which slice of the laid-out section the canvas shows
  int settle_frames = 0;   // frames still to draw after the last event
  unsigned frames = 0;
  float last_content_height = -1;
  bool ready = false;
  double layout_ms = 0;              // the last full layout of the thread (frame time of it)
  std::vector<float> form_layout;    // what the host's form elements were last placed at
  double last_field_event_ms = 0;    // the caret shows solid after typing, then blinks
  bool form_labelled = false;        // the host's form elements got their names
  causerie::WidgetConfig config;
  std::unique_ptr<causerie::ApiClient> client;   // Causerie's API or a WordPress site's
  causerie::CauserieClient* causerie_client = nullptr;  // the same, when it is Causerie's (edit tokens)
  ImFont* faces[3] = {};             // regular, bold, italic, as the font files arrive
  // The font files: 0-2 Latin (regular, bold, italic), 3-5 Greek and Cyrillic, loaded
  // only when a thread needs them and merged into the Latin faces.
  std::vector<unsigned char> font_files[6];
  bool extended_fonts_requested = false;
  float em_scale = 1.0f;             // ImGui size per CSS px (see em_scale_of_font)
  causerie::CommentId target_comment = 0;  // from #comment-<id>: scroll there once loaded
  causerie::HoveredLink link;        // the link the host's <a> covers
  causerie::CommentId pending_reply_to = 0;  // reopen the reply the reader was writing
  std::string live_position;         // what the host's live stream was last told to resume from
  std::vector<causerie::CommentId> revealed;  // new comments the reader just revealed: show the first
  // Authors' pictures by URL: asked of the host once; the texture when it arrived,
  // ImTextureID_Invalid while it loads or after it failed.
  std::unordered_map<std::string, ImTextureID> avatar_pictures;
};
App* app = nullptr;

// ImGui needs a couple of frames after an event to settle (hover state, the input
// queue trickling a down+up that arrived in one frame).
constexpr int kSettleFrames = 3;

void wake() {
  app->settle_frames = kSettleFrames;
  causerie::host::request_frame();
}

constexpr int kRequestTimeoutMs = 15000;

void posted(const causerie::ClientResult& result);

// Tells the host where the thread's live stream resumes, when that changed (the
// first page, a reload after a reset). Only Causerie's API has one.
void follow_live() {
  if (!app->causerie_client) return;
  const std::string& position = app->causerie_client->live_position();
  if (position == app->live_position) return;
  app->live_position = position;
  causerie::host::set_live(app->causerie_client->events_url().c_str(), position.c_str());
}

// Which comments this reader may still edit, for the Modifier/Supprimer links.
void update_editable() {
  std::vector<std::pair<causerie::CommentId, int64_t>> editable;
  if (app->causerie_client)
    for (const causerie::OwnedComment& o : app->causerie_client->owned()) editable.emplace_back(o.id, o.edit_expires_at);
  app->section->set_editable(std::move(editable));
}

// What became of a post: the comment's id and status, or the error with the
// reader's messages (the form of issue 6 shows the same).
void report_post(int seq, const causerie::ClientResult& result) {
  const causerie::Catalog& catalog = causerie::catalog_for(app->config.lang);
  nlohmann::json j = nlohmann::json::object();
  j["ok"] = result.ok();
  if (result.ok() && result.posted) {
    const causerie::Comment& c = result.posted->comment;
    j["id"] = c.id;
    j["status"] = causerie::to_string(c.status);
    j["message"] = causerie::tr(catalog, c.status == causerie::CommentStatus::pending
                                             ? "comment.awaiting_moderation" : "form.posted");
  } else {
    j["error"] = causerie::to_string(result.error.kind);
    j["http_status"] = result.error.http_status;
    j["message"] = causerie::error_message(catalog, result.error);
    const std::vector<std::string> messages = causerie::field_messages(catalog, result.error);
    nlohmann::json fields = nlohmann::json::array();
    for (size_t i = 0; i < messages.size(); ++i)
      fields.push_back({{"field", result.error.fields[i].field}, {"code", result.error.fields[i].code},
                        {"message", messages[i]}});
    j["fields"] = std::move(fields);
  }
  js_post_done(seq, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
}

// Moves one request of the API client over Emscripten fetch and feeds the answer back.
// post_seq: the causerie_post_comment call a post answers.
void send(causerie::HttpRequest request, int post_seq = 0) {
  causerie::FetchHeaders headers;
  for (const causerie::HttpHeader& h : request.headers) headers.emplace_back(h.name, h.value);
  const std::string method = request.method, url = request.url, body = request.body;
  causerie::fetch_send(method, url, headers, body, kRequestTimeoutMs,
                       [request = std::move(request), post_seq](causerie::FetchResponse r) {
    if (!app) return;  // the widget was destroyed meanwhile
    causerie::HttpResponse response;
    response.status = r.status;
    response.timed_out = r.timed_out;
    response.body = std::move(r.body);
    for (auto& [name, value] : r.headers) response.headers.push_back({std::move(name), std::move(value)});
    const causerie::ClientResult result = app->client->on_response(request, response);
    if (request.kind == causerie::RequestKind::load_page) {
      if (result.ok()) app->section->show_thread(app->client->thread());
      else app->section->show_error(result.error);
      follow_live();
    } else if (request.kind == causerie::RequestKind::load_thread_info) {
      // The title and open/closed state (WordPress): not fatal when missing.
      if (result.ok() && app->client->thread().loaded) app->section->show_thread(app->client->thread());
      if (auto next = app->client->load_thread_info()) send(std::move(*next));
    } else if (request.kind == causerie::RequestKind::post_comment) {
      if (post_seq) {  // handle.postComment(): the page's own script posted
        if (result.ok()) app->section->show_thread(app->client->thread());   // with it, pending or not
        report_post(post_seq, result);
      } else {         // the reply form
        posted(result);
      }
    } else if (request.kind == causerie::RequestKind::edit_comment) {
      if (result.ok()) app->section->show_thread(app->client->thread());
      app->section->show_edit_result(result);
      if (result.ok()) causerie::host::announce(causerie::tr(causerie::catalog_for(app->config.lang), "comment.edited").c_str());
    } else if (request.kind == causerie::RequestKind::delete_comment) {
      if (result.ok()) app->section->show_thread(app->client->thread());
      const causerie::Catalog& catalog = causerie::catalog_for(app->config.lang);
      causerie::host::announce(result.ok() ? causerie::tr(catalog, "comment.deleted").c_str()
                                           : causerie::error_message(catalog, result.error).c_str());
    }
    update_editable();
    wake();
  });
}

// The answer to a post: the comment in its place, the draft gone, the edit token
// kept; or the errors on the form, the text untouched.
void posted(const causerie::ClientResult& result) {
  causerie::ApiClient& client = *app->client;
  const std::optional<causerie::CommentId> parent = app->section->form().parent();
  app->section->show_post_result(result);
  if (!result.ok() || !result.posted) return;  // the form shows why; the text stays
  const causerie::Comment& c = result.posted->comment;
  app->section->show_thread(client.thread());
  nlohmann::json owned = nlohmann::json::array();
  if (app->causerie_client)
    for (const causerie::OwnedComment& o : app->causerie_client->owned())
      owned.push_back({{"id", o.id}, {"edit_token", o.edit_token}, {"edit_expires_at", o.edit_expires_at}});
  const causerie::Catalog& catalog = causerie::catalog_for(app->config.lang);
  const std::string announcement = c.status == causerie::CommentStatus::pending
                                       ? causerie::tr(catalog, "comment.awaiting_moderation")
                                       : causerie::tr(catalog, "form.posted");
  causerie::host::form_posted(parent.value_or(0), owned.dump().c_str(), announcement.c_str());
  app->target_comment = c.id;  // scroll to it and highlight it
}

void load_more() {
  if (auto request = app->client->load_next_page()) {
    app->section->show_loading();
    send(std::move(*request));
  }
}

ImGuiKey key_from_code(std::string_view code) {
  struct Entry { const char* code; ImGuiKey key; };
  static constexpr Entry kKeys[] = {
      {"Tab", ImGuiKey_Tab}, {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
      {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
      {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End},
      {"Delete", ImGuiKey_Delete}, {"Backspace", ImGuiKey_Backspace}, {"Space", ImGuiKey_Space},
      {"Enter", ImGuiKey_Enter}, {"NumpadEnter", ImGuiKey_KeypadEnter}, {"Escape", ImGuiKey_Escape},
      {"KeyA", ImGuiKey_A}, {"KeyC", ImGuiKey_C}, {"KeyV", ImGuiKey_V}, {"KeyX", ImGuiKey_X},
      {"KeyY", ImGuiKey_Y}, {"KeyZ", ImGuiKey_Z},
      {"ShiftLeft", ImGuiKey_LeftShift}, {"ShiftRight", ImGuiKey_RightShift},
      {"ControlLeft", ImGuiKey_LeftCtrl}, {"ControlRight", ImGuiKey_RightCtrl},
      {"AltLeft", ImGuiKey_LeftAlt}, {"AltRight", ImGuiKey_RightAlt},
      {"MetaLeft", ImGuiKey_LeftSuper}, {"MetaRight", ImGuiKey_RightSuper},
  };
  for (const Entry& e : kKeys)
    if (code == e.code) return e.key;
  return ImGuiKey_None;
}

}  // namespace

extern "C" {

// config_json: {"canvas": "#selector", "api", "api_kind", "thread", "title", "lang",
// "first_page_url", ...} (web/loader/config.js).
// api_kind "wordpress": api is the site's REST root (".../wp-json"), thread the post id.
EMSCRIPTEN_KEEPALIVE int causerie_start(const char* config_json) {
  const auto config = nlohmann::json::parse(config_json, nullptr, false);
  if (!config.is_object()) return 0;
  const auto str = [&](const char* key) {
    auto it = config.find(key);
    return (it != config.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };
  app = new App();

  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.alpha = true;
  attrs.premultipliedAlpha = true;
  attrs.antialias = false;  // ImGui anti-aliases its own shapes
  attrs.depth = false;
  attrs.stencil = false;
  // WebGL2's core is all the renderer uses: skip Emscripten enabling (querying) every
  // extension, which waits on the GPU process on the path to the first paint.
  attrs.enableExtensionsByDefault = 0;
  const std::string canvas = str("canvas");
  app->gl = emscripten_webgl_create_context(canvas.c_str(), &attrs);
  if (app->gl <= 0) return 0;
  emscripten_webgl_make_context_current(app->gl);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  io.BackendPlatformName = "causerie_web";
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  ImGui::StyleColorsLight();  // (themes: issue 9)
  if (!app->renderer.init()) return 0;

  causerie::WidgetConfig& wc = app->config;
  wc.api = str("api");
  wc.thread = str("thread");
  wc.title = str("title");
  wc.lang = str("lang");
  if (auto it = config.find("timezone_offset"); it != config.end() && it->is_number_integer())
    wc.timezone_offset_minutes = it->get<int64_t>();
  if (auto it = config.find("target_comment"); it != config.end() && it->is_number_integer())
    app->target_comment = it->get<int64_t>();
  app->section = std::make_unique<causerie::CommentSection>(wc);
  app->section->set_avatar_pictures([](const std::string& url, int device_pixels) {
    auto [it, added] = app->avatar_pictures.try_emplace(url, ImTextureID_Invalid);
    if (added) causerie::host::load_avatar(url.c_str(), std::clamp(device_pixels, 16, 256));
    return it->second;
  });
  if (str("api_kind") == "wordpress") {
    causerie::WordPressClientConfig wp;
    wp.api_root = wc.api;
    wp.title = wc.title;
    const bool valid = causerie::parse_wordpress_post_id(wc.thread, wp.post_id);
    app->client = std::make_unique<causerie::WordPressClient>(std::move(wp));
    if (!valid) {   // data-thread must be the post's id: never list the whole site
      causerie::ClientError error;
      error.kind = causerie::ClientErrorKind::not_found;
      app->section->show_error(error);
      wake();
      return 1;
    }
  } else {
    // data-api names the API's base, ".../api/v1"; the client wants the server's base.
    causerie::CauserieClientConfig cc;
    cc.base_url = wc.api;
    constexpr std::string_view kSuffix = "/api/v1";
    if (cc.base_url.size() >= kSuffix.size() && cc.base_url.compare(cc.base_url.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0)
      cc.base_url.resize(cc.base_url.size() - kSuffix.size());
    cc.thread_key = wc.thread;
    cc.first_page_url = str("first_page_url");  // the loader's, with its page size
    auto client = std::make_unique<causerie::CauserieClient>(std::move(cc));
    app->causerie_client = client.get();
    app->client = std::move(client);
  }
  // This reader's edit tokens (localStorage): their pending comments are listed to
  // them, and their recent comments stay editable after a reload.
  if (auto it = config.find("owned"); app->causerie_client && it != config.end() && it->is_array()) {
    std::vector<causerie::OwnedComment> owned;
    for (const auto& o : *it) {
      if (!o.is_object()) continue;
      auto id = o.find("id"), token = o.find("edit_token"), expires = o.find("edit_expires_at");
      if (id == o.end() || !id->is_number_integer() || token == o.end() || !token->is_string()) continue;
      causerie::OwnedComment c;
      c.id = id->get<int64_t>();
      c.edit_token = token->get<std::string>();
      if (expires != o.end() && expires->is_number_integer()) c.edit_expires_at = expires->get<int64_t>();
      owned.push_back(std::move(c));
    }
    app->causerie_client->set_owned(std::move(owned));
  }
  if (auto it = config.find("reply_to"); it != config.end() && it->is_number_integer() && it->get<int64_t>() > 0)
    app->pending_reply_to = it->get<int64_t>();
  send(app->client->load_first_page());
  if (auto info = app->client->load_thread_info()) send(std::move(*info));
  wake();
  return 1;
}

// A font file malloc'ed by the host (face 0-2: Latin regular, bold, italic; 3-5:
// the same faces for Greek and Cyrillic). Kept, since adding a script later means
// building the faces again: ImGui merges a source only into the last font added.
EMSCRIPTEN_KEEPALIVE void causerie_add_font(void* data, int size, int face) {
  if (face < 0 || face > 5 || size <= 0) { free(data); return; }
  auto* bytes = static_cast<unsigned char*>(data);
  app->font_files[face].assign(bytes, bytes + size);
  free(data);
  if (face == 0) {
    app->em_scale = causerie::em_scale_of_font(app->font_files[0].data(), size);
    causerie::set_canvas_glyph_em_scale(app->em_scale);
  }
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (ImFont*& f : app->faces)
    if (f) { atlas->RemoveFont(f); f = nullptr; }
  for (int f = 0; f < 3; ++f) {
    std::vector<unsigned char>& base = app->font_files[f];
    if (base.empty()) continue;
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;  // the atlas copies it
    app->faces[f] = atlas->AddFontFromMemoryTTF(base.data(), int(base.size()), 16.0f, &cfg);
    std::vector<unsigned char>& extra = app->font_files[f + 3];
    if (!extra.empty() && app->faces[f]) {
      ImFontConfig merge;
      merge.MergeMode = true;
      merge.FontDataOwnedByAtlas = false;
      atlas->AddFontFromMemoryTTF(extra.data(), int(extra.size()), 16.0f, &merge);
    }
    if (app->faces[f]) {  // last: what no bundled face has, the browser draws
      ImFontConfig browser;
      browser.MergeMode = true;
      browser.SizePixels = 16.0f;
      browser.FontLoader = causerie::canvas_glyph_loader();
      atlas->AddFont(&browser);
    }
  }
  causerie::TextFonts fonts;
  fonts.regular = app->faces[0];
  fonts.bold = app->faces[1] ? app->faces[1] : app->faces[0];
  fonts.italic = app->faces[2] ? app->faces[2] : app->faces[0];
  fonts.em_scale = app->em_scale;
  app->section->set_fonts(fonts);
  wake();
}

// An author's picture the host fetched and decoded: `rgba` malloc'ed, straight
// alpha, `size` x `size`; null when it could not (the generated avatar stays).
EMSCRIPTEN_KEEPALIVE void causerie_avatar_picture(const char* url, void* rgba, int size) {
  auto it = app->avatar_pictures.find(url);
  if (rgba && size > 0 && it != app->avatar_pictures.end() && it->second == ImTextureID_Invalid) {
    it->second = app->renderer.add_picture(size, size, static_cast<const unsigned char*>(rgba));
    wake();
  }
  free(rgba);
}

// The theme the loader collected (core/theme.h, resolve_theme): applied at once,
// the thread laid out again, and the site's developers told what was ignored or
// is below the WCAG contrast minimum.
EMSCRIPTEN_KEEPALIVE void causerie_set_theme(const char* theme_json) {
  if (!app || !app->section) return;
  const causerie::ResolvedTheme resolved = causerie::resolve_theme(theme_json);
  for (const std::string& w : resolved.warnings) causerie::host::warn(w.c_str());
  app->section->set_theme(resolved.theme);
  causerie::host::set_field_font(resolved.theme.font_size, resolved.theme.font_size * resolved.theme.line_height);
  wake();
}

// A command from the host's elements: "retry", "load_more", "reply" (comment_id),
// "cancel_reply", "submit", "edit", "delete", "focus_*", "reveal" (the new comments).
EMSCRIPTEN_KEEPALIVE void causerie_command(const char* name, double comment_id) {
  const std::string_view command = name;
  if (command == "retry") app->section->request_retry();
  else if (command == "load_more") app->section->request_load_more();
  else if (command == "reply") app->section->open_reply(comment_id > 0 ? std::optional(causerie::CommentId(comment_id)) : std::nullopt);
  else if (command == "cancel_reply") app->section->open_reply(std::nullopt);
  else if (command == "submit") app->section->request_submit();
  else if (command == "edit") app->section->open_edit(causerie::CommentId(comment_id));
  else if (command.rfind("focus_", 0) == 0) {
    using Focus = causerie::CommentSection::Focus;
    const std::string_view what = command.substr(6);
    Focus f;
    f.control = what == "reply" ? Focus::Reply : what == "edit" ? Focus::Edit : what == "delete" ? Focus::Delete
              : what == "reveal" ? Focus::Reveal : Focus::None;
    f.id = causerie::CommentId(comment_id);
    app->section->set_focus(f);
  }
  else if (command == "delete") app->section->request_delete(causerie::CommentId(comment_id));
  else if (command == "reveal") app->section->request_reveal();
  wake();
}

// A form text element changed (value, selection or composition; offsets in UTF-8 bytes).
EMSCRIPTEN_KEEPALIVE void causerie_field(int field, const char* value, int selection_start, int selection_end,
                                         int composition_start, int composition_end) {
  causerie::FieldState state;
  state.value = value;
  state.selection_start = size_t(std::max(0, selection_start));
  state.selection_end = size_t(std::max(0, selection_end));
  state.composition_start = size_t(std::max(0, composition_start));
  state.composition_end = size_t(std::max(0, composition_end));
  app->section->form().set_field(field, std::move(state));
  app->last_field_event_ms = emscripten_get_now();
  wake();
}

// Which form element has DOM focus (-1: none), and the checkbox's state.
EMSCRIPTEN_KEEPALIVE void causerie_form_focus(int element, int remember) {
  app->section->form().set_focus(element);
  app->section->form().set_remember(remember != 0);
  app->last_field_event_ms = emscripten_get_now();
  wake();
}

// #comment-<id> changed: scroll there (loading more pages until it is found).
EMSCRIPTEN_KEEPALIVE void causerie_go_to_comment(double id) {
  app->target_comment = causerie::CommentId(id);
  wake();
}

// One event of the thread's live stream (the host's EventSource): new comments
// wait behind the pill, changes to comments on screen apply in place.
EMSCRIPTEN_KEEPALIVE void causerie_live_event(const char* event, const char* id, const char* data) {
  if (!app || !app->causerie_client) return;
  causerie::CauserieClient& client = *app->causerie_client;
  const size_t arrived_before = client.thread().arrived.size();
  switch (client.on_live_event(event, id, data)) {
    case causerie::LiveChange::none:
      return;
    case causerie::LiveChange::arrived: {
      const size_t arrived = client.thread().arrived.size();
      app->section->set_arrived_count(int(arrived));
      if (arrived > arrived_before) {
        const causerie::Catalog& catalog = causerie::catalog_for(app->config.lang);
        causerie::host::announce(causerie::tr_count(catalog, "thread.new_comments", int64_t(arrived)).c_str());
      }
      break;
    }
    case causerie::LiveChange::changed:
      app->section->show_thread(client.thread());
      update_editable();
      break;
    case causerie::LiveChange::reload:
      follow_live();   // closed until the new read says where to resume
      app->section->set_arrived_count(0);
      send(client.load_first_page());
      break;
  }
  wake();
}

EMSCRIPTEN_KEEPALIVE void causerie_resize(float css_width, float css_height, float pixel_ratio) {
  app->css_width = css_width;
  app->css_height = css_height;
  app->pixel_ratio = pixel_ratio;
  wake();
}

EMSCRIPTEN_KEEPALIVE void causerie_scroll(float viewport_top) {
  if (viewport_top == app->viewport_top) return;
  app->viewport_top = viewport_top;
  wake();
}

// kind: 0 move, 1 down, 2 up, 3 leave. source: 0 mouse, 1 touch, 2 pen.
EMSCRIPTEN_KEEPALIVE void causerie_pointer(int kind, float x, float y, int button, int source) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddMouseSourceEvent(source == 1 ? ImGuiMouseSource_TouchScreen
                         : source == 2 ? ImGuiMouseSource_Pen : ImGuiMouseSource_Mouse);
  if (kind == 3) io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
  else io.AddMousePosEvent(x, y);
  if ((kind == 1 || kind == 2) && button >= 0 && button < 3)
    io.AddMouseButtonEvent(button, kind == 1);
  wake();
}

EMSCRIPTEN_KEEPALIVE void causerie_key(const char* code, int down, int ctrl, int shift, int alt, int meta) {
  ImGuiIO& io = ImGui::GetIO();
  io.AddKeyEvent(ImGuiMod_Ctrl, ctrl);
  io.AddKeyEvent(ImGuiMod_Shift, shift);
  io.AddKeyEvent(ImGuiMod_Alt, alt);
  io.AddKeyEvent(ImGuiMod_Super, meta);
  const ImGuiKey key = key_from_code(code);
  if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
  wake();
}

EMSCRIPTEN_KEEPALIVE void causerie_focus(int focused) {
  ImGui::GetIO().AddFocusEvent(focused != 0);
  wake();
}

// Draws one frame. Returns 1 when the host should schedule another one.
EMSCRIPTEN_KEEPALIVE int causerie_frame(double /*time_ms*/) {
  if (!app || app->css_width <= 0 || app->css_height <= 0) return 0;
  ImGuiIO& io = ImGui::GetIO();
  if (!app->faces[0]) return 0;  // waiting for the regular face
  io.DisplaySize = ImVec2(app->css_width, app->css_height);
  io.DisplayFramebufferScale = ImVec2(app->pixel_ratio, app->pixel_ratio);

  ImGui::NewFrame();
  ImGui::PushFont(app->faces[0], 16.0f * app->em_scale);
  const int64_t now = int64_t(emscripten_date_now() / 1000.0);
  const double t0 = emscripten_get_now();
  const double since_typing = emscripten_get_now() - app->last_field_event_ms;
  app->section->set_caret_visible(std::fmod(since_typing, 1060.0) < 530.0);
  app->section->draw(app->css_width, app->viewport_top, app->css_height, now);
  if (app->section->relaid_out()) app->layout_ms = emscripten_get_now() - t0;
  ImGui::PopFont();
  ImGui::Render();
  app->renderer.render(ImGui::GetDrawData(), int(app->css_width * app->pixel_ratio + 0.5f),
                       int(app->css_height * app->pixel_ratio + 0.5f));
  ++app->frames;

  static const char* kCursors[] = {"default", "text", "move", "ns-resize", "ew-resize",
                                   "nesw-resize", "nwse-resize", "pointer", "not-allowed"};
  const ImGuiMouseCursor cursor = ImGui::GetMouseCursor();
  causerie::host::set_cursor(cursor >= 0 && cursor < 9 ? kCursors[cursor] : "default");

  const float height = app->section->content_height();
  if (height != app->last_content_height) {
    app->last_content_height = height;
    causerie::host::set_content_height(height);
  }
  // The thread changed above what the reader reads: the page scrolls with it.
  if (const float moved = app->section->take_scroll_correction(); moved != 0) {
    app->viewport_top += moved;
    causerie::host::scroll_by(moved);
  }
  using State = causerie::CommentSection::State;
  const State state = app->section->state();
  if (app->pending_reply_to && state == State::Ready) {
    app->section->open_reply(app->pending_reply_to);
    app->pending_reply_to = 0;
  }
  if (state != State::Loading || app->ready) {
    app->ready = true;
    causerie::host::set_state(state == State::Ready ? "ready" : state == State::Error ? "error" : "loading");
  }
  if (app->section->needs_extended_fonts() && !app->extended_fonts_requested) {
    app->extended_fonts_requested = true;
    causerie::host::load_extended_fonts();
  }
  if (std::string mirror; app->section->take_mirror(mirror)) causerie::host::set_mirror(mirror.c_str());
  // The reply form: its DOM elements follow the drawn fields.
  if (std::vector<float> layout = app->section->form_layout(); layout != app->form_layout) {
    app->form_layout = layout;
    nlohmann::json rects = layout;
    causerie::host::set_form_layout(rects.dump().c_str());
  }
  if (app->section->form().take_messages_changed()) {
    nlohmann::json messages = app->section->form().messages();
    causerie::host::set_form_messages(messages.dump().c_str());
  }
  if (app->section->take_reply_target_change() || !app->form_labelled) {
    app->form_labelled = true;
    nlohmann::json labels = app->section->form().labels();
    causerie::host::set_form_labels(labels.dump().c_str());
    if (const auto id = app->section->form().editing()) {
      for (const causerie::Comment& c : app->client->thread().comments)
        if (c.id == *id) causerie::host::set_edit_target(double(c.id), c.body.c_str());
    } else {
      causerie::host::set_reply_target(app->section->form().parent().value_or(0));
    }
    wake();
  }
  {
    causerie::CommentId id = 0;
    std::string body;
    if (app->section->take_edit(id, body)) {
      if (auto request = app->client->edit_comment(id, body)) {
        send(std::move(*request));
      } else {
        // Refused before asking the server: our own comment whose window has passed
        // (the reader is told so), or one this browser holds no token for.
        causerie::ClientResult refused;
        bool owned = false;
        if (app->causerie_client)
          for (const causerie::OwnedComment& o : app->causerie_client->owned()) owned = owned || o.id == id;
        refused.error.kind = owned ? causerie::ClientErrorKind::edit_window_closed : causerie::ClientErrorKind::forbidden;
        app->section->show_edit_result(refused);
      }
    }
    const causerie::Catalog& catalog = causerie::catalog_for(app->config.lang);
    if (app->section->take_delete(id) && causerie::host::confirm(causerie::tr(catalog, "comment.delete_confirm").c_str()))
      if (auto request = app->client->delete_comment(id)) send(std::move(*request));
  }
  if (causerie::NewComment comment; app->section->take_submission(comment)) send(app->client->post_comment(comment));
  // The caret blinks with timed frames, not a render loop.
  if (app->section->form().focused() >= 0 && app->section->form().focused() < causerie::kTextFieldCount) {
    const double since = emscripten_get_now() - app->last_field_event_ms;
    constexpr double kBlink = 530;
    causerie::host::request_frame_after(int(kBlink - std::fmod(since, kBlink)) + 1);
  }
  if (app->section->take_retry_request()) {
    if (app->client->thread().loaded) {
      load_more();
    } else {
      app->section->show_loading();
      send(app->client->load_first_page());
    }
  }
  if (app->section->take_load_more_request()) load_more();
  if (app->section->take_reveal_request() && app->causerie_client) {
    app->revealed = app->causerie_client->reveal_arrived();
    app->section->set_arrived_count(0);
    app->section->show_thread(app->client->thread());
    app->section->highlight(app->revealed);
    wake();
  } else if (!app->revealed.empty() && state == State::Ready) {
    // Laid out now: bring the first of them into view, unless it is already.
    float first = -1;
    for (causerie::CommentId id : app->revealed) {
      const float top = app->section->comment_top(id);
      if (top >= 0 && (first < 0 || top < first)) first = top;
    }
    app->revealed.clear();
    if (first >= 0 && (first < app->viewport_top || first > app->viewport_top + app->css_height * 0.75f))
      causerie::host::scroll_to(first);
  }
  if (app->target_comment && state == State::Ready) {
    const float top = app->section->comment_top(app->target_comment);
    if (top >= 0) {
      app->section->highlight(app->target_comment);
      causerie::host::scroll_to(top);
      app->target_comment = 0;
    } else if (!app->client->thread().complete) {
      if (!app->section->loading_more()) load_more();
    } else {
      app->target_comment = 0;  // not in this thread
    }
  }
  if (!(app->section->hovered_link() == app->link)) {
    app->link = app->section->hovered_link();
    causerie::host::set_link(app->link.href.c_str(), app->link.min.x, app->link.min.y,
                             app->link.max.x - app->link.min.x, app->link.max.y - app->link.min.y);
  }
  // While the thread loads there is nothing to hover or type into: one frame per
  // event draws the placeholder (on a machine without a GPU each frame costs a
  // readback; they all sat on the path to the first paint).
  if (state == State::Loading) app->settle_frames = 0;
  return --app->settle_frames > 0 ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE unsigned causerie_frames() { return app ? app->frames : 0; }

// The reader's selection, for the copy event (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* causerie_selected_text() {
  static std::string text;
  text = app ? app->section->selected_text() : std::string();
  return text.c_str();
}

// Figures for stats() and the benchmarks.
EMSCRIPTEN_KEEPALIVE double causerie_layout_ms() { return app ? app->layout_ms : 0; }
EMSCRIPTEN_KEEPALIVE int causerie_comment_count() { return app ? int(app->client->thread().comments.size()) : 0; }
// The cards drawn in the last frame as JSON [[id, top, content_bottom]...], section
// coordinates, for stats() (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* causerie_drawn_cards() {
  static std::string json;
  json = "[";
  if (app && app->section)
    for (const auto& card : app->section->drawn_cards())
      json += (json.size() > 1 ? ",[" : "[") + std::to_string(card.id) + "," + std::to_string(card.top) + "," +
              std::to_string(card.content_bottom) + "]";
  json += "]";
  return json.c_str();
}

// Posts a comment through the widget's API client, as the comment form (issue 6)
// will: {"parent_id", "name", "email", "url", "body"}. For the page's scripts and
// the tests (handle.postComment). Returns the number host.postDone() will answer
// with, 0 when the JSON is not an object.
EMSCRIPTEN_KEEPALIVE int causerie_post_comment(const char* comment_json) {
  if (!app || !app->client) return 0;
  const auto j = nlohmann::json::parse(comment_json, nullptr, false);
  if (!j.is_object()) return 0;
  const auto str = [&](const char* key) {
    auto it = j.find(key);
    return (it != j.end() && it->is_string()) ? it->get<std::string>() : std::string();
  };
  causerie::NewComment c;
  if (auto it = j.find("parent_id"); it != j.end() && it->is_number_integer() && it->get<int64_t>() > 0)
    c.parent_id = it->get<int64_t>();
  c.author.name = str("name");
  c.author.email = str("email");
  if (std::string url = str("url"); !url.empty()) c.author.url = std::move(url);
  c.body = str("body");
  if (!app->config.title.empty()) c.title = app->config.title;
  static int seq = 0;
  send(app->client->post_comment(c), ++seq);
  return seq;
}

EMSCRIPTEN_KEEPALIVE void causerie_stop() {
  if (!app) return;
  emscripten_webgl_make_context_current(app->gl);
  app->renderer.shutdown();
  app->section.reset();
  ImGui::DestroyContext();
  emscripten_webgl_destroy_context(app->gl);
  delete app;
  app = nullptr;
}

}  // extern "C"
