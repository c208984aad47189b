// Private helpers shared by the check implementations.
#pragma once

#include <boost/math/tools/precision.hpp>
#include <chrono>
#include <cmath>
#include <iomanip>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "gdverify/numerics/check.hpp"
#include "gdverify/numerics/quadrature.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory.hpp"

namespace gdverify::numerics::detail {

template <class Real>
std::string full(const Real& x) {
  std::ostringstream os;
  os << std::setprecision(std::numeric_limits<Real>::digits10 + 2) << x;
  return os.str();
}

template <class Real>
const char* scalar_name() {
  return std::is_same_v<Real, double> ? "double" : "mpfr50";
}

template <class Real>
int scalar_digits() {
  return std::numeric_limits<Real>::digits10;
}

class Stopwatch {
 public:
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

/// Tracks the worst residual over many evaluations of one identity.
template <class Real>
struct Worst {
  Real residual = Real(-1);
  Real lhs = Real(0);
  Real rhs = Real(0);
  void update(const Real& res, const Real& l, const Real& r) {
    if (boost::math::isnan(res) || res > residual) {
      residual = boost::math::isnan(res) ? std::numeric_limits<Real>::infinity() : res;
      lhs = l;
      rhs = r;
    }
  }
};

template <class Real>
CheckResult finish(const std::string& name, const std::string& description, const Worst<Real>& w,
                   const Real& tolerance, const Stopwatch& clock) {
  CheckResult r;
  r.name = name;
  r.description = description;
  r.lhs = full(w.lhs);
  r.rhs = full(w.rhs);
  r.residual = static_cast<double>(w.residual);
  r.tolerance = static_cast<double>(tolerance);
  r.scalar = scalar_name<Real>();
  r.digits = scalar_digits<Real>();
  r.verdict = (w.residual >= 0 && w.residual <= tolerance) ? Verdict::pass : Verdict::fail;
  r.seconds = clock.seconds();
  return r;
}

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

/// "cfg" or "reward": the guidance form as it appears in check names.
inline std::string form_name(GuidanceKind k) { return k == GuidanceKind::cfg ? "cfg" : "reward"; }

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
