// A certified enclosure of T3's degraded probability on the 1-D ODE coupling
// (THEORY.md T3; docs/theory.md section 6):
//   P(D_w),  D_w = {y0 : phi(Y^w(y0)) > phi(Y^0(y0))},  y0 ~ q_{t_start} (the exact start),
// for CFG D_w = {y0 : p(c | Y^w) < p(c | Y^0)} at t_end.
// The start line is cut into intervals over +-8 standard deviations of every
// start component; the flows (certified_flow.hpp) of the cut points enclose
// the flow of a whole interval, because a 1-D flow map is increasing
// (solutions of a Lipschitz ODE cannot cross): Y([a, b]) lies in
// [Y(a), Y(b)]. On each interval the difference log phi(Y^0) - log phi(Y^w) is
// enclosed from those hulls: certainly < 0 (degraded), certainly > 0
// (improved), or undecided, and undecided intervals are bisected. Then
//   P(D_w) in [P(degraded intervals), P(degraded) + P(undecided) + P(tails)],
// the interval masses from the start law's CDF (Arb's erf and erfc).
#pragma once

#include <string>

#include "arb_ball.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"

namespace gdverify::checks::detail {

/// The working precision of the degraded-set enclosures, in bits: the flows'
/// enclosures are ~1e-3 wide (800 steps), so 64 bits keep every rounding far
/// below that (and the balls rigorous) at a fraction of 200 bits' cost.
inline constexpr slong kDegradedBits = 64;
/// The decimal digits those bits carry (floor(64 log10 2)).
inline constexpr int kDegradedDigits = static_cast<int>(kDegradedBits * 30103 / 100000);

struct DegradedEnclosure {
  Ball lower, upper;     ///< P(D_w) lies in [lower, upper]
  Ball tail_mass;        ///< the start law's mass outside the cut range (in upper)
  int intervals = 0;     ///< the final partition's size
  int degraded = 0;      ///< intervals certainly degraded
  int undecided = 0;     ///< intervals the enclosures could not decide
  int trajectories = 0;  ///< certified flows computed (both w and 0)
  int given_up = 0;      ///< start points whose flow could not be validated
  std::string range;     ///< the cut range [L, R]
};

struct DegradedSettings {
  int steps = 800;             ///< flow steps over [t_end, t_start]
  int initial_cuts = 64;       ///< uniform intervals before bisection
  int rounds = 14;             ///< bisection rounds at most
  double relative_gap = 1e-3;  ///< stop once the undecided mass is below this share of the lower bound
  int max_trajectories = 200;  ///< the bisection's budget of certified flows (both w and 0 count)
};

/// `w_flow` is the scale the guided flow uses (w; -w for a planted sign error).
DegradedEnclosure certified_degraded_probability(const GuidanceProblem<Ball>& problem,
                                                 const ForwardProcess<Ball>& process, double t_start,
                                                 double t_end, double w_flow,
                                                 const DegradedSettings& settings);

}  // namespace gdverify::checks::detail
