#include "gdverify/numerics/ode_characteristics.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/quadrature/gauss.hpp>
#include <boost/math/tools/roots.hpp>
#include <cmath>

#include "gauss_legendre_nodes.hpp"
#include "gdverify/theory/errors.hpp"
#include "gdverify/theory/guided_score.hpp"
#include "gdverify/theory/mixture_marginal.hpp"

namespace gdverify::numerics {

// A start value counts as degraded when log p(c|Y^w) < log p(c|Y^0) - 1e-8.
// RK4's global error with the step counts used (h <= 0.01 below t = 2, ten
// times that above, where the field is nearly linear) on these smooth
// 1-D fields is O(h^4) ~ 1e-8 or below in log p (200 vs 400 steps agreed to
// 1e-9 on E[phi]); differences below it are not resolved, and the zero
// case's log ratios sit at 1e-14 (rounding), not at a true degradation.
constexpr double kResolution = 1e-8;

OdeCharacteristics::OdeCharacteristics(const GuidanceProblem<double>& problem,
                                       const ForwardProcess<double>& process, double t_start, double t_end,
                                       int steps)
    : problem_(problem), process_(process), t_start_(t_start), t_end_(t_end), steps_(steps) {
  if (problem.dimension() != 1) throw InvalidParameter("dimension", "ODE characteristics are 1-D");
  if (steps < 1) throw InvalidParameter("steps", "must be >= 1");
  if (!(t_start > t_end)) throw InvalidParameter("t_start", "must exceed t_end");
  // The grid (header): `steps` uniform steps below t = 2, steps ten times as
  // long above it.
  constexpr double kSplit = 2.0;
  const double split = t_end >= kSplit ? t_start : std::min(t_start, kSplit);
  const double h_near = (split - t_end) / steps;
  if (t_start > split) {
    const auto far = static_cast<int>(std::ceil((t_start - split) / (10 * h_near)));
    for (int k = 0; k < far; ++k) grid_.push_back(t_start - (t_start - split) * k / far);
  }
  for (int k = 0; k < steps; ++k) grid_.push_back(split - h_near * k);
  grid_.push_back(t_end);
  const auto start = problem.target().at_time(process, t_start);
  detail::gauss_legendre_nodes(start.components(), nodes_, weights_);
  const auto density = MixtureMarginal<double>::of(start);
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    Vector<double> v(1);
    v(0) = nodes_[i];
    weights_[i] *= std::exp(density.log_density(v));
  }
}

std::vector<double> OdeCharacteristics::flow_all(std::vector<double> y, double w) const {
  std::vector<double> k1(y.size()), k2(y.size()), k3(y.size()), k4(y.size()), tmp(y.size());
  Vector<double> v(1);
  auto eval = [&](double t, const std::vector<double>& in, std::vector<double>& out) {
    const GuidedScore<double> field(problem_, process_, t);
    for (std::size_t i = 0; i < in.size(); ++i) {
      v(0) = in[i];
      out[i] = field.ode_drift(v, w)(0);
    }
  };
  for (std::size_t k = 0; k + 1 < grid_.size(); ++k) {
    const double t = grid_[k], h = grid_[k] - grid_[k + 1];
    eval(t, y, k1);
    for (std::size_t i = 0; i < y.size(); ++i) tmp[i] = y[i] + h / 2 * k1[i];
    eval(t - h / 2, tmp, k2);
    for (std::size_t i = 0; i < y.size(); ++i) tmp[i] = y[i] + h / 2 * k2[i];
    eval(t - h / 2, tmp, k3);
    for (std::size_t i = 0; i < y.size(); ++i) tmp[i] = y[i] + h * k3[i];
    eval(t - h, tmp, k4);
    for (std::size_t i = 0; i < y.size(); ++i) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  return y;
}

double OdeCharacteristics::flow(double y0, double w) const { return flow_all({y0}, w).front(); }

double OdeCharacteristics::expected_metric(double w) const {
  // E[phi(Y_end)] = int phi(Y) rho_end(Y) dY with rho_end(Y) = q_start(y0(Y)) dy0/dY:
  // the endpoint grid covers p_end's and q_end's bumps, where phi rho_end lives;
  // y0(Y) and J = dy0/dY come from the backward flow dy/dt = -b(y, t),
  // dJ/dt = -(db/dy) J, db/dy = -f + (g^2/2)((1 + w) (log q_t)'' - w (log p_t)'').
  std::vector<double> ys, wts;
  {
    std::vector<GaussianComponent<double>> comps = problem_.base().at_time(process_, t_end_).components();
    const auto qc = problem_.target().at_time(process_, t_end_).components();
    comps.insert(comps.end(), qc.begin(), qc.end());
    detail::gauss_legendre_nodes(comps, ys, wts);
  }
  std::vector<double> y = ys, jac(ys.size(), 1.0);
  const std::size_t n = y.size();
  std::vector<double> ky[4], kj[4], ty(n), tj(n);
  for (auto& k : ky) k.resize(n);
  for (auto& k : kj) k.resize(n);
  Vector<double> v(1);
  auto eval = [&](double t, const std::vector<double>& yy, const std::vector<double>& jj,
                  std::vector<double>& dy, std::vector<double>& dj) {
    const GuidedScore<double> field(problem_, process_, t);
    const double f = process_.f(t), g2 = process_.g2(t);
    for (std::size_t i = 0; i < n; ++i) {
      v(0) = yy[i];
      const auto e = field.evaluate(v, {true, true, false});
      const double b = -f * yy[i] + g2 / 2 * e.guided_score(w)(0);
      const double db = -f + g2 / 2 * ((1 + w) * e.target.hessian(0, 0) - w * e.base.hessian(0, 0));
      dy[i] = -b;
      dj[i] = -db * jj[i];
    }
  };
  for (std::size_t k = grid_.size() - 1; k > 0; --k) {
    const double t = grid_[k], h = grid_[k - 1] - grid_[k];
    eval(t, y, jac, ky[0], kj[0]);
    for (std::size_t i = 0; i < n; ++i) ty[i] = y[i] + h / 2 * ky[0][i], tj[i] = jac[i] + h / 2 * kj[0][i];
    eval(t + h / 2, ty, tj, ky[1], kj[1]);
    for (std::size_t i = 0; i < n; ++i) ty[i] = y[i] + h / 2 * ky[1][i], tj[i] = jac[i] + h / 2 * kj[1][i];
    eval(t + h / 2, ty, tj, ky[2], kj[2]);
    for (std::size_t i = 0; i < n; ++i) ty[i] = y[i] + h * ky[2][i], tj[i] = jac[i] + h * kj[2][i];
    eval(t + h, ty, tj, ky[3], kj[3]);
    for (std::size_t i = 0; i < n; ++i) {
      y[i] += h / 6 * (ky[0][i] + 2 * ky[1][i] + 2 * ky[2][i] + ky[3][i]);
      jac[i] += h / 6 * (kj[0][i] + 2 * kj[1][i] + 2 * kj[2][i] + kj[3][i]);
    }
  }
  const auto start = MixtureMarginal<double>::of(problem_.target().at_time(process_, t_start_));
  const GuidedScore<double> end(problem_, process_, t_end_);
  double total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    v(0) = y[i];
    const double log_rho = start.log_density(v) + std::log(std::abs(jac[i]));
    v(0) = ys[i];
    total += wts[i] * std::exp(log_rho + end.log_metric(v));
  }
  return total;
}

CharacteristicsResult OdeCharacteristics::run(double w) const {
  const auto yw = flow_all(nodes_, w);
  const auto y0 = flow_all(nodes_, 0.0);
  // degraded <=> the metric (cost) is larger: for CFG phi = 1/p(c|y), so
  // log phi(Y^w) > log phi(Y^0) <=> p(c|Y^w) < p(c|Y^0)
  const GuidedScore<double> end(problem_, process_, t_end_);
  Vector<double> v(1);
  auto log_cls = [&](double y) {
    v(0) = y;
    return -end.log_metric(v);
  };
  CharacteristicsResult r{0, {}, 1e300};
  std::vector<double> g(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const double lw = log_cls(yw[i]), l0 = log_cls(y0[i]);
    // shifted by the flow's error bound, so that "degraded" means degraded by
    // more than the integration can resolve
    g[i] = lw - l0 + kResolution;
    r.min_log_ratio = std::min(r.min_log_ratio, lw - l0);
  }
  // nodes are generated segment by segment, but not sorted within a segment
  std::vector<std::size_t> order(nodes_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return nodes_[a] < nodes_[b]; });
  auto gap = [&](double s) { return log_cls(flow(s, w)) - log_cls(flow(s, 0.0)) + kResolution; };
  for (std::size_t j = 0; j + 1 < order.size(); ++j) {
    const double ga = g[order[j]], gb = g[order[j + 1]];
    if ((ga < 0) == (gb < 0)) continue;
    boost::uintmax_t iters = 60;
    const auto root = boost::math::tools::toms748_solve(gap, nodes_[order[j]], nodes_[order[j + 1]], ga, gb,
                                                        boost::math::tools::eps_tolerance<double>(40), iters);
    r.boundaries.push_back((root.first + root.second) / 2);
  }
  // P(D_w): the start law's mass where g < 0, between consecutive boundaries
  const auto start = problem_.target().at_time(process_, t_start_);
  auto cdf = [&](double x) {
    double s = 0;
    for (const auto& k : start.components())
      s += k.weight * boost::math::cdf(boost::math::normal(k.mean(0), std::sqrt(k.covariance(0, 0))), x);
    return s;
  };
  std::vector<double> cuts = {-1e300};
  cuts.insert(cuts.end(), r.boundaries.begin(), r.boundaries.end());
  cuts.push_back(1e300);
  for (std::size_t j = 0; j + 1 < cuts.size(); ++j) {
    // the sign of g on this piece, read at the node nearest its middle
    const double lo = cuts[j], hi = cuts[j + 1];
    double sign_sample = 0;
    bool found = false;
    for (std::size_t i : order)
      if (nodes_[i] > lo && nodes_[i] < hi) {
        sign_sample = g[i];
        found = true;
        break;
      }
    if (found && sign_sample < 0)
      r.degraded_probability += (j + 2 == cuts.size() ? 1.0 : cdf(hi)) - (j == 0 ? 0.0 : cdf(lo));
  }
  return r;
}

}  // namespace gdverify::numerics
