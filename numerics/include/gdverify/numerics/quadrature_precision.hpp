// L1(a)'s integral E_{q_t}[phi_t] = kappa computed at a chosen number of
// decimal digits (MPFR with run-time precision), for the study of quadrature
// error against precision (convergence/quadrature_precision_study.hpp). The
// quadrature stops when two tanh-sinh levels agree to eps^0.9, eps = 10^(1 - digits).
#pragma once

#include <string>

#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {

struct PrecisionPoint {
  int digits = 0;
  double error = 0;           ///< max over 3 times of |E_{q_t}[phi] - kappa| / kappa
  double error_estimate = 0;  ///< tanh-sinh's own estimate (relative), max over the times
  double tolerance = 0;       ///< eps^0.9 at this precision
  double seconds = 0;
};

/// The scenario's 1-D mixture, CFG towards its class, `schedule`, at `digits`
/// digits. `kappa_error` (sensitivity tests only) perturbs the metric's constant.
PrecisionPoint quadrature_at_precision(const Scenario& scenario, const std::string& schedule, int digits,
                                       double kappa_error = 0);

}  // namespace gdverify::numerics
