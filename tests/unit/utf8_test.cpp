#include <doctest/doctest.h>

#include "core/utf8.h"

using namespace causerie;

TEST_CASE("utf8_valid accepts French typography and rejects malformed bytes") {
  CHECK(utf8_valid("« C’est “génial” » — 3 réflexions…"));
  CHECK(utf8_valid("Привет, Ελληνικά, 😀"));
  CHECK_FALSE(utf8_valid("\xC3"));              // truncated
  CHECK_FALSE(utf8_valid("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(utf8_valid("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(utf8_valid("\xF4\x90\x80\x80"));  // > U+10FFFF
  CHECK_FALSE(utf8_valid("ok\xFF"));
}

TEST_CASE("utf8_length counts code points, malformed bytes count one each") {
  CHECK(utf8_length("réflexion") == 9);
  CHECK(utf8_length("😀") == 1);
  CHECK(utf8_length("a\xFF"
                    "b") == 3);
}
