#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <limits>

#include "gdverify/reports/check_report.hpp"
#include "gdverify/reports/compare.hpp"
#include "gdverify/reports/output_files.hpp"
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

TEST(CheckReport, ErrorAndInconclusiveVerdictsReachEveryFormat) {
  auto r = sample();
  numerics::CheckResult e;
  e.name = "T2.err";
  e.verdict = numerics::Verdict::error;
  e.details["error"] = "fit_order: axis <bad>";
  numerics::CheckResult i;
  i.name = "T1.inc";
  i.verdict = numerics::Verdict::inconclusive;
  i.details["reason"] = "3 of 512 paths non-finite";
  r.push_back(e);
  r.push_back(i);
  const auto x = checks_junit(r);
  EXPECT_NE(x.find("errors=\"1\""), std::string::npos);
  EXPECT_NE(x.find("skipped=\"1\""), std::string::npos);
  EXPECT_NE(x.find("<error message=\"fit_order: axis &lt;bad&gt;\""), std::string::npos);
  EXPECT_NE(x.find("<skipped message=\"3 of 512 paths non-finite\""), std::string::npos);
  const auto t = checks_table(r);
  EXPECT_NE(t.find("1 passed, 1 failed, 1 inconclusive, 1 errors"), std::string::npos);
  EXPECT_NE(t.find("fit_order: axis <bad>"), std::string::npos);
  const auto j = checks_json(r);
  EXPECT_EQ(j["checks"][2]["verdict"], "error");
  EXPECT_EQ(j["checks"][3]["verdict"], "inconclusive");
  EXPECT_NE(checks_markdown(r).find("**ERROR**: fit_order"), std::string::npos);
}

TEST(Compare, IsReflexiveForNanAndInfinity) {
  auto r = sample();
  r[0].lhs = "nan";
  r[0].rhs = "inf";
  r[1].lhs = "-inf";
  r[1].residual = std::numeric_limits<double>::quiet_NaN();
  const auto j = checks_json(r);
  EXPECT_TRUE(compare_results(j, j, 1e-9, 0).passed());
  auto k = j;
  k["checks"][0]["rhs"] = "1e308";
  EXPECT_FALSE(compare_results(k, j, 1e-9, 0).passed());
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
  auto doubled = base;
  doubled["checks"].push_back(base["checks"][0]);
  EXPECT_THROW(compare_results(doubled, base, 0, 0), std::invalid_argument);
  EXPECT_THROW(compare_results(nlohmann::json::object(), base, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace gdverify::reports
