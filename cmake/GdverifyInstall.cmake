# Install rules and the CMake package: `cmake --install <build> --prefix P`
# puts the headers under P/include, the libraries under P/lib and
# gdverifyConfig.cmake under P/lib/cmake/gdverify; then
#   find_package(gdverify REQUIRED)
#   target_link_libraries(my_program PRIVATE gdverify::gdverify)
# gives the whole library (docs/models.md; examples/consumer is built by CI).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The one target consumers link: everything up to the reports layer.
add_library(gdverify_sdk INTERFACE)
set_target_properties(gdverify_sdk PROPERTIES EXPORT_NAME gdverify)
target_link_libraries(gdverify_sdk INTERFACE gdverify_reports)

foreach(_t gdverify_theory gdverify_numerics gdverify_convergence gdverify_checks gdverify_reports)
  string(REPLACE "gdverify_" "" _short "${_t}")
  set_target_properties(${_t} PROPERTIES EXPORT_NAME ${_short})
endforeach()
install(TARGETS gdverify_theory gdverify_numerics gdverify_convergence gdverify_checks gdverify_reports gdverify_sdk
        EXPORT gdverifyTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(_layer theory numerics convergence checks reports)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${_layer}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endforeach()
install(TARGETS gdverify RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT gdverifyTargets NAMESPACE gdverify:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdverify)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/gdverifyConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/gdverifyConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdverify)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/gdverifyConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/gdverifyConfig.cmake ${PROJECT_BINARY_DIR}/gdverifyConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/GdverifyKokkosIncludeFix.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/gdverify)
