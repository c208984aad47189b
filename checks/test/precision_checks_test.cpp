// Every precision check of the default scenario passes, and its residual is
// reported against a tolerance at least as tight as the project's bounds.
#include <gtest/gtest.h>

#include "gdverify/checks/precision_checks.hpp"

namespace gdverify::checks {
using namespace gdverify::numerics;
namespace {

class PrecisionCheck : public ::testing::TestWithParam<std::string> {};

const std::vector<Check>& default_checks() {
  static const std::vector<Check> checks = precision_checks(default_scenario());
  return checks;
}

std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const auto& c : default_checks()) out.push_back(c.name);
  return out;
}

TEST_P(PrecisionCheck, Passes) {
  for (const auto& c : default_checks()) {
    if (c.name != GetParam()) continue;
    const CheckResult r = c.run({});
    EXPECT_EQ(r.verdict, Verdict::pass) << r.name << ": residual " << r.residual << " > tolerance "
                                        << r.tolerance << "\n lhs " << r.lhs << "\n rhs " << r.rhs;
    EXPECT_EQ(r.scalar, "mpfr50");
    if (r.name.rfind("L1a", 0) == 0 || r.name.rfind("L1b", 0) == 0) {
      EXPECT_LE(r.tolerance, 1e-40);
    }
    return;
  }
  FAIL() << "no check " << GetParam();
}

std::string sanitize(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (auto& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Default, PrecisionCheck, ::testing::ValuesIn(names()), sanitize);

TEST(PrecisionChecks, CoverEveryStatementAndSchedule) {
  std::set<std::string> prefixes;
  for (const auto& c : default_checks()) prefixes.insert(c.name.substr(0, c.name.find('.')));
  for (const char* p : {"L1a", "L1b", "L1c", "T1", "CFG=R", "R2"}) EXPECT_TRUE(prefixes.count(p)) << p;
  for (const char* s : {".ou.", ".vp-linear.", ".linear."}) {
    int n = 0;
    for (const auto& c : default_checks()) n += c.name.find(s) != std::string::npos;
    EXPECT_GT(n, 0) << s;
  }
}

}  // namespace
}  // namespace gdverify::checks
