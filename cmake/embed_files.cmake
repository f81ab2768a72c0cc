# Embeds every file under a directory into a generated C++ source as byte arrays,
# with its path relative to that directory. Regenerated whenever a file changes.
function(lir_embed_directory dir out symbol)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS ${dir}/*)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DDIR=${dir} -DOUT=${out} -DSYMBOL=${symbol}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_files_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_files_run.cmake
    COMMENT "Embedding ${dir}")
endfunction()
