#pragma once
// Text is stored in Unicode NFC (canonical composition): "é" typed as one code
// point on one system and as "e" + U+0301 on another is the same stored text, so
// duplicates, lengths and an e-mail's comments agree. Applied to what readers and
// imports send, before core's normalisation and validation. Rows stored before
// that are made NFC by a migration of each backend (authors' names and websites,
// bodies, threads' titles and URLs; e-mails stay, as avatar seeds are hashes of them).
#include <string>
#include <string_view>

#include "core/model.h"

namespace causerie::server {

// `text` in NFC. Invalid UTF-8 comes back unchanged, for validation to refuse it.
std::string to_nfc(std::string_view text);

// `text` made NFC where it is not; true if it changed.
bool make_nfc(std::string& text);

// Every text field of a new comment: name, e-mail, website, body, title, URL.
void to_nfc(NewComment& c);

}  // namespace causerie::server
