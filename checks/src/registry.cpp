#include "gdverify/checks/registry.hpp"

#include <algorithm>
#include <stdexcept>

#include "gdverify/checks/coupled_weak_error_checks.hpp"
#include "gdverify/checks/degraded_set_checks.hpp"
#include "gdverify/checks/discretisation_checks.hpp"
#include "gdverify/checks/exact_law_checks.hpp"
#include "gdverify/checks/fokker_planck_checks.hpp"
#include "gdverify/checks/mixture_weak_order_checks.hpp"
#include "gdverify/checks/monte_carlo_checks.hpp"
#include "gdverify/checks/precision_checks.hpp"
#include "gdverify/checks/quadrature_precision_checks.hpp"
#include "gdverify/checks/sampling_error_checks.hpp"

namespace gdverify::checks {

const char* suite_name(Suite s) {
  switch (s) {
    case Suite::scenario: return "scenario";
    case Suite::built_in: return "built-in";
    case Suite::all: return "all";
  }
  return "all";
}

Suite parse_suite(const std::string& name, const std::string& field) {
  for (Suite s : {Suite::scenario, Suite::built_in, Suite::all})
    if (name == suite_name(s)) return s;
  throw std::invalid_argument(field + ": unknown suite (expected scenario, built-in or all)");
}

const std::vector<CheckFamily>& check_families() {
  static const std::vector<CheckFamily> families = {
      {"martingale (L1a, L1b)", martingale_checks},
      {"generator (L1c, T1 pointwise)", generator_checks},
      {"reward (CFG=R, R2)", reward_checks},
      {"exact Gaussian laws (T1)", exact_law_checks},
      {"degraded set (T3, deterministic)", degraded_set_checks},
      {"Fokker-Planck (T1)", fokker_planck_checks},
      {"weak order on exact Gaussian laws (T2)", discretisation_checks},
      {"Monte Carlo engine (T1, T3, agreement)", monte_carlo_checks},
      {"Monte Carlo error order", sampling_error_checks},
      {"weak order on 1-D mixtures (T2)", mixture_discretisation_checks},
      {"quadrature precision (L1a)", quadrature_precision_checks},
      {"weak order from coupled paths (T2)", coupled_weak_error_checks},
  };
  return families;
}

std::vector<Check> all_checks(const numerics::Scenario& scenario) {
  std::vector<Check> out;
  for (const auto& f : check_families()) {
    auto v = f.build(scenario);
    out.insert(out.end(), std::make_move_iterator(v.begin()), std::make_move_iterator(v.end()));
  }
  require_unique_names(out);
  return out;
}

std::optional<std::string> unmet_need(const Check& c, const numerics::Scenario& sc) {
  const Needs& n = c.needs;
  const bool on_scenario = c.problem == "scenario";
  if (!n.form.empty() && !numerics::asks_for(sc.guidance_kind, n.form))
    return "checks " + n.form + " guidance; guidance.kind is \"" +
           numerics::guidance_choice_name(sc.guidance_kind) + "\"";
  if (!n.schedule.empty() && !sc.lists(parse_schedule(n.schedule, "schedule")))
    return "schedule \"" + n.schedule + "\" is not in schedule.names";
  if (!n.sampler.empty() && !sc.lists(numerics::parse_sampler(n.sampler, "sampler")))
    return "sampler \"" + n.sampler + "\" is not in samplers.names";
  if (n.positive_scale &&
      std::none_of(sc.guidance_scales.begin(), sc.guidance_scales.end(), [](double w) { return w > 0; }))
    return "guidance.scales has no w > 0";
  if (n.exact_start && sc.start != numerics::StartLaw::exact)
    return "needs monte_carlo.start = \"exact\" (its control is E[phi_0] = kappa); the scenario starts from "
           "\"" +
           numerics::start_law_name(sc.start) + "\"";
  if (!on_scenario) return std::nullopt;
  // Needs on the scenario's own problem.
  if (n.form == "cfg" && sc.data_set.empty() && sc.classes.size() < 2)
    return "CFG needs at least two classes; the scenario has one";
  if ((n.classes || n.one_dimensional || n.gaussian_data || n.max_dimension > 0) && !sc.data_set.empty())
    return "needs a mixture given by classes; the scenario is the data set \"" + sc.data_set + "\"";
  if (n.one_dimensional && sc.dimension != 1)
    return "needs a 1-D mixture (quadrature, Fokker-Planck or exact discrete laws); dimension is " +
           std::to_string(sc.dimension);
  if (n.max_dimension > 0 && sc.dimension > n.max_dimension)
    return "evaluated pointwise at 50 digits up to d = " + std::to_string(n.max_dimension) +
           "; dimension is " + std::to_string(sc.dimension);
  if (n.gaussian_data && sc.classes.size() != 1)
    return "needs the data law to be one Gaussian (exact Gaussian laws); the scenario has " +
           std::to_string(sc.classes.size()) + " classes";
  if (n.gaussian_data && sc.classes[0].components.size() != 1)
    return "needs the data law to be one Gaussian (exact Gaussian laws); its class has " +
           std::to_string(sc.classes[0].components.size()) + " components";
  return std::nullopt;
}

CheckPlan plan_checks(const numerics::Scenario& scenario, Suite suite,
                      const std::vector<std::string>& patterns, bool full) {
  const auto all = all_checks(scenario);
  CheckPlan plan;
  std::vector<bool> used(patterns.size(), false);
  for (const auto& c : all) {
    bool named = false, exact = false;
    for (std::size_t i = 0; i < patterns.size(); ++i)
      if (glob_match(patterns[i], c.name)) {
        used[i] = named = true;
        exact = exact || patterns[i] == c.name;
      }
    if (!patterns.empty() && !named) continue;
    const bool in_suite = suite == Suite::all || ((c.problem == "scenario") == (suite == Suite::scenario));
    std::optional<std::string> reason;
    if (!in_suite)
      reason = c.problem == "scenario" ? "the scenario's own problem (--suite scenario or all)"
                                       : "a built-in problem (--suite built-in or all)";
    else if (!full && !exact && !c.in_default)
      reason = "full set only (--full, or its exact name)";
    else
      reason = unmet_need(c, scenario);
    if (reason)
      plan.skipped.push_back({c.name, c.problem, *reason});
    else
      plan.run.push_back(c);
  }
  std::string unmatched;
  for (std::size_t i = 0; i < patterns.size(); ++i)
    if (!used[i]) unmatched += (unmatched.empty() ? "'" : ", '") + patterns[i] + "'";
  if (!unmatched.empty())
    throw std::invalid_argument("no check matches " + unmatched + " (see `gdverify check --list --full`)");
  return plan;
}

std::vector<double> scenario_scales(const numerics::Scenario& scenario) {
  std::vector<double> w = scenario.guidance_scales;
  w.push_back(0.0);
  std::sort(w.begin(), w.end());
  w.erase(std::unique(w.begin(), w.end()), w.end());
  return w;
}

std::vector<double> control_and_largest_scale(const numerics::Scenario& scenario) {
  const auto all = scenario_scales(scenario);
  if (all.size() == 1) return all;
  return {0.0, all.back()};
}

std::string primary_schedule(const numerics::Scenario& scenario) {
  return scenario.schedules.empty() ? "ou" : schedule_name(scenario.schedules.front());
}

}  // namespace gdverify::checks
