#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "gdverify/convergence/convergence_study.hpp"

namespace gdverify::convergence {
namespace {

TEST(FitOrder, ExactPowerLawGivesItsOrderAndAZeroWidthInterval) {
  std::vector<double> n = {8, 16, 32, 64, 128};
  std::vector<double> e;
  for (double v : n) e.push_back(3.0 / (v * v));
  const auto f = fit_order(n, e);
  // log/exp round trips: a few eps of log(e) ~ 10 over log-range ~ 2.8
  const double tol = 64 * std::numeric_limits<double>::epsilon() * 10;
  EXPECT_NEAR(f.order, 2.0, tol);
  EXPECT_NEAR(f.intercept, std::log(3.0), tol * 10);
  EXPECT_LE(f.upper - f.lower, tol * 10);
}

TEST(FitOrder, NoisyDataGetAnIntervalContainingTheTruth) {
  // log-errors perturbed by a fixed +-0.05 pattern: the 95% interval must be
  // wider than zero and contain the true order 1.
  std::vector<double> n = {4, 8, 16, 32, 64, 128};
  std::vector<double> e;
  for (std::size_t i = 0; i < n.size(); ++i) e.push_back(std::exp((i % 2 ? 0.05 : -0.05)) / n[i]);
  const auto f = fit_order(n, e);
  EXPECT_GT(f.upper - f.lower, 0.0);
  EXPECT_LT(f.lower, 1.0);
  EXPECT_GT(f.upper, 1.0);
}

TEST(FitOrder, RejectsTooFewOrNonPositivePoints) {
  EXPECT_THROW(fit_order({1, 2}, {1, 0.5}), std::invalid_argument);
  EXPECT_THROW(fit_order({1, 2, 4}, {1, 0, 0.25}), std::invalid_argument);
}

TEST(ConvergenceStudy, FitsOnlyTheAsymptoticRange) {
  ConvergenceStudy s;
  s.axis = {1, 2, 4, 8, 16};
  s.errors["abs"] = {5.0, 0.5, 0.25, 0.125, 0.0625};  // pre-asymptotic first point
  s.fit(2);
  EXPECT_NEAR(s.fits["abs"].order, 1.0, 1e-12);
  EXPECT_EQ(s.fits["abs"].points, 4u);
}

}  // namespace
}  // namespace gdverify::convergence
