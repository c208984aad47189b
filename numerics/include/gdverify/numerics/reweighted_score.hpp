// The trajectory-free side of THEORY.md R2, in 1-D by quadrature over the
// posterior of X_0 given X_t = y under the base mixture p:
//   u_t(y)   = E[r(X_0) | X_t = y],
//   s_min(y) = E[r(X_0) grad_y log p(y | X_0) | X_t = y] / u_t(y),
//   grad_y log p(y | x_0) = -(y - alpha_t x_0) / sigma_t^2  (= -eps / sigma_t),
// s_min being the pointwise population minimiser of the reweighted denoising
// score matching loss E[r(X_0) |s(X_t) + eps / sigma_t|^2]. R2 says s_min = s^r.
#pragma once

#include <functional>
#include <vector>

#include "gdverify/numerics/quadrature.hpp"

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics {

template <class Real>
struct ReweightedMoments {
  Real u;      ///< E[r(X_0) | X_t = y]
  Real score;  ///< the reweighted DSM minimiser at y
  /// Rounding/quadrature scale of `score`: the integral of |r grad log p(y|x0)|
  /// against the posterior, over u. A relative quadrature error e of both
  /// integrals moves `score` by at most about e (scale + |score|).
  Real score_scale;
};

/// `log_reward` gives log r(x_0); p must be one-dimensional and non-degenerate.
/// The quadrature covers the posterior's components and `reward_bumps`: where
/// post(x0) r(x0) has mass that the posterior alone does not mark (for a
/// Gaussian-shaped r, the posterior under the tilted law q, whose components
/// sit between the posterior's and the reward's centre; without them a
/// posterior far from r loses the product's mass, measured 1e-13 relative at
/// components 60 sd apart).
template <class Real>
ReweightedMoments<Real> reweighted_moments(const MixtureModel<Real>& p, const ForwardProcess<Real>& process,
                                           const Real& t, const Real& y,
                                           const std::function<Real(const Real&)>& log_reward,
                                           const std::vector<Bump<Real>>& reward_bumps = {});

}  // namespace gdverify::numerics
