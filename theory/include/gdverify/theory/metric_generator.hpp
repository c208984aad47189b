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

/// The ingredients of the generator that a check may get wrong on purpose
/// (sensitivity tests): the factor in front of g^2 s^w in the drift (1 for the
/// reverse SDE; 1/2 would be the probability-flow ODE's drift), a relative
/// error in g^2, and an offset added to the target score s^r.
template <class Real>
struct GeneratorIngredients {
  Real drift_score_factor = Real(1);
  Real g2_scale = Real(1);
  Real target_score_offset = Real(0);
};

template <class Real>
struct GeneratorTerms {
  Real time_term;       ///< partial_tau log phi = -d_t log p_t + d_t log q_t
  Real drift_term;      ///< b^w . grad log phi
  Real diffusion_term;  ///< (g^2/2)(|grad log phi|^2 + Lap log phi)
  Real dissipation;     ///< the right-hand side -w g^2 |s^r - s|^2

  /// (partial_tau + L^w) phi / phi.
  [[nodiscard]] Real lhs() const { return time_term + drift_term + diffusion_term; }
  /// Sum of the absolute sizes of everything added on the way to the four
  /// terms, down to the per-component summands, for rounding bounds: the
  /// computed lhs - dissipation is within a modest multiple of
  /// (d + K) eps * magnitude() of the exact value.
  Real scale = Real(0);
  [[nodiscard]] Real magnitude() const { return scale; }
};

/// The terms of (partial_tau + L^w) phi / phi at y, for the field at time t.
template <class Real>
GeneratorTerms<Real> metric_generator_terms(const GuidedScore<Real>& field, const Vector<Real>& y,
                                            const Real& w,
                                            const GeneratorIngredients<Real>& ingredients = {}) {
  GuidedEvaluation<Real> e = field.evaluate(y, {true, true, true});
  e.target.score.array() += ingredients.target_score_offset;
  const Real t = field.time();
  const Real g2 = field.process().g2(t) * ingredients.g2_scale;
  const Vector<Real> grad_log_phi = e.grad_log_metric();
  const Vector<Real> drift =
      -field.process().f(t) * y + (ingredients.drift_score_factor * g2) * e.guided_score(w);
  GeneratorTerms<Real> out;
  out.time_term = -e.base.dlog_dt + e.target.dlog_dt;
  out.drift_term = drift.dot(grad_log_phi);
  out.diffusion_term =
      (g2 / 2) * (grad_log_phi.squaredNorm() + e.base.hessian.trace() - e.target.hessian.trace());
  out.dissipation = -w * g2 * grad_log_phi.squaredNorm();
  using std::abs;
  const Vector<Real> grad_scale = e.base.score_scale + e.target.score_scale;
  const Vector<Real> drift_scale = (field.process().f(t) * y).cwiseAbs() +
                                   (abs(ingredients.drift_score_factor * g2) * (1 + 2 * abs(w))) * grad_scale;
  out.scale = e.base.dlog_dt_scale + e.target.dlog_dt_scale + drift_scale.dot(grad_scale) +
              (abs(g2) / 2) * (grad_scale.squaredNorm() + e.base.laplacian_scale + e.target.laplacian_scale) +
              abs(w * g2) * grad_scale.squaredNorm();
  return out;
}

}  // namespace gdverify
