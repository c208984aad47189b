// The 1-D ODE characteristics: on Gaussian data (where the ODE law is exactly
// Gaussian) E[phi] by characteristics agrees with the 50-digit oracle, the
// unguided flow transports the exact start exactly (E[phi] = kappa), and the
// default T3 checks pass.
#include <gtest/gtest.h>

#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"
#include "gdverify/numerics/ode_characteristics.hpp"

namespace gdverify::numerics {
namespace {

MixtureModel<double> gaussian(double m, double v) {
  Matrix<double> c(1, 1);
  c(0, 0) = v;
  return MixtureModel<double>::from_classes(
      {ClassSpec<double>{1.0, {1.0}, {Vector<double>::Constant(1, m)}, {c}}});
}

TEST(OdeCharacteristics, AgreesWithTheGaussianOracle) {
  const auto pair = GuidanceProblem<double>::pair(gaussian(0, 1.5), gaussian(1, 0.5), 0.0);
  const auto proc = ForwardProcess<double>::ou(2.0);
  const OdeCharacteristics fine(pair, proc, 2.0, 1e-3, 400), coarse(pair, proc, 2.0, 1e-3, 200);
  const GaussianOracle oracle(gaussian_problem("cfg-pair", 1), ForwardProcess<Real50>::ou(Real50(2)),
                              Real50(2), Real50("1e-3"));
  const auto tr = oracle.continuous(Real50(1), false, 2);
  const double exact = static_cast<double>(oracle.expected_metric(tr.laws.back(), tr.times.back()));
  const double e400 = fine.expected_metric(1.0), e200 = coarse.expected_metric(1.0);
  // RK4 step doubling bounds the error of the finer run by ~|e400 - e200| / 15;
  // allow 10 times that, and never less than 1e-12 of rounding.
  const double bound = 10 * std::abs(e400 - e200) / 15 + 1e-12;
  EXPECT_NEAR(e400, exact, bound);
  EXPECT_LT(std::abs(e400 - exact), 1e-8);
  EXPECT_NEAR(fine.expected_metric(0.0), 1.0, 1e-8);
}

}  // namespace
}  // namespace gdverify::numerics
