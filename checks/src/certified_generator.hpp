// The generator identities of L1c and T1 (pointwise), THEORY.md section 3,
//   (partial_tau + L^w) phi = -w g^2 phi |s^r - s|^2   (w = 0: L1c),
// evaluated in interval arithmetic with outward rounding (MPFI through
// Boost.Multiprecision) through the same theory templates as the 50-digit
// check, at the same seeded points. The identity is exact for the exact
// problem (every input is a double, converted exactly), so an enclosure of the
// residual must contain 0: one that excludes 0 proves the computation wrong,
// and one that contains 0 and lies within the tolerance certifies the
// identity at those points (docs/theory.md, "Certified verdicts").
#pragma once

#include <string>
#include <vector>

#include "certification.hpp"
#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/metric_generator.hpp"

namespace gdverify::checks::detail {

/// The generator's ingredients with the deliberately wrong parts of `p` (the
/// sensitivity tests), the same for the 50-digit and the interval evaluation.
template <class Real>
GeneratorIngredients<Real> generator_ingredients(const Perturbation& p) {
  GeneratorIngredients<Real> g;
  g.drift_score_factor = p.ode_drift ? Real(1) / 2 : Real(1);
  g.g2_scale = 1 + Real(p.schedule_error);
  g.target_score_offset = Real(p.score_error);
  return g;
}

/// The right-hand side -w g^2 |grad log phi|^2 of the identity, formed by the
/// check itself from the field (not from GeneratorTerms::dissipation, so that
/// a wrong field there cannot make both sides agree).
template <class Real>
Real dissipation_side(const GuidedScore<Real>& field, const Vector<Real>& y, double w) {
  return -Real(w) * field.process().g2(field.time()) * field.evaluate(y).grad_log_metric().squaredNorm();
}

/// Both sides of the identity at (field.time(), y) and w: the generator's
/// terms with the ingredients of `p` (its drift at -w when the sign is
/// flipped), and dissipation_side in place of their own right-hand side.
template <class Real>
GeneratorTerms<Real> generator_sides(const GuidedScore<Real>& field, const Vector<Real>& y, double w,
                                     const Perturbation& p, const GeneratorIngredients<Real>& ing) {
  auto terms = metric_generator_terms(field, y, Real(p.flip_guidance_sign ? -w : w), ing);
  terms.dissipation = dissipation_side(field, y, w);
  return terms;
}

/// A time and a point of the generator checks.
struct GeneratorPoint {
  double t = 0;
  std::vector<double> y;
};

/// The four seeded points at which both evaluations run (seed + 101 d; t
/// uniform on [delta, t_max(schedule)], each coordinate of y uniform on [-3, 3]).
std::vector<GeneratorPoint> generator_points(const numerics::Scenario& sc, const std::string& schedule);

/// The digits of the interval type (the working precision of the enclosure).
inline constexpr int kCertifiedDigits = 60;

/// Encloses (lhs - rhs) / magnitude at every point and w, with the ingredients
/// of `pert` as the 50-digit check uses them. `tolerance` is that check's.
Certificate certify_generator_identity(const numerics::Scenario& sc, const std::string& schedule,
                                       GuidanceKind kind, const std::vector<double>& ws,
                                       const Perturbation& pert, double tolerance);

}  // namespace gdverify::checks::detail
