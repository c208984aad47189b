// Elementary functions for the Monte Carlo kernels, written in IEEE basic
// operations only (+, -, *, /, sqrt, compares, integer bit moves), so that:
//   * a kernel gives the same bits on every backend: glibc's exp and CUDA's exp
//     differ in the last bit, these do not (the engine's translation unit is
//     compiled with -ffp-contract=off, and with --fmad=false under nvcc);
//   * they have no branch that depends on the argument, so a loop over a batch
//     of paths vectorises (SSE2, AVX2 or AVX-512: same bits, since each lane
//     performs exactly the scalar sequence of operations).
// Accuracy, tested against the C library in numerics/test/device_math_test.cpp:
//   exp   Cody-Waite reduction x = n ln2 + r, |r| <= ln2/2, then the Taylor
//         polynomial of degree 13 (remainder < 5e-18 relative); results below
//         e^-708 (the subnormal range) flush to 0.
//   log   x = 2^e m, m in [sqrt(1/2), sqrt(2)), log m = 2 atanh(s),
//         s = (m - 1)/(m + 1), |s| <= 0.1716, odd series to s^23 (remainder < 2e-19).
//   sincos_2pi(v) = (sin 2 pi v, cos 2 pi v): v is reduced exactly by quarter
//         turns, then Taylor polynomials on [-pi/4, pi/4] (to r^17 and r^18).
// Kokkos 3.4 (Debian) has sqrt in Kokkos::Experimental, 3.7 on in Kokkos::;
// sqrt is correctly rounded on every backend, so it is used as is.
#pragma once

#include <Kokkos_Core.hpp>
#include <cstdint>
#include <cstring>

namespace gdverify::numerics::device {

#if KOKKOS_VERSION >= 30700
KOKKOS_INLINE_FUNCTION double dsqrt(double x) { return Kokkos::sqrt(x); }
#else
KOKKOS_INLINE_FUNCTION double dsqrt(double x) { return Kokkos::Experimental::sqrt(x); }
#endif

KOKKOS_INLINE_FUNCTION std::uint64_t bits_of(double x) {
  std::uint64_t u = 0;
  std::memcpy(&u, &x, sizeof u);
  return u;
}
KOKKOS_INLINE_FUNCTION double from_bits(std::uint64_t u) {
  double x = 0;
  std::memcpy(&x, &u, sizeof x);
  return x;
}

/// True when x is neither infinite nor NaN (exponent field not all ones).
KOKKOS_INLINE_FUNCTION bool dfinite(double x) {
  return (bits_of(x) & 0x7FF0000000000000ULL) != 0x7FF0000000000000ULL;
}

inline constexpr double kTwo52 = 4503599627370496.0;          // 2^52
inline constexpr double kLn2Hi = 6.93147180369123816490e-01;  // ln 2 with 21 trailing zero bits
inline constexpr double kLn2Lo = 1.90821492927058770002e-10;  // ln 2 - kLn2Hi
inline constexpr double kLog2E = 1.44269504088896338700e+00;

/// x rounded to the nearest integer (ties to even), for |x| < 2^51: after adding
/// 1.5 * 2^52 no fraction bit is left, and subtracting it again is exact.
KOKKOS_INLINE_FUNCTION double round_to_integer(double x) { return (x + 1.5 * kTwo52) - 1.5 * kTwo52; }

/// The integer k < 2^52 as a double, exactly: k fills the fraction bits of 2^52 + k.
KOKKOS_INLINE_FUNCTION double small_integer_as_double(std::uint64_t k) {
  return from_bits(k | 0x4330000000000000ULL) - kTwo52;
}

/// e^x for every double (NaN -> NaN, -inf -> 0, +inf -> +inf).
KOKKOS_INLINE_FUNCTION double dexp(double x) {
  const double xc = x < -708.0 ? -708.0 : (x > 709.8 ? 709.8 : x);  // NaN -> 709.8, fixed below
  const double n = round_to_integer(xc * kLog2E);                   // in [-1021, 1024]
  const double r = (xc - n * kLn2Hi) - n * kLn2Lo;                  // n * kLn2Hi is exact
  double p = 1.0 / 6227020800.0;                                    // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^(n-1) from its exponent field n - 1 + 1023 in [1, 2046]: the integer k sits
  // in the low bits of k + 2^52, and shifting them up by 52 gives the field.
  const double scale = from_bits(bits_of((n + 1022.0) + kTwo52) << 52);
  const double y = (p * 2.0) * scale;  // both products exact or correctly overflowing
  const double flushed = x < -708.0 ? 0.0 : y;
  return x == x ? flushed : x;
}

/// Natural log: log 0 = -inf, log(+inf) = +inf, negative or NaN -> NaN.
KOKKOS_INLINE_FUNCTION double dlog(double x) {
  const bool tiny = x < 2.2250738585072014e-308;  // subnormal (or <= 0): scale by 2^54 first
  const double xs = tiny ? x * 18014398509481984.0 : x;
  const std::uint64_t u = bits_of(xs);
  const double biased = small_integer_as_double(u >> 52);                     // exponent field
  double m = from_bits((u & 0x000FFFFFFFFFFFFFULL) | 0x3FF0000000000000ULL);  // in [1, 2)
  const bool high = m > 1.4142135623730951;
  m = high ? m * 0.5 : m;
  const double e = biased - 1023.0 + (high ? 1.0 : 0.0) - (tiny ? 54.0 : 0.0);
  const double f = m - 1.0;  // exact (Sterbenz)
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  double p = 2.0 / 23.0;
  p = p * s2 + 2.0 / 21.0;
  p = p * s2 + 2.0 / 19.0;
  p = p * s2 + 2.0 / 17.0;
  p = p * s2 + 2.0 / 15.0;
  p = p * s2 + 2.0 / 13.0;
  p = p * s2 + 2.0 / 11.0;
  p = p * s2 + 2.0 / 9.0;
  p = p * s2 + 2.0 / 7.0;
  p = p * s2 + 2.0 / 5.0;
  p = p * s2 + 2.0 / 3.0;
  // log m = 2 s + s^3 p(s^2); keep f - (f - 2s) style accuracy by adding the small parts first
  const double log_m = 2.0 * s + s * s2 * p;
  const double y = e * kLn2Hi + (e * kLn2Lo + log_m);
  const double inf = from_bits(0x7FF0000000000000ULL);
  const double special = x == 0.0 ? -inf : (x == inf ? inf : (x > 0.0 ? y : inf - inf));
  return (x > 0.0 && x != inf) ? y : special;
}

/// sin(2 pi v) and cos(2 pi v) for v in [0, 1] (the Box-Muller angle).
KOKKOS_INLINE_FUNCTION void dsincos_2pi(double v, double& s, double& c) {
  // v = q/4 + a with q = round(4v) and |a| <= 1/8; v - q/4 is exact (Sterbenz for q >= 1).
  const double q = round_to_integer(4.0 * v);
  const double r = (v - 0.25 * q) * 6.283185307179586;  // |r| <= pi/4
  const double r2 = r * r;
  double ps = -1.0 / 355687428096000.0;  // -1/17!
  ps = ps * r2 + 1.0 / 1307674368000.0;
  ps = ps * r2 - 1.0 / 6227020800.0;
  ps = ps * r2 + 1.0 / 39916800.0;
  ps = ps * r2 - 1.0 / 362880.0;
  ps = ps * r2 + 1.0 / 5040.0;
  ps = ps * r2 - 1.0 / 120.0;
  ps = ps * r2 + 1.0 / 6.0;
  const double sr = r - r * r2 * ps;
  double pc = 1.0 / 6402373705728000.0;  // 1/18!
  pc = pc * r2 - 1.0 / 20922789888000.0;
  pc = pc * r2 + 1.0 / 87178291200.0;
  pc = pc * r2 - 1.0 / 479001600.0;
  pc = pc * r2 + 1.0 / 3628800.0;
  pc = pc * r2 - 1.0 / 40320.0;
  pc = pc * r2 + 1.0 / 720.0;
  pc = pc * r2 - 1.0 / 24.0;
  pc = pc * r2 + 0.5;
  const double cr = 1.0 - r2 * pc;
  // Quarter turns: (sin, cos) of r + q pi/2 for q mod 4 = 0, 1, 2, 3 (q = 4 is a full turn).
  const int quadrant = static_cast<int>(q) & 3;
  const bool swap = (quadrant & 1) != 0;
  const double s0 = swap ? cr : sr, c0 = swap ? sr : cr;
  s = (quadrant == 2 || quadrant == 3) ? -s0 : s0;
  c = (quadrant == 1 || quadrant == 2) ? -c0 : c0;
}

}  // namespace gdverify::numerics::device
