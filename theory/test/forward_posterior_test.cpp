// The forward posterior law(X_s | X_t = y) (THEORY.md L1(b)) equals Bayes'
// rule q_s(x) N(y; a x, v) / q_t(y) pointwise, and its weights sum to one.
#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
class ForwardPosteriorTest : public ::testing::Test {};
TYPED_TEST_SUITE(ForwardPosteriorTest, ScalarTypes);

TYPED_TEST(ForwardPosteriorTest, EqualsBayesRule) {
  using Real = TypeParam;
  using std::abs;
  using std::log;
  std::mt19937_64 rng(51);
  for (int dim : {1, 2}) {
    const auto model = random_mixture(rng, dim, 2, 2).model<Real>();
    for (const auto& p : {ForwardProcess<Real>::ou(Real(2)), ForwardProcess<Real>::vp_linear(),
                          ForwardProcess<Real>::linear()}) {
      for (const Real& s : {Real(0), p.horizon() / 5}) {
        const Real t = p.horizon() / 2;
        const Vector<Real> y = to_vector<Real>(random_point(rng, dim, 2.0));
        const auto post = forward_posterior(model, p, s, t, y);
        const auto pm = MixtureMarginal<Real>::of(post);
        const MixtureMarginal<Real> qs(model, p, s == 0 ? Real(0) : s);
        const MixtureMarginal<Real> qt(model, p, t);
        const Real a = p.alpha(t) / p.alpha(s);
        const Real v = p.sigma2(t) - a * a * p.sigma2(s);
        for (int trial = 0; trial < 4; ++trial) {
          const Vector<Real> x = to_vector<Real>(random_point(rng, dim, 2.0));
          const Vector<Real> r = y - a * x;
          const Real log_kernel =
              -r.squaredNorm() / (2 * v) - Real(dim) * log(2 * boost::math::constants::pi<Real>() * v) / 2;
          const Real rhs = qs.log_density(x) + log_kernel - qt.log_density(y);
          const Real lhs = pm.log_density(x);
          const Real scale = abs(qs.log_density(x)) + abs(log_kernel) + abs(qt.log_density(y)) + 1;
          EXPECT_TRUE(within(lhs, rhs, 256 * eps<Real>() * scale)) << p.name() << " d=" << dim;
        }
      }
    }
  }
}

}  // namespace
}  // namespace gdverify::test
