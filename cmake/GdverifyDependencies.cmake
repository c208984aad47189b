# Every dependency comes from Debian bookworm's packages (scripts/setup.sh).
find_package(Boost 1.74 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr)
find_library(GMP_LIBRARY gmp REQUIRED)
find_path(MPFI_INCLUDE_DIR mpfi.h REQUIRED)
find_library(MPFI_LIBRARY mpfi REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(xtensor REQUIRED)  # the .npy reader of the samples door
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)

# Kokkos: Debian's libtrilinos-kokkos-dev (Kokkos 3.4, Serial) or any Kokkos
# installation the user points CMake at with -DKokkos_ROOT=... (OpenMP, CUDA).
# Debian's imported target carries the include path <prefix>/include, while
# the headers live in <prefix>/include/trilinos, which the package config
# states in Kokkos_INCLUDE_DIRS; set the target's include path from it, and
# only when that directory really holds Kokkos_Core.hpp, so that another
# Kokkos build keeps its own target unchanged.
find_package(Kokkos REQUIRED)
if(TARGET Kokkos::kokkos AND Kokkos_INCLUDE_DIRS)
  list(GET Kokkos_INCLUDE_DIRS 0 _gdv_kokkos_inc)
  get_filename_component(_gdv_kokkos_inc "${_gdv_kokkos_inc}" ABSOLUTE)
  get_target_property(_gdv_kokkos_cur Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
  set(_gdv_kokkos_has_core FALSE)
  foreach(_dir IN LISTS _gdv_kokkos_cur)
    if(EXISTS "${_dir}/Kokkos_Core.hpp")
      set(_gdv_kokkos_has_core TRUE)
    endif()
  endforeach()
  if(NOT _gdv_kokkos_has_core AND EXISTS "${_gdv_kokkos_inc}/Kokkos_Core.hpp")
    set_target_properties(Kokkos::kokkos PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${Kokkos_INCLUDE_DIRS}")
    message(STATUS "gdverify: Kokkos include path set from Kokkos_INCLUDE_DIRS (${_gdv_kokkos_inc})")
  endif()
endif()

if(GDVERIFY_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(rapidcheck REQUIRED)
endif()
if(GDVERIFY_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
if(GDVERIFY_ENABLE_MPI)
  find_package(MPI REQUIRED COMPONENTS CXX)
endif()
