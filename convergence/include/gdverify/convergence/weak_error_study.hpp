// T2 (THEORY.md section 3) on the exact Gaussian oracle: the weak error
// |E phi(Y^(N)) - E phi(Y)| of each discrete sampler against its continuous
// law (Euler-Maruyama and the DDPM-type integrator against the reverse SDE,
// DDIM against the probability-flow ODE) for N = 16, 32, ... on the uniform
// grid from t_start to delta, with no sampling noise. The order is fitted by
// least squares over the four finest N, N_min .. 8 N_min, with a 95% interval;
// N_min >= 512 is the first power of two with h S <= 1/4, S the stiffness of
// the guided drift the sampler discretises (GaussianOracle::drift_stiffness:
// the drift's largest |eigenvalue| over the time range, which sees the
// schedule's f, the data's variance and w alike; 512 for ou and vp-linear on
// the built-in problems, 2048 for linear). The smallest N from which the
// sampler's E[phi] stays below the unguided value kappa is reported, as is
// whether the ODE's E[phi] decreased.
#pragma once

#include <vector>

#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::convergence {

/// The largest N_min a weak-order study computes (its finest N is 8 N_min).
inline constexpr long kMaxAsymptoticSteps = 1L << 14;

/// N_min for the sampler at w on the oracle's time range: the first power of
/// two >= 512 with (t_start - t_end) / N * drift_stiffness <= 1/4. Not capped:
/// above kMaxAsymptoticSteps the study cannot reach its asymptotic range.
long asymptotic_steps(const numerics::GaussianOracle& oracle, numerics::SamplerKind sampler, double w);

/// The study behind one T2 check (also usable for reports).
ConvergenceStudy weak_error_study(const numerics::Scenario& scenario, const std::string& schedule,
                                  const std::string& form, numerics::SamplerKind sampler, double w);

/// The same study on any problem the Gaussian oracle takes (Gaussian data and
/// target), named "T2.weak-order.<sampler>.<schedule>.<label>".
ConvergenceStudy weak_error_study(const numerics::Scenario& scenario, const std::string& schedule,
                                  const GuidanceProblem<Real50>& problem, const std::string& label,
                                  numerics::SamplerKind sampler, double w);

/// T2 for the DDPM-type sampler on the theory schedule (c0, c1): the
/// successive differences |E_2N - E_N| for N = 32 ... 8192 (each N its own
/// grid), raw and divided by log(N/2), with their fitted orders.
ConvergenceStudy theory_schedule_study(const std::string& form, double w, double c0, double c1);

}  // namespace gdverify::convergence
