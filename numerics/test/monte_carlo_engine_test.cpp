// The Monte Carlo engine: bit-for-bit reproducibility across splits and chunk
// sizes, coupling of the noise across w, the counter-based stream, and the law
// of every sampler against the exact Gaussian oracle.
//
// Statistical assertions use z = z(1e-8) (two-sided), about 5.73 standard
// errors: this file makes 24 of them, so its false-failure probability is
// below 3e-7, inside the CI budget of 1e-6 (THEORY.md section 5). The CLT is
// applied only to log phi, which is a quadratic form of a Gaussian here and
// has all moments (its normal approximation at 2^15 paths is excellent).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/monte_carlo_engine.hpp"
#include "gdverify/numerics/monte_carlo_estimators.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof(double)) == 0; }

void expect_identical(const MonteCarloSums& a, const MonteCarloSums& b) {
  ASSERT_EQ(a.stats.size(), b.stats.size());
  for (std::size_t i = 0; i < a.stats.size(); ++i) {
    const auto& x = a.stats[i];
    const auto& y = b.stats[i];
    const RunningMoments* mx[5] = {&x.phi, &x.log_phi, &x.diff_w0, &x.diff_tau, &x.diff_prev_w};
    const RunningMoments* my[5] = {&y.phi, &y.log_phi, &y.diff_w0, &y.diff_tau, &y.diff_prev_w};
    for (int q = 0; q < 5; ++q) {
      EXPECT_TRUE(same_bits(mx[q]->n, my[q]->n));
      EXPECT_TRUE(same_bits(mx[q]->mean, my[q]->mean)) << i << " " << q;
      EXPECT_TRUE(same_bits(mx[q]->m2, my[q]->m2)) << i << " " << q;
    }
    EXPECT_EQ(x.improved, y.improved);
    EXPECT_EQ(x.nonfinite, y.nonfinite);
  }
}

MonteCarloEngine default_engine(SamplerKind k, long chunk) {
  const Scenario sc = default_scenario();
  MonteCarloSpec spec;
  spec.sampler = k;
  spec.grid = uniform_grid(sc.early_stop, sc.ou_horizon, 20);
  spec.guidance_scales = {1.0, 2.0};
  spec.checkpoints = {0, 10};
  spec.block_size = 256;
  spec.chunk_paths = chunk;
  return MonteCarloEngine(GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class),
                          sc.process<double>("ou"), spec);
}

TEST(MonteCarloEngine, BitForBitAcrossSplitsAndChunks) {
  for (SamplerKind k : {SamplerKind::euler_maruyama, SamplerKind::heun}) {
    const long n = 3000;  // 12 blocks, the last one short
    const auto whole = default_engine(k, 1L << 16).run(n);
    const auto small_chunks = default_engine(k, 512).run(n);
    expect_identical(whole, small_chunks);
    const auto e = default_engine(k, 1024);
    const auto split = e.combine(n, {e.run_blocks(n, 7, 12), e.run_blocks(n, 0, 3), e.run_blocks(n, 3, 7)});
    expect_identical(whole, split);
  }
}

// The host kernel runs 32 paths side by side (lanes) in one of up to three
// instruction-set versions. A path's values must not depend on either: the same
// paths computed at other lane positions (chunks of 7, so path p sits in lane
// p mod 7 instead of p mod 32), one path per work item (the GPU layout), and
// by every version this CPU has must agree to the bit, for every sampler, a
// shared-class (CFG) and a separate-target (reward) problem, isotropic 1-D and
// rotated 3-D components. (Built with FMA contraction, this test fails.)
TEST(MonteCarloEngine, PathValuesIndependentOfLanePositionAndInstructionSet) {
  const Scenario one_d = default_scenario();
  const Scenario three_d = random_scenario(3, 17);
  struct Case {
    GuidanceProblem<double> problem;
    ForwardProcess<double> process;
    double early_stop, horizon;
  };
  const std::vector<Case> cases = {
      {GuidanceProblem<double>::cfg(one_d.mixture<double>(), one_d.guided_class), one_d.process<double>("ou"),
       one_d.early_stop, one_d.ou_horizon},
      {GuidanceProblem<double>::reward(three_d.mixture<double>(), three_d.gaussian_reward<double>()),
       three_d.process<double>("ou"), three_d.early_stop, three_d.ou_horizon}};
  std::vector<HostInstructionSet> versions;
  for (auto isa : {HostInstructionSet::avx2, HostInstructionSet::avx512})
    if (host_instruction_set_available(isa)) versions.push_back(isa);
  RecordProperty("instruction_sets_compared", static_cast<int>(versions.size()) + 1);
  for (const auto& c : cases)
    for (SamplerKind k :
         {SamplerKind::euler_maruyama, SamplerKind::ddpm, SamplerKind::ddim, SamplerKind::heun}) {
      auto values = [&](long chunk, HostInstructionSet isa, bool single_lane = false) {
        MonteCarloSpec spec;
        spec.sampler = k;
        spec.grid = uniform_grid(c.early_stop, c.horizon, 12);
        spec.guidance_scales = {1.5};
        spec.checkpoints = {0, 6};
        spec.block_size = 1;
        spec.chunk_paths = chunk;
        spec.host_isa = isa;
        spec.single_lane = single_lane;
        return MonteCarloEngine(c.problem, c.process, spec).path_log_metrics(101);
      };
      const auto reference = values(1L << 16, HostInstructionSet::baseline);
      std::vector<std::vector<double>> others = {values(7, HostInstructionSet::baseline),
                                                 values(1L << 16, HostInstructionSet::baseline, true)};
      for (auto isa : versions) {
        others.push_back(values(1L << 16, isa));
        others.push_back(values(7, isa));
      }
      for (const auto& o : others) {
        ASSERT_EQ(o.size(), reference.size());
        for (std::size_t i = 0; i < o.size(); ++i)
          ASSERT_TRUE(same_bits(o[i], reference[i])) << sampler_name(k) << " value " << i;
      }
      for (double v : reference) ASSERT_TRUE(std::isfinite(v)) << sampler_name(k);
    }
}

TEST(MonteCarloEngine, PartialsMustTileTheRun) {
  const auto e = default_engine(SamplerKind::ddim, 1024);
  EXPECT_THROW((void)e.combine(3000, {e.run_blocks(3000, 0, 3)}), std::logic_error);
  EXPECT_THROW((void)e.run_blocks(3000, 0, 13), InvalidParameter);
}

TEST(MonteCarloEngine, RejectsBadSpecs) {
  const Scenario sc = default_scenario();
  const auto problem = GuidanceProblem<double>::cfg(sc.mixture<double>(), 0);
  const auto proc = sc.process<double>("ou");
  auto make = [&](auto mutate) {
    MonteCarloSpec s;
    s.grid = uniform_grid(0.01, 2.0, 4);
    mutate(s);
    return MonteCarloEngine(problem, proc, s);
  };
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.guidance_scales = {-1.0}; }), InvalidParameter);
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.guidance_scales = {std::nan("")}; }), InvalidParameter);
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.grid = {0.5}; }), InvalidParameter);
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.grid = {0.0, 1.0}; }), InvalidParameter);
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.grid = {0.1, 3.0}; }), InvalidParameter);
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.checkpoints = {9}; }), InvalidParameter);
  EXPECT_THROW(make([](MonteCarloSpec& s) { s.block_size = 0; }), InvalidParameter);
  for (auto isa : {HostInstructionSet::avx2, HostInstructionSet::avx512}) {
    if (!host_instruction_set_available(isa)) {
      EXPECT_THROW(make([isa](MonteCarloSpec& s) { s.host_isa = isa; }), InvalidParameter);
    }
  }
}

TEST(MonteCarloEngine, WZeroIsPrependedAndCoupled) {
  const auto e = default_engine(SamplerKind::euler_maruyama, 1L << 16);
  const auto s = e.run(512);
  ASSERT_EQ(s.guidance_scales.size(), 3u);
  EXPECT_EQ(s.guidance_scales[0], 0.0);
  // The w = 0 run is coupled with itself: its difference is exactly 0 on every path.
  EXPECT_EQ(s.at(0, 2).diff_w0.mean, 0.0);
  EXPECT_EQ(s.at(0, 2).diff_w0.m2, 0.0);
  EXPECT_EQ(s.at(0, 2).improved, 512.0);
  // All start at the same point: the checkpoint at 0 steps is w-independent.
  EXPECT_EQ(s.at(1, 0).diff_w0.m2, 0.0);
  EXPECT_EQ(s.checkpoints, (std::vector<int>{0, 10, 20}));
}

TEST(MonteCarloEngine, NoiseRefinementCouplesStepCounts) {
  // N steps fed with normalised sums of the normals of 2N steps follow the same Brownian
  // path as the 2N-step run: per path, log phi differs by the discretisation error only,
  // far less than between independent runs.
  const Scenario sc = default_scenario();
  const auto problem = GuidanceProblem<double>::reward(sc.mixture<double>(), sc.gaussian_reward<double>());
  auto run = [&](int n, int refine, std::uint64_t seed) {
    MonteCarloSpec spec;
    spec.grid = uniform_grid(sc.early_stop, sc.ou_horizon, n);
    spec.noise_refinement = refine;
    spec.seed = seed;
    return MonteCarloEngine(problem, sc.process<double>("ou"), spec).path_log_metrics(2048);
  };
  const auto fine = run(256, 1, 5), coupled = run(128, 2, 5), independent = run(128, 2, 6);
  double dc = 0, di = 0;
  for (std::size_t i = 0; i < fine.size(); ++i) {
    dc += std::abs(fine[i] - coupled[i]);
    di += std::abs(fine[i] - independent[i]);
  }
  EXPECT_LT(dc, di / 10);
}

TEST(PhiloxStream, DeterministicAndCounterSensitive) {
  const auto a = philox_normal_pair(7, 11, 3, 0);
  EXPECT_EQ(a, philox_normal_pair(7, 11, 3, 0));
  EXPECT_NE(a, philox_normal_pair(8, 11, 3, 0));
  EXPECT_NE(a, philox_normal_pair(7, 12, 3, 0));
  EXPECT_NE(a, philox_normal_pair(7, 11, 4, 0));
  EXPECT_NE(a, philox_normal_pair(7, 11, 3, 1));
  EXPECT_NE(a, philox_normal_pair(7, 11ULL << 32, 3, 0));
  // Moments of 2^17 draws: mean 0 +- z/sqrt(n), variance 1 +- z sqrt(2/n).
  const double z = two_sided_normal_quantile(1e-8);
  RunningMoments m;
  const int n = 1 << 16;
  for (int i = 0; i < n; ++i) {
    const auto [x, y] = philox_normal_pair(20261123, static_cast<std::uint64_t>(i), 0, 0);
    m.merge({1, x, 0});
    m.merge({1, y, 0});
  }
  EXPECT_LT(std::abs(m.mean), z / std::sqrt(m.n));
  EXPECT_LT(std::abs(m.variance() - 1), z * std::sqrt(2 / m.n));
}

TEST(Estimators, ClopperPearsonKnownValues) {
  // k = 0: upper = 1 - (alpha/2)^{1/n}; k = n: lower = (alpha/2)^{1/n}.
  const auto r0 = clopper_pearson(0, 10, 0.05);
  EXPECT_EQ(r0.lower, 0.0);
  EXPECT_NEAR(r0.upper, 1 - std::pow(0.025, 0.1), 1e-14);
  const auto rn = clopper_pearson(10, 10, 0.05);
  EXPECT_NEAR(rn.lower, std::pow(0.025, 0.1), 1e-14);
  EXPECT_EQ(rn.upper, 1.0);
  const auto r = clopper_pearson(5, 10, 0.05);  // symmetric case
  EXPECT_NEAR(r.lower + r.upper, 1.0, 1e-14);
  EXPECT_NEAR(two_sided_normal_quantile(0.05), 1.959963984540054, 1e-14);
}

TEST(Estimators, VarianceOfPhiDecidedInClosedForm) {
  const Scenario sc = default_scenario();
  const auto proc = sc.process<double>("ou");
  // Class 0 (variances 0.09, 0.25) is lighter-tailed than class 1 (variance 1): infinite.
  EXPECT_EQ(
      metric_variance_under_target(GuidanceProblem<double>::cfg(sc.mixture<double>(), 0), proc, 1e-3).state,
      Finiteness::infinite);
  // Guiding towards the widest class: finite.
  EXPECT_EQ(
      metric_variance_under_target(GuidanceProblem<double>::cfg(sc.mixture<double>(), 1), proc, 1e-3).state,
      Finiteness::finite);
  // At large t every component is nearly N(0, I): finite.
  EXPECT_EQ(
      metric_variance_under_target(GuidanceProblem<double>::cfg(sc.mixture<double>(), 0), proc, 2.0).state,
      Finiteness::finite);
}

// E[log phi] of N steps of each sampler from the engine against the oracle's
// exact discrete law (log phi is quadratic in y: its mean is closed form).
TEST(MonteCarloEngine, EverySamplerMatchesTheExactGaussianLaw) {
  const double z = two_sided_normal_quantile(1e-8);
  for (int d : {1, 3}) {
    for (const char* form : {"cfg-pair", "reward"}) {
      const auto p50 = gaussian_problem(form, d);
      const auto proc50 = ForwardProcess<Real50>::ou(Real50(2));
      const auto p = p50.convert<double>();
      const GaussianOracle oracle(p50, proc50, Real50(2), Real50("0.01"));
      for (SamplerKind k :
           {SamplerKind::euler_maruyama, SamplerKind::ddpm, SamplerKind::ddim, SamplerKind::heun}) {
        MonteCarloSpec spec;
        spec.sampler = k;
        spec.grid = uniform_grid(0.01, 2.0, 8);
        spec.guidance_scales = {2.0};
        const MonteCarloEngine e(p, ForwardProcess<double>::ou(2.0), spec);
        const auto s = e.run(1 << 15);
        for (std::size_t iw = 0; iw < 2; ++iw) {
          const auto law = oracle.discrete(k, Real50(s.guidance_scales[iw]), 8);
          const auto est = mean_interval(s.at(iw, s.checkpoints.size() - 1).log_phi, z);
          const double exact = static_cast<double>(oracle.expected_log_metric(law, Real50("0.01")));
          EXPECT_LT(std::abs(est.mean - exact), z * est.std_error)
              << form << " d=" << d << " " << sampler_name(k) << " w=" << s.guidance_scales[iw] << " mc "
              << est.mean << " exact " << exact << " se " << est.std_error;
        }
      }
    }
  }
}

}  // namespace
}  // namespace gdverify::numerics
