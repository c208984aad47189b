// Counter-based Gaussian draws for the Monte Carlo engine: Random123's
// Philox4x32-10 (Salmon et al., SC'11; Debian's librandom123-dev), keyed by the
// 64-bit seed, with counter (path low word, path high word, stream, pair). One
// call yields 128 random bits = two 64-bit integers u0, u1, which Box-Muller
// turns into two independent standard normals: with the 52-bit uniforms
// U0 = (floor(u0 / 2^12) + 1/2) 2^-52 in (0, 1) and U1 = floor(u1 / 2^12) 2^-52
// in [0, 1), (R cos 2 pi U1, R sin 2 pi U1) with R = sqrt(-2 log U0). The log,
// sine and cosine are device_math.hpp's, so the normals are the same bits on
// every backend and vectorise across paths. Stream kStepStream
// numbers the sampler's normals n = step * d + coordinate, normal n being half
// of pair n / 2; the start uses its own streams. Nothing else enters the draw,
// so a path's noise is a function of (seed, path, step, coordinate) only,
// independent of backend, threads, splits and guidance scale.
#pragma once

#include <Random123/philox.h>
#include <Kokkos_Core.hpp>
#include <Random123/uniform.hpp>
#include <cstdint>

#include "device/device_math.hpp"

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

/// k / 2^52 for the top 52 bits k of u, exactly.
KOKKOS_INLINE_FUNCTION double top52_fraction(std::uint64_t u) {
  return small_integer_as_double(u >> 12) * (1.0 / kTwo52);
}

KOKKOS_INLINE_FUNCTION void normal_pair(std::uint64_t seed, std::uint64_t path, std::uint32_t stream,
                                        std::uint32_t pair, double& a, double& b) {
  const auto r = philox_bits(seed, path, stream, pair);
  const std::uint64_t u0 = (static_cast<std::uint64_t>(r[1]) << 32) | r[0];
  const std::uint64_t u1 = (static_cast<std::uint64_t>(r[3]) << 32) | r[2];
  const double radius = dsqrt(-2.0 * dlog(top52_fraction(u0) + 0.5 / kTwo52));
  double s = 0, c = 0;
  dsincos_2pi(top52_fraction(u1), s, c);
  a = radius * c;
  b = radius * s;
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

/// The sampler's normals of L consecutive paths (path, path + 1, ...), normal
/// n = step * d + i into xi[i][lane]; keeps the second half of the last pair,
/// so odd d wastes no draw. Which pair is drawn depends on (step, i) only, so
/// the branches are the same for every lane.
template <int L>
struct StepNormals {
  std::uint64_t seed = 0, path = 0;
  std::uint32_t cached_pair = 0xFFFFFFFFu;
  double cached[L] = {};

  KOKKOS_INLINE_FUNCTION void fill(int step, int d, double (*xi)[L]) {
    for (int i = 0; i < d; ++i) {
      const std::uint64_t n = static_cast<std::uint64_t>(step) * static_cast<std::uint64_t>(d) + i;
      const auto pair = static_cast<std::uint32_t>(n / 2);
      if (n % 2 == 0) {
        for (int l = 0; l < L; ++l) normal_pair(seed, path + l, kStepStream, pair, xi[i][l], cached[l]);
        cached_pair = pair;
      } else if (pair == cached_pair) {
        for (int l = 0; l < L; ++l) xi[i][l] = cached[l];
      } else {
        for (int l = 0; l < L; ++l) {
          double unused = 0;
          normal_pair(seed, path + l, kStepStream, pair, unused, xi[i][l]);
        }
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
