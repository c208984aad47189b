// CFG=R and R2 of THEORY.md sections 2-3, by 50-digit quadrature in 1-D over
// the posterior of X_0 given X_t = y:
//   u_t(y) = E[r(X_0) | X_t = y],
//   s^r_t(y) = E[r(X_0) grad_y log p(y | X_0) | X_t = y] / u_t(y),
//   grad_y log p(y | x_0) = -(y - alpha_t x_0) / sigma_t^2 = -eps / sigma_t.
// R2: this quotient (the population minimiser of reweighted denoising score
// matching) equals the closed-form score of the tilted mixture.
// CFG=R: with r = p_0(c | x) it equals the conditional score, Z = E_p[r] =
// pi_c, the metric Z / u_t equals pi_c / p_t(c | y), and the guided fields agree.
#include <algorithm>
#include <functional>
#include <memory>

#include "certified_reward.hpp"
#include "check_support.hpp"
#include "gdverify/checks/precision_checks.hpp"
#include "gdverify/numerics/reweighted_score.hpp"
#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/theory/forward_posterior.hpp"

namespace gdverify::checks {

using namespace gdverify::numerics;
namespace {

using detail::bumps_of;
using detail::point;
using detail::Stopwatch;
using detail::Worst;
using Real = Real50;

const Real kQuadratureTolerance = Real("1e-40");  // derivation in martingale_checks.cpp

CheckResult cfg_is_reward(const Scenario& sc, const std::string& schedule, const Perturbation& pert) {
  using std::abs;
  using std::exp;
  using std::log;
  Stopwatch clock;
  const std::string name = "CFG=R.equivalence." + schedule;
  const std::string description =
      "CFG equals reward guidance with r = p_0(c|x): same score field, metric scaled by pi_c";
  const auto tried = detail::attempt([&] {
    return detail::certify_cfg_is_reward(sc, schedule, pert, static_cast<double>(kQuadratureTolerance));
  });
  if (auto decided =
          tried.decided(name, description, static_cast<double>(kQuadratureTolerance), clock.seconds()))
    return *decided;
  const auto p = sc.mixture<Real>();
  const auto proc = sc.process<Real>(schedule);
  const int c = sc.guided_class;
  const auto p0 = MixtureMarginal<Real>::of(p);
  const std::function<Real(const Real&)> log_r = [&](const Real& x0) {
    return p0.log_classifier(c, point(x0));
  };
  // Z = E_p[r(X_0)] by quadrature, against pi_c.
  const std::function<Real(const Real&)> fz = [&](const Real& x) {
    return exp(p0.log_density(point(x)) + log_r(x));
  };
  const Real z = integrate_line<Real>(fz, bumps_of(p)).value;
  const Real pi_c = p.prior(c) * (1 + Real(pert.prior_error));
  Worst<Real> worst;
  worst.update(abs(z - pi_c) / pi_c, z, pi_c);
  const auto cfg = GuidanceProblem<Real>::cfg(p, c);
  const Real w = Real(2);
  for (const Real& t :
       detail::time_grid<Real>(detail::reward_checks_first_time(sc, schedule), sc.t_max(schedule), 3)) {
    const GuidedScore<Real> field(cfg, proc, t);
    const MixtureMarginal<Real> pt(p, proc, t);
    for (const double yd : {-1.5, 0.25, 2.0}) {
      const Real y = Real(yd);
      const auto m = reweighted_moments<Real>(p, proc, t, y, log_r);
      const Real sr = m.score + Real(pert.score_error);
      const auto e = field.evaluate(point(y));
      // conditional score
      const Real s_c = e.target.score(0);
      worst.update(abs(sr - s_c) / (abs(s_c) + 1), sr, s_c);
      // guided field (1 + w) s^r - w s against CFG's
      const Real g_r = (1 + w) * sr - w * e.base.score(0);
      const Real g_c = e.guided_score(w)(0);
      worst.update(abs(g_r - g_c) / (abs(g_c) + 1), g_r, g_c);
      // metric: Z / u_t against pi_c / p_t(c | y) = pi_c * phi_CFG
      const Real phi_r = z / m.u;
      const Real phi_c = pi_c * exp(e.log_metric);
      worst.update(abs(phi_r - phi_c) / phi_c, phi_r, phi_c);
    }
  }
  auto r = detail::finish<Real>(name, description, worst, kQuadratureTolerance, clock);
  tried.annotate(r);
  return r;
}

CheckResult reweighted_score_matching(const Scenario& sc, const std::string& schedule,
                                      const Perturbation& pert) {
  using std::abs;
  Stopwatch clock;
  const std::string name = "R2.reweighted-dsm." + schedule;
  const std::string description =
      "the reweighted DSM minimiser E[r grad log p(y|X0)|y]/E[r|y] equals s^r; E[r|y] equals Z q_t/p_t";
  const auto tried = detail::attempt([&] {
    return detail::certify_reweighted_score_matching(sc, schedule, pert,
                                                     static_cast<double>(kQuadratureTolerance));
  });
  if (auto decided =
          tried.decided(name, description, static_cast<double>(kQuadratureTolerance), clock.seconds()))
    return *decided;
  const auto p = sc.mixture<Real>();
  const auto reward = sc.gaussian_reward<Real>();
  const auto proc = sc.process<Real>(schedule);
  const auto problem = GuidanceProblem<Real>::reward(p, reward);
  const std::function<Real(const Real&)> log_r = [&](const Real& x0) { return reward.log_reward(point(x0)); };
  Worst<Real> worst;
  for (const Real& t :
       detail::time_grid<Real>(detail::reward_checks_first_time(sc, schedule), sc.t_max(schedule), 3)) {
    const MixtureMarginal<Real> qt(problem.target(), proc, t);
    const GuidedScore<Real> field(problem, proc, t);
    for (const double yd : {-1.5, 0.25, 2.0}) {
      const Real y = Real(yd);
      // post r is the posterior under q: its components mark where the product lives.
      const auto m = reweighted_moments<Real>(
          p, proc, t, y, log_r, bumps_of(forward_posterior(problem.target(), proc, Real(0), t, point(y))));
      const Real minimiser = m.score + Real(pert.score_error);
      const Real sr = qt.score(point(y))(0);
      worst.update(abs(minimiser - sr) / (abs(sr) + 1), minimiser, sr);
      // u_t(y) = E[r(X_0) | X_t = y] by quadrature against the closed form Z q_t / p_t
      using std::exp;
      const Real u = exp(field.log_expected_reward(point(y)));
      worst.update(abs(m.u - u) / u, m.u, u);
    }
  }
  auto r = detail::finish<Real>(name, description, worst, kQuadratureTolerance, clock);
  tried.annotate(r);
  return r;
}

}  // namespace

std::vector<Check> reward_checks(const Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = share_scenario(sc);
  std::vector<Check> out;
  for (const std::string& s : schedule_names()) {
    Needs needs;
    needs.one_dimensional = true;
    needs.schedule = s;
    needs.form = "cfg";  // CFG's classifier as a reward: the scenario's classes
    out.push_back(
        {"CFG=R.equivalence." + s,
         "CFG is reward guidance with r = p_0(c|x) (Arb enclosure in 1-D, else 50-digit quadrature)", true,
         [held, &sc = *held, s](const Perturbation& p) { return cfg_is_reward(sc, s, p); }, "scenario",
         needs});
    needs.form = "reward";
    out.push_back(
        {"R2.reweighted-dsm." + s,
         "reweighted DSM minimiser equals s^r (Arb enclosure in 1-D, else 50-digit quadrature)", true,
         [held, &sc = *held, s](const Perturbation& p) { return reweighted_score_matching(sc, s, p); },
         "scenario", needs});
  }
  return out;
}

std::vector<Check> precision_checks(const Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = share_scenario(sc);
  std::vector<Check> out = martingale_checks(sc);
  for (auto&& v : {generator_checks(sc), reward_checks(sc)}) out.insert(out.end(), v.begin(), v.end());
  return out;
}

}  // namespace gdverify::checks
