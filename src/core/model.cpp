#include "core/model.h"

namespace causerie {

const char* to_string(CommentStatus s) {
  switch (s) {
    case CommentStatus::published: return "published";
    case CommentStatus::pending: return "pending";
    case CommentStatus::deleted: return "deleted";
    case CommentStatus::spam: return "spam";
  }
  return "published";
}

const char* to_string(ThreadStatus s) { return s == ThreadStatus::closed ? "closed" : "open"; }

const char* to_string(SortOrder s) { return s == SortOrder::newest ? "newest" : "oldest"; }

bool parse_comment_status(std::string_view s, CommentStatus& out) {
  if (s == "published") {
    out = CommentStatus::published;
    return true;
  }
  if (s == "pending") {
    out = CommentStatus::pending;
    return true;
  }
  if (s == "deleted") {
    out = CommentStatus::deleted;
    return true;
  }
  if (s == "spam") {
    out = CommentStatus::spam;
    return true;
  }
  return false;
}

bool parse_thread_status(std::string_view s, ThreadStatus& out) {
  if (s == "open") {
    out = ThreadStatus::open;
    return true;
  }
  if (s == "closed") {
    out = ThreadStatus::closed;
    return true;
  }
  return false;
}

bool parse_sort_order(std::string_view s, SortOrder& out) {
  if (s == "oldest") {
    out = SortOrder::oldest;
    return true;
  }
  if (s == "newest") {
    out = SortOrder::newest;
    return true;
  }
  return false;
}

}  // namespace causerie
