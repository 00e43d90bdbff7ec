#include "server/nfc.h"

#include <utf8proc.h>

#include <cstdlib>

namespace causerie::server {

std::string to_nfc(std::string_view text) {
  // ASCII is its own NFC: most text costs no copy through utf8proc.
  bool ascii = true;
  for (unsigned char c : text) ascii = ascii && c < 0x80;
  if (ascii) return std::string(text);
  utf8proc_uint8_t* composed = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()), static_cast<utf8proc_ssize_t>(text.size()),
                   &composed, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return std::string(text);
  std::string out(reinterpret_cast<const char*>(composed), static_cast<size_t>(n));
  std::free(composed);
  return out;
}

bool make_nfc(std::string& text) {
  std::string nfc = to_nfc(text);
  if (nfc == text) return false;
  text = std::move(nfc);
  return true;
}

void to_nfc(NewComment& c) {
  c.author.name = to_nfc(c.author.name);
  c.author.email = to_nfc(c.author.email);
  if (c.author.url) c.author.url = to_nfc(*c.author.url);
  c.body = to_nfc(c.body);
  if (c.title) c.title = to_nfc(*c.title);
  if (c.url) c.url = to_nfc(*c.url);
}

}  // namespace causerie::server
