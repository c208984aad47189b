// Quadrature error against working precision: L1(a)'s integral at 16, 24, 32,
// 40, 50 and 64 digits (numerics/quadrature_precision.hpp). The axis is
// 1/eps = 10^(digits - 1), so the fitted "order" is the exponent a in
// error ~ eps^a: tanh-sinh stops at eps^0.9 and converges doubly
// exponentially, so the error sits at rounding level, a ~ 1. The check
// asserts that at every precision the error is within the stated tolerance
// eps^0.9 (and reports the fitted exponent with its interval).
#pragma once

#include <vector>

#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::convergence {

ConvergenceStudy quadrature_precision_study(const numerics::Scenario& scenario, double kappa_error = 0);

}  // namespace gdverify::convergence
