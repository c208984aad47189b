// Quadrature nodes over the real line for 1-D Gaussian-mixture integrands.
// Private to numerics/src.
#pragma once

#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <vector>

#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics::detail {

/// 20-point Gauss-Legendre nodes and weights on segments one narrowest
/// standard deviation wide, over [min(m - 12 sd), max(m + 12 sd)] (the rule is
/// exact for degree 39; a Gaussian over one sd is resolved to rounding).
inline void gauss_legendre_nodes(const std::vector<GaussianComponent<double>>& comps,
                                 std::vector<double>& nodes, std::vector<double>& weights) {
  double lo = 1e300, hi = -1e300, narrowest = 1e300;
  for (const auto& k : comps) {
    const double sd = std::sqrt(k.covariance(0, 0));
    lo = std::min(lo, k.mean(0) - 12 * sd);
    hi = std::max(hi, k.mean(0) + 12 * sd);
    narrowest = std::min(narrowest, sd);
  }
  const auto segments = static_cast<int>(std::ceil((hi - lo) / narrowest));
  using Gauss = boost::math::quadrature::gauss<double, 20>;
  const auto& x = Gauss::abscissa();
  const auto& wt = Gauss::weights();
  for (int s = 0; s < segments; ++s) {
    const double a = lo + (hi - lo) * s / segments, b = lo + (hi - lo) * (s + 1) / segments;
    const double half = (b - a) / 2, mid = (a + b) / 2;
    for (std::size_t i = 0; i < x.size(); ++i)
      for (int sign : {-1, 1}) {
        if (x[i] == 0 && sign == -1) continue;  // a centre node (odd rules only) appears once
        nodes.push_back(mid + sign * half * x[i]);
        weights.push_back(half * wt[i]);
      }
  }
}

}  // namespace gdverify::numerics::detail
