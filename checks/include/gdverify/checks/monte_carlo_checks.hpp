// Checks that run the Monte Carlo engine (src/monte_carlo_checks.cpp):
// agreement with the exact Gaussian laws and with the deterministic 1-D ODE
// coupling, T1 (E[phi] decreases in tau, and lies below the unguided value for
// w > 0) and T3 (the improved fraction's upper confidence bound is below 1) in
// d = 2, 8 and on the 64-d digits mixture.
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/numerics/statistical_level.hpp"

namespace gdverify::checks {

std::vector<Check> monte_carlo_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
