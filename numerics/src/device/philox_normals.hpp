// Counter-based Gaussian draws for the Monte Carlo engine: Random123's
// Philox4x32-10 (Salmon et al., SC'11; Debian's librandom123-dev), keyed by the
// 64-bit seed, with counter (path low word, path high word, step, pair). One
// call yields 128 random bits = two 64-bit integers, which Random123's
// Box-Muller turns into two independent standard normals. Nothing else enters
// the draw, so a path's noise is independent of backend, threads and splits.
#pragma once

#include <Random123/philox.h>
#include <Kokkos_Core.hpp>
#include <Random123/boxmuller.hpp>
#include <Random123/uniform.hpp>
#include <cstdint>

namespace gdverify::numerics::device {

/// Step word of the normals that place a path's start point.
inline constexpr std::uint32_t kStartStep = 0xFFFFFFFFu;
/// Step word of the uniform that picks the start component.
inline constexpr std::uint32_t kSelectStep = 0xFFFFFFFEu;

KOKKOS_INLINE_FUNCTION r123::Philox4x32::ctr_type philox_bits(std::uint64_t seed, std::uint64_t path,
                                                              std::uint32_t step, std::uint32_t pair) {
  r123::Philox4x32 rng;
  const r123::Philox4x32::ctr_type ctr = {
      {static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(path >> 32), step, pair}};
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return rng(ctr, key);
}

KOKKOS_INLINE_FUNCTION void normal_pair(std::uint64_t seed, std::uint64_t path, std::uint32_t step,
                                        std::uint32_t pair, double& a, double& b) {
  const auto r = philox_bits(seed, path, step, pair);
  const std::uint64_t u0 = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
  const std::uint64_t u1 = (static_cast<std::uint64_t>(r[3]) << 32) | r[2];
  const r123::double2 n = r123::boxmuller(u0, u1);
  a = n.x;
  b = n.y;
}

/// d standard normals for (path, step) into xi[0..d).
KOKKOS_INLINE_FUNCTION void normal_vector(std::uint64_t seed, std::uint64_t path, std::uint32_t step, int d,
                                          double* xi) {
  for (int j = 0; 2 * j < d; ++j) {
    double a = 0, b = 0;
    normal_pair(seed, path, step, static_cast<std::uint32_t>(j), a, b);
    xi[2 * j] = a;
    if (2 * j + 1 < d) xi[2 * j + 1] = b;
  }
}

/// A uniform in (0, 1) for (path, step).
KOKKOS_INLINE_FUNCTION double uniform_open(std::uint64_t seed, std::uint64_t path, std::uint32_t step) {
  const auto r = philox_bits(seed, path, step, 0);
  const std::uint64_t u = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
  return r123::u01<double>(u);
}

}  // namespace gdverify::numerics::device
