# cmake -DIN=<file> [-DBROTLI=<brotli>] -DGZIP=<gzip> -P precompress.cmake
# Writes <file>.br (brotli -q 11) and <file>.gz (gzip -9 -n) next to <file>, for
# causerie-server (or nginx's brotli_static/gzip_static) to send as they are instead
# of compressing on every request. Each goes through a temporary file renamed into
# place: a server reading the folder during a build never sees half of one. Written
# through stdout, the outputs get the time they are written (not the input's, which
# brotli and gzip copy otherwise) and ordinary permissions: never older than their
# input, since the server ignores a sibling older than its file.
if(NOT IN OR NOT EXISTS "${IN}")
  message(FATAL_ERROR "precompress: no input file '${IN}'")
endif()

if(BROTLI)
  execute_process(COMMAND "${BROTLI}" -q 11 -c "${IN}" OUTPUT_FILE "${IN}.br.tmp" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    file(REMOVE "${IN}.br.tmp")
    message(FATAL_ERROR "precompress: brotli failed on ${IN}")
  endif()
  file(RENAME "${IN}.br.tmp" "${IN}.br")
else()
  file(REMOVE "${IN}.br")  # one from an earlier build must not outlive its file
endif()

execute_process(COMMAND "${GZIP}" -9 -n -c "${IN}" OUTPUT_FILE "${IN}.gz.tmp" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE "${IN}.gz.tmp")
  message(FATAL_ERROR "precompress: gzip failed on ${IN}")
endif()
file(RENAME "${IN}.gz.tmp" "${IN}.gz")
