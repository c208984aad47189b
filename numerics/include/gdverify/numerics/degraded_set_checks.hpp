// T3 checks on the deterministic 1-D ODE coupling (src/degraded_set_checks.cpp).
#pragma once

#include <vector>

#include "gdverify/numerics/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {

std::vector<Check> degraded_set_checks(const Scenario& scenario);

}  // namespace gdverify::numerics
