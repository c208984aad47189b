// Quadrature nodes over the real line for 1-D Gaussian-mixture integrands.
// Private to numerics/src.
#pragma once

#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <vector>

#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::numerics::detail {

/// 20-point Gauss-Legendre nodes and weights on segments that follow the
/// components: component k contributes the cuts m_k + j sd_k, j = -12..12, and
/// every gap between consecutive cuts that lies inside some [m_k - 12 sd_k,
/// m_k + 12 sd_k] gets the rule (exact for degree 39; a Gaussian over one of
/// its sd is resolved to rounding). Inside component k's range every segment is
/// at most sd_k wide; outside every range the mixture's density is below
/// e^-72 of its peak and gets no node. The node count is at most 24 x 20 per
/// component, whatever the distances between the components (a uniform grid
/// over the whole range would grow with range / narrowest sd).
inline void gauss_legendre_nodes(const std::vector<GaussianComponent<double>>& comps,
                                 std::vector<double>& nodes, std::vector<double>& weights) {
  std::vector<std::pair<double, double>> ranges;
  std::vector<double> cuts;
  for (const auto& k : comps) {
    const double sd = std::sqrt(k.covariance(0, 0)), m = k.mean(0);
    ranges.emplace_back(m - 12 * sd, m + 12 * sd);
    for (int j = -12; j <= 12; ++j) cuts.push_back(m + j * sd);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  std::sort(ranges.begin(), ranges.end());
  using Gauss = boost::math::quadrature::gauss<double, 20>;
  const auto& x = Gauss::abscissa();
  const auto& wt = Gauss::weights();
  std::size_t r = 0;           // ranges[0..r) start at or before the current segment
  double covered_to = -1e300;  // the largest right end among them
  for (std::size_t s = 0; s + 1 < cuts.size(); ++s) {
    const double a = cuts[s], b = cuts[s + 1];
    const double half = (b - a) / 2, mid = (a + b) / 2;
    while (r < ranges.size() && ranges[r].first <= mid) covered_to = std::max(covered_to, ranges[r++].second);
    if (!(mid < covered_to) || !(half > 0)) continue;
    for (std::size_t i = 0; i < x.size(); ++i)
      for (int sign : {-1, 1}) {
        if (x[i] == 0 && sign == -1) continue;  // a centre node (odd rules only) appears once
        nodes.push_back(mid + sign * half * x[i]);
        weights.push_back(half * wt[i]);
      }
  }
}

}  // namespace gdverify::numerics::detail
