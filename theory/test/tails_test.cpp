// Tails (THEORY.md section 5): at |x| = 1e3 and 1e6 log densities, scores and
// log phi are finite and agree with 100-digit values. The rounding bound is
// that of the algorithm: log-space terms of size |l_k| ~ |x|^2 max|P| are
// summed and differenced, so the absolute error is a few (d + K) eps max|l_k|,
// while the scores (K terms of size |P||x - m|) carry (d + K) eps |P| |x|.
#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
class TailsTest : public ::testing::Test {};
TYPED_TEST_SUITE(TailsTest, ScalarTypes);

TYPED_TEST(TailsTest, FiniteAndAccurateFarOut) {
  using Real = TypeParam;
  using std::abs;
  std::mt19937_64 rng(71);
  for (int dim : {1, 2}) {
    const auto spec = random_mixture(rng, dim, 2, 2);
    const auto model = spec.model<Real>();
    const auto model_h = spec.model<Real100>();
    const auto p = ForwardProcess<Real>::ou(Real(1));
    const auto ph = ForwardProcess<Real100>::ou(Real100(1));
    const MixtureMarginal<Real> marg(model, p, Real(1) / 10);
    const MixtureMarginal<Real100> ref(model_h, ph, Real100(1) / 10);
    const GuidedScore<Real> field(GuidanceProblem<Real>::cfg(model, 0), p, Real(1) / 10);
    const GuidedScore<Real100> field_h(GuidanceProblem<Real100>::cfg(model_h, 0), ph, Real100(1) / 10);
    for (double r : {1e3, -1e3, 1e6, -1e6}) {
      std::vector<double> xd(static_cast<std::size_t>(dim), r);
      if (dim > 1) xd[1] = -0.5 * r;
      const Vector<Real> x = to_vector<Real>(xd);
      const Vector<Real100> xh = to_vector<Real100>(xd);
      const auto e = marg.evaluate(x);
      const auto eh = ref.evaluate(xh);
      const Real lphi = field.log_metric(x);
      const Real lphi_h = convert<Real>(field_h.log_metric(xh));
      ASSERT_TRUE(boost::math::isfinite(e.log_density)) << r;
      ASSERT_TRUE(boost::math::isfinite(lphi)) << r;
      ASSERT_TRUE(all_finite(e.score)) << r;
      const Real n = Real(dim + 4);
      const Real mag = abs(convert<Real>(eh.log_density)) + 1;
      EXPECT_TRUE(within(e.log_density, convert<Real>(eh.log_density), 16 * n * eps<Real>() * mag)) << r;
      EXPECT_TRUE(within(lphi, lphi_h, 32 * n * eps<Real>() * mag)) << r;
      const Real smag = Real(20) * (abs(Real(r)) + 10);  // max|P| <= 1/0.1... scaled by |x|
      for (int i = 0; i < dim; ++i)
        EXPECT_TRUE(within(e.score(i), convert<Real>(eh.score(i)), 16 * n * eps<Real>() * smag)) << r;
    }
  }
}

}  // namespace
}  // namespace gdverify::test
