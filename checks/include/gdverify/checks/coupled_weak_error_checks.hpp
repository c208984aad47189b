// T2 from coupled Monte Carlo paths on a 2-d mixture (convergence/coupled_weak_error_study.hpp).
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> coupled_weak_error_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
