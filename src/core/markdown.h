#pragma once
// The Markdown subset of Causerie comment bodies into the document model.
#include <string_view>

#include "core/richtext.h"

namespace causerie {

// CommonMark 0.30 for what docs/api.md claims (paragraphs, quotes, lists, fenced and
// indented code, emphasis, code spans, links and reference links, <autolinks>,
// escapes, character references, tabs), where a newline is a line break, plus bare
// http(s)://, www. and mailto: links. Only http, https and mailto become links;
// there is no raw HTML: "<b>" is text. Linear time and bounded nesting
// (kMaxBlockDepth): hostile bodies stay cheap.
Document parse_markdown(std::string_view source);

}  // namespace causerie
