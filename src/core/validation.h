#pragma once
// The rules a comment must follow (docs/api.md, "Validation"). One implementation:
// the server rejects with it, the widget warns with it before sending. Codes are
// stable strings the UI translates.
#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace causerie {

enum class ValidationCode {
  required,
  too_short,
  too_long,
  invalid_email,
  invalid_url_scheme,
  invalid_url,
  control_characters,
  invalid_utf8,
  too_many_links,
  honeypot,
  invalid_parent,
};

const char* to_string(ValidationCode code);  // "too_long"
bool parse_validation_code(std::string_view s, ValidationCode& out);

struct ValidationError {
  std::string field;  // "author.name", "author.email", "author.url", "body", "title", "url", "website"
  ValidationCode code;
  bool operator==(const ValidationError&) const = default;
};

// Defaults are the documented ones; the server can change them by option.
struct Limits {
  size_t name_min_chars = 1;
  size_t name_max_chars = 80;
  size_t email_max_bytes = 254;
  bool require_email = true;
  size_t url_max_bytes = 2048;
  size_t title_max_chars = 300;
  size_t body_min_chars = 1;
  size_t body_max_chars = 10000;
  size_t max_links = 10;
  size_t thread_key_max_bytes = 512;
};

// Trims the one-line fields, turns \r\n and \r into \n in the body and trims its
// blank edges, gives a scheme-less author URL "https://", and turns empty optional
// strings into nullopt. The server stores what this returns.
void normalize_new_comment(NewComment& c);
std::string normalize_body(std::string_view body);
std::string trim(std::string_view s);  // ASCII white space and U+00A0

// All failures, at most one per field (the most basic one: invalid_utf8, then
// required, then lengths, then characters, then shape). Empty when valid.
// Validates a normalised copy, so calling normalize_new_comment first is optional.
std::vector<ValidationError> validate_new_comment(const NewComment& c, const Limits& limits = {});
std::vector<ValidationError> validate_comment_edit(const CommentEdit& e, const Limits& limits = {});

// The pieces, for the widget to check one field as the reader types.
std::vector<ValidationError> validate_body(std::string_view body, const Limits& limits = {});
bool is_email_shape(std::string_view email);
size_t count_links(std::string_view body);  // http://, https://, mailto: and other ](target)
bool has_control_characters(std::string_view s, bool allow_newline_and_tab);
bool is_valid_thread_key(std::string_view key, const Limits& limits = {});
// A URL the author's website or the article's URL may be (after normalisation).
bool is_valid_comment_url(std::string_view url, const Limits& limits = {});

// The 422 answer for a list of failures: code validation_failed, `field` the first
// failing field, every failure in `details`.
ApiError validation_api_error(const std::vector<ValidationError>& errors);

}  // namespace causerie
