#pragma once
// The columns both backends select for a comment and a thread, and how a result
// row becomes a CommentRow or a ThreadRow. `Row` gives i64(col) (0 for NULL),
// text(col) and flag(col) for the row at hand.
#include <algorithm>

#include "server/storage.h"

namespace causerie::server {

// `c` is the comment, `t` its thread.
inline constexpr const char* kCommentColumns =
    "c.id, c.thread_id, t.key, c.parent_id, c.author_name, c.author_email, c.author_url, "
    "c.avatar_seed, c.body, c.status, c.created_at, c.edited_at";

inline constexpr const char* kThreadColumns = "id, key, title, url, closed, comment_count, version, created_at";

template <class Row>
void read_comment_columns(const Row& r, CommentRow& c) {
  c.id = r.i64(0);
  c.thread_id = r.i64(1);
  c.thread_key = r.text(2);
  c.parent_id = r.i64(3);  // NULL: top level
  c.author_name = r.text(4);
  c.author_email = r.text(5);
  c.author_url = r.text(6);
  c.avatar_seed = r.text(7);
  c.body = r.text(8);
  if (!parse_status(r.text(9), c.status)) c.status = CommentStatus::spam;  // a CHECK forbids it anyway
  c.created_at = r.i64(10);
  c.edited_at = r.i64(11);  // NULL: never edited
}

template <class Row>
void read_thread_columns(const Row& r, ThreadRow& t) {
  t.id = r.i64(0);
  t.key = r.text(1);
  t.title = r.text(2);
  t.url = r.text(3);
  t.closed = r.flag(4);
  t.comment_count = r.i64(5);
  t.version = r.i64(6);
  t.created_at = r.i64(7);
}

// A page is read with one row more than asked for: that row only tells that a next
// page exists, and where it starts.
inline int page_rows_to_read(const PageQuery& q) { return std::max(1, q.limit) + 1; }
inline void end_page(const PageQuery& q, PageResult& out) {
  if ((int)out.comments.size() < page_rows_to_read(q)) return;
  out.comments.pop_back();
  out.next = PageCursor{out.comments.back().created_at, out.comments.back().id};
}

}  // namespace causerie::server
