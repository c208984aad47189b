// Counter-based Gaussian draws for the Monte Carlo engine: Random123's
// Philox4x32-10 (Salmon et al., SC'11; Debian's librandom123-dev), keyed by the
// 64-bit seed, with counter (path low word, path high word, stream, pair). One
// call yields 128 random bits = two 64-bit integers, which Random123's
// Box-Muller turns into two independent standard normals. Stream kStepStream
// numbers the sampler's normals n = step * d + coordinate, normal n being half
// of pair n / 2; the start uses its own streams. Nothing else enters the draw,
// so a path's noise is a function of (seed, path, step, coordinate) only,
// independent of backend, threads, splits and guidance scale.
#pragma once

#include <Random123/philox.h>
#include <Kokkos_Core.hpp>
#include <Random123/boxmuller.hpp>
#include <Random123/uniform.hpp>
#include <cstdint>

namespace gdverify::numerics::device {

/// Stream of the sampler's normals.
inline constexpr std::uint32_t kStepStream = 0;
/// Stream of the normals that place a path's start point.
inline constexpr std::uint32_t kStartStream = 1;
/// Stream of the uniform that picks the start component.
inline constexpr std::uint32_t kSelectStream = 2;

KOKKOS_INLINE_FUNCTION r123::Philox4x32::ctr_type philox_bits(std::uint64_t seed, std::uint64_t path,
                                                              std::uint32_t stream, std::uint32_t pair) {
  r123::Philox4x32 rng;
  const r123::Philox4x32::ctr_type ctr = {
      {static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(path >> 32), stream, pair}};
  const r123::Philox4x32::key_type key = {
      {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  return rng(ctr, key);
}

KOKKOS_INLINE_FUNCTION void normal_pair(std::uint64_t seed, std::uint64_t path, std::uint32_t stream,
                                        std::uint32_t pair, double& a, double& b) {
  const auto r = philox_bits(seed, path, stream, pair);
  const std::uint64_t u0 = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
  const std::uint64_t u1 = (static_cast<std::uint64_t>(r[3]) << 32) | r[2];
  const r123::double2 n = r123::boxmuller(u0, u1);
  a = n.x;
  b = n.y;
}

/// d standard normals of the start stream into xi[0..d).
KOKKOS_INLINE_FUNCTION void start_normals(std::uint64_t seed, std::uint64_t path, int d, double* xi) {
  for (int j = 0; 2 * j < d; ++j) {
    double a = 0, b = 0;
    normal_pair(seed, path, kStartStream, static_cast<std::uint32_t>(j), a, b);
    xi[2 * j] = a;
    if (2 * j + 1 < d) xi[2 * j + 1] = b;
  }
}

/// The sampler's normals of one path, normal n = step * d + i; keeps the
/// second half of the last pair, so odd d wastes no draw.
struct StepNormals {
  std::uint64_t seed = 0, path = 0;
  std::uint32_t cached_pair = 0xFFFFFFFFu;
  double cached = 0;

  KOKKOS_INLINE_FUNCTION void fill(int step, int d, double* xi) {
    for (int i = 0; i < d; ++i) {
      const std::uint64_t n = static_cast<std::uint64_t>(step) * static_cast<std::uint64_t>(d) + i;
      const auto pair = static_cast<std::uint32_t>(n / 2);
      if (n % 2 == 0) {
        double a = 0, b = 0;
        normal_pair(seed, path, kStepStream, pair, a, b);
        xi[i] = a;
        cached = b;
        cached_pair = pair;
      } else if (pair == cached_pair) {
        xi[i] = cached;
      } else {
        double a = 0, b = 0;
        normal_pair(seed, path, kStepStream, pair, a, b);
        xi[i] = b;
      }
    }
  }
};

/// The start component's uniform in (0, 1).
KOKKOS_INLINE_FUNCTION double start_uniform(std::uint64_t seed, std::uint64_t path) {
  const auto r = philox_bits(seed, path, kSelectStream, 0);
  const std::uint64_t u = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
  return r123::u01<double>(u);
}

}  // namespace gdverify::numerics::device
