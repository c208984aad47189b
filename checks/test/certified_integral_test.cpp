// The Arb ball as a theory scalar and the certified line integral
// (checks/src/arb_ball.hpp, certified_integral.hpp), and the certified
// martingale checks built on them.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "arb_ball.hpp"
#include "certified_integral.hpp"
#include "enclosure_expectations.hpp"
#include "gdverify/checks/precision_checks.hpp"
#include "gdverify/numerics/scenario.hpp"
#include "gdverify/theory/log_sum_exp.hpp"

namespace gdverify::checks {
namespace {

using detail::certified_line_integral;
using detail::gaussian_term;
using detail::LineIntegrand;

TEST(ArbBall, ComparisonsAnswerOnlyWhatIsCertain) {
  const Ball one(1), two(2);
  EXPECT_TRUE(one < two);
  EXPECT_FALSE(two < one);
  const Ball third = one / Ball(3);  // an inexact ball
  EXPECT_THROW((void)(third == third), NotDecidable);
  Ball z = one;
  arb_set_d(acb_imagref(z.get()), 0.5);  // 1 + 0.5 i
  EXPECT_THROW((void)(z < two), NotDecidable);
  EXPECT_THROW((void)abs(z), NotDecidable);
  // log_sum_exp's shift works for complex balls (any exact real will do).
  const Ball lse = log_sum_exp(std::vector<Ball>{Ball(0), Ball(0)});
  EXPECT_TRUE(arb_overlaps(acb_realref(lse.get()), acb_realref(log(Ball(2)).get())));
  EXPECT_LT(detail::radius_of(lse), 1e-55);
}

TEST(CertifiedLineIntegral, AGaussianIntegratesToOneOverTheWholeLine) {
  // N(x; 0.3, 0.49) / N(x; 0.3, 0.49)^0 written as exp(term): 1 exactly.
  const auto term = gaussian_term(Ball(0), Ball(0.3), Ball(0.49));
  LineIntegrand g;
  g.f = [&](const Ball& x) { return exp(term.c0 + term.c1 * x + term.c2 * x * x); };
  g.numerators = {{term}};
  const auto r = certified_line_integral(g, 166);
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_TRUE(contains(r.value, 1.0));
  EXPECT_LT(detail::radius_of(r.value), 1e-48);
  EXPECT_LT(detail::magnitude_bound(r.tails), 1e-80);  // beyond 20 sd: e^-200 and less
}

// A moment: integral x N(x; 0.3, 0.49) dx = 0.3, with the linear factor's
// tails bounded in absolute value.
TEST(CertifiedLineIntegral, AMomentWithALinearFactorIsEnclosed) {
  const auto term = gaussian_term(Ball(0), Ball(0.3), Ball(0.49));
  LineIntegrand g;
  g.f = [&](const Ball& x) { return x * exp(term.c0 + term.c1 * x + term.c2 * x * x); };
  g.numerators = {{term}};
  g.has_linear_factor = true;
  g.linear_a = Ball(0);
  g.linear_b = Ball(1);
  const auto r = certified_line_integral(g, 166);
  ASSERT_TRUE(r.ok) << r.why;
  EXPECT_TRUE(arb_overlaps(acb_realref(r.value.get()), acb_realref(Ball(0.3).get())));
  EXPECT_LT(detail::radius_of(r.value), 1e-48);
  EXPECT_TRUE(arb_contains_zero(acb_realref(r.tails.get())));  // [-bound, bound]
}

TEST(CertifiedLineIntegral, AnEnvelopeThatDoesNotDecayIsRefused) {
  // f = N(x; 0, 1) / N(x; 0, 0.25): the envelope grows like e^{3 x^2 / 2}.
  const auto num = gaussian_term(Ball(0), Ball(0), Ball(1));
  const auto den = gaussian_term(Ball(0), Ball(0), Ball(0.25));
  LineIntegrand g;
  g.f = [&](const Ball& x) { return exp(num.c0 - den.c0 + (num.c2 - den.c2) * x * x); };
  g.numerators = {{num}};
  g.denominator = {den};
  const auto r = certified_line_integral(g, 166);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.why.find("does not decay"), std::string::npos) << r.why;
}

// |x| N(x; 0, 1) is not holomorphic: abs refuses every complex ball, so Arb
// cannot bound its Gauss-Legendre error anywhere. Whatever it returns is then
// either no enclosure or a true one (integral: sqrt(2 / pi)), never a wrong one.
TEST(CertifiedLineIntegral, ANonHolomorphicIntegrandGetsNoWrongEnclosure) {
  const auto term = gaussian_term(Ball(0), Ball(0), Ball(1));
  LineIntegrand g;
  g.f = [&](const Ball& x) { return abs(x) * exp(term.c0 + term.c2 * x * x); };
  g.numerators = {{term}};  // not an envelope of |x| N: the tails are wrong too, but tiny
  const auto r = certified_line_integral(g, 60);
  if (r.ok) {
    Ball pi;
    arb_const_pi(acb_realref(pi.get()), kBallBits);
    const Ball exact = sqrt(Ball(2) / pi);
    EXPECT_TRUE(arb_overlaps(acb_realref(r.value.get()), acb_realref(exact.get())));
  }
}

CheckResult run_named(const std::string& name, const Perturbation& p = {}) {
  const auto sc = numerics::default_scenario();
  for (const auto& c : precision_checks(sc))
    if (c.name == name) return c.run(p);
  ADD_FAILURE() << "no check " << name;
  return {};
}

// Every 1-D martingale integral of the default scenario is certified, and its
// enclosure lies within the tolerance and contains 0.
TEST(CertifiedMartingale, TheDefaultScenariosIntegralsAreCertified) {
  for (const char* name :
       {"L1a.marginal-martingale.ou.cfg", "L1a.marginal-martingale.vp-linear.reward",
        "L1b.process-martingale.linear.cfg", "L1b.process-martingale.ou.reward", "CFG=R.equivalence.ou",
        "R2.reweighted-dsm.vp-linear", "R2.reweighted-dsm.linear"}) {
    expect_certified_within_tolerance(run_named(name));
  }
}

// A planted relative error of 1e-45 (in pi_c or Z for L1a and CFG=R, in the
// kernel's variances for L1b, an offset of the reweighted minimiser for R2)
// lies below the 1e-40 tolerance, so the 50-digit estimate passes; the
// enclosures (radius below 1e-48 on this problem) exclude 0: a fail with the
// enclosure as evidence.
TEST(CertifiedMartingale, APlantedErrorBelowTheToleranceMakesTheEnclosureExcludeZero) {
  Perturbation prior;
  prior.prior_error = 1e-45;
  Perturbation kernel;
  kernel.schedule_error = 1e-45;
  Perturbation offset;
  offset.score_error = 1e-45;
  for (const auto& [name, p] :
       {std::pair{"L1a.marginal-martingale.ou.cfg", prior},
        std::pair{"L1a.marginal-martingale.linear.reward", prior},
        std::pair{"L1b.process-martingale.vp-linear.cfg", kernel},
        std::pair{"L1b.process-martingale.ou.reward", kernel},
        std::pair{"CFG=R.equivalence.vp-linear", prior}, std::pair{"R2.reweighted-dsm.ou", offset}}) {
    expect_enclosure_excludes_zero(run_named(name, p));
  }
}

}  // namespace
}  // namespace gdverify::checks
