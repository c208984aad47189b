// The registry decides what runs on a scenario and says why the rest does not.
#include <gtest/gtest.h>

#include <algorithm>

#include "gdverify/checks/registry.hpp"

namespace gdverify::checks {
namespace {

using numerics::ClassSpecD;
using numerics::ComponentSpec;
using numerics::Scenario;

bool runs(const CheckPlan& p, const std::string& name) {
  return std::any_of(p.run.begin(), p.run.end(), [&](const Check& c) { return c.name == name; });
}

std::string reason(const CheckPlan& p, const std::string& name) {
  for (const auto& k : p.skipped)
    if (k.name == name) return k.reason;
  return "";
}

/// A 3-D scenario of one Gaussian class with a reward, reward guidance only.
Scenario one_gaussian_reward_3d() {
  Scenario s;
  s.name = "one-gaussian";
  s.dimension = 3;
  s.classes = {ClassSpecD{1.0, {ComponentSpec{1.0, {0, 0, 0}, {1, 0, 0, 0, 2, 0, 0, 0, 0.5}}}}};
  s.reward = {{1, 1, 1}, {1, 0, 0, 0, 1, 0, 0, 0, 1}, {0, 0, 0}};
  s.guidance_kind = numerics::GuidanceChoice::reward;
  s.schedules = {ScheduleKind::ou};
  s.samplers = {numerics::SamplerKind::ddpm};
  return s;
}

TEST(Registry, EveryCheckNamesItsProblem) {
  for (const auto& c : all_checks(numerics::default_scenario()))
    EXPECT_TRUE(c.problem == "scenario" || c.problem.starts_with("built-in:")) << c.name << " " << c.problem;
}

TEST(Registry, ScenarioSuiteRunsOnlyTheScenariosProblem) {
  const auto plan = plan_checks(numerics::default_scenario(), Suite::scenario, {}, false);
  ASSERT_FALSE(plan.run.empty());
  for (const auto& c : plan.run) EXPECT_EQ(c.problem, "scenario") << c.name;
  EXPECT_EQ(reason(plan, "MC.gaussian-agreement.d2"), "a built-in problem (--suite built-in or all)");
  const auto builtin = plan_checks(numerics::default_scenario(), Suite::built_in, {}, false);
  for (const auto& c : builtin.run) EXPECT_TRUE(c.problem.starts_with("built-in:")) << c.name;
}

TEST(Registry, KindSchedulesSamplersAndClassesAreHonoured) {
  const auto sc = one_gaussian_reward_3d();
  const auto plan = plan_checks(sc, Suite::all, {}, true);
  for (const auto& c : plan.run) {
    EXPECT_NE(c.needs.form, "cfg") << c.name;
    EXPECT_TRUE(c.needs.schedule.empty() || c.needs.schedule == "ou") << c.name;
    EXPECT_TRUE(c.needs.sampler.empty() || c.needs.sampler == "ddpm") << c.name;
  }
  // The exact Gaussian law and the Monte Carlo checks run on this 3-D problem.
  EXPECT_TRUE(runs(plan, "T1.exact-dissipation.ou.reward.scenario"));
  EXPECT_TRUE(runs(plan, "T2.weak-order.ddpm.ou.reward.scenario"));
  EXPECT_TRUE(runs(plan, "T1.mc.scenario.ou.reward.ddpm"));
  EXPECT_TRUE(runs(plan, "L1c.generator.ou.reward.scenario"));
  EXPECT_EQ(reason(plan, "T1.mc.scenario.ou.cfg.ddpm"), "checks cfg guidance; guidance.kind is \"reward\"");
  EXPECT_EQ(reason(plan, "T2.weak-order.heun.ou.reward.scenario"),
            "sampler \"heun\" is not in samplers.names");
  EXPECT_EQ(reason(plan, "L1a.marginal-martingale.linear.reward"),
            "schedule \"linear\" is not in schedule.names");
  EXPECT_NE(reason(plan, "L1a.marginal-martingale.ou.reward").find("1-D"), std::string::npos);
}

TEST(Registry, OneClassGetsNoCfgCheck) {
  auto sc = one_gaussian_reward_3d();
  sc.guidance_kind = numerics::GuidanceChoice::both;
  const auto plan = plan_checks(sc, Suite::scenario, {}, true);
  for (const auto& c : plan.run) EXPECT_NE(c.needs.form, "cfg") << c.name;
  EXPECT_EQ(reason(plan, "L1c.generator.ou.cfg.scenario"),
            "CFG needs at least two classes; the scenario has one");
}

TEST(Registry, GlobsTakeTheDefaultSetUnlessFull) {
  const auto sc = numerics::default_scenario();
  const auto plan = plan_checks(sc, Suite::all, {"T3.*"}, false);
  EXPECT_FALSE(runs(plan, "T3.gmm-experiment.ode"));
  EXPECT_EQ(reason(plan, "T3.gmm-experiment.ode"), "full set only (--full, or its exact name)");
  EXPECT_TRUE(runs(plan_checks(sc, Suite::all, {"T3.*"}, true), "T3.gmm-experiment.ode"));
  EXPECT_TRUE(runs(plan_checks(sc, Suite::all, {"T3.gmm-experiment.ode"}, false), "T3.gmm-experiment.ode"));
  EXPECT_THROW(plan_checks(sc, Suite::all, {"T3.*", "T9.*"}, false), std::invalid_argument);
}

TEST(Registry, StandardNormalStartSkipsTheControlledMonteCarloChecks) {
  auto sc = numerics::default_scenario();
  sc.start = numerics::StartLaw::standard_normal;
  const auto plan = plan_checks(sc, Suite::scenario, {"T1.mc.*"}, false);
  EXPECT_TRUE(plan.run.empty());
  EXPECT_NE(reason(plan, "T1.mc.scenario.ou.cfg.euler-maruyama").find("monte_carlo.start"),
            std::string::npos);
}

TEST(Registry, ScalesAlwaysStartWithTheControl) {
  auto sc = numerics::default_scenario();
  sc.guidance_scales = {2.0, 0.5, 2.0};
  EXPECT_EQ(scenario_scales(sc), (std::vector<double>{0.0, 0.5, 2.0}));
}

TEST(RunCheck, AThrowingCheckIsAnError) {
  // A check that throws does not stop the run: it becomes an error verdict with the message.
  Check c;
  c.name = "X.throws";
  c.problem = "scenario";
  c.run = [](const Perturbation&) -> CheckResult { throw std::runtime_error("fit_order: no points"); };
  const auto r = run_check(c);
  EXPECT_EQ(r.verdict, Verdict::error);
  EXPECT_NE(r.details.at("error").find("fit_order"), std::string::npos);
  EXPECT_EQ(r.problem, "scenario");
}

}  // namespace
}  // namespace gdverify::checks
