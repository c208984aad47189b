// The pointwise generator identities behind L1(c) and T1 (THEORY.md section 3).
// With phi = kappa p_t / q_t, t = T - tau, grad log phi = s - s^r, and the
// generator of the guided reverse SDE L^w = b^w . grad + (g^2/2) Laplacian,
// b^w = -f y + g^2 s^w:
//   (partial_tau + L^w) phi / phi
//       = -d_t log p_t + d_t log q_t + b^w . (s - s^r)
//         + (g^2/2) ( |s - s^r|^2 + Lap log p_t - Lap log q_t ).
// L1(c) says this vanishes for w = 0; T1 says it equals -w g^2 |s^r - s|^2.
// Every term is returned so that a check can bound rounding by their sizes.
#pragma once

#include <cmath>

#include "gdverify/theory/guided_score.hpp"

namespace gdverify {

template <class Real>
struct GeneratorTerms {
  Real time_term;       ///< partial_tau log phi = -d_t log p_t + d_t log q_t
  Real drift_term;      ///< b^w . grad log phi
  Real diffusion_term;  ///< (g^2/2)(|grad log phi|^2 + Lap log phi)
  Real dissipation;     ///< the right-hand side -w g^2 |s^r - s|^2

  /// (partial_tau + L^w) phi / phi.
  [[nodiscard]] Real lhs() const { return time_term + drift_term + diffusion_term; }
  /// Sum of the absolute sizes of everything added, for rounding bounds.
  [[nodiscard]] Real magnitude() const {
    using std::abs;
    return abs(time_term) + abs(drift_term) + abs(diffusion_term) + abs(dissipation);
  }
};

/// The terms of (partial_tau + L^w) phi / phi at y, for the field at time t.
template <class Real>
GeneratorTerms<Real> metric_generator_terms(const GuidedScore<Real>& field, const Vector<Real>& y,
                                            const Real& w) {
  const GuidedEvaluation<Real> e = field.evaluate(y, {true, true, true});
  const Real t = field.time();
  const Real g2 = field.process().g2(t);
  const Vector<Real> grad_log_phi = e.grad_log_metric();
  const Vector<Real> drift = -field.process().f(t) * y + g2 * e.guided_score(w);
  GeneratorTerms<Real> out;
  out.time_term = -e.base.dlog_dt + e.target.dlog_dt;
  out.drift_term = drift.dot(grad_log_phi);
  out.diffusion_term =
      (g2 / 2) * (grad_log_phi.squaredNorm() + e.base.hessian.trace() - e.target.hessian.trace());
  out.dissipation = -w * g2 * grad_log_phi.squaredNorm();
  return out;
}

}  // namespace gdverify
