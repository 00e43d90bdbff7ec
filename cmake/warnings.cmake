# Compiler checks for the project's own code. Third-party headers (Dear ImGui,
# nlohmann_json, doctest, cpp-httplib) come in as SYSTEM includes, so their warnings
# stay theirs; ImGui's own sources are compiled without these flags.
# CI (tools/test) turns CAUSERIE_WERROR on: a new warning fails the build there.
option(CAUSERIE_WERROR "Treat warnings in project code as errors" OFF)
set(CAUSERIE_WARNING_FLAGS -Wall -Wextra -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    $<$<BOOL:${CAUSERIE_WERROR}>:-Werror>)

function(causerie_warnings)
  foreach(target ${ARGN})
    target_compile_options(${target} PRIVATE ${CAUSERIE_WARNING_FLAGS})
  endforeach()
endfunction()
