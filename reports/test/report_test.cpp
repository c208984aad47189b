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

std::vector<checks::CheckResult> sample() {
  checks::CheckResult a;
  a.name = "L1a.x";
  a.residual = 1e-45;
  a.tolerance = 1e-40;
  a.verdict = checks::Verdict::pass;
  checks::CheckResult b = a;
  b.name = "T1.<y>";
  b.residual = 1.0;
  b.verdict = checks::Verdict::fail;
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

TEST(CheckReport, ACertifiedVerdictCarriesItsEnclosureIntoEveryFormat) {
  auto r = sample();
  checks::CheckResult c = r[0];
  c.name = "L1c.cert";
  c.verdict = checks::Verdict::certified;
  c.enclosure = checks::Enclosure{"(lhs - rhs) / magnitude", "-1.0e-58", "2.0e-58", 5e-59, 1.5e-58, "MPFI"};
  r.push_back(c);
  const auto j = checks_json(r);
  EXPECT_EQ(j["checks"][2]["verdict"], "certified");
  EXPECT_EQ(j["checks"][2]["enclosure"]["lower"], "-1.0e-58");
  EXPECT_EQ(j["checks"][2]["enclosure"]["upper"], "2.0e-58");
  EXPECT_DOUBLE_EQ(j["checks"][2]["enclosure"]["radius"].get<double>(), 1.5e-58);
  EXPECT_DOUBLE_EQ(j["checks"][2]["enclosure"]["tolerance"].get<double>(), 1e-40);
  EXPECT_FALSE(j["checks"][0].contains("enclosure"));
  const auto t = checks_table(r);
  EXPECT_NE(t.find("1 certified, 1 passed, 1 failed"), std::string::npos) << t;
  EXPECT_NE(t.find("enclosure [-1.0e-58, 2.0e-58]"), std::string::npos) << t;
  const auto x = checks_junit(r);
  EXPECT_NE(x.find("failures=\"1\""), std::string::npos);
  EXPECT_NE(x.find("<system-out>certified: enclosure [-1.0e-58, 2.0e-58]"), std::string::npos) << x;
  EXPECT_NE(checks_markdown(r).find("**certified**: enclosure"), std::string::npos);
}

TEST(CheckReport, ErrorAndInconclusiveVerdictsReachEveryFormat) {
  auto r = sample();
  checks::CheckResult e;
  e.name = "T2.err";
  e.verdict = checks::Verdict::error;
  e.details["error"] = "fit_order: axis <bad>";
  checks::CheckResult i;
  i.name = "T1.inc";
  i.verdict = checks::Verdict::inconclusive;
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

// Under its row the table says why a check failed, and why a pass that tried
// an enclosure is not certified; a short not-run list names its checks.
TEST(CheckReport, TheTableSaysWhyAFailFailedAndWhyAPassIsNotCertified) {
  auto r = sample();  // [0] pass, [1] fail (residual above tolerance)
  r[0].details["not certified"] = "the enclosure [0, 1] does not decide";
  const auto t = checks_table(r, {{"T3.x", "built-in:p", "full set only (--full, or its exact name)"}});
  EXPECT_NE(t.find("not certified: the enclosure [0, 1] does not decide"), std::string::npos) << t;
  EXPECT_NE(t.find("exceeds tolerance"), std::string::npos) << t;
  EXPECT_NE(t.find("not run (1): full set only"), std::string::npos) << t;
  EXPECT_NE(t.find("    T3.x\n"), std::string::npos) << t;
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

TEST(Compare, PassAndCertifiedBothHoldSoAChangeBetweenThemIsNoRegression) {
  const auto base = checks_json(sample());
  auto cert = base;
  cert["checks"][0]["verdict"] = "certified";
  const auto c = compare_results(cert, base, 0, 0);
  EXPECT_TRUE(c.passed());
  ASSERT_EQ(c.differences.size(), 1u);  // reported all the same
  auto failed = base;
  failed["checks"][0]["verdict"] = "fail";
  EXPECT_FALSE(compare_results(failed, cert, 0, 0).passed());
}

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
  EXPECT_FALSE(compare_results(base, missing, 0, 0).passed());       // a new check is a difference
  EXPECT_TRUE(compare_results(base, missing, 0, 0, true).passed());  // unless new checks are allowed
  auto doubled = base;
  doubled["checks"].push_back(base["checks"][0]);
  EXPECT_THROW(compare_results(doubled, base, 0, 0), std::invalid_argument);
  EXPECT_THROW(compare_results(nlohmann::json::object(), base, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace gdverify::reports

namespace gdverify::reports {
namespace {

/// A result with one statistical and one rounding-level quantity.
nlohmann::json typed(double e_phi, double se, double residual) {
  checks::CheckResult r;
  r.name = "T1.mc.scenario.ou.cfg.ddpm";
  r.verdict = checks::Verdict::pass;
  r.quantities = {{"w=1 E[phi_T]", checks::QuantityKind::statistical, e_phi, se, 0},
                  {"residual", checks::QuantityKind::rounding, residual, 0, 1e-40},
                  {"order", checks::QuantityKind::deterministic, 1.0, 0, 0}};
  return checks_json({r});
}

TEST(Compare, JudgesEachQuantityByItsKind) {
  const auto base = typed(1.137, 0.001, 3e-50);
  // A shift of 9 standard errors (combined SE 0.0014) is significant at the file's level (z ~ 5.9).
  const auto moved = compare_results(typed(1.128, 0.001, 3e-50), base, 1e-9, 0);
  ASSERT_FALSE(moved.passed());
  ASSERT_EQ(moved.differences.size(), 1u);
  EXPECT_EQ(moved.differences[0].field, "w=1 E[phi_T]");
  // A shift of 2 standard errors is not.
  EXPECT_TRUE(compare_results(typed(1.1342, 0.001, 3e-50), base, 1e-9, 0).passed());
  // Rounding noise below the residual's own tolerance is ignored at any rtol...
  EXPECT_TRUE(compare_results(typed(1.137, 0.001, 7e-49), base, 0, 0).passed());
  // ...but a residual that leaves its tolerance is a difference.
  EXPECT_FALSE(compare_results(typed(1.137, 0.001, 2e-40), base, 1e-9, 0).passed());
  // A quantity missing on one side is a difference.
  auto fewer = base;
  fewer["checks"][0]["quantities"].erase(2);
  EXPECT_FALSE(compare_results(fewer, base, 1e-9, 0).passed());
  EXPECT_FALSE(compare_results(base, fewer, 1e-9, 0).passed());
  EXPECT_TRUE(compare_results(base, fewer, 1e-9, 0, true).passed());
  auto bad = base;
  bad["checks"][0]["quantities"][0]["kind"] = "vibes";
  EXPECT_THROW(compare_results(bad, base, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace gdverify::reports
