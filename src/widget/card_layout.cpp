#include "widget/card_layout.h"

#include <algorithm>

namespace causerie {

CardLayout layout_card(const Comment& c, const ThreadEntry& entry, const Document& body, const TextFonts& fonts,
                       const CardMetrics& m, float width) {
  constexpr float kMinBodyWidth = 80.0f;
  CardLayout l;
  l.indent = entry.visual_depth * m.indent;
  const Lane card{0, width, m.mirrored};
  l.avatar_x = card.x(l.indent, m.avatar);
  const float text_start = l.indent + m.avatar + m.avatar_gap;
  l.text_width = std::max(kMinBodyWidth, width - text_start);
  l.text_x = card.x(text_start, l.text_width);
  l.notice_height = m.small_size * 1.5f;
  float y = m.padding;
  l.header_y = y;
  y += fonts.line();
  // An orphan's parent is not shown (pending, spam, deleted): it says so on its own line.
  if (!entry.reply_to_name.empty() || entry.orphan) {
    l.in_reply_to_y = y;
    y += l.notice_height;
  }
  if (c.status == CommentStatus::pending) {
    l.pending_y = y;
    y += l.notice_height;
  }
  y += 4.0f;
  l.body_y = y;
  if (c.status == CommentStatus::deleted) {
    l.body_height = fonts.line();
  } else {
    l.body = layout_text(body, fonts, l.text_width);
    l.body_height = l.body.height;
  }
  y += l.body_height + 6.0f;
  l.actions_y = y;
  l.actions_height = m.small_size * 1.6f;
  y += l.actions_height + m.padding;
  l.height = y;
  return l;
}

bool same_card_shape(const ThreadEntry& a, const ThreadEntry& b) {
  return a.visual_depth == b.visual_depth && a.reply_to_name == b.reply_to_name && a.orphan == b.orphan;
}

}  // namespace causerie
