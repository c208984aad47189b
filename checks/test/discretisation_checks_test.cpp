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

}  // namespace
}  // namespace gdverify::checks
