// Guided score fields, the metric and the drifts (THEORY.md sections 1-2):
// CFG's guided score is (1 + w) s(.|c) - w s; the classifier-reward form gives
// the same field and a metric smaller by exactly pi_c; the drifts follow their
// formulas; the pointwise generator identity of L1(c) holds at w = 0.
#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
class GuidedScoreTest : public ::testing::Test {};
TYPED_TEST_SUITE(GuidedScoreTest, ScalarTypes);

TYPED_TEST(GuidedScoreTest, CfgFieldAndMetric) {
  using Real = TypeParam;
  using std::abs;
  using std::log;
  std::mt19937_64 rng(61);
  for (int dim : {1, 2}) {
    const auto model = random_mixture(rng, dim, 2, 2).model<Real>();
    const auto p = ForwardProcess<Real>::ou(Real(2));
    const Real t = Real(1) / 2;
    const Real w = Real(3) / 2;
    const GuidedScore<Real> cfg(GuidanceProblem<Real>::cfg(model, 1), p, t);
    const GuidedScore<Real> rew(GuidanceProblem<Real>::classifier_reward(model, 1), p, t);
    const MixtureMarginal<Real> marg(model, p, t);
    for (int trial = 0; trial < 4; ++trial) {
      const Vector<Real> y = to_vector<Real>(random_point(rng, dim, 3.0));
      const Vector<Real> expected = (1 + w) * marg.score(y, 1) - w * marg.score(y);
      const Vector<Real> got = cfg.score(y, w);
      const Vector<Real> got_r = rew.score(y, w);
      const Real scale = (1 + 2 * w) * (marg.score(y, 1).norm() + marg.score(y).norm() + 1);
      for (int i = 0; i < dim; ++i) {
        EXPECT_TRUE(within(got(i), expected(i), 16 * eps<Real>() * scale));
        EXPECT_TRUE(within(got_r(i), expected(i), 16 * eps<Real>() * scale));
      }
      const Real lphi = log_reciprocal_classifier_metric(marg, 1, y);
      const Real lscale = abs(lphi) + abs(marg.log_density(y)) + 1;
      EXPECT_TRUE(within(cfg.log_metric(y), lphi, 16 * eps<Real>() * lscale));
      EXPECT_TRUE(within(rew.log_metric(y), Real(lphi + log(model.prior(1))), 16 * eps<Real>() * lscale));
      const Vector<Real> sde = cfg.sde_drift(y, w), ode = cfg.ode_drift(y, w);
      for (int i = 0; i < dim; ++i) {
        EXPECT_TRUE(within(sde(i), Real(y(i) + 2 * got(i)), 16 * eps<Real>() * (abs(y(i)) + 2 * scale)));
        EXPECT_TRUE(within(ode(i), Real(y(i) + got(i)), 16 * eps<Real>() * (abs(y(i)) + scale)));
      }
    }
  }
}

TYPED_TEST(GuidedScoreTest, MartingaleGeneratorVanishesAtZeroGuidance) {
  using Real = TypeParam;
  std::mt19937_64 rng(62);
  const auto model = random_mixture(rng, 2, 2, 2).model<Real>();
  for (const auto& p : {ForwardProcess<Real>::ou(Real(2)), ForwardProcess<Real>::vp_linear(),
                        ForwardProcess<Real>::linear()}) {
    const GuidedScore<Real> field(GuidanceProblem<Real>::cfg(model, 0), p, p.horizon() * Real(2) / Real(5));
    for (int trial = 0; trial < 4; ++trial) {
      const Vector<Real> y = to_vector<Real>(random_point(rng, 2, 3.0));
      const auto terms = metric_generator_terms(field, y, Real(0));
      EXPECT_TRUE(within(terms.lhs(), Real(0), 512 * eps<Real>() * terms.magnitude())) << p.name();
      const auto guided = metric_generator_terms(field, y, Real(2));
      EXPECT_TRUE(within(guided.lhs(), guided.dissipation, 512 * eps<Real>() * guided.magnitude()))
          << p.name();
      EXPECT_LT(guided.dissipation, Real(0));
    }
  }
}

}  // namespace
}  // namespace gdverify::test
