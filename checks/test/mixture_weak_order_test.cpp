// T2 on the 1-D mixture: Euler-Maruyama's weak order is 1 (Chapman-Kolmogorov
// against Fokker-Planck), and the check fails when the sampler's guidance is wrong.
#include <gtest/gtest.h>

#include "gdverify/checks/mixture_weak_order_checks.hpp"
#include "gdverify/convergence/mixture_weak_order.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
using namespace gdverify::convergence;
namespace {

TEST(MixtureWeakOrder, EulerMaruyamaRewardIsFirstOrder) {
  const auto checks = mixture_discretisation_checks(numerics::default_scenario());
  ASSERT_EQ(checks.size(), 6u);
  for (const auto& c : checks) {
    if (c.name != "T2.weak-order.euler-maruyama.ou.reward.mixture") continue;
    const auto ok = c.run({});
    EXPECT_EQ(ok.verdict, checks::Verdict::pass) << ok.lhs;
    checks::Perturbation p;
    p.flip_guidance_sign = true;
    EXPECT_EQ(c.run(p).verdict, checks::Verdict::fail);
  }
}

}  // namespace
}  // namespace gdverify::checks
