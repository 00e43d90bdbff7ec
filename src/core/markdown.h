#pragma once
// The Markdown subset of Causerie comment bodies into the document model.
#include <string_view>

#include "core/richtext.h"

namespace causerie {

// Paragraphs (blank-line separated), a single newline is a line break, *em* _em_,
// **strong**, `code`, ``` fenced code ```, "> " quotes, "- " "* " and "1. " lists,
// [text](url), bare http(s)://, www. and mailto: links, backslash escapes.
// Only http, https and mailto become links; there is no raw HTML: "<b>" is text.
// Linear time and bounded nesting (kMaxBlockDepth): hostile bodies stay cheap.
Document parse_markdown(std::string_view source);

}  // namespace causerie
