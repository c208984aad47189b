// The default set of each deterministic check family passes on the built-in
// scenario, and the Fokker-Planck family fails with the sign of w flipped.
#include <gtest/gtest.h>

#include <string>

#include "gdverify/checks/degraded_set_checks.hpp"
#include "gdverify/checks/exact_law_checks.hpp"
#include "gdverify/checks/fokker_planck_checks.hpp"
#include "gdverify/checks/registry.hpp"

namespace gdverify::checks {
namespace {

using numerics::default_scenario;

TEST(FokkerPlanckChecks, DefaultSetPassesAndDetectsAWrongDissipation) {
  Perturbation p;
  p.flip_guidance_sign = true;  // the checks' hook: the sign of w flipped in the dissipation
  int n = 0;
  for (const auto& c : fokker_planck_checks(default_scenario())) {
    if (!c.in_default || unmet_need(c, default_scenario())) continue;
    ++n;
    const auto ok = c.run({});
    EXPECT_EQ(ok.verdict, Verdict::pass) << c.name << " " << ok.residual;
    EXPECT_EQ(c.run(p).verdict, Verdict::fail) << c.name;
  }
  EXPECT_EQ(n, 2);
}

TEST(ExactLawChecks, DefaultSetPasses) {
  for (const auto& c : exact_law_checks(default_scenario())) {
    if (!c.in_default || unmet_need(c, default_scenario())) continue;
    const auto r = c.run({});
    EXPECT_EQ(r.verdict, Verdict::pass) << r.name << " residual " << r.residual;
  }
}

// The counterexample is certified (its enclosure's lower end >= 1e-6, and the
// check itself fails when the RK4 estimate lies outside the enclosure,
// checks/test/certified_degraded_test.cpp); the others pass or are certified.
TEST(DegradedSetChecks, DefaultSetPasses) {
  for (const auto& c : degraded_set_checks(default_scenario())) {
    if (!c.in_default || unmet_need(c, default_scenario())) continue;
    const auto r = c.run({});
    if (c.name == "T3.degraded-set.ode.counterexample") {
      EXPECT_EQ(r.verdict, Verdict::certified) << r.lhs;
      ASSERT_TRUE(r.enclosure.has_value());
      EXPECT_GE(std::stod(r.enclosure->lower), 1e-6);
      EXPECT_EQ(r.details.count("estimate outside the enclosure"), 0U);
    }
    EXPECT_TRUE(r.verdict == Verdict::pass || r.verdict == Verdict::certified)
        << r.name << " P(degraded) " << r.lhs;
  }
}

}  // namespace
}  // namespace gdverify::checks
