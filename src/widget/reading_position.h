#pragma once
// The text being read never jumps: when the thread changes above the comment the
// reader is reading (a live edit, a revealed comment, a page of a reply), the page
// is scrolled by as much as that comment moved.
#include "core/model.h"
#include "widget/thread_view.h"

namespace causerie {

class ReadingPosition {
public:
  // Before the thread changes: the comment at the top of the viewport (the next
  // one when less than half of it is still in view) and its top in the section.
  // Nothing when the reader is above the thread, or one is remembered already
  // (the new layout has not been drawn yet).
  void remember(const ThreadView& view, size_t first_visible, float viewport_top, float header_height);
  bool remembered() const { return id_ != 0; }
  // After the new layout: how far that comment moved (0 when it did not, or it is
  // gone), which the page must scroll by. Forgets it.
  float restore(const ThreadView& view, float header_height);

private:
  CommentId id_ = 0;
  float top_ = 0;
};

}  // namespace causerie
