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

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/quadrature.hpp"
#include "gdverify/numerics/quadrature_support.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory.hpp"

namespace gdverify::checks::detail {

using namespace gdverify::numerics;
using namespace gdverify::numerics::detail;

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
  // The residual is rounding-level: a change within the tolerance is noise.
  r.quantities.push_back({"residual", QuantityKind::rounding, r.residual, 0, r.tolerance});
  return r;
}

/// "cfg" or "reward": the guidance form as it appears in check names.
inline std::string form_name(GuidanceKind k) { return k == GuidanceKind::cfg ? "cfg" : "reward"; }

}  // namespace gdverify::checks::detail
