// The martingale integrals L1(a) and L1(b) of THEORY.md section 3 on 1-D
// problems, certified: each integral over the real line is enclosed by Arb
// (certified_integral.hpp) with the integrand evaluated in ball arithmetic
// through the same theory templates and the same formulas as the 50-digit
// check, at the same times and draws, with the same deliberately wrong parts
// (the sensitivity hooks). An enclosure of the relative residual that
// excludes 0 proves the computed identity false; one that contains 0 and lies
// within the tolerance certifies it on that problem.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "certification.hpp"
#include "certified_integral.hpp"
#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory/forward_posterior.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/log_sum_exp.hpp"
#include "gdverify/theory/mixture_model.hpp"

namespace gdverify::checks::detail {

/// The per-component pieces of u_t(x) = E[r(X_0) | X_t = x] for a 1-D mixture
/// p and a Gaussian reward r, formed from p's components and r alone (not from
/// the tilted law q): given X_t = x, component k has posterior weight
/// proportional to exp(log_w[k]), log_w[k] = log w_k - (x - alpha mu_k)^2 /
/// (2 V_t) - log(V_t) / 2, V_t = alpha^2 s_k^2 + sigma^2, and
/// E[r(X_0) | X_t = x, k] = exp(log_e[k]): X_0 | X_t = x, k is N(m, V) with
/// V = s_k^2 sigma^2 / V_t, m = mu_k + s_k^2 alpha (x - alpha mu_k) / V_t, and
/// E_{N(m, V)}[exp(-p (y - a)^2 / 2 + b y)] = (1 + p V)^{-1/2}
/// exp(v^2 K / 2 - p (m - a)^2 / 2 + b m), v = b - p (m - a), K = V / (1 + p V)
/// (completing the square). Both are quadratics in x.
template <class Real>
struct PosteriorRewardTerms {
  std::vector<Real> log_w, log_e;
};

template <class Real>
PosteriorRewardTerms<Real> posterior_reward_terms(const MixtureModel<Real>& p, const GaussianReward<Real>& r,
                                                  const Real& alpha, const Real& sigma2, const Real& x) {
  using std::log;
  const Real a = r.center()(0), pr = r.precision()(0, 0), b = r.linear()(0);
  PosteriorRewardTerms<Real> out;
  for (const auto& k : p.components()) {
    const Real mu = k.mean(0), s2 = k.covariance(0, 0);
    const Real var_t = alpha * alpha * s2 + sigma2;
    out.log_w.push_back(log(k.weight) - (x - alpha * mu) * (x - alpha * mu) / (2 * var_t) - log(var_t) / 2);
    const Real v_post = s2 * sigma2 / var_t, m_post = mu + s2 * alpha * (x - alpha * mu) / var_t;
    const Real v = b - pr * (m_post - a), kk = v_post / (1 + pr * v_post);
    out.log_e.push_back(-log(1 + pr * v_post) / 2 + v * v * kk / 2 - pr * (m_post - a) * (m_post - a) / 2 +
                        b * m_post);
  }
  return out;
}

/// log u_t(x) = LSE_k (log_w + log_e) - LSE_k log_w.
template <class Real>
Real log_posterior_reward(const MixtureModel<Real>& p, const GaussianReward<Real>& r, const Real& alpha,
                          const Real& sigma2, const Real& x) {
  auto terms = posterior_reward_terms(p, r, alpha, sigma2, x);
  std::vector<Real> joint(terms.log_w.size());
  for (std::size_t i = 0; i < joint.size(); ++i) joint[i] = terms.log_w[i] + terms.log_e[i];
  return log_sum_exp(joint) - log_sum_exp(terms.log_w);
}

/// One draw of L1(b): tau1 = T - t1 < tau2 = T - t2 and the point y.
struct ProcessDraw {
  double t2 = 0, t1 = 0, y = 0;
};

/// The three seeded draws of L1(b) (seed + 11 for CFG, + 13 for rewards).
inline std::vector<ProcessDraw> process_martingale_draws(const numerics::Scenario& sc,
                                                         const std::string& schedule, GuidanceKind kind) {
  std::mt19937_64 rng(sc.seed + (kind == GuidanceKind::cfg ? 11 : 13));
  std::uniform_real_distribution<double> ut(sc.t_min(), sc.t_max(schedule));
  std::uniform_real_distribution<double> uy(-3.0, 3.0);
  std::vector<ProcessDraw> out;
  for (int draw = 0; draw < 3; ++draw) {
    double a = ut(rng), b = ut(rng);
    if (a > b) std::swap(a, b);
    out.push_back({a, b, uy(rng)});
  }
  return out;
}

/// The exact reverse kernel of L1(b), law(X_t2 | X_t1 = y) under the target,
/// with its variances scaled by 1 + pert.schedule_error (the sensitivity hook),
/// the same for the 50-digit and the ball evaluation.
template <class Real>
MixtureModel<Real> process_martingale_kernel(const GuidanceProblem<Real>& problem,
                                             const ForwardProcess<Real>& proc, const Real& t2, const Real& t1,
                                             const Vector<Real>& y, const Perturbation& pert) {
  auto kernel = forward_posterior(problem.target(), proc, t2, t1, y);
  if (pert.schedule_error == 0) return kernel;
  auto comps = kernel.components();
  for (auto& k : comps) k.covariance *= (1 + Real(pert.schedule_error));
  return MixtureModel<Real>::from_components(comps, kernel.num_classes(), false);
}

/// L1(a) certified at the 7 times of the 50-digit check.
Certificate certify_marginal_martingale(const numerics::Scenario& sc, const std::string& schedule,
                                        GuidanceKind kind, const Perturbation& pert, double tolerance);
/// One L1(a) integral E_{q_t}[phi_t] of the CFG form at time t, certified
/// (what the quadrature benchmark times; equal to 1 / pi_c).
CertifiedIntegral certified_marginal_integral(const numerics::Scenario& sc, const std::string& schedule,
                                              double t);
/// L1(b) certified at the 3 draws of the 50-digit check.
Certificate certify_process_martingale(const numerics::Scenario& sc, const std::string& schedule,
                                       GuidanceKind kind, const Perturbation& pert, double tolerance);

}  // namespace gdverify::checks::detail
