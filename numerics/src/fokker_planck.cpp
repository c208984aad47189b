#include "gdverify/numerics/fokker_planck.hpp"

#include <algorithm>
#include <cmath>

#include "gdverify/theory/errors.hpp"
#include "line_mixture.hpp"

namespace gdverify::numerics {
using detail::LineMixture;

FokkerPlanck1D::FokkerPlanck1D(const GuidanceProblem<double>& problem, const ForwardProcess<double>& process,
                               double t_start, double t_end, int nodes, int steps, int outputs)
    : problem_(problem),
      process_(process),
      t_start_(t_start),
      t_end_(t_end),
      nodes_(nodes),
      steps_(steps),
      outputs_(outputs) {
  if (problem.dimension() != 1) throw InvalidParameter("dimension", "the Fokker-Planck solver is 1-D");
  if (problem.base().components().size() > 64 || problem.target().components().size() > 64)
    throw InvalidParameter("components", "the Fokker-Planck solver takes at most 64 components");
  if (!(t_end < t_start)) throw InvalidParameter("t_end", "must be < t_start");
  if (nodes < 16 || steps < 4 || outputs < 2 || steps % (outputs - 1) != 0)
    throw InvalidParameter("steps", "need nodes >= 16, steps >= 4, and outputs - 1 dividing steps");
  // Domain: 12 of the widest marginal standard deviations (over t) around the means.
  double sd_max = 1.0, mlo = 1e300, mhi = -1e300;
  for (const auto* m : {&problem.base(), &problem.target()})
    for (const auto& k : m->components()) {
      sd_max = std::max(sd_max, std::sqrt(k.covariance(0, 0)));
      mlo = std::min(mlo, std::min(k.mean(0), 0.0));
      mhi = std::max(mhi, std::max(k.mean(0), 0.0));
    }
  lo_ = mlo - 12 * sd_max;
  hi_ = mhi + 12 * sd_max;
  log_time_ = process.kind() == ScheduleKind::linear;
}

FokkerPlanckSolution FokkerPlanck1D::solve_level(double w, int m, int k) const {
  const LineMixture base(problem_.base()), target(problem_.target());
  const double kappa = std::exp(problem_.log_metric_scale());
  const double h = (hi_ - lo_) / (m - 1);
  std::vector<double> y(static_cast<std::size_t>(m));
  for (int i = 0; i < m; ++i) y[static_cast<std::size_t>(i)] = lo_ + h * i;
  auto time_at = [&](int j) {
    if (!log_time_) return t_start_ - (t_start_ - t_end_) * j / k;
    const double s0 = std::log(1 - t_start_), s1 = std::log(1 - t_end_);
    return 1 - std::exp(s0 + (s1 - s0) * j / k);
  };
  const auto n = static_cast<std::size_t>(m);
  // Operator coefficients at time t: (A u)_i = a_i (u_{i+1} - u_{i-1}) / 2h + D (u_{i+1} - 2 u_i + u_{i-1}) /
  // h^2 - c_i u_i.
  struct Coefficients {
    std::vector<double> a, c, p, q, delta;
    double diff = 0, g2 = 0;
  };
  auto coefficients = [&](double t) {
    Coefficients co;
    const double al = process_.alpha(t), s2 = process_.sigma2(t), f = process_.f(t);
    co.g2 = process_.g2(t);
    co.diff = co.g2 / 2;
    const auto pb = base.at(al, s2), pt = target.at(al, s2);
    co.a.resize(n);
    co.c.resize(n);
    co.p.resize(n);
    co.q.resize(n);
    co.delta.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      double lp = 0, sp = 0, dsp = 0, lq = 0, sq = 0, dsq = 0;
      LineMixture::evaluate(pb, y[i], lp, sp, dsp);
      LineMixture::evaluate(pt, y[i], lq, sq, dsq);
      const double delta = sq - sp, ddelta = dsq - dsp;
      co.a[i] = f * y[i] - w * co.g2 * delta;
      co.c[i] = w * co.g2 * (ddelta + delta * sq);
      co.p[i] = std::exp(lp);
      co.q[i] = std::exp(lq);
      co.delta[i] = delta;
    }
    return co;
  };
  auto apply = [&](const Coefficients& co, const std::vector<double>& u, std::vector<double>& out) {
    for (std::size_t i = 0; i < n; ++i) {
      const double um = i == 0 ? u[1] : u[i - 1];  // zero-gradient ends (ghost = mirror)
      const double up = i == n - 1 ? u[n - 2] : u[i + 1];
      out[i] = co.a[i] * (up - um) / (2 * h) + co.diff * (up - 2 * u[i] + um) / (h * h) - co.c[i] * u[i];
    }
  };
  auto integrals = [&](const Coefficients& co, const std::vector<double>& u, double& e_phi, double& e_gap,
                       double& mass) {
    double s0 = 0, s1 = 0, s2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double wt = (i == 0 || i == n - 1) ? 0.5 : 1.0;
      s0 += wt * co.p[i] * u[i];
      s1 += wt * co.p[i] * co.delta[i] * co.delta[i] * u[i];
      s2 += wt * co.q[i] * u[i];
    }
    e_phi = kappa * h * s0;
    e_gap = kappa * h * s1;
    mass = h * s2;
  };
  FokkerPlanckSolution sol;
  std::vector<double> u(n, 1.0), au(n), rhs(n), lower(n), diag(n), upper(n), cp(n), dp(n);
  Coefficients now = coefficients(time_at(0));
  double e_phi = 0, e_gap = 0, mass = 0, dissipation = 0;
  integrals(now, u, e_phi, e_gap, mass);
  const int every = k / (outputs_ - 1);
  sol.tau.push_back(0);
  sol.expected_metric.push_back(e_phi);
  sol.dissipation.push_back(0);
  sol.mass_error = std::abs(mass - 1);
  double gap_prev = w * now.g2 * e_gap;
  for (int j = 1; j <= k; ++j) {
    const double t0 = time_at(j - 1), t1 = time_at(j);
    const double dt = t0 - t1;  // dtau > 0
    Coefficients next = coefficients(t1);
    // (I - dt/2 A_next) u_new = (I + dt/2 A_now) u
    apply(now, u, au);
    for (std::size_t i = 0; i < n; ++i) rhs[i] = u[i] + 0.5 * dt * au[i];
    for (std::size_t i = 0; i < n; ++i) {
      const double adv = next.a[i] / (2 * h), dif = next.diff / (h * h);
      double lo = -(dif - adv), up = -(dif + adv);
      diag[i] = 1 + 0.5 * dt * (2 * dif + next.c[i]);
      lower[i] = 0.5 * dt * lo;
      upper[i] = 0.5 * dt * up;
      if (i == 0) {
        upper[i] += lower[i];  // ghost u_{-1} = u_1
        lower[i] = 0;
      }
      if (i == n - 1) {
        lower[i] += upper[i];  // ghost u_{n} = u_{n-2}
        upper[i] = 0;
      }
    }
    // Thomas algorithm.
    cp[0] = upper[0] / diag[0];
    dp[0] = rhs[0] / diag[0];
    for (std::size_t i = 1; i < n; ++i) {
      const double den = diag[i] - lower[i] * cp[i - 1];
      cp[i] = upper[i] / den;
      dp[i] = (rhs[i] - lower[i] * dp[i - 1]) / den;
    }
    u[n - 1] = dp[n - 1];
    for (std::size_t i = n - 1; i-- > 0;) u[i] = dp[i] - cp[i] * u[i + 1];
    now = std::move(next);
    integrals(now, u, e_phi, e_gap, mass);
    const double gap = w * now.g2 * e_gap;
    dissipation += 0.5 * dt * (gap_prev + gap);
    gap_prev = gap;
    sol.mass_error = std::max(sol.mass_error, std::abs(mass - 1));
    if (j % every == 0) {
      sol.tau.push_back(t_start_ - t1);
      sol.expected_metric.push_back(e_phi);
      sol.dissipation.push_back(dissipation);
    }
  }
  return sol;
}

FokkerPlanckResult FokkerPlanck1D::solve(double w) const { return solve_with(w, nodes_, steps_); }

FokkerPlanckResult FokkerPlanck1D::solve_to(double w, double target, int max_refinements) const {
  // Refine where it helps: double K first (the error on mixtures is mostly
  // temporal); if the estimate does not fall at least 4x, double M instead.
  int m = nodes_, k = steps_;
  FokkerPlanckResult r = solve_with(w, m, k);
  for (int i = 0; i < max_refinements && r.error_estimate > target; ++i) {
    FokkerPlanckResult rk = solve_with(w, m, 2 * k);
    if (rk.error_estimate * 4 <= r.error_estimate) {
      r = std::move(rk);
      k *= 2;
      continue;
    }
    FokkerPlanckResult rm = solve_with(w, 2 * (m - 1) + 1, k);
    if (rm.error_estimate < rk.error_estimate) {
      r = std::move(rm);
      m = 2 * (m - 1) + 1;
    } else {
      r = std::move(rk);
      k *= 2;
    }
  }
  return r;
}

FokkerPlanckResult FokkerPlanck1D::solve_with(double w, int nodes, int steps) const {
  FokkerPlanckResult r;
  r.nodes = nodes;
  r.steps = steps;
  for (int l = 0; l < 3; ++l)
    r.levels.push_back(solve_level(w, (nodes - 1) * (1 << l) + 1, steps * (1 << l)));
  auto extrapolate = [](const FokkerPlanckSolution& c, const FokkerPlanckSolution& f) {
    FokkerPlanckSolution e = f;
    for (std::size_t i = 0; i < e.tau.size(); ++i) {
      e.expected_metric[i] = (4 * f.expected_metric[i] - c.expected_metric[i]) / 3;
      e.dissipation[i] = (4 * f.dissipation[i] - c.dissipation[i]) / 3;
    }
    return e;
  };
  const auto r1 = extrapolate(r.levels[0], r.levels[1]);
  r.extrapolated = extrapolate(r.levels[1], r.levels[2]);
  for (std::size_t i = 0; i < r1.tau.size(); ++i)
    r.error_estimate =
        std::max(r.error_estimate, std::abs(r.extrapolated.expected_metric[i] - r1.expected_metric[i]));
  return r;
}

}  // namespace gdverify::numerics
