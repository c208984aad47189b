// The Gaussian guidance problems the exact oracle is run on (THEORY.md
// section 4 (1)), in any dimension d:
//   "cfg-pair": p_0 = N(0, 1.5 I), q_0 = N(1, 0.5 I) (a class-conditional
//               Gaussian against the unconditional one), kappa = 1;
//   "reward":   p_0 = N(0, I), r(x) = exp(-|x - 2|^2 / 2), so q_0 = N(1, I/2)
//               (THEORY.md T1's example in d = 1).
#pragma once

#include <string>

#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/real_types.hpp"

namespace gdverify::numerics {

GuidanceProblem<Real50> gaussian_problem(const std::string& form, int dimension);

}  // namespace gdverify::numerics
