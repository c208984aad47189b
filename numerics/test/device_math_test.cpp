// The Monte Carlo kernels' own exp, log and sincos (numerics/src/device/device_math.hpp)
// against the C library in long double, and their special values.
//
// Tolerances come from counting roundings, not from a run:
//   exp: the reduction r = (x - n ln2_hi) - n ln2_lo is exact up to its last
//        rounding (1/2 ulp of |r| <= 0.35), Horner's last step p r + 1 rounds
//        once (1/2 ulp), the earlier steps are damped by |r|, truncation is
//        4e-18 relative and the scaling by 2^n is exact: < 2 ulp in all.
//   log: f = m - 1 is exact, s = f / (2 + f) carries two roundings (1 ulp),
//        2 s + s^3 p and e ln2_hi + (e ln2_lo + log m) one each: < 3 ulp.
//   sin/cos(2 pi v): the quarter-turn reduction is exact, r = a * 2pi rounds
//        once (1/2 ulp of pi/4), the polynomials a few half-ulps of 1:
//        < 4 * 2^-53 absolute.
// The reference is long double (64-bit significand), 2^11 times finer.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "device/device_math.hpp"

namespace gdverify::numerics::device {
namespace {

double ulps(double value, long double reference) {
  const double r = static_cast<double>(reference);
  const double ulp = std::nextafter(std::fabs(r), std::numeric_limits<double>::infinity()) - std::fabs(r);
  return static_cast<double>(std::fabs(static_cast<long double>(value) - reference)) / ulp;
}

TEST(DeviceMath, ExpWithinTwoUlpsOnItsNormalRange) {
  std::mt19937_64 gen(20261123);
  std::uniform_real_distribution<double> x_of(-708.0, 709.78);
  double worst = 0;
  for (int i = 0; i < 400000; ++i) {
    const double x = x_of(gen);
    worst = std::max(worst, ulps(dexp(x), std::exp(static_cast<long double>(x))));
  }
  for (double x : {-1e-300, 1e-300, 1e-10, -0.5, 0.34657359027997264, -0.34657359027997264, 1.0, 700.0})
    worst = std::max(worst, ulps(dexp(x), std::exp(static_cast<long double>(x))));
  EXPECT_LT(worst, 2.0);
  RecordProperty("worst_ulps", std::to_string(worst));
}

TEST(DeviceMath, ExpSpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(dexp(0.0), 1.0);  // exactly: the softmax factor of the largest term
  EXPECT_EQ(dexp(-inf), 0.0);
  EXPECT_EQ(dexp(-1e300), 0.0);
  EXPECT_EQ(dexp(-708.5), 0.0);  // the subnormal range is flushed
  EXPECT_EQ(dexp(inf), inf);
  EXPECT_EQ(dexp(710.0), inf);
  EXPECT_TRUE(std::isfinite(dexp(709.78)));
  EXPECT_TRUE(std::isnan(dexp(std::nan(""))));
}

TEST(DeviceMath, LogWithinThreeUlpsIncludingSubnormals) {
  std::mt19937_64 gen(20261124);
  std::uniform_real_distribution<double> e_of(-744.0, 709.0), near_one(-0.01, 0.01);
  double worst = 0;
  for (int i = 0; i < 400000; ++i) {
    const double x = std::exp(e_of(gen));
    worst = std::max(worst, ulps(dlog(x), std::log(static_cast<long double>(x))));
    const double y = 1.0 + near_one(gen);
    if (y != 1.0) worst = std::max(worst, ulps(dlog(y), std::log(static_cast<long double>(y))));
  }
  for (double x : {std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::min(),
                   std::numeric_limits<double>::max(), 0.5, 2.0, 1.4142135623730951, 0.7071067811865476})
    worst = std::max(worst, ulps(dlog(x), std::log(static_cast<long double>(x))));
  EXPECT_LT(worst, 3.0);
  RecordProperty("worst_ulps", std::to_string(worst));
}

TEST(DeviceMath, LogSpecialValues) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(dlog(1.0), 0.0);
  EXPECT_EQ(dlog(0.0), -inf);
  EXPECT_EQ(dlog(inf), inf);
  EXPECT_TRUE(std::isnan(dlog(-1.0)));
  EXPECT_TRUE(std::isnan(dlog(-inf)));
  EXPECT_TRUE(std::isnan(dlog(std::nan(""))));
}

TEST(DeviceMath, SinCosOfTwoPiVWithinFourHalfUlpsOfOne) {
  const long double two_pi = 6.283185307179586476925286766559005768L;
  std::mt19937_64 gen(20261125);
  std::uniform_real_distribution<double> v_of(0.0, 1.0);
  double worst = 0;
  auto check = [&](double v) {
    double s = 0, c = 0;
    dsincos_2pi(v, s, c);
    const long double a = two_pi * static_cast<long double>(v);
    worst = std::max(worst, static_cast<double>(std::fabs(s - std::sin(a)) / 0x1p-53L));
    worst = std::max(worst, static_cast<double>(std::fabs(c - std::cos(a)) / 0x1p-53L));
  };
  for (int i = 0; i < 400000; ++i) check(v_of(gen));
  for (double v : {0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1.0 - 0x1p-52}) check(v);
  EXPECT_LT(worst, 4.0);
  double s = 1, c = 0;
  dsincos_2pi(0.0, s, c);
  EXPECT_EQ(s, 0.0);
  EXPECT_EQ(c, 1.0);
}

TEST(DeviceMath, FiniteTestMatchesTheStandardOne) {
  for (double x :
       {0.0, -0.0, 1.0, -1e308, std::numeric_limits<double>::denorm_min(),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), std::nan("")})
    EXPECT_EQ(dfinite(x), std::isfinite(x)) << x;
}

}  // namespace
}  // namespace gdverify::numerics::device
