#include "gdverify/numerics/scenario_monte_carlo.hpp"

#include <algorithm>

#include "gdverify/numerics/vocabulary.hpp"

namespace gdverify::numerics {

GuidanceProblem<double> scenario_guidance_problem(const Scenario& sc, const std::string& form) {
  if (form == "cfg") return GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class);
  if (form == "reward")
    return GuidanceProblem<double>::reward(sc.mixture<double>(), sc.gaussian_reward<double>());
  throw InvalidParameter("guidance.kind", "unknown form '" + form + "' (expected cfg or reward)");
}

void require_posed_form(const Scenario& sc, const std::string& form) {
  if (form != "cfg" && form != "reward")
    throw InvalidParameter("guidance.kind", "unknown form '" + form + "' (expected cfg or reward)");
  if (!asks_for(sc.guidance_kind, form))
    throw InvalidParameter("--form", "the scenario's guidance.kind is " +
                                         guidance_choice_name(sc.guidance_kind) + "; it does not pose the " +
                                         form + " form");
}

std::string form_or_first(const Scenario& sc, const std::string& form) {
  return form.empty() ? guidance_forms(sc.guidance_kind).front() : form;
}

MonteCarloSpec scenario_monte_carlo_spec(const Scenario& sc, const std::string& schedule,
                                         SamplerKind sampler) {
  const int steps = *std::max_element(sc.steps.begin(), sc.steps.end());
  MonteCarloSpec spec;
  spec.sampler = sampler;
  spec.grid = uniform_grid(sc.t_min(), sc.t_max(schedule), steps);
  spec.guidance_scales = sc.guidance_scales;
  std::sort(spec.guidance_scales.begin(), spec.guidance_scales.end());
  for (int j = 1; j < 4; ++j) spec.checkpoints.push_back(j * steps / 4);
  spec.checkpoints.push_back(0);
  spec.start = sc.start;
  spec.seed = sc.seed;
  return spec;
}

}  // namespace gdverify::numerics
