// What a certified verdict and a failed enclosure must show, shared by the
// certified-check tests of this module.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "gdverify/checks/check.hpp"

namespace gdverify::checks {

/// `r` is certified, and its enclosure contains 0 and lies wholly within the tolerance.
inline void expect_certified_within_tolerance(const CheckResult& r) {
  ASSERT_EQ(r.verdict, Verdict::certified)
      << r.name << " " << (r.details.count("not certified") ? r.details.at("not certified") : "");
  ASSERT_TRUE(r.enclosure.has_value()) << r.name;
  const double lo = std::stod(r.enclosure->lower), hi = std::stod(r.enclosure->upper);
  EXPECT_LE(lo, 0.0) << r.name;
  EXPECT_GE(hi, 0.0) << r.name;
  EXPECT_LE(std::max(-lo, hi), r.tolerance) << r.name;  // the whole enclosure within the tolerance
}

/// `r` fails with an enclosure that excludes 0, although its residual lies
/// within the tolerance (an estimate alone would have passed).
inline void expect_enclosure_excludes_zero(const CheckResult& r) {
  EXPECT_EQ(r.verdict, Verdict::fail) << r.name;
  ASSERT_TRUE(r.enclosure.has_value()) << r.name;
  EXPECT_TRUE(std::stod(r.enclosure->lower) > 0 || std::stod(r.enclosure->upper) < 0)
      << r.name << " [" << r.enclosure->lower << ", " << r.enclosure->upper << "]";
  EXPECT_LE(r.residual, r.tolerance) << r.name << ": the estimate alone would have passed";
}

}  // namespace gdverify::checks
