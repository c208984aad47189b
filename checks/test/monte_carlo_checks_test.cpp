// The Monte Carlo checks pass on their scenarios and every one of them can
// fail: a wrong ingredient (the sign of w flipped, or a wrong prior, which
// the engine checks turn into guidance of the wrong class or no guidance at
// all) makes each report failure.
#include <gtest/gtest.h>

#include "gdverify/checks/monte_carlo_checks.hpp"
#include "gdverify/checks/registry.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
namespace {

TEST(MonteCarloChecks, DefaultSetPassesAndDetectsWrongIngredients) {
  Perturbation flipped;
  flipped.flip_guidance_sign = true;
  int run = 0;
  for (const auto& c : monte_carlo_checks(default_scenario())) {
    if (!c.in_default || c.name.find(".mc.scenario.") != std::string::npos ||
        unmet_need(c, default_scenario()))
      continue;
    ++run;
    const auto ok = c.run({});
    EXPECT_EQ(ok.verdict, Verdict::pass) << c.name << ": " << ok.lhs;
    EXPECT_EQ(ok.details.at("failed_assertions"), "0") << c.name;
    const auto bad = c.run(flipped);
    EXPECT_EQ(bad.verdict, Verdict::fail) << c.name << " missed the wrong ingredient";
  }
  EXPECT_EQ(run, 10);
}

TEST(MonteCarloChecks, ScenarioChecksPassFailAndSayWhenTheyCannotDecide) {
  // The default scenario at 2^14 paths, N = 128, ou: reward guidance has finite
  // Var phi, so T1 and T3 decide (at N = 32 the w = 0 control already shows the
  // discretisation bias at t = delta, and the verdict is inconclusive). The
  // engine takes no w < 0, so the flipped sign runs w = 0 only: with no
  // guided run the checks cannot pass. CFG towards the narrow class has
  // Var phi = infinity under the unguided law: inconclusive.
  Scenario sc = default_scenario();
  sc.paths = 1L << 14;
  sc.steps = {128};
  Perturbation flipped;
  flipped.flip_guidance_sign = true;
  int seen = 0;
  for (const auto& c : monte_carlo_checks(sc)) {
    if (c.name.find(".mc.scenario.ou.") == std::string::npos) continue;
    ++seen;
    const auto ok = run_check(c);
    if (c.needs.form == "reward") {
      EXPECT_EQ(ok.verdict, Verdict::pass) << c.name << ": " << ok.lhs;
      EXPECT_NE(run_check(c, flipped).verdict, Verdict::pass) << c.name << " passed with no guided run";
      EXPECT_FALSE(ok.quantities.empty());
    } else {
      EXPECT_EQ(ok.verdict, Verdict::inconclusive) << c.name;
      EXPECT_NE(ok.details.at("reason").find("Var phi"), std::string::npos);
    }
  }
  EXPECT_EQ(seen, 8);
}

TEST(MonteCarloChecks, AFailedControlIsInconclusiveNeverPass) {
  // digits at 512 paths: the w = 0 estimate of E[phi] ends near 1, the exact kappa is
  // 1/pi_c ~ 10.1 (the mean sits on points no path reaches), so the guided
  // assertions, however well they pass, are not evidence.
  int seen = 0;
  for (const auto& c : monte_carlo_checks(default_scenario())) {
    if (c.name != "T1.mc.digits" && c.name != "T3.mc.digits") continue;
    ++seen;
    const auto r = c.run({});
    EXPECT_EQ(r.verdict, Verdict::inconclusive) << c.name;
    EXPECT_NE(r.details.at("reason").find("control"), std::string::npos) << r.details.at("reason");
  }
  EXPECT_EQ(seen, 2);
}

TEST(MonteCarloChecks, AnUnresolvedControlOnTheScenarioIsInconclusive) {
  // iris, CFG, 4096 paths at N = 32: the w = 0 interval contains kappa = 3 only
  // because it is astronomically wide (measured: 5.3e130 +- 3.1e131 at the data
  // end), so the falsification-only scenario checks could not see a rise.
  Scenario sc = default_scenario();
  sc.data_set = "iris";
  sc.dimension = 4;
  sc.classes.clear();
  sc.reward = {{0, 0, 0, 0}, std::vector<double>(16, 0.0), {0, 0, 0, 0}};
  sc.guidance_scales = {2.0};
  sc.steps = {32};
  sc.paths = 4096;
  int seen = 0;
  for (const auto& c : monte_carlo_checks(sc)) {
    if (c.name != "T1.mc.scenario.ou.cfg.euler-maruyama" && c.name != "T3.mc.scenario.ou.cfg.euler-maruyama")
      continue;
    ++seen;
    const auto r = run_check(c);
    EXPECT_EQ(r.verdict, Verdict::inconclusive) << c.name << ": " << r.lhs;
    EXPECT_NE(r.details.at("reason").find("control"), std::string::npos) << r.details.at("reason");
  }
  EXPECT_EQ(seen, 2);
}

TEST(MonteCarloChecks, TheEnginesCfgBranchIsComparedWithAnExactLawWithUnequalPriors) {
  for (const auto& c : monte_carlo_checks(default_scenario())) {
    if (c.name != "MC.cfg-exact-law.unequal-priors") continue;
    EXPECT_EQ(c.run({}).verdict, Verdict::pass);
    Perturbation prior;
    prior.prior_error = 0.1;  // the engine's guided class has prior 0.33, the truth 0.3
    EXPECT_EQ(c.run(prior).verdict, Verdict::fail) << "a 10% prior error went unnoticed";
    Perturbation other;
    other.prior_error = 0.7 / 0.3 - 1;  // the other class's prior
    EXPECT_EQ(c.run(other).verdict, Verdict::fail);
    Perturbation flipped;
    flipped.flip_guidance_sign = true;
    EXPECT_EQ(c.run(flipped).verdict, Verdict::fail);
    return;
  }
  FAIL() << "MC.cfg-exact-law.unequal-priors is not registered";
}

TEST(MonteCarloChecks, BudgetOfStatisticalAssertions) {
  // The level per assertion is the CI budget split over the budgeted count.
  EXPECT_DOUBLE_EQ(kStatisticalAlpha * kBudgetedAssertions, kFalseFailureBudget);
  EXPECT_LE(kFalseFailureBudget, 1e-6);
}

}  // namespace
}  // namespace gdverify::checks
