// The T2 checks on the exact Gaussian laws (convergence/weak_error_study.hpp
// describes the studies behind them): weak order 1 of Euler-Maruyama, DDPM and
// DDIM, order 2 of Heun, and O(log N / N) on the theory schedule.
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> discretisation_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
