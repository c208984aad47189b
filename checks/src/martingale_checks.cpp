// L1(a) and L1(b) of THEORY.md section 3, by 50-digit quadrature in 1-D.
#include <memory>
#include <optional>

#include "certified_martingale.hpp"

#include "check_support.hpp"
#include "gdverify/checks/precision_checks.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::checks {

using namespace gdverify::numerics;
namespace {

using detail::bumps_of;
using detail::point;
using detail::Stopwatch;
using detail::Worst;
using Real = Real50;

/// Quadrature-check tolerance at 50 digits. The residual is a quadrature
/// error (tanh-sinh stops once two levels agree to eps^0.9 ~ 1e-45 relative,
/// and its error is then far smaller) plus rounding of ~1e4 evaluations of
/// size <= the L1 norm (~1e4 eps ~ 1e-46). 1e-40 is the bound the project
/// states for these identities; it leaves five decades above that error.
const Real kQuadratureTolerance = Real("1e-40");

/// L1(a): E_{q_t}[phi_t] = kappa (1/pi_c for CFG, 1 for reward guidance) at
/// seven times on [delta, T]. phi_t is formed by a route independent of q_t,
/// so that a wrong q_t, prior or tilt fails the check (with phi = kappa p_t /
/// q_t the integrand would be kappa p_t and the check would test only that
/// p_t integrates to 1): for CFG phi_t = 1 / p_t(c | x), the class posterior
/// of the unguided mixture; for rewards phi_t = Z / u_t(x), with
/// u_t = E[r(X_0) | X_t = x] over the posterior (log_posterior_reward) and
/// Z = E_p[r(X_0)] by quadrature. The integrand's weight q_t is the closed
/// form of the guided marginal.
CheckResult marginal_martingale(const Scenario& sc, const std::string& schedule, GuidanceKind kind,
                                const Perturbation& pert) {
  using std::abs;
  using std::exp;
  using std::log;
  Stopwatch clock;
  const std::string name = "L1a.marginal-martingale." + schedule + "." + detail::form_name(kind);
  const std::string description =
      "E_{q_t}[phi_t] equals its constant (1/pi_c for CFG, 1 for reward) at 7 times";
  const auto tried = detail::attempt([&] {
    return detail::certify_marginal_martingale(sc, schedule, kind, pert,
                                               static_cast<double>(kQuadratureTolerance));
  });
  if (auto decided =
          tried.decided(name, description, static_cast<double>(kQuadratureTolerance), clock.seconds()))
    return *decided;
  const auto problem = detail::scenario_problem<Real>(sc, kind);
  const auto proc = sc.process<Real>(schedule);
  const auto& p = problem.base();
  const int c = sc.guided_class;
  const auto reward = sc.gaussian_reward<Real>();
  // The sensitivity hook perturbs the guided class's prior (CFG) or Z (reward).
  const Real perturbed = 1 + Real(pert.prior_error);
  Real log_z = 0;
  if (kind == GuidanceKind::reward) {
    const auto p0 = MixtureMarginal<Real>::of(p);
    const std::function<Real(const Real&)> fz = [&](const Real& x) {
      return exp(p0.log_density(point(x)) + reward.log_reward(point(x)));
    };
    // p_0 r lives where the tilted law q_0 does (between p's components and
    // r's centre): without q_0's bumps, components far from r lose mass
    // (measured 7.7e-13 relative at means +-30, unit variance, r centred at 0).
    auto zbumps = bumps_of(p);
    detail::append(zbumps, bumps_of(problem.target()));
    log_z = log(integrate_line<Real>(fz, zbumps).value * perturbed);
  }
  const Real expected = kind == GuidanceKind::cfg ? 1 / (p.prior(c) * perturbed) : Real(1);
  Worst<Real> worst;
  Real qerr = 0;
  for (const Real& t : detail::time_grid<Real>(sc.t_min(), sc.t_max(schedule), 7)) {
    const MixtureMarginal<Real> pt(p, proc, t);
    const MixtureMarginal<Real> qt(problem.target(), proc, t);
    const Real alpha = proc.alpha(t), sigma2 = proc.sigma2(t);
    auto bumps = bumps_of(p.at_time(proc, t));
    detail::append(bumps, bumps_of(problem.target().at_time(proc, t)));
    const std::function<Real(const Real&)> f = [&](const Real& x) {
      const auto v = point(x);
      const Real lphi = kind == GuidanceKind::cfg
                            ? -pt.log_classifier(c, v)
                            : log_z - detail::log_posterior_reward(p, reward, alpha, sigma2, x);
      return exp(qt.log_density(v) + lphi);
    };
    const auto q = integrate_line<Real>(f, bumps);
    qerr = std::max<Real>(qerr, q.error);
    worst.update(abs(q.value - expected) / expected, q.value, expected);
  }
  auto r = detail::finish<Real>(name, description, worst, kQuadratureTolerance, clock);
  r.details["quadrature_error_estimate"] = detail::full(qerr);
  tried.annotate(r);
  return r;
}

/// L1(b): E[phi_{tau2}(Y_{tau2}) | Y_{tau1} = y] = phi_{tau1}(y) with the exact
/// reverse kernel, the forward posterior law(X_{t2} | X_{t1} = y) under q.
CheckResult process_martingale(const Scenario& sc, const std::string& schedule, GuidanceKind kind,
                               const Perturbation& pert) {
  using std::abs;
  using std::exp;
  Stopwatch clock;
  const std::string name = "L1b.process-martingale." + schedule + "." + detail::form_name(kind);
  const std::string description =
      "E[phi_tau2(Y_tau2) | Y_tau1 = y] = phi_tau1(y) with the exact posterior kernel";
  const auto tried = detail::attempt([&] {
    return detail::certify_process_martingale(sc, schedule, kind, pert,
                                              static_cast<double>(kQuadratureTolerance));
  });
  if (auto decided =
          tried.decided(name, description, static_cast<double>(kQuadratureTolerance), clock.seconds()))
    return *decided;
  const auto problem = detail::scenario_problem<Real>(sc, kind);
  const auto proc = sc.process<Real>(schedule);
  Worst<Real> worst;
  Real qerr = 0;
  for (const detail::ProcessDraw& d : detail::process_martingale_draws(sc, schedule, kind)) {
    const Real t2 = Real(d.t2), t1 = Real(d.t1);  // tau1 = T - t1 < tau2 = T - t2
    const Vector<Real> y = point(Real(d.y));
    const auto kernel = detail::process_martingale_kernel(problem, proc, t2, t1, y, pert);
    const auto km = MixtureMarginal<Real>::of(kernel);
    const GuidedScore<Real> f2(problem, proc, t2), f1(problem, proc, t1);
    const std::function<Real(const Real&)> f = [&](const Real& x) {
      const auto v = point(x);
      return exp(km.log_density(v) + f2.log_metric(v));
    };
    // kernel(x) phi_t2(x) ∝ N(y; a x, v) p_t2(x): it lives where the
    // posterior under p does, so its bumps join the kernel's.
    auto bumps = bumps_of(kernel);
    detail::append(bumps, bumps_of(forward_posterior(problem.base(), proc, t2, t1, y)));
    const auto q = integrate_line<Real>(f, bumps);
    qerr = std::max<Real>(qerr, q.error);
    const Real phi1 = f1.metric(y);
    worst.update(abs(q.value - phi1) / phi1, q.value, phi1);
  }
  auto r = detail::finish<Real>(name, description, worst, kQuadratureTolerance, clock);
  r.details["quadrature_error_estimate"] = detail::full(qerr);
  tried.annotate(r);
  return r;
}

}  // namespace

std::vector<Check> martingale_checks(const Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = share_scenario(sc);
  std::vector<Check> out;
  for (const std::string& s : schedule_names())
    for (GuidanceKind k : {GuidanceKind::cfg, GuidanceKind::reward}) {
      Needs needs = needs_of(detail::form_name(k), s);
      needs.one_dimensional = true;
      out.push_back(
          {"L1a.marginal-martingale." + s + "." + detail::form_name(k),
           "E_{q_t}[phi_t] is constant in t (Arb enclosure in 1-D, else 50-digit quadrature)", true,
           [held, &sc = *held, s, k](const Perturbation& p) { return marginal_martingale(sc, s, k, p); },
           "scenario", needs});
      out.push_back(
          {"L1b.process-martingale." + s + "." + detail::form_name(k),
           "phi is a martingale of the exact reverse process (Arb enclosure in 1-D, else 50-digit "
           "quadrature)",
           true, [held, &sc = *held, s, k](const Perturbation& p) { return process_martingale(sc, s, k, p); },
           "scenario", needs});
    }
  return out;
}

}  // namespace gdverify::checks
