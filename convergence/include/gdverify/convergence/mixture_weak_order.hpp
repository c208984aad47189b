// T2 on a 1-D mixture without sampling noise: the weak error of
// Euler-Maruyama and the DDPM-type sampler (their exact laws by
// Chapman-Kolmogorov steps, numerics/discrete_law.hpp) against the guided
// SDE's law from the Fokker-Planck solver (numerics/fokker_planck.hpp), and of
// DDIM (its push-forward law) against the probability-flow ODE's law by
// characteristics (Richardson over 800/1600 RK4 steps), on
// the `ou` schedule, N = 64 ... 1024 (DDIM: ... 4096); the order is fitted over
// the three finest N (on the default mixture h max|d drift/dy| ~ h g^2 (1 + w) / 0.09 < 1
// only from N ~ 180: below it the error is not yet in its O(1/N) regime).
#pragma once

#include <string>
#include <vector>

#include "gdverify/convergence/convergence_study.hpp"
#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::convergence {

ConvergenceStudy mixture_weak_error_study(const numerics::Scenario& scenario, const std::string& form,
                                          numerics::SamplerKind sampler, double w);

/// The finest N of the study: 1024 for the Chapman-Kolmogorov samplers, 4096 for DDIM.
int mixture_max_steps(numerics::SamplerKind sampler);

/// The scenario's 1-D guidance problem of the given form ("cfg" or "reward").
GuidanceProblem<double> mixture_problem(const numerics::Scenario& scenario, const std::string& form);

}  // namespace gdverify::convergence
