// Helpers for the 50-digit quadrature of 1-D mixtures shared by the numerical
// methods and the checks: the Gaussian bumps of a mixture (the integrator's
// hints), 1-vectors, the scenario's guidance problem and time grids.
#pragma once

#include <boost/math/tools/precision.hpp>
#include <vector>

#include "gdverify/numerics/quadrature.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory.hpp"

namespace gdverify::numerics::detail {

/// The Gaussian bumps of a 1-D mixture (for integrate_line).
/// Components of weight below eps^2 are left out: their share of an integrand
/// bounded by the mixture times a factor <= 1/eps is below eps.
template <class Real>
std::vector<Bump<Real>> bumps_of(const MixtureModel<Real>& m) {
  using std::sqrt;
  const Real e = boost::math::tools::epsilon<Real>();
  std::vector<Bump<Real>> out;
  for (const auto& k : m.components())
    if (k.weight > e * e) out.push_back({k.mean(0), sqrt(k.covariance(0, 0))});
  return out;
}

template <class Real>
void append(std::vector<Bump<Real>>& to, const std::vector<Bump<Real>>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

template <class Real>
Vector<Real> point(const Real& x) {
  Vector<Real> v(1);
  v(0) = x;
  return v;
}

/// The scenario's guidance problem of the given form: CFG towards the guided
/// class, or the Gaussian-shaped reward's tilt.
template <class Real>
GuidanceProblem<Real> scenario_problem(const Scenario& sc, GuidanceKind kind) {
  const auto p = sc.mixture<Real>();
  if (kind == GuidanceKind::cfg) return GuidanceProblem<Real>::cfg(p, sc.guided_class);
  return GuidanceProblem<Real>::reward(p, sc.gaussian_reward<Real>());
}

/// Time grid of n points from t_min to t_max inclusive.
template <class Real>
std::vector<Real> time_grid(double t_min, double t_max, int n) {
  std::vector<Real> out;
  for (int i = 0; i < n; ++i)
    out.push_back(Real(t_min) + (Real(t_max) - Real(t_min)) * Real(i) / Real(n - 1));
  return out;
}

}  // namespace gdverify::numerics::detail
