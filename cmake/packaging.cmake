# Install layout, the .deb (CPack) and the portable tarball.
#
#   cmake --install build --prefix /usr/local     binary, man page, completions, docs, licences
#   cmake --build build --target package          build/lambda-ir_<version>_amd64.deb
#   cmake --build build --target portable         build/lambda-ir-<version>-linux-x86_64.tar.gz
#
# Rules, Sigma and YARA rules are compiled into the binary; what ships beside it is what
# a shell and man read, generated from the binary itself (no hand-kept copies), and the
# licences of the third-party rules it carries.
include(GNUInstallDirs)

set(LIR_SHELL_DIR ${CMAKE_BINARY_DIR}/share)
add_custom_command(
  OUTPUT ${LIR_SHELL_DIR}/lambda-ir.1 ${LIR_SHELL_DIR}/lambda-ir.1.gz ${LIR_SHELL_DIR}/lambda-ir.bash ${LIR_SHELL_DIR}/_lambda-ir ${LIR_SHELL_DIR}/lambda-ir.fish
  COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:lambda-ir> -DOUT_DIR=${LIR_SHELL_DIR}
          -P ${CMAKE_SOURCE_DIR}/cmake/generate_shell_files.cmake
  DEPENDS lambda-ir ${CMAKE_SOURCE_DIR}/cmake/generate_shell_files.cmake
  VERBATIM
  COMMENT "Generating the man page and shell completions from lambda-ir")
add_custom_target(lir_shell_files ALL DEPENDS ${LIR_SHELL_DIR}/lambda-ir.1)

install(TARGETS lambda-ir RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${LIR_SHELL_DIR}/lambda-ir.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${LIR_SHELL_DIR}/lambda-ir.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME lambda-ir)
# zsh: Debian's fpath has /usr/share/zsh/vendor-completions and /usr/local/share/zsh/site-functions;
# other systems look in <prefix>/share/zsh/site-functions. Both, so any prefix works.
install(FILES ${LIR_SHELL_DIR}/_lambda-ir DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${LIR_SHELL_DIR}/_lambda-ir DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES ${LIR_SHELL_DIR}/lambda-ir.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")
install(FILES sigma/LICENSE sigma/LICENSE.Detection.Rules.md DESTINATION ${CMAKE_INSTALL_DOCDIR}/licenses/sigma)
foreach(set signature-base guarddog atr)
  file(GLOB licence_files ${CMAKE_SOURCE_DIR}/yara/${set}/LICENSE* ${CMAKE_SOURCE_DIR}/yara/${set}/NOTICE*)
  install(FILES ${licence_files} DESTINATION ${CMAKE_INSTALL_DOCDIR}/licenses/yara/${set})
endforeach()

# The .deb: dependencies declared from what the binary links (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lambda-ir)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "lambda-ir maintainers <security@lambda-ir.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "AWS Lambda incident response, from first alert to a hardened account")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
include(CPack)

# The portable tarball: every shared library the binary needs but the C library's own, copied
# beside it and found through an $ORIGIN rpath. DT_RPATH, not DT_RUNPATH: it also applies to
# the libraries' own dependencies, so none of them falls back to the host's copy. libstdc++
# is bundled rather than linked in: Debian ships simdjson and fmt only as shared C++ libraries,
# and a static libstdc++ beside them would put two C++ runtimes in one process.
add_executable(lambda-ir-portable EXCLUDE_FROM_ALL src/cli/main.cpp src/response/crash_point.cpp)
target_link_libraries(lambda-ir-portable PRIVATE lir_cli)
target_link_options(lambda-ir-portable PRIVATE -Wl,--disable-new-dtags)
set_target_properties(lambda-ir-portable PROPERTIES OUTPUT_NAME lambda-ir BUILD_WITH_INSTALL_RPATH ON
                      INSTALL_RPATH "$ORIGIN/../lib" RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/portable-bin)
add_custom_target(portable
  COMMAND ${CMAKE_SOURCE_DIR}/scripts/make_portable.sh $<TARGET_FILE:lambda-ir-portable> ${PROJECT_VERSION}
          ${CMAKE_BINARY_DIR}
  DEPENDS lambda-ir-portable lir_shell_files
  COMMENT "Building the portable tarball")
