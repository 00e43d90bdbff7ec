#include "widget/reading_position.h"

#include <cmath>
#include <utility>

namespace causerie {

void ReadingPosition::remember(const ThreadView& view, size_t first_visible, float viewport_top, float header_height) {
  if (id_ || first_visible >= view.size()) return;
  if (viewport_top <= header_height) return;  // above the thread: nothing moves under the reader's eyes
  size_t i = first_visible;
  const float viewport_in_list = viewport_top - header_height;
  if (const ThreadView::Item& first = view.item(i);
      i + 1 < view.size() && first.top + first.height - viewport_in_list < first.height * 0.5f)
    ++i;
  const ThreadView::Item& item = view.item(i);
  id_ = item.comment->id;
  top_ = header_height + item.top;
}

float ReadingPosition::restore(const ThreadView& view, float header_height) {
  const CommentId id = std::exchange(id_, 0);
  const size_t i = view.index_of(id);
  if (i == ThreadView::npos) return 0;  // it was deleted: let the page be
  const float moved = header_height + view.item(i).top - top_;
  return std::abs(moved) < 0.5f ? 0 : moved;
}

}  // namespace causerie
