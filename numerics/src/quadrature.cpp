#include "gdverify/numerics/quadrature.hpp"

#include <algorithm>
#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/tools/precision.hpp>
#include <cmath>
#include <stdexcept>

#include "gdverify/theory/real_types.hpp"

namespace gdverify::numerics {

template <class Real>
QuadratureResult<Real> integrate_line(const std::function<Real(const Real&)>& f,
                                      const std::vector<Bump<Real>>& bumps) {
  using std::ceil;
  using std::pow;
  if (bumps.empty()) throw std::invalid_argument("integrate_line: no bumps");
  // Each bump covers [c - 20 sd, c + 20 sd]; overlapping ranges are merged and
  // cut into segments no wider than two of the narrowest sd among them.
  struct Range {
    Real lo, hi, narrowest;
  };
  std::vector<Range> ranges;
  const Real tails = Real(20);
  for (const auto& b : bumps) {
    if (!(b.sd > 0)) throw std::invalid_argument("integrate_line: bump with sd <= 0");
    ranges.push_back({b.centre - tails * b.sd, b.centre + tails * b.sd, b.sd});
  }
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.lo < b.lo; });
  std::vector<Range> merged = {ranges.front()};
  for (std::size_t i = 1; i < ranges.size(); ++i) {
    Range& m = merged.back();
    if (ranges[i].lo <= m.hi) {
      m.hi = std::max<Real>(m.hi, ranges[i].hi);
      m.narrowest = std::min<Real>(m.narrowest, ranges[i].narrowest);
    } else {
      merged.push_back(ranges[i]);
    }
  }
  // MPFR types: tanh-sinh's default smallest endpoint complement (4 * min_value)
  // is astronomically small for MPFR and overflows the abscissa bound; eps^4
  // keeps abscissae inside the segment, enough for smooth integrands.
  const Real e = boost::math::tools::epsilon<Real>();
  boost::math::quadrature::tanh_sinh<Real> ts(15, e * e * e * e);
  // Termination when two successive tanh-sinh levels agree to eps^0.9
  // relative (1e-14 for double, ~1e-45 at 50 digits): the reported error
  // estimate is then itself below the tolerances of the checks.
  const Real tol = pow(e, Real(9) / Real(10));
  QuadratureResult<Real> out{Real(0), Real(0), Real(0), 0};
  for (const Range& r : merged) {
    const auto n = static_cast<int>(static_cast<double>(ceil((r.hi - r.lo) / (2 * r.narrowest))));
    for (int i = 0; i < n; ++i) {
      const Real a = r.lo + (r.hi - r.lo) * Real(i) / Real(n);
      const Real b = r.lo + (r.hi - r.lo) * Real(i + 1) / Real(n);
      Real err = 0, l1 = 0;
      out.value += ts.integrate(f, a, b, tol, &err, &l1);
      out.error += err;
      out.l1 += l1;
      ++out.segments;
    }
  }
  return out;
}

template QuadratureResult<double> integrate_line<double>(const std::function<double(const double&)>&,
                                                         const std::vector<Bump<double>>&);
template QuadratureResult<Real50> integrate_line<Real50>(const std::function<Real50(const Real50&)>&,
                                                         const std::vector<Bump<Real50>>&);
template QuadratureResult<RealVariable> integrate_line<RealVariable>(
    const std::function<RealVariable(const RealVariable&)>&, const std::vector<Bump<RealVariable>>&);

}  // namespace gdverify::numerics
