#pragma once
// What the reader asked for, from the canvas (CommentSection's clicks) or from the
// page's own elements (the mirror's buttons, the form's DOM elements): one typed
// value each, handled in one place (Controller::act).
#include <optional>
#include <variant>

#include "core/model.h"

namespace causerie {

// Keyboard focus in the mirror (Tab): the control gets a ring in the canvas.
struct FocusedControl {
  enum Control { None, Reply, Edit, Delete, Reveal } control = None;
  CommentId id = 0;
};

namespace action {
struct Retry {};     // read the thread (or the failed page) again
struct LoadMore {};  // the next page
struct Reveal {};    // show the comments waiting behind the pill
struct Submit {      // send the form: a new comment, an edit, or the reader's data request
  bool erase = false;  // the data form's « Effacer mes commentaires » (else a copy)
};
struct Delete {
  CommentId id = 0;
};  // the reader's own comment (asks for confirmation)
struct OpenReply {
  std::optional<CommentId> parent;
};  // nullopt: back under the thread
struct OpenEdit {
  CommentId id = 0;
};
struct Focus {
  FocusedControl focus;
};
struct TogglePreview {};  // the reply form's « Aperçu »
struct OpenMyData {       // « Mes données »: the form asks for an e-mail address instead
  bool open = true;
};
}  // namespace action

using ReaderAction = std::variant<action::Retry, action::LoadMore, action::Reveal, action::Submit, action::Delete,
                                  action::OpenReply, action::OpenEdit, action::Focus, action::TogglePreview,
                                  action::OpenMyData>;

}  // namespace causerie
