// gdverify eval: the Monte Carlo engine on the scenario as JSON, for every
// schedule of schedule.names, every form guidance.kind asks for (CFG only
// with two classes or a data set), every sampler of samplers.names, with the
// scenario's steps, start, seed and w (numerics/scenario_monte_carlo.hpp);
// for a 1-D mixture also the deterministic ODE quantities of CFG on ou.
#pragma once

#include <nlohmann/json.hpp>

#include "gdverify/numerics/scenario.hpp"

namespace gdverify::reports {

/// `paths_override` > 0 replaces monte_carlo.paths.
nlohmann::json evaluate_scenario(const numerics::Scenario& scenario, long paths_override);

}  // namespace gdverify::reports
