// Gaussian-shaped reward (THEORY.md section 2): the closed-form tilt equals
// p_0 r / Z pointwise, Z equals E_p[r] by quadrature (1-D), and the
// reward-reweighted score is grad log q_t.
#include <boost/math/quadrature/tanh_sinh.hpp>

#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
class GaussianRewardTest : public ::testing::Test {};
TYPED_TEST_SUITE(GaussianRewardTest, ScalarTypes);

template <class Real>
GaussianReward<Real> random_reward(std::mt19937_64& rng, int dim) {
  const auto a = random_point(rng, dim, 2.0);
  const auto b = random_point(rng, dim, 0.5);
  Matrix<Real> p = Matrix<Real>::Zero(dim, dim);
  for (int i = 0; i < dim; ++i) p(i, i) = Real(0.5 + std::abs(random_point(rng, 1, 1.0)[0]));
  return GaussianReward<Real>(to_vector<Real>(a), p, to_vector<Real>(b));
}

TYPED_TEST(GaussianRewardTest, TiltEqualsProductOverNormaliserPointwise) {
  using Real = TypeParam;
  using std::abs;
  std::mt19937_64 rng(41);
  for (int dim : {1, 2, 5}) {
    const auto p = random_mixture(rng, dim, 2, 2).model<Real>();
    const auto r = random_reward<Real>(rng, dim);
    const auto q = r.tilt(p);
    const auto pm = MixtureMarginal<Real>::of(p);
    const auto qm = MixtureMarginal<Real>::of(q.mixture);
    for (int trial = 0; trial < 5; ++trial) {
      const Vector<Real> x = to_vector<Real>(random_point(rng, dim, 3.0));
      const Real lhs = qm.log_density(x);
      const Real rhs = pm.log_density(x) + r.log_reward(x) - q.log_normaliser;
      // magnitude of the summed log terms bounds the rounding
      const Real scale = abs(pm.log_density(x)) + abs(r.log_reward(x)) + abs(q.log_normaliser) + 1;
      EXPECT_TRUE(within(lhs, rhs, 64 * Real(dim * dim + 4) * eps<Real>() * scale)) << "d=" << dim;
    }
  }
}

TYPED_TEST(GaussianRewardTest, NormaliserIsExpectedRewardByQuadrature) {
  using Real = TypeParam;
  using std::exp;
  std::mt19937_64 rng(42);
  const auto p = random_mixture(rng, 1, 2, 2).model<Real>();
  const auto r = random_reward<Real>(rng, 1);
  const auto q = r.tilt(p);
  const auto pm = MixtureMarginal<Real>::of(p);
  auto integrand = [&](Real x) {
    Vector<Real> v(1);
    v(0) = x;
    return exp(pm.log_density(v) + r.log_reward(v));
  };
  auto ts = make_tanh_sinh<Real>();
  Real z = 0;
  for (int a = -60; a < 60; ++a) z += ts.integrate(integrand, Real(a), Real(a + 1));
  EXPECT_TRUE(within(Real(log(z)), q.log_normaliser, 256 * eps<Real>()));
}

TYPED_TEST(GaussianRewardTest, ZeroCovarianceComponentStaysPut) {
  using Real = TypeParam;
  // empirical data: Z_k = r(x_k), tilted point unchanged
  std::vector<Vector<Real>> pts = {to_vector<Real>({-1.0}), to_vector<Real>({2.0})};
  const auto p = MixtureModel<Real>::empirical(pts, {0, 1}, 2);
  Matrix<Real> prec(1, 1);
  prec(0, 0) = Real(1);
  const GaussianReward<Real> r(to_vector<Real>({2.0}), prec, to_vector<Real>({0.0}));
  const auto q = r.tilt(p);
  using std::exp;
  using std::log;
  // weights ∝ r(-1) = e^{-9/2}, r(2) = 1: w_1 = 1 / (1 + e^{-4.5})
  const Real w1 = 1 / (1 + exp(Real(-9) / 2));
  EXPECT_TRUE(within(q.mixture.components()[1].weight, w1, 8 * eps<Real>()));
  EXPECT_EQ(q.mixture.components()[0].mean(0), Real(-1));
  EXPECT_TRUE(within(q.log_normaliser, Real(log((exp(Real(-9) / 2) + 1) / 2)), 8 * eps<Real>()));
}

TYPED_TEST(GaussianRewardTest, RejectsIndefinitePrecision) {
  using Real = TypeParam;
  Matrix<Real> prec(2, 2);
  prec << Real(1), Real(0), Real(0), Real(-1);
  try {
    GaussianReward<Real> r(Vector<Real>::Zero(2), prec, Vector<Real>::Zero(2));
    FAIL() << "accepted an indefinite precision";
  } catch (const InvalidParameter& e) {
    EXPECT_EQ(e.field(), "reward.precision");
  }
}

}  // namespace
}  // namespace gdverify::test
