# Warnings applied to gdverify's own targets (never to dependencies).
add_library(gdverify_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(gdverify_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-deprecated-declarations)
endif()

# One test executable per module: gdverify_add_test_executable(name SOURCES... LIBS...)
function(gdverify_add_test_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main gdverify_warnings)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 120 PROPERTIES TIMEOUT 900)
endfunction()
