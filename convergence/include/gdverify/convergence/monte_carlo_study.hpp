// Monte Carlo error against the number of paths (THEORY.md section 4, oracle 3,
// calibrated by oracle 1): for n = 2^10 ... 2^16 paths, R independent
// replicates (seeds seed + 1000 n + r), the root-mean-square error of the
// engine's estimate of E[log phi] after N Euler-Maruyama steps on a Gaussian
// problem against its exact value for that discrete law (the Gaussian oracle),
// so the error is pure sampling error. The fitted order is expected to be 1/2.
//
// The tolerance is derived, not tuned: R * MSE / sigma^2 ~ chi^2_R, so
// log RMS has standard deviation ~ 1/sqrt(2R), independent across n; the
// least-squares slope over x = log n then has standard deviation
// 1/sqrt(2R Sxx), Sxx = sum (x - mean x)^2, and the check allows z times that
// at the project's per-assertion level.
#pragma once

#include <string>
#include <vector>

#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::convergence {

struct MonteCarloStudyResult {
  ConvergenceStudy study;
  double order_tolerance = 0;  ///< z / sqrt(2 R Sxx)
  int replicates = 0;
};

MonteCarloStudyResult monte_carlo_error_study(const numerics::Scenario& scenario, const std::string& form,
                                              int dimension, numerics::SamplerKind sampler,
                                              int replicates = 64);

}  // namespace gdverify::convergence
