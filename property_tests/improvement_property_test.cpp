// "Guidance improves every sample" is false (THEORY.md T3): under the
// deterministic probability-flow coupling (same start y, OU with T = 2,
// RK4 with 200 steps to t = 1e-3), some start gets a smaller p(c | Y^w) than
// p(c | Y^0). RapidCheck searches for such a case and shrinks it; the test
// passes when the universal claim is refuted. The shrunk case is kept below
// as a named regression test.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "gdverify/numerics/probability_flow.hpp"
#include "gdverify/theory.hpp"
#include "generators.hpp"

namespace gdverify::properties {
namespace {

struct Outcome {
  double log_p_guided;
  double log_p_unguided;
};

/// log p_delta(c | Y) for the guided (w) and unguided ODE samples from y0.
Outcome coupled_outcome(const numerics::Scenario& s, double y0, double w) {
  const auto p = s.mixture<double>();
  const auto problem = GuidanceProblem<double>::cfg(p, s.guided_class);
  const auto proc = ForwardProcess<double>::ou(2.0);
  Vector<double> y(1);
  y(0) = y0;
  const double t_end = 1e-3;
  const auto yw = numerics::probability_flow(problem, proc, w, y, 2.0, t_end, 200);
  const auto y0s = numerics::probability_flow(problem, proc, 0.0, y, 2.0, t_end, 200);
  const MixtureMarginal<double> m(p, proc, t_end);
  return {m.log_classifier(s.guided_class, yw), m.log_classifier(s.guided_class, y0s)};
}

// The margin 1e-6 in log p is far above RK4's error at 200 steps on these
// smooth fields (O(h^4) ~ 1e-9) and far below the degradations found.
constexpr double kMargin = 1e-6;

TEST(NonUniformImprovement, EverySampleImprovesIsRefuted) {
  const bool holds = rc::check("guidance improves every sample (expected to be refuted)", [] {
    const auto s = *scenario(1);
    const double y0 = *decimal(-300, 300);
    const double w = *decimal(1, 500);
    const auto o = coupled_outcome(s, y0, w);
    RC_ASSERT(o.log_p_guided >= o.log_p_unguided - kMargin);
  });
  EXPECT_FALSE(holds) << "no counterexample found: the universal claim was not refuted";
}

// Regression case: the shrunk counterexample RapidCheck printed for the CI
// seed (RC_PARAMS="seed=20261123"): two overlapping unit-ish Gaussians,
// class 0 = N(-2.8, 0.9649), class 1 = N(-3, 0.8744), equal priors, start
// y = -3, w = 0.01. Guidance moves the sample so that log p(c | Y) drops from
// -0.831422 to -0.831428 (printed by that run): a degradation six times the margin.
TEST(NonUniformImprovement, MinimalCounterexampleOverlappingClasses) {
  numerics::Scenario s;
  s.dimension = 1;
  s.classes = {numerics::ClassSpecD{0.5, {numerics::ComponentSpec{1.0, {-2.8}, {0.9649}}}},
               numerics::ClassSpecD{0.5, {numerics::ComponentSpec{1.0, {-3.0}, {0.8744}}}}};
  s.guided_class = 0;
  const auto o = coupled_outcome(s, -3.0, 0.01);
  EXPECT_LT(o.log_p_guided, o.log_p_unguided - kMargin)
      << "guided " << o.log_p_guided << " unguided " << o.log_p_unguided;
}

}  // namespace
}  // namespace gdverify::properties
