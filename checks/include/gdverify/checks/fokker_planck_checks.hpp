// T1 on the guided SDE law of 1-D mixtures from the Fokker-Planck solver
// (src/fokker_planck_checks.cpp), and the solver's agreement with the exact
// Gaussian oracle.
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

std::vector<Check> fokker_planck_checks(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
