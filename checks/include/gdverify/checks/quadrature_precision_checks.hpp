// L1a's quadrature error against the working precision (convergence/quadrature_precision_study.hpp).
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> quadrature_precision_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
