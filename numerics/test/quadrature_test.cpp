// integrate_line: a Gaussian mixture density integrates to one, and a known
// moment comes out, at double and at 50 digits.
#include <gtest/gtest.h>

#include <boost/math/constants/constants.hpp>

#include "gdverify/numerics/quadrature.hpp"
#include "gdverify/theory/real_types.hpp"

namespace gdverify::numerics {
namespace {

template <class Real>
class QuadratureTest : public ::testing::Test {};
using Types = ::testing::Types<double, Real50>;
TYPED_TEST_SUITE(QuadratureTest, Types);

TYPED_TEST(QuadratureTest, MixtureMassAndSecondMoment) {
  using Real = TypeParam;
  using std::abs;
  using std::exp;
  using std::sqrt;
  // 0.3 N(-2, 0.1^2) + 0.7 N(3, 2^2): mass 1, E[x^2] = 0.3 (4 + 0.01) + 0.7 (9 + 4)
  const std::vector<Bump<Real>> bumps = {{Real(-2), Real(1) / 10}, {Real(3), Real(2)}};
  auto gauss = [](const Real& x, const Real& m, const Real& s) {
    const Real z = (x - m) / s;
    return exp(-z * z / 2) / (s * boost::math::constants::root_two_pi<Real>());
  };
  const std::function<Real(const Real&)> dens = [&](const Real& x) {
    return Real(3) / 10 * gauss(x, Real(-2), Real(1) / 10) + Real(7) / 10 * gauss(x, Real(3), Real(2));
  };
  const std::function<Real(const Real&)> second = [&](const Real& x) { return x * x * dens(x); };
  const auto mass = integrate_line<Real>(dens, bumps);
  const auto m2 = integrate_line<Real>(second, bumps);
  const Real expected = Real(3) / 10 * (4 + Real(1) / 100) + Real(7) / 10 * 13;
  // tolerance: tanh-sinh's stopping rule eps^0.9 relative plus the rounding
  // of ~1e3 segment sums (1e3 eps)
  using std::pow;
  const Real eps = boost::math::tools::epsilon<Real>();
  const Real tol = pow(eps, Real(9) / 10) * 10 + 1000 * eps;
  EXPECT_LE(abs(mass.value - 1), tol);
  EXPECT_LE(abs(m2.value - expected), tol * expected);
  if constexpr (!std::is_same_v<Real, double>) {
    EXPECT_LE(abs(mass.value - 1), Real("1e-40"));
  }
}

}  // namespace
}  // namespace gdverify::numerics
