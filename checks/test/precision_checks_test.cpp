// Every precision check of the default scenario passes, and its residual is
// reported against a tolerance at least as tight as the project's bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "enclosure_expectations.hpp"
#include "gdverify/checks/precision_checks.hpp"
#include "gdverify/numerics/scenario_file.hpp"

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
    EXPECT_TRUE(holds(r.verdict)) << r.name << ": residual " << r.residual << " > tolerance " << r.tolerance
                                  << "\n lhs " << r.lhs << "\n rhs " << r.rhs;
    // The martingale integrals are decided by their Arb enclosure where one is found.
    EXPECT_EQ(r.scalar, r.verdict == Verdict::certified &&
                                (r.name.rfind("L1a", 0) == 0 || r.name.rfind("L1b", 0) == 0 ||
                                 r.name.rfind("CFG=R", 0) == 0 || r.name.rfind("R2", 0) == 0)
                            ? "arb-ball"
                            : "mpfr50")
        << r.name;
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

const Check& check_named(const std::string& name) {
  for (const auto& c : default_checks())
    if (c.name == name) return c;
  throw std::logic_error("no check " + name);
}

// The generator identities on the 1-D scenario are certified: the interval
// enclosure of every point's residual contains 0 and lies within the
// tolerance. In d = 2 and 5 they stay estimates, and say why.
TEST(CertifiedGenerator, OneDimensionalIdentitiesAreCertifiedWithTheirEnclosure) {
  for (const char* name :
       {"L1c.generator.ou.cfg.scenario", "T1.dissipation-pointwise.vp-linear.reward.scenario",
        "T1.dissipation-pointwise.linear.cfg.scenario"}) {
    expect_certified_within_tolerance(run_check(check_named(name)));
  }
  const CheckResult d2 = run_check(check_named("T1.dissipation-pointwise.ou.cfg.random-d2"));
  EXPECT_EQ(d2.verdict, Verdict::pass);
  EXPECT_FALSE(d2.enclosure.has_value());
  EXPECT_TRUE(d2.details.count("not certified"));
}

// A planted error that 50 digits represent but that lies below their
// tolerance (a relative 1e-49 in g^2; eps of 50 digits is about 1e-50, the
// tolerance 64 (d + K) eps about 2e-48) passes the estimate, yet makes the
// enclosure (radius about 3e-59) exclude 0: a fail with the enclosure as its
// evidence, not a wider ball. Likewise an offset of 1e-49 in the target score
// for T1 at w > 0.
TEST(CertifiedGenerator, APlantedErrorBelowTheToleranceMakesTheEnclosureExcludeZero) {
  Perturbation schedule;
  schedule.schedule_error = 1e-49;
  Perturbation score;
  score.score_error = 1e-49;
  for (const auto& [name, p] : {std::pair{"L1c.generator.ou.reward.scenario", schedule},
                                std::pair{"T1.dissipation-pointwise.ou.cfg.scenario", score}}) {
    expect_enclosure_excludes_zero(run_check(check_named(name), p));
  }
}

// Weights that sum to one within the tolerance in double, whose interval sum
// then touches that tolerance: the interval input checks compare by ends, so
// the run neither aborts (Boost's MPFI aborts on an ambiguous comparison; this
// scenario aborted the process before) nor loses its certificate.
TEST(CertifiedGenerator, WeightsAtTheSumToleranceDoNotAbortTheIntervalPath) {
  const Scenario sc = parse_scenario(
      "[[classes]]\nprior = 1.0\n[[classes.components]]\n"
      "weight = 1.0000000000000017763568394002504646778106689453125\nmean = [0.0]\ncovariance = [[1.0]]\n"
      "[[classes.components]]\nweight = 1e-70\nmean = [1.0]\ncovariance = [[1.0]]\n"
      "[guidance]\nkind = \"reward\"\n",
      "weights-edge");
  for (const auto& c : precision_checks(sc))
    if (c.name == "L1c.generator.ou.reward.scenario") {
      EXPECT_EQ(run_check(c).verdict, Verdict::certified);
      return;
    }
  FAIL() << "no L1c.generator.ou.reward.scenario";
}

// Components 60 sd apart, the reward centred between them: p_0 r and the
// posterior times r live where the tilted law does, far from p's components.
// Their quadrature covered only p's (or the posterior's) bumps and lost the
// product's mass (L1a reward 7.7e-13, R2 2.3e-13 relative: false fails of
// exact identities, found by a new user's trial); the certified path cannot
// decide here (the envelope does not decay, the balls blow up), so the 50-digit
// estimate is the verdict and must hold.
TEST(QuadratureCoverage, ComponentsFarFromTheRewardKeepTheProductsMass) {
  const Scenario sc = parse_scenario(
      "[schedule]\nnames = [\"ou\"]\n[guidance]\nkind = \"both\"\nscales = [1.0]\n"
      "[reward]\ncenter = [0.0]\nprecision = [[1.0]]\n"
      "[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [-30.0]\ncovariance = [[1.0]]\n"
      "[[classes]]\nprior = 0.5\n[[classes.components]]\nmean = [30.0]\ncovariance = [[1.0]]\n",
      "far-apart");
  int ran = 0;
  for (const auto& c : precision_checks(sc))
    if (c.name == "L1a.marginal-martingale.ou.reward" || c.name == "R2.reweighted-dsm.ou") {
      const CheckResult r = c.run({});
      EXPECT_TRUE(holds(r.verdict)) << c.name << ": residual " << r.residual << " (lhs " << r.lhs << ")";
      ++ran;
    }
  EXPECT_EQ(ran, 2);
}

}  // namespace
}  // namespace gdverify::checks
