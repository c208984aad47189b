// T2 (THEORY.md section 3) on the exact Gaussian oracle: the weak error
// |E phi(Y^(N)) - E phi(Y)| of each discrete sampler against its continuous
// law (Euler-Maruyama and the DDPM-type integrator against the reverse SDE,
// DDIM against the probability-flow ODE) for N = 16, 32, ... on the uniform
// grid from t_start to delta, with no sampling noise. The order is fitted by
// least squares over the four finest N, N_min .. 8 N_min, with a 95% interval;
// N_min >= 512 is the first power of two with h max|f| <= 1/4 (the asymptotic
// range of an explicit step: 512 for ou and vp-linear, 2048 for linear). The smallest N from which the
// sampler's E[phi] stays below the unguided value kappa is reported, as is whether the ODE's E[phi]
// decreased.
#pragma once

#include <vector>

#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::convergence {

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
