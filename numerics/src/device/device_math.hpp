// exp, log and sqrt callable from every Kokkos backend. Kokkos 3.4 (Debian)
// has them in Kokkos::Experimental; from 3.7 on they live in Kokkos:: and the
// Experimental names are deprecated, so pick by KOKKOS_VERSION.
#pragma once

#include <Kokkos_Core.hpp>

namespace gdverify::numerics::device {

#if KOKKOS_VERSION >= 30700
KOKKOS_INLINE_FUNCTION double dexp(double x) { return Kokkos::exp(x); }
KOKKOS_INLINE_FUNCTION double dlog(double x) { return Kokkos::log(x); }
KOKKOS_INLINE_FUNCTION double dsqrt(double x) { return Kokkos::sqrt(x); }
KOKKOS_INLINE_FUNCTION bool dfinite(double x) { return Kokkos::isfinite(x); }
#else
KOKKOS_INLINE_FUNCTION double dexp(double x) { return Kokkos::Experimental::exp(x); }
KOKKOS_INLINE_FUNCTION double dlog(double x) { return Kokkos::Experimental::log(x); }
KOKKOS_INLINE_FUNCTION double dsqrt(double x) { return Kokkos::Experimental::sqrt(x); }
KOKKOS_INLINE_FUNCTION bool dfinite(double x) { return Kokkos::Experimental::isfinite(x); }
#endif

}  // namespace gdverify::numerics::device
