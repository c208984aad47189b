// The coefficients of one step of each discrete sampler (THEORY.md T2,
// docs/theory.md section 3), on a time grid t_end = grid[0] < ... < grid[N]
// = t_start. Step s = 0..N-1 goes from grid index k = N - s down to k - 1,
// with h = t_k - t_{k-1} and the guided score s^w evaluated at t_k:
//   Euler-Maruyama  Y <- a Y + b s^w + noise xi,  a = 1 - h f(t_k), b = h g^2(t_k), noise = sqrt(h g^2(t_k))
//   DDPM-type       a = 1/sqrt(a_k), b = (1 - a_k)/sqrt(a_k), noise = sqrt(1 - a_k), a_k =
//   alpha_k^2/alpha_{k-1}^2 DDIM            a = r, b = r sigma_k^2 - sigma_{k-1} sigma_k, noise = 0,  r =
//   alpha_{k-1}/alpha_k Heun            uses h, f and g^2 at both ends (probability-flow drift -f Y + g^2 s^w
//   / 2)
// The Monte Carlo engine and the model sampler read the same table, so a user
// score model runs through exactly the recursions of the exact engine.
#pragma once

#include <vector>

#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/theory/forward_process.hpp"

namespace gdverify::numerics {

struct SamplerStep {
  double a = 0, b = 0, noise = 0;  ///< affine step Y <- a Y + b s^w + noise xi (not Heun)
  double h = 0;                    ///< t_k - t_{k-1}
  double t_k = 0, t_k1 = 0;        ///< the step's two grid times (t_k1 = t_{k-1} < t_k)
  double f_k = 0, g2_k = 0, f_k1 = 0, g2_k1 = 0;
};

/// The N steps of `sampler` on `grid` (step 0 first, from grid[N]).
std::vector<SamplerStep> sampler_steps(SamplerKind sampler, const ForwardProcess<double>& process,
                                       const std::vector<double>& grid);

}  // namespace gdverify::numerics
