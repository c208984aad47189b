#include "gdverify/convergence/quadrature_precision_study.hpp"
#include "gdverify/numerics/format_significant.hpp"

#include <chrono>
#include <cmath>
#include <memory>

#include "gdverify/numerics/quadrature_precision.hpp"

namespace gdverify::convergence {

namespace {
constexpr int kDigits[] = {16, 24, 32, 40, 50, 64};
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
  study.values = {"tolerance eps^0.9"};  // the bound, not an error
  study.parameters["fit"] = "every precision";
  study.fit();
  return study;
}
}  // namespace gdverify::convergence
