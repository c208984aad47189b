#include "gdverify/numerics/reweighted_score.hpp"

#include <map>

#include "gdverify/numerics/quadrature_support.hpp"

namespace gdverify::numerics {

using detail::bumps_of;
using detail::point;

template <class Real>
ReweightedMoments<Real> reweighted_moments(const MixtureModel<Real>& p, const ForwardProcess<Real>& proc,
                                           const Real& t, const Real& y,
                                           const std::function<Real(const Real&)>& log_r,
                                           const std::vector<Bump<Real>>& reward_bumps) {
  if (p.dimension() != 1) throw InvalidParameter("dimension", "reweighted moments are computed in 1-D");
  using std::exp;
  const auto post = forward_posterior(p, proc, Real(0), t, point(y));
  const auto pm = MixtureMarginal<Real>::of(post);
  const Real a = proc.alpha(t), s2 = proc.sigma2(t);
  auto bumps = bumps_of(post);
  bumps.insert(bumps.end(), reward_bumps.begin(), reward_bumps.end());
  // Both integrals meet the same tanh-sinh abscissae: cache the expensive
  // weight post(x0) r(x0) so the second integral reuses the first's work.
  std::map<Real, Real> cache;
  auto weight = [&](const Real& x0) {
    auto it = cache.find(x0);
    if (it != cache.end()) return it->second;
    const Real v = exp(pm.log_density(point(x0)) + log_r(x0));
    cache.emplace(x0, v);
    return v;
  };
  const std::function<Real(const Real&)> fu = [&](const Real& x0) { return weight(x0); };
  const std::function<Real(const Real&)> fg = [&](const Real& x0) {
    return weight(x0) * (-(y - a * x0) / s2);
  };
  const Real u = integrate_line<Real>(fu, bumps).value;
  const auto g = integrate_line<Real>(fg, bumps);
  return {u, g.value / u, g.l1 / u};
}

template ReweightedMoments<double> reweighted_moments<double>(const MixtureModel<double>&,
                                                              const ForwardProcess<double>&, const double&,
                                                              const double&,
                                                              const std::function<double(const double&)>&,
                                                              const std::vector<Bump<double>>&);
template ReweightedMoments<Real50> reweighted_moments<Real50>(const MixtureModel<Real50>&,
                                                              const ForwardProcess<Real50>&, const Real50&,
                                                              const Real50&,
                                                              const std::function<Real50(const Real50&)>&,
                                                              const std::vector<Bump<Real50>>&);

}  // namespace gdverify::numerics
