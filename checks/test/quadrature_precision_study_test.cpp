// Quadrature error against precision: within eps^0.9 at every precision,
// error exponent ~1, and a wrong constant is caught.
#include <gtest/gtest.h>

#include "gdverify/checks/quadrature_precision_checks.hpp"
#include "gdverify/convergence/quadrature_precision_study.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
using namespace gdverify::convergence;
namespace {

TEST(QuadraturePrecision, ErrorFollowsThePrecision) {
  const auto checks = quadrature_precision_checks(numerics::default_scenario());
  ASSERT_EQ(checks.size(), 1u);
  const auto ok = checks[0].run({});
  EXPECT_EQ(ok.verdict, checks::Verdict::pass) << ok.lhs;
  checks::Perturbation p;
  p.prior_error = 1e-30;  // invisible in double, visible from 32 digits on
  EXPECT_EQ(checks[0].run(p).verdict, checks::Verdict::fail);
  const auto study = quadrature_precision_study(numerics::default_scenario());
  const auto& fit = study.fits.at("relative error |E_q[phi] - kappa| / kappa");
  EXPECT_GT(fit.order, 0.9);
}

}  // namespace
}  // namespace gdverify::checks
