#pragma once
// Comment dates for people: absolute in the WordPress defaults of each language
// (« 1 décembre 2026 à 6 h 13 », "December 1, 2026 at 6:13 am") and relative when
// recent (« il y a 5 minutes », "yesterday"). Pure functions: the caller passes the
// current time and the reader's UTC offset (the browser's), so tests are exact.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/i18n.h"

namespace causerie {

// Minutes to add to UTC to get the reader's local time: +60 in Paris in winter,
// -300 in New York. In a browser: -new Date().getTimezoneOffset(). Clamped to ±18 h.
using UtcOffsetMinutes = int;

// Relative wording is used up to this age; older dates are absolute.
constexpr int64_t kRelativeDateMaxDays = 7;

std::string format_absolute_date(const Catalog& catalog, int64_t utc_seconds, UtcOffsetMinutes offset);

// "just now" under a minute (or up to a minute in the future: clock skew), minutes
// under an hour, hours under a day, "yesterday" for the previous calendar day,
// days under kRelativeDateMaxDays; nullopt when older or in the future.
std::optional<std::string> format_relative_date(const Catalog& catalog, int64_t utc_seconds, int64_t now_utc_seconds,
                                                UtcOffsetMinutes offset);

// Relative when recent, absolute otherwise: what a comment header shows.
std::string format_comment_date(const Catalog& catalog, int64_t utc_seconds, int64_t now_utc_seconds,
                                UtcOffsetMinutes offset);

// Same from the API's RFC 3339 text; nullopt for anything that is not a valid timestamp.
std::optional<std::string> format_comment_date(const Catalog& catalog, std::string_view rfc3339,
                                               int64_t now_utc_seconds, UtcOffsetMinutes offset);

}  // namespace causerie
