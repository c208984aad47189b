// The one registry of checks. Every check family registers here; each check
// declares the problem it runs on ("scenario" or "built-in:<name>") and what
// it needs from the scenario (Needs, checks/check.hpp). The registry, not the
// families, decides what runs on a scenario and says why the rest does not
// (docs/scenario.md "Which checks run").
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "gdverify/checks/check.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::checks {

/// Which problems to check: the scenario's own, gdverify's built-in
/// benchmark problems, or both.
enum class Suite { scenario, built_in, all };

/// "scenario", "built-in", "all" (the --suite vocabulary).
const char* suite_name(Suite s);
/// Throws std::invalid_argument naming `field` for any other name.
Suite parse_suite(const std::string& name, const std::string& field = "--suite");

struct CheckFamily {
  std::string name;  ///< e.g. "martingale (L1a, L1b)"
  std::function<std::vector<Check>(const numerics::Scenario&)> build;
};

/// Every family, in the order their checks are listed and run.
const std::vector<CheckFamily>& check_families();

/// Every check of every family for this scenario, whatever its needs
/// (names unique: std::logic_error otherwise).
std::vector<Check> all_checks(const numerics::Scenario& scenario);

/// The first need of `c` that `scenario` does not meet, as a sentence
/// naming the scenario key; nothing when every need is met.
std::optional<std::string> unmet_need(const Check& c, const numerics::Scenario& scenario);

struct SkippedCheck {
  std::string name;
  std::string problem;
  std::string reason;
};

struct CheckPlan {
  std::vector<Check> run;             ///< in registry order
  std::vector<SkippedCheck> skipped;  ///< selected by name, but not run, with the reason
};

/// The checks selected by `patterns` (CLI globs; all when empty) that run on
/// `scenario` in `suite`: a check outside the suite, with an unmet need, or in
/// the full set without `full` (globs; an exact name runs it) is skipped with
/// its reason. Throws std::invalid_argument naming every pattern that matches
/// no check at all.
CheckPlan plan_checks(const numerics::Scenario& scenario, Suite suite,
                      const std::vector<std::string>& patterns, bool full);

/// The guidance scales a family runs on the scenario's problem: w = 0 (the
/// control, always first) and every w of guidance.scales, in increasing order
/// and without repeats. docs/scenario.md "Guidance scales" says which family
/// uses which of them.
std::vector<double> scenario_scales(const numerics::Scenario& scenario);

/// w = 0 and the largest w of guidance.scales (the control and the hardest
/// case): the scales of the families too costly to solve at every w in the
/// default set (docs/scenario.md "Guidance scales").
std::vector<double> control_and_largest_scale(const numerics::Scenario& scenario);

/// The first of schedule.names: the default set runs the scenario's
/// schedule-specific costly checks (Monte Carlo T1/T3, T2 weak orders,
/// Fokker-Planck) on it; the other listed schedules are in the full set
/// (docs/scenario.md "Which checks run").
std::string primary_schedule(const numerics::Scenario& scenario);

}  // namespace gdverify::checks
