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

// One step of every other sampler against the scheme written out on points.
// On ou (forward dX = -X dt + sqrt(2) dW, alpha_t = e^-t, sigma_t^2 = 1 - e^-2t)
// with data N(0, 1) and r(x) = exp(-(x - 2)^2 / 2), the tilted data are
// N(1, 1/2), so p_t = N(0, 1) and q_t = N(e^-t, e^-2t / 2 + 1 - e^-2t) at every
// t, and the guided score s^w_t(y) = (1 + w) s_q(y) - w s_p(y) is affine. Each
// step is an affine map y -> T y + c (+ noise): T and c are read off the map at
// y = 0 and y = 1, and the law is N(T m + c, T^2 v + noise). Faults planted in
// the oracle's step formulas (a relative 1e-9 in the EM noise, Heun without
// its corrector, a DDIM coefficient) move these by far more than 1e-40.
struct OuExample {
  R w = R(1);
  [[nodiscard]] R guided_score(const R& t, const R& y) const {
    using std::exp;
    const R a = exp(-t), cq = a * a / 2 + 1 - a * a;
    return (1 + w) * (-(y - a) / cq) - w * (-y);
  }
};

struct StepLaw {
  R mean, variance;
};

template <class Map>
StepLaw affine_step(const GaussianLaw<R>& from, Map map, const R& noise) {
  const R c = map(R(0)), tm = map(R(1)) - c;
  return {tm * from.mean(0) + c, tm * tm * from.covariance(0, 0) + noise};
}

void expect_law(const GaussianLaw<R>& got, const StepLaw& want) {
  using std::abs;
  EXPECT_LT(abs(got.mean(0) - want.mean), R("1e-40") * (1 + abs(want.mean)));
  EXPECT_LT(abs(got.covariance(0, 0) - want.variance), R("1e-40") * abs(want.variance));
}

TEST(GaussianOracle, OneEulerMaruyamaStepIsTheScheme) {
  const GaussianOracle o(gaussian_problem("reward", 1), ForwardProcess<R>::ou(R(2)), R(2), R("0.5"));
  const OuExample ex;
  const R tk = R(2), h = R("1.5");
  // Y' = Y + h (Y + 2 s^w_{t_k}(Y)) + sqrt(2 h) xi
  expect_law(o.discrete(SamplerKind::euler_maruyama, ex.w, 1),
             affine_step(
                 o.start(), [&](const R& y) { return y + h * (y + 2 * ex.guided_score(tk, y)); }, 2 * h));
}

TEST(GaussianOracle, OneDdimStepIsTheScheme) {
  const GaussianOracle o(gaussian_problem("reward", 1), ForwardProcess<R>::ou(R(2)), R(2), R("0.5"));
  const OuExample ex;
  using std::exp;
  using std::sqrt;
  const R tk = R(2), tk1 = R("0.5");
  const R ak = exp(-tk), ak1 = exp(-tk1), sk = sqrt(1 - ak * ak), sk1 = sqrt(1 - ak1 * ak1);
  // x0_hat = (Y + sigma_k^2 s) / alpha_k, eps_hat = -sigma_k s, Y' = alpha_{k-1} x0_hat + sigma_{k-1} eps_hat
  expect_law(o.discrete(SamplerKind::ddim, ex.w, 1), affine_step(
                                                         o.start(),
                                                         [&](const R& y) {
                                                           const R s = ex.guided_score(tk, y);
                                                           const R x0 = (y + sk * sk * s) / ak;
                                                           return ak1 * x0 + sk1 * (-sk * s);
                                                         },
                                                         R(0)));
}

TEST(GaussianOracle, OneHeunStepIsTheScheme) {
  const GaussianOracle o(gaussian_problem("reward", 1), ForwardProcess<R>::ou(R(2)), R(2), R("0.5"));
  const OuExample ex;
  const R tk = R(2), tk1 = R("0.5"), h = tk - tk1;
  // probability-flow drift b(t, y) = y + s^w_t(y); predictor Y1 = Y + h b(t_k, Y),
  // corrector Y' = Y + h/2 (b(t_k, Y) + b(t_{k-1}, Y1))
  auto b = [&](const R& t, const R& y) { return y + ex.guided_score(t, y); };
  expect_law(o.discrete(SamplerKind::heun, ex.w, 1), affine_step(
                                                         o.start(),
                                                         [&](const R& y) {
                                                           const R y1 = y + h * b(tk, y);
                                                           return y + h / 2 * (b(tk, y) + b(tk1, y1));
                                                         },
                                                         R(0)));
}

}  // namespace
}  // namespace gdverify::numerics
