// A validated enclosure of the 1-D guided probability-flow ODE on the ou
// schedule (THEORY.md T3, oracle 2; docs/theory.md section 6): for a start
// value y0 at t_start, a real ball that certainly contains Y^w(y0) at t_end.
//
// In reverse time tau (t = T - tau) the flow is dY/dtau = b(tau, Y) with
//   b = -f y + (g^2 / 2) s^w(y),  s^w = (1 + w) s^r - w s,
// and on ou (f = -1, g^2 = 2, both constant)
//   b_y   = 1 + (1 + w) H^r - w H          (H: Hessians of log q_t, log p_t)
//   b_tau = -((1 + w) d_t s^r - w d_t s)   (d_t: the scores' time derivatives)
// all from MixtureMarginal::evaluate in ball arithmetic (the theory's formulas).
// One step of length h from the enclosure Y of the current value, midpoint m:
//   1. a priori enclosure (Picard-Lindelof, first order): a ball B with
//      m + [0, h] b(T, B) inside B, T the step's time interval; then the
//      solution from m stays in B over the step (Moore; Lohner);
//   2. second-order Taylor with the remainder over B:
//      Y(m) in m + h b(tau_k, m) + (h^2 / 2) (b_tau + b_y b)(T, B);
//   3. mean-value form for the rest of Y, with the variational equation:
//      Y_next = Y(m) + exp(h b_y(T, B_Y)) (Y - m), B_Y the a priori box of Y,
//      so a contracting flow contracts the enclosure instead of widening it.
// Local width O(h^3), global O(h^2). A step whose a priori box cannot be
// validated is halved, up to kMaxHalvings times, before the trajectory is
// given up on.
#pragma once

#include <stdexcept>
#include <vector>

#include "arb_ball.hpp"
#include "gdverify/theory/forward_process.hpp"
#include "gdverify/theory/guidance_problem.hpp"
#include "gdverify/theory/guided_score.hpp"

namespace gdverify::checks::detail {

struct FlowNotValidated : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class CertifiedOdeFlow {
 public:
  /// `problem` 1-D, `process` ou; `steps` uniform steps from t_start down to t_end.
  CertifiedOdeFlow(const GuidanceProblem<Ball>& problem, const ForwardProcess<Ball>& process, double t_start,
                   double t_end, int steps);

  /// Enclosures of Y^w(y0) at t_end, one per start value (all advanced
  /// together); a trajectory whose step cannot be validated (FlowNotValidated,
  /// or a box too wide to evaluate on) ends as an indeterminate ball
  /// (is_finite() false), which the caller treats as undecided.
  [[nodiscard]] std::vector<Ball> flow_all(const std::vector<double>& starts, double w) const;

 private:
  /// A step from t_hi down to t_lo: its length h, [0, h], and the field at
  /// t_hi and over the whole step.
  struct Step {
    Ball t_hi, t_lo, h, span;
    double h_bound;
    GuidedScore<Ball> at_start, over_step;
  };
  /// Halvings of a step whose a priori box fails before the trajectory is
  /// given up on (a stiff stretch: h |b_y| too large for a first-order box).
  static constexpr int kMaxHalvings = 6;

  [[nodiscard]] Step step_between(const Ball& t_hi, const Ball& t_lo) const;
  /// One step of the enclosure `y` (header: a priori box, Taylor, mean-value
  /// form), halved where the a priori box fails.
  void advance(Ball& y, const Step& step, const Ball& w, int halvings) const;

  GuidanceProblem<Ball> problem_;
  ForwardProcess<Ball> process_;
  double t_start_, t_end_;
  int steps_;
};

}  // namespace gdverify::checks::detail
