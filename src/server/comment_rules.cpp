#include "server/comment_rules.h"

#include <algorithm>

#include "server/crypto.h"

namespace causerie::server {

namespace {

bool visible(CommentStatus s) { return s == CommentStatus::published; }
// A deleted comment stays deleted: nothing changes it any more.
bool not_deleted(CommentStatus s) { return s != CommentStatus::deleted; }

// Readers see a change only when the comment was or is visible: then the published
// count moves, the thread's version (public: ETags, event ids) is bumped and a live
// event of `kind` is logged. A change that stays hidden (pending, spam, deleted)
// leaves the thread alone: nobody may learn from it that a comment waits (its
// author's reads are tagged by their content, api.cpp).
DbResult record_change(CommentWriter& w, int64_t thread_id, int64_t comment_id, bool was_visible, bool is_visible,
                       EventKind kind, int64_t now) {
  if (!was_visible && !is_visible) return DbResult::ok;
  const int delta = (is_visible ? 1 : 0) - (was_visible ? 1 : 0);
  return w.touch_thread(thread_id, delta, kind, comment_id, now);
}

// A reply's parent must be in the same thread and visible, or pending and written by
// the one replying (who proves it with the parent's edit token).
InsertOutcome check_parent(CommentWriter& w, const InsertRequest& r, int64_t thread_id) {
  CommentState parent;
  const DbResult found = w.find_comment(r.parent_id, parent);
  if (found == DbResult::error) return InsertOutcome::error;
  if (found == DbResult::not_found || parent.thread_id != thread_id) return InsertOutcome::parent_not_found;
  const auto& own = r.own_token_hashes;
  const bool own_pending = parent.status == CommentStatus::pending && !parent.edit_token_hash.empty() &&
                           std::find(own.begin(), own.end(), parent.edit_token_hash) != own.end();
  return visible(parent.status) || own_pending ? InsertOutcome::ok : InsertOutcome::parent_not_found;
}

InsertOutcome insert_in(CommentWriter& w, const InsertRequest& r, const std::string& hash, CommentRow& row) {
  // "First comment waits": an author is known once one of their comments is published.
  CommentStatus status = r.status_known_author;
  if (r.status_known_author != r.status_new_author) {
    bool known = false;
    if (w.has_published(r.avatar_seed, known) != DbResult::ok) return InsertOutcome::error;
    if (!known) status = r.status_new_author;
  }

  ThreadRow thread;
  const DbResult found = w.find_thread(r.thread_key, thread);
  if (found == DbResult::error) return InsertOutcome::error;
  if (found == DbResult::not_found) {
    if (!r.may_create_thread) return InsertOutcome::thread_not_found;
    // The article's title and URL come with a comment readers see at once, never
    // with one held for moderation (the site owner sets them: PUT moderation/threads).
    const bool shown = status == CommentStatus::published;
    if (w.create_thread(r.thread_key, shown ? r.thread_title : "", shown ? r.thread_url : "", r.now, thread) !=
        DbResult::ok)
      return InsertOutcome::error;
  }
  if (thread.closed) return InsertOutcome::thread_closed;

  if (r.parent_id != 0) {
    const InsertOutcome parent = check_parent(w, r, thread.id);
    if (parent != InsertOutcome::ok) return parent;
  }

  if (r.duplicate_window_ms > 0) {
    bool duplicate = false;
    if (w.has_duplicate(thread.id, r.avatar_seed, hash, r.now - r.duplicate_window_ms, duplicate) != DbResult::ok)
      return InsertOutcome::error;
    if (duplicate) return InsertOutcome::duplicate;
  }

  row = CommentRow{};
  row.thread_id = thread.id;
  row.thread_key = r.thread_key;
  row.parent_id = r.parent_id;
  row.author_name = r.author_name;
  row.author_email = r.author_email;
  row.author_url = r.author_url;
  row.avatar_seed = r.avatar_seed;
  row.body = r.body;
  row.status = status;
  row.created_at = r.now;
  if (w.insert_comment(row, r.edit_token_hash, hash, row.id) != DbResult::ok) return InsertOutcome::error;
  if (record_change(w, thread.id, row.id, false, visible(status), EventKind::comment, r.now) != DbResult::ok)
    return InsertOutcome::error;
  return InsertOutcome::ok;
}

}  // namespace

InsertOutcome CommentRules::insert(const InsertRequest& r, CommentRow& out) {
  const std::string hash = body_hash(r.body);
  InsertOutcome outcome = InsertOutcome::error;
  CommentRow row;
  const bool done = storage_.write_comments([&](CommentWriter& w) {
    outcome = insert_in(w, r, hash, row);  // sets both on every run
    return outcome == InsertOutcome::ok;
  });
  if (!done) return InsertOutcome::error;
  if (outcome == InsertOutcome::ok) out = row;
  return outcome;
}

// Edit, erase and moderation: lock the comment, refuse it (not_found) unless
// `allowed` takes its status, `apply` the change, and record what readers see of it
// (`after`: the status it ends with, none when unchanged).
DbResult CommentRules::change(int64_t id, int64_t now, bool (*allowed)(CommentStatus),
                              std::optional<CommentStatus> after,
                              const std::function<DbResult(CommentWriter&)>& apply) {
  DbResult result = DbResult::error;
  const bool done = storage_.write_comments([&](CommentWriter& w) {
    CommentState c;
    result = w.lock_comment(id, c);  // sets it on every run
    if (result != DbResult::ok) return false;
    if (!allowed(c.status)) {
      result = DbResult::not_found;
      return false;
    }
    result = apply(w);
    if (result == DbResult::ok)
      result = record_change(w, c.thread_id, id, visible(c.status), visible(after.value_or(c.status)),
                             EventKind::update, now);
    return result == DbResult::ok;
  });
  return done ? result : DbResult::error;
}

DbResult CommentRules::edit(int64_t id, const std::string& body, int64_t now) {
  const std::string hash = body_hash(body);
  return change(
      id, now, [](CommentStatus s) { return s == CommentStatus::published || s == CommentStatus::pending; },
      std::nullopt, [&](CommentWriter& w) { return w.update_body(id, body, hash, now); });
}

DbResult CommentRules::erase(int64_t id, int64_t now) {
  return change(id, now, not_deleted, CommentStatus::deleted,
                [&](CommentWriter& w) { return w.erase_comment(id, now); });
}

DbResult CommentRules::forget_author(int64_t id, int64_t now) {
  return change(
      id, now, [](CommentStatus) { return true; }, CommentStatus::deleted,
      [&](CommentWriter& w) {
        const DbResult erased = w.erase_comment(id, now);
        return erased == DbResult::ok ? w.purge_author(id) : erased;
      });
}

DbResult CommentRules::set_status(int64_t id, CommentStatus status, int64_t now) {
  if (status == CommentStatus::deleted) return erase(id, now);
  return change(id, now, not_deleted, status, [&](CommentWriter& w) { return w.set_status(id, status); });
}

}  // namespace causerie::server
