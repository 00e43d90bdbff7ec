#pragma once
// What a comment may do, decided once for every storage: a closed thread takes no
// comment, a reply needs a visible parent (or its author's own pending one), the
// same comment twice in a short while is refused, moderation decides the status of
// a new comment, and only changes readers can see become live events and move the
// published count. Each operation runs inside one write transaction of the storage
// (Storage::write_comments), so its checks and its change are atomic in every backend.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/storage.h"

namespace causerie::server {

struct InsertRequest {
  std::string thread_key;
  std::string thread_title;  // used when the thread is created by this comment
  std::string thread_url;
  bool may_create_thread = true;
  int64_t parent_id = 0;
  // A pending parent is acceptable only to its own author (these are their tokens, hashed).
  std::vector<std::string> own_token_hashes;
  std::string author_name, author_email, author_url, avatar_seed;
  std::string body;
  std::string edit_token_hash;
  int64_t now = 0;
  // Moderation: the status for an author who already has a published comment,
  // and for one who has none ("first" mode makes these differ).
  CommentStatus status_known_author = CommentStatus::published;
  CommentStatus status_new_author = CommentStatus::published;
  // Same thread, same author (avatar seed) and same body within this many ms: refused.
  int64_t duplicate_window_ms = 10 * 60 * 1000;
};

enum class InsertOutcome { ok, thread_not_found, thread_closed, parent_not_found, duplicate, error };

class CommentRules {
public:
  explicit CommentRules(Storage& storage) : storage_(storage) {}

  // A new comment (and its thread, when missing and allowed); `out` is the stored row.
  InsertOutcome insert(const InsertRequest& r, CommentRow& out);
  // A published or pending comment's new body; not_found for any other.
  DbResult edit(int64_t id, const std::string& body, int64_t now);
  // Deleted (the row stays, emptied); not_found when already deleted.
  DbResult erase(int64_t id, int64_t now);
  // A reader's right to erasure: deleted (whatever it was) and purged of its author.
  DbResult forget_author(int64_t id, int64_t now);
  // A moderator's decision; deleted erases. A deleted comment stays deleted (not_found).
  DbResult set_status(int64_t id, CommentStatus status, int64_t now);

private:
  DbResult change(int64_t id, int64_t now, bool (*allowed)(CommentStatus), std::optional<CommentStatus> after,
                  const std::function<DbResult(CommentWriter&)>& apply);

  Storage& storage_;
};

}  // namespace causerie::server
