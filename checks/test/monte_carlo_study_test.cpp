// The Monte Carlo error study: order 1/2 within its derived tolerance, and the
// check fails when the replicates behind the tolerance are taken away.
#include <gtest/gtest.h>

#include "gdverify/checks/sampling_error_checks.hpp"
#include "gdverify/convergence/monte_carlo_study.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
using namespace gdverify::convergence;
namespace {

TEST(MonteCarloStudy, ErrorFallsAsInverseSquareRootOfPaths) {
  const auto checks = sampling_error_checks(numerics::default_scenario());
  ASSERT_EQ(checks.size(), 1u);
  const auto ok = checks[0].run({});
  EXPECT_EQ(ok.verdict, checks::Verdict::pass) << ok.lhs << " tol " << ok.tolerance;
  EXPECT_GT(ok.tolerance, 0.0);
  EXPECT_LT(ok.tolerance, 0.2);
  checks::Perturbation p;
  p.flip_guidance_sign = true;
  EXPECT_EQ(checks[0].run(p).verdict, checks::Verdict::fail);
}

TEST(MonteCarloStudy, StudyObjectHoldsAxisErrorsAndTimes) {
  const auto res =
      monte_carlo_error_study(numerics::default_scenario(), "cfg-pair", 2, numerics::SamplerKind::heun, 8);
  EXPECT_EQ(res.study.axis.size(), 7u);
  EXPECT_EQ(res.study.seconds.size(), 7u);
  EXPECT_EQ(res.study.errors.at("rms error of E[log phi]").size(), 7u);
  EXPECT_TRUE(res.study.fits.count("rms error of E[log phi]"));
}

}  // namespace
}  // namespace gdverify::checks
