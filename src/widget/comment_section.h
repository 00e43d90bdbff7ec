#pragma once
// The whole comment section as one ImGui view: header, thread, states (loading,
// empty, error), "load more". Platform-free: the platform feeds ImGui's IO, moves
// the bytes of the requests this view asks for, and calls draw() per frame.
#include <imgui.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "core/api_client.h"
#include "core/i18n.h"
#include "core/model.h"
#include "widget/text_layout.h"
#include "widget/reply_form.h"
#include "widget/theme.h"
#include "widget/thread_view.h"

namespace causerie {

struct WidgetConfig {
  std::string api;     // base URL of the API, e.g. https://comments.example.org/api/v1
  std::string thread;  // thread key (page path by default)
  std::string title;   // article title for the header
  std::string lang;    // "fr", "en", ...
  int max_depth = 5;   // visual nesting depth
  int64_t timezone_offset_minutes = 0;  // the reader's, for absolute dates
};

// A link under the pointer, in canvas coordinates: the platform lays a real <a>
// over it so that clicks, middle-clicks and "copy link" are the browser's own.
struct HoveredLink {
  std::string href;
  ImVec2 min, max;
  bool operator==(const HoveredLink& o) const {
    return href == o.href && min.x == o.min.x && min.y == o.min.y && max.x == o.max.x && max.y == o.max.y;
  }
};

class CommentSection {
 public:
  enum class State { Loading, Ready, Error };

  explicit CommentSection(WidgetConfig config);

  void set_fonts(const TextFonts& fonts) {
    const float size = fonts_.size, line_height = fonts_.line_height;  // the theme's
    fonts_ = fonts;
    fonts_.size = size;
    fonts_.line_height = line_height;
    view_.invalidate();  // advances changed: wrap again
  }
  // Colours, radius, type size, spacing, nesting depth and avatar shape; lays the
  // thread out again when the metrics changed.
  void set_theme(const ThemeSpec& theme);
  const Theme& theme() const { return theme_; }
  // True when the thread has text in scripts the Latin fonts lack (Greek, Cyrillic).
  bool needs_extended_fonts() const { return needs_extended_fonts_; }

  // Authors' pictures (Author::avatar_url): the platform answers a URL and the size
  // wanted in device pixels with a texture, or ImTextureID_Invalid while it loads or
  // when it could not (the generated avatar is drawn then). Unset: never pictures.
  using AvatarPictures = std::function<ImTextureID(const std::string& url, int device_pixels)>;
  void set_avatar_pictures(AvatarPictures pictures) { avatar_pictures_ = std::move(pictures); }

  // Data from the API.
  void show_loading();
  void show_thread(const ThreadState& thread);      // every page loaded so far
  void show_error(const ClientError& error);       // shown with Retry
  // Live updates: comments published since the reader loaded the thread, waiting
  // behind the « N nouveaux commentaires » pill until the reader reveals them, so
  // that the text being read never moves under their eyes.
  void set_arrived_count(int count);
  bool take_reveal_request() { return std::exchange(reveal_requested_, false); }
  void request_reveal() { reveal_requested_ = arrived_count_ > 0; }
  // Page scroll (CSS px) the platform must apply so that the comment at the top of
  // the viewport stays where it was after the thread changed above it.
  float take_scroll_correction() { return std::exchange(scroll_correction_, 0.0f); }

  // What the reader asked for since the last call (the platform turns them into requests).
  bool take_retry_request() { return std::exchange(retry_requested_, false); }
  void request_retry() { retry_requested_ = true; }
  void request_load_more() { load_more_requested_ = true; }
  bool take_load_more_request() { return std::exchange(load_more_requested_, false); }
  bool loading_more() const { return loading_more_; }
  bool relaid_out() { return std::exchange(relaid_out_, false); }

  // The reply form. Its DOM elements report their state here; open_reply moves it
  // under a comment (nullopt: back under the thread).
  ReplyForm& form() { return form_; }
  void open_reply(std::optional<CommentId> parent);
  void open_edit(CommentId id);
  // The reader's own comments and until when they may edit them (UTC seconds).
  void set_editable(std::vector<std::pair<CommentId, int64_t>> editable) {
    if (editable != editable_) mirror_dirty_ = true;
    editable_ = std::move(editable);
  }
  void request_delete(CommentId id) { delete_requested_ = id; }
  // Keyboard focus in the mirror (Tab): the control gets a ring in the canvas.
  struct Focus {
    enum Control { None, Reply, Edit, Delete, Reveal } control = None;
    CommentId id = 0;
  };
  void set_focus(Focus focus) { focus_ = focus; }
  // An edit to send (validated), or a deletion the reader asked for.
  bool take_edit(CommentId& id, std::string& body);
  bool take_delete(CommentId& id) { id = delete_requested_; return std::exchange(delete_requested_, 0) != 0; }
  void show_edit_result(const ClientResult& result);
  bool take_reply_target_change() { return std::exchange(reply_target_changed_, false); }
  void request_submit() { submit_requested_ = true; }
  // A valid comment to post, once per submit (validation errors are shown instead).
  bool take_submission(NewComment& out);
  void show_post_result(const ClientResult& result);
  void set_caret_visible(bool visible) { caret_visible_ = visible; }
  // The form's DOM elements' rectangles (x, y, w, h each, container coordinates);
  // empty when the form is not shown.
  std::vector<float> form_layout() const;

  // Text the reader selected by dragging over a comment ("" when none): what Copy copies.
  std::string selected_text() const;

  // The accessibility mirror: a JSON description of the header and of the comments
  // in a window around the viewport, when it changed since the last call. The
  // platform turns it into a visually hidden DOM tree (text as textContent only).
  bool take_mirror(std::string& json);

  // Draws the slice [viewport_top, viewport_top + height) of the laid-out section
  // into the current ImGui frame, filling a canvas of width x height.
  void draw(float width, float viewport_top, float height, int64_t now_unix);

  float content_height() const { return content_height_; }
  State state() const { return state_; }
  const HoveredLink& hovered_link() const { return hovered_link_; }
  // Content y of a comment (for #comment-<id>), or -1 when it is not loaded.
  float comment_top(CommentId id) const;
  void highlight(CommentId id) { highlighted_ = {id}; }
  void highlight(std::vector<CommentId> ids) { highlighted_ = std::move(ids); }
  // The cards drawn in the last frame: each one's top and the bottom of what was drawn
  // in it, in the section's coordinates (what shows that no card runs into the next).
  struct DrawnCard {
    CommentId id = 0;
    float top = 0, content_bottom = 0;
  };
  const std::vector<DrawnCard>& drawn_cards() const { return drawn_cards_; }
  // True while something animates (the skeleton's shimmer is static: none yet).
  bool animating() const { return false; }

 private:
  float draw_header(ImDrawList* dl, ImVec2 origin, float width);
  void draw_comment(ImDrawList* dl, const ThreadView::Item& item, ImVec2 origin, float width, int64_t now);
  void draw_body(ImDrawList* dl, const ThreadView::Item& item, ImVec2 origin);
  void update_selection(float list_top);
  void draw_skeleton(ImDrawList* dl, ImVec2 origin, float width);
  void draw_cards(ImDrawList* dl, ImVec2 list_origin, float width, float top, float bottom, float shadow_reach);
  bool text_button(const char* id, const std::string& label, ImVec2 pos, float size, ImU32 color);
  void draw_arrived_pill(float width, float height);
  void remember_reading_position();
  float restore_reading_position(float viewport_top);

  WidgetConfig config_;
  const Catalog* catalog_;
  TextFonts fonts_;
  CardMetrics metrics_;
  Theme theme_;
  AvatarPictures avatar_pictures_;
  State state_ = State::Loading;
  ThreadInfo thread_;
  std::vector<Comment> comments_;
  BodyFormat body_format_ = BodyFormat::markdown;
  bool has_more_ = false;
  bool needs_extended_fonts_ = false;
  ThreadView view_;
  std::string error_;
  bool retry_requested_ = false, load_more_requested_ = false, loading_more_ = false;
  std::vector<CommentId> highlighted_;
  int arrived_count_ = 0;
  bool reveal_requested_ = false;
  // The comment at the top of the viewport before the thread changed, and its top
  // in the section then; scroll_correction_: what keeps it under the reader's eyes.
  struct ReadingPosition {
    CommentId id = 0;
    float top = 0;
  } reading_position_;
  float scroll_correction_ = 0;
  HoveredLink hovered_link_;
  // Selection: inside one comment's body, from anchor (where the drag started) to focus.
  struct Selection {
    CommentId id = 0;
    TextPosition anchor, focus;
    ImVec2 body_offset;   // body's top-left relative to the item's top-left
  } selection_;
  bool selecting_ = false;
  ReplyForm form_;
  bool form_visible_ = false;
  ImVec2 form_origin_;
  bool reply_target_changed_ = false;
  bool submit_requested_ = false;
  std::vector<std::pair<CommentId, int64_t>> editable_;
  CommentId delete_requested_ = 0;
  Focus focus_;
  void draw_focus_ring(ImDrawList* dl, ImVec2 min, ImVec2 max) const;
  bool caret_visible_ = true;
  float last_viewport_top_ = 0;
  float item_top_on_canvas_ = 0;   // of the comment being drawn
  std::vector<DrawnCard> drawn_cards_;
  bool relaid_out_ = false;
  CommentId hovered_body_ = 0;
  ImVec2 hovered_body_offset_;
  std::string date_tooltip_;
  float content_height_ = 0;
  float header_height_ = 0;
  std::string header_text_;
  size_t first_visible_ = 0;                 // item at the top of the canvas
  size_t mirror_first_ = ThreadView::npos;   // first item of the mirror's window
  size_t mirror_count_ = 0;
  bool mirror_dirty_ = true;
};

}  // namespace causerie
