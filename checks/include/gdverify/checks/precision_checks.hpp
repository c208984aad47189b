// High-precision theorem checks of THEORY.md section 3 that need no sampler
// law: L1(a) marginal martingale, L1(b) process martingale, L1(c) generator
// identity, T1 pointwise dissipation identity, CFG=R (CFG is reward guidance
// with r = p_0(c|x)), R2 (the reweighted denoising score matching minimiser is s^r).
// Quadrature checks run in 1-D at 50 digits; pointwise checks in d = 1, 2, 5.
#pragma once

#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

/// Every precision check for the scenario (its 1-D mixture, plus seeded
/// random mixtures in d = 2 and 5 for the pointwise identities).
std::vector<Check> precision_checks(const numerics::Scenario& scenario);

std::vector<Check> martingale_checks(const numerics::Scenario& scenario);  // L1a, L1b
std::vector<Check> generator_checks(const numerics::Scenario& scenario);   // L1c, T1 (pointwise)
std::vector<Check> reward_checks(const numerics::Scenario& scenario);      // CFG=R, R2

}  // namespace gdverify::checks
