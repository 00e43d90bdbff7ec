#pragma once
// Text is stored in Unicode NFC (canonical composition): "é" typed as one code
// point on one system and as "e" + U+0301 on another is the same stored text, so
// duplicates, lengths and an e-mail's comments agree. Applied to what readers and
// imports send, before core's normalisation and validation.
#include <string>
#include <string_view>

#include "core/model.h"

namespace causerie::server {

// `text` in NFC. Invalid UTF-8 comes back unchanged, for validation to refuse it.
std::string to_nfc(std::string_view text);

// Every text field of a new comment: name, e-mail, website, body, title, URL.
void to_nfc(NewComment& c);

}  // namespace causerie::server
