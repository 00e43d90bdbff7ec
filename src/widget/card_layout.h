#pragma once
// The geometry of one comment card, in one place: ThreadView sums the heights it
// gives and CommentSection draws at the positions it gives, so what is measured is
// what is drawn.
#include <optional>

#include "core/model.h"
#include "core/richtext.h"
#include "core/thread.h"
#include "widget/lane.h"
#include "widget/text_layout.h"

namespace causerie {

// Sizes of a comment card, in CSS pixels.
struct CardMetrics {
  float avatar = 40.0f;
  float avatar_gap = 12.0f;  // between the avatar and the text
  float indent = 32.0f;      // per reply level
  float padding = 14.0f;     // above and below a card
  float small_size = 14.0f;  // dates, Reply, notices
  float card_gap = 0.0f;     // between conversations when they are on cards
  bool mirrored = false;     // right-to-left interface: avatar and indentation on the right
};

// Positions relative to the card's top-left corner (the list's left edge, not
// indented). `indent` is measured from the card's start edge (the right one when
// mirrored); the x members are already from the left.
struct CardLayout {
  float indent = 0;                    // the avatar's distance from the start edge
  float avatar_x = 0;                  // the avatar's left
  float text_x = 0, text_width = 0;    // the column of the name, notices, body and actions
  float header_y = 0;                  // the name-and-date line (and the avatar's top)
  std::optional<float> in_reply_to_y;  // « en réponse à X » or « …un commentaire supprimé »
  std::optional<float> pending_y;      // « en attente de modération »
  float notice_height = 0;             // of each of those two lines
  float body_y = 0;                    // the body, or « commentaire supprimé »
  float body_height = 0;
  float actions_y = 0;  // Répondre, Modifier, Supprimer
  float actions_height = 0;
  float height = 0;  // the whole card, bottom padding included
  TextLayout body;   // the body wrapped to text_width
  // The text column as a lane, for a card whose left edge is at `card_left`.
  Lane text_lane(float card_left, bool mirrored) const {
    return {card_left + text_x, card_left + text_x + text_width, mirrored};
  }
};

// `body` must outlive the result (its runs point into it).
CardLayout layout_card(const Comment& comment, const ThreadEntry& entry, const Document& body, const TextFonts& fonts,
                       const CardMetrics& m, float width);

// Whether two thread entries give the same card (everything layout_card reads of an
// entry): a comment whose entry changed otherwise must be laid out again.
bool same_card_shape(const ThreadEntry& a, const ThreadEntry& b);

}  // namespace causerie
