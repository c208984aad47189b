// T2 on the scenario's 1-D mixture without sampling noise
// (convergence/mixture_weak_order.hpp describes the study).
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> mixture_discretisation_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
