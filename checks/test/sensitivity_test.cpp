// Every check must be able to fail: feeding a deliberately wrong ingredient
// (a score perturbed by 1e-6, the sign of w flipped, the ODE drift in place
// of the SDE drift, a wrong schedule derivative, a wrong prior) makes the
// corresponding check report failure.
#include <gtest/gtest.h>

#include "gdverify/checks/precision_checks.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
namespace {

CheckResult run(const std::string& name, const Perturbation& p) {
  for (const auto& c : precision_checks(default_scenario()))
    if (c.name == name) return c.run(p);
  ADD_FAILURE() << "no check " << name;
  return {};
}

void expect_detected(const std::string& name, const Perturbation& p) {
  EXPECT_TRUE(holds(run(name, {}).verdict)) << name << " fails unperturbed";
  const auto r = run(name, p);
  EXPECT_EQ(r.verdict, Verdict::fail) << name << " missed the perturbation: residual " << r.residual;
}

TEST(Sensitivity, PerturbedScore) {
  Perturbation p;
  p.score_error = 1e-6;
  expect_detected("L1c.generator.ou.cfg.scenario", p);
  expect_detected("T1.dissipation-pointwise.vp-linear.reward.random-d2", p);
  expect_detected("CFG=R.equivalence.ou", p);
  expect_detected("R2.reweighted-dsm.linear", p);
}

TEST(Sensitivity, FlippedGuidanceSign) {
  Perturbation p;
  p.flip_guidance_sign = true;
  expect_detected("T1.dissipation-pointwise.ou.cfg.scenario", p);
  expect_detected("T1.dissipation-pointwise.linear.reward.random-d5", p);
}

TEST(Sensitivity, OdeDriftInPlaceOfSdeDrift) {
  Perturbation p;
  p.ode_drift = true;
  expect_detected("L1c.generator.ou.reward.scenario", p);
  expect_detected("T1.dissipation-pointwise.vp-linear.cfg.random-d2", p);
}

TEST(Sensitivity, WrongScheduleDerivative) {
  Perturbation p;
  p.schedule_error = 1e-6;
  expect_detected("L1c.generator.linear.cfg.random-d2", p);
  expect_detected("L1b.process-martingale.ou.cfg", p);
}

TEST(Sensitivity, WrongPrior) {
  Perturbation p;
  p.prior_error = 1e-6;
  expect_detected("L1a.marginal-martingale.ou.cfg", p);
  expect_detected("CFG=R.equivalence.vp-linear", p);
}

}  // namespace
}  // namespace gdverify::checks
