// The wasm's exports: every entry point the loader calls (web/loader/bridge.js
// wraps each one), and the browser as the controller's Host (through host.h, the
// imports). One wasm instance is one widget, so the state below is per widget.
// Every decision is the controller's (widget/controller.h); this file only moves
// calls and bytes between the page and it. Emscripten exports every
// EMSCRIPTEN_KEEPALIVE function by itself: no list to keep.
#include <emscripten.h>
#include <emscripten/html5.h>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <string>

#include "platform/browser_text.h"
#include "platform/fetch.h"
#include "platform/host.h"
#include "platform/renderer.h"
#include "widget/controller.h"

namespace {

std::string to_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The page, through host.h and Emscripten fetch.
class BrowserHost final : public causerie::Host {
public:
  double now_ms() override { return emscripten_get_now(); }
  int64_t unix_now() override { return int64_t(emscripten_date_now() / 1000.0); }
  void request_frame() override { host_request_frame(); }
  void request_frame_after(int ms) override { host_request_frame_after(ms); }
  void fetch(const causerie::HttpRequest& request, int timeout_ms,
             std::function<void(causerie::HttpResponse)> done) override;
  void set_content_height(float h) override { host_set_content_height(h); }
  void set_state(const char* state) override { host_set_state(state); }
  void set_cursor(const char* cursor) override { host_set_cursor(cursor); }
  void scroll_to(float y) override { host_scroll_to(y); }
  void scroll_by(float d) override { host_scroll_by(d); }
  void set_live(const std::string& url, const std::string& position) override {
    host_set_live(url.c_str(), position.c_str());
  }
  void set_link(const causerie::HoveredLink& l) override {
    host_set_link(l.href.c_str(), l.min.x, l.min.y, l.max.x - l.min.x, l.max.y - l.min.y);
  }
  void load_avatar(const std::string& url, int px) override { host_load_avatar(url.c_str(), px); }
  void set_mirror(const std::string& json) override { host_set_mirror(json.c_str()); }
  void announce(const std::string& text) override { host_announce(text.c_str()); }
  bool confirm(const std::string& question) override { return host_confirm(question.c_str()) != 0; }
  void warn(const std::string& message) override { host_warn(message.c_str()); }
  void set_field_style(float size, float line, const std::string& colour) override {
    host_set_field_style(size, line, colour.c_str());
  }
  void set_form_layout(const std::vector<float>& rects) override { host_set_form_layout(to_json(rects).c_str()); }
  void set_form_labels(const std::vector<std::string>& labels) override {
    host_set_form_labels(to_json(labels).c_str());
  }
  void set_form_messages(const std::vector<std::string>& messages) override {
    host_set_form_messages(to_json(messages).c_str());
  }
  void set_form_preview(bool shown, const std::string& text) override {
    host_set_form_preview(shown ? 1 : 0, text.c_str());
  }
  void set_reply_target(causerie::CommentId parent) override { host_set_reply_target(double(parent)); }
  void set_edit_target(causerie::CommentId id, const std::string& body) override {
    host_set_edit_target(double(id), body.c_str());
  }
  void form_posted(causerie::CommentId parent, const std::vector<causerie::OwnedComment>& owned,
                   const std::string& announcement) override {
    nlohmann::json tokens = nlohmann::json::array();
    for (const causerie::OwnedComment& o : owned)
      tokens.push_back({{"id", o.id}, {"edit_token", o.edit_token}, {"edit_expires_at", o.edit_expires_at}});
    host_form_posted(double(parent), to_json(tokens).c_str(), announcement.c_str());
  }
  void post_done(int seq, const std::string& json) override { host_post_done(seq, json.c_str()); }
};

struct App {
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  causerie::Renderer renderer;
  causerie::BrowserText text{renderer};
  BrowserHost host;
  std::unique_ptr<causerie::ApiClient> client;
  std::unique_ptr<causerie::Controller> controller;
};
App* app = nullptr;

void BrowserHost::fetch(const causerie::HttpRequest& request, int timeout_ms,
                        std::function<void(causerie::HttpResponse)> done) {
  causerie::FetchHeaders headers;
  for (const causerie::HttpHeader& h : request.headers) headers.emplace_back(h.name, h.value);
  causerie::fetch_send(request.method, request.url, headers, request.body, timeout_ms,
                       [done = std::move(done)](causerie::FetchResponse r) {
                         if (!app) return;  // the widget was destroyed meanwhile
                         causerie::HttpResponse response;
                         response.status = r.status;
                         response.timed_out = r.timed_out;
                         response.body = std::move(r.body);
                         for (auto& [name, value] : r.headers)
                           response.headers.push_back({std::move(name), std::move(value)});
                         done(std::move(response));
                       });
}

causerie::Controller& controller() { return *app->controller; }

}  // namespace

extern "C" {

// config_json: causerie::parse_start_options. Returns 0 when the widget cannot run
// (bad JSON, no WebGL2): the loader falls back to the HTML view.
EMSCRIPTEN_KEEPALIVE int causerie_start(const char* config_json) {
  const std::optional<causerie::StartOptions> options = causerie::parse_start_options(config_json);
  if (!options) return 0;
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
  app->gl = emscripten_webgl_create_context(options->canvas.c_str(), &attrs);
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
  ImGui::StyleColorsLight();
  if (!app->renderer.init()) return 0;

  causerie::ApiChoice api = causerie::make_api_client(*options);
  app->client = std::move(api.client);
  app->controller = std::make_unique<causerie::Controller>(app->host, *app->client, options->config);
  causerie::TextFonts fonts;
  fonts.shaper = &app->text;
  controller().set_fonts(fonts);
  controller().start(*options, api.thread_valid);
  return 1;
}

// The page's fonts finished loading, or the font theme changed: every layout and
// every picture of text is dropped, and the thread laid out again.
EMSCRIPTEN_KEEPALIVE void causerie_text_changed() {
  if (!app || !app->controller) return;
  app->text.clear();
  causerie::TextFonts fonts;
  fonts.shaper = &app->text;
  controller().set_fonts(fonts);
}

// What the widget draws of every laid-out body (test only, always built): the JSON
// of docs/architecture.md ("The text report"), valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* causerie_text_report() {
  static std::string json;
  json = app && app->controller ? controller().section().text_report() : "[]";
  return json.c_str();
}

// The reply form's fields and preview as the widget has them (test only): the JSON of
// docs/architecture.md ("The text report"), valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* causerie_form_report() {
  static std::string json;
  json = app && app->controller ? controller().section().form_report() : "null";
  return json.c_str();
}

// An author's picture the host fetched and decoded: `rgba` malloc'ed, straight
// alpha, `size` x `size`; null when it could not (the generated avatar stays).
EMSCRIPTEN_KEEPALIVE void causerie_avatar_picture(const char* url, void* rgba, int size) {
  if (rgba && size > 0 && controller().awaiting_avatar(url))
    controller().set_avatar(url, app->renderer.add_picture(size, size, static_cast<const unsigned char*>(rgba)));
  free(rgba);
}

// The theme the loader collected (core/theme.h, resolve_theme).
EMSCRIPTEN_KEEPALIVE void causerie_set_theme(const char* theme_json) {
  if (app && app->controller) controller().set_theme(theme_json);
}

// The reader's actions on the page's elements (the mirror's buttons, the form's
// submit, Escape, « Aperçu » and « Mes données »), one entry point each.
EMSCRIPTEN_KEEPALIVE void causerie_retry() { controller().act(causerie::action::Retry{}); }
EMSCRIPTEN_KEEPALIVE void causerie_load_more() { controller().act(causerie::action::LoadMore{}); }
EMSCRIPTEN_KEEPALIVE void causerie_reveal() { controller().act(causerie::action::Reveal{}); }
EMSCRIPTEN_KEEPALIVE void causerie_submit() { controller().act(causerie::action::Submit{}); }
// parent_id 0: the article.
EMSCRIPTEN_KEEPALIVE void causerie_reply(double parent_id) {
  const auto parent = causerie::CommentId(parent_id);
  controller().act(causerie::action::OpenReply{parent > 0 ? std::optional(parent) : std::nullopt});
}
EMSCRIPTEN_KEEPALIVE void causerie_cancel_reply() { controller().act(causerie::action::OpenReply{}); }
EMSCRIPTEN_KEEPALIVE void causerie_toggle_preview() { controller().act(causerie::action::TogglePreview{}); }
// « Mes données » (1) and its cancel (0); the data form's erase button.
EMSCRIPTEN_KEEPALIVE void causerie_my_data(int open) { controller().act(causerie::action::OpenMyData{open != 0}); }
EMSCRIPTEN_KEEPALIVE void causerie_erase_my_data() { controller().act(causerie::action::Submit{true}); }
EMSCRIPTEN_KEEPALIVE void causerie_edit(double id) {
  controller().act(causerie::action::OpenEdit{causerie::CommentId(id)});
}
EMSCRIPTEN_KEEPALIVE void causerie_delete(double id) {
  controller().act(causerie::action::Delete{causerie::CommentId(id)});
}
// A mirror control got keyboard focus (FocusedControl::Control; None when it lost it).
EMSCRIPTEN_KEEPALIVE void causerie_focus(int control, double id) {
  using Control = causerie::FocusedControl::Control;
  const Control c = control > Control::None && control <= Control::Reveal ? Control(control) : Control::None;
  controller().act(causerie::action::Focus{{c, causerie::CommentId(id)}});
}

// A form text element's value changed.
EMSCRIPTEN_KEEPALIVE void causerie_field(int field, const char* value) { controller().field(field, value); }

// Which form element has DOM focus (-1: none), and the checkbox's state.
EMSCRIPTEN_KEEPALIVE void causerie_form_focus(int element, int remember) {
  controller().form_focus(element, remember != 0);
}

// The answer to the loader's prefetch (host_take_prefetch's handle): status 0 when
// it failed, `headers` as "name: value\r\n" lines.
EMSCRIPTEN_KEEPALIVE void causerie_fetched(int handle, int status, const char* body, int body_size,
                                           const char* headers) {
  causerie::deliver_prefetch(handle, status, body, body_size, headers);
}

// #comment-<id> changed.
EMSCRIPTEN_KEEPALIVE void causerie_go_to_comment(double id) { controller().go_to_comment(causerie::CommentId(id)); }

// One event of the thread's live stream (the host's EventSource).
EMSCRIPTEN_KEEPALIVE void causerie_live_event(const char* event, const char* id, const char* data) {
  if (app) controller().live_event(event, id, data);
}

EMSCRIPTEN_KEEPALIVE void causerie_resize(float css_width, float css_height, float pixel_ratio) {
  controller().resize(css_width, css_height, pixel_ratio);
}

EMSCRIPTEN_KEEPALIVE void causerie_scroll(float viewport_top) { controller().scroll(viewport_top); }

// kind: PointerKind, source: PointerSource (widget/controller.h).
EMSCRIPTEN_KEEPALIVE void causerie_pointer(int kind, float x, float y, int button, int source) {
  controller().pointer(causerie::PointerKind(kind), x, y, button, causerie::PointerSource(source));
}

EMSCRIPTEN_KEEPALIVE void causerie_key(const char* code, int down, int ctrl, int shift, int alt, int meta) {
  controller().key(code, down, ctrl, shift, alt, meta);
}

// The canvas got or lost DOM focus (a click on it, for copying a selection).
EMSCRIPTEN_KEEPALIVE void causerie_canvas_focus(int focused) { controller().focus(focused != 0); }

// Draws one frame. Returns 1 when the host should schedule another one.
EMSCRIPTEN_KEEPALIVE int causerie_frame(double /*time_ms*/) {
  if (!app) return 0;
  const causerie::Controller::Frame frame = controller().frame();
  if (frame.drawn) {
    const ImGuiIO& io = ImGui::GetIO();
    app->renderer.render(ImGui::GetDrawData(), int(io.DisplaySize.x * io.DisplayFramebufferScale.x + 0.5f),
                         int(io.DisplaySize.y * io.DisplayFramebufferScale.y + 0.5f));
  }
  return frame.more ? 1 : 0;
}

// The reader's selection, for the copy event (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* causerie_selected_text() {
  static std::string text;
  text = app ? controller().selected_text() : std::string();
  return text.c_str();
}

// Figures for stats() and the benchmarks.
EMSCRIPTEN_KEEPALIVE double causerie_layout_ms() { return app ? controller().layout_ms() : 0; }
EMSCRIPTEN_KEEPALIVE int causerie_comment_count() { return app ? int(app->client->thread().comments.size()) : 0; }
// The cards drawn in the last frame as JSON [[id, top, content_bottom, avatar_left,
// text_left, text_right]...], section coordinates, for stats() (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* causerie_drawn_cards() {
  static std::string json;
  json = "[";
  if (app && app->controller)
    for (const auto& card : controller().section().drawn_cards())
      json += (json.size() > 1 ? ",[" : "[") + std::to_string(card.id) + "," + std::to_string(card.top) + "," +
              std::to_string(card.content_bottom) + "," + std::to_string(card.avatar_left) + "," +
              std::to_string(card.text_left) + "," + std::to_string(card.text_right) + "]";
  json += "]";
  return json.c_str();
}

// Posts a comment through the widget's API client (handle.postComment, for the
// page's scripts and the tests): {"parent_id", "name", "email", "url", "body"}.
// Returns the number host.postDone() will answer with, 0 when the JSON is not an object.
EMSCRIPTEN_KEEPALIVE int causerie_post_comment(const char* comment_json) {
  return app && app->controller ? controller().post_from_page(comment_json) : 0;
}

EMSCRIPTEN_KEEPALIVE void causerie_stop() {
  if (!app) return;
  emscripten_webgl_make_context_current(app->gl);
  app->text.shutdown();
  app->renderer.shutdown();
  app->controller.reset();
  ImGui::DestroyContext();
  emscripten_webgl_destroy_context(app->gl);
  delete app;
  app = nullptr;
}

}  // extern "C"
