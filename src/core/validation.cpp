#include "core/validation.h"

#include <optional>

#include "core/url.h"
#include "core/utf8.h"

namespace causerie {

namespace {

struct CodeInfo {
  ValidationCode code;
  const char* name;
  const char* phrase;  // English, for the error message of the 422 answer
};

const CodeInfo kCodes[] = {
    {ValidationCode::required, "required", "is required"},
    {ValidationCode::too_short, "too_short", "is too short"},
    {ValidationCode::too_long, "too_long", "is too long"},
    {ValidationCode::invalid_email, "invalid_email", "is not an e-mail address"},
    {ValidationCode::invalid_url_scheme, "invalid_url_scheme", "must be an http or https URL"},
    {ValidationCode::invalid_url, "invalid_url", "is not a valid URL"},
    {ValidationCode::control_characters, "control_characters", "contains control characters"},
    {ValidationCode::invalid_utf8, "invalid_utf8", "is not valid UTF-8"},
    {ValidationCode::too_many_links, "too_many_links", "has too many links"},
    {ValidationCode::honeypot, "honeypot", "must be empty"},
    {ValidationCode::invalid_parent, "invalid_parent", "is not a comment of this thread"},
};

const CodeInfo& info(ValidationCode code) {
  for (const CodeInfo& c : kCodes)
    if (c.code == code) return c;
  return kCodes[0];
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Length of the white space (ASCII or a UTF-8 no-break space) starting at s[i], 0 if none.
size_t space_at(std::string_view s, size_t i) {
  if (is_ascii_space(s[i])) return 1;
  if (s[i] == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') return 2;
  return 0;
}

// Same, for the white space that ends at s[end - 1].
size_t space_before(std::string_view s, size_t end) {
  if (is_ascii_space(s[end - 1])) return 1;
  if (end >= 2 && s[end - 2] == '\xC2' && s[end - 1] == '\xA0') return 2;
  return 0;
}

void normalize_optional(std::optional<std::string>& s) {
  if (!s) return;
  *s = trim(*s);
  if (s->empty()) s.reset();
}

// A host:port typed without a scheme ("localhost:8080") is not a scheme.
bool looks_like_scheme(std::string_view s) {
  if (!has_url_scheme(s)) return false;
  const size_t colon = s.find(':');
  return !(colon + 1 < s.size() && s[colon + 1] >= '0' && s[colon + 1] <= '9');
}

struct TextRule {
  bool required;
  size_t min_chars;  // 0: none
  size_t max_chars;  // 0: none
  size_t max_bytes;  // 0: none
  bool multiline;    // \n and \t allowed
};

// The basic checks every text field goes through, most basic first.
std::optional<ValidationCode> check_text(std::string_view s, const TextRule& rule) {
  if (!utf8_valid(s)) return ValidationCode::invalid_utf8;
  if (s.empty()) return rule.required ? std::optional(ValidationCode::required) : std::nullopt;
  if (rule.max_bytes && s.size() > rule.max_bytes) return ValidationCode::too_long;
  const size_t chars = (rule.min_chars || rule.max_chars) ? utf8_length(s) : 0;
  if (rule.min_chars && chars < rule.min_chars) return ValidationCode::too_short;
  if (rule.max_chars && chars > rule.max_chars) return ValidationCode::too_long;
  if (has_control_characters(s, rule.multiline)) return ValidationCode::control_characters;
  return std::nullopt;
}

// "https://good.example@evil.example/" goes to evil.example: a name's link must
// not show one site and open another, so user information is refused.
bool has_user_info(std::string_view url) {
  const size_t start = url.find("://") + 3;
  const std::string_view authority = url.substr(start, url.find_first_of("/?#", start) - start);
  return authority.find('@') != std::string_view::npos;
}

std::optional<ValidationCode> check_url(std::string_view url, size_t max_bytes) {
  if (auto code = check_text(url, {false, 0, 0, max_bytes, false})) return code;
  switch (check_http_url(url)) {
    case UrlCheck::ok: return has_user_info(url) ? std::optional(ValidationCode::invalid_url) : std::nullopt;
    case UrlCheck::bad_scheme: return ValidationCode::invalid_url_scheme;
    case UrlCheck::malformed: return ValidationCode::invalid_url;
  }
  return ValidationCode::invalid_url;
}

void add(std::vector<ValidationError>& out, const char* field, std::optional<ValidationCode> code) {
  if (code) out.push_back({field, *code});
}

std::optional<ValidationCode> check_body(std::string_view body, const Limits& limits) {
  if (auto code = check_text(body, {true, limits.body_min_chars, limits.body_max_chars, 0, true})) return code;
  if (count_links(body) > limits.max_links) return ValidationCode::too_many_links;
  return std::nullopt;
}

}  // namespace

const char* to_string(ValidationCode code) { return info(code).name; }

bool parse_validation_code(std::string_view s, ValidationCode& out) {
  for (const CodeInfo& c : kCodes) {
    if (s == c.name) {
      out = c.code;
      return true;
    }
  }
  return false;
}

std::string trim(std::string_view s) {
  size_t begin = 0, end = s.size();
  while (begin < end) {
    const size_t n = space_at(s, begin);
    if (!n) break;
    begin += n;
  }
  while (end > begin) {
    const size_t n = space_before(s, end);
    if (!n) break;
    end -= n;
  }
  return std::string(s.substr(begin, end - begin));
}

std::string normalize_body(std::string_view body) {
  std::string text;
  text.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r') {
      text += '\n';
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
    } else {
      text += body[i];
    }
  }
  // Drop blank lines at the start, but keep the first line's indentation (code).
  size_t start = 0;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\n') {
      start = i + 1;
      ++i;
      continue;
    }
    const size_t n = space_at(text, i);
    if (!n) break;
    i += n;
    if (i >= text.size()) start = text.size();
  }
  size_t end = text.size();
  while (end > start) {
    const size_t n = space_before(text, end);
    if (!n) break;
    end -= n;
  }
  return text.substr(start, end - start);
}

void normalize_new_comment(NewComment& c) {
  c.author.name = trim(c.author.name);
  c.author.email = trim(c.author.email);
  normalize_optional(c.author.url);
  if (c.author.url && !looks_like_scheme(*c.author.url)) {
    // What people type in a "site web" field: "marie.example/blog" or "//marie.example".
    const bool scheme_relative = c.author.url->rfind("//", 0) == 0;
    c.author.url = (scheme_relative ? "https:" : "https://") + *c.author.url;
  }
  c.body = normalize_body(c.body);
  normalize_optional(c.title);
  normalize_optional(c.url);
}

bool has_control_characters(std::string_view s, bool allow_newline_and_tab) {
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = utf8_next(s, i);
    if (allow_newline_and_tab && (cp == '\n' || cp == '\t')) continue;
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return true;
  }
  return false;
}

bool is_email_shape(std::string_view email) {
  const size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos) return false;
  const std::string_view local = email.substr(0, at);
  const std::string_view domain = email.substr(at + 1);
  if (local.size() > 64) return false;
  for (char ch : local) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' || c == ';' || c == '\\') return false;
  }
  // Labels of letters, digits, hyphens (or UTF-8 bytes, for internationalised
  // domains), separated by dots; at least two labels, the last not all digits.
  size_t labels = 0;
  bool last_all_digits = false;
  size_t start = 0;
  while (true) {
    size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    last_all_digits = true;
    for (char ch : label) {
      const auto c = static_cast<unsigned char>(ch);
      const bool digit = c >= '0' && c <= '9';
      const bool ok = digit || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c >= 0x80;
      if (!ok) return false;
      if (!digit) last_all_digits = false;
    }
    ++labels;
    if (dot == domain.size()) break;
    start = dot + 1;
  }
  return labels >= 2 && !last_all_digits;
}

size_t count_links(std::string_view body) {
  static const std::string_view kLinkStarts[] = {"http://", "https://", "mailto:"};
  const auto link_start_at = [&](size_t i) -> size_t {
    for (std::string_view p : kLinkStarts)
      if (starts_with_ignore_case(body.substr(i), p)) return p.size();
    return 0;
  };
  size_t count = 0;
  for (size_t i = 0; i < body.size();) {
    if (const size_t n = link_start_at(i)) {
      ++count;
      i += n;
    } else if (body[i] == ']' && i + 1 < body.size() && body[i + 1] == '(') {
      // A Markdown link to something else ("[x](www.spam)"); http(s) targets are
      // counted when the scan reaches them.
      if (!link_start_at(i + 2)) ++count;
      i += 2;
    } else {
      ++i;
    }
  }
  return count;
}

bool is_valid_comment_url(std::string_view url, const Limits& limits) {
  return !check_url(url, limits.url_max_bytes) && !url.empty();
}

bool is_valid_thread_key(std::string_view key, const Limits& limits) {
  return !key.empty() && key.size() <= limits.thread_key_max_bytes && utf8_valid(key) &&
         !has_control_characters(key, false);
}

std::vector<ValidationError> validate_body(std::string_view body, const Limits& limits) {
  std::vector<ValidationError> errors;
  add(errors, "body", check_body(normalize_body(body), limits));
  return errors;
}

std::vector<ValidationError> validate_new_comment(const NewComment& original, const Limits& limits) {
  NewComment c = original;
  normalize_new_comment(c);
  std::vector<ValidationError> errors;
  add(errors, "author.name", check_text(c.author.name, {true, limits.name_min_chars, limits.name_max_chars, 0, false}));
  std::optional<ValidationCode> email =
      check_text(c.author.email, {limits.require_email, 0, 0, limits.email_max_bytes, false});
  if (!email && !c.author.email.empty() && !is_email_shape(c.author.email)) email = ValidationCode::invalid_email;
  add(errors, "author.email", email);
  if (c.author.url) add(errors, "author.url", check_url(*c.author.url, limits.url_max_bytes));
  add(errors, "body", check_body(c.body, limits));
  if (c.title) add(errors, "title", check_text(*c.title, {false, 0, limits.title_max_chars, 0, false}));
  if (c.url) add(errors, "url", check_url(*c.url, limits.url_max_bytes));
  if (!original.website.empty()) errors.push_back({"website", ValidationCode::honeypot});
  return errors;
}

std::vector<ValidationError> validate_comment_edit(const CommentEdit& e, const Limits& limits) {
  return validate_body(e.body, limits);
}

ApiError validation_api_error(const std::vector<ValidationError>& errors) {
  ApiError e;
  e.code = "validation_failed";
  if (errors.empty()) {
    e.message = "validation failed";
    return e;
  }
  e.field = errors.front().field;
  e.message = errors.front().field + " " + info(errors.front().code).phrase;
  if (errors.size() > 1) e.message += " (and " + std::to_string(errors.size() - 1) + " more)";
  for (const ValidationError& v : errors) e.details.push_back({v.field, to_string(v.code)});
  return e;
}

}  // namespace causerie
