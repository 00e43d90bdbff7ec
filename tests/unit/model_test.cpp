#include <doctest/doctest.h>

#include "core/model.h"
#include "core/rfc3339.h"
#include "core/url.h"

using namespace causerie;

TEST_CASE("status names round-trip and unknown names are refused") {
  for (CommentStatus s :
       {CommentStatus::published, CommentStatus::pending, CommentStatus::deleted, CommentStatus::spam}) {
    CommentStatus back = CommentStatus::published;
    REQUIRE(parse_comment_status(to_string(s), back));
    CHECK(back == s);
  }
  CommentStatus s = CommentStatus::pending;
  CHECK_FALSE(parse_comment_status("Published", s));
  CHECK_FALSE(parse_comment_status("", s));
  CHECK(s == CommentStatus::pending);  // untouched on failure

  ThreadStatus t = ThreadStatus::open;
  CHECK(parse_thread_status("closed", t));
  CHECK(t == ThreadStatus::closed);
  CHECK_FALSE(parse_thread_status("shut", t));
  CHECK(std::string(to_string(ThreadStatus::open)) == "open");

  SortOrder o = SortOrder::oldest;
  CHECK(parse_sort_order("newest", o));
  CHECK(o == SortOrder::newest);
  CHECK_FALSE(parse_sort_order("random", o));
  CHECK(std::string(to_string(SortOrder::oldest)) == "oldest");
}

TEST_CASE("RFC 3339: the API's format both ways") {
  int64_t t = 0;
  REQUIRE(parse_rfc3339("2026-12-01T06:13:00Z", t));
  CHECK(t == 1796105580);
  CHECK(format_rfc3339(t) == "2026-12-01T06:13:00Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");

  REQUIRE(parse_rfc3339("2026-12-01T07:13:00.123456+01:00", t));
  CHECK(t == 1796105580);
  REQUIRE(parse_rfc3339("2026-12-01t01:43:00-04:30", t));
  CHECK(t == 1796105580);
  REQUIRE(parse_rfc3339("2024-02-29T00:00:00Z", t));  // leap day
  CHECK(format_rfc3339(t) == "2024-02-29T00:00:00Z");
}

TEST_CASE("RFC 3339: malformed times are refused and leave the output alone") {
  int64_t t = 42;
  for (const char* bad :
       {"", "2026-12-01", "2026-12-01T06:13:00", "2026-12-01 06:13:00Z", "2026-13-01T06:13:00Z", "2026-02-29T00:00:00Z",
        "2026-12-32T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T06:60:00Z", "2026-12-01T06:13:00.Z",
        "2026-12-01T06:13:00+0100", "2026-12-01T06:13:00Zjunk", "２026-12-01T06:13:00Z", "-026-12-01T06:13:00Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339(bad, t));
  }
  CHECK(t == 42);
}

TEST_CASE("percent-encoding of thread keys") {
  CHECK(percent_encode("/2026/12/un-article") == "%2F2026%2F12%2Fun-article");
  CHECK(percent_encode("a b&c=d?é") == "a%20b%26c%3Dd%3F%C3%A9");
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  std::string out = "x";
  REQUIRE(percent_decode("%2F2026%2f12%2Fun-article", out));
  CHECK(out == "/2026/12/un-article");
  REQUIRE(percent_decode("a+b%20c", out, true));
  CHECK(out == "a b c");
  REQUIRE(percent_decode("a+b", out));
  CHECK(out == "a+b");
  out = "kept";
  CHECK_FALSE(percent_decode("%", out));
  CHECK_FALSE(percent_decode("%4", out));
  CHECK_FALSE(percent_decode("ab%zz", out));
  CHECK(out == "kept");
  const std::string every_byte = [] {
    std::string s;
    for (int c = 0; c < 256; ++c) s += char(c);
    return s;
  }();
  REQUIRE(percent_decode(percent_encode(every_byte), out));
  CHECK(out == every_byte);
}

TEST_CASE("check_http_url accepts http(s) with a host and nothing else") {
  CHECK(check_http_url("https://example.org") == UrlCheck::ok);
  CHECK(check_http_url("HTTP://Example.org/a?b=c#d") == UrlCheck::ok);
  CHECK(check_http_url("HtTpS://example.org:8443/") == UrlCheck::ok);
  CHECK(check_http_url("https://[::1]:8080/x") == UrlCheck::ok);
  CHECK(check_http_url("https://user@example.org") == UrlCheck::ok);
  CHECK(check_http_url("https://réflexion.fr/é") == UrlCheck::ok);

  CHECK(check_http_url("javascript:alert(1)") == UrlCheck::bad_scheme);
  CHECK(check_http_url("JaVaScRiPt:alert(1)") == UrlCheck::bad_scheme);
  CHECK(check_http_url("data:text/html,<script>alert(1)</script>") == UrlCheck::bad_scheme);
  CHECK(check_http_url("ftp://example.org") == UrlCheck::bad_scheme);
  CHECK(check_http_url("//example.org") == UrlCheck::bad_scheme);
  CHECK(check_http_url("example.org") == UrlCheck::bad_scheme);

  CHECK(check_http_url("https://") == UrlCheck::malformed);
  CHECK(check_http_url("https:///path") == UrlCheck::malformed);
  CHECK(check_http_url("https:example.org") == UrlCheck::malformed);
  CHECK(check_http_url("https://exa mple.org") == UrlCheck::malformed);
  CHECK(check_http_url("https://example.org\n") == UrlCheck::malformed);
  CHECK(check_http_url("https://example.org\\@evil.com") == UrlCheck::malformed);
  CHECK(check_http_url("https://example.org:80a") == UrlCheck::malformed);
  CHECK(check_http_url("https://example.org:") == UrlCheck::malformed);
  CHECK(check_http_url("https://user@:80") == UrlCheck::malformed);
  CHECK(check_http_url("https://[::1") == UrlCheck::malformed);
}

TEST_CASE("has_url_scheme follows RFC 3986") {
  CHECK(has_url_scheme("javascript:x"));
  CHECK(has_url_scheme("a+b-c.d:x"));
  CHECK_FALSE(has_url_scheme("1http:x"));
  CHECK_FALSE(has_url_scheme("java script:x"));
  CHECK_FALSE(has_url_scheme("example.org/path"));
}
