# Kokkos: Debian's libtrilinos-kokkos-dev (Kokkos 3.4, Serial) or any Kokkos
# installation the user points CMake at with -DKokkos_ROOT=... (OpenMP, CUDA).
# Debian's imported target carries the include path <prefix>/include, while
# the headers live in <prefix>/include/trilinos, which the package config
# states in Kokkos_INCLUDE_DIRS; set the target's include path from it, and
# only when that directory really holds Kokkos_Core.hpp, so that another
# Kokkos build keeps its own target unchanged.
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
