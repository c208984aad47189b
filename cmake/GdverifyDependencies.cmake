# Every dependency comes from Debian bookworm's packages (scripts/setup.sh).
find_package(Boost 1.74 REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(PkgConfig REQUIRED)
pkg_check_modules(MPFR REQUIRED IMPORTED_TARGET mpfr)
find_library(GMP_LIBRARY gmp REQUIRED)
find_path(MPFI_INCLUDE_DIR mpfi.h REQUIRED)
find_library(MPFI_LIBRARY mpfi REQUIRED)
# Arb (FLINT's ball arithmetic; Debian: libflint-arb-dev) for the certified integrals.
find_path(ARB_INCLUDE_DIR acb_calc.h REQUIRED)
find_library(ARB_LIBRARY flint-arb REQUIRED)
find_library(FLINT_LIBRARY flint REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(fmt REQUIRED)
find_package(xtensor REQUIRED)  # the .npy reader of the samples door
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)

find_package(Kokkos REQUIRED)
include(GdverifyKokkosIncludeFix)

# The Python door (python/): pybind11 against Debian's /usr/bin/python3 (whose
# numpy, pytest and torch the module's tests and examples use); optional.
set(PYBIND11_FINDPYTHON ON)
if(NOT DEFINED Python_EXECUTABLE AND EXISTS /usr/bin/python3)
  set(Python_EXECUTABLE /usr/bin/python3 CACHE FILEPATH "The Python the gdverify module is built for")
endif()
find_package(pybind11 CONFIG QUIET)
option(GDVERIFY_BUILD_PYTHON "Build the gdverify Python module (needs pybind11)" ${pybind11_FOUND})
if(GDVERIFY_BUILD_PYTHON AND NOT pybind11_FOUND)
  message(FATAL_ERROR "GDVERIFY_BUILD_PYTHON needs pybind11 (Debian: pybind11-dev)")
endif()

# The TorchScript door (--score-model): Debian's libtorch-dev; optional.
find_package(Torch CONFIG QUIET)
option(GDVERIFY_WITH_TORCH "Load TorchScript score models (needs libtorch)" ${Torch_FOUND})
if(GDVERIFY_WITH_TORCH AND NOT Torch_FOUND)
  message(FATAL_ERROR "GDVERIFY_WITH_TORCH needs libtorch (Debian: libtorch-dev)")
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
