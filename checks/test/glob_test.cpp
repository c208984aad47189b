#include <gtest/gtest.h>

#include "gdverify/checks/check.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
namespace {

TEST(Glob, MatchesLikeAShell) {
  EXPECT_TRUE(glob_match("L1b.*", "L1b.process-martingale.ou.cfg"));
  EXPECT_TRUE(glob_match("*.ou.*", "L1a.marginal-martingale.ou.cfg"));
  EXPECT_FALSE(glob_match("*.ou.*", "L1a.marginal-martingale.linear.cfg"));
  EXPECT_TRUE(glob_match("T?.*", "T1.dissipation-pointwise.ou.cfg.d2"));
  EXPECT_TRUE(glob_match("CFG=R*", "CFG=R.equivalence.ou"));
  EXPECT_FALSE(glob_match("L1a", "L1a.marginal"));
  EXPECT_TRUE(glob_match("*", ""));
}

}  // namespace
}  // namespace gdverify::checks
