// T1 on the exact Gaussian laws of the guided reverse SDE (see
// src/exact_law_checks.cpp for what each check asserts).
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> exact_law_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
