// The Monte Carlo error of the engine falls as n^{-1/2} (convergence/monte_carlo_study.hpp).
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> sampling_error_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
