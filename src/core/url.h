#pragma once
// URL pieces the core needs: percent-encoding of thread keys and query values, and
// the http(s) check shared by validation and the API client.
#include <string>
#include <string_view>

namespace causerie {

// Encodes every byte outside A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex), so the
// result is safe as one path segment or one query value: "/a b" -> "%2Fa%20b".
std::string percent_encode(std::string_view s);

// Decodes %XX escapes (and '+' as a space when plus_is_space, for query strings).
// Returns false on a broken escape ("%4", "%zz") and leaves `out` untouched.
bool percent_decode(std::string_view s, std::string& out, bool plus_is_space = false);

// True when `s` starts with a URL scheme ("javascript:", "HTTP:"...), per RFC 3986:
// a letter then letters, digits, '+', '-', '.' up to a ':'.
bool has_url_scheme(std::string_view s);

enum class UrlCheck { ok, bad_scheme, malformed };

// An absolute http:// or https:// URL (scheme in any letter case) with a non-empty
// host, an optional numeric port, and no white space or control characters.
// Anything with another scheme (javascript:, data:, ftp:) is bad_scheme.
UrlCheck check_http_url(std::string_view url);

// ASCII case-insensitive prefix test.
bool starts_with_ignore_case(std::string_view s, std::string_view prefix);

}  // namespace causerie
