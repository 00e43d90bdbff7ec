# Compiles every src/core/i18n/<lang>.json into the core as a string table, so that
# adding a language is adding one catalog file (re-globbed at build time).
file(GLOB CAUSERIE_CATALOGS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.json)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${CAUSERIE_CATALOGS})
set(_catalog_entries "")
foreach(_catalog ${CAUSERIE_CATALOGS})
  get_filename_component(_language ${_catalog} NAME_WE)
  file(READ ${_catalog} _json)
  string(FIND "${_json}" ")catalog\"" _clash)
  if(NOT _clash EQUAL -1)
    message(FATAL_ERROR "${_catalog} contains the raw string delimiter )catalog\"")
  endif()
  string(APPEND _catalog_entries "    {\"${_language}\", R\"catalog(${_json})catalog\"},\n")
endforeach()
set(CAUSERIE_CATALOGS_CPP ${CMAKE_CURRENT_BINARY_DIR}/catalogs_embedded.cpp)
file(CONFIGURE OUTPUT ${CAUSERIE_CATALOGS_CPP} @ONLY CONTENT
"// Generated from src/core/i18n/*.json by src/core/i18n/embed.cmake: do not edit.
#include \"core/i18n_embedded.h\"

namespace causerie {

const EmbeddedCatalog kEmbeddedCatalogs[] = {
@_catalog_entries@};
const size_t kEmbeddedCatalogCount = sizeof(kEmbeddedCatalogs) / sizeof(kEmbeddedCatalogs[0]);

}  // namespace causerie
")
