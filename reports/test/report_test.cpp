#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "gdverify/reports/atomic_output.hpp"
#include "gdverify/reports/check_report.hpp"
#include "gdverify/reports/report.hpp"

namespace gdverify::reports {
namespace {
namespace fs = std::filesystem;

std::vector<numerics::CheckResult> sample() {
  numerics::CheckResult a;
  a.name = "L1a.x";
  a.residual = 1e-45;
  a.tolerance = 1e-40;
  a.verdict = numerics::Verdict::pass;
  numerics::CheckResult b = a;
  b.name = "T1.<y>";
  b.residual = 1.0;
  b.verdict = numerics::Verdict::fail;
  return {a, b};
}

TEST(CheckReport, JsonFollowsSchemaOne) {
  const auto j = checks_json(sample());
  EXPECT_EQ(j["schema"], 1);
  ASSERT_EQ(j["checks"].size(), 2u);
  EXPECT_EQ(j["checks"][0]["verdict"], "pass");
  EXPECT_EQ(j["checks"][1]["verdict"], "fail");
  EXPECT_DOUBLE_EQ(j["checks"][0]["residual"].get<double>(), 1e-45);
}

TEST(CheckReport, JunitCountsFailuresAndEscapes) {
  const auto x = checks_junit(sample());
  EXPECT_NE(x.find("failures=\"1\""), std::string::npos);
  EXPECT_NE(x.find("T1.&lt;y&gt;"), std::string::npos);
  EXPECT_NE(checks_table(sample()).find("1 passed, 1 failed"), std::string::npos);
}

TEST(AtomicOutput, FailedFillLeavesNothingBehind) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-atomic-test";
  fs::remove_all(dir);
  EXPECT_THROW(write_directory_atomically(dir,
                                          [](const fs::path& tmp) {
                                            write_file_atomically(tmp / "half.md", "x");
                                            throw std::runtime_error("boom");
                                          }),
               std::runtime_error);
  EXPECT_FALSE(fs::exists(dir));
  for (const auto& e : fs::directory_iterator(fs::temp_directory_path()))
    EXPECT_EQ(e.path().filename().string().find(".gdverify-atomic-test.tmp"), std::string::npos);
}

TEST(Report, WritesEveryFile) {
  const fs::path dir = fs::temp_directory_path() / "gdverify-report-test";
  fs::remove_all(dir);
  write_report(dir, numerics::default_scenario(), sample());
  for (const char* f :
       {"index.md", "index.html", "checks.json", "checks.xml", "scenario.json", "versions.json"})
    EXPECT_TRUE(fs::exists(dir / f)) << f;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace gdverify::reports

#include "gdverify/reports/compare.hpp"

namespace gdverify::reports {
namespace {

TEST(Compare, IdenticalResultsPassAndChangesAreFound) {
  const auto base = checks_json(sample());
  EXPECT_TRUE(compare_results(base, base, 0, 0).passed());
  auto changed = base;
  changed["checks"][0]["lhs"] = "1.0000001";
  changed["checks"][0]["verdict"] = "fail";
  auto b2 = base;
  b2["checks"][0]["lhs"] = "1.0";
  const auto cmp = compare_results(changed, b2, 1e-9, 0);
  EXPECT_FALSE(cmp.passed());
  EXPECT_EQ(cmp.differences.size(), 2u);                                        // verdict and lhs
  EXPECT_TRUE(compare_results(changed, b2, 1e-6, 0).differences.size() == 1u);  // only the verdict now
  auto missing = base;
  missing["checks"].erase(1);
  EXPECT_FALSE(compare_results(missing, base, 0, 0).passed());
  EXPECT_TRUE(compare_results(base, missing, 0, 0).passed());  // a new check is informational
  EXPECT_THROW(compare_results(nlohmann::json::object(), base, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace gdverify::reports
