#pragma once
// Named character references for the HTML subset parser.
#include <cstddef>
#include <string_view>

namespace causerie {

// Code point of a named entity without '&' and ';' ("rsquo" -> U+2019), or 0 when
// the name is unknown. Names are case-sensitive, as in HTML.
char32_t lookup_named_entity(std::string_view name);

size_t named_entity_count();

}  // namespace causerie
