// The exact Gaussian oracle: THEORY.md T1's worked example (ou, T = 2, data
// N(0, 1), r(x) = exp(-(x - 2)^2 / 2), w = 1) satisfies the integral identity
// to 20 digits; the wrong drift (the ODE's) breaks it; one discrete step is
// the formula written out; the exact-law T1 checks of the default set pass.
#include <gtest/gtest.h>

#include "gdverify/numerics/gaussian_oracle.hpp"
#include "gdverify/numerics/gaussian_problems.hpp"

namespace gdverify::numerics {
namespace {

using R = Real50;

GaussianOracle theory_example() {
  return GaussianOracle(gaussian_problem("reward", 1), ForwardProcess<R>::ou(R(2)), R(2), R(0));
}

TEST(GaussianOracle, TheoryExampleIdentityToTwentyDigits) {
  const auto o = theory_example();
  const auto tr = o.continuous(R(1), true, 3);
  const R start = o.expected_metric(tr.laws.front(), tr.times.front());
  const R end = o.expected_metric(tr.laws.back(), tr.times.back());
  using std::abs;
  EXPECT_LT(abs(start - 1), R("1e-20"));
  EXPECT_LT(abs((end - start) + tr.dissipation.back()), R("1e-20"));
  EXPECT_LT(end, R(1));
}

TEST(GaussianOracle, OdeDriftDoesNotSatisfyTheSdeIdentity) {
  const auto o = theory_example();
  const auto sde = o.continuous(R(1), true, 2);
  const auto ode = o.continuous(R(1), false, 2);
  const R e_ode = o.expected_metric(ode.laws.back(), ode.times.back());
  using std::abs;
  // E[phi] under the ODE differs from 1 - dissipation by far more than 1e-10
  EXPECT_GT(abs((e_ode - 1) + sde.dissipation.back()), R("1e-3"));
}

TEST(GaussianOracle, OneDdpmStepIsTheFormula) {
  const auto o = theory_example();
  const auto start = o.start();
  const auto law = o.discrete(SamplerKind::ddpm, R(1), 1);
  // one step from t = 2 to 0: alpha_1 = abar_1 / abar_0 = alpha_2^2 / alpha_0^2 = e^-4; s^w affine with
  // q_2 = N(e^-2, e^-4/2 + 1 - e^-4), p_2 = N(0, 1)
  using std::exp;
  using std::sqrt;
  const R a = exp(R(-2)), cq = a * a / 2 + 1 - a * a, alpha = exp(R(-4));
  const R slope = -2 / cq + 1, intercept = 2 * (a / cq);  // (1+w) P_q a_q - w P_p a_p with w = 1
  const R tm = (1 + (1 - alpha) * slope) / sqrt(alpha);
  const R mean = tm * start.mean(0) + (1 - alpha) / sqrt(alpha) * intercept;
  const R var = tm * tm * start.covariance(0, 0) + (1 - alpha);
  using std::abs;
  EXPECT_LT(abs(law.mean(0) - mean), R("1e-40"));
  EXPECT_LT(abs(law.covariance(0, 0) - var), R("1e-40") * abs(var));
}

}  // namespace
}  // namespace gdverify::numerics
