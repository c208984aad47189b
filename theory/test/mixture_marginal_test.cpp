// Mixture marginals (THEORY.md section 1): scores are gradients of the log
// density, Hessians their Jacobians, d/dt log p_t the time derivative, all
// against 100-digit eighth-order finite differences, for random mixtures in
// d = 1, 2 and 5; classifier probabilities sum to one; the 1-D density
// integrates to one (tanh-sinh at the working precision).
#include <boost/math/quadrature/tanh_sinh.hpp>

#include "test_support.hpp"

namespace gdverify::test {
namespace {

template <class Real>
class MixtureMarginalTest : public ::testing::Test {};
TYPED_TEST_SUITE(MixtureMarginalTest, ScalarTypes);

/// Bound on the rounding of a score/Hessian entry: each of the K component
/// terms is a d-term dot product (<= d eps relative, in magnitude
/// |P||x - m|) and the responsibility-weighted sum adds K more roundings; the
/// magnitudes are bounded by scale = (1 + |x|_inf + max|m|_inf)^2 max|P|_inf.
/// A factor 16 covers exp/log in the responsibilities.
template <class Real>
Real derivative_tolerance(const MixtureModel<Real>& m, const ForwardProcess<Real>& p, const Real& t,
                          const Vector<Real>& x) {
  using std::abs;
  Real maxmean = 0, maxprec = 0;
  const Real a = p.alpha(t), s2 = p.sigma2(t);
  for (const auto& k : m.components()) {
    maxmean = std::max<Real>(maxmean, (a * k.mean).template lpNorm<Eigen::Infinity>());
    Matrix<Real> cov = (a * a) * k.covariance + s2 * Matrix<Real>::Identity(m.dimension(), m.dimension());
    Matrix<Real> prec = cov.inverse();
    maxprec = std::max<Real>(maxprec, prec.cwiseAbs().rowwise().sum().maxCoeff());
  }
  const Real r = 1 + x.template lpNorm<Eigen::Infinity>() + maxmean;
  const Real n = Real(static_cast<int>(m.dimension() + m.components().size()));
  return 16 * n * eps<Real>() * r * r * maxprec * (1 + maxprec);
}

template <class Real>
void check_derivatives(int dim, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto spec = random_mixture(rng, dim, 2, 2);
  const auto model = spec.model<Real>();
  const auto model_h = spec.model<Real100>();
  const std::vector<ForwardProcess<Real>> ps = {
      ForwardProcess<Real>::ou(Real(2)), ForwardProcess<Real>::vp_linear(), ForwardProcess<Real>::linear()};
  const std::vector<ForwardProcess<Real100>> hs = {ForwardProcess<Real100>::ou(Real100(2)),
                                                   ForwardProcess<Real100>::vp_linear(),
                                                   ForwardProcess<Real100>::linear()};
  const Real100 h = fd_step();
  for (std::size_t s = 0; s < ps.size(); ++s) {
    const Real t = ps[s].horizon() * Real(3) / Real(10);
    const Real100 th = convert<Real100>(t);
    const MixtureMarginal<Real> marg(model, ps[s], t);
    const MixtureMarginal<Real100> ref(model_h, hs[s], th);
    for (int trial = 0; trial < 3; ++trial) {
      const auto xd = random_point(rng, dim, 3.0);
      const Vector<Real> x = to_vector<Real>(xd);
      const Vector<Real100> xh = to_vector<Real100>(xd);
      for (int c : {MixtureMarginal<Real>::kAllClasses, 0, 1}) {
        const auto e = marg.evaluate(x, c, {true, true, true, true});
        const Real tol = derivative_tolerance(model, ps[s], t, x);
        for (int i = 0; i < dim; ++i) {
          auto along = [&](const Real100& u) {
            Vector<Real100> y = xh;
            y(i) = u;
            return ref.evaluate(y, c, {false, false, false}).log_density;
          };
          const Real100 gi = central_difference(along, xh(i), h);
          EXPECT_TRUE(within(e.score(i), convert<Real>(gi), tol))
              << "score d=" << dim << " i=" << i << " c=" << c;
          if constexpr (!std::is_same_v<Real, double>) {
            using std::abs;
            EXPECT_LE(abs(convert<Real100>(e.score(i)) - gi), Real100("1e-30") * (1 + abs(gi)));
          }
          for (int j = 0; j < dim; ++j) {
            auto score_j = [&](const Real100& u) {
              Vector<Real100> y = xh;
              y(i) = u;
              return ref.evaluate(y, c, {true, false, false}).score(j);
            };
            const Real100 hij = central_difference(score_j, xh(i), h);
            EXPECT_TRUE(within(e.hessian(i, j), convert<Real>(hij), tol))
                << "hessian " << i << j << " d=" << dim;
          }
        }
        auto in_time = [&](const Real100& u) {
          return MixtureMarginal<Real100>(model_h, hs[s], u)
              .evaluate(xh, c, {false, false, false})
              .log_density;
        };
        const Real100 dt = central_difference(in_time, th, h);
        EXPECT_TRUE(within(e.dlog_dt, convert<Real>(dt), tol)) << "d/dt " << ps[s].name() << " d=" << dim;
        // d/dt of the score: each summand carries one more product with C_k'
        // (|C_k'| <= |(sigma^2)'| + 2 |alpha alpha'| |Sigma_k|, entries of
        // Sigma_k = A A^T + 0.1 I at most d + 0.1) and one with C_k^{-1} (in the
        // score's bound already), whence the factor on the score's bound.
        using std::abs;
        const Real dscale =
            1 + abs(ps[s].dsigma2_dt(t)) + 2 * Real(dim + 1) * abs(ps[s].alpha(t) * ps[s].dalpha_dt(t));
        for (int i = 0; i < dim; ++i) {
          auto score_in_time = [&](const Real100& u) {
            return MixtureMarginal<Real100>(model_h, hs[s], u).evaluate(xh, c, {true, false, false}).score(i);
          };
          const Real100 dsi = central_difference(score_in_time, th, h);
          EXPECT_TRUE(within(e.dscore_dt(i), convert<Real>(dsi), tol * dscale))
              << "d/dt score " << ps[s].name() << " d=" << dim << " i=" << i;
        }
      }
    }
  }
}

TYPED_TEST(MixtureMarginalTest, DerivativesInOneDimension) { check_derivatives<TypeParam>(1, 11); }
TYPED_TEST(MixtureMarginalTest, DerivativesInTwoDimensions) { check_derivatives<TypeParam>(2, 12); }
TYPED_TEST(MixtureMarginalTest, DerivativesInFiveDimensions) { check_derivatives<TypeParam>(5, 13); }

TYPED_TEST(MixtureMarginalTest, ClassifierProbabilitiesSumToOne) {
  using Real = TypeParam;
  std::mt19937_64 rng(21);
  for (int dim : {1, 2, 5}) {
    const auto model = random_mixture(rng, dim, 3, 2).model<Real>();
    const MixtureMarginal<Real> marg(model, ForwardProcess<Real>::ou(Real(1)), Real(1) / 4);
    for (int trial = 0; trial < 5; ++trial) {
      const Vector<Real> x = to_vector<Real>(random_point(rng, dim, 4.0));
      Real sum = 0;
      for (int c = 0; c < 3; ++c) sum += marg.classifier(c, x);
      // three exp(log-difference) terms, each good to a few eps
      EXPECT_TRUE(within(sum, Real(1), 32 * eps<Real>()));
    }
  }
}

TYPED_TEST(MixtureMarginalTest, DensityIntegratesToOneInOneDimension) {
  using Real = TypeParam;
  using std::exp;
  std::mt19937_64 rng(31);
  const auto model = random_mixture(rng, 1, 2, 2).model<Real>();
  for (const auto& p : {ForwardProcess<Real>::ou(Real(2)), ForwardProcess<Real>::linear()}) {
    const MixtureMarginal<Real> marg(model, p, p.horizon() / 5);
    auto dens = [&](Real x) {
      Vector<Real> v(1);
      v(0) = x;
      return exp(marg.log_density(v));
    };
    // Components have |mean| <= 3 and sd <= 1.1; beyond +-60 the mass is
    // below exp(-(57/1.1)^2/2) ~ 1e-580: the integral over [-60, 60] split at
    // every integer is the whole mass to far below eps.
    auto ts = make_tanh_sinh<Real>();
    Real total = 0;
    for (int a = -60; a < 60; ++a) total += ts.integrate(dens, Real(a), Real(a + 1));
    EXPECT_TRUE(within(total, Real(1), 256 * eps<Real>()));
    if constexpr (!std::is_same_v<Real, double>) {
      EXPECT_LT(abs(total - 1), Real("1e-40"));
    }
  }
}

}  // namespace
}  // namespace gdverify::test
