#include "gdverify/checks/coupled_weak_error_checks.hpp"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "gdverify/checks/order_verdict.hpp"
#include "gdverify/convergence/coupled_weak_error_study.hpp"

namespace gdverify::checks {

using namespace gdverify::convergence;

namespace {
std::string fmt(double v) { return numerics::format_significant(v, 6); }
constexpr int kFitFrom = kCoupledWeakErrorFitFrom;
}  // namespace

std::vector<Check> coupled_weak_error_checks(const numerics::Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = numerics::share_scenario(sc);
  return {
      {"T2.mc-weak-order.euler-maruyama.ou.cfg.d2",
       "weak order 1 of Euler-Maruyama on a 2-d mixture from coupled Monte Carlo paths (full set)", false,
       [held, &sc = *held](const Perturbation& pert) {
         const auto t0 = std::chrono::steady_clock::now();
         // Sensitivity: a wrong sign of w would still give order 1, so the hook takes the paths
         // down to 2^10 instead: the Monte Carlo error then swamps the bias and nothing is resolved.
         const long paths = pert.flip_guidance_sign ? 1L << 10 : 1L << 18;
         const auto res = coupled_weak_error_study(sc, 2, numerics::SamplerKind::euler_maruyama, 1.0, paths);
         const std::string description =
             "weak error of Euler-Maruyama on the 2-d broad-target mixture is O(1/N) (coupled paths)";
         const auto it = res.study.fits.find("|E[phi_N - phi_2N]|");
         CheckResult r;
         if (it != res.study.fits.end()) {
           r = order_verdict(res.study.name, description, it->second,
                             std::to_string(it->second.points) + " resolved N >= " + std::to_string(kFitFrom),
                             "double", 15);
         } else {
           r.name = res.study.name;
           r.description = description;
           r.scalar = "double";
           r.digits = 15;
           r.lhs = "fewer than 3 resolved points";
           r.rhs = "1";
           r.residual = std::numeric_limits<double>::infinity();
           r.tolerance = kOrderTolerance;
           r.verdict = Verdict::fail;
         }
         std::string table;
         const auto& e = res.study.errors.at("|E[phi_N - phi_2N]|");
         const auto& se = res.study.errors.at("standard error of E[phi_N - phi_2N]");
         for (std::size_t i = 0; i < e.size(); ++i)
           table += (i ? ", " : "") + std::to_string(static_cast<int>(res.study.axis[i])) + ": " + fmt(e[i]) +
                    " (SE " + fmt(se[i]) + (res.resolved[i] ? ")" : ", not resolved)");
         r.details["|E[phi_N - phi_2N]|"] = table;
         r.details["paths"] = std::to_string(paths);
         r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
         return r;
       },
       built_in("broad-target-d2"), needs_of("cfg", "ou", "euler-maruyama")}};
}

}  // namespace gdverify::checks
