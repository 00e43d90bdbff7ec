# Third-party code, found on the machine, never vendored (see emsdk-config/).

# nlohmann_json is header-only. Emscripten's sysroot does not see /usr/include, and
# pointing it there drags glibc's headers in: expose a folder holding only a link to
# nlohmann's headers.
find_path(CAUSERIE_NLOHMANN_DIR nlohmann/json.hpp
  PATHS /usr/include /usr/local/include NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(_nl_only ${CMAKE_BINARY_DIR}/include-nlohmann)
if(NOT EXISTS ${_nl_only}/nlohmann)
  file(MAKE_DIRECTORY ${_nl_only})
  file(CREATE_LINK ${CAUSERIE_NLOHMANN_DIR}/nlohmann ${_nl_only}/nlohmann SYMBOLIC)
endif()
add_library(causerie_json INTERFACE)
target_include_directories(causerie_json SYSTEM INTERFACE ${_nl_only})
# No exceptions anywhere in the widget: the non-throwing parse API, type checks first.
target_compile_definitions(causerie_json INTERFACE JSON_NOEXCEPTION=1)

# Dear ImGui 1.92.x from tools/setup's cache, or IMGUI_DIR.
file(STRINGS ${CMAKE_SOURCE_DIR}/emsdk-config/versions.env _pin REGEX "^IMGUI_VERSION=")
string(REPLACE "IMGUI_VERSION=" "" CAUSERIE_IMGUI_VERSION "${_pin}")
set(IMGUI_DIR "$ENV{IMGUI_DIR}" CACHE PATH "Dear ImGui 1.92.x source folder")
if(NOT IMGUI_DIR)
  set(IMGUI_DIR ${CMAKE_SOURCE_DIR}/.cache/imgui-${CAUSERIE_IMGUI_VERSION} CACHE PATH "" FORCE)
endif()
if(NOT EXISTS ${IMGUI_DIR}/imgui.cpp)
  message(FATAL_ERROR "Dear ImGui source not found in ${IMGUI_DIR}. Run ./tools/setup, "
                      "or pass -DIMGUI_DIR=/path/to/imgui-1.92.x")
endif()
file(STRINGS ${IMGUI_DIR}/imgui.h _imver REGEX "^#define IMGUI_VERSION_NUM")
string(REGEX MATCH "[0-9]+" _imver "${_imver}")
if(_imver LESS 19200)
  message(FATAL_ERROR "Dear ImGui in ${IMGUI_DIR} is ${_imver}; Causerie needs 1.92.x (dynamic fonts, input queue)")
endif()
add_library(imgui STATIC
  ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_widgets.cpp)
if(EMSCRIPTEN)
  # The widget draws no ImGui table, but imgui.cpp's error recovery and garbage
  # collection name the table functions, which keeps ~25 KB of them in the wasm.
  target_sources(imgui PRIVATE ${CMAKE_SOURCE_DIR}/src/platform/imgui_without_tables.cpp)
else()
  target_sources(imgui PRIVATE ${IMGUI_DIR}/imgui_tables.cpp)
endif()
target_include_directories(imgui SYSTEM PUBLIC ${IMGUI_DIR})
target_compile_definitions(imgui PUBLIC
  IMGUI_DISABLE_DEMO_WINDOWS IMGUI_DISABLE_DEBUG_TOOLS
  IMGUI_DISABLE_DEFAULT_SHELL_FUNCTIONS IMGUI_DISABLE_FILE_FUNCTIONS
  IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
# ImGui keeps its default font (ProggyClean) for itself: it wants one, and the
# widget's text is the browser's (platform/browser_text.h), never set in it.
