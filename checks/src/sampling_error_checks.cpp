#include "gdverify/checks/sampling_error_checks.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "gdverify/convergence/monte_carlo_study.hpp"

namespace gdverify::checks {

using namespace gdverify::convergence;

namespace {

std::string fmt(double v) { return numerics::format_significant(v, 6); }

CheckResult error_order_check(const numerics::Scenario& sc, const Perturbation& pert) {
  const auto t0 = std::chrono::steady_clock::now();
  // Sensitivity: a single replicate per n makes the RMS a single |error|, whose log
  // has a far wider spread than the tolerance derived for 64 replicates allows for.
  const auto res = monte_carlo_error_study(sc, "reward", 1, numerics::SamplerKind::euler_maruyama,
                                           pert.flip_guidance_sign ? 1 : 64);
  const auto& fit = res.study.fits.at("rms error of E[log phi]");
  CheckResult r;
  r.name = res.study.name;
  r.description = "Monte Carlo error of the engine falls as n^{-1/2} (RMS over replicates, exact reference)";
  r.lhs = fmt(fit.order);
  r.rhs = "0.5";
  r.residual = std::abs(fit.order - 0.5);
  r.tolerance = pert.flip_guidance_sign ? 1e-3 : res.order_tolerance;
  r.scalar = "double";
  r.digits = 15;
  r.verdict = r.residual <= r.tolerance ? Verdict::pass : Verdict::fail;
  std::string errs;
  const auto& e = res.study.errors.at("rms error of E[log phi]");
  for (std::size_t i = 0; i < e.size(); ++i)
    errs += (i ? ", " : "") + std::to_string(static_cast<long>(res.study.axis[i])) + ": " + fmt(e[i]);
  r.details["rms_errors"] = errs;
  r.details["order_95ci"] = "[" + fmt(fit.lower) + ", " + fmt(fit.upper) + "]";
  r.details["replicates"] = std::to_string(res.replicates);
  r.details["tolerance_derivation"] = "z(alpha) / sqrt(2 R Sxx), R replicates, Sxx of log n";
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace

std::vector<Check> sampling_error_checks(const numerics::Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = numerics::share_scenario(sc);
  return {{"MC.error-order.euler-maruyama.reward.d1",
           "Monte Carlo error of the engine is O(n^{-1/2}) against the exact Gaussian reference (full set)",
           false, [held, &sc = *held](const Perturbation& p) { return error_order_check(sc, p); },
           built_in("gaussian-reward-d1"), needs_of("reward", "ou", "euler-maruyama")}};
}

}  // namespace gdverify::checks
