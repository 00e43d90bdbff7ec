#pragma once
// UTF-8 checks shared by validation (server and widget) and text layout.
#include <cstdint>
#include <string_view>

namespace causerie {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool utf8_valid(std::string_view s);

// Decodes the code point at s[i] and advances i; returns U+FFFD on malformed input
// (advancing by one byte), so callers always make progress.
char32_t utf8_next(std::string_view s, size_t& i);

// Number of code points (what a reader calls "characters" for length limits).
size_t utf8_length(std::string_view s);

}  // namespace causerie
