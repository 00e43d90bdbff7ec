#include "server/storage.h"

#include "server/crypto.h"

namespace causerie::server {

// Duplicates are found by a hash of the body (an index lookup, not a scan of the
// author's recent comments). Computed before the transaction, never inside it.
std::string body_hash(const std::string& body) { return sha256_hex(body).substr(0, 32); }

const char* status_name(CommentStatus s) {
  switch (s) {
    case CommentStatus::published: return "published";
    case CommentStatus::pending: return "pending";
    case CommentStatus::spam: return "spam";
    case CommentStatus::deleted: return "deleted";
  }
  return "published";
}

bool parse_status(const std::string& s, CommentStatus& out) {
  if (s == "published") out = CommentStatus::published;
  else if (s == "pending") out = CommentStatus::pending;
  else if (s == "spam") out = CommentStatus::spam;
  else if (s == "deleted") out = CommentStatus::deleted;
  else return false;
  return true;
}

const char* event_kind_name(EventKind k) { return k == EventKind::comment ? "comment" : "update"; }

EventKind parse_event_kind(const std::string& s) { return s == "comment" ? EventKind::comment : EventKind::update; }

}  // namespace causerie::server
