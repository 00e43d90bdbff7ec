#pragma once
// A reader's own data (GDPR articles 15 and 17) asked for by the reader: a copy of
// every comment made with an e-mail address, or their erasure. The reader proves
// they own the address by following a link the server e-mails them: signed with a
// key derived from the install salt, valid 24 hours, used once (Storage::claim_link).
// The routes are in api_my_data.cpp, the pages in html_view.h; this file holds the
// links and the words (French and English, the HTML view's languages).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/i18n.h"

namespace causerie::server {

enum class DataAction { copy, erase };
bool parse_data_action(std::string_view s, DataAction& out);

inline constexpr int64_t kDataLinkLifetimeSeconds = 24 * 3600;

struct DataLink {
  DataAction action = DataAction::copy;
  std::string email;       // as the reader typed it (NFC)
  int64_t expires_at = 0;  // Unix seconds
  std::string nonce;       // random: two requests never make the same link
};

// A signed token: base64url(payload) "." base64url(HMAC-SHA-256 of the payload under
// a key derived from the install salt for `purpose`, so one kind of link never passes
// for another). Links e-mailed to readers and owners.
std::string sign_payload(std::string_view salt, std::string_view purpose, std::string_view payload);
// False when the token was not signed so (altered, cut, another purpose).
bool read_signed_payload(std::string_view salt, std::string_view purpose, std::string_view token,
                         std::string& payload);
// A payload's `count` newline-separated fields, the last taking the rest.
bool split_fields(const std::string& payload, std::string* fields, int count);

// The token a link carries: base64url(payload) "." base64url(HMAC-SHA-256).
std::string sign_data_link(std::string_view salt, const DataLink& link);
enum class LinkCheck { ok, invalid, expired };
LinkCheck read_data_link(std::string_view salt, std::string_view token, int64_t now_seconds, DataLink& out);
// What Storage::claim_link remembers of a used token.
std::string data_link_hash(std::string_view token);  // any signed token's

// A text of these pages and e-mails in the catalog's language (French, else English).
std::string my_data_text(const Catalog& catalog, std::string_view key);

// `text` with every "{name}" replaced by `value`.
std::string fill_text(std::string text, std::string_view name, const std::string& value);

// "1 commentaire", "0 commentaire", "2 commentaires" / "1 comment", "0 comments": the
// number as the language writes it and the noun by the catalog's plural rule.
std::string comment_count(const Catalog& catalog, int64_t count);

struct DataMail {
  std::string subject, text;
};
// The e-mail answering a request: the link when the address has comments
// (`count` > 0), else a note saying it has none.
DataMail data_mail(const Catalog& catalog, DataAction action, const std::string& email, int64_t count,
                   const std::string& link);

}  // namespace causerie::server
