#include "gdverify/checks/quadrature_precision_checks.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "gdverify/convergence/quadrature_precision_study.hpp"

namespace gdverify::checks {

using namespace gdverify::convergence;

namespace {
std::string fmt(double v) { return numerics::format_significant(v, 6); }
}  // namespace

std::vector<Check> quadrature_precision_checks(const numerics::Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = numerics::share_scenario(sc);
  return {
      {"L1a.quadrature-precision.ou.cfg",
       "L1a's quadrature error stays within eps^0.9 at 16 ... 64 digits; error exponent fitted (full set)",
       false,
       [held, &sc = *held](const Perturbation& pert) {
         const auto t0 = std::chrono::steady_clock::now();
         // Sensitivity: a wrong prior (in kappa) moves E_q[phi] away from kappa at every precision.
         const auto study = quadrature_precision_study(sc, pert.prior_error);
         const auto& err = study.errors.at("relative error |E_q[phi] - kappa| / kappa");
         const auto& tol = study.errors.at("tolerance eps^0.9");
         CheckResult r;
         r.name = study.name;
         r.description = "quadrature error against precision (L1a's integral, MPFR at run-time precision)";
         double worst = 0;
         std::string table;
         for (std::size_t i = 0; i < err.size(); ++i) {
           worst = std::max(worst, err[i] / tol[i]);
           table += (i ? ", " : "") + std::to_string(std::lround(std::log10(study.axis[i])) + 1) +
                    " digits: " + fmt(err[i]);
         }
         r.residual = worst;
         r.tolerance = 1;
         r.lhs = fmt(worst);
         r.rhs = "1 (error / eps^0.9)";
         r.scalar = "mpfr";
         r.digits = 64;
         const auto& fit = study.fits.at("relative error |E_q[phi] - kappa| / kappa");
         r.details["errors"] = table;
         r.details["error_exponent (error ~ eps^a)"] =
             fmt(fit.order) + " [" + fmt(fit.lower) + ", " + fmt(fit.upper) + "]";
         r.verdict = r.residual <= r.tolerance ? Verdict::pass : Verdict::fail;
         r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
         return r;
       },
       "scenario",
       [] {
         auto n = needs_of("cfg", "ou");
         n.one_dimensional = true;
         return n;
       }()}};
}

}  // namespace gdverify::checks
