// T2 in higher dimension by Monte Carlo (THEORY.md section 4, oracle 3): the
// weak error of a discrete sampler on a d-dimensional mixture, from paths whose
// Brownian increments are shared across step counts (the engine's
// noise_refinement: N steps use normalised sums of the normals of 2N, 4N, ...
// steps), so that the successive differences D_N = E[phi(Y^N) - phi(Y^{2N})]
// are estimated path by path with small variance. With weak error C/N + o(1/N),
// D_N = C/(2N) + o(1/N): the order is fitted on |D_N| against N, and each point
// is used only if its bias |D_N| exceeds z(alpha) standard errors, i.e. the Monte
// Carlo error is far below the effect being measured (THEORY.md section 5).
// The check (full set) runs Euler-Maruyama on the 2-d broad-target mixture,
// N = 16 ... 256 with 2^18 coupled paths, and fits over the resolved N >= 32.
#pragma once

#include <string>
#include <vector>

#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::convergence {

/// The smallest N whose successive difference enters the order fit.
inline constexpr int kCoupledWeakErrorFitFrom = 64;

struct CoupledWeakErrorStudy {
  ConvergenceStudy study;      ///< axis N; norms |D_N| for phi and log phi, their standard errors
  std::vector<bool> resolved;  ///< |D_N| > z SE(D_N)
  double z = 0;
};

CoupledWeakErrorStudy coupled_weak_error_study(const numerics::Scenario& scenario, int dimension,
                                               numerics::SamplerKind sampler, double w, long paths);

}  // namespace gdverify::convergence
