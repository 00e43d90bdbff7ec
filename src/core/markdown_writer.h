#pragma once
// The document model back into Causerie's Markdown-lite (core/markdown.h), so that
// text that arrives as HTML (WordPress and Disqus imports) is stored in the one body
// format the API serves: parse_markdown(to_markdown(doc)) gives `doc` back.
#include <string>

#include "core/richtext.h"

namespace causerie {

std::string to_markdown(const Document& doc);

}  // namespace causerie
