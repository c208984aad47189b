// Deterministic 1-D quadrature over the real line for Gaussian-mixture
// integrands (THEORY.md section 4, oracle 2). The integrand is covered by the
// ranges [c - 20 sd, c + 20 sd] of the Gaussian bumps it is made of (a
// Gaussian's mass beyond 20 sd is below 1e-88, far under every tolerance
// used); overlapping ranges are merged and split into segments no wider than
// two of their narrowest standard deviations, and each segment is integrated
// by Boost.Math's tanh-sinh rule. Callers pass every bump whose weight in
// the integrand matters.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

namespace gdverify::numerics {

template <class Real>
struct QuadratureResult {
  Real value;  ///< the integral
  Real error;  ///< sum of tanh-sinh's per-segment error estimates
  Real l1;     ///< integral of |f|, for relative error statements
  std::size_t segments = 0;
};

/// A Gaussian bump the integrand is made of: its centre and standard deviation.
template <class Real>
struct Bump {
  Real centre;
  Real sd;
};

/// Integrates f over R, assuming f is a smooth function dominated by the
/// given Gaussian bumps (outside their 20-sd ranges it is negligible).
template <class Real>
QuadratureResult<Real> integrate_line(const std::function<Real(const Real&)>& f,
                                      const std::vector<Bump<Real>>& bumps);

}  // namespace gdverify::numerics
