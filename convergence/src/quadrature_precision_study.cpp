#include "gdverify/convergence/quadrature_precision_study.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "gdverify/numerics/quadrature_precision.hpp"

namespace gdverify::convergence {

namespace {
constexpr int kDigits[] = {16, 24, 32, 40, 50, 64};

std::string fmt(double v) { return numerics::format_significant(v, 6); }
}  // namespace

ConvergenceStudy quadrature_precision_study(const numerics::Scenario& sc, double kappa_error) {
  ConvergenceStudy study;
  study.name = "L1a.quadrature-precision.ou.cfg";
  study.axis_name = "1/eps = 10^(digits - 1)";
  for (int d : kDigits) {
    const auto p = numerics::quadrature_at_precision(sc, "ou", d, kappa_error);
    study.axis.push_back(std::pow(10.0, d - 1));
    study.errors["relative error |E_q[phi] - kappa| / kappa"].push_back(std::max(p.error, 1e-300));
    study.errors["tanh-sinh error estimate"].push_back(std::max(p.error_estimate, 1e-300));
    study.errors["tolerance eps^0.9"].push_back(p.tolerance);
    study.seconds.push_back(p.seconds);
  }
  study.fit();
  return study;
}

std::vector<numerics::Check> quadrature_precision_checks(const numerics::Scenario& sc) {
  // The one immutable copy of the scenario that every check shares.
  const auto held = numerics::share_scenario(sc);
  if (sc.dimension != 1 || !sc.data_set.empty()) return {};
  return {
      {"L1a.quadrature-precision.ou.cfg",
       "L1a's quadrature error stays within eps^0.9 at 16 ... 64 digits; error exponent fitted (full set)",
       false, [held, &sc = *held](const numerics::Perturbation& pert) {
         const auto t0 = std::chrono::steady_clock::now();
         // Sensitivity: a wrong prior (in kappa) moves E_q[phi] away from kappa at every precision.
         const auto study = quadrature_precision_study(sc, pert.prior_error);
         const auto& err = study.errors.at("relative error |E_q[phi] - kappa| / kappa");
         const auto& tol = study.errors.at("tolerance eps^0.9");
         numerics::CheckResult r;
         r.name = study.name;
         r.description = "quadrature error against precision (L1a's integral, MPFR at run-time precision)";
         double worst = 0;
         std::string table;
         for (std::size_t i = 0; i < err.size(); ++i) {
           worst = std::max(worst, err[i] / tol[i]);
           table += (i ? ", " : "") + std::to_string(kDigits[i]) + " digits: " + fmt(err[i]);
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
         r.verdict = r.residual <= r.tolerance ? numerics::Verdict::pass : numerics::Verdict::fail;
         r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
         return r;
       }}};
}

}  // namespace gdverify::convergence
