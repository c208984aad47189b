// Estimators on top of the Monte Carlo engine's sums (THEORY.md sections 4-5):
// means with normal-theory intervals, Clopper-Pearson intervals for
// proportions (Boost.Math's inverse incomplete beta), and the closed-form
// decision whether Var phi is finite under the exact unguided law, which
// decides whether an interval for E[phi] can be trusted at all.
#pragma once

#include <string>

#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::numerics {

/// z with P(|Z| > z) = alpha for Z ~ N(0, 1) (two-sided).
double two_sided_normal_quantile(double alpha);

struct MeanInterval {
  double n = 0;
  double mean = 0;
  double std_error = 0;  ///< sqrt(sample variance / n)
  double lower = 0;      ///< mean - z std_error
  double upper = 0;      ///< mean + z std_error
};
MeanInterval mean_interval(const RunningMoments& m, double z);

struct ProportionInterval {
  double successes = 0;
  double trials = 0;
  double estimate = 0;
  double lower = 0;  ///< exact (Clopper-Pearson) two-sided 1 - alpha interval
  double upper = 0;
};
/// Clopper-Pearson: lower = I^{-1}_{alpha/2}(k, n - k + 1), upper = I^{-1}_{1 - alpha/2}(k + 1, n - k)
/// (0 and 1 at the ends), I the regularised incomplete beta function.
ProportionInterval clopper_pearson(double successes, double trials, double alpha);

enum class Finiteness { finite, infinite, undetermined };
std::string finiteness_name(Finiteness f);

struct VarianceDecision {
  Finiteness state = Finiteness::undetermined;
  std::string reason;
};

/// Is Var_{q_t}[phi_{T-t}] finite, i.e. E_{q_t}[phi^2] = kappa^2 int p_t^2 / q_t < infinity?
/// With base covariances C_j and target covariances D_m at time t:
///   finite   if for every j some m has 2 C_j^{-1} - D_m^{-1} positive definite
///            (then p^2/q <= K sum_j a_j^2 N_j^2 / (b_m N_m), each integrable);
///   infinite if for some j and direction u, 2 u^T C_j^{-1} u < u^T D_m^{-1} u for every m
///            (then p^2/q grows like exp(c r^2) on a cone around u); the witnesses
///            tried are the eigenvectors of every 2 C_j^{-1} - D_m^{-1} and the axes;
///   otherwise undetermined (possible only for anisotropic mixtures in d >= 2,
///   or at an exact boundary, where the linear terms decide).
/// This is the law of the exact unguided sampler (w = 0, exact start); guided
/// laws of mixtures are not closed form and get no decision.
VarianceDecision metric_variance_under_target(const GuidanceProblem<double>& problem,
                                              const ForwardProcess<double>& process, double t);

/// The same decision for E_{q_t}[phi^k] = kappa^k int p_t^k / q_t^{k-1} (k >= 2):
/// finite if for every j some m has k C_j^{-1} - (k-1) D_m^{-1} > 0, infinite on a
/// witness direction with k u^T C_j^{-1} u < (k-1) u^T D_m^{-1} u for every m.
/// k = 4 decides whether the sample variance itself has finite variance, i.e.
/// whether a normal-theory interval for E[phi] has reliable coverage.
VarianceDecision metric_moment_under_target(const GuidanceProblem<double>& problem,
                                            const ForwardProcess<double>& process, double t, int k);

}  // namespace gdverify::numerics
