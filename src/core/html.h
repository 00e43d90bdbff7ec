#pragma once
// The HTML subset of WordPress comments (`content.rendered`) into the document model.
// Tolerant like a browser (unclosed tags, stray closers, mis-nesting), safe by
// construction: only text and styles come out, never markup.
#include <string>
#include <string_view>

#include "core/richtext.h"

namespace causerie {

// p, br, a (http/https/mailto), em/i, strong/b, code, pre, blockquote, ul/ol/li are
// understood; other tags are dropped and their text kept, except script, style,
// template, iframe, object, svg, math (and the like) whose content is dropped too.
Document parse_html(std::string_view html);

// Decodes character references (&rsquo; &#8217; &#x2019;) as HTML text does; broken
// or unknown ones stay literal, invalid code points become U+FFFD.
std::string decode_entities(std::string_view text);

}  // namespace causerie
