#include "core/thread.h"

#include <algorithm>
#include <unordered_map>

namespace causerie {

std::vector<ThreadEntry> build_thread(const std::vector<Comment>& comments, const ThreadOptions& options) {
  constexpr size_t none = ThreadEntry::npos;
  const size_t n = comments.size();

  std::unordered_map<CommentId, size_t> index_of;
  index_of.reserve(n);
  for (size_t i = 0; i < n; ++i) index_of.emplace(comments[i].id, i);  // first one wins

  std::vector<size_t> parent(n, none);
  std::vector<char> orphan(n, 0), cycle(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (!comments[i].parent_id) continue;
    auto it = index_of.find(*comments[i].parent_id);
    if (it == index_of.end()) orphan[i] = 1;
    else parent[i] = it->second;  // may be i itself: a one-comment cycle, broken below
  }

  const auto older = [&](size_t a, size_t b) {
    const Comment& x = comments[a];
    const Comment& y = comments[b];
    if (x.created_at != y.created_at) return x.created_at < y.created_at;
    if (x.id != y.id) return x.id < y.id;
    return a < b;
  };

  // Break cycles: walk up each chain once (state: 0 new, 1 on the current walk, 2 done).
  std::vector<char> state(n, 0);
  std::vector<size_t> walk;
  for (size_t start = 0; start < n; ++start) {
    if (state[start]) continue;
    walk.clear();
    size_t at = start;
    while (at != none && state[at] == 0) {
      state[at] = 1;
      walk.push_back(at);
      at = parent[at];
    }
    if (at != none && state[at] == 1) {
      // `at` is on this walk: the cycle is walk[pos of at ..]. Cut it at its oldest.
      const auto first = std::find(walk.begin(), walk.end(), at);
      const size_t oldest = *std::min_element(first, walk.end(), older);
      parent[oldest] = none;
      cycle[oldest] = 1;
    }
    for (size_t i : walk) state[i] = 2;
  }

  // Children in one flat array (CSR), each range sorted oldest first.
  std::vector<size_t> child_start(n + 1, 0), children(n);
  std::vector<size_t> roots;
  for (size_t i = 0; i < n; ++i) {
    if (parent[i] == none) roots.push_back(i);
    else ++child_start[parent[i] + 1];
  }
  for (size_t i = 0; i < n; ++i) child_start[i + 1] += child_start[i];
  {
    std::vector<size_t> fill(child_start.begin(), child_start.end() - 1);
    for (size_t i = 0; i < n; ++i)
      if (parent[i] != none) children[fill[parent[i]]++] = i;
  }
  for (size_t i = 0; i < n; ++i)
    std::sort(children.begin() + child_start[i], children.begin() + child_start[i + 1], older);
  std::sort(roots.begin(), roots.end(), older);
  if (options.sort == SortOrder::newest) std::reverse(roots.begin(), roots.end());

  // Pre-order walk with an explicit stack.
  const int max_visual = std::max(0, options.max_visual_depth);
  std::vector<ThreadEntry> out;
  out.reserve(n);
  std::vector<std::pair<size_t, int>> stack;
  for (auto r = roots.rbegin(); r != roots.rend(); ++r) stack.push_back({*r, 0});
  while (!stack.empty()) {
    const auto [i, depth] = stack.back();
    stack.pop_back();
    ThreadEntry e;
    e.index = i;
    e.parent = parent[i];
    e.depth = depth;
    e.visual_depth = std::min(depth, max_visual);
    e.orphan = orphan[i] != 0;
    e.cycle = cycle[i] != 0;
    if (e.visual_depth < e.depth) e.reply_to_name = comments[parent[i]].author.name;
    out.push_back(std::move(e));
    for (size_t k = child_start[i + 1]; k > child_start[i]; --k) stack.push_back({children[k - 1], depth + 1});
  }
  return out;
}

}  // namespace causerie
