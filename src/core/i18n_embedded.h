#pragma once
// The translation catalogs compiled in from src/core/i18n/*.json (see i18n/embed.cmake).
#include <cstddef>

namespace causerie {

struct EmbeddedCatalog {
  const char* language;  // file name without extension: "fr", "en", "pt-br"
  const char* json;
};

extern const EmbeddedCatalog kEmbeddedCatalogs[];
extern const size_t kEmbeddedCatalogCount;

}  // namespace causerie
