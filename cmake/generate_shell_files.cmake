# Runs lambda-ir to write its man page and completion scripts into OUT_DIR (cmake -P, from
# cmake/packaging.cmake), so they always describe the binary that ships with them.
file(MAKE_DIRECTORY ${OUT_DIR})
foreach(pair "man;lambda-ir.1" "completion bash;lambda-ir.bash" "completion zsh;_lambda-ir" "completion fish;lambda-ir.fish")
  list(GET pair 0 args)
  list(GET pair 1 file)
  separate_arguments(args)
  execute_process(COMMAND ${BINARY} ${args} OUTPUT_FILE ${OUT_DIR}/${file} RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "lambda-ir ${args} failed: ${status}")
  endif()
endforeach()
# Man pages are installed compressed (Debian policy); -n: no name or time, the same bytes each build.
execute_process(COMMAND gzip -9nf -k ${OUT_DIR}/lambda-ir.1 RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "gzip lambda-ir.1 failed: ${status}")
endif()
