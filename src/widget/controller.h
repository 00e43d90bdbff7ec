#pragma once
// The widget's controller: every decision between the reader, the view and the
// API. It turns what the reader asked for (ReaderAction) into requests of the API
// client, routes each answer to the view, pages to #comment-<id>, keeps the form's
// DOM elements and the accessibility mirror in step with the canvas, and follows
// the live stream. Platform-free: the page around it is a Host (the browser's in
// platform/exports.cpp, a fake in the tests), and the API any ApiClient, Causerie's or
// WordPress's through the same code.
#include <imgui.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/api_client.h"
#include "widget/comment_section.h"
#include "widget/reader_action.h"

namespace causerie {

// What the controller asks of the page it lives in.
class Host {
public:
  virtual ~Host() = default;
  virtual double now_ms() = 0;       // monotonic milliseconds (layout time)
  virtual int64_t unix_now() = 0;    // UTC seconds (dates, edit windows)
  virtual void request_frame() = 0;  // one animation frame, coalesced
  virtual void request_frame_after(int milliseconds) = 0;
  // Sends one request; `done` runs once with the answer (status 0: none came).
  virtual void fetch(const HttpRequest& request, int timeout_ms, std::function<void(HttpResponse)> done) = 0;

  virtual void set_content_height(float css_pixels) = 0;  // the page-scroll spacer's height
  virtual void set_state(const char* state) = 0;          // "loading", "ready", "error"
  virtual void set_cursor(const char* css_cursor) = 0;
  virtual void scroll_to(float content_y) = 0;
  virtual void scroll_by(float css_pixels) = 0;
  // The thread's live stream: open from `position`; position "" closes it.
  virtual void set_live(const std::string& events_url, const std::string& position) = 0;
  virtual void set_link(const HoveredLink& link) = 0;  // a real <a> over it (href "": none)
  virtual void load_avatar(const std::string& url, int device_pixels) = 0;
  virtual void set_mirror(const std::string& json) = 0;  // widget/mirror.h
  virtual void announce(const std::string& text) = 0;    // the polite live region
  virtual bool confirm(const std::string& question) = 0;
  virtual void warn(const std::string& message) = 0;  // for the site's developers
  // The form's DOM fields draw their text in the theme's size, line height and text
  // colour (a CSS colour).
  virtual void set_field_style(float size, float line_height, const std::string& colour) = 0;

  // The reply form's DOM elements: where they go (x, y, w, h each; empty hides them),
  // their names, their messages, and what the form answers or edits.
  virtual void set_form_layout(const std::vector<float>& rects) = 0;
  virtual void set_form_labels(const std::vector<std::string>& labels) = 0;
  virtual void set_form_messages(const std::vector<std::string>& messages) = 0;
  // The preview shown in place of the body field (or not), and its text.
  virtual void set_form_preview(bool shown, const std::string& text) = 0;
  virtual void set_reply_target(CommentId parent) = 0;  // 0: the article
  virtual void set_edit_target(CommentId id, const std::string& body) = 0;
  // A post the server confirmed: the draft can go, the edit tokens are kept.
  virtual void form_posted(CommentId parent, const std::vector<OwnedComment>& owned,
                           const std::string& announcement) = 0;
  // The answer to a post of the page's own script (Controller::post_from_page).
  virtual void post_done(int seq, const std::string& json) = 0;
};

// A pointer event from the page (causerie_pointer); the loader's constants are
// generated from these (cmake/enums_to_js.cmake).
enum class PointerKind : int { Move, Down, Up, Leave };
enum class PointerSource : int { Mouse, Touch, Pen };

// What the loader passes at start (causerie_start's JSON).
struct StartOptions {
  WidgetConfig config;
  std::string canvas;               // the canvas's CSS selector
  std::string first_page_url;       // the loader's (web/loader/prefetch.js), with its page size
  std::string server;               // Causerie's server base: data-api without "/api/v1" (web/loader/config.js)
  bool wordpress = false;           // api_kind "wordpress": api is the REST root, thread the post id
  CommentId target_comment = 0;     // #comment-<id>
  CommentId reply_to = 0;           // the reply the reader was writing
  std::vector<OwnedComment> owned;  // this reader's edit tokens (localStorage)
};
// nullopt when `json` is not an object.
std::optional<StartOptions> parse_start_options(std::string_view json);

// The client for the API the options name. thread_valid is false when the thread
// cannot be one of that API's (WordPress: not a post id); never list a whole site.
struct ApiChoice {
  std::unique_ptr<ApiClient> client;
  bool thread_valid = true;
};
ApiChoice make_api_client(const StartOptions& options);

class Controller {
public:
  static constexpr int kRequestTimeoutMs = 15000;

  // `host` and `client` outlive the controller.
  Controller(Host& host, ApiClient& client, WidgetConfig config);

  // Reads the thread (or shows why it cannot).
  void start(const StartOptions& options, bool thread_valid);

  // The reader, through the page.
  void resize(float css_width, float css_height, float pixel_ratio);
  void scroll(float viewport_top);
  void pointer(PointerKind kind, float x, float y, int button, PointerSource source);
  void key(std::string_view dom_code, bool down, bool ctrl, bool shift, bool alt, bool meta);
  void focus(bool focused);
  void field(int field, std::string value);
  void form_focus(int element, bool remember);
  void go_to_comment(CommentId id);  // #comment-<id>: pages until found, then scrolls
  void act(const ReaderAction& action);

  // The page's other inputs.
  void live_event(std::string_view event, std::string_view id, std::string_view data);
  void set_theme(std::string_view theme_json);
  // Who shapes text, at which size: given at start, and again when the page's
  // fonts changed (every body is laid out again).
  void set_fonts(const TextFonts& fonts);
  bool awaiting_avatar(const std::string& url) const;
  void set_avatar(const std::string& url, ImTextureID texture);
  // A comment posted by the page's script ({"parent_id", "name", "email", "url",
  // "body"}): the number Host::post_done answers with, 0 when `json` is not an object.
  int post_from_page(std::string_view json);

  // One ImGui frame (NewFrame ... Render); the platform renders ImGui::GetDrawData()
  // when `drawn`. `more`: schedule another frame.
  struct Frame {
    bool drawn = false;
    bool more = false;
  };
  Frame frame();

  CommentSection& section() { return section_; }
  unsigned frames() const { return frames_; }
  double layout_ms() const { return layout_ms_; }
  std::string selected_text() const { return section_.selected_text(); }

private:
  void wake();
  void send(HttpRequest request, int post_seq = 0);
  void on_answer(const HttpRequest& request, const HttpResponse& response, int post_seq);
  void posted(const ClientResult& result);
  void report_post(int seq, const ClientResult& result);
  void follow_live();
  void update_editable();
  void load_more();
  void retry();
  void reveal();
  void submit(bool erase);
  void remove(CommentId id);
  void after_draw();

  Host& host_;
  ApiClient& client_;
  CommentSection section_;
  const Catalog& catalog_;
  std::string title_;  // the page's title of the article, for posts
  TextFonts fonts_;
  float css_width_ = 0, css_height_ = 0, pixel_ratio_ = 1;
  float viewport_top_ = 0;  // which slice of the laid-out section the canvas shows
  int settle_frames_ = 0;   // frames still to draw after the last event
  unsigned frames_ = 0;
  double layout_ms_ = 0;            // the last full layout of the thread
  float last_content_height_ = -1;
  bool ready_ = false;  // the page was told the state once it left loading
  std::vector<float> form_layout_;  // where the form's elements were last placed
  // What the form answers or edits, as the page was last told (nullopt: not yet).
  // (answered, edited, the data form)
  std::optional<std::tuple<std::optional<CommentId>, std::optional<CommentId>, bool>> form_target_;
  CommentId target_comment_ = 0;     // #comment-<id>: scroll there once loaded
  bool asked_imported_ = false;      // ... and asked which comment had that id on the old site
  CommentId pending_reply_to_ = 0;   // reopen the reply the reader was writing
  std::vector<CommentId> revealed_;  // revealed new comments: bring the first into view
  HoveredLink link_;
  std::string live_position_;  // where the page's stream was last told to resume
  int post_seq_ = 0;
  // Authors' pictures by URL: asked of the host once; ImTextureID_Invalid while it
  // loads or after it failed.
  std::unordered_map<std::string, ImTextureID> avatars_;
};

}  // namespace causerie
