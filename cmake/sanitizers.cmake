# CAUSERIE_SANITIZE instruments every target of the tree (presets asan and tsan):
#   address,undefined   AddressSanitizer + UndefinedBehaviorSanitizer; undefined
#                       behaviour aborts (no recovery), so a finding fails its test
#   thread              ThreadSanitizer (the server's writer thread, epoll loop, workers)
# Warnings stay warnings there: g++'s instrumentation makes false -Wmaybe-uninitialized
# in libstdc++'s <regex>; the native and wasm builds are the ones that check them.
set(CAUSERIE_SANITIZE "" CACHE STRING "Sanitizers to build with: address,undefined or thread")
if(CAUSERIE_SANITIZE)
  add_compile_options(-fsanitize=${CAUSERIE_SANITIZE} -fno-omit-frame-pointer)
  if(CAUSERIE_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  add_link_options(-fsanitize=${CAUSERIE_SANITIZE})
endif()
