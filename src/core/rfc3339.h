#pragma once
// RFC 3339 timestamps, the API's time format ("2026-12-01T06:13:00Z").
#include <cstdint>
#include <string>
#include <string_view>

namespace causerie {

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" into UTC seconds since
// 1970 (the fraction is dropped). Checks field ranges (month 1-12, day within the
// month, leap years, leap second 60 accepted as 59). Returns false and leaves `out`
// untouched on anything else.
bool parse_rfc3339(std::string_view s, int64_t& out);

// Formats UTC seconds as "YYYY-MM-DDTHH:MM:SSZ" (years 0000-9999; clamped outside).
std::string format_rfc3339(int64_t unix_seconds);

// Days since 1970-01-01 of a proleptic Gregorian date, and back (exact for any int).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t& year, unsigned& month, unsigned& day);

}  // namespace causerie
