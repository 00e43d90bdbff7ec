#include "widget/thread_view.h"

#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "core/html.h"
#include "core/markdown.h"

namespace causerie {

namespace {
size_t body_hash(const Comment& c) { return std::hash<std::string_view>()(c.body); }
}  // namespace

void ThreadView::set_comments(const std::vector<Comment>& comments, const ThreadOptions& options, BodyFormat format) {
  std::vector<ThreadEntry> order = build_thread(comments, options);
  // A live event or a post changes one comment of thousands: the others keep their
  // parsed body and their layout, unless they moved to another depth.
  std::unordered_map<CommentId, std::unique_ptr<Item>> previous;
  if (format == format_) {
    previous.reserve(items_.size());
    // By the id kept in the item: the vector its comment pointed into may be gone.
    for (auto& item : items_) previous.emplace(item->id, std::move(item));
  }
  format_ = format;
  items_.clear();
  gap_index_ = npos;
  items_.reserve(order.size());
  bool all_new = true;
  for (ThreadEntry& entry : order) {
    const Comment& c = comments[entry.index];
    std::unique_ptr<Item> item;
    if (auto old = previous.find(c.id); old != previous.end() && old->second) {
      const Item& o = *old->second;
      if (o.made_from.body_hash == body_hash(c) && o.made_from.status == c.status && same_card_shape(o.entry, entry))
        item = std::move(old->second);
    }
    if (item) {
      all_new = false;
    } else {
      item = std::make_unique<Item>();
      if (c.status != CommentStatus::deleted) {
        item->body = format == BodyFormat::html ? parse_html(c.body) : parse_markdown(c.body);
        apply_typography(item->body);
      }
      item->height = -1;  // to lay out
    }
    item->comment = &c;
    item->id = c.id;
    item->made_from = {body_hash(c), c.status};
    item->entry = std::move(entry);
    items_.push_back(std::move(item));
  }
  if (all_new) width_ = -1;  // lay everything out again
  else needs_layout_ = true;
}

void ThreadView::lay_out(Item& it, const TextFonts& fonts, const CardMetrics& m, float width) {
  it.card = layout_card(*it.comment, it.entry, it.body, fonts, m, width);
  it.height = it.card.height;
}

float ThreadView::layout(const TextFonts& fonts, const CardMetrics& m, float width) {
  if (width == width_ && fonts.size == font_size_) {
    if (!needs_layout_) return height_;
    // Only the comments that are new or changed since set_comments.
    needs_layout_ = false;
    for (auto& it : items_)
      if (it->height < 0) lay_out(*it, fonts, m, width);
    place_items();
    return height_;
  }
  needs_layout_ = false;
  width_ = width;
  font_size_ = fonts.size;
  card_gap_ = m.card_gap;
  relaid_out_ = true;
  for (auto& it : items_) lay_out(*it, fonts, m, width);
  place_items();
  return height_;
}

void ThreadView::place_items() {
  float y = 0;
  for (size_t i = 0; i < items_.size(); ++i) {
    if (i > 0 && items_[i]->entry.depth == 0) y += card_gap_;
    if (items_[i]->top != y) moved_ = true;
    items_[i]->top = y;
    y += items_[i]->height;
    if (i == gap_index_) y += gap_height_;
  }
  height_ = y;
}

void ThreadView::set_gap(size_t index, float height) {
  if (index >= items_.size()) index = npos;
  if (index == gap_index_ && height == gap_height_) return;
  gap_index_ = index;
  gap_height_ = height;
  if (width_ >= 0) place_items();
}

float ThreadView::gap_top() const {
  if (gap_index_ == npos) return height_;
  return items_[gap_index_]->top + items_[gap_index_]->height;
}

size_t ThreadView::index_at(float y) const {
  if (items_.empty()) return npos;
  // First item whose bottom is below y.
  auto it = std::partition_point(items_.begin(), items_.end(),
                                 [y](const std::unique_ptr<Item>& i) { return i->top + i->height <= y; });
  // (y inside the gap after an item: the next item, whose top is below y.)
  if (it == items_.end()) return items_.size() - 1;
  return size_t(it - items_.begin());
}

size_t ThreadView::index_of(CommentId id) const {
  for (size_t i = 0; i < items_.size(); ++i)
    if (items_[i]->comment->id == id) return i;
  return npos;
}

}  // namespace causerie
