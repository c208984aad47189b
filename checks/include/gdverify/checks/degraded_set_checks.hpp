// T3 checks on the deterministic 1-D ODE coupling (src/degraded_set_checks.cpp).
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> degraded_set_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
