#include "core/url.h"

namespace causerie {

static bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_encode(std::string_view s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

bool percent_decode(std::string_view s, std::string& out, bool plus_is_space) {
  std::string decoded;
  decoded.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size()) return false;
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      decoded += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (s[i] == '+' && plus_is_space) {
      decoded += ' ';
    } else {
      decoded += s[i];
    }
  }
  out = std::move(decoded);
  return true;
}

bool starts_with_ignore_case(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char a = s[i], b = prefix[i];
    if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
    if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
    if (a != b) return false;
  }
  return true;
}

bool has_url_scheme(std::string_view s) {
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (s.empty() || !is_alpha(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return true;
    if (!is_alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

UrlCheck check_http_url(std::string_view url) {
  size_t rest;
  if (starts_with_ignore_case(url, "https://")) rest = 8;
  else if (starts_with_ignore_case(url, "http://")) rest = 7;
  else if (starts_with_ignore_case(url, "http:") || starts_with_ignore_case(url, "https:"))
    return UrlCheck::malformed;  // "http:example.com", "https:/x": right scheme, broken URL
  else return UrlCheck::bad_scheme;
  // Browsers strip or mangle these; a URL holding them is never what it looks like.
  for (char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F || c == '\\') return UrlCheck::malformed;
  }
  size_t end = url.find_first_of("/?#", rest);
  if (end == std::string_view::npos) end = url.size();
  std::string_view authority = url.substr(rest, end - rest);
  const size_t at = authority.rfind('@');
  if (at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority;
  if (!host.empty() && host[0] == '[') {  // IPv6 literal
    const size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return UrlCheck::malformed;
    const std::string_view after = host.substr(close + 1);
    host = host.substr(0, close + 1);
    authority = after;
  } else {
    const size_t colon = host.find(':');
    authority = colon == std::string_view::npos ? std::string_view() : host.substr(colon);
    host = host.substr(0, colon == std::string_view::npos ? host.size() : colon);
  }
  if (host.empty()) return UrlCheck::malformed;
  if (!authority.empty()) {  // what follows the host: ":port"
    if (authority[0] != ':' || authority.size() < 2 || authority.size() > 6) return UrlCheck::malformed;
    for (size_t i = 1; i < authority.size(); ++i)
      if (authority[i] < '0' || authority[i] > '9') return UrlCheck::malformed;
  }
  return UrlCheck::ok;
}

}  // namespace causerie
