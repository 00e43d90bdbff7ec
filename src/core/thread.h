#pragma once
// Turns the flat list of an API page into the order and indentation of display:
// parents before their replies, top level sorted oldest or newest first, replies
// always oldest first (as WordPress does), and past a maximum visual depth replies
// stay at that depth with an "in reply to <name>" mention.
//
// Hostile or incomplete lists are shown, never dropped: a reply whose parent is
// missing (deleted, not loaded yet, or never existed) is kept at the top level and
// marked orphan; a cycle of parent ids is broken at its oldest comment, which goes
// to the top level marked cycle. No recursion: 100,000-deep chains are fine.
#include <cstddef>
#include <string>
#include <vector>

#include "core/model.h"

namespace causerie {

struct ThreadOptions {
  SortOrder sort = SortOrder::oldest;  // of the top level
  int max_visual_depth = 5;            // 0: everything flat
};

struct ThreadEntry {
  static constexpr size_t npos = static_cast<size_t>(-1);
  size_t index = 0;           // into the comments given to build_thread
  size_t parent = npos;       // index of the parent shown above, npos at top level
  int depth = 0;              // depth in the tree, 0 at top level
  int visual_depth = 0;       // min(depth, max_visual_depth): the indentation to draw
  bool orphan = false;        // has a parent_id that is not in the list
  bool cycle = false;         // its parent chain looped back; shown at top level
  std::string reply_to_name;  // parent's author name when depth > visual_depth, else ""
  bool operator==(const ThreadEntry&) const = default;
};

// One entry per comment, in display order. O(n log n). When two comments share an
// id, replies attach to the first one.
std::vector<ThreadEntry> build_thread(const std::vector<Comment>& comments, const ThreadOptions& options = {});

}  // namespace causerie
