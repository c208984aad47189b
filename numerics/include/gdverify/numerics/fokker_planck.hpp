// The law of the guided reverse SDE in 1-D from a Fokker-Planck solve
// (THEORY.md section 4, oracle 2), written for the ratio to the exact
// unguided law, u = rho / q_t (t = T - tau), which stays O(1) where the
// metric's weight lives: with b^w = b^0 + w g^2 delta, delta = s^r - s, and q_t
// solving the w = 0 equation, rho = q u solves the FP equation iff
//   du/dtau = f y u' + g^2/2 u'' - w g^2 (delta u' + (delta' + delta s^r) u),   u(0) = 1,
// and then every metric expectation is a p_t-weighted integral,
//   E[phi_tau(Y_tau)]             = kappa int p_t u dy,
//   E[phi |s^r - s|^2](Y_tau)     = kappa int p_t delta^2 u dy.
// (Solving for rho directly fails: phi grows like exp(c y^2) where rho's
// round-off, absolute in the tails, is then amplified without bound -- the
// heavy tail of THEORY.md section 5.)
//
// Discretisation: second-order central differences on a uniform grid over
// [min(m_k) - 12 sd_max, max(m_k) + 12 sd_max], zero-gradient ends (outflow:
// the transport f y u' carries information outward), Crank-Nicolson in tau
// (on a grid uniform in tau, or in log(1 - t) for the `linear` schedule, whose
// drift grows like 1/(1 - t) at the noise end), the p-weighted integrals by
// the trapezoidal rule (spectrally accurate for these decaying integrands) in
// y and in tau. The error expansion is even in (h, dtau) jointly, so one
// Richardson step over the refinement (M, K) -> (2M, 2K) gives fourth order;
// the difference between two successive extrapolations is the reported error
// estimate.
#pragma once

#include <vector>

#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::numerics {

struct FokkerPlanckSolution {
  std::vector<double> tau;              ///< output times (increasing from 0)
  std::vector<double> expected_metric;  ///< E[phi_tau(Y_tau)] at those times
  std::vector<double> dissipation;      ///< w int_0^tau g^2 E[phi |s^r - s|^2] dtau'
  double mass_error = 0;                ///< max |int q u - 1| over the run
};

struct FokkerPlanckResult {
  FokkerPlanckSolution extrapolated;         ///< Richardson over the two finest levels
  std::vector<FokkerPlanckSolution> levels;  ///< (M, K), (2M, 2K), (4M, 4K)
  double error_estimate = 0;  ///< |R(2M,4M) - R(M,2M)| of E[phi] at the end, max over output times
  int nodes = 0, steps = 0;   ///< the coarsest level's M and K (after any refinement by solve_to)
};

class FokkerPlanck1D {
 public:
  /// `problem` in 1-D, from the exact start q_{t_start} down to t_end. `nodes`
  /// and `steps` are the coarsest level's M and K; `outputs` equally spaced output times.
  FokkerPlanck1D(const GuidanceProblem<double>& problem, const ForwardProcess<double>& process,
                 double t_start, double t_end, int nodes = 2400, int steps = 800, int outputs = 5);

  [[nodiscard]] FokkerPlanckResult solve(double w) const;
  /// solve(w), then refined until the error estimate is <= `target`, at most
  /// `max_refinements` times: each refinement doubles the time steps K if that
  /// lowers the estimate at least 4x (Richardson's h^4: ~16x when the time step
  /// dominates), else whichever of 2K or 2M (nodes) gives the lower estimate.
  [[nodiscard]] FokkerPlanckResult solve_to(double w, double target, int max_refinements = 3) const;
  /// One level (no extrapolation), for studies.
  [[nodiscard]] FokkerPlanckSolution solve_level(double w, int nodes, int steps) const;

 private:
  [[nodiscard]] FokkerPlanckResult solve_with(double w, int nodes, int steps) const;

  GuidanceProblem<double> problem_;
  ForwardProcess<double> process_;
  double t_start_, t_end_;
  int nodes_, steps_, outputs_;
  double lo_ = 0, hi_ = 0;
  bool log_time_ = false;
};

}  // namespace gdverify::numerics
