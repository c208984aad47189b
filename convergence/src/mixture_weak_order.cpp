#include "gdverify/convergence/mixture_weak_order.hpp"
#include "gdverify/numerics/format_significant.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "gdverify/numerics/discrete_law.hpp"
#include "gdverify/numerics/fokker_planck.hpp"
#include "gdverify/numerics/ode_characteristics.hpp"

namespace gdverify::convergence {
namespace {

// The finest N: 1024 for the Chapman-Kolmogorov samplers (cost ~ N^2), 4096
// for DDIM (a push-forward, cost ~ N), whose CFG map on the default mixture is
// close to folding up to N ~ 128 (not monotone at 64) and reaches its O(1/N)
// regime later. The order is fitted over the three finest N.
int max_steps_of(numerics::SamplerKind k) { return k == numerics::SamplerKind::ddim ? 4096 : 1024; }

GuidanceProblem<double> problem_for(const numerics::Scenario& sc, const std::string& form) {
  if (form == "cfg") return GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class);
  return GuidanceProblem<double>::reward(sc.mixture<double>(), sc.gaussian_reward<double>());
}

}  // namespace

int mixture_max_steps(numerics::SamplerKind sampler) { return max_steps_of(sampler); }

GuidanceProblem<double> mixture_problem(const numerics::Scenario& sc, const std::string& form) {
  return problem_for(sc, form);
}

ConvergenceStudy mixture_weak_error_study(const numerics::Scenario& sc, const std::string& form,
                                          numerics::SamplerKind sampler, double w) {
  const auto problem = problem_for(sc, form);
  const auto proc = sc.process<double>("ou");
  double reference = 0, reference_error = 0;
  std::string reference_name;
  if (sampler == numerics::SamplerKind::ddim) {
    // The probability-flow ODE's law by characteristics, RK4 at 800 and 1600 steps,
    // Richardson-extrapolated for the h^4 error.
    const double c =
        numerics::OdeCharacteristics(problem, proc, sc.ou_horizon, sc.early_stop, 800).expected_metric(w);
    const double f =
        numerics::OdeCharacteristics(problem, proc, sc.ou_horizon, sc.early_stop, 1600).expected_metric(w);
    reference = (16 * f - c) / 15;
    reference_error = std::abs(reference - f);
    reference_name = "E phi (continuous, ODE characteristics)";
  } else {
    const auto fp = numerics::FokkerPlanck1D(problem, proc, sc.ou_horizon, sc.early_stop).solve(w);
    reference = fp.extrapolated.expected_metric.back();
    reference_error = fp.error_estimate;
    reference_name = "E phi (continuous, Fokker-Planck)";
  }
  const numerics::DiscreteLaw1D law(problem, proc, sc.ou_horizon, sc.early_stop);
  ConvergenceStudy study;
  study.name = "T2.weak-order." + numerics::sampler_name(sampler) + ".ou." + form + ".mixture";
  study.axis_name = "steps N";
  const int n_max = max_steps_of(sampler);
  for (int n = 64; n <= n_max; n *= 2) {
    const auto t0 = std::chrono::steady_clock::now();
    // A DDIM step that is not monotone (too few steps for this w) folds the law:
    // no density; recorded as NaN and outside the fitted range if it happens there.
    double e = std::numeric_limits<double>::quiet_NaN();
    try {
      e = law.expected_metric(sampler, w, n);
    } catch (const InvalidParameter&) {
    }
    study.axis.push_back(n);
    study.errors["weak |E phi_N - E phi|"].push_back(std::abs(e - reference));
    study.errors["E phi_N"].push_back(e);
    study.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  study.errors["E phi (continuous)"] = std::vector<double>(study.axis.size(), reference);
  study.values = {"E phi_N", "E phi (continuous)"};
  study.parameters = {{"w", numerics::format_significant(w, 10)},
                      {"schedule", "ou from t = " + numerics::format_significant(sc.ou_horizon, 10) +
                                       " to delta = " + numerics::format_significant(sc.early_stop, 10)}};
  const std::string ref_col = "reference error estimate (" + reference_name + ")";
  study.errors[ref_col] = std::vector<double>(study.axis.size(), reference_error);
  study.values.insert(ref_col);
  study.parameters["fit"] = "the three finest N from N = " + std::to_string(n_max / 4);
  study.fit(n_max / 4);
  return study;
}
}  // namespace gdverify::convergence
