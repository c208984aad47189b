// The samples door on samplers a researcher would write: a correct Euler-
// Maruyama and a correct DDIM pass; the same samplers with the guidance sign
// flipped, with g^2/2 in the SDE drift, or (DDIM) with the score taken at the
// next grid time (an off-by-one time index) are caught. The samples go
// through .npy files and read_samples_directory, as a user's would.
//
// Every test is deterministic (fixed seeds). The z-tests run at
// kStatisticalAlpha; the energy test's level 1e-3 is its false-alarm rate per
// w on a correct sampler (the correct cases here pass with p well above it).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "gdverify/checks/samples_assessment.hpp"
#include "gdverify/numerics/sampler_steps.hpp"
#include "gdverify/numerics/scenario_monte_carlo.hpp"
#include "gdverify/numerics/score_model.hpp"

namespace gdverify::checks {
namespace {

using namespace gdverify::numerics;

enum class Fault { none, flipped_sign, half_g2_drift, ddim_time_off_by_one };

Scenario small_scenario() {
  Scenario sc = default_scenario();
  sc.guidance_scales = {2.0};
  sc.steps = {32};
  sc.paths = 1L << 14;
  return sc;
}

/// A user's sampler, written from the formulas in docs/theory.md (not gdverify's engine).
std::vector<double> user_samples(const Scenario& sc, SamplerKind k, double w, long n, Fault fault,
                                 std::uint64_t seed) {
  const auto problem = scenario_guidance_problem(sc, "reward");
  const auto proc = sc.process<double>("ou");
  const ExactScoreModel score(problem, proc);
  const int N = sc.steps.back();
  const auto grid = uniform_grid(sc.t_min(), sc.t_max("ou"), N);
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> unif;
  // The exact start q_T: a component of the tilted mixture, then its Gaussian at T.
  const double T = grid.back(), a = proc.alpha(T), s2 = proc.sigma2(T);
  std::vector<double> y(static_cast<std::size_t>(n));
  for (double& v : y) {
    double u = unif(rng), acc = 0;
    const auto& comps = problem.target().components();
    std::size_t c = 0;
    for (; c + 1 < comps.size(); ++c) {
      acc += comps[c].weight;
      if (u <= acc) break;
    }
    v = a * comps[c].mean(0) + std::sqrt(a * a * comps[c].covariance(0, 0) + s2) * normal(rng);
  }
  std::vector<double> su(y.size()), st(y.size()), sw(y.size());
  const double sign = fault == Fault::flipped_sign ? -1 : 1;
  for (int i = N; i >= 1; --i) {
    const double tk = grid[static_cast<std::size_t>(i)], tk1 = grid[static_cast<std::size_t>(i - 1)],
                 h = tk - tk1;
    const double ts = fault == Fault::ddim_time_off_by_one ? tk1 : tk;
    score.score(y, ts, {ScoreQuery::unconditional, -1}, su);
    score.score(y, ts, {ScoreQuery::reward_tilted, -1}, st);
    for (std::size_t j = 0; j < y.size(); ++j) sw[j] = st[j] + sign * w * (st[j] - su[j]);
    if (k == SamplerKind::euler_maruyama) {
      const double g2 = proc.g2(tk), f = proc.f(tk);
      const double drift_factor = fault == Fault::half_g2_drift ? 0.5 : 1.0;
      for (std::size_t j = 0; j < y.size(); ++j)
        y[j] += h * (-f * y[j] + drift_factor * g2 * sw[j]) + std::sqrt(h * g2) * normal(rng);
    } else {
      const double r = proc.alpha(tk1) / proc.alpha(tk);
      const double sk = std::sqrt(proc.sigma2(tk)), sk1 = std::sqrt(proc.sigma2(tk1));
      for (std::size_t j = 0; j < y.size(); ++j) y[j] = r * y[j] + (r * sk * sk - sk1 * sk) * sw[j];
    }
  }
  return y;
}

std::map<std::string, Verdict> assess(SamplerKind k, Fault fault, const std::string& tag) {
  const Scenario sc = small_scenario();
  const auto dir = std::filesystem::path(::testing::TempDir()) / ("gdverify-samples-" + tag);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const long n = 4096;
  for (double w : {0.0, 2.0})
    write_npy_matrix(dir / ("w_" + format_significant(w, 6) + ".npy"), user_samples(sc, k, w, n, fault, 77),
                     n, 1);
  SamplesAssessmentOptions o;
  o.sampler = k;
  std::map<std::string, Verdict> out;
  for (const Check& c : samples_checks(sc, "reward", read_samples_directory(dir, 1), o)) {
    const CheckResult r = run_check(c);
    std::printf("%s %s: %s | %s | %s\n", tag.c_str(), r.name.c_str(), verdict_name(r.verdict), r.lhs.c_str(),
                r.rhs.c_str());
    out[r.name] = r.verdict;
  }
  std::filesystem::remove_all(dir);
  return out;
}

bool any_fail_at_w2(const std::map<std::string, Verdict>& v) {
  return v.at("samples.log-phi.reward.w=2") == Verdict::fail ||
         v.at("samples.energy.reward.w=2") == Verdict::fail;
}

TEST(SamplesAssessment, CorrectSamplersPass) {
  for (SamplerKind k : {SamplerKind::euler_maruyama, SamplerKind::ddim})
    for (const auto& [name, v] : assess(k, Fault::none, "correct-" + sampler_name(k)))
      EXPECT_EQ(v, Verdict::pass) << name;
}

TEST(SamplesAssessment, AFlippedGuidanceSignIsCaught) {
  const auto v = assess(SamplerKind::euler_maruyama, Fault::flipped_sign, "sign");
  EXPECT_EQ(v.at("samples.log-phi.reward.w=2"), Verdict::fail);
  EXPECT_EQ(v.at("samples.energy.reward.w=2"), Verdict::fail);
  EXPECT_EQ(v.at("samples.log-phi.reward.w=0"), Verdict::pass);  // w = 0 has no guidance to flip
}

TEST(SamplesAssessment, HalfTheDriftOfTheSdeIsCaught) {
  const auto v = assess(SamplerKind::euler_maruyama, Fault::half_g2_drift, "half-g2");
  EXPECT_EQ(v.at("samples.log-phi.reward.w=2"), Verdict::fail);
  EXPECT_EQ(v.at("samples.energy.reward.w=2"), Verdict::fail);
}

TEST(SamplesAssessment, ADdimOffByOneTimeIndexIsCaught) {
  EXPECT_TRUE(any_fail_at_w2(assess(SamplerKind::ddim, Fault::ddim_time_off_by_one, "ddim-off-by-one")));
}

TEST(SamplesAssessment, EnergyPointsAreTheUsersChoiceWithinBounds) {
  const Scenario sc = small_scenario();
  const auto dir = std::filesystem::path(::testing::TempDir()) / "gdverify-samples-energy-points";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const long n = 1024;
  write_npy_matrix(dir / "w_2.npy", user_samples(sc, SamplerKind::euler_maruyama, 2.0, n, Fault::none, 5), n,
                   1);
  SamplesAssessmentOptions o;
  for (long bad : {1L, kMaxEnergyPoints + 1}) {
    o.energy_subsample = bad;
    try {
      (void)samples_checks(sc, "reward", read_samples_directory(dir, 1), o);
      ADD_FAILURE() << bad << " energy points accepted";
    } catch (const InvalidParameter& e) {
      EXPECT_NE(std::string(e.what()).find("--energy-points"), std::string::npos) << e.what();
    }
  }
  o.energy_subsample = 200;
  bool seen = false;
  for (const Check& c : samples_checks(sc, "reward", read_samples_directory(dir, 1), o))
    if (c.name.starts_with("samples.energy")) {
      const CheckResult r = run_check(c);
      EXPECT_NE(r.rhs.find("200 + 200 points"), std::string::npos) << r.rhs;
      seen = true;
    }
  EXPECT_TRUE(seen);
  std::filesystem::remove_all(dir);
}

TEST(SamplesAssessment, BadFilesAreErrorsNamingTheFile) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "gdverify-samples-bad";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "w_1.npy", std::ios::binary);
    f << "\x93NUMPY\x01\x00\x10\x00{'descr': '<f8',";  // a truncated header
  }
  try {
    (void)read_samples_directory(dir, 1);
    FAIL() << "no error";
  } catch (const InvalidParameter& e) {
    EXPECT_NE(std::string(e.what()).find("w_1.npy"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir / "w_1.npy");
  write_npy_matrix(dir / "w_1.npy", {0.0, 1.0, 2.0, 3.0}, 2, 2);  // 2 columns, the scenario has 1
  EXPECT_THROW((void)read_samples_directory(dir, 1), InvalidParameter);
  std::filesystem::remove_all(dir);
}

TEST(SamplesAssessment, AFormTheScenarioDoesNotPoseIsRefused) {
  Scenario sc = default_scenario();
  sc.guidance_kind = GuidanceChoice::reward;
  try {
    (void)samples_checks(sc, "cfg", {}, SamplesAssessmentOptions{});
    FAIL() << "a reward-only scenario was assessed in the cfg form";
  } catch (const InvalidParameter& e) {
    EXPECT_NE(std::string(e.what()).find("--form"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace gdverify::checks
