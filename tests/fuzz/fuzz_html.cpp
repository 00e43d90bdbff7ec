// libFuzzer target: the WordPress HTML subset parser and the entity decoder never
// crash; the document they give satisfies the model's invariants.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/html.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  causerie::fuzz::check_document(causerie::parse_html(input));
  const std::string decoded = causerie::decode_entities(causerie::sanitize_text(input));
  causerie::fuzz::require(causerie::utf8_valid(decoded), "decoded entities are not UTF-8");
  return 0;
}
