#include <doctest/doctest.h>

#include "core/dates.h"
#include "core/rfc3339.h"

using namespace causerie;

static int64_t at(const char* rfc3339) {
  int64_t t = 0;
  REQUIRE(parse_rfc3339(rfc3339, t));
  return t;
}

TEST_CASE("dates: absolute, WordPress defaults") {
  const Catalog& fr = catalog_for("fr");
  const Catalog& en = catalog_for("en");
  const int64_t t = at("2026-12-01T06:13:00Z");
  CHECK(format_absolute_date(fr, t, 0) == "1 décembre 2026 à 6 h 13");
  CHECK(format_absolute_date(en, t, 0) == "December 1, 2026 at 6:13 am");
  CHECK(format_absolute_date(fr, t, 60) == "1 décembre 2026 à 7 h 13");       // Paris, winter
  CHECK(format_absolute_date(en, t, -300) == "December 1, 2026 at 1:13 am");  // New York
  CHECK(format_absolute_date(en, at("2026-12-01T03:13:00Z"), -300) == "November 30, 2026 at 10:13 pm");
  CHECK(format_absolute_date(fr, at("2026-08-15T12:05:59Z"), 120) == "15 août 2026 à 14 h 05");
  CHECK(format_absolute_date(en, at("2026-08-15T12:05:59Z"), 120) == "August 15, 2026 at 2:05 pm");
  CHECK(format_absolute_date(en, at("2026-01-01T00:00:00Z"), 0) == "January 1, 2026 at 12:00 am");
  CHECK(format_absolute_date(en, at("2026-01-01T12:00:00Z"), 0) == "January 1, 2026 at 12:00 pm");
  CHECK(format_absolute_date(fr, at("2026-01-01T00:30:00Z"), 0) == "1 janvier 2026 à 0 h 30");
  CHECK(format_absolute_date(fr, at("2024-02-29T23:59:00Z"), 1) == "1 mars 2024 à 0 h 00");
  CHECK(format_absolute_date(fr, at("1969-12-31T23:00:00Z"), 0) == "31 décembre 1969 à 23 h 00");
  // A caller's nonsense offset or time is clamped, never undefined behaviour.
  CHECK(format_absolute_date(fr, t, 100000) == format_absolute_date(fr, t, 18 * 60));
  CHECK(!format_absolute_date(en, INT64_MAX, 0).empty());
  CHECK(!format_absolute_date(en, INT64_MIN, INT32_MIN).empty());
}

TEST_CASE("dates: relative when recent") {
  const Catalog& fr = catalog_for("fr");
  const Catalog& en = catalog_for("en");
  const int64_t now = at("2026-12-01T10:00:00Z");
  CHECK(format_comment_date(fr, now, now, 60) == "à l’instant");
  CHECK(format_comment_date(en, now - 59, now, 60) == "just now");
  CHECK(format_comment_date(en, now + 30, now, 60) == "just now");  // clock skew
  CHECK(format_comment_date(fr, now - 60, now, 60) == "il y a 1 minute");
  CHECK(format_comment_date(fr, now - 5 * 60, now, 60) == "il y a 5 minutes");
  CHECK(format_comment_date(en, now - 5 * 60, now, 60) == "5 minutes ago");
  CHECK(format_comment_date(en, now - 3600, now, 60) == "1 hour ago");
  CHECK(format_comment_date(fr, now - 3 * 3600, now, 60) == "il y a 3 heures");
  // 26 hours ago from 11:00 local is 09:00 local the day before.
  CHECK(format_comment_date(fr, now - 26 * 3600, now, 60) == "hier");
  CHECK(format_comment_date(en, now - 26 * 3600, now, 60) == "yesterday");
  CHECK(format_comment_date(fr, now - 3 * 86400, now, 60) == "il y a 3 jours");
  CHECK(format_comment_date(en, now - 6 * 86400, now, 60) == "6 days ago");
  // A week or more: absolute.
  CHECK(format_comment_date(fr, now - 7 * 86400, now, 60) == "24 novembre 2026 à 11 h 00");
  // Far in the future: absolute, not "just now".
  CHECK(format_comment_date(en, now + 3600, now, 0) == "December 1, 2026 at 11:00 am");
  // Calendar days depend on the reader's time zone.
  const int64_t late = at("2026-12-01T23:30:00Z");
  const int64_t early_next = at("2026-12-02T00:30:00Z") + 86400;        // 25 h later
  CHECK(format_comment_date(en, late, early_next, 0) == "2 days ago");  // Dec 1 -> Dec 3
  CHECK(format_comment_date(en, late, early_next, 60) == "yesterday");  // Dec 2 -> Dec 3
}

TEST_CASE("dates: from RFC 3339 text, garbage rejected") {
  const Catalog& fr = catalog_for("fr");
  const int64_t now = at("2026-12-01T10:00:00Z");
  CHECK(format_comment_date(fr, "2026-12-01T09:55:00Z", now, 0) == "il y a 5 minutes");
  CHECK(format_comment_date(fr, "2026-12-01T07:13:00+01:00", now + 30 * 86400, 0) == "1 décembre 2026 à 6 h 13");
  for (const char* bad : {"", "garbage", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-12-01",
                          "2026-12-01T25:00:00Z", "\xFF\xFE", "2026-12-01T06:13:00"}) {
    INFO(bad);
    CHECK_FALSE(format_comment_date(fr, bad, now, 0).has_value());
  }
}
