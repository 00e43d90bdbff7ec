#include "core/dates.h"

#include <algorithm>

#include "core/rfc3339.h"

namespace causerie {

namespace {

struct LocalTime {
  int64_t day;  // days since 1970-01-01, local
  int64_t year;
  unsigned month, day_of_month;
  int hour, minute;
};

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

LocalTime local_time(int64_t utc_seconds, UtcOffsetMinutes offset) {
  offset = std::clamp(offset, -18 * 60, 18 * 60);
  // Keep far-away values (garbage from a caller) from overflowing.
  utc_seconds = std::clamp<int64_t>(utc_seconds, -62135596800, 253402300799);  // years 1-9999
  const int64_t local = utc_seconds + int64_t{offset} * 60;
  LocalTime t{};
  t.day = floor_div(local, 86400);
  const int64_t second_of_day = local - t.day * 86400;
  t.hour = static_cast<int>(second_of_day / 3600);
  t.minute = static_cast<int>(second_of_day % 3600 / 60);
  civil_from_days(t.day, t.year, t.month, t.day_of_month);
  return t;
}

std::string two_digits(int n) {
  return std::string(1, static_cast<char>('0' + n / 10)) + static_cast<char>('0' + n % 10);
}

}  // namespace

std::string format_absolute_date(const Catalog& catalog, int64_t utc_seconds, UtcOffsetMinutes offset) {
  const LocalTime t = local_time(utc_seconds, offset);
  const int hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
  return tr(catalog, "date.absolute",
            {{"day", static_cast<int64_t>(t.day_of_month)},
             {"month", tr(catalog, "date.month." + std::to_string(t.month))},
             {"year", t.year},
             {"hour24", static_cast<int64_t>(t.hour)},
             {"hour12", static_cast<int64_t>(hour12)},
             {"minute", two_digits(t.minute)},
             {"ampm", tr(catalog, t.hour < 12 ? "date.am" : "date.pm")}});
}

std::optional<std::string> format_relative_date(const Catalog& catalog, int64_t utc_seconds, int64_t now_utc_seconds,
                                                UtcOffsetMinutes offset) {
  utc_seconds = std::clamp<int64_t>(utc_seconds, -62135596800, 253402300799);
  now_utc_seconds = std::clamp<int64_t>(now_utc_seconds, -62135596800, 253402300799);
  const LocalTime then = local_time(utc_seconds, offset);
  const LocalTime now = local_time(now_utc_seconds, offset);
  if (utc_seconds > now_utc_seconds + 60 || now.day - then.day >= kRelativeDateMaxDays) return std::nullopt;
  const int64_t age = std::max<int64_t>(0, now_utc_seconds - utc_seconds);
  if (age < 60) return tr(catalog, "date.just_now");
  if (age < 3600) return tr_count(catalog, "date.minutes_ago", age / 60);
  if (age < 86400) return tr_count(catalog, "date.hours_ago", age / 3600);
  const int64_t days = now.day - then.day;
  if (days == 1) return tr(catalog, "date.yesterday");
  return tr_count(catalog, "date.days_ago", days);
}

std::string format_comment_date(const Catalog& catalog, int64_t utc_seconds, int64_t now_utc_seconds,
                                UtcOffsetMinutes offset) {
  if (auto relative = format_relative_date(catalog, utc_seconds, now_utc_seconds, offset)) return *relative;
  return format_absolute_date(catalog, utc_seconds, offset);
}

std::optional<std::string> format_comment_date(const Catalog& catalog, std::string_view rfc3339,
                                               int64_t now_utc_seconds, UtcOffsetMinutes offset) {
  int64_t seconds = 0;
  if (!parse_rfc3339(rfc3339, seconds)) return std::nullopt;
  return format_comment_date(catalog, seconds, now_utc_seconds, offset);
}

}  // namespace causerie
