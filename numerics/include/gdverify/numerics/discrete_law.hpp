// The exact law of the discrete samplers on 1-D mixtures by
// Chapman-Kolmogorov steps (THEORY.md section 4, oracle 2). One step of
// Euler-Maruyama or of the DDPM-type integrator from t_k to t_{k-1} is the
// Gaussian kernel y -> N(A y + B s^w_{t_k}(y), C^2) (the coefficients of
// numerics/src/monte_carlo_engine.cpp), so
//   rho_{k-1}(y') = int rho_k(y) N(y'; A y + B s^w(y), C^2) dy,   rho_N = q_{t_start},
// and E[phi(Y_0)] = int phi_{t_end} rho_0. The integrals run on a uniform grid by
// the trapezoidal rule (spectrally accurate for these smooth, decaying
// integrands once the spacing is a fraction of the kernel width C), with the
// kernel cut at 12 C; every sum is of positive terms, so rho keeps its relative
// accuracy far into the tails where phi is large (THEORY.md section 5). The
// domain is that of the Fokker-Planck solver (12 of the widest standard
// deviations around the means).
#pragma once

#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::numerics {

class DiscreteLaw1D {
 public:
  /// `points_per_width`: grid nodes per kernel standard deviation C (the
  /// smallest over the steps) -- and at least that many per narrowest component sd.
  /// `domain_sd`: half-width of the grid in widest standard deviations. A
  /// value of E[phi] that changes when the domain grows (12 -> 16) is not
  /// finite: the discrete law's tail is heavier than 1/phi's decay (e.g. CFG
  /// towards a light-tailed class with few Euler-Maruyama steps).
  DiscreteLaw1D(const GuidanceProblem<double>& problem, const ForwardProcess<double>& process, double t_start,
                double t_end, double points_per_width = 8, double domain_sd = 12);

  /// E[phi_{t_end}(Y_0)] after N steps of Euler-Maruyama, the DDPM-type
  /// sampler or DDIM on the uniform grid from t_start to t_end. DDIM is a
  /// deterministic map: its law is the push-forward of q_{t_start}, computed
  /// over the endpoint by inverting every step (Newton) and multiplying the
  /// inverse Jacobians; a step that is not monotone is an InvalidParameter.
  [[nodiscard]] double expected_metric(SamplerKind sampler, double w, int steps) const;

 private:
  [[nodiscard]] double deterministic_expected_metric(double w, int steps) const;
  GuidanceProblem<double> problem_;
  ForwardProcess<double> process_;
  double t_start_, t_end_, points_per_width_;
  double lo_ = 0, hi_ = 0, narrowest_ = 1;
};

}  // namespace gdverify::numerics
