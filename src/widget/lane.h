#pragma once
// Horizontal placement in the interface's reading direction. The widget's chrome
// (cards, header, form) is laid out from a line's start edge: the left one in a
// left-to-right language, the right one when the interface is mirrored (Arabic,
// Hebrew, Persian, Urdu: Catalog::right_to_left), as WordPress mirrors its RTL
// locales. Every x of the chrome goes through a Lane, so mirroring is decided here
// and nowhere else.

#include <algorithm>

#include "widget/text_layout.h"

namespace causerie {

struct Lane {
  float left = 0, right = 0;  // the line's edges, canvas x
  bool mirrored = false;      // the start edge is the right one

  float width() const { return right - left; }
  // The left x of a box `w` wide whose start edge is `offset` from the lane's start edge.
  float x(float offset, float w) const { return mirrored ? right - offset - w : left + offset; }
  // The lane less `start` on its start side and `end` on its end side.
  Lane inset(float start, float end = 0) const {
    return mirrored ? Lane{left + end, right - start, true} : Lane{left + start, right - end, false};
  }
};

// Boxes one after another along a lane, from its start edge.
class Flow {
public:
  explicit Flow(Lane lane) : lane_(lane) {}
  // Places a box `w` wide, then leaves `gap` after it; returns its left x.
  float place(float w, float gap = 0) {
    const float x = lane_.x(offset_, w);
    offset_ += w + gap;
    return x;
  }
  float used() const { return offset_; }

private:
  Lane lane_;
  float offset_ = 0;
};

// How far a line of a laid-out paragraph moves from the lane's left so that, mirrored,
// it ends at the lane's right edge (text-align: start in a right-to-left page); 0
// otherwise. `line_y` is its runs' y.
inline float line_shift(const TextLayout& layout, float line_y, const Lane& lane) {
  if (!lane.mirrored) return 0;
  float end = 0;
  for (const TextRun& r : layout.runs)
    if (r.y == line_y) end = std::max(end, r.x + r.width);
  return lane.width() - end;
}

}  // namespace causerie
