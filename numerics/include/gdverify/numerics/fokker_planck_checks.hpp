// T1 on the guided SDE law of 1-D mixtures from the Fokker-Planck solver
// (src/fokker_planck_checks.cpp), and the solver's agreement with the exact
// Gaussian oracle.
#pragma once

#include <vector>

#include "gdverify/numerics/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {

std::vector<Check> fokker_planck_checks(const Scenario& scenario);

}  // namespace gdverify::numerics
