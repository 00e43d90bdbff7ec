#pragma once
// The list of comments: display order and nesting (core/thread.h), each body parsed
// once and wrapped once per width, heights kept as prefix sums so that finding what
// is on screen is a binary search and drawing costs what one screen costs.
#include <imgui.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/richtext.h"
#include "core/thread.h"
#include "widget/card_layout.h"
#include "widget/text_layout.h"

namespace causerie {

class ThreadView {
public:
  struct Item {
    const Comment* comment = nullptr;  // points into the comments given to set_comments
    CommentId id = 0;                  // comment's id, still readable once that vector is gone
    ThreadEntry entry;
    Document body;
    CardLayout card;            // for the current width; card.body is the wrapped body
    float top = 0, height = 0;  // in the list, for the current width (height: card.height)
    bool exact = false;         // card laid out by the shaper; else estimated, never drawn
    // What body and card were made from (comment points into a vector that the
    // next set_comments replaces): an unchanged comment keeps both.
    struct {
      size_t body_hash = 0;
      CommentStatus status = CommentStatus::published;
    } made_from;
  };

  // Replaces the list (the comments vector must outlive the view or the next call).
  // Bodies are Markdown-lite (Causerie) or rendered HTML (WordPress), read from
  // `bodies` when given: the same comments in the same order, read during the call
  // only (the view keeps each body parsed, so `comments` need not hold the text).
  void set_comments(const std::vector<Comment>& comments, const ThreadOptions& options,
                    BodyFormat format = BodyFormat::markdown, const std::vector<Comment>* bodies = nullptr);
  // The same comments with new options (nesting depth): bodies are not read again.
  void set_options(const std::vector<Comment>& comments, const ThreadOptions& options);
  // Whether item `index` shows the body that `c` holds.
  bool same_body(size_t index, const Comment& c) const;

  // Gives every item a height for `width` if it changed (or after set_comments): an
  // estimate (widget/text_estimate.h), no shaper call; returns the total height.
  float layout(const TextFonts& fonts, const CardMetrics& m, float width);
  // Lays out with the shaper the estimated items covering list y [top, bottom),
  // from the one at `top` down: that one keeps its top, the ones below follow.
  void lay_out_exactly(float top, float bottom);
  // Lays out estimated items among [first, last), first to last, for about
  // `budget_ms`; true when some are left there. The reader's position is the
  // caller's to keep (widget/reading_position.h).
  bool lay_out_some(double budget_ms, size_t first = 0, size_t last = npos);
  size_t estimated() const { return estimated_; }

  float height() const { return height_; }
  void invalidate() { width_ = -1; }
  // Room for something drawn between comments (the reply form under the comment
  // it answers): items after `index` move down by `height`. npos: no room.
  void set_gap(size_t index, float height);
  float gap_top() const;  // list y where the gap starts
  // True once after layout() did lay out every item again (for the figures).
  bool take_relaid_out() { return std::exchange(relaid_out_, false); }
  // True once after any item moved or changed size (for the mirror's positions).
  bool take_moved() { return std::exchange(moved_, false); }
  size_t size() const { return items_.size(); }
  const Item& item(size_t i) const { return *items_[i]; }

  // Index of the item covering list coordinate y (clamped to the list).
  size_t index_at(float y) const;
  // Index of the comment with that id, or npos.
  size_t index_of(CommentId id) const;

  static constexpr size_t npos = static_cast<size_t>(-1);

private:
  // bodies: null when unchanged since the last call.
  void rebuild(const std::vector<Comment>& comments, const ThreadOptions& options, BodyFormat format,
               const std::vector<Comment>* bodies);
  void estimate(Item& it);
  void lay_out(Item& it);

  std::vector<std::unique_ptr<Item>> items_;  // stable addresses: layouts point into bodies
  float width_ = -1, height_ = 0;
  float font_size_ = 0;
  TextFonts fonts_;
  CardMetrics metrics_;
  size_t estimated_ = 0;  // items whose height is an estimate
  float card_gap_ = 0;
  bool relaid_out_ = false;
  bool moved_ = false;
  bool needs_layout_ = false;  // some items are new since set_comments
  BodyFormat format_ = BodyFormat::markdown;
  size_t gap_index_ = npos;
  float gap_height_ = 0;
  void place_items();
};

}  // namespace causerie
