// The one place where a scenario becomes a Monte Carlo run (docs/scenario.md
// "Which checks run"): its guidance problem of a form, and the engine's spec
// for a schedule and a sampler from samplers.steps, guidance.scales,
// monte_carlo.start and seed. The checks, `eval` and the reports use it.
#pragma once

#include <string>

#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {

/// CFG towards the guided class ("cfg") or the Gaussian reward's tilt ("reward").
GuidanceProblem<double> scenario_guidance_problem(const Scenario& scenario, const std::string& form);

/// Throws InvalidParameter unless `form` is "cfg" or "reward" (field
/// guidance.kind) and the scenario's guidance.kind poses it (field --form: a
/// cfg-only scenario has no reward of its own, its [reward] table would be the
/// default one, and vice versa). The model and samples doors call it.
void require_posed_form(const Scenario& scenario, const std::string& form);

/// `form`, or with "" the first form the scenario's guidance.kind poses (the
/// doors' default when no form is given).
std::string form_or_first(const Scenario& scenario, const std::string& form);

/// The largest of samplers.steps on a uniform grid from t_max(schedule) down
/// to delta; w = 0 and every w of guidance.scales in increasing order;
/// checkpoints after N/4, N/2 and 3N/4 steps (and 0, N); monte_carlo.start; seed.
MonteCarloSpec scenario_monte_carlo_spec(const Scenario& scenario, const std::string& schedule,
                                         SamplerKind sampler);

}  // namespace gdverify::numerics
