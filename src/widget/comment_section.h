#pragma once
// The whole comment section as one ImGui view: header, thread, states (loading,
// empty, error), "load more", the reply form. It decides nothing beyond drawing:
// what the reader asks for leaves it as ReaderActions, which the controller
// (widget/controller.h) turns into requests; draw() runs once per frame.
#include <imgui.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/api_client.h"
#include "core/i18n.h"
#include "core/model.h"
#include "widget/mirror.h"
#include "widget/reader_action.h"
#include "widget/reading_position.h"
#include "widget/reply_form.h"
#include "widget/text_layout.h"
#include "widget/theme.h"
#include "widget/thread_view.h"

namespace causerie {

struct WidgetConfig {
  std::string api;                      // base URL of the API, e.g. https://comments.example.org/api/v1
  std::string thread;                   // thread key (page path by default)
  std::string title;                    // article title for the header
  std::string lang;                     // "fr", "en", ...
  int max_depth = 5;                    // visual nesting depth
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

// The reader's own comment, edited: what the form sends.
struct EditedComment {
  CommentId id = 0;
  std::string body;
};

// The reader asks for a copy (or the erasure) of their comments, by e-mail.
struct MyDataRequest {
  std::string email;
  bool erase = false;
};

class CommentSection {
public:
  enum class State { Loading, Ready, Error };
  using Focus = FocusedControl;

  explicit CommentSection(WidgetConfig config);

  void set_fonts(const TextFonts& fonts) {
    const float size = fonts_.size, line_height = fonts_.line_height;  // the theme's
    fonts_ = fonts;
    fonts_.size = size;
    fonts_.line_height = line_height;
    view_.invalidate();  // the shaper or its fonts changed: wrap again
  }
  // Colours, radius, type size, spacing, nesting depth and avatar shape; lays the
  // thread out again when the metrics changed.
  void set_theme(const ThemeSpec& theme);
  const Theme& theme() const { return theme_; }

  // Authors' pictures (Author::avatar_url): the platform answers a URL and the size
  // wanted in device pixels with a texture, or ImTextureID_Invalid while it loads or
  // when it could not (the generated avatar is drawn then). Unset: never pictures.
  using AvatarPictures = std::function<ImTextureID(const std::string& url, int device_pixels)>;
  void set_avatar_pictures(AvatarPictures pictures) { avatar_pictures_ = std::move(pictures); }

  // Data from the API.
  void show_loading();
  void show_thread(const ThreadState& thread);  // every page loaded so far
  void show_error(const ClientError& error);    // shown with Retry
  // Live updates: comments published since the reader loaded the thread, waiting
  // behind the « N nouveaux commentaires » pill until the reader reveals them, so
  // that the text being read never moves under their eyes.
  void set_arrived_count(int count);
  int arrived_count() const { return arrived_count_; }
  // Page scroll (CSS px) the platform must apply so that the comment at the top of
  // the viewport stays where it was after the thread changed above it.
  float take_scroll_correction() { return std::exchange(scroll_correction_, 0.0f); }

  // What the reader asked for in the canvas since the last call, in order.
  std::vector<ReaderAction> take_actions() { return std::exchange(actions_, {}); }
  bool loading_more() const { return loading_more_; }
  bool relaid_out() { return std::exchange(relaid_out_, false); }
  // Some cards near the reader still have an estimated height: the next frames lay them out.
  bool laying_out() const { return state_ == State::Ready && layout_pending_; }

  // The reply form. Its DOM elements report their state here; open_reply moves it
  // under a comment (nullopt: back under the thread).
  ReplyForm& form() { return form_; }
  void open_reply(std::optional<CommentId> parent);
  void open_edit(CommentId id);
  // The reader's own comments and until when they may edit them (UTC seconds).
  void set_editable(std::vector<std::pair<CommentId, int64_t>> editable) {
    if (editable != editable_) mirror_.invalidate();
    editable_ = std::move(editable);
  }
  void set_focus(Focus focus) { focus_ = focus; }
  // The reader sent the form: a valid new comment or edit to send, which puts the
  // form in its sending phase; nothing when a send is under way or the fields are
  // invalid (the form shows why).
  using Submission = std::variant<std::monostate, NewComment, EditedComment, MyDataRequest>;
  Submission submit(bool erase = false);
  // The answer to a post or an edit: on success the form goes back under the thread,
  // else it shows the errors, the text untouched.
  void show_post_result(const ClientResult& result);
  // The data form (« Mes données ») in place of the reply form, or back.
  void open_my_data(bool open) { form_.ask_my_data(open); }
  // The answer to the reader's data request, shown in the form: the message, which
  // is also the announcement.
  std::string show_my_data_result(const ClientResult& result);
  // The form's DOM elements' rectangles (x, y, w, h each, container coordinates);
  // empty when the form is not shown.
  std::vector<float> form_layout() const;

  // Text the reader selected by dragging over a comment ("" when none): what Copy copies.
  std::string selected_text() const;

  // The accessibility mirror's JSON (widget/mirror.h) when it changed since the
  // last call; nothing while the thread loads.
  std::optional<std::string> mirror_update();

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
  // And where its avatar and its text column are across the canvas.
  struct DrawnCard {
    CommentId id = 0;
    float top = 0, content_bottom = 0;
    float avatar_left = 0, text_left = 0, text_right = 0;
  };
  const std::vector<DrawnCard>& drawn_cards() const { return drawn_cards_; }
  // What is drawn of every laid-out body, as JSON (docs/architecture.md, "The text
  // report"): each block's text, box, direction and lines of runs, for the browser
  // test that compares it with the DOM's layout of the same text.
  std::string text_report() const;
  // The reply form's text fields (each one's value and box, container coordinates) and
  // its preview when shown (laid out as a body is in the text report), as JSON.
  std::string form_report() const;

private:
  float draw_header(ImDrawList* dl, ImVec2 origin, float width);
  // A card's first line: the author's name and the date, one after the other from
  // the text column's start edge. x in canvas coordinates (those of `text`), tops
  // (of a line box 1.2 x the text's size) from the item's top.
  struct CardHeader {
    float name_x = 0, name_top = 0, name_width = 0;  // width 0: no name (deleted)
    ImU32 name_colour = 0;                           // the accent when it links to the author's site
    std::string date;
    float date_x = 0, date_top = 0, date_width = 0;
    ImU32 date_colour = 0;
  };
  CardHeader card_header(const ThreadView::Item& item, const Lane& text, int64_t now) const;
  void draw_comment(ImDrawList* dl, const ThreadView::Item& item, ImVec2 origin, float width, int64_t now);
  void draw_body(ImDrawList* dl, const ThreadView::Item& item, ImVec2 origin);
  void update_selection(float list_top);
  void draw_skeleton(ImDrawList* dl, ImVec2 origin, float width);
  void draw_cards(ImDrawList* dl, ImVec2 list_origin, float width, float top, float bottom, float shadow_reach);
  bool text_button(const char* id, const std::string& label, ImVec2 pos, float size, ImU32 color);
  void draw_arrived_pill(float width, float height);

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
  ThreadView view_;
  std::string error_;
  bool loading_more_ = false;
  std::vector<ReaderAction> actions_;
  std::vector<CommentId> highlighted_;
  int arrived_count_ = 0;
  ReadingPosition reading_position_;
  float scroll_correction_ = 0;  // what keeps the comment being read under the reader's eyes
  HoveredLink hovered_link_;
  // Selection: inside one comment's body, from anchor (where the drag started) to focus.
  struct Selection {
    CommentId id = 0;
    TextPosition anchor, focus;
    ImVec2 body_offset;  // body's top-left relative to the item's top-left
  } selection_;
  bool selecting_ = false;
  ReplyForm form_;
  bool form_visible_ = false;
  std::vector<std::pair<CommentId, int64_t>> editable_;
  Focus focus_;
  void draw_focus_ring(ImDrawList* dl, ImVec2 min, ImVec2 max) const;
  float last_viewport_top_ = 0;
  int64_t last_now_ = 0;  // of the last frame: the dates the text report gives
  float item_top_on_canvas_ = 0;  // of the comment being drawn
  std::vector<DrawnCard> drawn_cards_;
  bool relaid_out_ = false;
  CommentId hovered_body_ = 0;
  ImVec2 hovered_body_offset_;
  std::string date_tooltip_;
  float content_height_ = 0;
  float header_height_ = 0;
  float list_left_ = 0;  // the comments' left edge in the section, as last drawn
  std::string header_text_;
  bool layout_pending_ = false;  // estimated cards left near the reader (laying_out)
  size_t first_visible_ = 0;  // item at the top of the canvas
  MirrorWindow mirror_;
};

}  // namespace causerie
