// T1 with no sampling noise (THEORY.md section 3, oracle 1): the exact
// Gaussian law of the guided reverse SDE gives E[phi_tau(Y_tau)] on a grid of
// 21 times, and the dissipation integral w int g^2 E[phi |s^r - s|^2] dtau is
// accumulated along the same ODE solve. Checked: the integral identity
// E[phi_end] - E[phi_start] = -w int ... as an equality (relative 1e-10: the
// laws are good to ~1e-24), E[phi_start] = kappa (exact start), E[phi]
// non-increasing in tau for w > 0 and strictly lower at the end, and constant
// for w = 0. Whether the final value is monotone in w is reported, not asserted.
#include "gdverify/checks/exact_law_checks.hpp"
#include "check_support.hpp"
#include "gdverify/checks/registry.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::checks {

using namespace gdverify::numerics;
namespace {

using detail::Stopwatch;
using detail::Worst;
using Real = Real50;

const Real kIdentityTolerance = Real("1e-10");

CheckResult exact_dissipation(const Scenario& sc, const std::string& schedule,
                              const GuidanceProblem<Real>& problem, const std::vector<double>& ws,
                              const std::string& name) {
  using std::abs;
  using std::exp;
  Stopwatch clock;
  const GaussianOracle oracle(problem, sc.process<Real>(schedule), Real(sc.t_max(schedule)),
                              Real(sc.t_min()));
  const Real kappa = exp(problem.log_metric_scale());
  Worst<Real> worst;
  std::vector<Quantity> finals_by_w;
  std::string finals, monotone_in_w = "yes";
  Real previous_final = Real(-1);
  for (double wd : ws) {
    const Real w = Real(wd);
    const auto traj = oracle.continuous(w, true, 21);
    std::vector<Real> e;
    for (std::size_t k = 0; k < traj.laws.size(); ++k)
      e.push_back(oracle.expected_metric(traj.laws[k], traj.times[k]));
    // exact start
    worst.update(abs(e.front() - kappa) / kappa, e.front(), kappa);
    // the integral identity, both sides computed independently
    const Real lhs = e.back() - e.front(), rhs = -traj.dissipation.back();
    worst.update(abs(lhs - rhs) / kappa, lhs, rhs);
    // monotone decrease (w > 0) or constancy (w = 0): any increase is a residual
    for (std::size_t k = 0; k + 1 < e.size(); ++k) {
      const Real step = e[k + 1] - e[k];
      const Real violation = w > 0 ? (step > 0 ? step : Real(0)) : abs(step);
      worst.update(violation / kappa, e[k + 1], e[k]);
    }
    if (w > 0 && !(e.back() < e.front()))
      worst.update(std::numeric_limits<Real>::infinity(), e.back(), e.front());
    finals += (finals.empty() ? "" : ", ") + std::string("w=") + detail::full(Real(wd)).substr(0, 6) + ": " +
              detail::full(e.back()).substr(0, 14);
    if (previous_final >= 0 && e.back() > previous_final) monotone_in_w = "no";
    // E[phi_end] at this w: a deterministic value of the exact law (keyed by w).
    finals_by_w.push_back({"w=" + format_significant(wd, 10) + " E[phi_end]", QuantityKind::deterministic,
                           static_cast<double>(e.back()), 0, 0});
    previous_final = e.back();
  }
  auto r = detail::finish<Real>(name,
                                "exact Gaussian law: E[phi] decreases in tau and E[phi_end] - E[phi_start] = "
                                "-w int g^2 E[phi |s^r - s|^2] dtau",
                                worst, kIdentityTolerance, clock);
  r.details["final_E_phi_by_w"] = finals;
  r.quantities.insert(r.quantities.end(), finals_by_w.begin(), finals_by_w.end());
  r.details["final_E_phi_monotone_in_w (observation)"] = monotone_in_w;
  r.details["start"] = "exact q_{t_start}, t_start = " + std::to_string(sc.t_max(schedule)) +
                       ", t_end = delta = " + std::to_string(sc.t_min());
  return r;
}

}  // namespace

std::vector<Check> exact_law_checks(const Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = share_scenario(sc);
  std::vector<Check> out;
  const std::vector<double> all_w = scenario_scales(sc);
  for (const std::string& s : schedule_names()) {
    Needs needs;
    needs.schedule = s;
    // The scenario's own problem when its data law is one Gaussian: reward
    // guidance by its Gaussian reward tilts it into another Gaussian, so the
    // guided SDE's law is exact (docs/theory.md section 3), in any dimension.
    needs.form = "reward";
    needs.gaussian_data = true;
    const std::string ns = "T1.exact-dissipation." + s + ".reward.scenario";
    out.push_back(
        {ns, "T1 identity and monotone decrease on the scenario's exact Gaussian law (every w)", true,
         [held, &sc = *held, s, ns, all_w](const Perturbation&) {
           const auto problem = GuidanceProblem<Real>::reward(sc.mixture<Real>(), sc.gaussian_reward<Real>());
           return exact_dissipation(sc, s, problem, all_w, ns);
         },
         "scenario", needs});
    needs.gaussian_data = false;
    for (const char* form : {"cfg-pair", "reward"}) {
      needs.form = std::string(form) == "reward" ? "reward" : "cfg";
      const std::string base = std::string(".") + s + "." + form;
      const std::string p1 = built_in(std::string("gaussian-") + form + "-d1");
      const std::string n1 = "T1.exact-dissipation" + base + ".d1";
      out.push_back({n1, "T1 identity and monotone decrease on the exact Gaussian law (w = 0, 1)", true,
                     [held, &sc = *held, s, form, n1](const Perturbation&) {
                       return exact_dissipation(sc, s, gaussian_problem(form, 1), {0.0, 1.0}, n1);
                     },
                     p1, needs});
      const std::string n2 = "T1.exact-dissipation-all-w" + base + ".d1";
      out.push_back({n2, "T1 on the exact Gaussian law for w = 0 and every w of the scenario", false,
                     [held, &sc = *held, s, form, n2, all_w](const Perturbation&) {
                       return exact_dissipation(sc, s, gaussian_problem(form, 1), all_w, n2);
                     },
                     p1, needs});
      const std::string n3 = "T1.exact-dissipation" + base + ".d3";
      out.push_back({n3, "T1 on the exact Gaussian law in d = 3 (w = 0, 1)", false,
                     [held, &sc = *held, s, form, n3](const Perturbation&) {
                       return exact_dissipation(sc, s, gaussian_problem(form, 3), {0.0, 1.0}, n3);
                     },
                     built_in(std::string("gaussian-") + form + "-d3"), needs});
    }
  }
  return out;
}

}  // namespace gdverify::checks
