#pragma once
// What the site's owners are told of each new comment (Options::owner_emails,
// webhook_url), sent through the outbox (outbox.h): an e-mail in French or English
// with the comment's text, its thread's link and one-click approve and spam links,
// and a webhook's JSON. The links are signed like a reader's own-data links
// (my_data.h), work once (Storage::claim_link) and for kModerationLinkLifetimeSeconds;
// they open a confirmation page whose button does the change (api_owner_alerts.cpp).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/i18n.h"
#include "server/my_data.h"
#include "server/storage.h"

namespace causerie::server {

inline constexpr int64_t kModerationLinkLifetimeSeconds = 7 * 24 * 3600;
inline constexpr const char* kModerationLinkPath = "/api/v1/moderation/link";

struct ModerationLink {
  int64_t comment_id = 0;
  CommentStatus status = CommentStatus::published;  // published (approve) or spam
  int64_t expires_at = 0;                           // Unix seconds
  std::string nonce;
};
std::string sign_moderation_link(std::string_view salt, const ModerationLink& link);
LinkCheck read_moderation_link(std::string_view salt, std::string_view token, int64_t now_seconds, ModerationLink& out);

// A text of these e-mails and pages in the catalog's language (French, else English).
std::string owner_alert_text(const Catalog& catalog, std::string_view key);

struct OwnerMail {
  std::string subject, text;
};
// The e-mail telling owners of `comment` in `thread`: its text as written (plain
// text), the link to read it in place, and the approve and spam links.
OwnerMail owner_alert_mail(const Catalog& catalog, const CommentRow& comment, const ThreadRow& thread,
                           const std::string& comment_link, const std::string& approve_link,
                           const std::string& spam_link);

// The webhook's body for a new comment (docs/api.md, "Webhook").
std::string webhook_comment_json(const CommentRow& comment, const ThreadRow& thread, const std::string& comment_link,
                                 int64_t now_seconds);

}  // namespace causerie::server
