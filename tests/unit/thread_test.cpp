#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "core/thread.h"

using namespace causerie;

namespace {

Comment make(CommentId id, std::optional<CommentId> parent, UnixSeconds at, std::string name = "") {
  Comment c;
  c.id = id;
  c.parent_id = parent;
  c.created_at = at;
  c.author.name = name.empty() ? "author" + std::to_string(id) : name;
  return c;
}

std::vector<CommentId> ids(const std::vector<Comment>& comments, const std::vector<ThreadEntry>& entries) {
  std::vector<CommentId> out;
  for (const ThreadEntry& e : entries) out.push_back(comments[e.index].id);
  return out;
}

std::vector<int> depths(const std::vector<ThreadEntry>& entries) {
  std::vector<int> out;
  for (const ThreadEntry& e : entries) out.push_back(e.depth);
  return out;
}

}  // namespace

TEST_CASE("parents before replies; top level by sort, replies always oldest first") {
  // Given out of order, as a "newest" API page would.
  const std::vector<Comment> comments = {
      make(5, 1, 500), make(3, std::nullopt, 300), make(4, 1, 400), make(1, std::nullopt, 100),
      make(6, 4, 600), make(2, std::nullopt, 200),
  };
  const auto oldest = build_thread(comments);
  CHECK(ids(comments, oldest) == std::vector<CommentId>{1, 4, 6, 5, 2, 3});
  CHECK(depths(oldest) == std::vector<int>{0, 1, 2, 1, 0, 0});
  CHECK(oldest[1].parent == 3);  // index of comment 1 in `comments`
  CHECK(oldest[0].parent == ThreadEntry::npos);

  const auto newest = build_thread(comments, {SortOrder::newest, 5});
  CHECK(ids(comments, newest) == std::vector<CommentId>{3, 2, 1, 4, 6, 5});
  for (const ThreadEntry& e : newest) {
    CHECK_FALSE(e.orphan);
    CHECK_FALSE(e.cycle);
    CHECK(e.reply_to_name.empty());
  }
}

TEST_CASE("equal times are ordered by id, then by position") {
  const std::vector<Comment> comments = {make(9, std::nullopt, 100), make(2, std::nullopt, 100), make(5, 2, 100),
                                         make(4, 2, 100)};
  CHECK(ids(comments, build_thread(comments)) == std::vector<CommentId>{2, 4, 5, 9});
}

TEST_CASE("orphans are kept at the top level and marked") {
  const std::vector<Comment> comments = {make(1, std::nullopt, 100), make(2, 99, 150), make(3, 2, 200),
                                         make(4, 1, 300)};
  const auto entries = build_thread(comments);
  CHECK(ids(comments, entries) == std::vector<CommentId>{1, 4, 2, 3});
  CHECK_FALSE(entries[0].orphan);
  CHECK(entries[2].orphan);
  CHECK(entries[2].depth == 0);
  CHECK_FALSE(entries[3].orphan);  // its parent (the orphan) is here
  CHECK(entries[3].depth == 1);
}

TEST_CASE("cycles are broken at their oldest comment, which goes to the top level") {
  // 1 -> 3 -> 2 -> 1, plus 4 replying into the loop, plus a self-reply.
  const std::vector<Comment> comments = {make(1, 2, 100), make(2, 3, 200), make(3, 1, 300), make(4, 3, 400),
                                         make(5, 5, 50)};
  const auto entries = build_thread(comments);
  REQUIRE(entries.size() == 5);
  CHECK(ids(comments, entries) == std::vector<CommentId>{5, 1, 3, 2, 4});
  CHECK(entries[0].cycle);
  CHECK(entries[0].depth == 0);
  CHECK(entries[1].cycle);
  CHECK(entries[1].depth == 0);
  CHECK(depths(entries) == std::vector<int>{0, 0, 1, 2, 2});
  for (size_t k = 2; k < entries.size(); ++k) CHECK_FALSE(entries[k].cycle);
}

TEST_CASE("past the maximum visual depth, replies stay there and say whom they answer") {
  std::vector<Comment> comments;
  comments.push_back(make(1, std::nullopt, 100, "Alice"));
  for (CommentId id = 2; id <= 9; ++id) comments.push_back(make(id, id - 1, 100 * id, "Name" + std::to_string(id)));
  const auto entries = build_thread(comments, {SortOrder::oldest, 3});
  REQUIRE(entries.size() == 9);
  for (size_t k = 0; k < entries.size(); ++k) {
    CAPTURE(k);
    CHECK(entries[k].depth == int(k));
    CHECK(entries[k].visual_depth == std::min(int(k), 3));
    if (k <= 3) CHECK(entries[k].reply_to_name.empty());
    else CHECK(entries[k].reply_to_name == "Name" + std::to_string(k));  // parent of id k+1
  }
  const auto flat = build_thread(comments, {SortOrder::oldest, 0});
  CHECK(flat[1].visual_depth == 0);
  CHECK(flat[1].reply_to_name == "Alice");
  const auto negative = build_thread(comments, {SortOrder::oldest, -4});
  CHECK(negative[2].visual_depth == 0);
}

TEST_CASE("duplicate ids: replies attach to the first, both are shown") {
  const std::vector<Comment> comments = {make(1, std::nullopt, 100), make(1, std::nullopt, 200), make(2, 1, 300)};
  const auto entries = build_thread(comments);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].index == 0);
  CHECK(entries[1].index == 2);
  CHECK(entries[1].parent == 0);
  CHECK(entries[2].index == 1);
}

TEST_CASE("empty list") { CHECK(build_thread({}).empty()); }

TEST_CASE("a 100,000-deep chain and a 100,000-long cycle do not recurse") {
  std::vector<Comment> chain;
  const int n = 100000;
  chain.reserve(n);
  for (int i = n; i >= 1; --i)  // newest first, the worst order for a naive builder
    chain.push_back(make(i, i > 1 ? std::optional<CommentId>(i - 1) : std::nullopt, i));
  const auto entries = build_thread(chain);
  REQUIRE(entries.size() == size_t(n));
  CHECK(chain[entries.front().index].id == 1);
  CHECK(entries.back().depth == n - 1);
  CHECK(entries.back().visual_depth == 5);
  CHECK(entries.back().reply_to_name == "author" + std::to_string(n - 1));

  chain.back().parent_id = n;  // comment 1 now answers comment n: one big cycle
  const auto looped = build_thread(chain);
  REQUIRE(looped.size() == size_t(n));
  CHECK(chain[looped.front().index].id == 1);
  CHECK(looped.front().cycle);
  CHECK(looped.back().depth == n - 1);
}

TEST_CASE("10,000 comments build fast") {
  std::vector<Comment> comments;
  uint32_t seed = 12345;
  const auto next = [&] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  for (int i = 1; i <= 10000; ++i) {
    std::optional<CommentId> parent;
    if (i > 1 && next() % 3) parent = CommentId(1 + next() % (i - 1));
    comments.push_back(make(i, parent, 1000 + i));
  }
  const auto start = std::chrono::steady_clock::now();
  const auto entries = build_thread(comments, {SortOrder::newest, 5});
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  REQUIRE(entries.size() == comments.size());
  // Every comment once, every reply after its parent.
  std::vector<int> position(comments.size(), -1);
  for (size_t k = 0; k < entries.size(); ++k) {
    REQUIRE(position[entries[k].index] == -1);
    position[entries[k].index] = int(k);
  }
  for (size_t k = 0; k < entries.size(); ++k)
    if (entries[k].parent != ThreadEntry::npos) CHECK(position[entries[k].parent] < int(k));
  CHECK(ms < 2000);  // generous: it takes a few ms; a quadratic builder takes far longer
}
