#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "widget/theme.h"

// WCAG 2.1 contrast of the built-in theme's text colours on the white card and on
// the demo's paper background (the canvas is transparent: the page shows through).
namespace {

double channel(unsigned v) {
  const double c = v / 255.0;
  return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(ImU32 c) {
  return 0.2126 * channel(c & 0xff) + 0.7152 * channel((c >> 8) & 0xff) + 0.0722 * channel((c >> 16) & 0xff);
}
double contrast(ImU32 a, ImU32 b) {
  const double la = luminance(a), lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace

TEST_CASE("the built-in theme's text meets WCAG AA (4.5:1) on white and on paper") {
  const causerie::Theme t;
  for (ImU32 background : {IM_COL32(0xff, 0xff, 0xff, 0xff), IM_COL32(0xfb, 0xfa, 0xf7, 0xff)}) {
    CHECK(contrast(t.text, background) >= 4.5);
    CHECK(contrast(t.muted, background) >= 4.5);
    CHECK(contrast(t.accent, background) >= 4.5);
  }
  CHECK(contrast(IM_COL32_WHITE, t.accent) >= 4.5);                          // the submit button's label
  CHECK(contrast(t.field_border, IM_COL32_WHITE) >= 3.0);                    // non-text contrast of fields
  CHECK(contrast(IM_COL32_BLACK, IM_COL32_WHITE) == doctest::Approx(21.0));  // the formula
}
