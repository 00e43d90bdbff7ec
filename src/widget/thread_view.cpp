#include "widget/thread_view.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "core/html.h"
#include "core/markdown.h"
#include "widget/text_estimate.h"

namespace causerie {

namespace {
size_t body_hash(const Comment& c) { return std::hash<std::string_view>()(c.body); }
EstimatingShaper estimating_shaper;
}  // namespace

void ThreadView::set_comments(const std::vector<Comment>& comments, const ThreadOptions& options, BodyFormat format,
                              const std::vector<Comment>* bodies) {
  rebuild(comments, options, format, bodies ? bodies : &comments);
}

void ThreadView::set_options(const std::vector<Comment>& comments, const ThreadOptions& options) {
  rebuild(comments, options, format_, nullptr);
}

bool ThreadView::same_body(size_t index, const Comment& c) const {
  return index < items_.size() && items_[index]->made_from.body_hash == body_hash(c);
}

void ThreadView::rebuild(const std::vector<Comment>& comments, const ThreadOptions& options, BodyFormat format,
                         const std::vector<Comment>* bodies) {
  std::vector<ThreadEntry> order = build_thread(comments, options);
  // A live event or a post changes one comment of thousands: the others keep their
  // parsed body and their layout, unless they moved to another depth (then only
  // their layout is made again).
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
    std::optional<size_t> hash;
    if (bodies) hash = body_hash((*bodies)[entry.index]);
    if (auto old = previous.find(c.id); old != previous.end() && old->second) {
      Item& o = *old->second;
      if (!hash) hash = o.made_from.body_hash;
      if (o.made_from.body_hash == *hash && o.made_from.status == c.status) {
        if (same_card_shape(o.entry, entry)) {
          item = std::move(old->second);
          all_new = false;
        } else {
          item = std::make_unique<Item>();
          item->body = std::move(o.body);
          item->height = -1;  // to lay out
        }
      }
    }
    if (!item) {
      const Comment& b = bodies ? (*bodies)[entry.index] : c;
      item = std::make_unique<Item>();
      if (c.status != CommentStatus::deleted) {
        item->body = format == BodyFormat::html ? parse_html(b.body) : parse_markdown(b.body);
        apply_typography(item->body);
      }
      item->height = -1;  // to lay out
      if (!hash) hash = body_hash(b);
    }
    item->comment = &c;
    item->id = c.id;
    item->made_from = {*hash, c.status};
    item->entry = std::move(entry);
    items_.push_back(std::move(item));
  }
  estimated_ = size_t(std::count_if(items_.begin(), items_.end(), [](const auto& i) { return !i->exact; }));
  if (all_new) width_ = -1;  // lay everything out again
  else needs_layout_ = true;
}

void ThreadView::estimate(Item& it) {
  TextFonts fonts = fonts_;
  fonts.shaper = &estimating_shaper;
  it.card = layout_card(*it.comment, it.entry, it.body, fonts, metrics_, width_);
  it.card.body = {};  // never drawn: only its height is kept (thousands of cards)
  it.height = it.card.height;
  if (it.exact) ++estimated_;
  it.exact = false;
}

void ThreadView::lay_out(Item& it) {
  it.card = layout_card(*it.comment, it.entry, it.body, fonts_, metrics_, width_);
  it.height = it.card.height;
  if (!it.exact) --estimated_;
  it.exact = true;
}

float ThreadView::layout(const TextFonts& fonts, const CardMetrics& m, float width) {
  if (width == width_ && fonts.size == font_size_) {
    if (!needs_layout_) return height_;
    // Only the comments that are new or changed since set_comments.
    needs_layout_ = false;
    for (auto& it : items_)
      if (it->height < 0) estimate(*it);
    place_items();
    return height_;
  }
  needs_layout_ = false;
  width_ = width;
  font_size_ = fonts.size;
  fonts_ = fonts;
  metrics_ = m;
  card_gap_ = m.card_gap;
  relaid_out_ = true;
  for (auto& it : items_) estimate(*it);
  place_items();
  return height_;
}

void ThreadView::lay_out_exactly(float top, float bottom) {
  if (!estimated_ || width_ < 0) return;
  for (size_t i = index_at(std::max(0.0f, top)); i < items_.size() && items_[i]->top < bottom; ++i) {
    Item& it = *items_[i];
    if (it.exact) continue;
    const float was = it.height;
    lay_out(it);
    if (it.height != was) {
      // The ones below follow at once: the loop reads their tops.
      const float by = it.height - was;
      for (size_t j = i + 1; j < items_.size(); ++j) items_[j]->top += by;
      height_ += by;
      moved_ = true;
    }
  }
}

bool ThreadView::lay_out_some(double budget_ms, size_t first, size_t last) {
  if (!estimated_ || width_ < 0) return false;
  last = std::min(last, items_.size());
  const auto start = std::chrono::steady_clock::now();
  bool any = false, left = false;
  for (size_t i = first; i < last; ++i) {
    Item& it = *items_[i];
    if (it.exact) continue;
    if (any && std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() >= budget_ms) {
      left = true;
      break;
    }
    lay_out(it);
    any = true;
  }
  if (any) place_items();
  return left;
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
    if (items_[i]->id == id) return i;
  return npos;
}

}  // namespace causerie
