// The exact oracle of THEORY.md section 4 (1): Gaussian data with a Gaussian
// target (a CFG-style pair, or a Gaussian-shaped reward's tilt). Every guided
// score field is then affine, s^w_t(y) = A_t y + b_t with
//   A_t = -(1 + w) P_q + w P_p,   b_t = (1 + w) P_q a_q - w P_p a_p,
// (a_., P_. the mean and precision of p_t, q_t), so every guided sampler has a
// Gaussian law N(m, S):
//   reverse SDE   m' = M m + g^2 b,      S' = M S + S M^T + g^2 I,   M = -f I + g^2 A
//   prob.-flow    m' = M m + g^2 b / 2,  S' = M S + S M^T,           M = -f I + g^2 A / 2
// (' = d/dtau, t = t_start - tau), integrated at 50 digits by Boost.Odeint's
// Runge-Kutta-Fehlberg 7(8) with local tolerance 1e-25, and the discrete samplers
// (Euler-Maruyama, the DDPM-type exponential integrator, DDIM, Heun) by their exact
// mean/covariance recursions. Metric expectations are closed-form Gaussian
// integrals: with Lambda = S^{-1} + P_p - P_q (positive definite, else
// E[phi] = infinity) and h = S^{-1} m + P_p a_p - P_q a_q,
//   E[phi(Y)] = kappa sqrt(det P_p / det P_q) / sqrt(det S det Lambda)
//               exp(h^T Lambda^{-1} h / 2 - m^T S^{-1} m / 2 - a_p^T P_p a_p / 2 + a_q^T P_q a_q / 2),
// and phi(y) N(y; m, S) / E[phi] = N(Lambda^{-1} h, Lambda^{-1}), which gives
//   E[phi |s^r - s|^2] = E[phi] (|D mu' + e|^2 + tr(D Sigma' D^T)),  D = P_p - P_q, e = P_q a_q - P_p a_p.
#pragma once

#include <string>
#include <vector>

#include "gdverify/numerics/vocabulary.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/linear_algebra.hpp"
#include "gdverify/theory/real_types.hpp"

namespace gdverify::numerics {

template <class Real>
struct GaussianLaw {
  Vector<Real> mean;
  Matrix<Real> covariance;
};

// SamplerKind and sampler_name are in vocabulary.hpp.

/// The time grid of the theory papers' DDPM-type schedule (THEORY.md T2) for
/// the `ou` process: beta_1 = N^{-c0}, beta_{k+1} = (c1 log N / N)
/// min{beta_1 (1 + c1 log N / N)^k, 1}, alpha_k = 1 - beta_k,
/// abar_k = prod_{j<=k} alpha_j, and t_k = -log(abar_k) / 2 (alpha_t^2 = e^{-2t}
/// = abar_k). Returns t_1 < ... < t_N (the data end t_0 = 0 is not a step target:
/// the sampler stops at t_1).
std::vector<Real50> theory_schedule_times(int steps, const Real50& c0, const Real50& c1);

/// Exact laws of the guided samplers for a Gaussian guidance problem
/// (base and target each a single Gaussian component), run from the exact
/// start q_{t_start} down to t_end.
class GaussianOracle {
 public:
  using Real = Real50;

  GaussianOracle(const GuidanceProblem<Real>& problem, const ForwardProcess<Real>& process, Real t_start,
                 Real t_end);

  /// E[phi_t(Y)] for Y ~ law, at time t (kappa included). +inf when not finite.
  [[nodiscard]] Real expected_metric(const GaussianLaw<Real>& law, const Real& t) const;
  /// E[phi_t(Y) |s^r_t(Y) - s_t(Y)|^2].
  [[nodiscard]] Real expected_metric_times_gap(const GaussianLaw<Real>& law, const Real& t) const;

  /// E[log phi_t(Y)]: log phi is quadratic in y, so with Q_.(y) = (y - a_.)^T P_. (y - a_.)
  /// and E[Q_.] = tr(P_. S) + (m - a_.)^T P_. (m - a_.),
  ///   E[log phi] = log kappa + (log det P_p - log det P_q) / 2 - E[Q_p] / 2 + E[Q_q] / 2.
  [[nodiscard]] Real expected_log_metric(const GaussianLaw<Real>& law, const Real& t) const;
  /// Whether E[phi_t(Y)^2] < infinity: S^{-1} + 2 (P_p - P_q) positive definite.
  [[nodiscard]] bool metric_variance_finite(const GaussianLaw<Real>& law, const Real& t) const;

  /// The exact start law q_{t_start}.
  [[nodiscard]] GaussianLaw<Real> start() const;

  struct Trajectory {
    std::vector<Real> times;              ///< t at the requested points (decreasing)
    std::vector<GaussianLaw<Real>> laws;  ///< law of Y at those times
    std::vector<Real> dissipation;  ///< w int_{t}^{t_start} g^2 E[phi |s^r - s|^2] (SDE only; 0 for ODE)
  };
  /// Continuous law (reverse SDE if `sde`, else probability-flow ODE) at
  /// `points` equally spaced times from t_start to t_end inclusive.
  [[nodiscard]] Trajectory continuous(const Real& w, bool sde, int points) const;

  /// Law after N steps of a discrete sampler on the uniform grid from t_start to t_end.
  [[nodiscard]] GaussianLaw<Real> discrete(SamplerKind kind, const Real& w, int steps) const;
  /// The same on a given grid t_end = grid[0] < grid[1] < ... < grid[N] = t_start.
  [[nodiscard]] GaussianLaw<Real> discrete_on_grid(SamplerKind kind, const Real& w,
                                                   const std::vector<Real>& grid) const;

  /// The stiffness of the dynamics the sampler discretises: the largest, over
  /// t in [t_end, t_start] (`samples` equally spaced times), of |f| + c g^2 |A_t|,
  /// with A_t = -(1 + w) P_q + w P_p the guided score's slope (|.| its largest
  /// |eigenvalue|) and c = 1 for the SDE samplers (Euler-Maruyama, DDPM), 1/2
  /// for the ODE ones (DDIM, Heun); for DDIM also of the log-SNR rate
  /// |d lambda / dt|, lambda = log(alpha / sigma), the variable it steps in.
  /// A step h resolves the dynamics where h times this is small: it sets the
  /// asymptotic range of the weak-order fits (docs/theory.md section 4).
  [[nodiscard]] double drift_stiffness(SamplerKind kind, const Real& w, int samples = 257) const;

  [[nodiscard]] const Real& t_start() const { return t_start_; }
  [[nodiscard]] const Real& t_end() const { return t_end_; }

 private:
  struct Marginal {
    Vector<Real> a_p, a_q;
    Matrix<Real> p_p, p_q;  ///< precisions
    Real logdet_p_p, logdet_p_q;
  };
  [[nodiscard]] Marginal marginal(const Real& t) const;

  ForwardProcess<Real> process_;
  Real t_start_, t_end_;
  Real log_kappa_;
  Vector<Real> mu_p_, mu_q_;
  Matrix<Real> sigma_p_, sigma_q_;
  int d_;
};

}  // namespace gdverify::numerics
