// The model sampler drives any ScoreModel through the engine's samplers. With
// the exact score it must reproduce the engine's own paths (same start, same
// noise, same step table), for every sampler and both guidance forms; a noise-
// prediction model given as eps = -sigma s must give the same paths; a wrong
// score must show up in the Girsanov sum and the per-step score error.
//
// Tolerance of the path comparison: the engine evaluates the mixture score
// with its own exp/log (device_math.hpp) and the model sampler with the
// theory's closed form, so the two differ by rounding only (a few ulps per
// score, grown by the step map's Lipschitz factor over N <= 24 steps: below
// 1e-12 in log phi, as measured); any mistake in the recursion (a wrong
// coefficient, a missed noise draw, a shifted time) moves log phi by O(h) ~
// 0.05. 2^-26 ~ 1.5e-8 separates the two by four decades on either side.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "gdverify/numerics/model_sampler.hpp"
#include "gdverify/numerics/sampler_steps.hpp"
#include "gdverify/numerics/scenario.hpp"

namespace gdverify::numerics {
namespace {

const double kPathTolerance = std::ldexp(1.0, -26);

GuidanceProblem<double> problem_of(const Scenario& sc, GuidanceKind kind) {
  return kind == GuidanceKind::cfg
             ? GuidanceProblem<double>::cfg(sc.mixture<double>(), sc.guided_class)
             : GuidanceProblem<double>::reward(sc.mixture<double>(), sc.gaussian_reward<double>());
}

MonteCarloSpec spec_of(const Scenario& sc, SamplerKind k) {
  MonteCarloSpec spec;
  spec.sampler = k;
  spec.grid = uniform_grid(sc.early_stop, sc.ou_horizon, 24);
  spec.guidance_scales = {1.0, 3.0};
  spec.checkpoints = {0, 12};
  spec.block_size = 64;
  return spec;
}

/// A score model that adds a constant offset to every answer.
class OffsetModel final : public ScoreModel {
 public:
  OffsetModel(std::shared_ptr<const ScoreModel> m, double e) : m_(std::move(m)), e_(e) {}
  [[nodiscard]] int dimension() const override { return m_->dimension(); }
  [[nodiscard]] std::string name() const override { return "offset"; }
  void score(std::span<const double> x, double t, const ScoreRequest& which,
             std::span<double> out) const override {
    m_->score(x, t, which, out);
    for (double& v : out) v += e_;
  }

 private:
  std::shared_ptr<const ScoreModel> m_;
  double e_;
};

TEST(ModelSampler, TheExactScoreReproducesTheEnginesPathsForEverySamplerAndForm) {
  const Scenario sc = rotated_embedding(default_scenario(), 2, 5);
  const long paths = 300;
  for (GuidanceKind kind : {GuidanceKind::cfg, GuidanceKind::reward})
    for (SamplerKind k : all_samplers()) {
      const auto problem = problem_of(sc, kind);
      const auto proc = sc.process<double>("ou");
      const ModelSampler sampler(problem, proc, spec_of(sc, k));
      const ExactScoreModel exact(problem, proc);
      ModelRunOptions opt;
      opt.batch = 128;  // several batches, the last one short
      const ModelRun run = sampler.run(exact, paths, opt);
      const std::vector<double> engine = sampler.exact_engine().path_log_metrics(paths);
      ASSERT_EQ(run.log_phi.size(), engine.size());
      double worst = 0;
      for (std::size_t i = 0; i < engine.size(); ++i)
        worst = std::max(worst, std::abs(run.log_phi[i] - engine[i]));
      std::printf("%s %s: worst |log phi difference| = %.3g\n", sampler_name(k).c_str(),
                  kind == GuidanceKind::cfg ? "cfg" : "reward", worst);
      EXPECT_LT(worst, kPathTolerance)
          << sampler_name(k) << " " << (kind == GuidanceKind::cfg ? "cfg" : "reward");
      // Its own score error is zero, and so is its Girsanov sum.
      for (const auto& g : run.girsanov) EXPECT_EQ(g.mean, 0.0);
      // The statistics come from the engine's estimators.
      const MonteCarloSums direct = sampler.exact_engine().run(paths);
      ASSERT_EQ(direct.stats.size(), run.sums.stats.size());
      for (std::size_t e = 0; e < direct.stats.size(); ++e)
        EXPECT_NEAR(run.sums.stats[e].log_phi.mean, direct.stats[e].log_phi.mean, kPathTolerance);
    }
}

TEST(ModelSampler, ANoisePredictionModelGivesTheSamePathsAsTheScoreItEncodes) {
  const Scenario sc = default_scenario();
  const auto problem = problem_of(sc, GuidanceKind::cfg);
  const auto proc = sc.process<double>("ou");
  for (SamplerKind k : {SamplerKind::ddpm, SamplerKind::ddim}) {
    const ModelSampler sampler(problem, proc, spec_of(sc, k));
    auto exact = std::make_shared<ExactScoreModel>(problem, proc);
    const NoisePredictionModel via_eps(std::make_shared<ScoreAsNoisePrediction>(exact, proc), proc);
    const ModelRun a = sampler.run(*exact, 200), b = sampler.run(via_eps, 200);
    for (std::size_t i = 0; i < a.log_phi.size(); ++i)
      EXPECT_NEAR(a.log_phi[i], b.log_phi[i], kPathTolerance);
  }
}

TEST(ModelSampler, AScoreOffsetShowsInTheScoreErrorAndTheGirsanovSum) {
  const Scenario sc = default_scenario();
  const auto problem = problem_of(sc, GuidanceKind::reward);
  const auto proc = sc.process<double>("ou");
  const ModelSampler sampler(problem, proc, spec_of(sc, SamplerKind::euler_maruyama));
  const double e = 0.1;
  const OffsetModel off(std::make_shared<ExactScoreModel>(problem, proc), e);
  const ModelRun run = sampler.run(off, 200);
  // Both queries are off by e in each of d = 1 coordinates: |s_hat - s|^2 = e^2
  // exactly up to rounding, and s_hat^w - s^w = e too, whatever w.
  for (const auto& per_w : run.score_error)
    for (const auto& row : per_w) {
      EXPECT_NEAR(row.unconditional.mean, e * e, 1e-12);
      EXPECT_NEAR(row.guided.mean, e * e, 1e-12);
    }
  // G = 1/2 sum h g^2 e^2 = e^2 / 2 * int g^2 (Euler sum on the grid).
  double sum = 0;
  for (const auto& s : sampler_steps(SamplerKind::euler_maruyama, proc, sampler.spec().grid))
    sum += s.h * s.g2_k;
  for (const auto& g : run.girsanov) EXPECT_NEAR(g.mean, 0.5 * e * e * sum, 1e-12);
}

TEST(ModelSampler, AModelOfTheWrongDimensionIsAnErrorNamingTheModel) {
  const Scenario sc = default_scenario();
  const auto proc = sc.process<double>("ou");
  const ModelSampler sampler(problem_of(sc, GuidanceKind::cfg), proc, spec_of(sc, SamplerKind::ddpm));
  const Scenario two = rotated_embedding(sc, 2, 5);
  const ExactScoreModel wrong(problem_of(two, GuidanceKind::cfg), proc);
  try {
    (void)sampler.run(wrong, 10);
    FAIL() << "no error";
  } catch (const InvalidParameter& e) {
    EXPECT_EQ(e.field(), "model");
  }
}

}  // namespace
}  // namespace gdverify::numerics
