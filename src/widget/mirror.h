#pragma once
// The accessibility mirror: a JSON description of the section's header and of the
// comments in a window around the viewport. The loader turns it into a visually
// hidden DOM tree laid over the cards (text as textContent only). The JSON's
// format, which web/loader/mirror.js reads: docs/architecture.md, "The mirror's JSON".
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/i18n.h"
#include "core/model.h"
#include "widget/thread_view.h"

namespace causerie {

// What the mirror describes, borrowed from the section for one call.
struct MirrorContent {
  const Catalog& catalog;
  const ThreadView& view;                                      // laid out: tops and heights are the cards'
  const std::vector<Comment>& comments;                        // what view's entries index
  const std::vector<std::pair<CommentId, int64_t>>& editable;  // the reader's own, and until when
  const std::string& heading;
  const std::string& error;  // "" when none
  bool failed = false;       // the thread could not be read (state "error")
  bool has_more = false;
  int arrived_count = 0;
  ThreadStatus thread_status = ThreadStatus::open;
  float header_height = 0;  // the list's top in the section
  int64_t timezone_offset_minutes = 0;
};

// The JSON of items [first, first + count) of content.view.
std::string mirror_json(const MirrorContent& content, size_t first, size_t count);

// Which window of comments the mirror holds (not 10,000 DOM nodes): it moves when
// the reader scrolls near its edges, and is described again when the content changed.
class MirrorWindow {
public:
  static constexpr size_t kWindow = 60, kMargin = 15;
  void invalidate() { dirty_ = true; }
  // The mirror's JSON when it must change (content changed, or `first_visible` came
  // near the window's edges); nullopt otherwise.
  std::optional<std::string> update(const MirrorContent& content, size_t first_visible);

private:
  size_t first_ = ThreadView::npos;
  size_t count_ = 0;
  bool dirty_ = true;
};

}  // namespace causerie
