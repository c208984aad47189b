// T2 checks of the default set pass, and a weak-error study has the shape a
// report needs (axis, errors aligned, a fit with an interval).
#include <gtest/gtest.h>

#include <cmath>

#include "gdverify/checks/discretisation_checks.hpp"
#include "gdverify/checks/registry.hpp"
#include "gdverify/convergence/weak_error_study.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
using namespace gdverify::convergence;
namespace {

TEST(DiscretisationChecks, DefaultSetPasses) {
  int run = 0;
  const auto sc = numerics::default_scenario();
  for (const auto& c : discretisation_checks(sc)) {
    if (!c.in_default || unmet_need(c, sc)) continue;
    const auto r = c.run({});
    ++run;
    EXPECT_EQ(r.verdict, checks::Verdict::pass) << r.name << " order " << r.lhs;
  }
  EXPECT_EQ(run, 5);  // EM, DDPM, DDIM, Heun on ou/reward, and the theory-schedule DDPM
}

TEST(DiscretisationChecks, HeunIsMeasuredSecondOrderNotAssumed) {
  // Heun without its corrector is Euler on the ODE: order 1, and the check must fail
  // (planted once in the oracle's Heun step: the fitted order fell to 1.0025).
  const auto s =
      weak_error_study(numerics::default_scenario(), "ou", "reward", numerics::SamplerKind::heun, 1.0);
  const auto& fit = s.fits.at("weak |E phi_N - E phi|");
  EXPECT_NEAR(fit.order, 2.0, 0.1);
  EXPECT_GT(std::abs(fit.order - 1.0), 0.5);
}

TEST(DiscretisationChecks, StudyIsAlignedAndFitted) {
  const auto s =
      weak_error_study(numerics::default_scenario(), "ou", "reward", numerics::SamplerKind::ddpm, 1.0);
  ASSERT_FALSE(s.axis.empty());
  for (const auto& [norm, v] : s.errors) EXPECT_EQ(v.size(), s.axis.size()) << norm;
  const auto& fit = s.fits.at("weak |E phi_N - E phi|");
  EXPECT_LT(fit.lower, fit.upper);
  EXPECT_NEAR(fit.order, 1.0, 0.1);
}

TEST(DiscretisationChecks, WeakOrderVerdictsHoldAtTheEndsOfTheDocumentedRange) {
  // early_stop at both ends of [1e-6, 0.5), every schedule and sampler, w = 10
  // (the largest scale of the default scenario) on the scenario's own
  // one-Gaussian reward problem: a verdict is pass, or inconclusive where the
  // drift is too stiff for the computed N (linear at delta = 1e-6: |f| =
  // 1/(2 delta) = 5e5), never fail.
  for (double delta : {1e-6, 0.45}) {
    Scenario sc = numerics::default_scenario();
    sc.classes = {ClassSpecD{1.0, {ComponentSpec{1.0, {0.5}, {0.3}}}}};
    sc.guidance_kind = GuidanceChoice::reward;
    sc.early_stop = delta;
    sc.guidance_scales = {10.0};
    for (const auto& c : discretisation_checks(sc)) {
      if (c.name.find(".reward.scenario") == std::string::npos) continue;
      const auto r = c.run({});
      EXPECT_NE(r.verdict, Verdict::fail)
          << "delta " << delta << " " << r.name << " order " << r.lhs << " "
          << (r.details.count("order_95ci") ? r.details.at("order_95ci") : "");
      if (delta == 1e-6 && r.name.find(".linear.") != std::string::npos) {
        EXPECT_EQ(r.verdict, Verdict::inconclusive) << r.name;
      }
    }
  }
}

}  // namespace
}  // namespace gdverify::checks
