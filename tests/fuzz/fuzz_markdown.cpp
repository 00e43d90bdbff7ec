// libFuzzer target: the Markdown subset parser never crashes, never produces an
// unsafe link, invalid UTF-8 or nesting past the cap.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/markdown.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  causerie::fuzz::check_document(causerie::parse_markdown(input));
  return 0;
}
